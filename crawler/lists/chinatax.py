"""Ministry JSON lists in the chinatax manner: a shell page whose script POSTs
``getFileListByCodeId`` with ``channelId``, ``page`` and ``size`` and draws the answer
``{"results": {"data": {"total": N, "results": [{"titleHtml", "url", ...}]}}}`` (SITES.md §2.7, §6 A7).

The endpoint, the channel id, the page size and the first page number are the ones the page's
script sends.
"""

import re
from urllib.parse import urlencode, urljoin, urlsplit

from .base import Fetch, Found, Plan, as_int, js_object_after, js_value
from .records import read_page

NAME = "chinatax"

_ENDPOINT = re.compile(r"""['"]((?:https?://[^'"/]+)?/[\w/.-]*getFileListByCodeId[\w.]*)['"]""")
_FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", "X-Requested-With": "XMLHttpRequest"}


def _arguments(scripts):
    data = js_object_after(scripts, r"(?<![\w$])data\s*:\s*") or {}
    if "channelId" not in data:
        data = js_object_after(scripts, r"(?<![\w$])(?:var|let|const)\s+\w+\s*=\s*(?=\{[^}]*channelId)") or {}
    if "channelId" not in data:
        value = js_value(scripts, "channelId")
        data = {"channelId": value} if value else {}
        for name in ("size", "relateSubChannels", "page"):
            found = js_value(scripts, name)
            if found is not None:
                data[name] = found
    return data


def recognise(page):
    endpoint = _ENDPOINT.search(page.text or "")
    if not endpoint:
        return []
    data = _arguments(page.scripts)
    if not data.get("channelId"):
        return []
    first = as_int(data.get("page"))
    first = 1 if first is None else first
    api = urljoin(page.url, endpoint.group(1))
    form = {k: str(v).lower() if isinstance(v, bool) else v for k, v in data.items() if not isinstance(v, (dict, list))}
    notes = [f"API {urlsplit(api).path}, channelId {data['channelId']}, size {data.get('size', 'as the server likes')}, "
             f"first page {first}"]
    state = {"api": api, "form": form, "first": first}
    fetch = Fetch(api, "POST", urlencode(dict(form, page=first)), dict(_FORM_HEADERS), page=1, kind="api")
    key = f"{NAME}:{urlsplit(page.url).netloc}:{data['channelId']}"
    return [Plan(NAME, key, page.url, Found([], [fetch], None, None, notes, is_page=False), state)]


def read(plan, fetch, answer):
    state = plan.state
    return read_page(answer, fetch, lambda n: Fetch(state["api"], "POST", urlencode(dict(state["form"], page=n - 1 + state["first"])),
                                                    dict(_FORM_HEADERS), page=n, kind="api"))
