"""TRS WCM static lists: ``index.html``, ``index_1.html`` ... drawn by ``createPageHTML`` or by a
``countPage`` variable (SITES.md §2.1, §2.8).

Everything is read from the call: how many numbers precede the file stem says what they are
(``(pages, current, ...)``, Beijing's ``(records, pages, current, ...)``), a leading string id
marks Hunan/Shanghai's ``('paging', pages, current, stem, ext, records)``, a number after the
strings is the record count (Hubei), and the ``current`` value on the first page says whether
page 2 is ``index_1`` (0-based) or ``index_2`` (1-based). A 0-based list whose ``index_1``
answers 404 is numbered from ``index_2``: its last page is then fetched as well.
"""

import re
from urllib.parse import urljoin, urlsplit

from .base import Fetch, Found, Plan, as_int, capped, js_value, plausible, records_in_text
from .items import list_items

NAME = "trs_static"

_CALL = re.compile(r"(?<![\w$.])createPageHTML\s*\(([^()]*)\)")
_ARG = re.compile(r"""\s*(?:'([^']*)'|"([^"]*)"|(-?\d+)|([\w$.]+))\s*(?:,|$)""")
_FILE = re.compile(r"/([\w-]+?)(?:_(\d+))?\.(s?html?)$")
# Page counts under other names (SITES.md §2.7), trusted only beside an index_ + n template.
_COUNT_NAMES = ("countPage", "contenpage", "totalPage", "totalPages", "pageCount")


def parse_call(script):
    """``dict(pages, current, stem, ext, records)`` from the first createPageHTML call whose
    arguments are literals, or variables the script assigns literals to (``countPage``)."""
    for match in _CALL.finditer(script):
        args = []
        for arg in _ARG.finditer(match.group(1)):
            single, double, number, name = arg.groups()
            if name is not None:
                value = js_value(script, name)
                if value is None:
                    break  # the function's own definition, or values computed at run time
                args.append(int(value) if isinstance(value, str) and value.strip().isdigit() else value)
                continue
            text = single if single is not None else double
            args.append(int(number) if number is not None else (int(text) if text.strip().isdigit() else text))
        else:
            call = _shape(args)
            if call:
                return call
    return None


def _shape(args):
    ints = [i for i, a in enumerate(args) if isinstance(a, int)]
    strings = [i for i, a in enumerate(args) if isinstance(a, str)]
    if len(strings) < 2 or len(ints) < 2:
        return None
    if strings[0] == 0:  # ('paging', pages, current, stem, ext, [records])
        numbers = [args[i] for i in ints if i < strings[1]]
        rest = [a for a in args[strings[1]:] if isinstance(a, str)]
        trailing = [args[i] for i in ints if i > strings[1]]
        if len(numbers) < 2 or len(rest) < 2:
            return None
        pages, current = numbers[0], numbers[1]
        stem, ext = rest[0], rest[1]
    else:
        leading = [args[i] for i in ints if i < strings[0]]
        trailing = [args[i] for i in ints if i > strings[0]]
        stem, ext = args[strings[0]], args[strings[1]]
        if len(leading) == 2:
            pages, current = leading
        elif len(leading) >= 3:  # Beijing: (records, pages, current, stem, ext)
            trailing = [leading[0]] + trailing
            pages, current = leading[1], leading[2]
        else:
            return None
    if not re.fullmatch(r"[\w-]+", stem) or not re.fullmatch(r"s?html?|jsp|asp|php", ext, re.I):
        return None
    if pages < 0 or current < 0:
        return None
    records = trailing[0] if trailing else None
    return {"pages": pages, "current": current, "stem": stem, "ext": ext, "records": records}


