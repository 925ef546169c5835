"""PDF reports to blocks: pdfplumber tables and text in reading order, OCR when there is no text.

Tables that continue on the next page simply continue the row stream: the table reader carries
its state across tables (SPEC D12). Page numbers travel with every row as provenance.
"""

import io
import logging
from contextlib import contextmanager

from .blocks import Cell, Document, TableRow, TextLine
from .plaintext import row_cells
from .textnorm import clean, read_value

MAX_PAGES = 300
# Ruling lines closer than this are one line. pdfplumber's default (3 pt) also fuses the borders
# of tables printed one under another (a browser's 第二十条 sub-tables), merging their cells.
TABLE_SETTINGS = {}
OCR_DPI = 300  # a page that is no single scanned image is rendered at this
SCAN_DPI = (200, 400)  # a scanned page is read at its own resolution, brought within these


class PdfError(ValueError):
    """A PDF that cannot be read (encrypted, damaged, truncated)."""


def _band(row):
    """A table row's own top and bottom: a label merged down over later rows does not stretch it."""
    boxes = [box for box in row.cells if box]
    return (row.bbox[1], min(box[3] for box in boxes)) if boxes else (row.bbox[1], row.bbox[3])


def _spill(page, table, words):
    """Words printed beside a table, in the band of one of its rows, where the table ran past
    its ruling (a wide table printed to a page edge loses its last border): ``({row index:
    [cell text per spilled column]}, bbox covering them)``. Columns are told apart by where the
    words start, across all rows, so a row without a value there still gets its empty cell."""
    x0, top, x1, bottom = table.bbox
    bands = [_band(row) for row in table.rows]
    beside = [w for w in words if (w["x0"] >= x1 - 0.5 or w["x1"] <= x0 + 0.5)
              and top - 0.5 <= (w["top"] + w["bottom"]) / 2 <= bottom + 0.5]
    if not beside:
        return {}, table.bbox
    columns = []  # [left, right] extents of the spilled columns, in reading order
    for word in sorted(beside, key=lambda w: w["x0"]):
        if columns and word["x0"] <= columns[-1][1] + 2:
            columns[-1][1] = max(columns[-1][1], word["x1"])
        else:
            columns.append([word["x0"], word["x1"]])
    out = {}
    for word in beside:
        middle = (word["top"] + word["bottom"]) / 2
        inside = [i for i, (a, b) in enumerate(bands) if a - 0.5 <= middle <= b + 0.5]
        if not inside:
            continue
        index = max(inside, key=lambda i: bands[i][0])  # the deepest row that starts above it
        cells = out.setdefault(index, {"left": [""] * sum(c[1] <= x0 + 0.5 for c in columns),
                                       "right": [""] * sum(c[0] >= x1 - 0.5 for c in columns)})
        left = [c for c in columns if c[1] <= x0 + 0.5]
        right = [c for c in columns if c[0] >= x1 - 0.5]
        side, group = ("left", left) if word["x1"] <= x0 + 0.5 else ("right", right)
        slot = next(n for n, c in enumerate(group) if c[0] <= word["x0"] <= c[1])
        cells[side][slot] = (cells[side][slot] + word["text"]).strip()
    box = (min([x0] + [w["x0"] for w in beside]), top, max([x1] + [w["x1"] for w in beside]), bottom)
    return out, box


