"""SITES.md archetypes A3, A6, A8, A9 and A10 (A1 is in sites.py)."""

import json
import random
import zlib

from .server import Response, Site, html
from .sites import DECOY_TITLES, Manifest, Report, fake_pdf, generated_body, page, pre2019_body


def _reports(rng, seed, region, units, years, pre=()):
    out = []
    for i, unit in enumerate(units):
        for year in years:
            if rng.random() < 0.2:
                continue
            body = generated_body(seed * 1000 + i * 10 + year, year)
            out.append(Report(f"{seed}-{i}-{year}", f"{region}{unit}", year, f"{year + 1}-01-{rng.randint(10, 28):02d}", body))
    for year in pre:
        agency = f"{region}{units[0]}"
        out.append(Report(f"{seed}-pre-{year}", agency, year, f"{year + 1}-03-{rng.randint(1, 28):02d}",
                          pre2019_body(agency, year, seed + year)))
    return out


def _decoys(region, years=(2022, 2023)):
    return [{"title": t.format(year=years[n % len(years)], agency=region), "date": f"{years[n % len(years)] + 1}-02-1{n % 9}"}
            for n, t in enumerate(DECOY_TITLES)]


def _detail(report, container, attachments_html="", header_table=""):
    content = "<p>详见附件。</p>" if report.stub else report.body
    meta = {"ArticleTitle": report.title, "PubDate": report.published, "ContentSource": report.agency}
    body = (f'<div class="article"><h1>{report.title}</h1>{header_table}'
            f'<div class="info">发布时间：{report.published} 10:56 信息来源：{report.agency}</div>'
            f'<div {container}>{content}{attachments_html}</div></div>')
    return page(f"{report.title}_政府信息公开年报", body, meta=meta)


def _decoy_page(title):
    return page(title, f"<h1>{title}</h1><div id=\"zoom\"><p>{title}。</p><p>本年度共收到政府信息公开申请10件。</p></div>")


def _finish(site, manifest, reports, decoys, routes):
    site.routes, site.reports, site.decoys, site.manifest = routes, reports, decoys, manifest
    return site


# ---------------------------------------------------------------------------------------------
# A3. Hanweb jpage /col/ portal: datastore embedded, dataproxy groups with a one-record overlap


