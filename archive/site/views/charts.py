"""``/-/charts``: requests and outcomes by year (current reports only, with how many stand
behind each bar), the year-over-year change on agencies present in both years next to the plain
totals' change, and flags by rule, as inline SVG (no script)."""

import html

from ...trends import MEASURES, changes, yearly
from . import filters

_FILTERS = ("province", "city", "region", "level", "era", "agency", "agency_kind")
_COLOURS = {"new_received": "#4a7ebb", "granted": "#5aa05a", "denied": "#c0504d", "unable": "#d9a441"}


def number(value):
    """A figure as printed: whole numbers in full (no exponent), others to two decimals."""
    if value is None:
        return "no data"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _plural(n):
    return f"{n} report" + ("" if n == 1 else "s")


def _year_bars(totals, width=720, bar=18):
    """One group of bars per year; a bar's label says how many reports it sums; a year whose
    reports carry no such figure (the pre-2019 format) says so instead of drawing 0."""
    peak = max([v for t in totals for v in t.sums.values() if v is not None] + [1])
    height = sum((bar * len(MEASURES) if any(v is not None for v in t.sums.values()) else bar) + 10 for t in totals) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">']
    y = 10
    for total in totals:
        parts.append(f'<text x="0" y="{y + bar - 4}" font-size="12">{total.year} ({_plural(total.reports)})</text>')
        if all(v is None for v in total.sums.values()):
            parts.append(f'<text x="150" y="{y + bar - 4}" font-size="11" fill="#666">no data: these reports have '
                         f'no comparable statistics (无可比数据)</text>')
            y += bar + 10
            continue
        for measure, name in MEASURES:
            value, count = total.sums[measure], total.counts[measure]
            if value is None:
                parts.append(f'<text x="150" y="{y + bar - 6}" font-size="11" fill="#666">{html.escape(name)}: no data</text>')
            else:
                length = int((width - 330) * value / peak)
                label = f"{name}: {number(value)} · {_plural(count)}"
                parts.append(f'<rect x="150" y="{y}" width="{length}" height="{bar - 4}" fill="{_COLOURS[measure]}">'
                             f'<title>{html.escape(label)}</title></rect>'
                             f'<text x="{154 + length}" y="{y + bar - 6}" font-size="11">{html.escape(label)}</text>')
            y += bar
        y += 10
    parts.append("</svg>")
    return "".join(parts)


def _rule_bars(rules, width=640, bar=18):
    peak = max([r["n"] for r in rules] + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{len(rules) * (bar + 4) + 10}" role="img">']
    for n, rule in enumerate(rules):
        y = 10 + n * (bar + 4)
        length = int((width - 260) * rule["n"] / peak)
        label = f"{rule['n']} flags · {_plural(rule['reports'])}"
        parts.append(f'<text x="0" y="{y + bar - 6}" font-size="12">{html.escape(rule["rule"])}</text>'
                     f'<rect x="120" y="{y}" width="{length}" height="{bar - 4}" fill="#8064a2"><title>{html.escape(label)}</title></rect>'
                     f'<text x="{124 + length}" y="{y + bar - 6}" font-size="11">{html.escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


async def charts(datasette, request):
    """``/-/charts`` for a filter (``?province=…&city=…&level=…&era=…&agency=…&agency_kind=…``)."""
    from datasette.utils.asgi import Response

    db = datasette.get_database()
    where, params = filters(request, _FILTERS, "r")
    clause = ("AND " + " AND ".join(where)) if where else ""
    measures = ", ".join(m for m, _ in MEASURES)
    rows = [dict(r) for r in (await db.execute(
        f"SELECT r.agency_id, r.year, {measures} FROM report_numbers r WHERE r.year IS NOT NULL {clause}", params)).rows]
    rules = [dict(r) for r in (await db.execute(
        f"SELECT f.rule, count(*) AS n, count(DISTINCT f.report_id) AS reports FROM flags f "
        f"JOIN reports r ON r.report_id = f.report_id WHERE coalesce(r.is_current, 1) = 1 {clause} "
        f"GROUP BY f.rule ORDER BY n DESC", params)).rows]
    totals = yearly(rows)
    context = {
        "filters": dict(params),
        "requests_chart": _year_bars(totals),
        "changes": changes(rows),
        "names": dict(MEASURES), "number": number,
        "flags_chart": _rule_bars(rules),
        "totals": totals, "rules": rules,
    }
    return Response.html(await datasette.render_template("nianbao_charts.html", context, request=request))