def _rows(table, table_no, page_no, spilled=None, partners=(), reference=(), page=None):
    """:class:`TableRow`s of a table (:func:`_grid`), with the words it spilled beside it and
    the tables printed in line with it (``partners``, left to right: one table that the page's
    ruling split where merged blank cells left no lines), joined row by row."""
    rows = _grid(table, spilled, reference, page)
    if partners:
        # The columns lost in the gap are value columns, as wide as the partners' own.
        widths = sorted(c.bbox[2] - c.bbox[0] for p in partners for c in p.columns if c.bbox[2] > c.bbox[0])
        width = widths[len(widths) // 2] if widths else 0
        right_edge = table.bbox[2]
        for partner in partners:
            if reference:
                gap = sum(1 for centre in reference if right_edge - 1 < centre < partner.bbox[0] + 1)
            else:
                gap = round((partner.bbox[0] - right_edge) / width) if width else 0
            theirs = _grid(partner, None, reference)
            for row in rows:
                match = next((r for r in theirs if abs(r[0] - row[0]) < 2 and abs(r[1] - row[1]) < 2), None)
                row[2].extend([Cell("") for _ in range(max(gap, 0))] + (match[2] if match else []))
            right_edge = partner.bbox[2]
    return [TableRow(cells, table_no, row_no, page=page_no)
            for row_no, (_, _, cells) in enumerate(rows, start=1) if any(c.text for c in cells)]


def _nested(page, row_texts, row_boxes, table):
    """The tables inside a row that is one cell across the table holding lines of a table of its
    own (sub-tables printed one under another, their borders fused into one grid), else []."""
    boxes = [(text, box) for text, box in zip(row_texts, row_boxes) if box]
    if page is None or len(boxes) != 1:
        return []
    text, box = boxes[0]
    width = table.bbox[2] - table.bbox[0]
    if (box[2] - box[0]) < 0.5 * width or (text or "").count("\n") < 2 or not any(ch.isdigit() for ch in text):
        return []
    try:
        inner = page.crop(box).find_tables(TABLE_SETTINGS)
    except ValueError:  # a box reaching past the page
        return []
    return sorted(inner, key=lambda t: t.bbox[1])


def _without_contained(page, texts, boxes):
    """Cell texts where a cell whose box holds other cells' boxes (a grid that lost ruling at a
    page break) keeps only the characters outside them."""
    every = [box for row in boxes for box in row if box]
    out = []
    for row_texts, row_boxes in zip(texts, boxes):
        row_out = list(row_texts)
        for n, box in enumerate(row_boxes):
            inner = [b for b in every if b is not box and b != box and _contains(box, b)] if box else []
            if inner:
                chars = [c for c in page.chars if _contains(box, _centre(c)) and not any(_contains(b, _centre(c)) for b in inner)]
                row_out[n] = "".join(c["text"] for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])))
        out.append(row_out)
    return out


def _centre(char):
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return (x, y, x, y)


def _contains(outer, inner):
    return outer[0] - 0.5 <= inner[0] and inner[2] <= outer[2] + 0.5 and outer[1] - 0.5 <= inner[1] and inner[3] <= outer[3] + 0.5


def _grid(table, spilled=None, reference=(), page=None):
    """A pdfplumber table as :class:`TableRow`s, with merged cells told apart by geometry.

    pdfplumber gives None for every grid position a merged cell covers. A None that the cell
    before it in the row reaches over is a horizontal merge (that cell widens); otherwise a
    cell from a row above reaches down over it: a merged value is repeated (as for HTML
    rowspans), a merged label or blank becomes an empty cell, so grid positions hold.
    ``reference``: the column centres of the table this one continues (the page before), whose
    grid a merged blank cell here may cover in full, leaving no ruling of its own.
    """
    written = table.extract()
    boxes = [row.cells for row in table.rows]
    texts = _without_contained(page, written, boxes) if page is not None else written
    bands = [_band(row) for row in table.rows]
    lefts = _lefts(table)
    edges = lefts + [table.bbox[2]]
    above = {}  # grid column -> (text, bottom) of the last cell starting in it
    out = []
    spilled = spilled or {}
    sides = next(iter(spilled.values()), {"left": [], "right": []})
    spliced = None  # the bottom of a row read as the tables nested in it
    for row_no, (row_texts, row_boxes) in enumerate(zip(texts, boxes), start=1):
        if spliced is not None and bands[row_no - 1][0] < spliced - 1:
            continue  # the outer grid's own, coarser reading of the nested table's rows
        nested = _nested(page, written[row_no - 1], row_boxes, table)
        if nested:
            for inner in nested:
                out.extend(_grid(inner, None, (), page))
            spliced = next(box for box in row_boxes if box)[3]
            continue
        extra = spilled.get(row_no - 1, {"left": [""] * len(sides["left"]), "right": [""] * len(sides["right"])})
        cells = [Cell(clean(text)) for text in extra["left"]]
        last_box, last_index = None, -1
        top = next((box[1] for box in row_boxes if box), None)
        placed = []
        for index, (text, box) in enumerate(zip(row_texts, row_boxes)):
            if box is not None:
                if reference and last_box is not None and index == last_index + 1 and box[0] > last_box[2] + 1:
                    # a hole between two cells: blank columns that left no ruling
                    cells.append(Cell(""))
                    placed.append((cells[-1], (last_box[2], None, box[0], None)))
                cells.append(Cell(clean((text or "").replace("\n", ""))))
                placed.append((cells[-1], box))
                above[index] = (cells[-1].text, box[3])
                last_box, last_index = box, index
                continue
            x = lefts[index] if index < len(lefts) else None
            if cells and x is not None and last_box is not None and last_box[2] > x + 1:
                cells[-1].colspan += 1
                continue
            covering = above.get(index)
            reaching = covering is not None and top is not None and covering[1] > top + 1
            if reaching and read_value(covering[0]).semantic in ("number", "zero"):
                cells.append(Cell(covering[0]))
            else:
                cells.append(Cell(""))
                if not reaching and reference and index + 1 < len(edges):
                    # a blank area no cell of this table starts in: as wide as the columns it spans
                    placed.append((cells[-1], (edges[index], None, edges[index + 1], None)))
        for cell, box in placed if reference else ():
            covered = sum(1 for centre in reference if box[0] - 1 < centre < box[2] + 1)
            cell.colspan = max(cell.colspan, covered)
        cells += [Cell(clean(text)) for text in extra["right"]]
        out.append([*bands[row_no - 1], cells])
    return out


