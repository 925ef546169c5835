"""Scanned pages: find the ruled table cells in the image, OCR each cell, rebuild the rows.

Whole-page OCR loses empty cells and runs numbers together; reading cell by cell keeps the
grid. Cells come from the table's ruling lines: long dark runs are lines, and the regions they
enclose are cells. Text outside the tables is read as lines, for the title and headings.
"""

import io
import logging
import os
import re
import subprocess
import tempfile

from .blocks import Cell, Document, TableRow, TextLine
from .plaintext import row_cells
from .textnorm import clean

OCR_TIMEOUT = 300
LINE_RUN = 60  # pixels of dark run that make a ruling line at 300 dpi
# Ink that can be part of a rule: thin rules of a 200-dpi scan rendered at 300 dpi turn grey.
LINE_INK = 200
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff（）、，。：；“”\d])[ \t]+(?=[\u4e00-\u9fff（）、，。：；“”])|(?<=[\u4e00-\u9fff（）、，。：；“”])[ \t]+(?=\d)")


class OcrError(ValueError):
    """A scan that could not be read."""


_RAPID = []
RAPID_SIDE = 1600  # pixels: larger images are reduced first (its detector works at about 736)


def _rapidocr():
    """RapidOCR (PP-OCR models shipped inside its package, run by onnxruntime), loaded once; None
    when it is not installed."""
    if not _RAPID:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError:
            _RAPID.append(None)
        else:
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            # one thread each: the bounded reader (extractors.bounded) caps the address space
            _RAPID.append(RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1))
    return _RAPID[0]


def _rapid(images):
    """``[(text, confidence)]`` of each image by RapidOCR, its lines joined top to bottom."""
    import numpy as np

    engine = _rapidocr()
    if engine is None:
        raise OcrError("RapidOCR is not installed (pip install rapidocr-onnxruntime)")
    out = []
    for image in images:
        scale = min(1.0, RAPID_SIDE / max(image.size))
        if scale < 1.0:
            image = image.resize((int(image.width * scale), int(image.height * scale)))
        found, _ = engine(np.asarray(image.convert("RGB")))
        found = sorted(found or [], key=lambda item: (item[0][0][1], item[0][0][0]))
        out.append(("\n".join(item[1] for item in found), min((float(item[2]) for item in found), default=None)))
    return out


ENGINES = {"tesseract": lambda images: [(text, None) for text in _tesseract(images, psm=6)], "rapidocr": _rapid}


def _confirm_title(lines, band):
    """The lines of the band holding the title, with the title line taken from a second engine
    when the two disagree on it and the second reads it surely (Tesseract misreads some glyphs
    of bold titles: 办公厅 as 办公打)."""
    from .spec import REPORT_TITLE

    at = next((n for n, line in enumerate(lines) if REPORT_TITLE.search(line.text)), None)
    if at is None or _rapidocr() is None:
        return lines
    try:
        text, confidence = _rapid([band])[0]
    except Exception:  # noqa: BLE001 - a second opinion that fails leaves the first one standing
        return lines
    other = next((clean(line) for line in text.splitlines() if REPORT_TITLE.search(line)), None)
    if other and confidence is not None and confidence >= 0.9 and other != lines[at].text:
        lines[at] = TextLine(other, page=lines[at].page)
    return lines


