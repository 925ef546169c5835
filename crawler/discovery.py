"""What a government page says about where annual reports are: links, columns, list pages.

Plain functions over text, shared by the spiders: discovery is driven by anchor text, titles,
``ColumnName`` metas and list mechanisms (SITES.md §2), never by one site's URL slugs.
"""

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.etree
import lxml.html

from extractors.metadata import normalize_year

# -- titles -------------------------------------------------------------------------------

REPORT = re.compile(
    r"信息公开(?:工作)?(?:年度)?(?:报告|年报)|政务公开(?:工作)?年度报告|信息公开年报|年度报告"
)
# Look-alikes that live in the same columns (SITES.md §0.4, §6 A1): interpretations, infographics,
# the government *work* report, website annual statements, rule-of-law reports, housing fund
# reports, news about the disclosure work, notices about how to write reports.
# Presentations of a report (interpretations, infographics): never the report itself.
RENDITION = re.compile(r"解读|图解|一图|图说|读懂|问答|答记者问|视频|动漫|H5")
DECOY = re.compile(
    r"解读|图解|一图|图说|读懂|政府工作报告|网站(?:工作)?年度报表|网站年报|年度报表|法治政府|依法行政|公积金|"
    r"预算|决算|统计公报|会议|培训|通知|工作要点|实施方案|督查|考核|评估|报送|编制|提纲|模板|格式|征求意见|"
    r"社会责任|企业年报|年度报告书|年报公示|审计工作报告|环境状况|国民经济"
)
COLUMN = re.compile(
    r"(?:政府)?信息公开(?:工作)?(?:年度)?(?:报告|年报)|政务公开年报|^年报$|年度报告$|"
    r"^(?:19|20)\d{2}\s*年(?:度)?(?:报告|年报)?$|^(?:19|20)\d{2}n?$"
)
# Navigation that leads towards a 年报 column: disclosure platforms, units, townships, years.
NAVIGATION = re.compile(
    r"政务公开|信息公开|政府信息公开|公开目录|法定主动公开|部门信息公开|乡镇|街道|镇人民政府|乡人民政府|部门|"
    r"单位|区县|县区|下级|^(?:19|20)\d{2}\s*年?(?:度)?$"
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")


_TRUNCATED = re.compile(r"信息公开(?:工作)?(?:年度?)?(?:报)?(?:…+|\.{2,}|．{2,})$")


def classify_title(text):
    """``report`` for an annual disclosure report's title, ``decoy`` for a look-alike, else None.

    List pages cut long titles ("…政府信息公开工作年度…"): a cut inside the statutory phrase counts.
    """
    text = normalize_year(re.sub(r"\s+", "", text or ""))
    if not text:
        return None
    if REPORT.search(text) or _TRUNCATED.search(text):
        if RENDITION.search(text):
            return "decoy"
        # Other decoy words may be part of an agency's name (住房公积金管理中心, 统计局): the full
        # statutory title after a year still makes it a report.
        if DECOY.search(text) and not re.search(r"(?:19|20)\d{2}年(?:度)?.{0,20}政府信息公开工作年度报告$", text):
            return "decoy"
        if "政府信息公开" not in text and "信息公开" not in text and "政务公开" not in text:
            return "decoy" if re.search(r"报表|工作报告", text) else None
        return "report"
    if DECOY.search(text) and re.search(r"报告|年报|报表", text):
        return "decoy"
    return None


def report_year(title):
    """The report year named in a title ("2023年…年度报告"), None when it names none."""
    match = _YEAR.search(normalize_year(title or ""))
    return int(match.group(1)) if match else None


def is_column(text):
    text = re.sub(r"\s+", "", text or "")
    return bool(text) and len(text) <= 20 and bool(COLUMN.search(text)) and not DECOY.search(text)


# A unit's own channel on a disclosure platform is linked by the unit's name (SITES.md §1.3 C).
AGENCY = re.compile(r"(?:局|委|委员会|办公室|办公厅|厅|中心|人民政府|政府|办事处|管委会|院|署|所|站|队)$")


def is_navigation(text):
    text = re.sub(r"\s+", "", text or "")
    if not text or DECOY.search(text):
        return False
    return (len(text) <= 16 and bool(NAVIGATION.search(text))) or (len(text) <= 24 and bool(AGENCY.search(text)))


# -- links --------------------------------------------------------------------------------

ATTACHMENT_EXT = re.compile(r"\.(pdf|docx?|wps|xlsx?|zip|rar|ofd|et)(?:$|[?#])", re.I)
_DOWNLOAD_URL = re.compile(r"download|downfile|attach|getfile|wbfileid|fileid=", re.I)
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "#", "data:")
_SKIP_PATHS = re.compile(r"/was5?/|/search|\.(?:jpg|jpeg|png|gif|bmp|css|js|ico|svg|swf|mp4|mp3)(?:$|\?)", re.I)


