"""Reading the three statutory tables out of a document's rows (SPEC §3-§4, deviations §7).

Rows are identified by what their labels say, never by their position, and values are given
to the expected columns in order within the row (SPEC D5): grid positions lie in real reports.
"""

import re
from collections import Counter
from functools import lru_cache
from dataclasses import dataclass, field

from . import spec
from .blocks import UNSURE, Cell, TextLine
from .records import Cell as ReadCell  # a value read, with where it stood
from .textnorm import bare_label_key, has_han, label_key, read_value, strip_enumeration

HEADING_T2 = spec.SECTION_BY_CODE["s2.active"].table
HEADING_T3 = spec.SECTION_BY_CODE["s3.requests"].table
HEADING_T4 = spec.SECTION_BY_CODE["s4.review_lit"].table
HEADING_OTHER = spec.SECTION_WITHOUT_TABLE

_T3_HEADER_WORDS = spec.T3_HEADER_WORDS
_T4_HEADER_WORDS = spec.T4_HEADER_WORDS
_T2_HEADER_WORDS = spec.T2_HEADER_WORDS
# Labels some reproductions give table 四's single data row (SPEC §3.3: "案件数量").
_T4_ROW_LABEL = re.compile(r"^(?:案件|办理|合计)?(?:数量|件数|数|情况)?(?:\(件\)|件)?$")


@dataclass
class _Slot:
    """A value cell of a row before it is given a column."""

    cell: Cell
    index: int  # 1-based position of the cell within its source row


@dataclass
class TableReading:
    cells: dict = field(default_factory=dict)
    issues: list = field(default_factory=list)
    markers: Counter = field(default_factory=Counter)
    found_tables: set = field(default_factory=set)
    repairs: list = field(default_factory=list)  # numbers joined again from two cells


def heading_context(text):
    """Which table a heading line introduces: 'table2'..'table4', None for narrative, or ''."""
    if len(text) > 45:
        return ""
    if HEADING_T2.search(text):
        return "table2"
    if HEADING_T3.search(text):
        return "table3"
    if HEADING_T4.search(text):
        return "table4"
    if HEADING_OTHER.search(text):
        return None
    return ""


