"""Pages of the published archive besides Datasette's own: snapshots, an Atom feed, charts."""

import html
import json
import os
from xml.sax.saxutils import escape

from .snapshot import MANIFEST


def _snapshot_dir(datasette, db):
    config = datasette.plugin_config("nianbao") or {}
    beside = os.path.dirname(db.path or ".")
    if os.path.exists(os.path.join(beside, MANIFEST)):
        return beside  # a published current.db lives among its snapshots (nianbao run)
    return config.get("snapshots_dir") or os.path.join(beside, "snapshots")


def _snapshots(datasette, db):
    folder = _snapshot_dir(datasette, db)
    path = os.path.join(folder, MANIFEST)
    if not os.path.exists(path):
        return folder, []
    with open(path, encoding="utf-8") as f:
        return folder, [e for e in json.load(f) if os.path.exists(os.path.join(folder, e["file"]))]


async def snapshots_page(datasette, request):
    """``/-/snapshots``: every snapshot with its size and sha256, for download."""
    from datasette.utils.asgi import Response

    _, entries = _snapshots(datasette, datasette.get_database())
    return Response.html(await datasette.render_template("nianbao_snapshots.html", {"snapshots": list(reversed(entries))},
                                                         request=request))


async def snapshot_file(datasette, request):
    """``/-/snapshots/<file>``: one listed snapshot file (and nothing else from that folder)."""
    from datasette.utils.asgi import NotFound, Response

    folder, entries = _snapshots(datasette, datasette.get_database())
    name = request.url_vars["name"]
    if name not in {e["file"] for e in entries}:
        raise NotFound("no such snapshot")
    with open(os.path.join(folder, name), "rb") as f:
        body = f.read()
    return Response(body, content_type="application/vnd.sqlite3",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def feed(datasette, request):
    """``/-/feed.atom``: newly archived reports and new ERROR/WARN flags."""
    from datasette.utils.asgi import Response

    db = datasette.get_database()
    base = f"{request.scheme}://{request.host}"
    reports = (await db.execute(
        "SELECT report_id, title, agency, year, coalesce(fetched_at, published, '') AS at FROM reports "
        "ORDER BY rowid DESC LIMIT 50")).rows
    flags = (await db.execute(
        "SELECT f.report_id, f.rule, f.severity, f.message, r.title, coalesce(r.fetched_at, r.published, '') AS at "
        "FROM flags f JOIN reports r ON r.report_id = f.report_id WHERE f.severity IN ('ERROR', 'WARN') "
        "ORDER BY f.rowid DESC LIMIT 50")).rows
    entries = []
    for r in reports:
        entries.append(_entry(f"{base}/-/report/{r['report_id']}", f"report:{r['report_id']}",
                              f"{r['title'] or r['report_id']}", f"{r['agency'] or ''} {r['year'] or ''}", r["at"]))
    for f in flags:
        entries.append(_entry(f"{base}/-/report/{f['report_id']}", f"flag:{f['report_id']}:{f['rule']}",
                              f"{f['severity']} {f['rule']}: {f['title'] or f['report_id']}", f["message"], f["at"]))
    updated = max([r["at"] for r in reports] + [""]) or "1970-01-01T00:00:00+00:00"
    body = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>nianbao 年报 archive</title><id>{escape(base)}/</id><updated>{escape(_iso(updated))}</updated>"
            f'<link href="{escape(base)}/-/feed.atom" rel="self"/>' + "".join(entries) + "</feed>")
    return Response(body, content_type="application/atom+xml; charset=utf-8")


def _iso(value):
    value = value or "1970-01-01"
    return value if "T" in value else value + "T00:00:00+00:00"


def _entry(link, entry_id, title, summary, at):
    return (f"<entry><title>{escape(title)}</title><id>tag:nianbao,{escape(entry_id)}</id>"
            f'<link href="{escape(link)}"/><updated>{escape(_iso(at))}</updated><summary>{escape(summary or "")}</summary></entry>')


_FILTERS = ("province", "level", "era", "agency", "agency_kind")


def _bars(rows, label_key, series, width=640, bar=18):
    """An inline SVG bar chart (no script): one group of bars per row, one bar per series."""
    peak = max([row[key] or 0 for row in rows for key, _, _ in series] + [1])
    height = len(rows) * (bar * len(series) + 10) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">']
    y = 10
    for row in rows:
        parts.append(f'<text x="0" y="{y + bar - 4}" font-size="12">{html.escape(str(row[label_key]))}</text>')
        for key, name, colour in series:
            value = row[key] or 0
            length = int((width - 220) * value / peak)
            parts.append(f'<rect x="120" y="{y}" width="{length}" height="{bar - 4}" fill="{colour}"><title>{html.escape(name)}: {value}</title></rect>'
                         f'<text x="{124 + length}" y="{y + bar - 6}" font-size="11">{html.escape(name)} {value:g}</text>')
            y += bar
        y += 10
    parts.append("</svg>")
    return "".join(parts)


async def charts(datasette, request):
    """``/-/charts``: requests and outcomes over the years, and flags by rule, for a filter
    (``?province=…&level=…&era=…&agency=…``)."""
    from datasette.utils.asgi import Response

    db = datasette.get_database()
    where, params = [], {}
    for name in _FILTERS:
        if request.args.get(name):
            where.append(f"{name} = :{name}")
            params[name] = request.args.get(name)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    years = [dict(r) for r in (await db.execute(
        f"SELECT year, sum(new_received) AS new_received, sum(granted) AS granted, sum(denied) AS denied, "
        f"sum(unable) AS unable, sum(reconsiderations) AS reconsiderations FROM report_numbers {clause} "
        f"GROUP BY year HAVING year IS NOT NULL ORDER BY year", params)).rows]
    rules = [dict(r) for r in (await db.execute(
        f"SELECT f.rule, count(*) AS n FROM flags f JOIN reports r ON r.report_id = f.report_id "
        f"{clause.replace('WHERE ', 'WHERE r.') if clause else ''} GROUP BY f.rule ORDER BY n DESC", params)).rows]
    context = {
        "filters": {k: v for k, v in params.items()},
        "requests_chart": _bars(years, "year", [("new_received", "新收 new", "#4a7ebb"), ("granted", "予以公开 granted", "#5aa05a"),
                                                ("denied", "不予公开 denied", "#c0504d"), ("unable", "无法提供 unable", "#d9a441")]),
        "flags_chart": _bars(rules, "rule", [("n", "flags", "#8064a2")]),
        "years": years, "rules": rules,
    }
    return Response.html(await datasette.render_template("nianbao_charts.html", context, request=request))
