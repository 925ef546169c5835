"""A county portal whose agencies change over the years: the ground truth of agency-years.

Drawn per seed: the county, which department is renamed (and the year, and how the report says
so), which report is corrected (the title form of its 更正, the number changed, and whether it
goes to a new URL), whose report of the last year never appears, and which report is taken down
between two crawls. The township column announces its total and, in the second phase, walls one
of its pages, so its gaps are ``unknown``, not ``missing``. ``site.phase`` is ``"before"`` (the
crawl before the last year's deadline) or ``"after"``.
"""

import hashlib
import random
import re
from dataclasses import dataclass, field

from .server import Response, Site, html
from .sites import generated_body, page

# Counties with their GB/T 2260 codes, written down from the standard (not from our gazetteer).
COUNTIES = [
    ("湖南省", "永州市", "蓝山县", "431127"),
    ("甘肃省", "白银市", "靖远县", "620421"),
    ("广东省", "深圳市", "龙岗区", "440307"),
    ("湖北省", "武汉市", "江岸区", "420102"),
    ("福建省", "南平市", "建阳区", "350703"),
    ("河北省", "邯郸市", "馆陶县", "130433"),
    ("浙江省", "杭州市", "余杭区", "330110"),
    ("四川省", "成都市", "金牛区", "510106"),
]
RENAMES = [("林业局", "林业和草原局"), ("卫生和计划生育局", "卫生健康局"), ("环境保护局", "生态环境局"),
           ("国土资源局", "自然资源局"), ("农业局", "农业农村局")]
DEPARTMENTS = ["教育局", "财政局", "民政局", "司法局", "交通运输局", "商务局", "审计局", "统计局"]
TOWNS = ["城关镇", "新城镇", "河口乡", "东风街道", "太平镇", "石桥乡"]
CORRECTION_FORMS = ["（更正）", "（更正版）", "（修订版）", "(更正)", "【更正】"]
YEARS = (2020, 2021, 2022, 2023)


@dataclass
class Published:
    """One report on the site, and what the archive must make of it."""

    key: str
    unit: str  # expected agency: role within the county ("人民政府", "教育局", "城关镇人民政府")
    year: int
    title: str
    published: str
    body: str
    column: str  # depts | towns
    values: dict = field(default_factory=dict)
    corrects: str = None  # key of the report this one corrects
    removed_after: bool = False  # taken down before the second crawl
    path: str = ""


SYNTHETIC = "<p>（演示数据：本报告由 nianbao 的测试程序生成，机关真实、数字虚构。Synthetic demo data: a real agency's name, invented numbers.）</p>"
# Largest count of a table 三 result row, by the kind of body publishing (a county department
# answers a few requests a year, its government some dozens): the demo's realistic scale.
SCALES = {"depts": 3, "towns": 2, "government": 12}


