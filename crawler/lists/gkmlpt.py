"""Guangdong gkmlpt: a Vue shell whose ``window._CONFIG`` holds the site id and the category
tree; each 年报 category is listed by ``api/all/{id}?page=N&sid=SID`` (SITES.md §2.5, §2.8, §6 A6).

Answers give ``total`` (and ``offset``): pages are asked for until ``offset + len(articles)``
reaches it, the page size being what the first answer holds. ``post_count`` in the tree is often
larger than ``total`` (unlisted posts): both are recorded.
"""

import json
from urllib.parse import urljoin, urlsplit

from .. import discovery
from .base import Fetch, Found, Plan, as_int, capped, js_object_after, plausible
from .records import clean_title, record_link

NAME = "gkmlpt"


def config(page):
    """``(sid, tree)`` of the page's ``_CONFIG``, or None."""
    text = page.text or ""
    if "_CONFIG" not in text:
        return None
    data = js_object_after(text, r"window\._CONFIG\s*=\s*")
    if not isinstance(data, dict) or "SID" not in data:
        return None
    tree = data.get("TREE") or []
    if isinstance(tree, str):
        try:
            tree = json.loads(tree)
        except ValueError:
            tree = []
    return str(data["SID"]), tree if isinstance(tree, list) else []


def _nodes(tree):
    stack = list(tree)
    while stack:
        node = stack.pop(0)
        if isinstance(node, dict):
            yield node
            stack.extend(node.get("children") or [])


def recognise(page):
    found_config = config(page)
    if not found_config:
        return []
    sid, tree = found_config
    plans = []
    for node in _nodes(tree):
        if node.get("jump_url") or not discovery.is_column(str(node.get("name", ""))) or node.get("id") is None:
            continue
        category = node["id"]
        api = urljoin(page.url, f"api/all/{category}?page=1&sid={sid}")
        post_count = as_int(node.get("post_count"))
        notes = [f"category {category} {node.get('name')}" + (f", tree post_count {post_count}" if post_count is not None else "")]
        first = Fetch(api, page=1, kind="api", data={"category": category})
        key = f"{NAME}:{urlsplit(page.url).netloc}:{sid}:{category}"
        url = f"{page.url.split('#')[0]}#{category}"
        plans.append(Plan(NAME, key, url, Found([], [first], None, None, notes, is_page=False),
                          {"sid": sid, "category": category, "post_count": post_count, "api": api}))
    return plans


def read(plan, fetch, answer):
    data = answer.json
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        return Found(is_page=False, notes=[f"page {fetch.page}: not a gkmlpt list answer"])
    articles = data["articles"]
    items = []
    for article in articles:
        link = record_link(article, answer.url, url_keys=("url", "post_url"), title_keys=("title",))
        if link is not None:
            items.append(discovery.Link(link.url, clean_title(link.text), clean_title(link.title)))
    total = as_int(data.get("total"))
    if total is None and isinstance(data.get("classify"), dict):
        total = as_int(data["classify"].get("post_count"))
    found = Found(items, announced=total)
    if not articles:
        found.is_page = False
        return found
    if fetch.page == 1 and total is not None:
        per_page = len(articles)
        pages = -(-total // per_page)
        found.pages_announced = pages
        found.notes.append(f"API total {total}, {per_page} a page: {pages} pages")
        implausible = plausible(total, pages)
        if implausible:
            found.notes.append(implausible)
        if plan.state.get("post_count") not in (None, total):
            found.notes.append(f"tree post_count {plan.state['post_count']} differs from the API total {total}")
        base = plan.state["api"].replace("page=1&", "page={n}&")
        found.fetches = [Fetch(base.format(n=n), page=n, kind="api") for n in range(2, capped(pages) + 1)]
    offset = as_int(data.get("offset"))
    if offset is not None and total is not None and offset + len(articles) >= total:
        found.notes.append(f"page {fetch.page}: offset {offset} + {len(articles)} reaches the total")
    return found