def site_a3(seed=3):
    rng = random.Random(seed)
    region = "江苏省宿迁市宿城区"
    units = ["人民政府", "发展和改革局", "教育局", "公安分局", "财政局", "人力资源和社会保障局", "生态环境局",
             "住房和城乡建设局", "水利局", "商务局", "文化广电和旅游局", "应急管理局", "审计局", "统计局",
             "城市管理局", "项里街道办事处", "古城街道办事处", "埠子镇人民政府", "龙河镇人民政府"]
    reports = _reports(rng, seed, region, units, (2021, 2022, 2023))
    decoys = _decoys(region)
    columnid, unitid = 1229114055, 4160171
    records = [("r", r) for r in reports] + [("d", d) for d in decoys]
    rng.shuffle(records)
    routes = {}
    for n, (kind, entry) in enumerate(records):
        year = entry.year + 1 if kind == "r" else int(entry["date"][:4])
        path = f"/art/{year}/1/{n % 27 + 1}/art_{columnid}_{88300 + n}.html"
        if kind == "r":
            entry.path = path
            attachment = ""
            if rng.random() < 0.3:
                name = f"{88300 + n:x}".rjust(32, "0")
                entry.attachment_path = f"/module/download/downfile.jsp?classid=0&filename={name}.pdf"
                routes[f"/attach/0/{name}.pdf"] = ("file", fake_pdf(entry.key))
                attachment = f'<p>附件：<a href="{entry.attachment_path}">{entry.title}.pdf</a></p>'
            routes[path] = ("page", _detail(entry, 'id="zoom"', attachment,
                                            '<div class="xxgk">索 引 号 1133102400268125XW/2024-104757 公开方式 主动公开 '
                                            f'发布机构 {entry.agency} 组配分类 政府信息公开年报</div>'))
        else:
            entry["path"] = path
            routes[path] = ("page", _decoy_page(entry["title"]))

    def record(kind, entry, n):
        title = entry.title if kind == "r" else entry["title"]
        date = entry.published if kind == "r" else entry["date"]
        href = entry.path if kind == "r" else entry["path"]
        if n % 7 == 3:
            href = "//{host}" + href  # protocol-relative, as some records are
        if n % 5 == 2:
            date = date[:5] + "\n " + date[5:8] + "\n " + date[8:]  # dates split across lines
        return f"<record><![CDATA[<li><a href='{href}' target='_blank' title='{title}'>{title}</a><span>{date}</span></li>]]></record>"

    total = len(records)

    def column_page(host):
        first = "".join(record(k, e, n) for n, (k, e) in enumerate(records[:45])).replace("{host}", host)
        script = (f'<div id="{unitid}"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid={columnid}&unitid={unitid}&webname=%E5%AE%BF%E5%9F%8E%E5%8C%BA&permissiontype=0"></a>]]></nextgroup>'
                  f"<recordset>{first}</recordset></datastore></script></div>"
                  f"<script>var param_{unitid} = {{col:1,appid:1,webid:1,path:'/',columnid:{columnid},sourceContentType:1,unitid:{unitid},webname:'宿城区',permissiontype:0}};"
                  f"$('#{unitid}').jpage({{ dataStore: null, totalRecord:{total}, perPage:15, proxyUrl:'/module/web/jpage/dataproxy.jsp', groupSize:3 }});</script>")
        return page("政府信息公开年报", script, meta={"ColumnName": "政府信息公开年报"},
                    crumb="首页 > 政务公开 > 政府信息公开年报")

    def route(request):
        host = request.headers.get("host", "")
        cookie = [] if "JSESSIONID" in request.cookies else [("Set-Cookie", f"JSESSIONID={rng.randint(10**8, 10**9)}; Path=/")]
        if request.path == "/":
            return html(page("宿城区人民政府", '<a href="/col/col1229114000/index.html">政务公开</a>'
                             f'<a href="/col/col{columnid}/index.html">政府信息公开年报</a>'), headers=cookie)
        if request.path == "/col/col1229114000/index.html":
            return html(page("政务公开", f'<a href="/col/col{columnid}/index.html">政府信息公开年报</a>'), headers=cookie)
        if request.path == f"/col/col{columnid}/index.html":
            return html(column_page(host), headers=cookie)
        if request.path == "/module/web/jpage/dataproxy.jsp":
            form = {}
            for pair in request.body.decode().split("&"):
                if "=" in pair:
                    k, v = pair.split("=", 1)
                    form[k] = v
            per = int(request.q("perpage", "15"))
            if request.q("page"):  # the server ignores startrecord when page= is given
                start = (int(request.q("page")) - 1) * per + 1
                end = start + per - 1
            else:
                start, end = int(request.q("startrecord", "1")), int(request.q("endrecord", "45"))
            if form.get("columnid") != str(columnid) and request.method == "POST":
                return Response(200, b"<datastore><totalrecord>0</totalrecord></datastore>", [("Content-Type", "text/xml")])
            lo = max(0, start - 2)  # each group repeats the last record of the group before
            chunk = "".join(record(k, e, lo + n) for n, (k, e) in enumerate(records[lo:end])).replace("{host}", host)
            xml = (f"<?xml version='1.0' encoding='UTF-8'?><datastore><totalrecord>{total}</totalrecord>"
                   f"<totalpage>{-(-total // per)}</totalpage><recordset>{chunk}</recordset></datastore>")
            return Response(200, xml.encode(), [("Content-Type", "text/xml; charset=UTF-8")])
        if request.path == "/module/download/downfile.jsp":
            name = request.q("filename", "")
            return Response(302, b"", [("Location", f"/attach/0/{name}")])
        target = routes.get(request.path)
        if target is None:
            return html("<html><body>404</body></html>", 404)
        if target[0] == "file":
            return Response(200, target[1], [("Content-Type", "application/octet-stream")])
        return html(target[1], headers=cookie)

    manifest = Manifest("a3", "A3 Hanweb jpage /col/ portal")
    return _finish(Site("a3", route), manifest, reports, decoys, routes)