def site_agencies(seed=1, chained=False, synthetic=False, identity_break=False):
    """The county portal of ``seed``. ``chained``: each agency's years continue one another
    (carry-over and documents in force) at a realistic scale, so only what is planted raises a
    flag; ``synthetic``: every report says it is demo data; ``identity_break``: one report's
    total of new requests is printed wrong (an ERROR of the form's identities, SPEC §6.1)."""
    rng = random.Random(seed)
    province, city, county, code = rng.choice(COUNTIES)
    full = f"{province}{city}{county}"
    old_role, new_role = rng.choice(RENAMES)
    renamed_in = rng.choice((2021, 2022, 2023))
    rename_form = rng.choice(("title", "text", "text-generic"))
    departments = rng.sample(DEPARTMENTS, 3)
    towns = rng.sample(TOWNS, 2)
    reports = []

    last = {}  # unit -> the numbers of its latest report (chained sites continue them)

    def add(unit, year, name, column, month_day, **extra):
        key = f"ag-{len(reports)}"
        if chained:
            scale = SCALES["government" if unit == "人民政府" else column]
            body, values = generated_body(seed * 10000 + len(reports), year, with_values=True, previous=last.get(unit),
                                          agency=name or extra["title"].split(str(year))[0], scale=scale,
                                          no_rulemaking=True)
            last[unit] = values
        else:
            body, values = generated_body(seed * 10000 + len(reports), year, with_values=True)
        if synthetic:
            body = SYNTHETIC + body
        title = extra.pop("title", None) or f"{name}{year}年政府信息公开工作年度报告"
        r = Published(key, unit, year, title, f"{year + 1}-{month_day}", body, column, values, **extra)
        reports.append(r)
        return r

    # The government's report: its office publishes it in some years, under the office's name.
    office_years = set(rng.sample(YEARS, rng.randint(1, 2)))
    for year in YEARS:
        name = f"{full}人民政府办公室" if year in office_years else f"{full}人民政府"
        day = rng.randint(1, 28)
        # In the demo, an office publishing for its government keeps a department's deadline (31 Jan).
        add("人民政府", year, name, "depts", f"{'01' if chained and year in office_years else '03'}-{day:02d}")
    for dept in departments:
        for year in YEARS:
            short = rng.random() < 0.3  # some titles name only the county
            add(dept, year, f"{county if short else full}{dept}", "depts", f"01-{rng.randint(5, 28):02d}")
    # The renamed department: its old name before the reform, the new one after, saying so.
    for year in YEARS:
        if year < renamed_in:
            add(new_role, year, f"{full}{old_role}", "depts", f"01-{rng.randint(5, 28):02d}")
        elif year == renamed_in and rename_form == "title":
            add(new_role, year, None, "depts", f"01-{rng.randint(5, 28):02d}",
                title=f"{full}{new_role}（原{county}{old_role}）{year}年政府信息公开工作年度报告")
        else:
            r = add(new_role, year, f"{full}{new_role}", "depts", f"01-{rng.randint(5, 28):02d}")
            if year == renamed_in:
                place = county[-1] if rename_form == "text-generic" else county  # 原县林业局更名为县林业和草原局
                r.body = f"<p>{year}年机构改革中，原{place}{old_role}更名为{place}{new_role}。</p>" + r.body
    for town in towns:
        for year in YEARS:
            name = f"{town}人民政府" if not town.endswith("街道") else f"{town}办事处"
            add(name if not town.endswith("街道") else f"{town}办事处", year, name, "towns", f"03-{rng.randint(1, 28):02d}")
    # One department never publishes the last year's report; one township neither (its column is walled).
    absent_dept = rng.choice(departments)
    absent_town = rng.choice(towns)
    reports = [r for r in reports if not (r.year == YEARS[-1] and r.unit in (absent_dept, _town_unit(absent_town)))]
    # A correction of one department's report, with one number changed, at a new URL.
    code_changed = "table3.new_received.total"
    candidates = [r for r in reports if r.column == "depts" and r.unit in departments and r.year < YEARS[-1]]
    rng.shuffle(candidates)
    for original in candidates:
        corrected_values = dict(original.values)
        corrected_values[code_changed] = original.values[code_changed] + rng.randint(1, 9)
        body = _with_value(original.body, original.values[code_changed], corrected_values[code_changed])
        if body:
            break
    if chained:
        # What happens in life: the report went out with a wrong total (an identity break), and
        # the correction prints the right one.
        body, original.body = original.body, body
        corrected_values, original.values = original.values, corrected_values
    corrected = Published(f"ag-{len(reports)}", original.unit, original.year,
                          original.title + rng.choice(CORRECTION_FORMS), _later(original.published, rng.randint(3, 20)),
                          body, "depts", corrected_values, corrects=original.key)
    reports.append(corrected)
    # A report taken down before the second crawl: archived by the first, still published.
    removed = rng.choice([r for r in reports if r.column == "depts" and r.year == YEARS[1] and not r.corrects
                          and r is not original])
    removed.removed_after = True
    # A listed report whose page fails in the second crawl: the list holds it, so its year is not
    # missing, only unknown.
    broken = rng.choice([r for r in reports if r.column == "depts" and r.year == YEARS[-1] and r.unit in departments])

    planted = None
    if identity_break:
        for r in [r for r in reports if r.column == "depts" and r.unit in departments and r.year == YEARS[-2]
                  and r is not original and r is not removed and not r.corrects]:
            wrong = _with_value(r.body, r.values[code_changed], r.values[code_changed] + 7)
            if wrong:
                r.body, planted = wrong, r.key
                break
    truth = {"identity_break": planted, "county": full, "code": code, "renamed": (f"{full}{old_role}", new_role, renamed_in, rename_form),
             "office_years": sorted(office_years), "departments": departments, "towns": [_town_unit(t) for t in towns],
             "absent": {"depts": absent_dept, "towns": _town_unit(absent_town)},
             "corrected": {"original": original.key, "correction": corrected.key, "code": code_changed,
                           "before": original.values[code_changed], "after": corrected_values[code_changed]},
             "removed": removed.key, "broken": broken.key}
    site = Site("agencies", None)
    site.phase = "before"
    site.reports, site.truth, site.county = reports, truth, county
    for n, r in enumerate(reports):
        ymd = r.published.replace("-", "")
        r.path = f"/zwgk/{r.column}/{ymd[:6]}/t{ymd}_{5100000 + n}.html"
    site.broken_path = broken.path
    site.route = lambda request: _route(site, request)
    return site


