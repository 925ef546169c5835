"""Imitation government sites built from SITES.md archetypes, each with a ground-truth manifest.

Sites imitate real ones, not the crawler: navigation, decoys, odd pagination, wrong charsets,
gated downloads and walls are there because real sites have them (SITES.md §6).
"""

import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

import reportgen

from .server import Response, Site, html

SAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "samples")


@dataclass
class Report:
    """One genuine annual report on a site."""

    key: str
    agency: str
    year: int
    published: str
    body: str  # HTML fragment of the report
    attachment: bool = False  # the page also links a PDF copy
    stub: bool = False  # the page only says 详见附件; the PDF is the report
    path: str = ""
    attachment_path: str = ""
    title: str = ""

    def __post_init__(self):
        self.title = self.title or f"{self.agency}{self.year}年政府信息公开工作年度报告"


@dataclass
class Manifest:
    site: str
    archetype: str
    base: str = ""
    reports: list = field(default_factory=list)  # dicts: key, agency, year, url, attachments
    decoys: list = field(default_factory=list)  # dicts: title, url
    walls: list = field(default_factory=list)  # dicts: url, outcome, detail

    def as_dict(self):
        return {"site": self.site, "archetype": self.archetype, "base": self.base, "reports": self.reports,
                "decoys": self.decoys, "walls": self.walls}


def fake_pdf(key):
    return f"%PDF-1.4\n% nianbao farm attachment {key}\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".encode()


_RENDERED = {}
RENDERED_DOCX = {}  # the intermediate Word files of render_pdfs, by key


def render_pdfs(documents):
    """PDFs of HTML report bodies made by LibreOffice (HTML -> DOCX -> PDF, as offices do);
    ``{key: bytes}``, empty when LibreOffice is not installed. Cached for the session."""
    todo = {key: html for key, html in documents.items() if key not in _RENDERED}
    office = shutil.which("soffice")
    if todo and office:
        with tempfile.TemporaryDirectory(prefix="nianbao-farm-") as work:
            sources = []
            for key, body in todo.items():
                path = os.path.join(work, f"{key}.html")
                fitted = re.sub(r"""\s(?:style|width|nowrap)=(?:"[^"]*"|'[^']*')""", "", body)
                fitted = fitted.replace("<table", '<table width="100%" style="font-size:8pt"')
                with open(path, "w", encoding="utf-8") as f:
                    f.write(f'<html><head><meta charset="utf-8"></head><body>{fitted}</body></html>')
                sources.append(path)
            profile = f"-env:UserInstallation=file://{work}/profile"
            subprocess.run([office, "--headless", profile, "--convert-to", "docx:MS Word 2007 XML", "--outdir", work, *sources],
                           capture_output=True, timeout=300)
            docx = [os.path.join(work, f"{key}.docx") for key in todo]
            subprocess.run([office, "--headless", profile, "--convert-to", "pdf", "--outdir", work,
                            *[d for d in docx if os.path.exists(d)]], capture_output=True, timeout=300)
            for key in todo:
                pdf, docx_path = os.path.join(work, f"{key}.pdf"), os.path.join(work, f"{key}.docx")
                if os.path.exists(pdf):
                    with open(pdf, "rb") as f:
                        _RENDERED[key] = f.read()
                    with open(docx_path, "rb") as f:
                        RENDERED_DOCX[key] = f.read()
    return {key: _RENDERED[key] for key in documents if key in _RENDERED}


