"""Records in a JSON list answer whose shape is not known in advance (vendor APIs, the requests a
rendered page makes): the largest array of objects carrying a link and a title, and the totals
announced beside it.
"""

import re
from dataclasses import dataclass
from urllib.parse import unquote

from .. import discovery
from .base import Found, as_int, capped, plausible

URL_KEYS = ("url", "href", "link", "linkurl", "linkUrl", "docpuburl", "chnldocurl", "docurl", "docUrl", "infourl",
            "infoUrl", "post_url", "pageUrl", "detailUrl", "detail_url", "articleUrl", "art_url", "path", "DOCPUBURL")
TITLE_KEYS = ("title", "doctitle", "docTitle", "realtitle", "titleHtml", "name", "articleTitle", "article_title",
              "bt", "subject", "DOCTITLE", "showTitle")
TOTAL_KEYS = ("total", "totalCount", "totalcount", "recordCount", "recordcount", "totalRecord", "totalrecord",
              "totalRecords", "totalNum", "totalElements", "total_count", "rowCount", "count", "records")
PAGE_KEYS = ("pageCount", "pagecount", "totalPage", "totalpage", "totalPages", "pageTotal", "page_count", "pages")
_TAG = re.compile(r"<[^>]+>")
_PERCENT_U = re.compile(r"%u([0-9a-fA-F]{4})")


@dataclass
class Records:
    items: list  # discovery.Link
    total: int = None
    pages: int = None
    size: int = 0  # records in this answer


def clean_title(value):
    """A title as a list shows it: tags stripped (``titleHtml``), ``%uXXXX`` escapes undone."""
    text = _TAG.sub("", str(value or ""))
    text = _PERCENT_U.sub(lambda m: chr(int(m.group(1), 16)), text)
    if "%" in text and re.search(r"%[0-9A-Fa-f]{2}", text):
        text = unquote(text)
    return re.sub(r"\s+", "", text)


def _field(obj, keys):
    for key in keys:
        value = obj.get(key)
        if value not in (None, ""):
            return value
    return None


def record_link(obj, base, url_keys=URL_KEYS, title_keys=TITLE_KEYS):
    """A Link from one record object, or None when it has no usable URL."""
    url = _field(obj, url_keys)
    if not isinstance(url, str):
        return None
    url = discovery.absolute(base, url)
    if not url:
        return None
    # The longest title field: lists often carry a cut ``title`` beside the full ``realtitle``.
    titles = [clean_title(obj.get(key)) for key in title_keys if obj.get(key) not in (None, "")]
    title = max(titles, key=len) if titles else ""
    return discovery.Link(url, title, title)


def _arrays(value, parents=()):
    if isinstance(value, list):
        yield value, parents
        for item in value:
            if isinstance(item, (dict, list)):
                yield from _arrays(item, parents)
    elif isinstance(value, dict):
        for item in value.values():
            if isinstance(item, (dict, list)):
                yield from _arrays(item, parents + (value,))


def _total(objects, keys):
    for obj in reversed(objects):  # the nearest enclosing object first
        for key in keys:
            number = as_int(obj.get(key)) if key in obj else None
            if number is not None:
                return number
    return None


def read_page(answer, fetch, page_fetch):
    """``Found`` for one answer of a JSON list API: its records and announced total, and on the
    first page the fetches of pages 2..N (``page_fetch(n)``), N from the total and the size of
    the first answer."""
    data = answer.json
    if not isinstance(data, (dict, list)):
        return Found(is_page=False, notes=[f"page {fetch.page}: not a JSON answer"])
    records = find(data, answer.url)
    found = Found(records.items, announced=records.total, is_page=bool(records.items))
    if fetch.page == 1 and records.total is not None and records.size:
        pages = -(-records.total // records.size)
        found.pages_announced = pages
        found.notes.append(f"total {records.total}, {records.size} a page: {pages} pages")
        implausible = plausible(records.total, pages)
        if implausible:
            found.notes.append(implausible)
        found.fetches = [page_fetch(n) for n in range(2, capped(pages) + 1)]
    return found


def find(data, base):
    """The records of a JSON answer (the largest array of linked objects) and its totals."""
    best, best_parents = [], ()
    for array, parents in _arrays(data):
        links = [record_link(o, base) for o in array if isinstance(o, dict)]
        links = [l for l in links if l is not None]
        if len(links) > len(best):
            best, best_parents = links, parents
    if not best:
        parents = (data,) if isinstance(data, dict) else ()
        return Records([], _total(parents, TOTAL_KEYS), _total(parents, PAGE_KEYS), 0)
    return Records(best, _total(best_parents, TOTAL_KEYS), _total(best_parents, PAGE_KEYS), len(best))
