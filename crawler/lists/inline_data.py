"""Lists shipped whole inside the page as script data (``var dataList = [{title, url}, ...]``) and
sliced into pages by script: every record is already in the page (SITES.md §2.8).
"""

import chompjs

from .base import Found, Plan, records_in_text
from .records import find

NAME = "inline_data"


def _arrays(scripts):
    try:
        for value in chompjs.parse_js_objects(scripts):
            yield value
    except (ValueError, TypeError, IndexError):
        return


def recognise(page):
    scripts = page.scripts
    if "[" not in scripts:
        return []
    best = None
    for value in _arrays(scripts):
        if not isinstance(value, (list, dict)):
            continue
        records = find(value, page.url)
        if records.items and (best is None or len(records.items) > len(best.items)):
            best = records
    if best is None or len(best.items) < 2:
        return []
    announced = records_in_text(page.visible_text)
    notes = [f"{len(best.items)} records in the page's script data, sliced into pages by script"]
    found = Found(best.items, [], announced, 1, notes)
    return [Plan(NAME, f"{NAME}:{page.url}", page.url, found, {})]


def read(plan, fetch, answer):
    return Found(is_page=False)
