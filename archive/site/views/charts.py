"""``/-/charts``: requests and outcomes by year and flags by rule, as inline SVG (no script)."""

import html


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