# ---------------------------------------------------------------------------------------------
# A6. Guangdong gkmlpt: Vue shell with _CONFIG, JSON list API


def site_a6(seed=6):
    rng = random.Random(seed)
    region = "广东省惠州市惠城区"
    units = ["人民政府", "教育局", "民政局", "司法局", "财政局", "卫生健康局", "江北街道办事处", "河南岸街道办事处"]
    reports = _reports(rng, seed, region, units, (2020, 2021, 2022, 2023))
    decoys = _decoys(region)[:3]
    sid = "755041"
    articles = []
    routes = {}
    for n, entry in enumerate(reports + decoys):
        post = 2155400 + n
        path = f"/gkmlpt/content/2/2155/post_{post}.html"
        if isinstance(entry, Report):
            entry.path = path
            table = ('<table class="meta"><tr><td>索引号：</td><td>114403006955506492/2024-00426</td><td>分类：</td><td>年报</td></tr>'
                     f'<tr><td>发布机构：</td><td>{entry.agency}</td><td>成文日期：</td><td>{entry.published}</td></tr>'
                     f'<tr><td>名称：</td><td>{entry.title}</td></tr></table>')
            routes[path] = _detail(entry, 'class="article-content"', "", table)
            title, date = entry.title, entry.published
        else:
            entry["path"] = path
            routes[path] = _decoy_page(entry["title"])
            title, date = entry["title"], entry["date"]
        articles.append({"id": post, "title": title, "url": "{base}" + path, "post_url": "{base}" + path,
                         "created_at": date + " 09:00:00", "identifier": f"114403006955506492/{date[:4]}-{n:05d}",
                         "publisher": region, "attachment": []})
    tree = [{"id": 2629, "name": "政府信息公开年报", "post_count": len(articles), "children": []},
            {"id": 20765, "name": "规范性文件", "post_count": 3, "children": []},
            {"id": 30001, "name": "部门文件", "jump_url": "http://127.0.0.9/gkmlpt/index", "children": []}]

    def route(request):
        base = "http://" + request.headers.get("host", "")
        if request.path == "/":
            return html(page("惠城区人民政府", '<a href="/gkmlpt/index">政府信息公开目录</a>'))
        if request.path == "/gkmlpt/index":
            shell = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>政府信息公开</title></head><body><div id='app'></div>"
                     f"<script>window._CONFIG = {{ SID: '{sid}', TREE: {json.dumps(tree, ensure_ascii=False)}, SERVICE_AREA_ID: 1 }};</script>"
                     "<script src='/gkmlpt/static/app.js'></script></body></html>")
            return html(shell)
        if request.path.startswith("/gkmlpt/api/all/"):
            cat = request.path.rsplit("/", 1)[-1]
            page_no = int(request.q("page", "1"))
            if cat != "2629":
                return Response(200, json.dumps({"total": 0, "articles": []}).encode(), [("Content-Type", "application/json")])
            items = articles if page_no <= 1 else []  # page 0 and page 1 are the same; 100 per page
            data = json.loads(json.dumps({"classify": {"post_count": len(articles)}, "total": len(articles), "articles": items}).replace("{base}", base))
            return Response(200 if page_no <= 1 else 404, json.dumps(data, ensure_ascii=False).encode(),
                            [("Content-Type", "application/json;charset=UTF-8")])
        if request.path in routes:
            return html(routes[request.path])
        return html("<html><body>404</body></html>", 404)

    manifest = Manifest("a6", "A6 Guangdong gkmlpt")
    return _finish(Site("a6", route), manifest, reports, decoys, routes)


# ---------------------------------------------------------------------------------------------
# A8. Small-county dynamic CMS: query-parameter lists repeating the last page, gated downloads


