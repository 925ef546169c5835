"""Lists paged by real links: 下一页, 尾页 and page numbers that point at the other pages
(``list_2.html``, ``index_1.htm``, ``column-index-3.shtml``, ``/2.htm``, ``?page=3``; SITES.md §2.7).

The page-number-to-URL rule is read off the pager: the number that varies between the pager's
URLs, and how it follows the page numbers shown (``2`` -> ``index_1``; VSB's numbers run
backwards). With the last page known (尾页, the highest number, 共N页) every page is asked for at
once; otherwise each page's 下一页 is followed until there is none.
"""

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

from .. import discovery
from .base import Fetch, Found, Plan, capped, pages_in_text, plausible, records_in_text
from .items import list_items

NAME = "pager_links"

_NEXT = re.compile(r"^(?:下一?页|后一?页|下一页>+|next|[>›»＞]|>|›)$", re.I)
_LAST = re.compile(r"^(?:尾页|末页|最后一?页|last|>>|»|≫|>\||›\|)$", re.I)
_FIRST = re.compile(r"^(?:首页|第一页|first|<<|«|\|<)$", re.I)
_NUMBER = re.compile(r"^(?:第)?(\d{1,4})(?:页)?$")
_DIGITS = re.compile(r"(\d+)")


def _split(url):
    parts = urlsplit(url)
    text = parts.path + ("?" + parts.query if parts.query else "")
    pieces = _DIGITS.split(text)
    return tuple(pieces[0::2]), tuple(int(n) for n in pieces[1::2]), parts


def _build(skeleton, numbers, parts):
    text = "".join(s + (str(numbers[i]) if i < len(numbers) else "") for i, s in enumerate(skeleton))
    path, _, query = text.partition("?")
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def pager_anchors(page):
    """``[(kind, shown number or None, url)]`` for the pager's anchors that lead to real URLs."""
    out = []
    if page.root is None:
        return out
    for a in page.root.iter("a"):
        url = discovery.absolute(page.url, a.get("href"))
        if not url or urlsplit(url).netloc != urlsplit(page.url).netloc or url == page.url:
            continue
        text = re.sub(r"\s+", "", "".join(a.itertext()) or a.get("title") or "")
        if _NEXT.match(text):
            out.append(("next", None, url))
        elif _LAST.match(text):
            out.append(("last", None, url))
        elif _FIRST.match(text):
            out.append(("first", None, url))
        else:
            match = _NUMBER.match(text)
            if match and int(match.group(1)) < 10000:
                out.append(("number", int(match.group(1)), url))
    return out


def _rule(anchors, current_url, current_page, last=None):
    """``(skeleton, position, sign, offset, parts, proven)``: page n is the URL with
    ``sign*n + offset`` at ``position``; read from pager URLs whose shown or implied page numbers
    are known (the numbered links, 下一页 as the page after this one, 尾页 as page ``last`` when
    共N页 says it). ``proven``: two or more such URLs agree on it."""
    observed = [(n, url) for kind, n, url in anchors if kind == "number"]
    observed += [(current_page + 1, url) for kind, _, url in anchors if kind == "next"]
    if last:
        observed += [(last, url) for kind, _, url in anchors if kind == "last"]
    by_skeleton = {}
    for number, url in observed:
        skeleton, numbers, parts = _split(url)
        by_skeleton.setdefault((skeleton, len(numbers)), []).append((number, numbers, parts))
    if not by_skeleton:
        return None
    (skeleton, _), points = max(by_skeleton.items(), key=lambda kv: len(kv[1]))
    current = _split(current_url)
    if current[0] == skeleton:
        points = points + [(current_page, current[1], current[2])]
    count = len(points[0][1])
    if count == 0:
        return None
    positions = [i for i in range(count) if len({p[1][i] for p in points}) > 1] if len(points) > 1 else []
    if len(positions) > 1:
        return None
    if not positions:
        # One page number seen: a guess (the last number in the URL, counting up), good for
        # following the pager but not for asking for pages nobody linked.
        position = count - 1
        number, numbers, parts = points[0]
        return skeleton, position, 1, numbers[position] - number, parts, False
    position = positions[0]
    ordered = sorted(points, key=lambda p: p[0])
    (n1, u1, parts), (n2, u2, _) = ordered[0], ordered[-1]
    if n1 == n2:
        return None
    sign = 1 if u2[position] > u1[position] else -1
    if (u2[position] - u1[position]) != sign * (n2 - n1):
        return None
    offset = u1[position] - sign * n1
    if any(u[position] != sign * n + offset for n, u, _ in points):
        return None
    return skeleton, position, sign, offset, parts, True