@dataclass
class Link:
    """An anchor: absolute URL, its visible text and title attribute."""

    url: str
    text: str
    title: str = ""

    @property
    def label(self):
        return self.title or self.text


def absolute(base, href):
    """Resolve an href (relative, protocol-relative, with ``;jsessionid``) against a page URL."""
    href = (href or "").strip().replace("\\", "/")
    if not href or href.lower().startswith(_SKIP_SCHEMES):
        return None
    url = urljoin(base, href)
    url = re.sub(r";jsessionid=[^?#]*", "", url, flags=re.I)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def links(root, base):
    """Every anchor of a parsed page as :class:`Link`, skipping scripts, styles and search."""
    out = []
    for a in root.iter("a"):
        url = absolute(base, a.get("href"))
        if not url or _SKIP_PATHS.search(urlsplit(url).path + "?" + urlsplit(url).query):
            continue
        text = re.sub(r"\s+", "", "".join(a.itertext()))
        out.append(Link(url, text, (a.get("title") or "").strip()))
    return out


def is_attachment_url(url, text=""):
    """Whether a link looks like a file download (by extension, download URL, or its text)."""
    path = urlsplit(url).path + "?" + urlsplit(url).query
    return bool(ATTACHMENT_EXT.search(path) or _DOWNLOAD_URL.search(path) or ATTACHMENT_EXT.search(text or ""))


def parse_html(text):
    """Parse page text leniently; None for an empty page."""
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return None


def column_name(root):
    """The ``ColumnName`` meta or the last breadcrumb item: what column a page belongs to."""
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() == "columnname" and meta.get("content"):
            return meta.get("content").strip()
    return None


# -- list mechanisms (SITES.md §2) -------------------------------------------------------------

@dataclass
class Fetch:
    """A request discovery wants made: GET by default, or POST with a form body."""

    url: str
    method: str = "GET"
    body: str = None
    headers: dict = field(default_factory=dict)
    kind: str = "list"  # list | api


_CREATE_PAGE = re.compile(r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w.-]+)['\"]\s*,\s*['\"](\w+)['\"]")
_COUNT_PAGE = re.compile(r"(?:countPage|pageCount|totalPage|totalPages|contenpage|_nPageCount)\s*[=:]\s*['\"]?(\d+)")
_TOTAL_PAGES_TEXT = re.compile(r"共\s*(\d+)\s*页")
_PAGE_PARAM = re.compile(r"(?:^|&)(pageIndex|pageNo|pageNum|page|currpage|currPage|pn|p)=(\d+)", re.I)


def _sibling(url, name):
    return urljoin(url, name)


def trs_pages(script_text, url):
    """TRS static pages from ``createPageHTML(n, cur, "index", "html")`` or ``countPage = n``."""
    match = _CREATE_PAGE.search(script_text)
    if match:
        count, _, stem, ext = int(match.group(1)), int(match.group(2)), match.group(3), match.group(4)
        return [Fetch(_sibling(url, f"{stem}_{i}.{ext}")) for i in range(1, min(count, 500))]
    match = _COUNT_PAGE.search(script_text)
    if match and re.search(r"index(?:_\d+)?\.s?html?$|/$", urlsplit(url).path):
        count = int(match.group(1))
        ext = re.search(r"\.(s?html?)$", urlsplit(url).path)
        ext = ext.group(1) if ext else "html"
        return [Fetch(_sibling(url, f"index_{i}.{ext}")) for i in range(1, min(count, 500))]
    return []


_PARAM_VAR = re.compile(r"var\s+param_(\w+)\s*=\s*\{([^}]*)\}")
_TOTAL_RECORD = re.compile(r"totalRecord\s*:\s*(\d+)")
_PER_PAGE = re.compile(r"perPage\s*:\s*(\d+)")
_PROXY_URL = re.compile(r"proxyUrl\s*:\s*['\"]([^'\"]+)['\"]")
_JS_PAIR = re.compile(r"(\w+)\s*:\s*(?:'([^']*)'|\"([^\"]*)\"|([^,\s]+))")