def _workers(count):
    """Tesseract processes to run at once: the cores this process may use, for enough images."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4, count // 20))


def _tesseract(images, psm):
    """Text of each PIL image: one Tesseract process per share of the images (many small images
    per process), the shares run side by side on the cores there are."""
    if not images:
        return []
    with tempfile.TemporaryDirectory(prefix="nianbao-ocr-") as work:
        paths = []
        for n, image in enumerate(images):
            path = os.path.join(work, f"{n:05d}.png")
            image.save(path)
            paths.append(path)
        shares = _workers(len(paths))
        size = -(-len(paths) // shares)
        processes = []
        for share in range(shares):
            listing = os.path.join(work, f"images{share}.txt")
            with open(listing, "w") as f:
                f.write("\n".join(paths[share * size:(share + 1) * size]) + "\n")
            try:
                processes.append(subprocess.Popen(
                    ["tesseract", listing, "stdout", "-l", "chi_sim+eng", "--psm", str(psm), "-c", "preserve_interword_spaces=1"],
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, OMP_THREAD_LIMIT="1")))
            except FileNotFoundError as error:
                raise OcrError("scanned document and no tesseract installed for OCR") from error
        texts = []
        try:
            for process in processes:
                out, err = process.communicate(timeout=OCR_TIMEOUT)
                if process.returncode != 0:
                    raise OcrError(f"OCR failed: {err.decode('utf-8', 'replace')[:200]}")
                texts.extend(out.decode("utf-8", "replace").split("\f")[:size])
        except subprocess.TimeoutExpired as error:
            raise OcrError(f"OCR took longer than {OCR_TIMEOUT} s") from error
        finally:
            for process in processes:
                if process.poll() is None:
                    process.kill()
                    process.wait()
    return [_CJK_GAP.sub("", page).strip() for page in texts[: len(images)]]


def _runs(mask, axis, length):
    """Pixels lying on a straight dark run of at least ``length`` along ``axis``: windows of
    ``length`` that are all dark, found and spread back over their pixels with running sums."""
    import numpy as np

    m = mask if axis == 1 else mask.T
    sums = np.cumsum(np.pad(m, ((0, 0), (1, 0))), axis=1, dtype=np.int32)
    full = (sums[:, length:] - sums[:, :-length]) == length  # full[:, j]: pixels j .. j+length-1 all dark
    starts = np.cumsum(np.pad(full, ((0, 0), (1, 0))), axis=1, dtype=np.int32)
    width = m.shape[1]
    ends = np.minimum(np.arange(width) + 1, full.shape[1])
    begins = np.clip(np.arange(width) - length + 1, 0, full.shape[1])
    out = (starts[:, ends] - starts[:, begins]) > 0  # a full window starts within length before the pixel
    return out if axis == 1 else out.T


def table_cells(image):
    """Bounding boxes ``(x0, y0, x1, y1)`` of the ruled cells in a page image."""
    import numpy as np
    from scipy import ndimage

    gray = np.asarray(image.convert("L"))
    dark = gray < LINE_INK
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


def _band_lines(text, page_no):
    """The text lines of a band of the page between tables."""
    return [TextLine(clean(line), page=page_no) for line in text.splitlines() if line.strip()]


MAX_SKEW = 5.0  # degrees a scanned page is searched for tilt (scanners and phones: up to 3)


def skew_angle(image):
    """The turn (degrees, counter-clockwise) that takes the tilt out of a page: the angle at which its
    rows of ink line up best: the variance of the row sums of the ink peaks when text lines and
    table rules run straight across. Measured on a reduced copy, refined in two passes."""
    import numpy as np
    from PIL import Image

    gray = image.convert("L")
    scale = 1000 / max(gray.size)
    small = gray.resize((max(int(gray.width * scale), 1), max(int(gray.height * scale), 1)), Image.BILINEAR)
    ink = Image.fromarray(((np.asarray(small) < 160) * 255).astype("uint8"))

    def sharpness(angle):
        rows = np.asarray(ink.rotate(angle, resample=Image.NEAREST, fillcolor=0)).sum(axis=1, dtype=np.float64)
        return float(np.var(rows))

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5), key=sharpness)
    best = max(np.arange(best - 0.5, best + 0.51, 0.1), key=sharpness)
    return round(float(best), 2)


OSD_HEIGHT = 1200  # pixels a page is reduced to for orientation detection (text stays legible)


def orientations(images):
    """Degrees to turn each page so its text stands upright (0, 90, 180, 270), from Tesseract's
    orientation detection in one run over reduced copies; 0 where it cannot tell."""
    if not images:
        return []
    with tempfile.TemporaryDirectory(prefix="nianbao-osd-") as work:
        paths = []
        for n, image in enumerate(images):
            scale = min(1.0, OSD_HEIGHT / max(image.size))
            small = image.convert("L").resize((max(int(image.width * scale), 1), max(int(image.height * scale), 1)))
            paths.append(os.path.join(work, f"{n:05d}.png"))
            small.save(paths[-1])
        listing = os.path.join(work, "images.txt")
        with open(listing, "w") as f:
            f.write("\n".join(paths) + "\n")
        try:
            result = subprocess.run(["tesseract", listing, "stdout", "--psm", "0"], capture_output=True,
                                    timeout=OCR_TIMEOUT, env=dict(os.environ, OMP_THREAD_LIMIT="1"))
        except (FileNotFoundError, subprocess.TimeoutExpired):
            return [0] * len(images)
    text = result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")
    found = [0] * len(images)
    for page in re.split(r"(?=Page number:)", text):
        number = re.search(r"Page number:\s*(\d+)", page)
        rotate = re.search(r"Rotate:\s*(\d+)", page)
        confidence = re.search(r"Orientation confidence:\s*([\d.]+)", page)
        if number and rotate and confidence and float(confidence.group(1)) >= 2.0 and int(number.group(1)) < len(found):
            found[int(number.group(1))] = int(rotate.group(1)) % 360
    return found


def without_seals(image):
    """The page with a red seal's ink taken out: an official seal stamped over a table hides its
    rules and digits from a grey reading. Where ink is red, the red channel is what remains of
    the page: the seal's ink is light in it, the black print under the seal stays dark."""
    import numpy as np
    from PIL import Image

    rgb = np.asarray(image.convert("RGB")).astype(np.int16)
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    seal = (red > 120) & (red - green > 50) & (red - blue > 50)
    if not seal.any():
        return image.convert("RGB")
    cleaned = rgb.copy()
    cleaned[seal] = red[seal][:, None]
    return Image.fromarray(cleaned.astype(np.uint8))