def generated_body(seed, year, with_values=False, as_read=False, previous=None, agency=None, scale=None,
                   no_rulemaking=False):
    """A report body with consistent numbers, rendered like a CMS fragment (and its numbers;
    ``as_read``: the numbers as a reader must read them, a zero printed blank or "-" as None).

    ``previous``: the numbers of the same agency's report of the year before, which these
    continue (reportgen.generate); ``agency``: the name its narrative speaks of."""
    rng = random.Random(seed)
    era = "f2021" if year >= 2021 else "f2019"
    before = reportgen.GenReport(era, year - 1, agency or "", dict(previous)) if previous else None
    report = reportgen.generate(rng, era, previous=before, scale=scale, no_rulemaking=no_rulemaking)
    report.year = year
    if agency:
        report.agency = agency
    style = reportgen.Style.random(rng)
    style.whole_page = False
    style.traditional = False
    style.encoding = "utf-8"
    data, _ = reportgen.render_html(report, style, rng)
    body = data.decode("utf-8")
    # the generator titles its reports with its own agency; keep the table part only
    body = body[body.index("<p>一、") if "<p>一、" in body else 0:]
    if as_read:
        return body, reportgen.expected_reading(report, style)
    return (body, report.values) if with_values else body


def pre2019_body(agency, year, seed):
    rng = random.Random(seed)
    received = rng.randint(3, 60)
    return (
        f"<p>一、概述</p><p>{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》。</p>"
        f"<p>二、主动公开政府信息情况</p><p>全年主动公开政府信息{rng.randint(100, 3000)}条。</p>"
        f"<p>三、依申请公开政府信息情况</p><p>全年共受理政府信息公开申请{received}件，均已按时答复。</p>"
        "<p>四、政府信息公开的收费及减免情况</p><p>未收取任何费用。</p>"
        "<p>五、因政府信息公开申请行政复议、提起行政诉讼的情况</p><p>全年未发生行政复议和行政诉讼。</p>"
    )


def page(title, body, nav="", crumb="", meta=None, charset_meta="utf-8", extra_head=""):
    metas = "".join(f'<meta name="{k}" content="{v}">' for k, v in (meta or {}).items())
    charset = f'<meta http-equiv="Content-Type" content="text/html; charset={charset_meta}">' if charset_meta else ""
    return (
        f"<!DOCTYPE html><html><head>{charset}{metas}<title>{title}</title>{extra_head}"
        "<script>var _hmt=_hmt||[];</script></head><body>"
        f'<div class="header"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a> '
        f'<a href="/bsfw/">办事服务</a></div>{nav}'
        f'<div class="crumb">{crumb}</div>{body}'
        '<div class="footer">主办单位：人民政府办公室 网站标识码：4300000001 '
        '<a href="http://www.beian.example/">备案号</a></div></body></html>'
    )


DECOY_TITLES = [
    "{year}年政府信息公开工作年度报告解读",
    "图解：{year}年政府信息公开工作年度报告",
    "{agency}{year}年政府工作报告",
    "{agency}政府网站工作年度报表（{year}年度）",
    "{agency}{year}年法治政府建设年度报告",
    "关于召开政务公开工作会议的通知",
    "我县召开{year}年政务公开工作推进会",
    "{agency}住房公积金{year}年年度报告",
]


# ---------------------------------------------------------------------------------------------
# A1. TRS county portal, flat 年报 column, createPageHTML pagination


