"""Imitation sites for every list mechanism, their parameters drawn at random per seed from what
real sites vary (SITES.md §2.1-§2.8): page and group sizes, proxy paths, 0- or 1-based numbering,
argument orders, API page sizes, overlapping groups, announced pages that 404, lists longer than
one group or API page, item markup. Plus a script-only portal (its list and pages exist only
through its own script) and a walled list (Ruishu 412 on its third page).

Each site's manifest lists its genuine reports, its decoys, and the lists a crawl must record
(``expected_lists``: path, whether it is complete, the total the site announces).
"""

import json
import random
import zlib
from urllib.parse import parse_qs

from .archetypes import _decoy_page, _detail, ruishu
from .server import Response, Site, html
from .sites import DECOY_TITLES, Manifest, Report, generated_body, page, pre2019_body

REGIONS = ["福建省南平市建阳区", "湖南省永州市蓝山县", "湖北省宜昌市夷陵区", "浙江省丽水市莲都区", "江苏省徐州市沛县",
           "广东省惠州市博罗县", "北京市怀柔区", "上海市闵行区", "安徽省亳州市利辛县", "甘肃省白银市靖远县",
           "四川省绵阳市三台县", "河北省邯郸市馆陶县", "江西省赣州市会昌县", "山东省潍坊市临朐县"]
UNITS = ["人民政府", "人民政府办公室", "发展和改革局", "教育局", "科学技术局", "公安局", "民政局", "司法局", "财政局",
         "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局",
         "商务局", "文化和旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局",
         "医疗保障局", "城市管理局", "林业局", "信访局", "城关镇人民政府", "东城街道办事处", "西城街道办事处",
         "南关镇人民政府", "北岭乡人民政府", "新华街道办事处", "高桥镇人民政府", "石门乡人民政府"]
COLUMN_LABELS = ["政府信息公开年报", "信息公开年报", "政府信息公开工作年度报告", "政府信息公开年度报告", "年报"]
COLUMN_PATHS = ["/zwgk/zfxxgk/zfxxgknb/", "/xxgk/xxgknb/", "/zfxxgkml/zfxxgkndbg/", "/gknb/", "/zwgk_918/xxgknb/"]
NEWS = ["关于开展{year}年度政务公开培训的通知", "我{short}召开政务公开工作推进会", "{region}{year}年国民经济和社会发展统计公报",
        "{region}{year}年部门预算公开", "关于{year}年度政府信息公开工作要点的通知", "{short}领导调研基层政务服务工作"]
TITLE_FORMS = ["{agency}{year}年政府信息公开工作年度报告", "{agency}{year}年度政府信息公开工作年度报告",
               "{year}年{agency}政府信息公开工作年度报告", "{agency}{year}年政府信息公开年度报告"]


class Entry:
    """One record of a list: a report, a decoy or a news item, with its detail page."""

    def __init__(self, kind, title, date, report=None):
        self.kind, self.title, self.date, self.report = kind, title, date, report
        self.path = ""


def draw_entries(rng, n, region, seed):
    """``n`` records, about half of them genuine reports of distinct agency-years."""
    pairs = [(u, y) for u in UNITS for y in range(2016, 2025)]
    rng.shuffle(pairs)
    short = region[-3:]
    out = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.5 and pairs:
            unit, year = pairs.pop()
            agency = f"{region}{unit}"
            published = f"{year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28):02d}"
            body = generated_body(seed * 7919 + i, year) if year >= 2019 else pre2019_body(agency, year, seed + i)
            title = rng.choice(TITLE_FORMS).format(agency=agency, year=year)
            report = Report(f"{seed}-{i}", agency, year, published, body, title=title)
            out.append(Entry("report", title, published, report))
        elif roll < 0.78:
            year = rng.randint(2019, 2024)
            title = rng.choice(DECOY_TITLES).format(year=year, agency=region)
            out.append(Entry("decoy", title, f"{year + 1}-02-{rng.randint(10, 28):02d}"))
        else:
            year = rng.randint(2019, 2024)
            title = rng.choice(NEWS).format(year=year, region=region, short=short)
            out.append(Entry("news", title, f"{year}-{rng.randint(1, 12):02d}-{rng.randint(10, 28):02d}"))
    out.sort(key=lambda e: e.date, reverse=True)
    if len(out) > 5:  # columns are out of order here and there (SITES.md §1.4)
        a, b = rng.sample(range(len(out)), 2)
        out[a], out[b] = out[b], out[a]
    return out


def detail_html(entry):
    if entry.kind == "report":
        return _detail(entry.report, 'class="TRS_Editor"')
    return _decoy_page(entry.title)


# -- list item markup: the shapes of SITES.md §2.1, §2.2, §2.4 ------------------------------------

SHAPES = ["ul_span", "ul_date_in_a", "table_spacer", "gl_list", "portal", "p_list", "li_b", "bracket"]


def item(shape, href, entry, quote_char='"'):
    title, date = entry.title, entry.date
    shown = title if len(title) <= 22 else title[:20] + "…"
    q = quote_char
    if shape == "ul_span":
        return f"<li><a href={q}{href}{q} title={q}{title}{q} target={q}_blank{q}>{shown}</a><span>{date}</span></li>"
    if shape == "ul_date_in_a":
        return f"<li><a href={q}{href}{q} title={q}{title}{q}>{shown}<span>{date}</span></a></li>"
    if shape == "table_spacer":
        return (f"<TR><TD><IMG src={q}/images/dot.gif{q}>&nbsp;<A href={q}{href}{q}>{title}</A></TD>"
                f"<TD width=60 align=right>{date}</TD></TR>")
    if shape == "gl_list":
        return f"<tr><td><img src={q}/images/d.gif{q}></td><td><a href={q}{href}{q}>{title}</a></td><td>{date}</td></tr>"
    if shape == "portal":
        return f"<li><img src={q}/images/p.png{q}><a href={q}{href}{q}><p>{title}</p></a><span>{date}</span></li>"
    if shape == "p_list":
        return f"<p class={q}lb-list{q}><a href={q}{href}{q} title={q}{title}{q}>{title}</a><span>{date}</span></p>"
    if shape == "li_b":
        return f"<li><a href={q}{href}{q}>{title}</a><b>{date}</b></li>"
    return f"<tr><td><a href={q}{href}{q}>{title}</a></td><td>[{date}]</td></tr>"