class TableReader:
    """A state machine over the blocks: current table, current 三 group, column layouts."""

    def __init__(self):
        self.out = TableReading()
        self.context = None
        self.group = None
        self.t3_header = set()
        self.t3_header_open = False
        self.t2_columns = []  # (column code, era) of the current table 二 block header
        self.t2_rows = []  # resolved once the era is known
        self.t3_other_rows = []  # bare （六）其他处理 rows: `other` (f2019) or a subtotal (f2021)
        self.t4_slots = []
        self.t4_rows = []
        self.fragment = None  # an unrecognised row with values, kept until the next row

    # -- driving -----------------------------------------------------------------------
    def read(self, blocks):
        for block in blocks:
            if isinstance(block, TextLine):
                self.on_text(block)
            else:
                self.on_row(block)
        if self.fragment is not None:
            self.take_extra(*self.fragment)
        self.finish_t4()
        return self.out

    def on_text(self, line):
        if self.fragment is not None and heading_context(line.text) != "":
            self.take_extra(*self.fragment)
            self.fragment = None
        context = heading_context(line.text)
        if context != "":
            self.finish_t4()
            self.context = context
            self.group = None
            self.t3_header_open = False
            return
        if self.context == "table3":
            group = _group_of(label_key(line.text))
            if group and len(line.text) < 12:
                self.group = group

    def on_row(self, row):
        labels, slots = _split_row(row)
        fragment, self.fragment = self.fragment, None
        if fragment is not None:
            if labels and all(not s.cell.text for s in slots) and row.table != fragment[0].table:
                # the rest of a row that a page break cut: its label here, its values before
                labels, slots = fragment[1] + labels, fragment[2]
            else:
                self.take_extra(*fragment)
        keys = [label_key(text) for text in labels]
        joined = "".join(keys)
        numbers = [s for s in slots if read_value(s.cell.text).semantic in ("number", "zero", "na_mark")]
        if not numbers and self.on_header(keys, row):
            return
        if self.context == "table4" or (not labels and len(slots) >= 15):
            if not labels or _T4_ROW_LABEL.match(joined):
                if not labels and self.context != "table4":
                    self.finish_t4()
                    self.context = "table4"
                self.take_t4(row, slots, labels)
                return
        if not labels:
            return
        if self.context == "table4" and not numbers:
            return  # a header's wrapped tail (总计 on a line of its own in a printed PDF)
        if self.context == "table2":
            if self.try_t2(row, labels, slots) or self.try_t3(row, labels, keys, slots, numbers):
                return
        elif self.try_t3(row, labels, keys, slots, numbers) or self.try_t2(row, labels, slots):
            return
        if numbers and not row.loose and self.context in ("table2", "table3"):
            self.fragment = (row, labels, slots, self.context)  # an extra row, or the first part of a cut one

    # -- headers -------------------------------------------------------------------------
    def on_header(self, keys, row):
        """Handle a row without numbers that is a header; return whether it was one."""
        joined = "".join(keys)
        t3_words = [w for w in _T3_HEADER_WORDS if w in joined]
        if t3_words:
            if self.context != "table3" or not self.t3_header_open:
                self.t3_header = set()
            self.finish_t4()
            self.context = "table3"
            self.group = None
            self.t3_header_open = True
            self.t3_header.update(_t3_columns(keys))
            return True
        if ("行政复议" in joined and "诉讼" in joined) or "复议后起诉" in joined or "结果维持" in joined:
            if self.context != "table4":
                self.finish_t4()
            self.context = "table4"
            return True
        t2_cols = [(col, era) for key in keys for (word, col, era) in spec.T2_COLUMN_KEYS if word in key]
        if any(w in joined for w in _T2_HEADER_WORDS) or len(t2_cols) >= 2:
            self.finish_t4()
            self.context = "table2"
            if t2_cols or "信息内容" in joined:
                self.t2_columns = _dedupe(t2_cols)
            return True
        return False

    # -- table 三 --------------------------------------------------------------------------
    def try_t3(self, row, labels, keys, slots, numbers):
        if row.loose and _fit(slots, len(self.t3_columns())) is None:
            unglued = _unglue(labels, slots)  # "3.其他2 3 0 …": the label swallowed a value
            if unglued and _fit(unglued[1], len(self.t3_columns())) is not None:
                labels, slots = unglued
                keys = [label_key(t) for t in labels]
                numbers = numbers + [slots[0]]
        joined = "".join(keys)
        group = _group_of(joined)
        code = _t3_row_named(joined)
        if code is None:
            code = _t3_by_prefix(joined, group or self.group)
        if code is None:
            bare = strip_enumeration(strip_enumeration(joined.replace("三本年度办理结果", "").replace("本年度办理结果", "")))
            if bare in ("总计", "合计", "七总计") or (bare.endswith("总计") and len(bare) <= 6):
                code = "result_total"
            elif group:
                if not numbers and (row.loose or _fit(slots, len(self.t3_columns()), row.uniform) is None):
                    self.group = group  # the group's label on a row of its own
                    self.context = "table3"
                    return True
                code = "other" if group == "other" else spec.T3_GROUPS[group][1]
            elif bare in ("其他", "3其他") and self.group == "other":
                code = "other_other"
        if code is None:
            return False
        if row.loose and not numbers:
            return False
        self.context = "table3"
        self.t3_header_open = False
        entry = spec.T3_ROW_BY_CODE.get(code)
        if entry is not None:
            self.group = entry.group or None
            if entry.group == "other" and code != "other":
                self.out.markers["f2021"] += 1
        elif code.endswith("_subtotal"):
            self.group = code.split("_")[0]
        if code == "other":
            self.group = "other"
            self.t3_other_rows.append((row, labels, slots))
            return True
        self.assign_t3(code, row, labels, slots)
        return True

    def t3_columns(self):
        return list(_t3_columns_of(frozenset(self.t3_header)))

    def assign_t3(self, row_code, row, labels, slots):
        detected = self.t3_columns()
        labels, slots, fitted = _fit_row(row, labels, slots, len(detected))
        columns = detected
        if fitted is None and len(detected) != 7:
            fitted, columns = _fit(slots, 7, row.uniform), list(spec.T3_COLUMNS)
        if fitted is None and columns == list(spec.T3_COLUMNS):
            fitted = self.repair_split_number(row, labels, slots, row_code)
        if fitted is None:
            if not (row.loose and f"table3.{row_code}.natural_person" in self.out.cells):
                self.issue("short_row", row, labels, f"{len(slots)} values where {len(detected)} columns were expected")
            return  # (a guessed PDF row for a row already read is a wrapped label's tail)
        self.out.found_tables.add("table3")
        for column, slot in zip(columns, fitted):
            self.put(f"table3.{row_code}.{column}", slot, row, labels)

    def repair_split_number(self, row, labels, slots, row_code):
        """A row with one value too many, where a number was cut into two cells ("12" "34").

        Joining two neighbours is accepted only when exactly one join makes the row's 总计
        equal the sum of its columns (R-T3-ROWSUM proves it), and the repair is recorded.
        """
        values = [s for s in slots if s.cell.text]
        if len(slots) != 8 or len(values) < 3:
            return None
        numbers = [read_value(s.cell.text) for s in slots]
        candidates = []
        for i in range(7):
            a, b = numbers[i], numbers[i + 1]
            if a.semantic not in ("number", "zero") or b.semantic not in ("number", "zero") or not slots[i + 1].cell.text.isdigit():
                continue
            joined = slots[i].cell.text + slots[i + 1].cell.text
            merged = [n.value or 0 for n in numbers[:i]] + [read_value(joined).value] + [n.value or 0 for n in numbers[i + 2:]]
            if merged[-1] == sum(merged[:-1]):
                candidates.append((i, joined))
        if len(candidates) != 1:
            return None
        i, joined = candidates[0]
        fixed = slots[:i] + [_Slot(Cell(joined), slots[i].index)] + slots[i + 2:]
        self.out.repairs.append({
            "code": f"table3.{row_code}.{spec.T3_COLUMNS[i]}", "parts": [slots[i].cell.text, slots[i + 1].cell.text],
            "value": joined, "table": row.table, "row": row.row, "page": row.page,
        })
        return fixed

    # -- table 二 --------------------------------------------------------------------------
    def try_t2(self, row, labels, slots):
        entry = _t2_row_named(bare_label_key("".join(labels)))
        if entry is None:
            return False
        if row.loose and not any(read_value(s.cell.text).is_value and s.cell.text for s in slots):
            return False
        if row.loose and _SENTENCE.search("".join(labels)):
            return False  # a sentence that mentions 规章 and ends in a number, not the row 规章
        if not slots:
            return False
        self.context = "table2"
        self.t2_rows.append((entry, row, labels, slots))
        header_eras = {era for _, era in self.t2_columns}
        possible = [era for era, cols in entry.columns.items() if _fit_row(row, labels, slots, len(cols))[2] is not None]
        if len(header_eras) == 1:
            self.out.markers[header_eras.pop()] += 1
        elif len(possible) == 1:
            self.out.markers[possible[0]] += 1
        self.out.found_tables.add("table2")
        return True

    def resolve_t2(self, era):
        for entry, row, labels, slots in self.t2_rows:
            era_cols = entry.columns.get(era)
            candidates = []
            if era_cols:
                candidates.append(list(era_cols))
            for other_era, cols in entry.columns.items():
                if other_era != era:
                    candidates.append(list(cols))
            for columns in candidates:
                labels, slots, fitted = _fit_row(row, labels, slots, len(columns))
                if fitted is not None:
                    break
            else:
                self.issue("short_row", row, labels, f"{len(slots)} values where {len(era_cols or ())} columns were expected")
                continue
            for column, slot in zip(columns, fitted):
                self.put(f"table2.{entry.code}.{column}", slot, row, labels)

    # -- table 四 --------------------------------------------------------------------------
    def take_t4(self, row, slots, labels):
        self.context = "table4"
        if not slots or (row.loose and not labels and len(slots) < 4):
            return  # a page number ("- 2 -") between the header and the numbers
        self.t4_slots.extend(slots)
        self.t4_rows.append((row, labels))
        if len(self.t4_slots) >= 15:
            self.finish_t4()

    def finish_t4(self):
        if not self.t4_slots:
            return
        slots, rows = self.t4_slots, self.t4_rows
        self.t4_slots, self.t4_rows = [], []
        row, labels = rows[0]
        fitted = _fit(slots, 15, row.uniform)
        if fitted is None:
            self.issue("short_row", row, labels, f"table 四 has {len(slots)} values where 15 were expected")
            return
        if "table4" in self.out.found_tables:
            return  # a second copy of table 四 (repeated on a later page) adds nothing
        self.out.found_tables.add("table4")
        for code, slot in zip(spec.T4_CODES, fitted):
            self.put(code, slot, row, labels)

    # -- extras and bookkeeping -------------------------------------------------------------
    def take_extra(self, row, labels, slots, table):
        name = bare_label_key("".join(labels))[:40] or "row"
        if table == "table3":
            columns = self.t3_columns()
        else:
            columns = [c for c, _ in self.t2_columns]
        fitted = _fit(slots, len(columns), row.uniform) if columns else None
        if fitted is None:
            fitted, columns = slots, [f"c{i}" for i in range(1, len(slots) + 1)]
        base = f"extra.{table}.{name}"
        suffix = 1
        while any(code.startswith(base + ".") for code in self.out.cells) and suffix < 50:
            suffix += 1
            base = f"extra.{table}.{name}_{suffix}"
        for column, slot in zip(columns, fitted):
            self.put(f"{base}.{column}", slot, row, labels)

    def put(self, code, slot, row, labels):
        cell = slot.cell
        value = read_value(cell.text)
        if code in self.out.cells:
            previous = self.out.cells[code]
            # A row split over two pages comes back as two rows, one of them with empty cells.
            if not cell.text.strip() or previous.raw == cell.text:
                return
            if previous.raw.strip():
                self.issue("duplicate_row", row, labels, f"{code} appears twice ({previous.raw!r} and {cell.text!r})")
                return
        # the unit as written; the extractor puts the value in its code's unit (report._canonical)
        self.out.cells[code] = ReadCell(
            code, value.value, cell.text, value.semantic, value.unit,
            row.table, row.row, slot.index, " ".join(labels) or None, row.line, row.page,
            cell.confidence, tuple(cell.readings) or None,
        )

    def issue(self, kind, row, labels, message):
        self.out.issues.append({
            "kind": kind, "message": message, "table": row.table, "row": row.row,
            "line": row.line, "label": " ".join(labels),
        })

    def resolve(self, era):
        """Finish the era-dependent decisions once the document's era is known."""
        self.resolve_t2(era)
        has_other_subrows = any(c.startswith("table3.other_") for c in self.out.cells)
        for row, labels, slots in self.t3_other_rows:
            code = "other_subtotal" if (era == "f2021" or has_other_subrows) else "other"
            self.assign_t3(code, row, labels, slots)
        return self.out


