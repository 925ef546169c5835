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
from dataclasses import dataclass

from .blocks import AGREED, DIGITS_AGREED, MAJORITY, UNSURE, Cell, Document, TableRow, TextLine
from .plaintext import row_cells
from .textnorm import clean, han_only, has_han

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
        try:
            found, _ = engine(np.asarray(image.convert("RGB")))
        except Exception as error:  # noqa: BLE001 - onnxruntime out of memory or failing: no second opinion
            raise OcrError(f"RapidOCR failed: {str(error).strip().splitlines()[-1][:200]}") from error
        found = found or []
        out.append(("\n".join(_rapid_lines(found)), min((float(item[2]) for item in found), default=None)))
    return out


def _rapid_lines(found):
    """RapidOCR's text boxes as lines: boxes whose middles lie within a line's height are one
    line, read left to right (a box's top corner alone orders （七） after 总计)."""
    lines = []
    for box, text, _ in sorted(found, key=lambda item: sum(point[1] for point in item[0]) / 4):
        top, bottom = min(p[1] for p in box), max(p[1] for p in box)
        middle, left = (top + bottom) / 2, min(p[0] for p in box)
        if lines and lines[-1][0] <= middle <= lines[-1][1]:
            lines[-1][2].append((left, text))
        else:
            lines.append([top, bottom, [(left, text)]])
    return ["".join(text for _, text in sorted(parts)) for _, _, parts in lines]


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


def _shares(images, count):
    """Indexes of the images split into ``count`` shares of about equal area, the largest
    placed first (text bands cost a hundred cells each: splitting by count leaves a core idle)."""
    shares, loads = [[] for _ in range(count)], [0] * count
    for n in sorted(range(len(images)), key=lambda n: -images[n].width * images[n].height):
        least = loads.index(min(loads))
        shares[least].append(n)
        loads[least] += images[n].width * images[n].height
    return [sorted(share) for share in shares if share]


def _tesseract(images, psm, lang="chi_sim+eng", config=()):
    """Text of each PIL image: one Tesseract process per share of the images (many small images
    per process), the shares run side by side on the cores there are (``config``: more
    ``-c name=value`` settings)."""
    if not images:
        return []
    with tempfile.TemporaryDirectory(prefix="nianbao-ocr-") as work:
        paths = []
        for n, image in enumerate(images):
            path = os.path.join(work, f"{n:05d}.png")
            image.save(path)
            paths.append(path)
        shares = _shares(images, _workers(len(paths)))
        processes = []
        for number, share in enumerate(shares):
            listing = os.path.join(work, f"images{number}.txt")
            with open(listing, "w") as f:
                f.write("\n".join(paths[n] for n in share) + "\n")
            try:
                processes.append(subprocess.Popen(
                    ["tesseract", listing, "stdout", "-l", lang, "--psm", str(psm), "-c", "preserve_interword_spaces=1"]
                    + [arg for setting in config for arg in ("-c", setting)],
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, OMP_THREAD_LIMIT="1")))
            except FileNotFoundError as error:
                raise OcrError("scanned document and no tesseract installed for OCR") from error
        texts = [""] * len(images)
        try:
            for share, process in zip(shares, processes):
                out, err = process.communicate(timeout=OCR_TIMEOUT)
                if process.returncode != 0:
                    raise OcrError(f"OCR failed: {err.decode('utf-8', 'replace')[:200]}")
                for n, text in zip(share, out.decode("utf-8", "replace").split("\f")):
                    texts[n] = text
        except subprocess.TimeoutExpired as error:
            raise OcrError(f"OCR took longer than {OCR_TIMEOUT} s") from error
        finally:
            for process in processes:
                if process.poll() is None:
                    process.kill()
                    process.wait()
    return [_CJK_GAP.sub("", page).strip() for page in texts]


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