def _under(line, above):
    """Whether a text line lies just under a table, within its columns and closer than the
    table's tallest row (the most of a row a page break can leave below the ruling)."""
    if above is None or not 0 <= line["top"] - above[2] < above[4] or len(above[1]) < 3:
        return False
    edges = above[1]
    chars = [c for c in line["chars"] if c["text"].strip()]
    return bool(chars) and not any(c["x0"] < edges[0] - 2 or c["x1"] > edges[-1] + 2 for c in chars)


def _cut_row(lines, above):
    """Cells of the text lines printed just under a table (:func:`_under`), in its columns, when
    they hold a number: a row whose ruling the page break cut off; else None."""
    edges = above[1]
    chars = [c for line in lines for c in line["chars"] if c["text"].strip()]
    texts = [""] * (len(edges) - 1)
    for char in chars:
        middle = (char["x0"] + char["x1"]) / 2
        index = next((i for i in range(len(edges) - 1) if edges[i] <= middle < edges[i + 1]), len(edges) - 2)
        texts[index] += char["text"]
    if not any(read_value(t).semantic in ("number", "zero") for t in texts):
        return None
    return [Cell(clean(t)) for t in texts]


def _finest(grids, parts):
    """The column edges of the finest grid read so far that the table (``parts``: it and the
    tables in line with it) continues on a later page: one with an edge where the table starts
    and where it ends, and more columns in between; else None. ``grids`` (the column edges of
    the tables read) gains this table's."""
    edges = sorted({x for part in parts for x in _lefts(part)} | {parts[-1].bbox[2]})
    start, end = edges[0], edges[-1]

    def near(grid, x):
        return any(abs(e - x) < 3 for e in grid)

    inside = [[e for e in g if start - 3 < e < end + 3] for g in grids if near(g, start) and near(g, end)]
    grids.append(edges)
    finest = max(inside, key=len, default=None)
    return finest if finest is not None and len(finest) > len(edges) else None


def _lefts(table):
    """Where the columns of a table's grid start: the left edges of its cells."""
    return sorted({box[0] for row in table.rows for box in row.cells if box})


def _in_line(tables):
    """``(table, partners)`` for each table of a page: tables beside it to the right whose top and
    bottom are its own (a table the ruling split in two) travel with it."""
    taken, out = set(), []
    for table in sorted(tables, key=lambda t: (t.bbox[1], t.bbox[0])):
        if id(table) in taken:
            continue
        partners = []
        edge = table.bbox[2]
        for other in sorted(tables, key=lambda t: t.bbox[0]):
            if (id(other) not in taken and other is not table and other.bbox[0] >= edge - 1
                    and abs(other.bbox[1] - table.bbox[1]) < 2 and abs(other.bbox[3] - table.bbox[3]) < 2):
                partners.append(other)
                taken.add(id(other))
                edge = other.bbox[2]
        taken.add(id(table))
        out.append((table, partners))
    return out


