"""Lists built by the page's own script, read after rendering in a browser (SITES.md §2.8, §4.4
JS-shell list pages): the records of the rendered DOM, and those of the list requests the page
made (JSON, JSONP, jpage XML), whose further pages are asked for by changing the page number
the page itself sent (in the query, the form body or a JSON body).

The browser work (rendering, recording the page's requests, clicking a pager) is
``crawler/render.py``; this module only reads what it produced.
"""

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..page import Page
from .base import PLAUSIBLE_PAGES, Fetch, Found, Plan, as_int, capped, pages_in_text, plausible, records_in_text
from .items import fragment_items, list_items
from .jpage import records as xml_records
from .query_pages import PARAMS
from .records import find

NAME = "rendered"

_TOTAL_XML = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)


@dataclass
class Exchange:
    """A request the rendered page made, and its answer."""

    method: str
    url: str
    body: str  # post data as sent, or None
    headers: dict
    resource_type: str
    answer: Page


@dataclass
class RenderedPage(Page):
    """The rendered DOM of a page, with the requests the page made while rendering."""

    exchanges: list = field(default_factory=list)


def answer_records(answer):
    """``(items, total, pages, size)`` of a list answer: JSON (any shape), JSONP, or jpage XML."""
    data = answer.json
    if isinstance(data, (dict, list)):
        found = find(data, answer.url)
        return found.items, found.total, found.pages, found.size
    text = data if isinstance(data, str) else (answer.text or "")
    fragments = xml_records(text)
    if fragments:
        items = [i for f in fragments for i in fragment_items(f, answer.url)[:1]]
        total = _TOTAL_XML.search(text)
        return items, int(total.group(1)) if total else None, None, len(fragments)
    return [], None, None, 0


def _page_parameter(exchange):
    """Where the exchange carries its page number: ``(place, name, value)`` or None."""
    query = parse_qsl(urlsplit(exchange.url).query, keep_blank_values=True)
    for name, value in query:
        if name in PARAMS and value.isdigit():
            return "query", name, int(value)
    body = exchange.body or ""
    if body.lstrip().startswith("{"):
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        found = _json_page(data) if isinstance(data, dict) else None
        if found:
            return ("json",) + found
    elif body:
        for name, value in parse_qsl(body, keep_blank_values=True):
            if name in PARAMS and value.isdigit():
                return "form", name, int(value)
    for name, value in query:
        if name.lower() == "paramjson":
            try:
                inner = json.loads(value)
            except ValueError:
                continue
            for key in PARAMS:
                if isinstance(inner, dict) and as_int(inner.get(key)) is not None:
                    return "paramjson", key, as_int(inner[key])
    return None


_NESTED = PARAMS + ("current", "pageCurrent")


def _json_page(data, path=()):
    """``(key path, value)`` of the page number in a JSON body, nested ones too
    (``{"page": {"current": 1, "size": 10}}``)."""
    for key, value in data.items():
        if key in _NESTED and as_int(value) is not None:
            return path + (key,), as_int(value)
    for key, value in data.items():
        if isinstance(value, dict):
            found = _json_page(value, path + (key,))
            if found:
                return found
    return None


def _with_page(exchange, where, name, value):
    parts = urlsplit(exchange.url)
    url, body = exchange.url, exchange.body
    if where == "query":
        query = [(k, str(value) if k == name else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    elif where == "form":
        body = urlencode([(k, str(value) if k == name else v) for k, v in parse_qsl(body, keep_blank_values=True)])
    elif where == "json":
        data = json.loads(body)
        inner = data
        for key in name[:-1]:
            inner = inner[key]
        inner[name[-1]] = value if isinstance(inner[name[-1]], int) else str(value)
        body = json.dumps(data, ensure_ascii=False)
    elif where == "paramjson":
        query = []
        for k, v in parse_qsl(parts.query, keep_blank_values=True):
            if k.lower() == "paramjson":
                inner = json.loads(v)
                inner[name] = value if isinstance(inner[name], int) else str(value)
                v = json.dumps(inner, ensure_ascii=False)
            query.append((k, v))
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    headers = {k: v for k, v in exchange.headers.items() if k.lower() in ("content-type", "x-requested-with", "accept")}
    return Fetch(url, exchange.method, body, headers, step="replay", kind="api", data={"mechanism": NAME})


def _range_replays(exchange, total):
    """jpage-style ``startrecord``/``endrecord`` requests: the ranges after the one the page asked."""
    parts = urlsplit(exchange.url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    start, end = as_int(query.get("startrecord")), as_int(query.get("endrecord"))
    if start is None or end is None or end < start or total is None:
        return []
    size, out = end - start + 1, []
    for first in range(end + 1, total + 1, size):
        if len(out) >= PLAUSIBLE_PAGES:
            break
        query.update(startrecord=first, endrecord=first + size - 1)
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
        headers = {k: v for k, v in exchange.headers.items() if k.lower() in ("content-type", "x-requested-with")}
        out.append(Fetch(url, exchange.method, exchange.body, headers, step="replay", kind="api", data={"mechanism": NAME}))
    return out


def recognise(page):
    """What a rendered page holds: the DOM's records, the records of its list requests, and the
    requests for the list pages after the ones the page asked for."""
    items = list_items(page.root, page.url)
    announced = records_in_text(page.visible_text)
    pages = pages_in_text(page.visible_text)
    fetches, notes = [], []
    for exchange in page.exchanges:
        records, total, answer_pages, size = answer_records(exchange.answer)
        if not records:
            continue
        known = {l.url for l in items}
        items = items + [l for l in records if l.url not in known]  # the DOM draws the same records
        announced = total if total is not None else announced
        place = _page_parameter(exchange)
        notes.append(f"the page asked {urlsplit(exchange.url).path} for {size} records"
                     + (f" of {total}" if total is not None else "")
                     + (f" ({'.'.join(place[1]) if isinstance(place[1], tuple) else place[1]}={place[2]} in the {place[0]})"
                        if place else ""))
        if answer_pages is None and total is not None and size:
            answer_pages = -(-total // size)
        if place and answer_pages:
            where, name, value = place
            first = value if value in (0, 1) else 1
            current = value - first + 1
            fetches += [_with_page(exchange, where, name, n - 1 + first) for n in range(current + 1, capped(answer_pages) + 1)]
            pages = answer_pages
        elif total is not None:
            fetches += _range_replays(exchange, total)
    implausible = plausible(announced, pages)
    if implausible:
        notes.append(implausible)
    found = Found(items, fetches, announced, pages, notes)
    return [Plan(NAME, f"{NAME}:{page.url}", page.url, found, {})]


def read(plan, fetch, answer):
    records, total, _, _ = answer_records(answer)
    return Found(records, announced=total, is_page=bool(records))