def _split_row(row):
    """Label texts and value slots of a row: values are the cells after the last label cell.
    An OCR'd value cell whose reading is no number and no Chinese ("if" for a 1) is a value that
    could not be read, not a label: it stays in its slot, to be named as unreadable."""
    last_label = -1
    for i, cell in enumerate(row.cells):
        if read_value(cell.text).semantic == "text" and not _misread_value(cell):
            last_label = i
    labels = [c.text for c in row.cells[: last_label + 1] if c.text]
    slots = [_Slot(c, i + 1) for i, c in enumerate(row.cells) if i > last_label]
    return labels, slots


def _misread_value(cell):
    if cell.confidence is None:
        return False
    return not has_han(cell.text) or (cell.confidence <= UNSURE and bool(re.search(r"\d", cell.text)))


_GLUED_VALUE = re.compile(r"^(.*[^\d.,\s+-])(\d{1,7})$")


def _unglue(labels, slots):
    """PDF text that ran the first value into its label ("…申请数量5 0 0 …"): split it off.

    Only tried when a row is one value short, since a label may also end in an enumeration
    ("（五）不予处理1" wrapped before "信访举报投诉类申请").
    """
    match = _GLUED_VALUE.match(labels[-1]) if labels else None
    if not match:
        return None
    index = slots[0].index - 1 if slots else 1
    return labels[:-1] + [match.group(1)], [_Slot(Cell(match.group(2)), index)] + list(slots)


