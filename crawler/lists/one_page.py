"""A column whose records are all on its one page, with no pager of any kind: what the page
shows is the list. It announces a total only when it says 共N条 (or 共N页).
"""

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
    notes = ["no pager on the page"] + ([f"the page says {pages} pages but offers no way to them"] if pages and pages > 1 else [])
    found = Found(list_items(page.root, page.url), [], records, pages, notes)
    return [Plan(NAME, f"{NAME}:{page.url}", page.url, found, {})]


def read(plan, fetch, answer):
    return Found(is_page=False)
