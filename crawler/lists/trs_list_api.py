"""TRS 动静结合 columns (the ``list2.trsapi`` list model of Fujian's platform, SITES.md §2.8):
the first ``maxStaticIndex x prepage`` records are rendered into the column page, the rest exist
only behind ``POST /fjdzapp/search``.

Read from ``listModel({...})`` (or ``var pageChnlInfo = {...}``): ``listArgs`` (``channelid``
possibly a reference such as ``SiteInfo.searchId``, resolved from the page's scripts),
``pagebar.prepage`` and ``pagebar.recordCount``. Answers are JSON with ``pageCount`` and ``data``
(``docs`` when ``templet=docs.jsp`` is sent).
"""

import re
from urllib.parse import urlencode, urljoin, urlsplit

from .base import Fetch, Found, Plan, as_int, capped, js_object_after, plausible
from .items import list_items
from .records import record_link

NAME = "trs_list_api"

_ENDPOINT = re.compile(r"""['"]((?:https?://[^'"/]+)?/[\w/-]*fjdzapp/search)['"]""")
_DEFAULT_ENDPOINT = "/fjdzapp/search"
_FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", "X-Requested-With": "XMLHttpRequest"}


_FILE_NAME = re.compile(r"\.(?:jsp|s?html?|do|php|aspx?|json|js)$", re.I)


def _resolve(value, scripts):
    """A reference such as ``SiteInfo.searchId`` resolved from an object literal in the scripts;
    None when it names an object the page does not define. Literals come back as they are."""
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z_$][\w$]*(?:\.[\w$]+)+", value) or _FILE_NAME.search(value):
        return value
    name, *path = value.split(".")
    obj = js_object_after(scripts, rf"(?<![\w$.]){re.escape(name)}\s*=\s*")
    for part in path:
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def model(page):
    """The list model's settings: ``listModel({...})`` merged over ``pageChnlInfo``."""
    scripts = page.scripts
    settings = {}
    info = js_object_after(scripts, r"var\s+pageChnlInfo\s*=\s*")
    if info:
        settings.update(info)
    call = js_object_after(scripts, r"(?<![\w$.])listModel\s*\(\s*")
    if call:
        settings.update(call)
    if not settings or not ("listArgs" in settings or "pagebar" in settings or "channelid" in settings):
        return None
    return settings


def recognise(page):
    settings = model(page)
    if settings is None:
        return []
    scripts = page.scripts
    args = dict(settings.get("listArgs") or {})
    for key in ("channelid", "classsql", "sortfield"):
        if key not in args and key in settings:
            args[key] = settings[key]
    pagebar = settings.get("pagebar") or {}
    prepage = as_int(pagebar.get("prepage")) or as_int(settings.get("prepage"))
    records = as_int(pagebar.get("recordCount")) or as_int(settings.get("recordCount"))
    static_pages = as_int(settings.get("maxStaticIndex"))
    unresolved = [k for k, v in args.items() if v is not None and _resolve(v, scripts) is None]
    args = {k: _resolve(v, scripts) for k, v in args.items() if v is not None}
    shown = list_items(page.root, page.url)
    endpoint = _ENDPOINT.search(page.text or "")
    api = urljoin(page.url, endpoint.group(1) if endpoint else _DEFAULT_ENDPOINT)
    notes = [f"recordCount {records}, prepage {prepage}, maxStaticIndex {static_pages}, {len(shown)} records in the page",
             f"API {urlsplit(api).path}" + ("" if endpoint else " (the platform's path; the page names none)")]
    pages = -(-records // prepage) if records is not None and prepage else None
    implausible = plausible(records, pages)
    if implausible:
        notes.append(implausible)
    fetches = []
    covers = 1
    if unresolved:
        notes.append(f"list arguments {', '.join(unresolved)} refer to values the page does not hold")
    elif pages and len({l.url for l in shown}) < records:
        first_api_page = len({l.url for l in shown}) // prepage + 1
        covers = max(1, first_api_page - 1)
        for number in range(first_api_page, capped(pages) + 1):
            form = dict(args, page=number, prepage=prepage)
            fetches.append(Fetch(api, "POST", urlencode(form), dict(_FORM_HEADERS), page=number, kind="api"))
    key = f"{NAME}:{urlsplit(page.url).netloc}:{args.get('channelid')}:{args.get('classsql')}"
    found = Found(shown, fetches, records, pages, notes, covers=covers)
    return [Plan(NAME, key, page.url, found, {"prepage": prepage})]


def read(plan, fetch, answer):
    data = answer.json
    if not isinstance(data, dict):
        return Found(is_page=False, notes=[f"page {fetch.page}: not a JSON answer"])
    docs = data.get("data") if isinstance(data.get("data"), list) else data.get("docs")
    if not isinstance(docs, list) or not docs:
        return Found(is_page=False, notes=[f"page {fetch.page}: the API answered without records"])
    items = [record_link(d, answer.url, url_keys=("docpuburl", "chnldocurl", "url"), title_keys=("doctitle", "title"))
             for d in docs if isinstance(d, dict)]
    found = Found([i for i in items if i is not None])
    page_count = as_int(data.get("pageCount"))
    if page_count is not None:
        found.pages_announced = page_count
    return found