def wrap(shape, items):
    if shape in ("table_spacer", "gl_list", "bracket"):
        rows = []
        for n, row in enumerate(items):
            rows.append(row)
            if shape == "table_spacer" and n % 5 == 4:
                rows.append('<TR><TD colspan=2 class="GroupBlankLine"></TD></TR>')
        cls = "gl_list" if shape == "gl_list" else "list"
        return f'<table class="{cls}">{"".join(rows)}</table>'
    if shape == "p_list":
        return f'<div class="lb-box">{"".join(items)}</div>'
    return f'<div class="list"><ul class="list">{"".join(items)}</ul></div>'


SIDEBAR = ('<div class="side"><h3>相关栏目</h3><ul><li><a href="/zwgk/zfxxgk/zfxxgkzn/">政府信息公开指南</a></li>'
           '<li><a href="/zwgk/zfxxgk/zfxxgkzd/">政府信息公开制度</a></li><li><a href="/zwgk/zfxxgk/fdzdgknr/">法定主动公开内容</a></li>'
           '<li><a href="/hdjl/">互动交流</a></li></ul></div>')


def column_page(label, body, extra_head=""):
    return page(label, f'<div class="main">{SIDEBAR}<div class="content">{body}</div></div>', meta={"ColumnName": label},
                crumb=f"首页 > 政务公开 > {label}", extra_head=extra_head)


class VariantSite(Site):
    """A farm site with its manifest, its expected lists and the parameters it was drawn with."""

    def __init__(self, name, route, entries, params, expected_lists, unreachable=()):
        super().__init__(name, route)
        self.entries = entries
        self.params = params
        self.reports = [e.report for e in entries if e.kind == "report" and e not in unreachable]
        self.unreachable = [e.report for e in unreachable if e.kind == "report"]
        self.decoys = [{"title": e.title, "path": e.path} for e in entries if e.kind == "decoy"]
        self.expected_lists = expected_lists
        self.manifest = Manifest(name, f"{name}: {json.dumps(params, ensure_ascii=False)}")


def _router(routes, special=None):
    def route(request):
        if special is not None:
            answer = special(request)
            if answer is not None:
                return answer
        target = routes.get(request.path)
        if target is None:
            return html("<html><body><h1>404 Not Found</h1><p>您访问的页面不存在</p></body></html>", 404)
        if isinstance(target, Response):
            return target
        return html(target)
    return route


def _home(label, column_url, region):
    return page(f"{region}人民政府", f'<div class="nav"><a href="/xwzx/">新闻中心</a><a href="/zwgk/">政务公开</a></div>'
                                    f'<ul><li><a href="{column_url}">{label}</a></li></ul>')


def _place(entries, prefix, style="trs"):
    """Give every record a detail path (TRS ``./YYYYMM/tYYYYMMDD_id.html`` or another dialect)."""
    routes = {}
    for n, entry in enumerate(entries):
        ymd = entry.date.replace("-", "")
        if style == "trs":
            entry.path = f"{prefix}{ymd[:6]}/t{ymd}_{4187000 + n}.html"
        elif style == "art":
            entry.path = f"/art/{entry.date[:4]}/{int(entry.date[5:7])}/{int(entry.date[8:])}/art_{prefix}_{88300 + n}.html"
        else:
            entry.path = f"{prefix}{5840 + n}.html"
        if entry.kind == "report":
            entry.report.path = entry.path
        routes[entry.path] = detail_html(entry)
    return routes


# -- TRS static: the createPageHTML family and countPage ------------------------------------------

TRS_FORMS = ["classic", "beijing", "hubei", "hunan", "countpage"]