def straighten(image, turn=0):
    """A scanned page turned upright (``turn``: :func:`orientations`) and its tilt taken out
    (white where the turn uncovers)."""
    from PIL import Image

    image = image.convert("RGB")
    if turn:
        image = image.rotate(-turn, expand=True)
    angle = skew_angle(image)
    if abs(angle) >= 0.1:
        image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor="white")
    return image


def read_page(image, page_no, table_no=0, turn=0, engine="tesseract"):
    """Blocks of one scanned page in reading order: text bands and tables, cell by cell
    (``engine``: which of :data:`ENGINES` reads the cells)."""
    image = straighten(without_seals(image), turn)
    boxes = table_cells(image)
    if not boxes:
        blocks = []
        for line in _tesseract([image], psm=6)[0].splitlines():
            row = row_cells(line) if line.strip() else None
            if row is not None:
                blocks.append(TableRow(row[0], table_no + 1, len(blocks) + 1, page=page_no, loose=True))
            elif line.strip():
                blocks.append(TextLine(clean(line), page=page_no))
        if page_no == 1:
            # the title stands in the top of the first page: confirmed on that part of it
            head = [n for n, b in enumerate(blocks[:12]) if isinstance(b, TextLine)]
            confirmed = _confirm_title([blocks[n] for n in head], image.crop((0, 0, image.width, image.height // 4)))
            for n, line in zip(head, confirmed):
                blocks[n] = line
        return blocks
    crops = [_ink(image.crop((x0 + 4, y0 + 4, x1 - 4, y1 - 4))) for x0, y0, x1, y1 in boxes]
    inked = [n for n, crop in enumerate(crops) if crop is not None]  # empty cells need no OCR
    tables = _tables_of(_rows_of(boxes))
    bands, top = [], 0  # the text between the tables, read in the same Tesseract run as the cells
    for rows in tables:
        table_top = min(b[1] for row in rows for b in row)
        bands.append(image.crop((0, top, image.width, max(table_top - 8, top))))
        top = max(b[3] for row in rows for b in row) + 8
    bands.append(image.crop((0, top, image.width, image.height)))
    readable = [n for n, band in enumerate(bands) if band.height > 20]
    if engine == "tesseract":
        read = _tesseract([crops[n] for n in inked] + [bands[n] for n in readable], psm=6)
        cell_read, band_read = read[:len(inked)], read[len(inked):]
    else:
        cell_read = [text for text, _ in ENGINES[engine]([crops[n] for n in inked])]
        band_read = _tesseract([bands[n] for n in readable], psm=6)
    texts = [""] * len(boxes)
    for n, text in zip(inked, cell_read):
        texts[n] = text
    band_texts = [""] * len(bands)
    for n, text in zip(readable, band_read):
        band_texts[n] = text
    text_of = dict(zip(boxes, texts))
    blocks = []
    for n, rows in enumerate(tables):
        lines = _band_lines(band_texts[n], page_no)
        blocks.extend(_confirm_title(lines, bands[n]) if page_no == 1 and n == 0 else lines)
        table_no += 1
        blocks.extend(_table_rows(rows, text_of, table_no, page_no))
    blocks.extend(_band_lines(band_texts[-1], page_no))
    return blocks


def read_images(images, engine=None):
    """A :class:`Document` from page images (a scanned PDF's pages, or one image file); the
    cells are read by ``engine`` (default ``NIANBAO_OCR_ENGINE``, else Tesseract)."""
    engine = engine or os.environ.get("NIANBAO_OCR_ENGINE") or "tesseract"
    if engine not in ENGINES:
        raise OcrError(f"unknown OCR engine {engine!r}; known: {', '.join(ENGINES)}")
    blocks = []
    turns = orientations(images)
    for page_no, (image, turn) in enumerate(zip(images, turns), start=1):
        blocks.extend(read_page(image, page_no, table_no=len({b.table for b in blocks if isinstance(b, TableRow)}),
                                turn=turn, engine=engine))
    return Document(blocks, "scan-ocr")


def read_image_bytes(data):
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()
    return read_images([image])
