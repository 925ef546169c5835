"""How the readings of a scanned cell become its text and confidence, how a page's scan
resolution is read off the PDF, and how rules are followed under a seal. Expected values are
written here by hand; drawn parameters come from seeds."""

import io
import random

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw

from extractors import ocr
from extractors.blocks import AGREED, DIGITS_AGREED, MAJORITY, UNSURE


def readings(*texts):
    return [(text, None) for text in texts]


def test_reader_and_confirmer_agreeing_is_sure():
    assert ocr._vote(readings("1 234", "1,234")) == ("1 234", AGREED, ())


def test_two_of_three_agreeing_keeps_their_reading_and_the_other():
    assert ocr._vote(readings("58", "53", "58")) == ("58", MAJORITY, ("53",))


def test_no_two_agreeing_keeps_the_first_number_unsure_with_the_others():
    assert ocr._vote(readings("if", "17", "11")) == ("17", UNSURE, ("if", "11"))


@pytest.mark.parametrize("text, confidence, garbled", [
    ("72", AGREED, False),            # a number
    ("了2", AGREED, True),            # both Tesseract modes alike read a stray character with the digit
    ("", None, True),                 # ink no reader saw
    ("if", UNSURE, True),             # readers disagreeing on something not Chinese
    ("if", AGREED, False),            # agreed on: left to the table reader
    ("予以公开", UNSURE, False),       # Chinese text: a label
    ("第二十条第（五）项", UNSURE, False),
])
def test_a_value_cell_is_read_again_as_digits_when_its_reading_is_no_number(text, confidence, garbled):
    assert ocr._garbled(text, confidence) is garbled


def test_two_digit_only_readings_agreeing_make_the_number():
    assert ocr._digits_vote(("了2", AGREED, ()), ["72", "72", "72"]) == ("72", DIGITS_AGREED, ("了2",))


def test_a_value_no_reading_makes_out_is_marked_unreadable_not_blank():
    text, confidence, others = ocr._digits_vote(("", None, ()), ["4", "", ""])
    assert (text, confidence) == (ocr.UNREAD, UNSURE) and "4" in others


def test_what_no_reader_takes_for_a_digit_or_a_character_is_a_speck():
    assert ocr._digits_vote(("SS", UNSURE, ("ee Sa a",)), ["", "", ""])[0] == ""
    assert ocr._digits_vote(("", None, ()), ["", "", ""])[0] == ""


def test_a_label_one_reader_read_as_latin_is_not_taken_for_a_speck():
    text, _, others = ocr._digits_vote(("(—) POA", UNSURE, ("(一) 予以公开",)), ["", "", ""])
    assert text == "(—) POA" and "(一) 予以公开" in others  # the label reader then picks the label


@pytest.mark.parametrize("reading, label", [
    ("（一）予以公开", None),                 # already the form's label
    ("（一）子以公开", "（一）予以公开"),         # one character misread
    ("四、结转下年度继绩办理", "四、结转下年度继续办理"),
    ("本年度共收到申请", None),               # like no label surely enough
])
def test_an_ocr_label_snaps_to_the_form_label_it_is_like(reading, label):
    assert ocr._label_for(reading)[0] == label


def _pdf_of_image(pixels, dpi):
    buffer = io.BytesIO()
    Image.new("RGB", pixels, "white").save(buffer, format="PDF", resolution=dpi)
    return buffer.getvalue()


@pytest.mark.parametrize("seed", range(6))
def test_a_scanned_page_is_read_at_its_own_resolution_within_bounds(seed):
    import pdfplumber

    from extractors import pdf

    dpi = random.Random(seed).choice([100, 150, 200, 240, 300, 360, 600])
    data = _pdf_of_image((round(8.27 * dpi), round(11.69 * dpi)), dpi)
    with pdfplumber.open(io.BytesIO(data)) as document:
        got = pdf._scan_resolution(document.pages[0])
    low, high = pdf.SCAN_DPI
    assert got == min(max(dpi, low), high)


def _grid(rng):
    """A ruled table, its rules black and up to 3 pixels wide or one grey pixel (a thin rule
    rasterised at scan resolution); returns the page and its cell count."""
    page = Image.new("RGB", (1400, 1200), "white")
    draw = ImageDraw.Draw(page)
    rows, cols = rng.randint(8, 14), rng.randint(5, 9)
    width, grey = rng.choice([(1, 0), (2, 0), (3, 0), (1, rng.randint(110, 180))])
    top, left, height, span = 100, 100, 70, 1200 // cols
    for r in range(rows + 1):
        draw.line((left, top + r * height, left + cols * span, top + r * height), fill=(grey, grey, grey), width=width)
    for c in range(cols + 1):
        draw.line((left + c * span, top, left + c * span, top + rows * height), fill=(grey, grey, grey), width=width)
    return page, rows * cols


@pytest.mark.parametrize("seed", range(10))
def test_rules_crossed_by_a_seal_are_followed_through_it(seed):
    rng = random.Random(seed)
    page, count = _grid(rng)
    assert len(ocr.table_cells(page)) == count
    layer = Image.new("RGB", page.size, "white")
    cx, cy, r = rng.randint(450, 950), rng.randint(450, 750), rng.randint(200, 300)
    stroke = rng.randint(8, 16)
    ImageDraw.Draw(layer).ellipse((cx - r, cy - r, cx + r, cy + r), outline=(rng.randint(190, 235), 40, 40), width=stroke)
    buffer = io.BytesIO()  # scans are JPEG: the seal's edge smears
    ImageChops.multiply(page, layer).save(buffer, format="JPEG", quality=rng.randint(60, 90))
    cleaned, stain = ocr._unsealed(Image.open(buffer).convert("RGB"))
    assert stain is not None and stain.any()
    assert len(ocr.table_cells(cleaned, stain)) == count


def test_a_page_without_seal_has_no_stain():
    page, _ = _grid(random.Random(0))
    cleaned, stain = ocr._unsealed(page)
    assert stain is None or not stain.any()
    assert (np.asarray(cleaned.convert("L")) < 128).sum() == (np.asarray(page.convert("L")) < 128).sum()