def trs_static_site(seed, walled=False):
    rng = random.Random(seed)
    region = rng.choice(REGIONS)
    form = rng.choice(["beijing", "hubei", "hunan"]) if walled else rng.choice(TRS_FORMS)
    ext = rng.choice(["html", "htm", "shtml"])
    per = rng.randint(5, 25)
    n = rng.randint(per * 3 + 1, per * 5) if walled else rng.choice([rng.randint(1, per), rng.randint(per + 1, 90)])
    shape = rng.choice(SHAPES)
    label, column = rng.choice(COLUMN_LABELS), rng.choice(COLUMN_PATHS)
    entries = draw_entries(rng, n, region, seed)
    routes = _place(entries, column)
    pages = max(1, -(-n // per))
    # Announced pages that 404: the intertid form (index_1 missing, page 2 at index_2) and a
    # page count one too high where the records are announced.
    quirk = None
    if not walled and form == "classic" and pages >= 3 and rng.random() < 0.4:
        quirk = "intertid"
    elif not walled and form in ("beijing", "hubei", "hunan") and rng.random() < 0.3:
        quirk = "extra_page"
    announced_pages = pages + 1 if quirk == "extra_page" else pages

    def name(p):  # the file of page p (1-based), as this site numbers them
        if p == 1:
            return f"index.{ext}"
        if form == "hunan" or quirk == "intertid":
            return f"index_{p}.{ext}"
        return f"index_{p - 1}.{ext}"

    def script(p):
        current = p if form == "hunan" else p - 1
        if form == "classic":
            return f'createPageHTML({announced_pages}, {current}, "index", "{ext}");'
        if form == "beijing":
            return f'createPageHTML({n}, {announced_pages}, {current}, "index", "{ext}");'
        if form == "hubei":
            return f'createPageHTML({announced_pages}, {current}, "index", "{ext}", "black2", {n});'
        if form == "hunan":
            return f"createPageHTML('paging', {announced_pages}, {current}, 'index', '{ext}', {n});"
        return f"var currentPage = {current}; var countPage = {announced_pages} //共多少页\n"

    definition = ('function createPageHTML(){var a=arguments;document.write("<div class=\\"page\\">"+a.length+"</div>");}'
                  if form != "countpage" else "")
    walled_page = 3 if walled else None
    unreachable = []
    for p in range(1, pages + 1):
        chunk = entries[(p - 1) * per:p * per]
        if p == walled_page:
            unreachable = chunk
        rows = [item(shape, "." + e.path[len(column) - 1:], e) for e in chunk]
        body = wrap(shape, rows) + f'<div class="pager"><script>{definition}{script(p)}</script></div>'
        routes[column + name(p)] = column_page(label, body)
    routes[column] = routes[column + f"index.{ext}"]
    routes["/"] = _home(label, column + f"index.{ext}", region)
    special = None
    if walled:
        blocked = column + name(walled_page)

        def special(request):
            return ruishu(request) if request.path == blocked else None
    announced = n if form in ("beijing", "hubei", "hunan") else None
    expected = [{"path": column + f"index.{ext}", "complete": 0 if walled else 1, "announced": announced,
                 "mechanism": "trs_static"}]
    if walled:
        expected[0]["failed_path"] = column + name(walled_page)
    params = {"mechanism": "trs_static", "form": form, "ext": ext, "per_page": per, "records": n, "shape": shape,
              "quirk": quirk, "walled_page": walled_page}
    return VariantSite("walled" if walled else "trs_static", _router(routes, special), entries, params, expected, unreachable)


# -- Hanweb jpage --------------------------------------------------------------------------------

PROXIES = ["/module/web/jpage/dataproxy.jsp", "/module/jslib/jquery/jpage/dataproxy.jsp", "/module/jpage/dataproxy.jsp",
           "/module/web/jpage/zfxxgkdataproxy.jsp"]


def jpage_site(seed):
    rng = random.Random(seed)
    region = rng.choice(REGIONS)
    per = rng.choice([8, 10, 14, 15, 18, 20, 25, 27])
    group_size = rng.randint(1, 5)
    group = per * group_size
    n = rng.choice([rng.randint(1, group), rng.randint(group + 1, max(group + 2, 150))])
    proxy = rng.choice(PROXIES)
    proxy_in_config = rng.random() < 0.6
    group_in_config = rng.random() < 0.7
    overlap = rng.random() < 0.6
    server = rng.choice(["startrecord", "startrecord", "page_only", "empty_proxy"])
    columnid, unitid = rng.randint(1229000000, 1229999999), rng.randint(4000000, 4999999)
    label = rng.choice(COLUMN_LABELS)
    entries = draw_entries(rng, n, region, seed)
    routes = _place(entries, str(columnid), "art")
    quote_char = rng.choice(['"', "'"])

    def record(entry, k):
        href = entry.path if k % 7 != 3 else "//{host}" + entry.path
        return f"<record><![CDATA[{item('ul_span', href, entry, quote_char)}]]></record>"

    column_url = f"/col/col{columnid}/index.html"

    def datastore(host, chunk, start):
        records = "".join(record(e, start + k) for k, e in enumerate(chunk)).replace("{host}", host)
        nextgroup = (f'<a href="{proxy}?page=1&appid=1&webid=1&path=/&columnid={columnid}&unitid={unitid}'
                     f'&webname=%E6%94%BF%E5%BA%9C&permissiontype=0"></a>')
        return (f'<div id="{unitid}"><script type="text/xml"><datastore><nextgroup><![CDATA[{nextgroup}]]></nextgroup>'
                f"<recordset>{records}</recordset></datastore></script></div>")

    def column(host, page_num=None):
        if page_num is None:
            chunk, start = entries[:group], 0
        else:  # server-side pages ?uid=&pageNum=N: perPage records each
            start = (page_num - 1) * per
            chunk = entries[start:start + per]
        config = [f"dataStore: null", f"totalRecord:{n}", f"perPage:{per}"]
        if proxy_in_config:
            config.append(f"proxyUrl:'{proxy}'")
        if group_in_config:
            config.append(f"groupSize:{group_size}")
        script = (f"<script>var param_{unitid} = {{col:1,appid:1,webid:1,path:'/',columnid:{columnid},sourceContentType:1,"
                  f"unitid:{unitid},webname:'政府',permissiontype:0}};"
                  f"$('#{unitid}').jpage({{ {', '.join(config)} }});</script>")
        return column_page(label, datastore(host, chunk, start) + script)

    def special(request):
        host = request.headers.get("host", "")
        if request.path == column_url:
            page_num = request.q("pageNum")
            return html(column(host, int(page_num) if page_num and page_num.isdigit() else None))
        if request.path == proxy:
            if server == "empty_proxy":
                return Response(200, b"", [("Content-Type", "text/xml; charset=UTF-8")])
            form = parse_qs(request.body.decode())
            if request.method == "POST" and form.get("columnid", [""])[0] != str(columnid):
                return Response(200, b"<datastore><totalrecord>0</totalrecord></datastore>", [("Content-Type", "text/xml")])
            perpage = int(request.q("perpage", str(per)) or per)
            if request.q("page") or server == "page_only":
                number = int(request.q("page", "1") or 1) if request.q("page") else 1
                start, end = (number - 1) * perpage + 1, number * perpage
            else:
                start, end = int(request.q("startrecord", "1")), int(request.q("endrecord", str(group)))
            lo = max(0, start - 2) if overlap and start > 1 else start - 1
            chunk = entries[lo:end]
            records = "".join(record(e, lo + k) for k, e in enumerate(chunk)).replace("{host}", host)
            xml = (f"<?xml version='1.0' encoding='UTF-8'?><datastore><totalrecord>{n}</totalrecord>"
                   f"<totalpage>{-(-n // per)}</totalpage><recordset>{records}</recordset></datastore>")
            return Response(200, xml.encode(), [("Content-Type", "text/xml; charset=UTF-8")])
        return None

    routes["/"] = _home(label, column_url, region)
    expected = [{"path": column_url, "complete": 1, "announced": n, "mechanism": "jpage"}]
    params = {"mechanism": "jpage", "per_page": per, "group_size": group_size, "records": n, "proxy": proxy,
              "proxy_in_config": proxy_in_config, "group_in_config": group_in_config, "overlap": overlap, "server": server}
    return VariantSite("jpage", _router(routes, special), entries, params, expected)


# -- Hanweb jpaas ----------------------------------------------------------------------------------

def jpaas_site(seed):
    rng = random.Random(seed)
    region = rng.choice(REGIONS)
    rows = rng.randint(8, 20)
    n = rng.choice([rng.randint(1, rows), rng.randint(rows + 1, 80)])
    shape = rng.choice(["p_list", "li_b", "bracket"])
    label = rng.choice(COLUMN_LABELS)
    entries = draw_entries(rng, n, region, seed)
    column_id = rng.randint(1229500000, 1229599999)
    routes = _place(entries, f"/col/col{column_id}/art/", "vsb")
    web_id, tpl = str(rng.randint(1000, 9999)), "o0YcVHHq5vWtr3uiCp4SY"
    column_url = f"/col/col{column_id}/index.html"

    def rows_html(host, number):
        chunk = entries[(number - 1) * rows:number * rows]
        return wrap(shape, [item(shape, f"//{host}{e.path}" if rng.random() < 0.5 else e.path, e) for e in chunk])

    def special(request):
        host = request.headers.get("host", "")
        if request.path == column_url:
            query = json.dumps({"webId": web_id, "pageId": str(column_id), "tagId": "信息列表", "tplSetId": tpl}).replace('"', "'")
            body = (rows_html(host, 1) + f'<div class="pagination" count="{n}" rows="{rows}" pageNo="1" '
                    f'queryData="{query}"></div>')
            return html(column_page(label, body))
        if request.path == "/api-gateway/jpaas-publish-server/front/page/build/unit":
            try:
                number = int(json.loads(request.q("paramJson", "{}")).get("pageNo", 1))
            except ValueError:
                number = 1  # a bare pageNo is ignored: page 1 again
            if request.q("pageId") != str(column_id):
                return Response(200, b'{"success":false}', [("Content-Type", "application/json")])
            data = {"success": True, "data": {"html": rows_html(host, number)}}
            return Response(200, json.dumps(data, ensure_ascii=False).encode(), [("Content-Type", "application/json;charset=UTF-8")])
        return None

    routes["/"] = _home(label, column_url, region)
    expected = [{"path": column_url, "complete": 1, "announced": n, "mechanism": "jpaas"}]
    params = {"mechanism": "jpaas", "rows": rows, "records": n, "shape": shape}
    return VariantSite("jpaas", _router(routes, special), entries, params, expected)


# -- Guangdong gkmlpt ------------------------------------------------------------------------------

def gkmlpt_site(seed):
    rng = random.Random(seed)
    region = rng.choice(REGIONS)
    size = rng.choice([10, 20, 50, 100])
    n = rng.choice([rng.randint(1, size), rng.randint(size + 1, min(250, size * 4))])
    extra_posts = rng.randint(0, 5)
    dept = rng.choice(["", "/gdszfb"])
    all_on_first = rng.random() < 0.2
    if all_on_first:
        size = max(size, n)
    sid, category = str(rng.randint(700000, 799999)), rng.randint(2000, 2999)
    entries = draw_entries(rng, n, region, seed)
    routes = {}
    articles = []
    for k, entry in enumerate(entries):
        post = 2155400 + k
        entry.path = f"{dept}/gkmlpt/content/2/2155/post_{post}.html"
        if entry.kind == "report":
            entry.report.path = entry.path
        routes[entry.path] = detail_html(entry)
        title = entry.title
        if rng.random() < 0.1:
            title = "".join(f"%u{ord(c):04X}" if ord(c) > 127 else c for c in title)
        article = {"id": post, "title": title, "url": "{base}" + entry.path, "post_url": "{base}" + entry.path,
                   "identifier": f"114403006955506492/{entry.date[:4]}-{k:05d}", "publisher": region, "attachment": []}
        if rng.random() < 0.5:
            article["created_at"] = entry.date + " 09:00:00"
        else:
            article["create_time"] = 1700000000 + k
        articles.append(article)
    tree = [{"id": category, "name": "政府信息公开年报", "post_count": n + extra_posts, "children": []},
            {"id": category + 1, "name": "规范性文件", "post_count": 3, "children": []},
            {"id": category + 2, "name": "部门文件", "jump_url": "http://127.0.0.1:9/gkmlpt/index", "children": []}]

    def special(request):
        base = "http://" + request.headers.get("host", "")
        if request.path == f"{dept}/gkmlpt/index":
            shell = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>政府信息公开</title></head><body><div id='app'></div>"
                     f"<script>window._CONFIG = {{ SID: '{sid}', TREE: {json.dumps(tree, ensure_ascii=False)}, SERVICE_AREA_ID: 1 }};"
                     "</script><script src='/gkmlpt/static/app.js'></script></body></html>")
            return html(shell)
        if request.path.startswith(f"{dept}/gkmlpt/api/all/"):
            cat = request.path.rsplit("/", 1)[-1]
            number = max(1, int(request.q("page", "1") or 1))  # page 0 and page 1 are the same
            if cat != str(category) or request.q("sid") != sid:
                return Response(200, json.dumps({"total": 0, "articles": []}).encode(), [("Content-Type", "application/json")])
            if all_on_first and number > 1:
                return Response(404, b'{"message":"not found"}', [("Content-Type", "application/json")])
            chunk = articles[(number - 1) * size:number * size]
            data = {"classify": {"post_count": n + extra_posts}, "total": n, "offset": (number - 1) * size, "articles": chunk}
            body = json.dumps(data, ensure_ascii=False).replace("{base}", base)
            return Response(200, body.encode(), [("Content-Type", "application/json;charset=UTF-8")])
        return None

    routes["/"] = page(f"{region}人民政府", f'<a href="{dept}/gkmlpt/index">政府信息公开目录</a>')
    expected = [{"path": f"{dept}/gkmlpt/index#{category}", "complete": 1, "announced": n, "mechanism": "gkmlpt"}]
    params = {"mechanism": "gkmlpt", "api_page_size": size, "records": n, "post_count": n + extra_posts, "dept": dept,
              "all_on_first": all_on_first}
    return VariantSite("gkmlpt", _router(routes, special), entries, params, expected)


# -- TRS 动静结合 (list2.trsapi) ----------------------------------------------------------------

def trs_list_api_site(seed):
    rng = random.Random(seed)
    region = rng.choice(REGIONS)
    prepage = rng.choice([10, 15, 20, 25])
    static_pages = rng.randint(1, 3)
    n = rng.choice([rng.randint(1, prepage * static_pages), rng.randint(prepage * static_pages + 1, 120)])
    in_model = rng.random() < 0.6
    reference = rng.random() < 0.5
    docs_key = rng.choice(["data", "docs"])
    label = rng.choice(COLUMN_LABELS)
    column = rng.choice(COLUMN_PATHS)
    entries = draw_entries(rng, n, region, seed)
    routes = _place(entries, column)
    channel, chnl = str(rng.randint(200000, 299999)), rng.randint(3000, 9999)
    shown = entries[:prepage * static_pages]
    rows = "".join(item("ul_span", "." + e.path[len(column) - 1:], e) for e in shown)
    template = ('<ul class="list" ms-controller="list"><li ms-repeat="docs"><a ms-attr-href="el.docpuburl" '
                'ms-attr-title="el.doctitle">{{el.doctitle}}</a><span>{{el.docreltime}}</span></li></ul>')
    channel_value = "SiteInfo.searchId" if reference else f'"{channel}"'
    args = (f'listArgs: {{channelid: {channel_value}, classsql: "chnlid={chnl}", sortfield: "-docorderpri,-docreltime"'
            + (', templet: "docs.jsp"' if docs_key == "docs" else "") + "}")
    pagebar = f"pagebar: {{prepage: {prepage}, recordCount: '{n}', pageSize: 5}}"
    site_info = f"var SiteInfo = {{siteId: '{rng.randint(1, 99)}', searchId: '{channel}', siteName: '{region}人民政府'}};"
    if in_model:
        script = f'{site_info}require(["list2.trsapi"], function(){{listModel({{quickMode: "动静结合", maxStaticIndex: {static_pages}, {args}, {pagebar}}});}});'
    else:
        script = (f"{site_info}var pageChnlInfo = {{quickMode: '动静结合', maxStaticIndex: {static_pages}, {args}, {pagebar}}};"
                  'require(["list2.trsapi"], function(){listModel(pageChnlInfo);});')
    body = f'<div class="list"><ul class="list">{rows}</ul></div>{template}<div id="pagebar"></div><script>{script}</script>'
    routes[column] = routes[column + "index.html"] = column_page(label, body)

    def special(request):
        if request.path == "/fjdzapp/search" and request.method == "POST":
            form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
            if form.get("channelid") != channel or form.get("classsql") != f"chnlid={chnl}":
                return Response(200, b'{"pageCount":0,"data":[]}', [("Content-Type", "application/json")])
            number, size = int(form.get("page", "1")), int(form.get("prepage", str(prepage)))
            chunk = entries[(number - 1) * size:number * size]
            host = request.headers.get("host", "")
            docs = [{"doctitle": e.title, "docpuburl": f"http://{host}{e.path}", "chnldocurl": f"http://{host}{e.path}",
                     "docreltime": e.date + " 10:00:00"} for e in chunk]
            key = "docs" if form.get("templet") == "docs.jsp" else "data"
            body = json.dumps({"pageCount": -(-n // size), "recordCount": n, key: docs}, ensure_ascii=False)
            return Response(200, body.encode(), [("Content-Type", "application/json;charset=UTF-8")])
        return None

    routes["/"] = _home(label, column, region)
    expected = [{"path": column, "complete": 1, "announced": n, "mechanism": "trs_list_api"}]
    params = {"mechanism": "trs_list_api", "prepage": prepage, "max_static_index": static_pages, "records": n,
              "in_list_model": in_model, "channel_reference": reference, "answer_key": docs_key}
    return VariantSite("trs_list_api", _router(routes, special), entries, params, expected)


# -- query-parameter lists with a script pager ------------------------------------------------------

def query_pages_site(seed):
    rng = random.Random(seed)
    region = rng.choice(REGIONS)
    param = rng.choice(["pageIndex", "page", "pageNo", "currentPage"])
    base = rng.choice([0, 1])
    per = rng.randint(5, 20)
    n = rng.choice([rng.randint(1, per), rng.randint(per + 1, 90)])
    announce = rng.choice(["pages", "records", "none"])
    beyond = rng.choice(["last_again", "empty"])
    label = rng.choice(COLUMN_LABELS)
    entries = draw_entries(rng, n, region, seed)
    routes = _place(entries, "/public/31/", "vsb")
    pages = max(1, -(-n // per))
    list_path = "/public/column/31"
    query = f"type=4&catId={rng.randint(4000000, 4999999)}&action=list&nav=3"

    def special(request):
        if request.path != list_path:
            return None
        try:
            number = int(request.q(param, str(base))) - base + 1
        except ValueError:
            number = 1
        if number > pages and beyond == "last_again":
            number = pages
        chunk = entries[(number - 1) * per:number * per] if number >= 1 else []
        rows = [f'<tr><td class="xh">{(number - 1) * per + k + 1}</td><td><a href="{e.path};jsessionid=ABC123" '
                f'title="{e.title}">{e.title}</a></td><td>{e.date}</td></tr>' for k, e in enumerate(chunk)]
        text = {"pages": f"共{pages}页", "records": f"共{n}条记录", "none": ""}[announce]
        pager = (f'<div class="page">{text} <a href="javascript:void(0)" onclick="go({number + 1})">下一页</a></div>'
                 f"<script>function go(n){{location.href='{list_path}?{query}&{param}='+(n-1+{base});}}</script>")
        return html(column_page(label, f'<table class="r_xh_b">{"".join(rows)}</table>{pager}'))

    first = f"{list_path}?{query}&{param}={base}"
    routes["/"] = _home(label, first, region)
    announced = n if announce == "records" else None
    expected = [{"path": first, "complete": 1 if announce != "none" else None, "announced": announced,
                 "mechanism": "query_pages"}]
    params = {"mechanism": "query_pages", "param": param, "base": base, "per_page": per, "records": n,
              "announce": announce, "beyond_last": beyond}
    return VariantSite("query_pages", _router(routes, special), entries, params, expected)


# -- pager links ---------------------------------------------------------------------------------

TEMPLATES = ["list_{n}.html", "index_{m}.htm", "column-index-{n}.shtml", "vsb", "?page={n}"]


def pager_links_site(seed, template=None, pager=None, announce=None, per=None, n=None):
    """Drawn at random, or with the given parameters (a long list paged by 下一页 only, say)."""
    rng = random.Random(seed)
    region = rng.choice(REGIONS)
    template = template or rng.choice(TEMPLATES)
    pager = pager or rng.choice(["next", "next_last", "numbers"])
    announce = rng.random() < 0.4 if announce is None else announce
    per = per or rng.randint(5, 20)
    n = n or rng.randint(per + 1, 90)
    label = rng.choice(COLUMN_LABELS)
    column = "/gknb/" if template != "vsb" else "/xxgk/"
    entries = draw_entries(rng, n, region, seed)
    routes = _place(entries, column)
    pages = -(-n // per)

    def url(p):
        if template == "vsb":  # first page gknb.htm, then gknb/{pages-1}.htm down to gknb/1.htm
            return f"{column}gknb.htm" if p == 1 else f"{column}gknb/{pages - p + 1}.htm"
        if p == 1:
            return f"{column}list.html" if template.startswith("list") else f"{column}index.htm" if template.startswith("index") \
                else f"{column}column-index-1.shtml" if template.startswith("column") else f"{column}list.jsp?page=1"
        if template.startswith("?"):
            return f"{column}list.jsp?page={p}"
        return column + template.format(n=p, m=p - 1)

    for p in range(1, pages + 1):
        chunk = entries[(p - 1) * per:p * per]
        rows = [item("ul_span", e.path, e) for e in chunk]
        links = []
        if pager == "numbers":
            for q in range(max(1, p - 2), min(pages, p + 2) + 1):
                links.append(f'<span class="cur">{q}</span>' if q == p else f'<a href="{url(q)}">{q}</a>')
        if p < pages:
            links.append(f'<a href="{url(p + 1)}">下一页</a>')
            if pager != "next":
                links.append(f'<a href="{url(pages)}">尾页</a>')
        text = f"共{pages}页 " if announce else ""
        body = wrap("ul_span", rows) + f'<div class="pagination">{text}{" ".join(links)}</div>'
        path = url(p)
        if "?" in path:
            routes.setdefault("__query__", {})[p] = column_page(label, body)
        else:
            routes[path] = column_page(label, body)
    queries = routes.pop("__query__", {})

    def special(request):
        if queries and request.path == f"{column}list.jsp":
            p = int(request.q("page", "1") or 1)
            return html(queries[p]) if p in queries else None
        return None

    routes["/"] = _home(label, url(1), region)
    expected = [{"path": url(1), "complete": 1 if (announce or pager != "next") else None, "announced": None,
                 "mechanism": "pager_links"}]
    params = {"mechanism": "pager_links", "template": template, "pager": pager, "announce_pages": announce,
              "per_page": per, "records": n}
    return VariantSite("pager_links", _router(routes, special), entries, params, expected)


# -- ministry JSON (chinatax), Epoint, truecms ------------------------------------------------------

def chinatax_site(seed):
    rng = random.Random(seed)
    region = rng.choice(REGIONS)
    size = rng.choice([10, 20, 15])
    n = rng.randint(1, 70)
    first = rng.choice([0, 1])
    channel = "%032x" % rng.getrandbits(128)
    label = rng.choice(COLUMN_LABELS)
    entries = draw_entries(rng, n, region, seed)
    routes = {}
    for k, e in enumerate(entries):
        e.path = f"/m1/n810214/c{5247200 + k}/content.html"
        if e.kind == "report":
            e.report.path = e.path
        routes[e.path] = detail_html(e)
    shell_path = "/m1/n810214/c102384r/index.html"
    script = (f"$.ajax({{url: '/getFileListByCodeId', type: 'POST', dataType: 'json', data: {{channelId: '{channel}', "
              f"page: {first}, size: {size}, relateSubChannels: true}}, success: function(d){{draw(d);}}}});")
    routes[shell_path] = column_page(label, f'<div id="list"></div><script>{script}</script>')

    def special(request):
        if request.path == "/getFileListByCodeId" and request.method == "POST":
            form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
            if form.get("channelId") != channel:
                return Response(200, b'{"results":{"data":{"total":0,"results":[]}}}', [("Content-Type", "application/json")])
            number = int(form.get("page", str(first))) - first + 1
            chunk = entries[(number - 1) * size:number * size]
            host = request.headers.get("host", "")
            results = [{"titleHtml": f"<span>{e.title}</span>", "url": f"http://{host}{e.path}",
                        "publishedTimeStr": e.date + " 10:00:00", "domainMetaList": []} for e in chunk]
            body = json.dumps({"results": {"data": {"total": n, "results": results}}}, ensure_ascii=False)
            return Response(200, body.encode(), [("Content-Type", "application/json;charset=UTF-8")])
        return None

    routes["/"] = _home(label, shell_path, region)
    expected = [{"path": shell_path, "complete": 1, "announced": n, "mechanism": "chinatax"}]
    params = {"mechanism": "chinatax", "size": size, "first_page": first, "records": n}
    return VariantSite("chinatax", _router(routes, special), entries, params, expected)


def epoint_site(seed):
    rng = random.Random(seed)
    region = rng.choice(REGIONS)
    size = rng.choice([10, 15, 20])
    n = rng.randint(1, 70)
    first = rng.choice([0, 1])
    project = rng.choice(["/EpointWebBuilder", "/EWB-FRONT"])
    guid = "%08x-%04x-%04x-%04x-%012x" % tuple(rng.getrandbits(b) for b in (32, 16, 16, 16, 48))
    category = f"00{rng.randint(1, 9)}00{rng.randint(1, 9)}"
    label = rng.choice(COLUMN_LABELS)
    entries = draw_entries(rng, n, region, seed)
    routes = {}
    for e in entries:
        e.path = f"/zfxxgk/zfxxgknb/{e.date.replace('-', '')}/{zlib.crc32(e.title.encode()):08x}.html"
        if e.kind == "report":
            e.report.path = e.path
        routes[e.path] = detail_html(e)
    column_path = "/zfxxgk/zfxxgknb/govinfolist.html"
    script = (f"var categorynum = '{category}'; var deptcode = ''; var pageSize = {size}; var pageIndex = {first};"
              "$.ajax({url: siteInfo.projectName + '/rest/lightfrontaction/getgovinfolist', type: 'post', "
              "data: JSON.stringify({siteGuid: siteInfo.siteGuid, categorynum: categorynum, deptcode: deptcode, "
              "pageIndex: pageIndex, pageSize: pageSize})});")
    routes[column_path] = column_page(label, f'<ul id="infolist"></ul><script>{script}</script>',
                                      extra_head='<script src="/js/webBuilderCommon.js"></script>')
    routes["/js/webBuilderCommon.js"] = Response(200, (f'var siteInfo = {{"projectName":"{project}","siteGuid":"{guid}",'
                                                       '"ip":"127.0.0.1"};').encode(),
                                                 [("Content-Type", "application/javascript")])

    def special(request):
        if request.path == f"{project}/rest/lightfrontaction/getgovinfolist" and request.method == "POST":
            try:
                args = json.loads(request.body.decode() or "{}")
            except ValueError:
                args = {}
            if args.get("siteGuid") != guid or args.get("categorynum") != category:
                return Response(200, b'{"custom":{"data":[],"total":0}}', [("Content-Type", "application/json")])
            number = int(args.get("pageIndex", first)) - first + 1
            per = int(args.get("pageSize", size))
            chunk = entries[(number - 1) * per:number * per]
            data = [{"infourl": e.path, "realtitle": e.title, "title": e.title[:12], "infodate": e.date} for e in chunk]
            body = json.dumps({"custom": {"data": data, "total": n}}, ensure_ascii=False)
            return Response(200, body.encode(), [("Content-Type", "application/json;charset=UTF-8"),
                                                 ("Server", "epoint-httpserver")])
        return None

    routes["/"] = _home(label, column_path, region)
    expected = [{"path": column_path, "complete": 1, "announced": n, "mechanism": "epoint"}]
    params = {"mechanism": "epoint", "size": size, "first_index": first, "records": n, "project": project}
    return VariantSite("epoint", _router(routes, special), entries, params, expected)


def truecms_site(seed):
    rng = random.Random(seed)
    region = rng.choice(REGIONS)
    per = rng.choice([10, 20, 50])
    n = rng.randint(1, 120)
    column_id = rng.randint(10000, 99999)
    label = rng.choice(COLUMN_LABELS)
    entries = draw_entries(rng, n, region, seed)
    routes = _place(entries, "/col/jsnb/", "trs")
    column_path = f"/col/col{column_id}/index.html"
    script = (f"var config = {{columnId: '{column_id}', perpage: {per}, callback: 'jsonpCallback'}};"
              "$.getScript('/module/jslib/messageController/getMessage.do?startrecord=1&endrecord=' + config.perpage);")
    routes[column_path] = column_page(label, f'<ul id="list"></ul><script>{script}</script>')

    def special(request):
        if request.path.endswith("messageController/getMessage.do"):
            if not request.headers.get("referer"):
                return html("<html><body>404</body></html>", 404)
            if request.q("columnId") != str(column_id):
                return Response(200, b'jsonpCallback("<datastore><totalrecord>0</totalrecord></datastore>")',
                                [("Content-Type", "application/javascript")])
            asked = int(request.q("perpage", str(per)))
            if asked > per:  # a per-site ceiling: asking for more answers nothing
                return Response(200, b'jsonpCallback("")', [("Content-Type", "application/javascript")])
            start, end = int(request.q("startrecord", "1")), int(request.q("endrecord", str(per)))
            records = "".join(f"<record><![CDATA[{item('ul_span', e.path, e)}]]></record>" for e in entries[start - 1:end])
            xml = f"<datastore><totalrecord>{n}</totalrecord><recordset>{records}</recordset></datastore>"
            callback = request.q("callback", "cb")
            return Response(200, f"{callback}({json.dumps(xml, ensure_ascii=False)})".encode(),
                            [("Content-Type", "application/javascript; charset=UTF-8")])
        return None

    routes["/"] = _home(label, column_path, region)
    expected = [{"path": column_path, "complete": 1, "announced": n, "mechanism": "truecms"}]
    params = {"mechanism": "truecms", "perpage": per, "records": n}
    return VariantSite("truecms", _router(routes, special), entries, params, expected)


def inline_data_site(seed):
    rng = random.Random(seed)
    region = rng.choice(REGIONS)
    n = rng.randint(2, 60)
    label = rng.choice(COLUMN_LABELS)
    column = rng.choice(COLUMN_PATHS)
    entries = draw_entries(rng, n, region, seed)
    routes = _place(entries, column)
    data = [{"title": e.title, "url": e.path, "time": e.date} for e in entries]
    script = (f"var dataList = {json.dumps(data, ensure_ascii=False)};"
              "var per = 10; function show(p){var box=document.getElementById('box');box.innerHTML='';"
              "dataList.slice((p-1)*per,p*per).forEach(function(d){var li=document.createElement('li');"
              "li.innerHTML='<a href=\"'+d.url+'\">'+d.title+'</a><span>'+d.time+'</span>';box.appendChild(li);});}show(1);")
    routes[column] = column_page(label, f'<ul id="box" class="list"></ul><script>{script}</script>')
    routes["/"] = _home(label, column, region)
    expected = [{"path": column, "complete": 1, "announced": None, "mechanism": "inline_data"}]
    return VariantSite("inline_data", _router(routes), entries, {"mechanism": "inline_data", "records": n}, expected)


# -- a portal whose list and pages exist only through its own script --------------------------------

APP_JS = r"""
(function () {
  var size = %(size)d, app = document.getElementById('app');
  function get(url, done) {
    var x = new XMLHttpRequest(); x.open('GET', url); x.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
    x.onload = function () { done(JSON.parse(x.responseText)); }; x.send();
  }
  function list(page) {
    get('/api/v2/column/%(column)s/articles?pageNo=' + page + '&pageSize=' + size, function (d) {
      var html = '<ul class="news">';
      d.data.list.forEach(function (a) { html += '<li><a href="/detail.html?id=' + a.id + '">' + a.title + '</a><span>' + a.publishDate + '</span></li>'; });
      html += '</ul><div class="pager">共' + d.data.total + '条 ';
      if (page * size < d.data.total) html += '<a href="javascript:void(0)" id="next">下一页</a>';
      app.innerHTML = html + '</div>';
      var next = document.getElementById('next');
      if (next) next.onclick = function () { list(page + 1); };
    });
  }
  function detail(id) {
    get('/api/v2/article?id=' + id, function (d) {
      document.title = d.data.title;
      app.innerHTML = '<h1>' + d.data.title + '</h1><div class="info">发布时间：' + d.data.publishDate + ' 来源：' + d.data.source +
        '</div><div class="article-content">' + d.data.content + '</div>';
    });
  }
  function menu() {
    app.innerHTML = '<ul class="menu"><li><a href="#/column/%(column)s">政府信息公开年报</a></li>' +
      '<li><a href="#/column/zcwj">政策文件</a></li><li><a href="#/hdjl">互动交流</a></li></ul>';
  }
  function route() {
    var id = /[?&]id=(\d+)/.exec(location.search);
    if (id) return detail(id[1]);
    if (!%(routed)s || location.hash === '#/column/%(column)s') return list(1);
    menu();
  }
  window.addEventListener('hashchange', route);
  route();
})();
"""


def spa_site(seed, with_urls=None, routed=None):
    """A portal drawn by its own script; ``routed``: its 年报 column is a route (``#/column/…``)
    of the home page, which itself shows only a menu."""
    rng = random.Random(seed)
    region = rng.choice(REGIONS)
    size = rng.choice([5, 10, 12])
    n = rng.randint(size + 1, 40)
    column = f"c{rng.randint(100, 999)}"
    draw = rng.random() < 0.5  # answers that carry each record's URL can be asked for page by page
    with_urls = draw if with_urls is None else with_urls
    draw = rng.random() < 0.35
    routed = draw if routed is None else routed
    entries = draw_entries(rng, n, region, seed)
    routes, by_id = {}, {}
    for k, e in enumerate(entries):
        ident = 90000 + k
        e.path = f"/detail.html?id={ident}"
        if e.kind == "report":
            e.report.path = e.path
        by_id[str(ident)] = e
    shell = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
             "<div class='top'>{region}人民政府门户网站</div><div id='app'></div>"
             "<script src='/static/app.js'></script></body></html>")

    def special(request):
        ok = [("Content-Type", "application/json;charset=UTF-8")]
        if request.path == "/":
            return html(shell.format(title="政府信息公开年报", region=region))
        if request.path == "/detail.html":
            return html(shell.format(title="详情", region=region))
        if request.path == "/static/app.js":
            script = APP_JS % {"size": size, "column": column, "routed": "true" if routed else "false"}
            return Response(200, script.encode(), [("Content-Type", "application/javascript")])
        if request.path == f"/api/v2/column/{column}/articles":
            number, per = int(request.q("pageNo", "1")), int(request.q("pageSize", str(size)))
            chunk = entries[(number - 1) * per:number * per]
            items = [{"id": int(e.path.split("=")[1]), "title": e.title, "publishDate": e.date} for e in chunk]
            if with_urls:
                for entry in items:
                    entry["url"] = f"/detail.html?id={entry['id']}"
            body = {"code": 0, "data": {"total": n, "pageNo": number, "pageSize": per, "list": items}}
            return Response(200, json.dumps(body, ensure_ascii=False).encode(), ok)
        if request.path == "/api/v2/article":
            e = by_id.get(request.q("id", ""))
            if e is None:
                return Response(404, b'{"code":404}', ok)
            if e.kind == "report":
                content, source = e.report.body, e.report.agency
            else:
                content, source = f"<p>{e.title}。</p>", region
            body = {"code": 0, "data": {"title": e.title, "publishDate": e.date, "source": source, "content": content}}
            return Response(200, json.dumps(body, ensure_ascii=False).encode(), ok)
        return None

    params = {"mechanism": "rendered", "page_size": size, "records": n, "urls_in_answers": with_urls, "routed": routed}
    path = f"/#/column/{column}" if routed else "/"
    return VariantSite("spa", _router(routes, special), entries, params,
                       [{"path": path, "complete": 1, "announced": n, "mechanism": "rendered"}])


LOAD_MORE_JS = r"""
(function () {
  var shown = %(shown)d, more = document.getElementById('more'), list = document.getElementById('records');
  more.onclick = function () {
    var x = new XMLHttpRequest();
    x.open('GET', '/api/more?offset=' + shown + '&limit=%(shown)d');
    x.onload = function () {
      var d = JSON.parse(x.responseText);
      d.rows.forEach(function (r) { list.innerHTML += '<li><a href="' + r.url + '" title="' + r.title + '">' + r.title +
        '</a><span>' + r.date + '</span></li>'; });
      shown += d.rows.length;
      if (shown >= d.total) more.parentNode.removeChild(more);
    };
    x.send();
  };
})();
"""


def load_more_site(seed):
    """A column that serves its first records and a 加载更多 button; the rest arrive only by the
    button's script: the static mechanisms come out short, the rendered fallback completes it."""
    rng = random.Random(seed)
    region = rng.choice(REGIONS)
    shown = rng.randint(4, 10)
    n = rng.randint(shown + 1, shown * 4)
    label, column = rng.choice(COLUMN_LABELS), rng.choice(COLUMN_PATHS)
    entries = draw_entries(rng, n, region, seed)
    routes = _place(entries, column)
    rows = "".join(item("ul_span", e.path, e) for e in entries[:shown])
    body = (f'<div class="list"><ul class="list" id="records">{rows}</ul></div><p class="total">共{n}条</p>'
            f'<p><a id="more" href="javascript:;">加载更多</a></p><script src="/js/more.js"></script>')
    routes[column] = column_page(label, body)
    routes["/js/more.js"] = Response(200, (LOAD_MORE_JS % {"shown": shown}).encode(), [("Content-Type", "application/javascript")])

    def special(request):
        if request.path == "/api/more":
            offset, limit = int(request.q("offset", "0")), int(request.q("limit", str(shown)))
            chunk = entries[offset:offset + limit]
            data = {"total": n, "rows": [{"title": e.title, "url": e.path, "date": e.date} for e in chunk]}
            return Response(200, json.dumps(data, ensure_ascii=False).encode(), [("Content-Type", "application/json")])
        return None

    routes["/"] = _home(label, column, region)
    expected = [{"path": column, "complete": 1, "announced": n, "mechanism": "one_page"}]
    return VariantSite("load_more", _router(routes, special), entries, {"mechanism": "one_page", "shown": shown, "records": n},
                       expected)


BUILDERS = {"trs_static": trs_static_site, "jpage": jpage_site, "jpaas": jpaas_site, "gkmlpt": gkmlpt_site,
            "trs_list_api": trs_list_api_site, "query_pages": query_pages_site, "pager_links": pager_links_site,
            "chinatax": chinatax_site, "epoint": epoint_site, "truecms": truecms_site, "inline_data": inline_data_site,
            "walled": lambda seed: trs_static_site(seed, walled=True), "spa": spa_site, "load_more": load_more_site}


def variant_sites(seed, names=None):
    """The variant sites of one seed (all mechanisms unless ``names``), not started."""
    return {name: builder(seed * 100 + k) for k, (name, builder) in enumerate(BUILDERS.items()) if not names or name in names}


def finish(site):
    """Absolute URLs in the manifest and the expected lists once the site has a port."""
    m = site.manifest
    m.base = site.base
    for r in site.reports:
        m.reports.append({"key": r.key, "agency": r.agency, "year": r.year, "title": r.title, "url": site.base + r.path})
    for d in site.decoys:
        m.decoys.append({"title": d["title"], "url": site.base + d["path"]})
    for expected in site.expected_lists:
        expected["url"] = site.base + expected["path"]
        if "failed_path" in expected:
            expected["failed_url"] = site.base + expected["failed_path"]
    return site


def start(seed, names=None):
    sites = variant_sites(seed, names)
    for site in sites.values():
        site.start(0)
        finish(site)
    return sites

