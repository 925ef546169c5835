"""``/-/charts``: requests and outcomes by year (the reports that stand, with how many stand
behind each bar), the year-over-year change on agencies present in both years beside the plain
totals' change, flags by rule, and a map of coverage by county. Each chart is a Vega-Lite spec
drawn to SVG on the server by vl-convert (no script runs in the page); every bar or point links
to the reports behind it, and ``/-/charts/<chart>.csv`` gives the numbers of each chart for the
same filter.
"""

import asyncio
import functools
import json
import re
from urllib.parse import urlencode

from extractors.divisions import by_code
from ...trends import MEASURES, changes, yearly
from . import BadParameter, csv_response, filters, kept, parameter, site_base

_FILTERS = ("province", "city", "region", "level", "era", "agency", "agency_kind")
_PLACE_FILTERS = ("province", "city", "region", "level")  # the filters the coverage map (agencies) takes
_COLOURS = {"new_received": "#4a7ebb", "granted": "#5aa05a", "denied": "#c0504d", "unable": "#d9a441"}
CHARTS = ("requests", "flags", "coverage")
# Text is measured in the generic family: naming the CJK families makes vl-convert resolve
# them for every label (150 ms more a chart); the page's stylesheet draws the labels in them.
_FONT = "sans-serif"


def number(value):
    """A figure as printed: whole numbers in full (no exponent), others to two decimals."""
    if value is None:
        return "no data"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _plural(n):
    return f"{n} report" + ("" if n == 1 else "s")


@functools.lru_cache(maxsize=256)
def _svg(spec_json):
    import vl_convert

    return vl_convert.vegalite_to_svg(json.loads(spec_json))


async def draw(spec):
    """A Vega-Lite spec as SVG markup (drawn off the event loop; the same spec is drawn once)."""
    spec = dict(spec, **{"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
                         "config": {"font": _FONT, "view": {"stroke": None}}})
    svg = await asyncio.to_thread(_svg, json.dumps(spec, ensure_ascii=False, sort_keys=True))
    return re.sub(r"<\?xml[^>]*>", "", svg)


def requests_rows(totals, base, params):
    """One row per year and measure: the sum, how many reports carry it, the link to them."""
    rows = []
    for total in totals:
        for measure, name in MEASURES:
            value = total.sums[measure]
            rows.append({"year": total.year, "measure": measure, "name": name, "value": value,
                         "reports": total.counts[measure], "reports_of_year": total.reports,
                         "label": f"{number(value)} · {_plural(total.counts[measure])}" if value is not None else "no data",
                         "url": f"{base}/-/charts/reports?{urlencode(dict(params, year=total.year))}"})
    return rows


