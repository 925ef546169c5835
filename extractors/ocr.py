"""Scanned pages: find the ruled table cells in the image, OCR each cell, rebuild the rows.

Whole-page OCR loses empty cells and runs numbers together; reading cell by cell keeps the
grid. Cells come from the table's ruling lines: long dark runs are lines, and the regions they
enclose are cells. Text outside the tables is read as lines, for the title and headings.
"""

import io
import os
import re
import subprocess
import tempfile

from .blocks import Cell, Document, TableRow, TextLine
from .plaintext import row_cells
from .textnorm import clean

OCR_TIMEOUT = 300
LINE_RUN = 60  # pixels of dark run that make a ruling line at 300 dpi
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff（）、，。：；“”\d])[ \t]+(?=[\u4e00-\u9fff（）、，。：；“”])|(?<=[\u4e00-\u9fff（）、，。：；“”])[ \t]+(?=\d)")


class OcrError(ValueError):
    """A scan that could not be read."""


def _tesseract(images, psm):
    """Text of each PIL image, in one Tesseract run (one process for many small images)."""
    if not images:
        return []
    with tempfile.TemporaryDirectory(prefix="nianbao-ocr-") as work:
        paths = []
        for n, image in enumerate(images):
            path = os.path.join(work, f"{n:05d}.png")
            image.save(path)
            paths.append(path)
        listing = os.path.join(work, "images.txt")
        with open(listing, "w") as f:
            f.write("\n".join(paths) + "\n")
        try:
            result = subprocess.run(
                ["tesseract", listing, "stdout", "-l", "chi_sim+eng", "--psm", str(psm), "-c", "preserve_interword_spaces=1"],
                capture_output=True, timeout=OCR_TIMEOUT, check=True, env=dict(os.environ, OMP_THREAD_LIMIT="1"),
            )
        except FileNotFoundError as error:
            raise OcrError("scanned document and no tesseract installed for OCR") from error
        except subprocess.TimeoutExpired as error:
            raise OcrError(f"OCR took longer than {OCR_TIMEOUT} s") from error
        except subprocess.CalledProcessError as error:
            raise OcrError(f"OCR failed: {error.stderr.decode('utf-8', 'replace')[:200]}") from error
    pages = result.stdout.decode("utf-8", "replace").split("\f")
    return [_CJK_GAP.sub("", page).strip() for page in pages[: len(images)]]


def _runs(mask, axis, length):
    """Pixels lying on a straight dark run of at least ``length`` along ``axis``."""
    import numpy as np

    m = mask if axis == 1 else mask.T
    padded = np.pad(m.astype(np.int32), ((0, 0), (1, 0)))
    sums = np.cumsum(padded, axis=1)
    window = sums[:, length:] - sums[:, :-length]
    full = window == length
    out = np.zeros_like(m, dtype=bool)
    for offset in range(length):  # spread each full window back over its pixels
        out[:, offset:offset + full.shape[1]] |= full
    return out if axis == 1 else out.T


def table_cells(image):
    """Bounding boxes ``(x0, y0, x1, y1)`` of the ruled cells in a page image."""
    import numpy as np
    from scipy import ndimage

    gray = np.asarray(image.convert("L"))
    dark = gray < 160
    vertical = _runs(dark, 0, LINE_RUN)
    lines = _runs(dark, 1, LINE_RUN) | vertical
    ys, xs = np.nonzero(vertical)
    if len(ys):
        # A table cut by a page break has no border where it was cut: close it where its
        # vertical rules end, or its last (first) row would leak into the page margin.
        x0, x1 = xs.min(), xs.max() + 1
        lines[max(ys.min() - 1, 0):ys.min() + 2, x0:x1] = True
        lines[ys.max() - 1:ys.max() + 2, x0:x1] = True
    lines = ndimage.binary_dilation(lines, iterations=2)
    labels, count = ndimage.label(~lines)
    boxes = []
    height, width = gray.shape
    for index, region in enumerate(ndimage.find_objects(labels), start=1):
        if region is None:
            continue
        y, x = region
        if y.start == 0 or x.start == 0 or y.stop >= height or x.stop >= width:
            continue  # the page around the tables
        h, w = y.stop - y.start, x.stop - x.start
        if h < 20 or w < 20:
            continue  # a gap between double lines
        boxes.append((x.start, y.start, x.stop, y.stop))
    return boxes


