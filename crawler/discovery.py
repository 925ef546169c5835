"""What a government page says about where annual reports are: links, titles, columns.

Plain functions over text, shared by the spider and the list mechanisms: discovery is driven by
anchor text, titles and ``ColumnName`` metas, never by one site's URL slugs. How a column's pages
are enumerated is ``crawler/lists/``.
"""

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from extractors.html import parse_tree
from extractors.metadata import classify_title, normalize_year  # noqa: F401 - the spider asks discovery
from extractors.spec import TITLE_DECOY as DECOY

# -- titles (the vocabularies are the format's: extractors.spec) ---------------------------
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


def report_year(title):
    """The report year named in a title ("2023年…年度报告"), None when it names none."""
    match = _YEAR.search(normalize_year(title or ""))
    return int(match.group(1)) if match else None


def is_column(text):
    """A 年报 column's label (政府信息公开年报, 信息公开年报, 2023年), not a report's title: a label
    naming a year before the statutory phrase is one report (某县2023年政府信息公开工作年度报告)."""
    text = re.sub(r"\s+", "", text or "")
    if not text or len(text) > 20 or not COLUMN.search(text) or DECOY.search(text):
        return False
    return not re.search(r"(?:19|20)\d{2}年(?:度)?.+(?:报告|年报)$", normalize_year(text))


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


def is_skipped(url):
    """Site search, images, scripts and styles: never followed as pages."""
    parts = urlsplit(url)
    return bool(_SKIP_PATHS.search(parts.path + "?" + parts.query))


def links(root, base):
    """Every anchor of a parsed page as :class:`Link`, skipping scripts, styles and search."""
    out = []
    for a in root.iter("a"):
        url = absolute(base, a.get("href"))
        if not url or is_skipped(url):
            continue
        text = re.sub(r"\s+", "", "".join(a.itertext()))
        out.append(Link(url, text, (a.get("title") or "").strip()))
    return out


def is_attachment_url(url, text=""):
    """Whether a link looks like a file download (by extension, download URL, or its text)."""
    path = urlsplit(url).path + "?" + urlsplit(url).query
    return bool(ATTACHMENT_EXT.search(path) or _DOWNLOAD_URL.search(path) or ATTACHMENT_EXT.search(text or ""))


def parse_html(text):
    """Parse page text leniently (the extractors' parser: one parser for the project); None for
    an empty page."""
    return parse_tree(text)


def column_name(root):
    """The ``ColumnName`` meta or the last breadcrumb item: what column a page belongs to."""
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() == "columnname" and meta.get("content"):
            return meta.get("content").strip()
    return None
