"""What a response means: a page, a wall, a removed page, a fault (SITES.md §4.2-§4.4).

Walls are recognised and recorded, never bypassed.
"""

import re
from urllib.parse import urlsplit

from extractors.decode import DecodeError, decode

OK, NOT_MODIFIED, NOT_FOUND, REMOVED = "ok", "not_modified", "not_found", "removed"
ROBOTS, RATE_LIMITED, TIMEOUT, ERROR = "robots_disallowed", "rate_limited", "timeout", "error"
BLOCKED = "blocked"
REFUSED = "refused"  # not asked for: a crawl budget was spent (crawler/budgets.py)
# Answers that came but are no document: cut short, thrown away by the downloader, too large.
TRUNCATED, DISCARDED, TOO_LARGE = "truncated", "discarded", "too_large"
# What a report link may end in without making the crawl incomplete: facts about the site
# (gone, walled, forbidden) or an unchanged copy; any other outcome is a document not got.
SETTLED = frozenset({OK, NOT_MODIFIED, NOT_FOUND, REMOVED, ROBOTS, BLOCKED})

_SOFT_404 = re.compile(r"找不到|页面不存在|访问的页面不存在|错误页面|页面已删除|信息已删除|已被删除|404 Not Found|Page Not Found|无法找到该页", re.I)
_RUISHU = re.compile(r"\$_ts\s*=|\$_ts\.cd|r=['\"]m['\"]")
_JSL = re.compile(r"__jsl_clearance|__jsluid|document\.cookie\s*=.*location", re.S)
_CHALLENGE = re.compile(r"Just a moment|请稍候|安全验证|访问异常|人机验证|滑动验证|wzwschallenge|WZWS", re.I)
_JS_RELOAD = re.compile(r"location\.(?:reload|replace|href)\s*[(=]")


UNFETCHED_NAMED = 1000  # URLs a run's stats name as not got; beyond, they are counted


def note_unfetched(stats, url, why):
    """Record in a crawl's stats a document the run did not get, and why: the first
    ``UNFETCHED_NAMED`` by URL (``nianbao/unfetched``), all of them in ``nianbao/unfetched_count``."""
    named = stats.get_value("nianbao/unfetched") or {}
    if url in named:
        named[url] = why[:300]
        return
    stats.inc_value("nianbao/unfetched_count")
    if len(named) < UNFETCHED_NAMED:
        named[url] = why[:300]
        stats.set_value("nianbao/unfetched", named)


def classify(status, headers, body, url, requested_url=None, text=None):
    """``(outcome, detail)`` for one response. ``headers`` maps lower-case names to str;
    ``text`` is the body decoded, when it was (else its head is decoded here)."""
    body = body or b""
    if text is not None:
        head = text[:4096]
    else:
        try:
            head = decode(body[:4096])[0]
        except DecodeError:
            head = body[:4096].decode("latin-1")
    if status == 304:
        return NOT_MODIFIED, ""
    if status == 412 or (_RUISHU.search(head) and status in (200, 202, 412)):
        return BLOCKED, "ruishu (瑞数): 412 with $_ts challenge script"
    if status == 521 or (_JSL.search(head) and len(body) < 5000 and status != 200):
        return BLOCKED, "jiasule (加速乐): 521 with cookie-setting script"
    if _CHALLENGE.search(head) and len(body) < 20000:
        return BLOCKED, "challenge page (human verification / WAF)"
    if status == 429:
        return RATE_LIMITED, "429 Too Many Requests"
    if status == 503 and headers.get("retry-after"):
        return RATE_LIMITED, f"503 with Retry-After {headers.get('retry-after')}"
    if status in (403, 405):
        return BLOCKED, f"WAF or access rule: HTTP {status}"
    if status in (404, 410):
        return NOT_FOUND, f"HTTP {status}"
    if status >= 500:
        return ERROR, f"HTTP {status}"
    if 300 <= status < 400:
        return OK, "redirect"
    if status == 200:
        content_type = headers.get("content-type", "")
        if "html" in content_type or not content_type:
            if len(body) < 2000 and _JS_RELOAD.search(head) and "<table" not in head.lower() and "<p" not in head.lower():
                return BLOCKED, f"JS stub page ({len(body)} bytes) that only reloads itself"
            if len(body) < 3000 and _SOFT_404.search(head):
                return REMOVED, "soft 404: page says it does not exist"
            if requested_url and _is_home(url) and not _is_home(requested_url):
                return REMOVED, "redirected to the site's home page"
        return OK, ""
    return ERROR, f"HTTP {status}"


def _is_home(url):
    path = urlsplit(url).path
    return path in ("", "/", "/index.html", "/index.htm", "/index.shtml", "/index.jsp", "/default.aspx")
