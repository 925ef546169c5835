"""Hanweb jcms jpage columns: the first group of records embedded in the column page as
``<datastore>`` XML, the rest from ``dataproxy.jsp`` (SITES.md §2.2, §2.8, §6 A3).

Read from the page: the ``param_<unitid>`` form fields, ``totalRecord``, ``perPage`` and
``groupSize`` from the jpage call, the proxy path from ``proxyUrl`` or the ``<nextgroup>`` link
(``/module/web/jpage/``, ``/module/jslib/jquery/jpage/``, ``/module/jpage/`` or a site's own),
and the size of the embedded group (``perPage x groupSize`` is not always 45). Groups are asked
for by ``startrecord``/``endrecord`` after the embedded records; a site that ignores them (the
same records again) is asked by ``page=N``, and one whose proxy answers nothing is read from the
server-side pages ``index.html?uid=<unitid>&pageNum=N``.
"""

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from .base import PLAUSIBLE_PAGES, Fetch, Found, Plan, as_int, capped, js_object_after, js_value, plausible
from .items import fragment_items

NAME = "jpage"

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[\s*<a[^>]+href=['\"]([^'\"]+)['\"]", re.S | re.I)
_TOTAL_XML = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", "X-Requested-With": "XMLHttpRequest"}


def records(text):
    """The HTML fragments of a datastore's ``<record><![CDATA[...]]></record>`` elements."""
    return _RECORD.findall(text or "")


def _items(html_records, base):
    out = []
    for record in html_records:
        out.extend(fragment_items(record, base)[:1])  # one record, one item
    return out


def recognise(page):
    text = page.text or ""
    embedded = records(text)
    params = re.search(r"var\s+param_(\w+)\s*=\s*\{", text)
    config = js_object_after(text, r"\.?jpage\s*\(\s*") or {}
    total = as_int(config.get("totalRecord")) if config else None
    if total is None:
        total = as_int(js_value(text, "totalRecord"))
    if total is None or (not embedded and not params):
        return []
    form = js_object_after(text, r"var\s+param_\w+\s*=\s*") or {}
    unitid = params.group(1) if params else str(form.get("unitid", ""))
    nextgroup = _NEXTGROUP.search(text)
    proxy = config.get("proxyUrl") if isinstance(config.get("proxyUrl"), str) else None
    source = "proxyUrl"
    if not proxy and nextgroup:
        proxy, source = urlsplit(nextgroup.group(1)).path, "the nextgroup link"
    per_page = as_int(config.get("perPage")) or as_int(js_value(text, "perPage"))
    group_size = as_int(config.get("groupSize"))
    shown = len(embedded)
    notes = [f"totalRecord {total}, {shown} records embedded"]
    if per_page and group_size:
        group = per_page * group_size
        notes.append(f"group {per_page} x {group_size} = {group}")
    else:
        group = shown or per_page
        notes.append(f"group of {group} (the embedded records)")
    implausible = plausible(total)
    if implausible:
        notes.append(implausible)
    key = f"{NAME}:{urlsplit(page.url).netloc}:{proxy}:{form.get('columnid')}:{unitid}"
    state = {"form": {k: "" if v is None else v for k, v in form.items()}, "unitid": unitid, "per_page": per_page,
             "group": group, "total": total, "proxy": urljoin(page.url, proxy) if proxy else None,
             "nextgroup": nextgroup.group(1) if nextgroup else None, "strategy": "startrecord", "column_url": page.url}
    fetches = []
    if shown < total and proxy and group:
        notes.append(f"proxy {proxy} (from {source})")
        fetches = _group_fetches(state, shown + 1)
    elif shown < total:
        notes.append("no proxy path on the page: the records after the embedded ones cannot be asked for")
    covers = max(1, -(-shown // per_page)) if per_page else 1
    found = Found(_items(embedded, page.url), fetches, total, -(-total // per_page) if per_page else None, notes, covers=covers)
    return [Plan(NAME, key, page.url, found, state)]


def _group_fetches(state, start):
    out = []
    group, total = state["group"], state["total"]
    for first in range(start, total + 1, group):
        if len(out) >= PLAUSIBLE_PAGES:
            break
        query = urlencode({"startrecord": first, "endrecord": first + group - 1, "perpage": state["per_page"] or group})
        out.append(Fetch(f"{state['proxy']}?{query}", "POST", urlencode(state["form"]), dict(_FORM_HEADERS),
                         step="group", kind="api", data={"start": first}))
    return out


def _page_fetches(state):
    """``dataproxy.jsp?page=N&...``: for proxies that honour only ``page`` (SITES.md §2.2)."""
    per_page = state["per_page"] or state["group"]
    query = dict(parse_qsl(urlsplit(state["nextgroup"] or "").query))
    query.update({k: v for k, v in state["form"].items() if k not in query})
    out = []
    for number in range(1, capped(-(-state["total"] // per_page)) + 1):
        query.update({"page": number, "perpage": per_page})
        out.append(Fetch(f"{state['proxy']}?{urlencode(query)}", step="page_param", page=number, kind="api"))
    return out


def _uid_fetches(state):
    """The column's server-side pages ``index.html?uid=<unitid>&pageNum=N`` (SITES.md §2.2)."""
    per_page = state["per_page"] or state["group"]
    base = state["column_url"].split("?")[0]
    return [Fetch(f"{base}?{urlencode({'uid': state['unitid'], 'pageNum': n})}", step="uid_page", page=n)
            for n in range(1, capped(-(-state["total"] // per_page)) + 1)]


def read(plan, fetch, answer):
    text = answer.text or ""
    found = Found(_items(records(text), answer.url))
    reply_total = _TOTAL_XML.search(text)
    if reply_total and int(reply_total.group(1)) != plan.state["total"]:
        found.notes.append(f"{fetch.url}: <totalrecord>{reply_total.group(1)}</totalrecord> differs from the page's "
                           f"totalRecord {plan.state['total']}")
        found.announced = max(int(reply_total.group(1)), plan.state["total"])
    if fetch.step == "uid_page":
        found.is_page = bool(found.items)
    elif not found.items:
        found.is_page = False
    elif fetch.step == "group" and plan.state["per_page"]:
        found.covers = max(1, round(len(found.items) / plan.state["per_page"]))
    return found


def fallback(plan):
    """``(fetches, note)`` of the next strategy when the list came out short, else ``([], None)``."""
    state = plan.state
    if state["strategy"] == "startrecord" and state["proxy"]:
        state["strategy"] = "page_param"
        return _page_fetches(state), "the proxy ignores startrecord/endrecord (no new records): asking by page=N"
    if state["strategy"] in ("startrecord", "page_param"):
        state["strategy"] = "uid_page"
        return _uid_fetches(state), "the proxy gave no new records: reading the server-side pages ?uid=&pageNum="
    return [], None
