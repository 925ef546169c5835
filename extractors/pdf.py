"""PDF reports to blocks: pdfplumber tables and text in reading order, OCR when there is no text.

Tables that continue on the next page simply continue the row stream: the table reader carries
its state across tables (SPEC D12). Page numbers travel with every row as provenance.
"""

import io

from .blocks import Cell, Document, TableRow, TextLine
from .plaintext import row_cells
from .textnorm import clean, read_value

MAX_PAGES = 300
OCR_DPI = 300


class PdfError(ValueError):
    """A PDF that cannot be read (encrypted, damaged, truncated)."""


def _rows(table, table_no, page_no):
    """A pdfplumber table as :class:`TableRow`s, with merged cells told apart by geometry.

    pdfplumber gives None for every grid position a merged cell covers. A None that the cell
    before it in the row reaches over is a horizontal merge (that cell widens); otherwise a
    cell from a row above reaches down over it: a merged value is repeated (as for HTML
    rowspans), a merged label or blank becomes an empty cell, so grid positions hold.
    """
    texts = table.extract()
    boxes = [row.cells for row in table.rows]
    lefts = sorted({box[0] for row in boxes for box in row if box})
    above = {}  # grid column -> (text, bottom) of the last cell starting in it
    out = []
    for row_no, (row_texts, row_boxes) in enumerate(zip(texts, boxes), start=1):
        cells = []
        last_box = None
        top = next((box[1] for box in row_boxes if box), None)
        for index, (text, box) in enumerate(zip(row_texts, row_boxes)):
            if box is not None:
                cells.append(Cell(clean((text or "").replace("\n", ""))))
                above[index] = (cells[-1].text, box[3])
                last_box = box
                continue
            x = lefts[index] if index < len(lefts) else None
            if cells and x is not None and last_box is not None and last_box[2] > x + 1:
                cells[-1].colspan += 1
                continue
            covering = above.get(index)
            if covering and top is not None and covering[1] > top + 1 and read_value(covering[0]).semantic in ("number", "zero"):
                cells.append(Cell(covering[0]))
            else:
                cells.append(Cell(""))
        if any(c.text for c in cells):
            out.append(TableRow(cells, table_no, row_no, page=page_no))
    return out


def parse_pdf(data):
    """Parse PDF bytes into a :class:`Document`; an image-only PDF goes through OCR."""
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
    blocks = []
    table_no = 0
    if len(pdf.pages) > MAX_PAGES:
        raise PdfError(f"{len(pdf.pages)} pages: more than {MAX_PAGES}, not an annual report")
    if not any(page.chars for page in pdf.pages):
        return _ocr(pdf)
    for page_no, page in enumerate(pdf.pages, start=1):
        tables = page.find_tables()
        items = []
        outside = page
        for table in tables:
            items.append((table.bbox[1], "table", table))
            outside = outside.outside_bbox(table.bbox)
        for line in outside.extract_text_lines(layout=False, strip=True):
            items.append((line["top"], "text", line["text"]))
        loose_table = None
        for _, kind, item in sorted(items, key=lambda entry: entry[0]):
            if kind == "table":
                table_no += 1
                loose_table = None
                blocks.extend(_rows(item, table_no, page_no))
                continue
            # Tables drawn without rules come out as text lines: read them as PDF text rows.
            row = row_cells(item)
            if row is None:
                loose_table = None
                if clean(item):
                    blocks.append(TextLine(clean(item), page=page_no))
                continue
            if loose_table is None:
                table_no += 1
                loose_table = [table_no, 0]
            loose_table[1] += 1
            cells, loose, _ = row
            blocks.append(TableRow(cells, loose_table[0], loose_table[1], page=page_no, loose=loose))
    return Document(blocks, "pdf")


def _ocr(pdf):
    """OCR an image-only PDF: each page rendered at OCR_DPI, tables read cell by cell."""
    from .ocr import read_images

    doc = read_images([page.to_image(resolution=OCR_DPI).original for page in pdf.pages])
    doc.source_format = "pdf-ocr"
    return doc
