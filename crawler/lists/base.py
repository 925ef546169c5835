"""What every list mechanism speaks: the fetches it asks for, what a page of the list holds, and
the plan it makes for a list it recognised; plus readers of what sites announce.

A mechanism module (``crawler/lists/*.py``) has a ``NAME``, ``recognise(page) -> [Plan]`` and
``read(plan, fetch, answer) -> Found``, and may have ``failed(plan, fetch, outcome) -> Found``
for a page that did not answer (a 404 may tell it how pages are numbered).
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import chompjs

# Announced totals above these are implausible for one column (a page announcing 100,000,000
# records must not queue millions of requests): recorded as said, enumerated only to the budget.
PLAUSIBLE_RECORDS = 100_000
PLAUSIBLE_PAGES = 10_000


@dataclass
class Fetch:
    """A request a mechanism wants made, and how to read its answer."""

    url: str
    method: str = "GET"
    body: str = None
    headers: dict = field(default_factory=dict)
    step: str = "page"  # which reader of the mechanism reads the answer
    page: int = None  # the list page (1 = first) this answer is, when the mechanism knows
    kind: str = "list"  # list (an HTML page of the list) | api (an answer of the site's list API)
    data: dict = field(default_factory=dict)  # what the reader needs to know about this fetch

    @property
    def key(self):
        return (self.method, self.url, self.body or "")


@dataclass
class Found:
    """What one page or answer of a list says."""

    items: list = field(default_factory=list)  # discovery.Link, one per record, in list order
    fetches: list = field(default_factory=list)  # further requests to make
    announced: int = None  # records the site says the list holds
    pages_announced: int = None  # pages the site says the list has
    notes: list = field(default_factory=list)
    is_page: bool = True  # False: the answer was not a page of this list (an empty shell, an error)
    covers: int = 1  # list pages this answer stands for (an embedded jpage group holds several)
    empty: bool = False  # a page the list announced came back holding no record (a stub, SITES.md §2.1)


@dataclass
class Plan:
    """A list a mechanism recognised, with what it read to enumerate it."""

    mechanism: str
    key: str  # the list's identity: the same list reached twice is enumerated once
    url: str  # the list's first page
    found: Found  # what the recognising page itself holds, and the fetches for the rest
    state: dict = field(default_factory=dict)


# -- what pages announce ------------------------------------------------------------------------

_RECORDS_TEXT = re.compile(r"(?:共有?|总共|合计|总计|共计)\s*[:：]?\s*(\d+)\s*(?:条|篇|项|个|份|件)|"
                           r"(?:记录数|总记录数?|信息数|总条数)\s*[:：]?\s*(\d+)|(\d+)\s*条记录")
_PAGES_TEXT = re.compile(r"共\s*(\d+)\s*页|(?:第\s*)?\d+\s*/\s*(\d+)\s*页|页次\s*[:：]?\s*\d+\s*/\s*(\d+)|总页数\s*[:：]?\s*(\d+)")


def _first(match):
    return int(next(g for g in match.groups() if g is not None)) if match else None


def records_in_text(text):
    """Records a page's visible text announces (共52条, 共有52条记录, 总记录数:52), or None."""
    return _first(_RECORDS_TEXT.search(text or ""))


def pages_in_text(text):
    """Pages a page's visible text announces (共6页, 1/6页, 页次:1/6), or None."""
    return _first(_PAGES_TEXT.search(text or ""))


def plausible(records=None, pages=None):
    """A note when an announced total is beyond belief for one list, else None."""
    if records is not None and records > PLAUSIBLE_RECORDS:
        return f"implausible: announced {records} records (more than {PLAUSIBLE_RECORDS} in one list)"
    if pages is not None and pages > PLAUSIBLE_PAGES:
        return f"implausible: announced {pages} pages (more than {PLAUSIBLE_PAGES} in one list)"
    return None


def capped(pages):
    """The number of pages worth generating requests for."""
    return min(pages, PLAUSIBLE_PAGES)


# -- reading JavaScript -------------------------------------------------------------------------

def js_object_after(text, pattern):
    """The JavaScript object literal that follows ``pattern`` (a regex ending where the ``{``
    starts) parsed into a dict, or None. References (``SiteInfo.searchId``) come back as strings."""
    for match in re.finditer(pattern, text):
        end = match.end()
        start = end - 1 if end and text[end - 1] == "{" else text.find("{", end)
        if start < 0 or start - end > 2:
            continue
        try:
            value = chompjs.parse_js_object(text[start:])
        except (ValueError, TypeError, IndexError):
            value = _loose_pairs(_balanced(text, start))
        if isinstance(value, dict):
            return value
    return None


def _balanced(text, start):
    depth = 0
    for i in range(start, min(len(text), start + 20000)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
    return text[start:start + 20000]


_PAIR = re.compile(r"""([\w$]+)\s*:\s*(?:'([^']*)'|"([^"]*)"|(-?\d+(?:\.\d+)?)\b|([\w$.]+))""")


def _loose_pairs(text):
    """``key: value`` pairs of an object literal chompjs could not parse (code inside it)."""
    out = {}
    for match in _PAIR.finditer(text):
        key, single, double, number, name = match.groups()
        value = single if single is not None else double if double is not None else (
            int(number) if number and number.lstrip("-").isdigit() else number if number else name)
        out.setdefault(key, value)
    return out


def js_value(text, name):
    """The literal assigned to ``name`` anywhere in a script (``name: 5``, ``var name = '5'``)."""
    match = re.search(rf"""(?<![\w$.]){re.escape(name)}\s*[:=]\s*(?:'([^']*)'|"([^"]*)"|(-?\d+))""", text)
    if not match:
        return None
    single, double, number = match.groups()
    return int(number) if number is not None else (single if single is not None else double)


def as_int(value):
    """An int from a number or numeric string ('52', ' 52 '), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def same_host(url, other):
    return urlsplit(url).netloc == urlsplit(other).netloc