def site_a1(seed=1):
    rng = random.Random(seed)
    county = "湖南省蓝山县"
    units = [f"{county}人民政府"] + [f"{county}{b}" for b in ("教育局", "财政局", "卫生健康局", "民政局", "自然资源局",
                                                            "交通运输局", "农业农村局", "市场监督管理局")] + \
            [f"{county}{t}人民政府" for t in ("塔峰镇", "总市镇", "所城镇", "新圩镇")]
    reports = []
    for i, unit in enumerate(units):
        for year in (2021, 2022, 2023):
            if rng.random() < 0.25:
                continue
            key = f"a1-{i}-{year}"
            body, values = generated_body(seed * 1000 + i * 10 + year, year, with_values=True)
            r = Report(key, unit, year, f"{year + 1}-01-{rng.randint(10, 28):02d}", body)
            r.values = values
            r.attachment = rng.random() < 0.3
            r.stub = not r.attachment and rng.random() < 0.12
            reports.append(r)
    shanghai = open(os.path.join(SAMPLES, "shanghai-office-2019.html"), encoding="utf-8").read()
    reports.append(Report("a1-sample", f"{county}人民政府办公室", 2019, "2020-01-20", shanghai))
    reports.append(Report("a1-pre", f"{county}人民政府", 2017, "2018-03-20",
                          pre2019_body(f"{county}人民政府", 2017, seed)))
    decoys = []
    for n, template in enumerate(DECOY_TITLES):
        year = 2021 + n % 3
        decoys.append({"title": template.format(year=year, agency=f"{county}人民政府"), "date": f"{year + 1}-02-0{n % 9 + 1}"})
    # Attachments are PDFs of the report made by an office suite; one PDF disagrees with its page
    # by one number, as a report edited after its PDF was exported does.
    with_files = [r for r in reports if r.attachment or r.stub]
    documents = {r.key: f"<p>{r.title}</p>" + r.body for r in with_files}
    edited = next((r for r in with_files if r.attachment), None)
    if edited is not None:
        documents[edited.key] = documents[edited.key].replace("<p>全年发生政府信息公开行政复议", "<p>全年发生行政复议", 1)
        edited.disagrees = _bump_first_number(edited)
        documents[edited.key] = edited.disagrees[0]
    pdfs = render_pdfs(documents)
    entries = [("report", r) for r in reports] + [("decoy", d) for d in decoys]
    entries.sort(key=lambda e: e[1].published if e[0] == "report" else e[1]["date"], reverse=True)
    entries[3], entries[7] = entries[7], entries[3]  # two items out of order, as real columns have
    column = "/zwgk/zfxxgk/zfxxgknb/"
    pages_n = -(-len(entries) // 10)
    routes = {}
    manifest = Manifest("a1", "A1 TRS county portal, createPageHTML pagination")
    for n, (kind, entry) in enumerate(entries):
        ymd = (entry.published if kind == "report" else entry["date"]).replace("-", "")
        doc_id = 3187200 + n
        path = f"{column}{ymd[:6]}/t{ymd}_{doc_id}.html"
        if kind == "report":
            entry.path = path
            attachments = ""
            if entry.attachment or entry.stub:
                entry.attachment_path = f"{column}{ymd[:6]}/P0{ymd}{doc_id:010d}.pdf"
                attachments = f'<p>附件：<a href="./P0{ymd}{doc_id:010d}.pdf">{entry.title}.pdf</a></p>'
            content = ("<p>详见附件。</p>" if entry.stub else entry.body) + attachments
            meta = {"ArticleTitle": entry.title, "PubDate": entry.published, "ContentSource": entry.agency,
                    "ColumnName": "政府信息公开年报"}
            body = (f'<h1 class="title">{entry.title}</h1><div class="info">发布时间：{entry.published} '
                    f'来源：{entry.agency}</div><div class="TRS_Editor">{content}</div>')
            routes[path] = ("page", page(f"{entry.title}_政府信息公开年报", body, meta=meta,
                                         crumb="首页 >> 政务公开 >> 政府信息公开 >> 政府信息公开年报"))
            if entry.attachment_path:
                entry.real_pdf = entry.key in pdfs
                routes[entry.attachment_path] = ("file", pdfs.get(entry.key) or fake_pdf(entry.key))
        else:
            entry["path"] = path
            routes[path] = ("page", page(entry["title"], f'<h1>{entry["title"]}</h1><div class="TRS_Editor">'
                                         f"<p>{entry['title']}。</p><p>全年共收到政府信息公开申请12件。</p></div>"))
    for p in range(pages_n):
        items = entries[p * 10:(p + 1) * 10]
        lis = []
        for kind, entry in items:
            title = entry.title if kind == "report" else entry["title"]
            date = entry.published if kind == "report" else entry["date"]
            href = "." + (entry.path if kind == "report" else entry["path"])[len(column) - 1:]
            shown = title if len(title) <= 24 else title[:22] + "…"
            lis.append(f'<li><a href="{href}" title="{title}" target="_blank">{shown}</a><span>{date}</span></li>')
        script = ('<script>function createPageHTML(n,c,s,e){for(var i=0;i<n;i++){document.write("<a href=\\""'
                  f'+(i==0?s+"."+e:s+"_"+i+"."+e)+"\\">"+(i+1)+"</a>");}}}}createPageHTML({pages_n}, {p}, "index", "html");</script>')
        body = f'<div class="list"><ul class="list">{"".join(lis)}</ul></div><div class="page">{script}</div>'
        name = "index.html" if p == 0 else f"index_{p}.html"
        routes[column + name] = ("page", page("政府信息公开年报", body, meta={"ColumnName": "政府信息公开年报"},
                                              crumb='首页 >> 政务公开 >> 政府信息公开 >> <a class="CurrChnlCls">政府信息公开年报</a>'))
    routes["/"] = ("page", page("蓝山县人民政府", '<div class="news"><a href="/xwzx/2024/01/news1.html">全县经济工作会议召开</a>'
                                '<a href="/zwgk/">政务公开</a></div>'))
    routes["/zwgk/"] = ("page", page("政务公开", '<ul><li><a href="/zwgk/zfxxgk/">政府信息公开</a></li>'
                                     '<li><a href="/zwgk/zcwj/">政策文件</a></li></ul>'))
    routes["/zwgk/zfxxgk/"] = ("page", page("政府信息公开", '<ul><li><a href="/zwgk/zfxxgk/zfxxgkzn/">政府信息公开指南</a></li>'
                                            f'<li><a href="{column}index.html">政府信息公开年报</a></li>'
                                            '<li><a href="/zwgk/zfxxgk/fdzdgknr/">法定主动公开内容</a></li></ul>'))
    routes["/robots.txt"] = ("text", "User-agent: *\nDisallow: /was5/\n")

    def route(request):
        target = routes.get(request.path) or routes.get(request.path.rstrip("/") + "/")
        if target is None:
            return html("<html><body><h1>404 Not Found</h1></body></html>", 404)
        kind, content = target
        if kind == "file":
            return Response(200, content, [("Content-Type", "application/pdf")])
        if kind == "text":
            return Response(200, content.encode(), [("Content-Type", "text/plain")])
        etag = '"' + hashlib.md5(content.encode()).hexdigest() + '"'
        if request.headers.get("if-none-match") == etag:
            return Response(304, b"", [("ETag", etag)])
        return html(content, headers=[("ETag", etag), ("Last-Modified", "Mon, 22 Jan 2024 08:00:00 GMT")])

    site = Site("a1", route)
    site.routes = routes
    site.reports = reports
    site.decoys = decoys
    site.manifest = manifest
    return site


def _bump_first_number(report):
    """The report's document with table 四's first value changed: ``(html, code)``."""
    html = f"<p>{report.title}</p>" + report.body
    code = "table4.review.upheld"
    value = report.values[code]
    marker = html.index("复议后起诉")
    head, tail = html[:marker], html[marker:]
    # the data row of table 四 follows its header; change the first value cell after it
    tail = re.sub(r"(<tr>(?:(?!</tr>).)*?<td[^>]*>(?:<[^>]+>)*)(\d+|&nbsp;)", lambda m: m.group(1) + str(value + 7), tail, count=1, flags=re.S)
    return head + tail, code


def finish_manifest(site):
    """Fill the manifest with absolute URLs once the site has a port."""
    m = site.manifest
    m.base = site.base
    for r in site.reports:
        entry = {"key": r.key, "agency": r.agency, "year": r.year, "title": r.title, "url": site.base + r.path}
        if r.attachment_path:
            entry["attachments"] = [site.base + r.attachment_path]
        entry["stub"] = r.stub
        m.reports.append(entry)
    for d in site.decoys:
        m.decoys.append({"title": d["title"], "url": site.base + d["path"]})
    return m


def write_manifest(manifests, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump([m.as_dict() for m in manifests], f, ensure_ascii=False, indent=1)




