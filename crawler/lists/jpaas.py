"""Hanweb JCMS "jpaas" columns: a pagination element with ``count``, ``rows`` and ``queryData``,
further pages from the ``build/unit`` API with the page number inside ``paramJson`` (a bare
``pageNo`` is ignored; SITES.md §2.4, §2.8, §6 A5).
"""

import json
import re
from urllib.parse import urlencode, urljoin, urlsplit

from .base import Fetch, Found, Plan, as_int, capped, js_object_after, plausible
from .items import fragment_items, list_items

NAME = "jpaas"

_DEFAULT_API = "/api-gateway/jpaas-publish-server/front/page/build/unit"
_API_IN_PAGE = re.compile(r"""['"]((?:https?:)?(?://[^'"/]+)?/[\w/-]*jpaas-publish-server/front/page/build/unit)""")


def _pagination(page):
    for element in page.root.iter() if page.root is not None else ():
        if not isinstance(element.tag, str):
            continue
        attrs = {k.lower(): v for k, v in element.attrib.items()}
        if "querydata" in attrs and "count" in attrs:
            return attrs
    return None


def recognise(page):
    attrs = _pagination(page)
    if not attrs:
        return []
    query = js_object_after(attrs["querydata"], r"^\s*") or {}
    count = as_int(attrs.get("count"))
    rows = as_int(attrs.get("rows")) or as_int(attrs.get("pagesize"))
    if count is None or not rows:
        return []
    pages = -(-count // rows)
    found_api = _API_IN_PAGE.search(page.text or "")
    api = urljoin(page.url, found_api.group(1) if found_api else _DEFAULT_API)
    notes = [f"count {count}, rows {rows}: {pages} pages", f"API {urlsplit(api).path}"
             + ("" if found_api else " (the platform's path; the page names none)")]
    implausible = plausible(count, pages)
    if implausible:
        notes.append(implausible)
    params = {"webId": query.get("webId", ""), "pageId": query.get("pageId", ""), "parseType": query.get("parseType", "bulidstatic"),
              "pageType": query.get("pageType", "column"), "tagId": query.get("tagId", ""), "tplSetId": query.get("tplSetId", "")}
    params.update({k: v for k, v in query.items() if k not in params and isinstance(v, (str, int))})
    fetches = []
    for number in range(2, capped(pages) + 1):
        values = dict(params, paramJson=json.dumps({"pageNo": number, "pageSize": str(rows)}))
        fetches.append(Fetch(f"{api}?{urlencode(values)}", page=number, kind="api",
                             headers={"X-Requested-With": "XMLHttpRequest"}))
    key = f"{NAME}:{urlsplit(page.url).netloc}:{params['webId']}:{params['pageId']}:{params['tagId']}"
    found = Found(list_items(page.root, page.url), fetches, count, pages, notes)
    return [Plan(NAME, key, page.url, found, {"rows": rows})]


def read(plan, fetch, answer):
    data = answer.json
    if not isinstance(data, dict):
        return Found(is_page=False, notes=[f"{fetch.url}: not a JSON answer"])
    body = data.get("data")
    html = body.get("html") if isinstance(body, dict) else body if isinstance(body, str) else None
    if data.get("success") is False or not html:
        return Found(is_page=False, notes=[f"page {fetch.page}: the API answered without records"])
    return Found(fragment_items(html, answer.url))