def _url(rule, number, template_numbers):
    skeleton, position, sign, offset, parts, _ = rule
    numbers = list(template_numbers)
    numbers[position] = sign * number + offset
    return _build(skeleton, numbers, parts)


def _last_page(rule, anchors, text):
    """The last page number and where it was read: 共N页, or the 尾页 link's URL."""
    announced = pages_in_text(text)
    if announced:
        return announced, "共N页"
    skeleton, position, sign, offset, _, _ = rule
    for kind, _, url in anchors:
        s, numbers, _ = _split(url)
        if kind == "last" and s == skeleton and len(numbers) > position:
            last = (numbers[position] - offset) * sign
            if last >= 2:  # a page with a 下一页 link is not the last one
                return last, "尾页"
    return None, None


def recognise(page):
    anchors = pager_anchors(page)
    if not any(kind in ("next", "number") for kind, _, _ in anchors):
        return []
    rule = _rule(anchors, page.url, 1, pages_in_text(page.visible_text))
    if rule is None:
        return []
    skeleton, position, sign, offset, parts, proven = rule
    template = next(_split(url)[1] for kind, _, url in anchors if _split(url)[0] == skeleton)
    last, source = _last_page(rule, anchors, page.visible_text)
    records = records_in_text(page.visible_text)
    announced_pages = last if source == "共N页" else None
    if not proven:
        last = None  # one pager URL cannot prove how the others are numbered: follow them instead
    key = f"{NAME}:{_url(rule, 0, template)}"
    notes = [f"pager URLs read off the pager: page 2 is {_url(rule, 2, template)}, page 3 is {_url(rule, 3, template)}"
             if proven else "one pager URL cannot show how pages are numbered: following the pager"]
    lasts = [url for kind, _, url in anchors if kind == "last"]
    state = {"rule": rule, "template": template, "chain": last is None, "seen_pages": {page.url},
             "last_url": lasts[0] if lasts else None}
    implausible = plausible(records, last)
    if implausible:
        notes.append(implausible)
    if last is not None:
        notes.append(f"last page {last} from {source}")
        fetches = [Fetch(_url(rule, n, template), page=n) for n in range(2, capped(last) + 1)]
    else:
        last = announced_pages
        notes.append("following 下一页 page by page" + (f" to the 尾页 link {lasts[0]}" if lasts else "")
                     + (f"; {announced_pages} pages announced (共N页)" if announced_pages else ""))
        nxt = [url for kind, _, url in anchors if kind == "next"]
        fetches = [Fetch(nxt[0] if nxt else _url(rule, 2, template), page=2, data={"chain": True})]
    found = Found(list_items(page.root, page.url, state), fetches, records, last, notes)
    return [Plan(NAME, key, page.url, found, state)]


def read(plan, fetch, answer):
    found = Found(list_items(answer.root, answer.url, plan.state))
    if not found.items:
        found.is_page, found.empty = False, True
        return found
    if not plan.state.get("chain"):
        return found
    anchors = pager_anchors(answer)
    current = fetch.page or 2
    following = [url for kind, _, url in anchors if kind == "next"]
    if not following:
        following = [url for kind, n, url in anchors if kind == "number" and n == current + 1]
    seen = plan.state["seen_pages"]
    seen.add(answer.url)
    if plan.state.get("last_url") in (answer.url, fetch.url):
        found.pages_announced = current  # the chain reached the page 尾页 named: the list ends here
        found.notes.append(f"reached the 尾页 page at page {current}")
        return found
    if following and following[0] not in seen:
        found.fetches.append(Fetch(following[0], page=current + 1, data={"chain": True}))
    return found