def requests_spec(rows):
    """Grouped bars: a band per year, a bar per figure within it, labelled with its sum and
    reports. One view, not a facet per year: Vega lays a facet out as a chart of its own
    (230 ms a page against 30)."""
    drawn = [r for r in rows if r["value"] is not None]
    order = [n for _, n in MEASURES]
    y = {"field": "year", "type": "ordinal", "title": None, "sort": "ascending", "axis": {"labelFontWeight": "bold"}}
    offset = {"field": "name", "type": "nominal", "sort": order}
    return {
        "data": {"values": drawn}, "width": 560,
        "height": {"step": 16},  # a bar's (with yOffset the step is the offset band's)
        "encoding": {"y": y, "yOffset": offset,
                     "x": {"field": "value", "type": "quantitative", "title": "申请数 requests"}},
        "layer": [
            {"mark": {"type": "bar", "cursor": "pointer"},
             "encoding": {"color": {"field": "name", "type": "nominal", "title": None, "legend": {"orient": "top"},
                                    "scale": {"domain": order, "range": [_COLOURS[m] for m, _ in MEASURES]}},
                          "href": {"field": "url"},
                          "tooltip": [{"field": "year"}, {"field": "name"}, {"field": "value"}, {"field": "reports"}]}},
            {"mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 10}, "encoding": {"text": {"field": "label"}}}],
    }


def flags_spec(rules):
    return {
        "data": {"values": rules}, "width": 480, "height": {"step": 18},
        "layer": [
            {"mark": {"type": "bar", "color": "#8064a2", "cursor": "pointer"},
             "encoding": {"y": {"field": "rule", "type": "nominal", "sort": "-x", "title": None},
                          "x": {"field": "n", "type": "quantitative", "title": "标记数 flags"},
                          "href": {"field": "url"}, "tooltip": [{"field": "rule"}, {"field": "zh"}, {"field": "n"},
                                                                 {"field": "reports"}]}},
            {"mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 10},
             "encoding": {"y": {"field": "rule", "type": "nominal", "sort": "-x"}, "x": {"field": "n", "type": "quantitative"},
                          "text": {"field": "label"}}}],
    }


def coverage_spec(places):
    return {
        "data": {"values": places}, "width": 560, "height": 460,
        "projection": {"type": "mercator"},
        "mark": {"type": "circle", "opacity": 0.8, "stroke": "#333", "strokeWidth": 0.5, "cursor": "pointer"},
        "encoding": {"longitude": {"field": "longitude", "type": "quantitative"},
                     "latitude": {"field": "latitude", "type": "quantitative"},
                     "size": {"field": "expected", "type": "quantitative", "title": "应有机关年度 agency-years due"},
                     "color": {"field": "published_percent", "type": "quantitative", "title": "已发布 % published",
                               "scale": {"domain": [0, 100], "scheme": "redyellowgreen"}},
                     "href": {"field": "url"},
                     "tooltip": [{"field": "region"}, {"field": "expected"}, {"field": "published"}, {"field": "missing"},
                                 {"field": "unknown"}]},
    }


async def _data(datasette, request):
    """The rows behind every chart for the request's filter."""
    db = datasette.get_database()
    where, params = filters(request, _FILTERS, "r")
    clause = ("AND " + " AND ".join(where)) if where else ""
    base = site_base(request)
    measures = ", ".join(m for m, _ in MEASURES)
    numbers = [dict(r) for r in (await db.execute(
        f"SELECT r.agency_id, r.year, {measures} FROM report_numbers r WHERE r.year IS NOT NULL {clause}", params)).rows]
    rules = [dict(r, label=f"{r['n']} flags · {_plural(r['reports'])}", url=f"{base}/-/rule/{r['rule']}")
             for r in (await db.execute(
                 f"SELECT f.rule, u.zh, count(*) AS n, count(DISTINCT f.report_id) AS reports FROM flags f "
                 f"JOIN reports r ON r.report_id = f.report_id LEFT JOIN rules u ON u.id = f.rule "
                 f"WHERE coalesce(r.is_current, 1) = 1 {clause} GROUP BY f.rule ORDER BY n DESC", params)).rows]
    place, place_params = filters(request, _PLACE_FILTERS, "g")
    if parameter(request, "agency_kind"):
        place.append("g.kind = :agency_kind")
        place_params["agency_kind"] = params["agency_kind"]
    places = []
    for row in (await db.execute(
            "SELECT g.division_code, g.region, count(*) AS expected, sum(y.status = 'published') AS published, "
            "sum(y.status = 'missing') AS missing, sum(y.status = 'unknown') AS unknown FROM agency_years y "
            "JOIN agencies g ON g.agency_id = y.agency_id WHERE g.division_code IS NOT NULL "
            + "".join(f"AND {c} " for c in place) + "GROUP BY g.division_code, g.region", place_params)).rows:
        division = by_code(row["division_code"])
        if division is None or division.longitude is None:
            continue
        places.append(dict(row, longitude=division.longitude, latitude=division.latitude,
                           published_percent=round(100 * row["published"] / row["expected"], 1),
                           url=f"{base}/-/coverage?{urlencode({'region': row['region']})}" if row["region"] else None))
    return params, numbers, rules, places


async def charts(datasette, request):
    """``/-/charts`` for a filter (``?province=…&city=…&region=…&level=…&era=…&agency=…&agency_kind=…``)."""
    from datasette.utils.asgi import Response

    async def drawn_page():
        params, numbers, rules, places = await _data(datasette, request)
        totals = yearly(numbers)
        requests = requests_rows(totals, site_base(request), params)

        async def nothing():
            return ""

        drawn = await asyncio.gather(
            draw(requests_spec(requests)) if any(r["value"] is not None for r in requests) else nothing(),
            draw(flags_spec(rules)) if rules else nothing(), draw(coverage_spec(places)) if places else nothing())
        return {
            "filters": dict(params), "query": urlencode(params), "names": dict(MEASURES),
            "requests_chart": drawn[0], "flags_chart": drawn[1], "coverage_chart": drawn[2],
            "changes": changes(numbers), "totals": totals, "rules": rules, "places": places,
            "no_data_years": [t for t in totals if all(v is None for v in t.sums.values())],
        }

    context = await kept(datasette.get_database(), ("charts", site_base(request), request.query_string), drawn_page)
    return Response.html(await datasette.render_template("nianbao_charts.html", dict(context, number=number),
                                                         request=request))


async def chart_csv(datasette, request):
    """``/-/charts/<chart>.csv``: the numbers one chart draws, for the same filter (``?bom=1`` for Excel)."""
    chart = request.url_vars["chart"]
    if chart not in CHARTS:
        raise BadParameter(f"no chart {chart!r}; charts: {', '.join(CHARTS)}")
    params, numbers, rules, places = await _data(datasette, request)
    if chart == "requests":
        rows = requests_rows(yearly(numbers), site_base(request), params)
        columns = ("year", "measure", "name", "value", "reports", "reports_of_year", "url")
    elif chart == "flags":
        rows, columns = rules, ("rule", "zh", "n", "reports", "url")
    else:
        rows = places
        columns = ("division_code", "region", "longitude", "latitude", "expected", "published", "missing", "unknown",
                   "published_percent", "url")
    return csv_response(rows, columns, f"nianbao-{chart}.csv", request)


async def chart_reports(datasette, request):
    """``/-/charts/reports?year=…&<filter>``: where a bar leads, the reports it sums, in the
    wide view (one row per report with its key numbers)."""
    from datasette.utils.asgi import Response

    db = datasette.get_database()
    _, params = filters(request, _FILTERS + ("year",), "r")
    return Response.redirect(f"{datasette.urls.table(db.name, 'report_numbers')}?{urlencode(params)}")
