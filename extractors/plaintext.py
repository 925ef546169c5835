"""Plain text to blocks: pipe tables, markdown tables, tab- and space-separated PDF rows."""

import re

from .blocks import Cell, Document, TableRow, TextLine
from .decode import decode
from .textnorm import clean, read_value

_MD_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PAGE_BREAK = "\f"
_MAX_LOOSE_LABEL = 60


def parse_text(data, header_charset=None):
    """Parse text bytes (or str) into a :class:`Document`."""
    if isinstance(data, bytes):
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
    for line_no, line in enumerate(text.splitlines(), start=1):
        page += line.count(_PAGE_BREAK)
        row = _row_cells(line)
        if row is None:
            stripped = clean(line)
            if stripped and not _MD_RULE.match(stripped):
                blocks.append(TextLine(stripped, line_no, page))
                in_table = False
            continue
        cells, loose = row
        if not in_table:
            table_no += 1
            row_no = 0
            in_table = True
        row_no += 1
        blocks.append(TableRow(cells, table_no, row_no, line_no, page, loose))
    return Document(blocks, "text", encoding)


def _row_cells(line):
    """Cells of a table line, or None for running text. Returns ``(cells, loose)``."""
    stripped = line.strip().replace(_PAGE_BREAK, "")
    if not stripped or _MD_RULE.match(stripped):
        return None
    if "|" in stripped or "｜" in stripped:
        parts = re.split(r"[|｜]", stripped)
        if stripped[0] in "|｜":
            parts = parts[1:]  # the empty cell before a leading pipe is not a cell
        return [Cell(clean(p)) for p in parts], False
    if "\t" in stripped:
        return [Cell(clean(p)) for p in stripped.split("\t")], False
    return _loose_row(stripped)


def _loose_row(text):
    """A PDF-extracted row: a label followed by whitespace-separated values."""
    tokens = text.split()
    if len(tokens) < 2:
        return None
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
    return cells, True
