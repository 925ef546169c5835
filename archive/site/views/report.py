"""``/-/report/<id>``: the three statutory tables in their official layout, flagged cells marked;
``/-/capture/<id>``: the archived bytes of a capture.

Everything shown comes from the archive's rows; text from government sites is only ever
rendered escaped (Jinja autoescape), and captures are served as plain text, never as HTML.
"""

import json
import os

from extractors import spec

T4_HEAD = [(label, len(groups) * len(spec.T4_COLUMNS)) for label, groups in spec.T4_HEADINGS]


def _cell_map(cells):
    return {c["code"]: c for c in cells}


def _row(label, codes, cells, flagged):
    out = []
    for code in codes:
        cell = cells.get(code)
        out.append({
            "code": code, "text": "" if cell is None else (cell["raw"] or ""),
            "value": None if cell is None else cell["value"],
            "semantic": "missing" if cell is None else cell["semantic"],
            "flags": flagged.get(code, []),
        })
    return {"label": label, "cells": out}


def layout(report, cells, flags):
    """The tables of a report as rows of labelled cells, each with the flags that read it."""
    cells = _cell_map(cells)
    flagged = {}
    for flag in flags:
        for code in json.loads(flag["cells"] or "[]"):
            flagged.setdefault(code.split(":")[-1], []).append(flag)
    era = report["era"] if report["era"] in ("f2019", "f2021") else "f2021"
    table2 = []
    for row in spec.T2_ROWS:
        columns = row.columns.get(era)
        if columns:
            table2.append(dict(_row(row.label, [f"table2.{row.code}.{c}" for c in columns], cells, flagged),
                               headers=[spec.T2_COLUMN_LABELS[c] for c in columns]))
    table3 = [_row(row.label, [f"table3.{row.code}.{c}" for c in spec.T3_COLUMNS], cells, flagged)
              for row in spec.T3_ROWS if era in row.eras]
    table4 = _row("", list(spec.T4_CODES), cells, flagged)
    extras = [c for code, c in cells.items() if code.startswith("extra.")]
    return {"table2": table2, "table3": table3, "table4": table4, "extras": extras,
            "t3_columns": [spec.T3_COLUMN_LABELS[c] for c in spec.T3_COLUMNS],
            "t4_columns": [spec.T4_COLUMN_LABELS[c] for c in spec.T4_COLUMNS] * 3, "t4_head": T4_HEAD}


async def report_page(datasette, request):
    """``/-/report/<report_id>``: one report, its tables, flags, sources and versions."""
    from datasette.utils.asgi import NotFound, Response

    rid = request.url_vars["report_id"]
    db = datasette.get_database()
    report = (await db.execute("SELECT * FROM reports WHERE report_id = ?", [rid])).first()
    if report is None:
        raise NotFound("no such report")
    report = dict(report)
    cells = [dict(r) for r in (await db.execute("SELECT * FROM cells WHERE report_id = ?", [rid])).rows]
    flags = [dict(r) for r in (await db.execute(
        "SELECT f.*, r.zh, r.en FROM flags f LEFT JOIN rules r ON r.id = f.rule WHERE f.report_id = ? "
        "ORDER BY CASE f.severity WHEN 'ERROR' THEN 0 WHEN 'WARN' THEN 1 ELSE 2 END, f.rule", [rid])).rows]
    versions = []
    if report.get("url"):
        versions = [dict(r) for r in (await db.execute(
            "SELECT report_id, version, fetched_at FROM reports WHERE url = ? ORDER BY version", [report["url"]])).rows]
    changes = []
    if report.get("previous_id"):
        before = {r["code"]: r["value"] for r in (await db.execute(
            "SELECT code, value FROM cells WHERE report_id = ?", [report["previous_id"]])).rows}
        changes = [{"code": c["code"], "label": spec.label_of(c["code"]), "before": before.get(c["code"]), "after": c["value"]}
                   for c in cells if before.get(c["code"]) != c["value"]]
    context = {"report": report, "flags": flags, "versions": versions, "changes": changes,
               "database": db.name, **layout(report, cells, flags)}
    return Response.html(await datasette.render_template("nianbao_report.html", context, request=request))


async def capture_view(datasette, request):
    """``/-/capture/<capture_id>``: the archived bytes from the WARC file, as plain text or as a
    download; never rendered as HTML (pages from government sites may carry scripts)."""
    from datasette.utils.asgi import NotFound, Response
    from warcio.archiveiterator import ArchiveIterator

    db = datasette.get_database()
    capture = (await db.execute("SELECT * FROM captures WHERE capture_id = ?", [request.url_vars["capture_id"]])).first()
    warc_dir = datasette.plugin_config("nianbao", database=db.name) or {}
    folder = warc_dir.get("warc_dir") or os.path.join(os.path.dirname(db.path or "."), "warc")
    if capture is None or not capture["warc_file"]:
        raise NotFound("no archived bytes for this capture")
    path = os.path.join(folder, os.path.basename(capture["warc_file"]))
    if not os.path.exists(path):
        raise NotFound("the WARC file is not on this server")
    with open(path, "rb") as f:
        f.seek(capture["warc_offset"])
        body = next(iter(ArchiveIterator(f))).content_stream().read()
    headers = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox; default-src 'none'"}
    if capture["encoding"]:
        return Response(body.decode(capture["encoding"], "replace"), content_type="text/plain; charset=utf-8", headers=headers)
    headers["Content-Disposition"] = f'attachment; filename="capture-{capture["capture_id"]}"'
    return Response(body, content_type="application/octet-stream", headers=headers)