def _ink(cell):
    """The cell cropped to its ink with a margin (Tesseract misreads text lost in white space),
    or None for an empty cell."""
    from PIL import ImageOps

    gray = ImageOps.grayscale(cell)
    box = ImageOps.invert(gray).point(lambda p: 255 if p > 60 else 0).getbbox()
    if box is None or (box[2] - box[0]) * (box[3] - box[1]) < 30:
        return None
    return gray.crop((max(box[0] - 12, 0), max(box[1] - 12, 0), min(box[2] + 12, gray.width), min(box[3] + 12, gray.height)))


def _rows_of(boxes):
    """Cells grouped into rows by their top edge, left to right."""
    rows = []
    for box in sorted(boxes, key=lambda b: (b[1], b[0])):
        if rows and abs(rows[-1][0][1] - box[1]) < 12:
            rows[-1].append(box)
        else:
            rows.append([box])
    return [sorted(row) for row in rows]


def _tables_of(rows, gap=30):
    """Rows split into tables where a vertical gap separates them."""
    tables = []
    for row in rows:
        top = min(b[1] for b in row)
        if tables and top - max(b[3] for b in tables[-1][-1]) < gap:
            tables[-1].append(row)
        else:
            tables.append([row])
    return tables


def _table_rows(rows, text_of, table_no, page_no):
    """TableRows of one table; colspans against the table's own column edges."""
    lefts = sorted({b[0] for row in rows for b in row})
    out = []
    for row_no, row in enumerate(rows, start=1):
        cells = []
        for box in row:
            span = sum(1 for left in lefts if box[0] - 10 <= left < box[2] - 10) or 1
            text = clean(text_of[box].replace("\n", ""))
            cells.append(Cell(text.replace(" ", "") if re.fullmatch(r"[\d ,.]+", text) else text, span))
        out.append(TableRow(cells, table_no, row_no, page=page_no))
    return out


def _text_lines(image, page_no):
    lines = []
    for line in _tesseract([image], psm=6)[0].splitlines() if image.height > 20 else []:
        if line.strip():
            lines.append(TextLine(clean(line), page=page_no))
    return lines


def read_page(image, page_no, table_no=0):
    """Blocks of one scanned page in reading order: text bands and tables, cell by cell."""
    boxes = table_cells(image)
    if not boxes:
        blocks = []
        for line in _tesseract([image], psm=6)[0].splitlines():
            row = row_cells(line) if line.strip() else None
            if row is not None:
                blocks.append(TableRow(row[0], table_no + 1, len(blocks) + 1, page=page_no, loose=True))
            elif line.strip():
                blocks.append(TextLine(clean(line), page=page_no))
        return blocks
    crops = [_ink(image.crop((x0 + 4, y0 + 4, x1 - 4, y1 - 4))) for x0, y0, x1, y1 in boxes]
    inked = [n for n, crop in enumerate(crops) if crop is not None]  # empty cells need no OCR
    texts = [""] * len(boxes)
    for n, text in zip(inked, _tesseract([crops[n] for n in inked], psm=6)):
        texts[n] = text
    text_of = dict(zip(boxes, texts))
    blocks = []
    top = 0
    for rows in _tables_of(_rows_of(boxes)):
        table_top = min(b[1] for row in rows for b in row)
        table_bottom = max(b[3] for row in rows for b in row)
        blocks.extend(_text_lines(image.crop((0, top, image.width, max(table_top - 8, top))), page_no))
        table_no += 1
        blocks.extend(_table_rows(rows, text_of, table_no, page_no))
        top = table_bottom + 8
    blocks.extend(_text_lines(image.crop((0, top, image.width, image.height)), page_no))
    return blocks


def read_images(images):
    """A :class:`Document` from page images (a scanned PDF's pages, or one image file)."""
    blocks = []
    for page_no, image in enumerate(images, start=1):
        blocks.extend(read_page(image, page_no, table_no=len({b.table for b in blocks if isinstance(b, TableRow)})))
    return Document(blocks, "scan-ocr")


def read_image_bytes(data):
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()
    return read_images([image])