# A guessed row's label may run in its column headings or a note cut at a line end; a sentence's
# punctuation is what tells a line of prose that mentions 规章 and ends in a number from the row.
_SENTENCE = re.compile(r"[，。；！？]")


def _fit_row(row, labels, slots, expected):
    """``(labels, slots, fitted)``: :func:`_fit`, retried on a PDF row whose first value ran
    into its label."""
    fitted = _fit(slots, expected, row.uniform)
    if fitted is None and row.loose:
        unglued = _unglue(labels, slots)
        if unglued and _fit(unglued[1], expected) is not None:
            return unglued[0], unglued[1], _fit(unglued[1], expected)
    return labels, slots, fitted


def _fit(slots, expected, pad_left=False):
    """Fit a row's value slots to ``expected`` columns, or None when they cannot fit.

    Surplus blank cells are dropped from the end first (lost merged cells in pipe text), or
    from the start first when ``pad_left`` (empty label columns of a uniform grid). Missing
    ones are recovered from the colspan of blank cells only, since a number spanning columns
    is one number (SPEC D5).
    """
    slots = list(slots)
    ends = (0, -1) if pad_left else (-1, 0)
    for end in ends:
        while len(slots) > expected and not slots[end].cell.text:
            slots.pop(end)
    if len(slots) < expected:
        expanded = []
        for slot in slots:
            copies = slot.cell.colspan if not slot.cell.text else 1
            expanded.extend([slot] * copies)
        if len(expanded) == expected:
            slots = expanded
    return slots if len(slots) == expected else None


_ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]+|\([一二三四五六七八九十]+\))?(?:(\d{1,2})(?!\d))?(.*)$")


def _official_key(row):
    return strip_enumeration(label_key(row.label))


# Labels recur from report to report (the format's own, or one office's every year): what a
# label key names is worked out once per key.
@lru_cache(maxsize=8192)
def _t3_row_named(joined):
    """The table 三 row whose label words a row's joined label key holds, first in SPEC order."""
    for candidate in spec.T3_ROWS:
        if candidate.keys and any(k in joined for k in candidate.keys):
            return candidate.code
    return None


@lru_cache(maxsize=8192)
def _t2_row_named(key):
    """The table 二 row whose label words a bare label key holds, first in SPEC order."""
    for candidate in spec.T2_ROWS:
        if any(k in key for k in candidate.keys):
            return candidate
    return None


@lru_cache(maxsize=8192)
def _t3_by_prefix(joined, group):
    """A row whose label was cut short (PDF wrapping): by its number within its group, or by
    being the start of exactly one official label (SPEC D7, D12)."""
    if group:
        joined = joined.replace(spec.T3_GROUPS[group][0], "", 1)
    match = _ENUMERATED.match(joined.replace("三本年度办理结果", "").replace("本年度办理结果", ""))
    number, rest = match.group(1), match.group(2)
    if group and number:
        members = [r for r in spec.T3_ROWS if r.group == group and r.code != "other"]
        index = int(number) - 1
        if 0 <= index < len(members) and _official_key(members[index]).startswith(rest):
            return members[index].code
    if len(rest) >= 3:
        found = [r.code for r in spec.T3_ROWS if _official_key(r).startswith(rest)]
        if len(found) == 1:
            return found[0]
    return None


@lru_cache(maxsize=8192)
def _group_of(key):
    for name, (word, _, _) in spec.T3_GROUPS.items():
        if word in key:
            return name
    return None


def _t3_columns(keys):
    """Table 三 column codes named by header label keys (SPEC §3.2, D18)."""
    found = set()
    for key in keys:
        found.update(code for word, code in spec.T3_COLUMN_KEYS if word in key)
        bare = strip_enumeration(key)
        if bare == "合计":
            found.add("total")
        if bare in spec.T3_OTHER_COLUMN_LABELS:
            found.add("org_other")
        if "法人或其他组织" in key and "小计" not in key:
            found.add("org_total_merged")
    return found


@lru_cache(maxsize=1024)
def _t3_columns_of(found):
    """Table 三's columns in order, from the column codes its header named (a frozenset)."""
    if {"org_business", "org_research", "org_public_interest", "org_legal_service"} & found:
        found = found - {"org_total_merged"}
    if found:
        # every layout has these two; a narrow vertical header cell may have lost its text
        found = found | {"natural_person", "total"}
    if len(found & set(spec.T3_ORG)) >= 3:
        found = found | set(spec.T3_ORG)  # most of the five: a misread header lost the others
    cols = tuple(c for c in spec.T3_COLUMN_ORDER if c in found)
    return cols if len(cols) >= 2 else tuple(spec.T3_COLUMNS)


def _dedupe(pairs):
    seen, out = set(), []
    for pair in pairs:
        if pair not in seen:
            seen.add(pair)
            out.append(pair)
    return out
