"""A column whose records are all on its one page, with no pager of any kind: what the page
shows is the list. It announces a total only when it says 共N条 (or 共N页). A pager drawn by
script (an empty pager box, a paging script) asks for the rendered fallback.
"""

import re

from .. import discovery
from .base import Found, Plan, pages_in_text, records_in_text
from .items import list_items, looks_like_list

NAME = "one_page"


def _column_page(page):
    """Reached through a 年报 column link, or saying it is one (``ColumnName``)."""
    if page.root is None:
        return False
    return page.kind == "column" or discovery.is_column(discovery.column_name(page.root) or "")


def recognise(page):
    if not _column_page(page) or not looks_like_list(page.root, page.url):
        return []
    text = page.visible_text
    records, pages = records_in_text(text), pages_in_text(text)
    state = {}
    notes = []
    if _scripted_pager(page):
        # The pager is there but drawn by script: the browser must show where it leads.
        state["render"] = "the page's pager is drawn by its script"
        notes.append(state["render"])
    else:
        notes.append("no pager on the page")
    if pages and pages > 1:
        notes.append(f"the page says {pages} pages but links none of them")
    found = Found(list_items(page.root, page.url, state), [], records, pages, notes)
    return [Plan(NAME, f"{NAME}:{page.url}", page.url, found, state)]


_PAGER_BOX = re.compile(r"^(?:page|pages|pager|paging|pagination|pagebar|fenye|fy|page_?nav|pageList|turn_?page)$", re.I)
_PAGER_SCRIPT = re.compile(r"createPage|pageCount|totalPage|countPage|pageSize|pageNo|pageIndex|laypage|pagination|分页")


_NEXT = re.compile(r"^(?:下一?页|后一?页|下页|>|›|»|next)$", re.I)


def _scripted_pager(page):
    """An empty pager box, a 下一页 that is script (Beijing's 慧兰 ``javascript:next(2)``), or a
    script that pages: signs of a pager only a browser shows."""
    for a in page.root.iter("a"):
        text = re.sub(r"\s+", "", "".join(a.itertext()))
        href = (a.get("href") or "").strip().lower()
        if _NEXT.match(text) and (href.startswith("javascript") or href in ("", "#") or a.get("onclick")):
            return True
    for element in page.root.iter():
        if not isinstance(element.tag, str):
            continue
        names = f"{element.get('id') or ''} {element.get('class') or ''}".split()
        if any(_PAGER_BOX.match(n) for n in names) and not element.xpath(".//a[@href]") and element.tag != "script":
            return True
    return bool(_PAGER_SCRIPT.search(page.scripts))


def read(plan, fetch, answer):
    return Found(is_page=False)