def _within(word, bbox):
    middle = ((word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2)
    return bbox[0] <= middle[0] <= bbox[2] and bbox[1] <= middle[1] <= bbox[3]


@contextmanager
def _quiet_pdfminer():
    """pdfminer warns once per glyph of a font whose descriptor lacks a FontBBox (common in
    office and browser exports) though the text reads fine: only its errors are let through."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def parse_pdf(data):
    """Parse PDF bytes into a :class:`Document`; an image-only PDF goes through OCR."""
    with _quiet_pdfminer():
        return _parse_pdf(data)


def _parse_pdf(data):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect as error:
        raise PdfError("encrypted PDF (a password is needed)") from error
    except Exception as error:  # pdfminer raises many kinds for damaged files
        raise PdfError(f"unreadable PDF: {type(error).__name__}: {error}"[:300]) from error
    try:
        return _read(pdf)
    except PdfError:
        raise
    except Exception as error:  # noqa: BLE001 - pdfminer fails in many ways on broken files
        raise PdfError(f"unreadable PDF: {type(error).__name__}: {error}"[:300]) from error
    finally:
        try:
            pdf.close()
        except Exception:  # noqa: BLE001, S110 - closing a broken file may fail the same way
            pass


def _read(pdf):
    if len(pdf.pages) > MAX_PAGES:
        raise PdfError(f"{len(pdf.pages)} pages: more than {MAX_PAGES}, not an annual report")
    if not any(page.chars for page in pdf.pages):
        return _ocr(pdf)
    reader = _PageReader()
    for page_no, page in enumerate(pdf.pages, start=1):
        reader.read(page, page_no)
    return Document(reader.blocks, "pdf")


class _PageReader:
    """Pages to blocks in reading order: ruled tables (with what they spilled, the tables in
    line with them, and the grid of the table they continue), rows a page break cut from them,
    and text lines, some of them rows of tables drawn without rules."""

    def __init__(self):
        self.blocks = []
        self.table_no = 0
        self.grids = []  # the column edges of the tables read: a table on a later page may continue one

    def read(self, page, page_no):
        self.page, self.page_no = page, page_no
        tables = page.find_tables(TABLE_SETTINGS)
        items = []
        outside = page
        words = page.extract_words() if tables else []
        for table, partners in _in_line(tables):
            inside = [w for w in words if not any(_within(w, t.bbox) for t in tables)]
            spilled, box = _spill(page, table, inside) if not partners else ({}, table.bbox)
            items.append((table.bbox[1], "table", (table, spilled, partners)))
            for part in (box, *(p.bbox for p in partners)):
                outside = outside.outside_bbox(part)
        for line in outside.extract_text_lines(layout=False, strip=True):
            items.append((line["top"], "text", line))
        self.loose_table = None
        self.above = None  # (table_no, column edges, bottom, rows, tallest row) of the table just above
        self.pending = []  # text lines just under it
        for _, kind, item in sorted(items, key=lambda entry: entry[0]):
            if kind == "table":
                self.flush()
                self.table(*item)
            elif _under(item, self.above):
                self.pending.append(item)  # maybe the top of a row the page break cut from the table
            else:
                self.flush()
                self.above = None
                self.text(item["text"])
        self.flush()

    def table(self, table, spilled, partners):
        self.table_no += 1
        self.loose_table = None
        finest = _finest(self.grids, [table, *partners])
        reference = [(a + b) / 2 for a, b in zip(finest, finest[1:])] if finest else ()
        rows = _rows(table, self.table_no, self.page_no, spilled, partners, reference, self.page)
        self.blocks.extend(rows)
        bottom = max(part.bbox[3] for part in (table, *partners))
        tallest = max((b - a for part in (table, *partners) for a, b in map(_band, part.rows)), default=0)
        self.above = (self.table_no, finest or self.grids[-1], bottom, len(rows), tallest)

    def flush(self):
        """The lines just under a table: one row of it cut by the page break, or text as usual."""
        if not self.pending:
            return
        lines, self.pending = self.pending, []
        cut = _cut_row(lines, self.above)
        if cut is not None:
            self.blocks.append(TableRow(cut, self.above[0], self.above[3] + 1, page=self.page_no))
            return
        for line in lines:
            self.text(line["text"])

    def text(self, text):
        # Tables drawn without rules come out as text lines: read them as PDF text rows.
        row = row_cells(text)
        if row is None:
            self.loose_table = None
            if clean(text):
                self.blocks.append(TextLine(clean(text), page=self.page_no))
            return
        if self.loose_table is None:
            self.table_no += 1
            self.loose_table = [self.table_no, 0]
        self.loose_table[1] += 1
        cells, loose, _ = row
        self.blocks.append(TableRow(cells, self.loose_table[0], self.loose_table[1], page=self.page_no, loose=loose))


def _ocr(pdf):
    """OCR an image-only PDF: each page rendered at its scan's own resolution, tables read cell
    by cell."""
    from .ocr import read_images

    doc = read_images([page.to_image(resolution=_scan_resolution(page)).original for page in pdf.pages])
    doc.source_format = "pdf-ocr"
    return doc


def _scan_resolution(page):
    """Dots per inch at which a page is rendered for OCR: its scanned image's own, read off the
    image's pixels and the size it is drawn at (resampling a 200-dpi scan to 300 only blurs it),
    within ``SCAN_DPI``; ``OCR_DPI`` for a page that is not one image covering most of it."""
    largest = max(page.images, key=lambda i: (i["x1"] - i["x0"]) * (i["bottom"] - i["top"]), default=None)
    if largest is None or not largest.get("srcsize"):
        return OCR_DPI
    drawn = largest["x1"] - largest["x0"]
    if drawn < page.width / 2 or not largest["srcsize"][0]:
        return OCR_DPI
    dpi = largest["srcsize"][0] * 72 / drawn
    return round(min(max(dpi, SCAN_DPI[0]), SCAN_DPI[1]))
