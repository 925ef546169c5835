"""truecms (Jiangsu) lists: ``messageController/getMessage.do`` asked by ``startrecord`` /
``endrecord`` / ``perpage`` / ``columnId`` with a JSONP ``callback``, answering jpage-style XML
records wrapped in the callback (SITES.md §2.7).

The endpoint, the column id and the page size (sites cap it: 50 works where 100 answers empty)
are the ones the page's script uses; the Referer, which these servers require, is always sent.
"""

import re
from urllib.parse import urlencode, urljoin, urlsplit

from .base import Fetch, Found, Plan, as_int, capped, js_value, plausible
from .items import fragment_items
from .jpage import records as xml_records
from .records import find

NAME = "truecms"

_ENDPOINT = re.compile(r"""['"]((?:https?://[^'"/]+)?/?[\w/.-]*messageController/getMessage\.do)""")
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)


def recognise(page):
    endpoint = _ENDPOINT.search(page.text or "")
    if not endpoint:
        return []
    scripts = page.scripts
    column = js_value(scripts, "columnId") or js_value(scripts, "columnid")
    per_page = as_int(js_value(scripts, "perpage")) or as_int(js_value(scripts, "perPage"))
    callback = js_value(scripts, "callback") or "jsonpCallback"
    if column is None or not per_page:
        return [Plan(NAME, f"{NAME}:{page.url}", page.url,
                     Found(is_page=False, notes=["getMessage.do without a columnId or perpage on the page"]), {})]
    api = urljoin(page.url, endpoint.group(1))
    state = {"api": api, "column": column, "per_page": per_page, "callback": callback}
    notes = [f"API {urlsplit(api).path}, columnId {column}, perpage {per_page}"]
    key = f"{NAME}:{urlsplit(page.url).netloc}:{column}"
    return [Plan(NAME, key, page.url, Found([], [_fetch(state, 1)], notes=notes, is_page=False), state)]


def _fetch(state, number):
    start = (number - 1) * state["per_page"] + 1
    query = {"startrecord": start, "endrecord": start + state["per_page"] - 1, "perpage": state["per_page"],
             "columnId": state["column"], "callback": state["callback"]}
    return Fetch(f"{state['api']}?{urlencode(query)}", page=number, kind="api")


def read(plan, fetch, answer):
    data = answer.json
    text = data if isinstance(data, str) else (answer.text or "")
    if isinstance(data, (dict, list)):
        records = find(data, answer.url)
        items, total = records.items, records.total
    else:
        items = [i for r in xml_records(text) for i in fragment_items(r, answer.url)[:1]]
        match = _TOTAL.search(text)
        total = int(match.group(1)) if match else None
    found = Found(items, announced=total, is_page=bool(items))
    if fetch.page == 1 and total is not None:
        pages = -(-total // plan.state["per_page"])
        found.pages_announced = pages
        implausible = plausible(total, pages)
        if implausible:
            found.notes.append(implausible)
        found.fetches = [_fetch(plan.state, n) for n in range(2, capped(pages) + 1)]
    return found
