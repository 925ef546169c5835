"""The registry of list mechanisms: how a column's records are enumerated, one module per mechanism.

``recognise(page)`` asks the mechanisms in order and returns the plans of the first that knows
the page; the most specific (a platform's own API) come first, the generic ones (pager links,
a page parameter, one page) last. Each module's example pages and expected output live in
``tests/examples/lists/<mechanism>/``.
"""

from . import (chinatax, epoint, gkmlpt, inline_data, jpaas, jpage, one_page, pager_links, query_pages, rendered,
               trs_list_api, trs_static, truecms)
import logging

from .base import Fetch, Found, Plan

logger = logging.getLogger(__name__)

MECHANISMS = [gkmlpt, jpaas, jpage, trs_list_api, chinatax, epoint, truecms, trs_static, pager_links, query_pages,
              inline_data, one_page]
BY_NAME = {m.NAME: m for m in MECHANISMS + [rendered]}

__all__ = ["BY_NAME", "MECHANISMS", "Fetch", "Found", "Plan", "recognise", "mechanism"]


def recognise(page):
    """The plans of the first mechanism that recognises a list on the page, else ``[]``.

    A mechanism that trips over a page it half-recognises is skipped with one log line: the
    page is still read by the others and its links still followed.
    """
    for module in MECHANISMS:
        try:
            plans = module.recognise(page)
        except Exception as error:  # noqa: BLE001 - hostile or odd pages must not stop the crawl
            logger.warning("list mechanism %s could not read %s: %s: %s", module.NAME, page.url, type(error).__name__,
                           str(error)[:200])
            continue
        if plans:
            return plans
    return []


def mechanism(name):
    return BY_NAME[name]
