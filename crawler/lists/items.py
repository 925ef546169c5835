"""Which anchors of a list page are the list's records, not its navigation, pager or sidebars.

A list's records repeat one structure (``li``, ``tr``, ``p``, ``div``), usually with a date; each
record holds one content anchor. Anchors are grouped by the tag-and-class path of their record
element, and the group that looks most like a list of documents wins. Its size is what a page of
the list holds, which the announced totals are counted against.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .. import discovery

DATE = re.compile(r"(?:19|20)\d{2}\s*(?:[-./年]\s*\d{1,2}\s*(?:[-./月]\s*\d{1,2})?|\d{4}\b)")
_PAGER = re.compile(r"^(?:首页|上一?页|下一?页|尾页|末页|最后一?页|前一?页|后一?页|[<>«»‹›]+|\d{1,4}|第\d+页|跳转|跳到|GO|确定|"
                    r"more|更多|更多>+|>>|<<|next|prev(?:ious)?|last|first|\.\.\.|…)$", re.I)
# Unrendered client-side templates: their anchors are placeholders, not records (SITES.md §2.8).
# Anchors that act on a record rather than name one (a second anchor in a table row).
_GENERIC = re.compile(r"^(?:下载|点击下载|附件下载|查看|详情|详细|阅读全文|全文|打印|关闭|收藏|分享|解读|图解|PDF|DOC|DOCX|WORD)$", re.I)
_TEMPLATE_ATTRS = ("ms-repeat", "ms-for", "v-for", "ng-repeat", "x-for", "ms-attr-href", ":href", "v-bind:href", "ng-href")
_TEMPLATE_HREF = re.compile(r"\{\{|<\?=|\$\{|\{\$|%7B%7B|@\{", re.I)
_NAVISH = re.compile(r"^(?:nav|menu|header|head|top|footer|foot|bottom|crumb|breadcrumb|position|location|banner|"
                     r"friend|yqlj|links?|share|tool|copyright|pager?|pagination|paging|fenye)", re.I)
_SKIP_TAGS = {"nav", "header", "footer", "script", "style", "select", "option", "form"}


@dataclass
class Group:
    """Records of one structure on a page."""

    items: list  # discovery.Link in document order (duplicates kept: a list may repeat a record)
    dated: int
    score: float
    signature: tuple = ()  # the tag-and-class path of its records


def content_anchors(root, base):
    """``[(anchor element, Link)]`` for anchors that could be records of a list."""
    out = []
    for a in root.iter("a"):
        href = a.get("href") or ""
        if _TEMPLATE_HREF.search(href) or any(attr in a.attrib for attr in _TEMPLATE_ATTRS):
            continue
        if re.search(r"#[!/]", href):
            continue  # a single-page app's route: no page of its own to fetch
        url = discovery.absolute(base, href)
        if not url or discovery.is_skipped(url):
            continue
        text = re.sub(r"\s+", "", "".join(a.itertext()))
        title = (a.get("title") or "").strip()
        label = title or text
        if len(label) < 2 or _PAGER.match(text or label) or _GENERIC.match(text or label):
            continue
        if _in_template_or_chrome(a):
            continue
        out.append((a, discovery.Link(url, text, title)))
    return out


def _in_template_or_chrome(element):
    for ancestor in element.iterancestors():
        if ancestor.tag in _SKIP_TAGS or any(attr in ancestor.attrib for attr in _TEMPLATE_ATTRS):
            return True
    return False


def _navish(element):
    for ancestor in element.iterancestors():
        tokens = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}".split()
        if any(_NAVISH.match(t) for t in tokens):
            return True
    return False


def _signature(element):
    path = []
    for node in [element, *element.iterancestors()]:
        if node.tag in ("html", "body"):
            break
        path.append(f"{node.tag}.{node.get('class') or ''}")
    return tuple(reversed(path))


def groups(root, base):
    """Every group of record-like anchors on a page, best first."""
    anchors = content_anchors(root, base)
    if not anchors:
        return []
    # Count content anchors under each element, so that a record element is the highest
    # ancestor of an anchor that holds no other record's anchor.
    holders = {}
    for a, link in anchors:
        for node in a.iterancestors():
            holders.setdefault(node, set()).add(link.url)
    by_signature = {}
    for a, link in anchors:
        record = a
        for node in a.iterancestors():
            if node.tag in ("body", "html") or len(holders.get(node, ())) > 1:
                break
            record = node
        entry = by_signature.setdefault(_signature(record), {"records": {}, "items": []})
        if id(record) in entry["records"]:
            continue  # a second anchor of the same record (same URL: icon and title)
        entry["records"][id(record)] = record
        entry["items"].append((record, link))
    found = []
    folder = urlsplit(base).path.rsplit("/", 1)[0] + "/"
    for entry in by_signature.values():
        items = entry["items"]
        dated = sum(1 for record, _ in items if DATE.search("".join(record.itertext())))
        mean_label = sum(len(link.label) for _, link in items) / len(items)
        score = len(items) * (0.3 + dated / len(items)) * min(1.0, mean_label / 10)
        if folder != "/":
            # A column's own records live under its folder (TRS ./YYYYMM/t…); a sidebar's do not.
            inside = sum(1 for _, link in items if urlsplit(link.url).path.startswith(folder))
            score *= 1 + inside / len(items)
        if _navish(items[0][0]):
            score *= 0.2
        found.append(Group([link for _, link in items], dated, score, _signature(items[0][0])))
    found.sort(key=lambda g: -g.score)
    return found


def list_items(root, base, state=None):
    """The records of the list a page holds (the best group), ``[]`` when none looks like one.

    With ``state`` (a plan's), the structure chosen on the list's first page is remembered and
    preferred on its other pages, so that a last page holding two records is not out-voted by a
    sidebar holding five.
    """
    if root is None:
        return []
    found = groups(root, base)
    if not found:
        return []
    if state is not None:
        remembered = state.get("signature")
        if remembered is not None:
            for group in found:
                if group.signature == remembered:
                    return group.items
        else:
            state["signature"] = found[0].signature
    return found[0].items


def looks_like_list(root, base):
    """Whether the best group is a list of documents: dated records or document-length titles."""
    best = groups(root, base) if root is not None else []
    if not best:
        return False
    group = best[0]
    mean_label = sum(len(l.label) for l in group.items) / len(group.items)
    return group.dated * 2 >= len(group.items) or mean_label >= 8


def fragment_items(html, base):
    """The records of an HTML fragment that is itself a list (API answers): its best group, or
    every content anchor when the fragment has no repeated structure."""
    root = discovery.parse_html(f"<html><body><div>{html}</div></body></html>") if html and html.strip() else None
    if root is None:
        return []
    items = list_items(root, base)
    anchors = [link for _, link in content_anchors(root, base)]
    return items if len(items) >= len({l.url for l in anchors}) else anchors