def _count_page_call(page):
    """The ``var currentPage = 0; var countPage = N`` variant: its numbers and file names."""
    script = page.scripts
    template = re.search(r"""['"]([\w-]+)_['"]\s*\+""", script)
    pages = js_value(script, "countPage")
    if pages is None and template:
        pages = next((js_value(script, name) for name in _COUNT_NAMES if js_value(script, name) is not None), None)
    if pages is None:
        return None
    current = as_int(js_value(script, "currentPage")) or 0
    path = urlsplit(page.url).path
    match = _FILE.search(path)
    ext = re.search(r"""\+\s*['"]\.(s?html?)['"]""", script)
    stem = template.group(1) if template else (match.group(1) if match else "index")
    extension = ext.group(1) if ext else (match.group(3) if match else "html")
    return {"pages": as_int(pages), "current": current, "stem": stem, "ext": extension, "records": None}


def _name(call, number, zero_based):
    """The file of list page ``number`` (1 = the first page)."""
    if number == 1:
        return f"{call['stem']}.{call['ext']}"
    return f"{call['stem']}_{number - 1 if zero_based else number}.{call['ext']}"


def recognise(page):
    call = parse_call(page.scripts)
    form = "createPageHTML"
    if call is None:
        call = _count_page_call(page)
        form = "countPage"
    if not call or call["pages"] is None:
        return []
    path = urlsplit(page.url).path
    match = _FILE.search(path)
    on_first = path.endswith("/") or (match and match.group(1) == call["stem"] and match.group(2) is None)
    directory = urljoin(page.url, "./")
    first_url = urljoin(directory, _name(call, 1, True))
    records = call["records"] if call["records"] is not None else records_in_text(page.visible_text)
    notes = [f"{form}({call['pages']} pages, current {call['current']}, {call['stem']}.{call['ext']}"
             + (f", {call['records']} records" if call["records"] is not None else "") + ")"]
    implausible = plausible(records, call["pages"])
    if implausible:
        notes.append(implausible)
    key = f"{NAME}:{directory}{call['stem']}.{call['ext']}"
    if not on_first:
        # Only the first page tells how pages are numbered: read it, then the rest.
        found = Found([], [Fetch(first_url, step="first", page=1)], records, call["pages"], notes, is_page=False)
        return [Plan(NAME, key, first_url, found, {"directory": directory, "call": call})]
    zero_based = call["current"] == 0
    notes.append("pages numbered from 0 (page 2 is %s)" % _name(call, 2, True) if zero_based
                 else "pages numbered from 1 (page 2 is %s)" % _name(call, 2, False))
    state = {"directory": directory, "call": call, "zero_based": zero_based}
    fetches = [Fetch(urljoin(directory, _name(call, n, zero_based)), page=n) for n in range(2, capped(call["pages"]) + 1)]
    found = Found(list_items(page.root, page.url, state), fetches, records, call["pages"], notes)
    return [Plan(NAME, key, page.url, found, state)]


def read(plan, fetch, answer):
    if fetch.step == "first":
        plans = recognise(answer)
        if not plans:
            return Found(is_page=False, notes=[f"{fetch.url}: no createPageHTML on the first page"])
        plan.state.update(plans[0].state)
        return plans[0].found
    call = parse_call(answer.scripts) or {}
    found = Found(list_items(answer.root, answer.url, plan.state))
    if not found.items:  # deep index_N pages that are 300-byte stubs (SITES.md §2.1)
        found.is_page, found.empty = False, True
    if call.get("records") is not None:
        found.announced = call["records"]
    if call.get("pages") is not None:
        found.pages_announced = call["pages"]
    return found


def failed(plan, fetch, outcome):
    """``index_1`` missing from a 0-based list: the site numbers from ``index_2``, so the page the
    0-based names miss is ``index_{pages}``."""
    state = plan.state
    call = state.get("call") or {}
    if outcome == "not_found" and state.get("zero_based") and fetch.page == 2 and not state.get("shifted"):
        state["shifted"] = True
        last = f"{call['stem']}_{call['pages']}.{call['ext']}"
        return Found(fetches=[Fetch(urljoin(state["directory"], last), page=call["pages"] + 1, data={"shifted": True})],
                     notes=[f"{_name(call, 2, True)} answers 404: pages are numbered from {call['stem']}_2, "
                            f"so {last} is fetched too"])
    return Found(is_page=False)
