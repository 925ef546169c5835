"""Lists paged by a query parameter whose pager is script (``onclick="go(2)"``, ``javascript:``):
``?pageIndex=N``, ``?page=N``, ``?currentPage=N`` (Beijing eportal), ``/public/column/...&pageIndex=N``
(Anhui/Jiangxi/Qinghai), ``class.asp?page=N`` (SITES.md §1.3, §2.7, §6 A8).

The parameter is the one in the page's own URL (or the one its pager script appends a number
to); whether pages count from 0 or 1 is the value on the first page. With 共N页 or 共N条 shown,
every page is asked for at once; otherwise pages are asked for one after another until one
repeats the page before (such sites answer past the end with the last page again) or is empty.
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .. import discovery
from .base import Fetch, Found, Plan, capped, pages_in_text, plausible, records_in_text
from .items import list_items

NAME = "query_pages"

PARAMS = ("pageIndex", "pageindex", "PageIndex", "pageNo", "pageno", "PageNo", "pageNum", "pagenum", "currentPage",
          "currentpage", "curPage", "curpage", "currPage", "currpage", "page", "Page", "pn", "p", "pageNumber", "page_no")
_SCRIPT_PARAM = re.compile(r"""[?&](%s)=['"]?\s*\+""" % "|".join(PARAMS))


def _with(url, name, value):
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(k == name for k, _ in query):
        query = [(k, str(value) if k == name else v) for k, v in query]
    else:
        query.append((name, str(value)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def page_parameter(page):
    """``(name, value)`` of the page-number parameter: in the URL, or appended by the pager script."""
    query = dict(parse_qsl(urlsplit(page.url).query, keep_blank_values=True))
    for name in PARAMS:
        if name in query and query[name].strip().isdigit():
            return name, int(query[name])
    # A parameter only the pager script appends is trusted on a column's page, not on a home page
    # whose scripts page a news box.
    match = _SCRIPT_PARAM.search(page.scripts) if page.kind == "column" or _column_named(page) else None
    if match:
        return match.group(1), None
    return None, None


def _column_named(page):
    return page.root is not None and discovery.is_column(discovery.column_name(page.root) or "")


def recognise(page):
    name, value = page_parameter(page)
    if name is None:
        return []
    state = {"name": name}
    items = list_items(page.root, page.url, state)
    text = page.visible_text
    records, pages = records_in_text(text), pages_in_text(text)
    if not items:
        return []
    first = value if value in (0, 1) else 1
    if value is None:
        value = first
    base = first  # the first page's number: 0 or 1
    key = f"{NAME}:{_with(page.url, name, 'N')}"
    notes = [f"page parameter {name}, first page {base}"]
    per_page = len({l.url for l in items})
    if pages is None and records is not None and per_page:
        pages = -(-records // per_page)
        notes.append(f"{records} records at {per_page} a page: {pages} pages")
    implausible = plausible(records, pages)
    if implausible:
        notes.append(implausible)
    state.update(base=base, previous=frozenset(l.url for l in items))
    current = value - base + 1
    fetches = []
    if current != 1:
        fetches.append(Fetch(_with(page.url, name, base), page=1))
    if pages is not None:
        fetches += [Fetch(_with(page.url, name, n - 1 + base), page=n) for n in range(2, capped(pages) + 1) if n != current]
    else:
        notes.append("no total shown: asking page after page until one repeats")
        fetches.append(Fetch(_with(page.url, name, current + base), page=current + 1, data={"chain": True}))
    return [Plan(NAME, key, _with(page.url, name, base) if current != 1 else page.url,
                 Found(items, fetches, records, pages, notes), state)]


def read(plan, fetch, answer):
    items = list_items(answer.root, answer.url, plan.state)
    found = Found(items)
    if not fetch.data.get("chain"):
        return found
    urls = frozenset(l.url for l in items)
    if not urls or urls == plan.state.get("previous"):
        found.notes.append(f"page {fetch.page} repeats page {fetch.page - 1} or is empty: the list ends at page {fetch.page - 1}")
        found.is_page = False
        return found
    plan.state["previous"] = urls
    name, base = plan.state["name"], plan.state["base"]
    found.fetches.append(Fetch(_with(fetch.url, name, fetch.page + base), page=fetch.page + 1, data={"chain": True}))
    return found