def table_cells(image, stained=None):
    """Bounding boxes ``(x0, y0, x1, y1)`` of the ruled cells in a page image. ``stained`` marks
    where a seal's ink was taken off: a rule is followed through it (:func:`_rules`)."""
    import numpy as np
    from scipy import ndimage

    gray = np.asarray(image.convert("L"))
    dark = gray < LINE_INK
    vertical, horizontal = _rules(dark, 0, stained), _rules(dark, 1, stained)
    lines = horizontal | vertical
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


def _rules(dark, axis, stained=None):
    """Pixels of the straight rules running along ``axis``. A one-pixel rule a few tenths of a
    degree off straight steps from one pixel row to the next: thickened by a pixel across its
    way, it stays one run. Where a seal's ink was taken off (``stained``), the rules it crossed
    are looked for with the stain counted as ink: a run is kept where most of it is real ink (the
    seal's own round stroke is no rule), and the gaps its stroke cut are bridged."""
    import numpy as np
    from scipy import ndimage

    across = np.ones((1, 3) if axis == 0 else (3, 1), dtype=bool)
    if stained is None or not stained.any():
        return _runs(ndimage.binary_dilation(dark, structure=across), axis, LINE_RUN) & dark
    ink = dark | stained
    runs = _runs(ndimage.binary_dilation(ink, structure=across), axis, LINE_RUN) & ink
    along = np.zeros((3, 3), dtype=bool)
    if axis == 0:
        along[:, 1] = True
    else:
        along[1, :] = True
    labels, count = ndimage.label(runs, structure=along)
    index = np.arange(1, count + 1)
    size = ndimage.sum(runs, labels, index)
    only_stain = ndimage.sum(runs & ~dark, labels, index)
    keep = np.zeros(count + 1, dtype=bool)
    keep[1:] = only_stain < size / 2
    rules = keep[labels]
    width = int(ndimage.distance_transform_edt(stained).max()) * 2 + 1
    reach = 4 * width  # a stroke crossing a rule at 15 degrees cuts a gap four times its width
    closed = ndimage.binary_closing(rules, structure=np.ones((reach, 1) if axis == 0 else (1, reach), dtype=bool))
    return rules | (closed & ndimage.binary_dilation(stained, iterations=2))


def _ink(cell):
    """The cell cropped to its ink with a margin (Tesseract misreads text lost in white space),
    or None for an empty cell."""
    from PIL import ImageOps

    gray = ImageOps.grayscale(cell)
    box = ImageOps.invert(gray).point(lambda p: 255 if p > 60 else 0).getbbox()
    if box is None or (box[2] - box[0]) * (box[3] - box[1]) < 30:
        return None
    return gray.crop((max(box[0] - 12, 0), max(box[1] - 12, 0), min(box[2] + 12, gray.width), min(box[3] + 12, gray.height)))


GLYPH_HEIGHT = 32  # pixels a page's digits are brought up to: Tesseract misreads smaller glyphs
MAX_ENLARGE = 2.0


