"""Plain text to blocks: pipe tables, markdown tables, tab- and space-separated PDF rows."""

import re

from .blocks import Cell, Document, TableRow, TextLine
from .decode import decode
from .textnorm import clean, read_value

_MD_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PAGE_BREAK = "\f"
_MAX_LOOSE_LABEL = 60
_GLUED_SINGLE = re.compile(r"^([\u4e00-\u9fff]{2,20})(\d{1,9}(?:\.\d+)?)$")


def parse_text(data, header_charset=None, decoded=None):
    """Parse text bytes (or str) into a :class:`Document`; ``decoded`` as for parse_html."""
    if decoded is not None:
        text, encoding = decoded
    elif isinstance(data, bytes):
        text, encoding = decode(data, header_charset)
    else:
        text, encoding = data, None
    if not text.strip():
        raise ValueError("empty document")
    blocks = []
    table_no = 0
    row_no = 0
    in_table = False
    page = 1
    lines = text.splitlines()
    vertical = _vertical_rows(lines)
    for line_no, line in enumerate(lines, start=1):
        page += line.count(_PAGE_BREAK)
        if line_no in vertical:
            row = vertical[line_no]
        elif line_no in vertical.covered:
            continue
        else:
            row = row_cells(line)
        if row is None:
            stripped = clean(line)
            if stripped and not _MD_RULE.match(stripped):
                blocks.append(TextLine(stripped, line_no, page))
                in_table = False
            continue
        cells, loose, outer_pipes = row
        if not in_table:
            table_no += 1
            row_no = 0
            in_table = True
        row_no += 1
        blocks.append(TableRow(cells, table_no, row_no, line_no, page, loose, outer_pipes=outer_pipes))
    _settle_pipes(blocks)
    return Document(blocks, "text", encoding)


def _settle_pipes(blocks):
    """Decide per table what outer pipes mean, and flag grids whose padding is on the left.

    In a markdown table every row opens and closes with a pipe, which delimit nothing. In a
    dump that lost merged cells, rows do not open with a pipe, so one that does starts with an
    empty cell. In a well-formed grid (all rows one width) a row with fewer labels pads the
    label columns; in a ragged dump surplus cells trail at the end.
    """
    tables = {}
    for block in blocks:
        if isinstance(block, TableRow) and not block.loose:
            tables.setdefault(block.table, []).append(block)
    for rows in tables.values():
        piped = [r for r in rows if r.outer_pipes is not None]
        markdown = piped and sum(r.outer_pipes[0] for r in piped) * 2 > len(piped)
        for row in piped:
            opens, closes = row.outer_pipes
            if markdown and opens:
                row.cells = row.cells[1:]
                if closes and len(row.cells) > 1:
                    row.cells = row.cells[:-1]
        widths = {len(r.cells) for r in rows}
        for row in rows:
            row.uniform = len(widths) == 1 and len(row.cells) >= 4


def row_cells(line):
    """Cells of a table line, or None for running text: ``(cells, loose, outer_pipes)``."""
    line = line.replace(_PAGE_BREAK, "").rstrip("\r\n")
    if "\t" in line and "|" not in line and "｜" not in line:
        # tabs delimit, so leading and trailing ones stand for blank cells
        return [Cell(clean(p)) for p in line.split("\t")], False, None
    stripped = line.strip()
    if not stripped or _MD_RULE.match(stripped):
        return None
    if "|" in stripped or "｜" in stripped:
        parts = re.split(r"[|｜]", stripped)
        return [Cell(clean(p)) for p in parts], False, (stripped[0] in "|｜", stripped[-1] in "|｜")
    return _loose_row(stripped)


class _Vertical(dict):
    """Rows rebuilt from one-value-per-line text: line number of the first value -> row."""

    covered = frozenset()


def _single_value(line):
    token = line.strip()
    if not token or " " in token or "\t" in token or "|" in token:
        return False
    return read_value(token).semantic in ("number", "zero", "na_mark")


def _vertical_rows(lines):
    """Runs of lines holding one value each (text extracted from a PDF without layout).

    Each run becomes a loose row labelled by the short text lines just before it (a wrapped
    label spans several). A run of 15 or more is table 四's unlabelled data row.
    """
    rows = _Vertical()
    covered = set()
    i = 0
    while i < len(lines):
        if not _single_value(lines[i]):
            i += 1
            continue
        start = i
        while i < len(lines) and (_single_value(lines[i]) or not lines[i].strip()):
            i += 1
        run = [clean(line) for line in lines[start:i] if line.strip()]
        label = []
        j = start - 1
        while j >= 0 and len(label) < 3:
            text = clean(lines[j])
            if not text:
                j -= 1
                continue
            if _single_value(text) or len(text) > 70 or text.endswith(("。", "；")) or row_cells(lines[j]):
                break  # labels are short text lines, not values, sentences or table rows
            label.insert(0, text)
            j -= 1
        label_text = "".join(label) if len(run) < 15 else ""
        page_end = i < len(lines) and lines[i].startswith(_PAGE_BREAK)
        if len(run) < 2 and (not label_text or page_end):
            continue  # a lone number after running text or before a page break: a page number
        cells = ([Cell(label_text)] if label_text else []) + [Cell(v) for v in run]
        rows[start + 1] = (cells, True, None)
        covered.update(range(start + 2, i + 1))
    rows.covered = frozenset(covered)
    return rows


def _loose_row(text):
    """A PDF-extracted row: a label followed by whitespace-separated values."""
    tokens = text.split()
    if len(tokens) == 1:
        glued = _GLUED_SINGLE.match(text)  # "行政处罚0": a one-value row run together
        return ([Cell(glued.group(1)), Cell(glued.group(2))], True, None) if glued else None
    n_values = 0
    for token in reversed(tokens):
        value = read_value(token)
        if value.semantic in ("number", "zero", "na_mark"):
            n_values += 1
        else:
            break
    if n_values == 0:
        return None
    label_tokens = tokens[: len(tokens) - n_values]
    label = "".join(label_tokens)
    if len(label) > _MAX_LOOSE_LABEL or label.endswith(("。", "；", ";")):
        return None
    if not label and n_values < 3:
        return None
    cells = [Cell(label)] if label else []
    cells.extend(Cell(t) for t in tokens[len(tokens) - n_values:])
    return cells, True, None