def _town_unit(town):
    return f"{town}办事处" if town.endswith("街道") else f"{town}人民政府"


def _later(iso, days):
    year, month, day = (int(x) for x in iso.split("-"))
    day += days
    if day > 28:
        month, day = month + 1, day - 28
    return f"{year}-{month:02d}-{day:02d}"


def _with_value(body, before, after):
    """The body with the total of new requests changed (the last cell, 总计, of the row
    一、本年新收政府信息公开申请数量), or None when the body has no such HTML row."""
    start = body.find("本年新收")
    end = body.find("</tr>", start)
    numbers = list(re.finditer(r">\s*([\d,]+)\s*<", body[start:end])) if start >= 0 and end >= 0 else []
    if not numbers or int(numbers[-1].group(1).replace(",", "")) != before:
        return None  # drawn in another layout (a text table, an image): correct another report
    row, last = body[start:end], numbers[-1]
    return body[:start] + row[:last.start()] + f">{after}<" + row[last.end():] + body[end:]


def visible(site):
    """The reports the site shows in its current phase, newest first."""
    shown = [r for r in site.reports if not (r.removed_after and site.phase == "after")]
    if site.phase == "before":
        # Before the last year's deadlines: that year's reports are not out yet.
        shown = [r for r in shown if r.year < YEARS[-1]]
    return sorted(shown, key=lambda r: r.published, reverse=True)


def _list_pages(site, column, size=6):
    entries = [r for r in visible(site) if r.column == column]
    pages = [entries[i:i + size] for i in range(0, len(entries), size)] or [[]]
    out = {}
    for p, items in enumerate(pages):
        lis = "".join(f'<li><a href="{r.path}" title="{r.title}">{r.title}</a><span>{r.published}</span></li>'
                      for r in items)
        script = ('<script>function createPageHTML(n,c,s,e){for(var i=0;i<n;i++){document.write("<a href=\\""'
                  f'+(i==0?s+"."+e:s+"_"+i+"."+e)+"\\">"+(i+1)+"</a>");}}}}createPageHTML({len(pages)}, {p}, "index", "html");'
                  '</script>')
        body = (f'<div class="list"><ul class="list">{lis}</ul></div>'
                f'<div class="page">共{len(entries)}条 {script}</div>')
        name = "index.html" if p == 0 else f"index_{p}.html"
        out[f"/zwgk/{column}/{name}"] = page("政府信息公开年报", body, meta={"ColumnName": "政府信息公开年报"},
                                             crumb="首页 >> 政务公开 >> 政府信息公开年报")
    return out


def _route(site, request):
    routes = {**_list_pages(site, "depts"), **_list_pages(site, "towns")}
    if site.phase == "after" and "/zwgk/towns/index_1.html" in routes:
        routes.pop("/zwgk/towns/index_1.html")
        if request.path == "/zwgk/towns/index_1.html":
            return html("<html><body>服务器繁忙，请稍后再试</body></html>", 503)
    for r in visible(site):
        meta = {"ArticleTitle": r.title, "PubDate": r.published, "ColumnName": "政府信息公开年报"}
        routes[r.path] = page(r.title, f'<h1 class="title">{r.title}</h1><div class="info">发布时间：{r.published}</div>'
                                       f'<div class="TRS_Editor"><p>{r.title}</p>{r.body}</div>', meta=meta)
    routes["/"] = page(f"{site.county}人民政府", '<div><a href="/zwgk/">政务公开</a></div>')
    routes["/zwgk/"] = page("政务公开", '<ul><li><a href="/zwgk/depts/index.html">政府信息公开年报</a></li>'
                                      '<li><a href="/zwgk/towns/index.html">乡镇政府信息公开年报</a></li></ul>')
    if site.phase == "after" and request.path == site.broken_path:
        return html("<html><body><h1>500 Internal Server Error</h1></body></html>", 500)
    content = routes.get(request.path)
    if content is None:
        return html("<html><body><h1>404 Not Found</h1></body></html>", 404)
    etag = '"' + hashlib.md5(content.encode()).hexdigest() + '"'
    if request.headers.get("if-none-match") == etag:
        return Response(304, b"", [("ETag", etag)])
    return html(content, headers=[("ETag", etag)])