def site_a8(seed=8):
    rng = random.Random(seed)
    region = "安徽省亳州市利辛县"
    units = ["人民政府", "教育局", "农业农村局", "望疃镇人民政府", "阚疃镇人民政府", "张村镇人民政府"]
    reports = _reports(rng, seed, region, units, (2021, 2022, 2023), pre=(2016,))
    decoys = _decoys(region)[:5]
    entries = [("r", r) for r in reports] + [("d", d) for d in decoys]
    rng.shuffle(entries)
    routes, files = {}, {}
    for n, (kind, entry) in enumerate(entries):
        path = f"/public/31/{5840 + n}.html"
        if kind == "r":
            entry.path = path
            attachment = ""
            if rng.random() < 0.4:
                entry.stub = rng.random() < 0.5
                fileid = 16738400 + n
                entry.attachment_path = f"/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1744984858&wbfileid={fileid}"
                files[str(fileid)] = (entry.key, f"{entry.agency}{entry.year}年年报.pdf")
                attachment = (f'<ul><li>附件【<a href="{entry.attachment_path}">{entry.agency}{entry.year}年年报.pdf</a>】'
                              f'已下载<span id="nattach{fileid}">146</span>次</li></ul>')
            routes[path] = _detail(entry, 'class="content"', attachment)
        else:
            entry["path"] = path
            routes[path] = _decoy_page(entry["title"])
    per = 10
    pages = -(-len(entries) // per)

    def list_page(index):
        index = min(max(index, 1), pages)  # beyond the last page: the last page again
        rows = []
        for n, (kind, entry) in enumerate(entries[(index - 1) * per:index * per], start=(index - 1) * per + 1):
            title = entry.title if kind == "r" else entry["title"]
            date = entry.published if kind == "r" else entry["date"]
            href = entry.path if kind == "r" else entry["path"]
            shown = f"【{entry.agency[len(region):]}】{title}" if kind == "r" else title
            rows.append(f'<tr><td class="xh">{n}</td><td><a href="{href};jsessionid=ABC123" title="{shown}">{shown}</a></td><td>{date}</td></tr>')
        pager = (f'<div class="page"><a href="javascript:void(0)" onclick="go({index + 1})">下一页</a></div>')
        return page("政府信息公开年报", f'<table class="r_xh_b">{"".join(rows)}</table>{pager}',
                    crumb="政府信息公开 > 利辛县人民政府 > 政府信息公开年报")

    def route(request):
        session = request.cookies.get("JSESSIONID")
        set_cookie = [] if session else [("Set-Cookie", "JSESSIONID=8F3C2A; Path=/")]
        if request.path == "/":
            return html(page("利辛县人民政府", '<a href="/public/column/31?type=4&catId=4694221&action=list&nav=3&pageIndex=1">政府信息公开年报</a>'),
                        headers=set_cookie)
        if request.path == "/public/column/31":
            if not session:
                return html(page("提示", "<p>会话已过期，请从首页进入。</p>"), headers=set_cookie)
            return html(list_page(int(request.q("pageIndex", "1") or 1)))
        if request.path == "/system/_content/download.jsp":
            fileid = request.q("wbfileid", "")
            if fileid not in files or not request.headers.get("referer"):
                return html("<html><body>" + "<p>非法下载请求，请从原页面下载附件。</p>" * 120 + "</body></html>")
            key, name = files[fileid]
            disposition = b'attachment; filename="' + name.encode("gbk") + b'"'
            return Response(200, fake_pdf(key), [("Content-Type", "application/octet-stream"),
                                                 ("Content-Disposition", disposition.decode("latin-1"))])
        path = request.path.split(";")[0]
        if path in routes:
            return html(routes[path], headers=set_cookie)
        return html("<html><body>404</body></html>", 404)

    manifest = Manifest("a8", "A8 query-parameter lists, gated downloads")
    return _finish(Site("a8", route), manifest, reports, decoys, routes)


# ---------------------------------------------------------------------------------------------
# A9. Legacy GB2312/GBK site: the encoding matrix, soft 404s, pre-2019 reports, duplicates


def site_a9(seed=9):
    rng = random.Random(seed)
    region = "福建省南平市建瓯市"
    units = ["人民政府", "财政局", "教育局", "徐墩镇人民政府"]
    reports = _reports(rng, seed, region, units, (2019, 2020), pre=(2012, 2015, 2017))
    for r in reports:  # characters GB2312 lacks but GBK has (镕, 喆): a gb2312 label must not break them
        r.body = r.body.replace("<p>一、", "<p>（本报告由喆、镕二同志校对。）</p><p>一、", 1)
    decoys = _decoys(region, (2019, 2020))[:4]
    variants = [  # (header charset, meta charset, body encoding, BOM) - SITES.md §4.1 / A9
        (None, "gb2312", "gbk", False),
        ("utf-8", "gbk", "gbk", False),
        (None, None, "gbk", False),
        (None, "gb2312", "utf-8", True),
    ]
    routes = {}
    entries = [("r", r) for r in reports] + [("d", d) for d in decoys]
    duplicate = reports[0]
    for n, (kind, entry) in enumerate(entries):
        date = entry.published if kind == "r" else entry["date"]
        path = f"/cms/html/a9xzf/{date}/{1779102000 + n}.html"
        if kind == "r":
            entry.path = path
            routes[path] = (n % 4, _detail(entry, 'class="zw"'))
        else:
            entry["path"] = path
            routes[path] = (n % 4, _decoy_page(entry["title"]))
    dup_path = f"/cms/html/a9xzf/{duplicate.published}/1779109999.html"  # published twice, other id
    routes[dup_path] = (0, routes[duplicate.path][1])
    removed = "/cms/html/a9xzf/2021-01-05/1779100001.html"
    listing = [(e.title if k == "r" else e["title"], e.path if k == "r" else e["path"],
                e.published if k == "r" else e["date"]) for k, e in entries]
    listing.append((f"{region}人民政府2018年政府信息公开工作年度报告（重复发布）".replace("（重复发布）", ""), dup_path, duplicate.published))
    listing.append((f"{region}科技局2020年政府信息公开工作年度报告", removed, "2021-01-05"))
    per = 8
    pages = -(-len(listing) // per)

    def list_page(n):
        rows = "".join(f'<tr><td><a href="{p}" target="_blank">{t}</a></td><td>{d}</td></tr>'
                       for t, p, d in listing[(n - 1) * per:n * per])
        nxt = f'<a href="class.asp?class=1150&page={n + 1}">下一页</a>' if n < pages else ""
        return page("政府信息公开年报", f"<table>{rows}</table><div>共{pages}页 {nxt}</div>", charset_meta="gb2312")

    def encode(variant, text):
        header, meta, encoding, bom = variants[variant]
        text = text.replace('charset=utf-8"', f'charset={meta}"' if meta else '"')
        if not meta:
            text = text.replace('<meta http-equiv="Content-Type" content="text/html; ">', "")
        data = text.encode(encoding, errors="xmlcharrefreplace")
        if bom:
            data = b"\xef\xbb\xbf" + data
        return Response(200, data, [("Content-Type", "text/html" + (f"; charset={header}" if header else ""))])

    def route(request):
        if request.path == "/":
            return encode(0, page("建瓯市人民政府", '<a href="/class.asp?class=1150&page=1">政府信息公开年报</a>'
                                  '<a href="http://www.friend-link.example/">友情链接</a>', charset_meta="gb2312"))
        if request.path == "/class.asp":
            return encode(0, list_page(min(max(int(request.q("page", "1") or 1), 1), pages)))
        if request.path == removed:
            return encode(0, page("提示", "<p>您访问的页面不存在或已被删除！</p>", charset_meta="gb2312"))
        if request.path in routes:
            variant, text = routes[request.path]
            return encode(variant, text)
        return Response(404, "<html><body>Página no encontrada - 404</body></html>".encode("iso-8859-1"),
                        [("Content-Type", "text/html; charset=iso-8859-1")])

    manifest = Manifest("a9", "A9 legacy GBK site")
    manifest.walls.append({"path": removed, "outcome": "removed"})
    site = _finish(Site("a9", route), manifest, reports, decoys, routes)
    site.duplicate_path = dup_path
    return site


# ---------------------------------------------------------------------------------------------
# A10. Defended and hostile hosts: each with one report behind a barrier


def _wall_site(name, gate, region="浙江省温州市鹿城区"):
    report = Report(f"a10-{name}", f"{region}{name}局", 2023, "2024-01-20", generated_body(zlib.crc32(name.encode()) % 9999, 2023))
    report.path = "/col/col1/art/2024/art_1.html"
    column = page("政府信息公开年报", f'<ul><li><a href="{report.path}" title="{report.title}">{report.title}</a></li></ul>')
    home = page("首页", '<a href="/col/col1/index.html">政府信息公开年报</a>')
    pages_ = {"/": home, "/col/col1/index.html": column, report.path: _detail(report, 'id="zoom"')}

    def route(request):
        blocked = gate(request)
        if blocked is not None:
            return blocked
        if request.path == "/robots.txt":
            return Response(404, b"not found", [("Content-Type", "text/plain")])
        if request.path in pages_:
            return html(pages_[request.path])
        return html("<html><body>404</body></html>", 404)

    site = Site(f"a10-{name}", route)
    site.reports, site.decoys, site.routes = [report], [], pages_
    site.manifest = Manifest(f"a10-{name}", f"A10 {name}")
    return site


def ruishu(request):
    body = ("<html><head><meta id=\"9DhefwqGPrzGxEp9hPaoag\" content=\"seed\" r='m'>"
            "<script>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.cd=\"qxcDrrAlEqVbcD\";</script>"
            "<script src=\"/4QbVtADbnLVIc/d.FxJzG50F.dfe1675.js\" r='m'></script></head><body></body></html>")
    return Response(412, body.encode(), [("Content-Type", "text/html"), ("Set-Cookie", "FSSBBIl1UgzbN7NS=6vSVy; Path=/")])


def jiasule(request):
    body = "<script>document.cookie=('__jsl_clearance_s=1700000000.123|0|abc');location.href=location.pathname+location.search</script>"
    return Response(521, body.encode(), [("Content-Type", "text/html"), ("Set-Cookie", "__jsluid_s=5a1; Path=/")])


def cookie_redirect(request):
    if request.cookies.get("waf") == "ok" or request.path == "/robots.txt":
        return None
    return Response(302, b"", [("Location", request.path), ("Set-Cookie", "waf=ok; Path=/")])


def js_stub(request):
    if request.path == "/robots.txt":
        return None
    stub = "<html><head><script>var t=new Date().getTime();document.cookie='_t='+t;location.reload();</script></head><body></body></html>"
    return Response(200, stub.ljust(1166).encode(), [("Content-Type", "text/html")])


def robots_disallow(request):
    if request.path == "/robots.txt":
        return Response(200, b"User-agent: *\nDisallow: /\n", [("Content-Type", "text/plain")])
    return None


def robots_forbidden(request):
    if request.path == "/robots.txt":
        return Response(403, b"forbidden", [("Content-Type", "text/plain")])
    return None


def waf_403(request):
    return None if request.path == "/robots.txt" else Response(403, b"<html><body>Access denied</body></html>", [("Content-Type", "text/html")])


class RateLimit:
    """After ``limit`` requests, 429 with Retry-After for the rest of the test."""

    def __init__(self, limit=3):
        self.limit, self.count = limit, 0

    def __call__(self, request):
        self.count += 1
        if self.count > self.limit:
            return Response(429, b"Too Many Requests", [("Content-Type", "text/plain"), ("Retry-After", "60")])
        return None


def slow_detail(request):
    if request.path.startswith("/col/col1/art/"):
        return Response(200, b"", [], delay=6.0, drop=True)
    return None


WALLS = {  # name -> (gate, the outcome the crawl must record for the report page or the site)
    "ruishu": (ruishu, "blocked"),
    "jiasule": (jiasule, "blocked"),
    "cookie302": (cookie_redirect, "ok"),
    "jsstub": (js_stub, "blocked"),
    "robots": (robots_disallow, "robots_disallowed"),
    "robots403": (robots_forbidden, "ok"),
    "waf403": (waf_403, "blocked"),
    "ratelimit": (RateLimit, "rate_limited"),
    "slow": (slow_detail, "timeout"),
}


def wall_sites():
    sites = {}
    for name, (gate, outcome) in WALLS.items():
        site = _wall_site(name, gate() if gate is RateLimit else gate)
        site.manifest.walls.append({"outcome": outcome})
        site.expect_report = outcome == "ok"
        sites[f"a10-{name}"] = site
    return sites




# ---------------------------------------------------------------------------------------------
# A2. TRS 信息公开平台 with per-unit channels and per-year sub-columns (Beijing/Handan style)


def site_a2(seed=2):
    rng = random.Random(seed)
    region = "河北省邯郸市"
    units = {"auto23716": "教育局", "auto23737": "财政局", "auto23750": "生态环境局", "gl": "高臾镇人民政府"}
    reports, routes, moved = [], {}, None
    unit_links = []
    for code, unit in units.items():
        root = f"/gszbm/{code}/" if code.startswith("auto") else f"/xzjd/{code}/"
        unit_links.append(f'<li><a href="{root}">{region}{unit}</a></li>')
        years = []
        for year in (2021, 2022, 2023):
            column = f"{root}zfxxgknb/gknb{year}/"
            if code == "auto23750" and year == 2021:
                moved = column  # a year root that moved: 301 to the home page
                years.append(f'<li><a href="{column}">{year}年</a></li>')
                continue
            years.append(f'<li><a href="{column}">{year}年</a></li>')
            rows = []
            for n in range(rng.choice([1, 2])):  # a unit may publish a correction as a second report
                agency = f"{region}{unit}" if n == 0 else f"{region}{unit}（更正版）"
                body = generated_body(seed * 1000 + len(reports), year)
                r = Report(f"a2-{code}-{year}-{n}", agency.replace("（更正版）", ""), year, f"{year + 1}-02-0{n + 5}", body)
                if n:
                    r.title = f"{region}{unit}{year}年政府信息公开工作年度报告（更正）"
                r.path = f"{column}{year + 1}02/t{year + 1}020{n + 5}_{19574 + len(reports)}.html"
                header = ('<table class="xxgk_table"><tr><td>索 引 号：</td><td>000014349/2024-00012</td>'
                          f'<td>发布机构：</td><td>{r.agency}</td></tr><tr><td>成文日期：</td><td>{r.published}</td>'
                          '<td>组配分类：</td><td>政府信息公开年报</td></tr></table>')
                routes[r.path] = _detail(r, 'id="zoom"', "", header)
                reports.append(r)
                rows.append(f'<tr><td><img src="/images/dot.gif"></td><td><a href="./{r.path[len(column):]}">{r.title}</a></td>'
                            f"<td>{r.published}</td></tr>")
            script = "<script>var currentPage = 0; var countPage = 1 //共多少页\ndocument.write('');</script>"
            routes[column] = page(f"{year}年", f'<table class="gl_list">{"".join(rows)}</table>{script}',
                                  meta={"ColumnName": f"{year}年"})
        routes[f"{root}zfxxgknb/"] = page("政府信息公开年报", f'<ul>{"".join(years)}</ul>', meta={"ColumnName": "政府信息公开年报"})
        routes[root] = page(f"{region}{unit}", f'<ul><li><a href="{root}zfxxgkzn/">政府信息公开指南</a></li>'
                                               f'<li><a href="{root}zfxxgknb/">政府信息公开年报</a></li>'
                                               f'<li><a href="{root}zcwj/">政策文件</a></li></ul>')
    routes["/"] = page("邯郸市政府信息公开平台", f'<h3>市政府部门信息公开</h3><ul>{"".join(unit_links)}</ul>'
                                                 '<form action="/was5/web/search"><input name="searchword"></form>'
                                                 '<a href="/was5/web/search?channelid=1&searchword=年报">搜索</a>')

    def route(request):
        if request.path.startswith("/was5/"):
            return html("<html><body>search must not be crawled</body></html>", 500)
        if moved and request.path.startswith(moved):
            return Response(301, b"", [("Location", "/")])
        if request.path in routes:
            return html(routes[request.path])
        return html("<html><body>404</body></html>", 404)

    manifest = Manifest("a2", "A2 TRS 信息公开平台, per-unit channels and per-year sub-columns")
    manifest.walls.append({"path": moved, "outcome": "removed"})
    return _finish(Site("a2", route), manifest, reports, [], routes)