def jpage_groups(page_text, url, group_size=45):
    """Hanweb jpage: POST dataproxy.jsp for the record groups after the embedded first one."""
    param = _PARAM_VAR.search(page_text)
    total = _TOTAL_RECORD.search(page_text)
    if not param or not total:
        return []
    form = {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in _JS_PAIR.finditer(param.group(2))}
    proxy = _PROXY_URL.search(page_text)
    proxy_url = urljoin(url, proxy.group(1) if proxy else "/module/web/jpage/dataproxy.jsp")
    per_page = int(_PER_PAGE.search(page_text).group(1)) if _PER_PAGE.search(page_text) else 15
    fetches = []
    for start in range(group_size + 1, int(total.group(1)) + 1, group_size):
        query = urlencode({"startrecord": start, "endrecord": start + group_size - 1, "perpage": per_page})
        fetches.append(Fetch(
            f"{proxy_url}?{query}", "POST", urlencode(form),
            {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", "X-Requested-With": "XMLHttpRequest"},
            "api",
        ))
    return fetches


_CDATA_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)


def jpage_records(xml_text):
    """The HTML fragments inside a jpage datastore's ``<record><![CDATA[…]]>`` elements."""
    return "".join(_CDATA_RECORD.findall(xml_text))


_JPAAS = re.compile(r"""<div[^>]*class=["'][^"']*pagination[^"']*["'][^>]*>""", re.I)


def jpaas_pages(page_text, url):
    """Hanweb jpaas: the build/unit API, with ``pageNo`` inside ``paramJson`` (a bare one is ignored)."""
    for tag in _JPAAS.findall(page_text):
        attrs = {k.lower(): a if a or not b else b for k, a, b in re.findall(r"""(\w+)=(?:"([^"]*)"|'([^']*)')""", tag)}
        if "querydata" not in attrs or "count" not in attrs:
            continue
        query = json.loads(attrs["querydata"].replace("'", '"'))
        rows = int(attrs.get("rows") or 15)
        pages = -(-int(attrs["count"]) // rows)
        fetches = []
        for page in range(2, min(pages, 500) + 1):
            params = {
                "webId": query.get("webId", ""), "pageId": query.get("pageId", ""), "parseType": "bulidstatic",
                "pageType": "column", "tagId": query.get("tagId", ""), "tplSetId": query.get("tplSetId", ""),
                "paramJson": json.dumps({"pageNo": page, "pageSize": str(rows)}),
            }
            fetches.append(Fetch(urljoin(url, "/api-gateway/jpaas-publish-server/front/page/build/unit?" + urlencode(params)), kind="api"))
        return fetches
    return []


_GKMLPT_CONFIG = re.compile(r"window\._CONFIG\s*=\s*(\{.*?\})\s*;?\s*</script>", re.S)


def gkmlpt_lists(page_text, url):
    """Guangdong gkmlpt: the ``/gkmlpt/api/all/{id}`` list of every 年报 node of ``_CONFIG.TREE``."""
    match = _GKMLPT_CONFIG.search(page_text)
    if not match:
        return []
    config = match.group(1)
    sid = re.search(r"SID\s*:\s*['\"]?(\w+)", config)
    tree = re.search(r"TREE\s*:\s*(\[.*\])", config, re.S)
    if not sid or not tree:
        return []
    try:
        nodes = json.loads(tree.group(1))
    except ValueError:
        return []
    fetches = []
    stack = list(nodes)
    while stack:
        node = stack.pop()
        stack.extend(node.get("children") or [])
        if node.get("jump_url") or not is_column(node.get("name", "")):
            continue
        fetches.append(Fetch(urljoin(url, f"/gkmlpt/api/all/{node['id']}?page=1&sid={sid.group(1)}"), kind="api"))
    return fetches


def gkmlpt_articles(data):
    """``(links, next page or None)`` from one gkmlpt list API answer."""
    articles = data.get("articles") or []
    found = [Link(a.get("url") or a.get("post_url"), a.get("title", ""), a.get("title", "")) for a in articles]
    return [l for l in found if l.url], articles


def next_query_page(url):
    """The URL of the next page of a query-parameter list (``?pageIndex=N``), or None."""
    parts = urlsplit(url)
    match = _PAGE_PARAM.search(parts.query)
    if not match:
        return None
    query = parse_qsl(parts.query, keep_blank_values=True)
    name, number = match.group(1), int(match.group(2))
    query = [(k, str(number + 1) if k == name else v) for k, v in query]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def pager_links(page_links):
    """Pager anchors of a rendered page (下一页, 尾页, page numbers)."""
    return [l for l in page_links if re.fullmatch(r"下一?页|尾页|末页|>|»|\d{1,3}|第\d+页", l.text or "")]


def list_pages(page_text, url):
    """Every further list page a list page announces, whatever its mechanism."""
    fetches = trs_pages(page_text, url) + jpage_groups(page_text, url) + jpaas_pages(page_text, url) + gkmlpt_lists(page_text, url)
    total = _TOTAL_PAGES_TEXT.search(page_text)
    if not fetches and total and _PAGE_PARAM.search(urlsplit(url).query or ""):
        next_url = next_query_page(url)
        if next_url:
            fetches.append(Fetch(next_url))
    return fetches
