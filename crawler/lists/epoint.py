"""Epoint 新点 EWB lists: ``siteInfo`` (``projectName``, ``siteGuid``) in ``/js/webBuilderCommon.js``
and ``POST {projectName}/rest/lightfrontaction/getgovinfolist`` answering
``{"custom": {"data": [{"infourl", "realtitle"}], "total": N}}`` (SITES.md §2.7, §6 A7).

The category, department code, page size and first page index are the ones the page's script
sends; ``siteInfo`` is read from the page or, when it lives in the common script, from that file.
"""

import json
import re
from urllib.parse import urljoin, urlsplit

from .base import Fetch, Found, Plan, as_int, js_object_after, js_value
from .records import read_page

NAME = "epoint"

_ACTION = re.compile(r"""['"]([\w/.-]*rest/lightfrontaction/getgovinfolist)['"]""")
_COMMON_JS = re.compile(r"""<script[^>]+src=['"]([^'"]*webBuilderCommon\.js[^'"]*)['"]""", re.I)
_ARGS = ("deptcode", "categorynum", "categoryNum", "siteGuid", "pageSize", "pagesize", "pageIndex", "pageindex")


def _site_info(text):
    return js_object_after(text or "", r"(?<![\w$.])siteInfo\s*=\s*")


def recognise(page):
    text = page.text or ""
    action = _ACTION.search(text)
    if not action:
        return []
    args = {}
    for name in _ARGS:
        value = js_value(page.scripts, name)
        if value is not None:
            args[name] = value
    state = {"action": action.group(1), "args": args}
    key = f"{NAME}:{urlsplit(page.url).netloc}:{args.get('categorynum') or args.get('categoryNum')}:{args.get('deptcode')}"
    info = _site_info(page.scripts)
    if info:
        return [Plan(NAME, key, page.url, Found([], [_list_fetch(page.url, state, info, 1)], notes=_notes(state, info),
                                                  is_page=False), state)]
    common = _COMMON_JS.search(text)
    if not common:
        return [Plan(NAME, key, page.url, Found(is_page=False, notes=["no siteInfo on the page or in webBuilderCommon.js"]), state)]
    fetch = Fetch(urljoin(page.url, common.group(1)), step="siteinfo", kind="api", data={"page_url": page.url})
    return [Plan(NAME, key, page.url, Found([], [fetch], is_page=False, notes=["siteInfo is in webBuilderCommon.js"]), state)]


def _notes(state, info):
    return [f"projectName {info.get('projectName')}, siteGuid {info.get('siteGuid')}, arguments {state['args']}"]


def _list_fetch(page_url, state, info, number):
    state["info"] = info
    project = "/" + (info.get("projectName") or "").strip("/")
    action = "/" + state["action"].lstrip("/")
    path = action if project == "/" or action.startswith(project + "/") else project + action
    url = urljoin(page_url, path)
    args = dict(state["args"])
    args.setdefault("siteGuid", info.get("siteGuid"))
    index_key = "pageIndex" if "pageIndex" in args or "pageindex" not in args else "pageindex"
    first = as_int(args.get(index_key)) or 0
    state["first"], state["index_key"], state["url"] = first, index_key, url
    args[index_key] = number - 1 + first
    return Fetch(url, "POST", json.dumps(args, ensure_ascii=False),
                 {"Content-Type": "application/json; charset=UTF-8", "X-Requested-With": "XMLHttpRequest"}, page=number,
                 kind="api")


def read(plan, fetch, answer):
    if fetch.step == "siteinfo":
        info = _site_info(answer.text)
        if not info:
            return Found(is_page=False, notes=[f"{fetch.url}: no siteInfo"])
        return Found([], [_list_fetch(fetch.data["page_url"], plan.state, info, 1)], notes=_notes(plan.state, info), is_page=False)
    return read_page(answer, fetch, lambda n: _list_fetch(plan.url, plan.state, plan.state["info"], n))