def _enlarged(crops):
    """A page's cell crops enlarged alike when its glyphs are small: the typical cell's ink (most
    cells of a form hold one line, a number) measures the page's glyph height; a 200-dpi scan's
    digits are about 23 pixels high."""
    from PIL import Image

    heights = sorted(crop.height - 24 for crop in crops if crop is not None)
    if not heights:
        return crops
    glyph = heights[len(heights) // 2]
    if glyph >= GLYPH_HEIGHT or glyph <= 0:
        return crops
    scale = min(GLYPH_HEIGHT / glyph, MAX_ENLARGE)
    return [crop.resize((round(crop.width * scale), round(crop.height * scale)), Image.LANCZOS)
            if crop is not None else None for crop in crops]


def _tolerance(boxes):
    """Pixels within which two cell edges are the same rule: a quarter of the narrowest cell.
    Edges of one column drift by a few pixels from row to row (a rule several pixels thick, a
    scan's grey); distinct columns lie at least a cell's width apart."""
    return max(6, min(b[2] - b[0] for b in boxes) // 4) if boxes else 6


def _rows_of(boxes, tolerance=12):
    """Cells grouped into rows by their top edge, left to right."""
    rows = []
    for box in sorted(boxes, key=lambda b: (b[1], b[0])):
        if rows and abs(rows[-1][0][1] - box[1]) < tolerance:
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


def _column_edges(lefts, tolerance):
    """The table's column edges: left edges of its cells, those within ``tolerance`` of each
    other taken as one rule."""
    edges = []
    for left in sorted(lefts):
        if edges and left - edges[-1][-1] <= tolerance:
            edges[-1].append(left)
        else:
            edges.append([left])
    return [sum(group) / len(group) for group in edges]


def _table_rows(rows, read_of, table_no, page_no, tolerance=10):
    """TableRows of one table (``read_of``: each box's text, confidence and other readings);
    colspans against the table's own column edges."""
    edges = _column_edges({b[0] for row in rows for b in row}, tolerance)
    out = []
    for row_no, row in enumerate(rows, start=1):
        cells = []
        for box in row:
            span = sum(1 for edge in edges if box[0] - tolerance <= edge < box[2] - tolerance) or 1
            text, confidence, readings = read_of[box]
            text = clean(text.replace("\n", ""))
            cells.append(Cell(text.replace(" ", "") if re.fullmatch(r"[\d ,.]+", text) else text, span,
                              confidence=confidence, readings=readings))
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


SEAL_HALO = 3  # pixels round a seal's ink where a JPEG scan smears it into greyish pink
SEAL_LIGHT = LINE_INK  # red-channel value above which what lies under a seal is paper: lighter than a rule


def without_seals(image):
    """The page with a red seal's ink taken out: an official seal stamped over a table hides its
    rules and digits from a grey reading. See :func:`_unsealed`."""
    return _unsealed(image)[0]


def _unsealed(image):
    """``(page, stain)``: the page with its seal's ink taken out and the mask of where it lay.
    Ink multiplies: under the seal, the page's brightness is the print's times the seal's own, so
    dividing by the seal's brightness (read off the seal where it lies on paper) gives back the print;
    the pinkish halo a JPEG scan smears round the ink is treated alike, and what comes out
    lighter than a rule is paper."""
    import numpy as np
    from PIL import Image
    from scipy import ndimage

    rgb = np.asarray(image.convert("RGB")).astype(np.int16)
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    seal = (red > 120) & (red - green > 50) & (red - blue > 50)
    if not seal.any():
        return image.convert("RGB"), None
    # JPEG keeps brightness sharp and smears colour over 2x2 pixels, so a one-pixel rule under
    # the seal is read from the brightness, divided by the seal's own brightness on paper.
    gray = np.asarray(image.convert("L")).astype(np.float32)
    seal_gray = max(float(np.percentile(gray[seal], 75)), 1.0)  # most of a seal lies on paper
    stained = seal | (ndimage.binary_dilation(seal, iterations=SEAL_HALO) & (red - green > 20))
    under = np.clip(gray[stained] * 255.0 / seal_gray, 0, 255)
    under = np.where(under > SEAL_LIGHT, 255, under)
    cleaned = rgb.copy()
    cleaned[stained] = under.astype(np.int16)[:, None]
    return Image.fromarray(cleaned.astype(np.uint8)), stained


def straighten(image, turn=0, stain=None):
    """A scanned page turned upright (``turn``: :func:`orientations`) and its tilt taken out
    (white where the turn uncovers); with ``stain`` (a mask of the page), ``(page, stain)``
    turned alike."""
    import numpy as np
    from PIL import Image

    image = image.convert("RGB")
    mask = Image.fromarray(stain.astype(np.uint8) * 255) if stain is not None else None
    if turn:
        image = image.rotate(-turn, expand=True)
        mask = mask.rotate(-turn, expand=True) if mask is not None else None
    angle = skew_angle(image)
    if abs(angle) >= 0.1:
        image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor="white")
        mask = mask.rotate(angle, resample=Image.NEAREST, expand=True, fillcolor=0) if mask is not None else None
    if stain is None:
        return image
    return image, np.asarray(mask) > 0


@dataclass
class _Page:
    """A straightened page as it is read: its ruled cells, the text bands between its tables
    (greyscale: what OCR reads, a third of the memory), and its top quarter, where a title stands."""

    boxes: list
    crops: list  # each cell cropped to its ink, None where it is empty
    tables: list
    bands: list
    tolerance: int
    head: object


def _layout(image, turn):
    image, stain = _unsealed(image)
    if stain is not None:
        image, stain = straighten(image, turn, stain)
    else:
        image = straighten(image, turn)
    image = image.convert("L")
    head = image.crop((0, 0, image.width, image.height // 4))
    boxes = table_cells(image, stain)
    if not boxes:
        return _Page([], [], [], [image], 6, head)
    crops = _enlarged([_ink(image.crop((x0 + 4, y0 + 4, x1 - 4, y1 - 4))) for x0, y0, x1, y1 in boxes])
    tolerance = _tolerance(boxes)
    tables = _tables_of(_rows_of(boxes, tolerance))
    bands, top = [], 0
    for rows in tables:
        table_top = min(b[1] for row in rows for b in row)
        bands.append(image.crop((0, top, image.width, max(table_top - 8, top))))
        top = max(b[3] for row in rows for b in row) + 8
    bands.append(image.crop((0, top, image.width, image.height)))
    return _Page(boxes, crops, tables, bands, tolerance, head)


CONFIRM_PAD = 20  # pixels of white put round a cell for its second reading: one line in a margin


def _padded(crop):
    from PIL import ImageOps

    return ImageOps.expand(crop, border=CONFIRM_PAD, fill=255)


def _line_reader(images):
    """Tesseract reading each image as one line of text (a second opinion on cells)."""
    return [(text, None) for text in _tesseract([_padded(image) for image in images], psm=7)]


def _rapid_padded(images):
    return _rapid([_padded(image) for image in images])


# Who reads the cells, who confirms them, who settles a disagreement: each reads the same crop
# another way (Tesseract as a block, Tesseract as one line in a margin, RapidOCR's PP-OCR models).
READERS = {
    "tesseract": (lambda images: [(t, None) for t in _tesseract(images, psm=6)], _line_reader, _rapid_padded),
    "rapidocr": (_rapid_padded, _line_reader, lambda images: [(t, None) for t in _tesseract(images, psm=6)]),
}


def _checked(text):
    """Whether a first reading is a value cell's (no Chinese, or a character or two, or nothing
    read off an inked cell): those are read a second time, since one misread digit becomes a
    wrong number."""
    text = re.sub(r"\s", "", text)
    return not has_han(text) or len(text) <= 2  # empty too: the cell has ink the reader did not see


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _form(text):
    """A reading compared as what it says: a number without its spaces and commas."""
    text = text.strip()
    return re.sub(r"[\s,]", "", text) if re.fullmatch(r"[\d\s,.]+", text) else text


def _vote(readings):
    """``(text, confidence, other readings)`` of a cell from its readings in order (reader,
    confirmer, settler; the last two may be absent). Reader and confirmer agreeing: ``AGREED``;
    two of three: ``MAJORITY``; no two agreeing: the first that reads as a number, ``UNSURE``,
    with the other readings kept for the identities to choose from."""
    forms = [_form(text) for text, _ in readings]
    if len(forms) == 1:
        return readings[0][0], None, ()
    if forms[0] == forms[1]:
        return readings[0][0], AGREED, ()

    def others(chosen):
        return tuple(dict.fromkeys(form for form in forms if form and form != chosen))

    agreed = [form for form in forms if form and forms.count(form) >= 2]
    if agreed:
        return agreed[0], MAJORITY, others(agreed[0])
    numbers = [form for form in forms if _NUMBER.fullmatch(form)]
    chosen = numbers[0] if numbers else readings[0][0]
    return chosen, UNSURE, others(chosen)


def _read_cells(crops, engine, first=None):
    """``[(text, confidence, other readings)]`` of the inked cell crops: read once by the
    engine (``first``: that reading, when it was made already); value cells read again another
    way, and a third way where the two disagree."""
    read, confirm, settle = READERS[engine]
    first = first if first is not None else read(crops)
    checked = [n for n, (text, _) in enumerate(first) if _checked(text)]
    second = dict(zip(checked, confirm([crops[n] for n in checked])))
    disputed = [n for n in checked if _form(first[n][0]) != _form(second[n][0])]
    try:
        third = dict(zip(disputed, settle([crops[n] for n in disputed])))
    except OcrError:
        third = {}  # no third reader installed: the two readings stand, uncertain
    out = []
    for n, reading in enumerate(first):
        readings = [reading] + [r[n] for r in (second, third) if n in r]
        out.append(_vote(readings))
    garbled = [n for n in checked if _garbled(*out[n][:2])]
    if garbled:
        for n, texts in zip(garbled, reread([crops[n] for n in garbled])):
            out[n] = _digits_vote(out[n], texts)
    return _label_cells(crops, out, settle)


def _garbled(text, confidence):
    """Whether a value cell's voted reading is no number: nothing read off its ink, a digit read
    with a stray character or two ("了2", read alike by both Tesseract modes), or readers
    disagreeing on something that is not Chinese text ("if")."""
    form = _form(text)
    if _NUMBER.fullmatch(form):
        return False
    digit = bool(re.search(r"\d", form))
    if not form or (digit and len(han_only(form)) <= 2):
        return True
    return confidence == UNSURE and (not has_han(form) or digit)


UNREAD = "?"  # the text of an inked value cell no reading could make out: unreadable, not blank


def _digits_vote(voted, texts):
    """A value cell no reader read as a number ("if" for a 1) read again as digits only
    (:func:`reread`): two of those readings agreeing on a number make it the cell's text, at
    ``DIGITS_AGREED``, the identities checking it like every OCR'd number; else it stays
    unreadable, its readings kept."""
    forms = [_form(text) for text in texts]
    agreed = [form for form in forms if _NUMBER.fullmatch(form) and forms.count(form) >= 2]
    readings = tuple(dict.fromkeys(voted[2] + tuple(f for f in forms if f)))
    if agreed:
        return agreed[0], DIGITS_AGREED, tuple(r for r in readings if r != agreed[0]) + tuple(filter(None, (voted[0],)))
    seen = readings + (voted[0],)
    if not any(re.search(r"\d", r) or has_han(r) for r in seen) and not any(forms[:DIGIT_READINGS]):
        # No reader saw a digit or a Chinese character and the digit-only readers saw nothing:
        # a speck, or what a seal left ("a", "SS"): the cell is blank, its readings kept.
        return "", DIGITS_AGREED, tuple(dict.fromkeys(readings + tuple(filter(None, (voted[0],)))))
    return (voted[0] if _form(voted[0]) else UNREAD), UNSURE, readings


SNAP_RATIO = 0.75  # likeness of an OCR'd label to one of the form's labels that makes it that label
LABEL_LENGTH = 40  # characters: longer cells are notes and sentences, not labels of the form
_LABELS = []


def _core(text):
    """A label's characters compared between a scan and the form: its Chinese characters."""
    return han_only(text)


def _label_for(text):
    """``(official label or None, likeness)``: the form's label this OCR'd text is read as
    (ratio of difflib's matcher over the Chinese characters), None when it is already one, or
    when no label is like it surely enough."""
    import difflib

    from .spec import form_labels

    if not _LABELS:
        _LABELS.extend((label, _core(label)) for label in form_labels())
    core = _core(text)
    if not core:
        return None, 0.0
    if any(core == label_core for _, label_core in _LABELS):
        return None, 1.0
    matcher = difflib.SequenceMatcher(None, "", core)  # the reading is b: what the matcher indexes once
    scored = []
    for label, label_core in _LABELS:
        matcher.set_seq1(label_core)
        scored.append((matcher.ratio(), label))
    scored.sort(reverse=True)
    (best, label), runner_up = scored[0], scored[1][0] if len(scored) > 1 else 0.0
    return (label if best >= SNAP_RATIO and best > runner_up else None), best


_GARBLE = re.compile(r"[A-Za-z]")


def _label_cells(crops, reads, settle):
    """The label cells of the tables read against the form's labels: a cell one of whose readings
    is like a label becomes that label; a garbled one (Latin letters amid a Chinese form, or
    nearly but not surely a label) is read again by the settling reader, and that reading kept
    when it is more like a label."""
    pending = []
    for n, (text, confidence, others) in enumerate(reads):
        digits = sum(ch.isdigit() for ch in text)
        if not text or digits * 2 >= len(text.strip()) or len(text) > LABEL_LENGTH:
            continue
        scored = [(_label_for(reading.replace("\n", "")), reading) for reading in (text,) + tuple(others)]
        (label, likeness), reading = max(scored, key=lambda item: item[0][1])
        if label or (likeness == 1.0 and reading != text):  # like a label, or another reading is one
            chosen = (label or reading).replace("\n", "")
            reads[n] = (chosen, confidence, tuple(r for r in dict.fromkeys((text,) + tuple(others)) if r != reading))
        elif likeness < 1.0 and (_GARBLE.search(text) or 0.5 < likeness < SNAP_RATIO):
            pending.append((n, likeness))
    if not pending:
        return reads
    try:
        again = settle([crops[n] for n, _ in pending])
    except OcrError:
        return reads
    for (n, likeness), (text, _) in zip(pending, again):
        text = text.replace("\n", "")
        label, new_likeness = _label_for(text)
        old = reads[n][0]
        if label:
            reads[n] = (label, reads[n][1], (old,))
        elif new_likeness > likeness:
            reads[n] = (text, reads[n][1], (old,))
    return reads


DIGITS = ("tessedit_char_whitelist=0123456789",)


def _binarised(image, scale=2):
    """The cell at ``scale`` times its size, black and white at Otsu's threshold of its own grey."""
    import numpy as np
    from PIL import Image

    gray = image.convert("L").resize((image.width * scale, image.height * scale), Image.LANCZOS)
    values = np.asarray(gray)
    histogram = np.bincount(values.ravel(), minlength=256).astype(float)
    weights, means = np.cumsum(histogram), np.cumsum(histogram * np.arange(256))
    total, mean = weights[-1], means[-1]
    between = (mean * weights - means * total) ** 2 / np.maximum(weights * (total - weights), 1)
    threshold = int(np.argmax(between))
    return Image.fromarray(((values > threshold) * 255).astype("uint8"))


DIGIT_READINGS = 2  # the first readings of :func:`reread`: Tesseract told to see only digits


def reread(images):
    """More readings of value cells an identity doubts, each a different way from the first three:
    Tesseract told to see only digits, on the crop and on it binarised at twice its size (the
    first ``DIGIT_READINGS``), and RapidOCR when installed: a list of readings per image."""
    padded = [_padded(image) for image in images]
    out = [list(texts) for texts in zip(
        _tesseract(padded, psm=7, lang="eng", config=DIGITS),
        _tesseract([_padded(_binarised(image)) for image in images], psm=7, lang="eng", config=DIGITS))]
    try:
        for texts, (text, _) in zip(out, _rapid(padded)):
            texts.append(text)
    except OcrError:
        pass
    return out


def _loose_blocks(text, page_no, table_no):
    """A page without ruling: its lines, table-like ones as loose rows."""
    blocks = []
    for line in text.splitlines():
        row = row_cells(line) if line.strip() else None
        if row is not None:
            blocks.append(TableRow(row[0], table_no + 1, len(blocks) + 1, page=page_no, loose=True))
        elif line.strip():
            blocks.append(TextLine(clean(line), page=page_no))
    return blocks


def read_images(images, engine=None):
    """A :class:`Document` from a list of page images (a scanned PDF's pages, or one image file;
    the list is emptied as the pages are laid out); the
    cells are read by ``engine`` (default ``NIANBAO_OCR_ENGINE``, else Tesseract), confirmed and
    settled by the other readers of :data:`READERS`. Every page's cells and text bands are read
    in one batch, so each reader starts once per document, not once per page."""
    engine = engine or os.environ.get("NIANBAO_OCR_ENGINE") or "tesseract"
    if engine not in READERS:
        raise OcrError(f"unknown OCR engine {engine!r}; known: {', '.join(READERS)}")
    pages = []
    for n, turn in enumerate(orientations(images)):
        pages.append(_layout(images[n], turn))
        images[n] = None  # a page at 300 dpi is 26 MB: let it go once it is laid out
    cells = [(p, n) for p, page in enumerate(pages) for n, crop in enumerate(page.crops) if crop is not None]
    bands = [(p, n) for p, page in enumerate(pages) for n, band in enumerate(page.bands) if band.height > 20]
    crops = [pages[p].crops[n] for p, n in cells]
    if engine == "tesseract":  # cells and bands in the same Tesseract run
        read = _tesseract(crops + [pages[p].bands[n] for p, n in bands], psm=6)
        first, band_read = read[:len(cells)], read[len(cells):]
        cell_read = _read_cells(crops, engine, [(text, None) for text in first])
    else:
        band_read = _tesseract([pages[p].bands[n] for p, n in bands], psm=6)
        cell_read = _read_cells(crops, engine)
    cell_of = dict(zip(cells, cell_read))
    band_of = dict(zip(bands, band_read))
    blocks, table_no, images = [], 0, {}
    for p, page in enumerate(pages):
        page_no = p + 1
        if not page.boxes:
            page_blocks = _loose_blocks(band_of.get((p, 0), ""), page_no, table_no)
            if page_no == 1:
                # the title stands in the top of the first page: confirmed on that part of it
                head = [n for n, b in enumerate(page_blocks[:12]) if isinstance(b, TextLine)]
                confirmed = _confirm_title([page_blocks[n] for n in head], page.head)
                for n, line in zip(head, confirmed):
                    page_blocks[n] = line
            blocks.extend(page_blocks)
            table_no += 1 if any(isinstance(b, TableRow) for b in page_blocks) else 0
            continue
        read_of = {box: cell_of.get((p, n), ("", None, ())) for n, box in enumerate(page.boxes)}
        crop_of = dict(zip(page.boxes, page.crops))
        for n, rows in enumerate(page.tables):
            lines = _band_lines(band_of.get((p, n), ""), page_no)
            if page_no == 1 and n == 0:  # the title: in the top of the page's first band
                band = page.bands[0]
                lines = _confirm_title(lines, band.crop((0, 0, band.width, min(band.height, page.head.height))))
            blocks.extend(lines)
            table_no += 1
            blocks.extend(_table_rows(rows, read_of, table_no, page_no, page.tolerance))
            for row_no, row in enumerate(rows, start=1):
                for index, box in enumerate(row, start=1):  # 1-based, as cells' provenance counts
                    if crop_of[box] is not None and read_of[box][1] is not None:  # a value cell, read twice
                        images[(table_no, row_no, index)] = crop_of[box]
        blocks.extend(_band_lines(band_of.get((p, len(page.bands) - 1), ""), page_no))
    return Document(blocks, "scan-ocr", cell_images=images)


def read_image_bytes(data):
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()
    return read_images([image])
