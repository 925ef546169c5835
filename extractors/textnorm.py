"""Normalising Chinese labels and reading the value written in a table cell (SPEC §6.0, §7)."""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Artefacts of automatic simplified->traditional->simplified conversion (SPEC D9).
_ARTEFACTS = (("档案", "文件"), ("製作", "制作"))

_SPACE = re.compile(r"[\s\u00a0\u200b\u200c\u200d\ufeff\u3000]+")
_LABEL_DROP = re.compile(r"[\s\u00a0\u200b\ufeff:;,.。、，；：“”\"'‘’《》<>【】\[\]·•_*#|-]+")
_NOTE = re.compile(r"\(([^()]{3,})\)")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


TRADITIONAL_SAMPLE = 2000  # characters read to tell the script


def looks_traditional(text, sample=TRADITIONAL_SAMPLE):
    """Whether a text is written in traditional script (OpenCC changes several characters)."""
    head = text[:sample]
    converted = _t2s().convert(head)
    if converted == head:
        return False
    return sum(a != b for a, b in zip(head, converted)) >= 3


def to_simplified(text):
    """Convert traditional script to simplified and undo the known conversion artefacts."""
    text = _t2s().convert(text)
    for wrong, right in _ARTEFACTS:
        text = text.replace(wrong, right)
    return text


def nfkc(text):
    """NFKC (full-width digits and brackets to half-width), skipped when already normal."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")

# Characters that render like the ones a report means but are other code points: what PDF
# writers emit for glyphs a font shares between a radical and an ideograph (⼯ U+2F2F for 工,
# ⻔ U+2ED4 for 门), compatibility ideographs (U+F900-FAFF), CJK strokes, full-width letters and
# digits, and punctuation that stands in for a colon, a bracket or a comma.
_LOOKALIKE = re.compile("[\u2e80-\u2fdf\u31c0-\u31ef\uf900-\ufaff\U0002f800-\U0002fa1f"
                        "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u2236\ufe30-\ufe6b]")
_PUNCTUATION = {"\u2236": "：", "\ufe30": "：", "\ufe55": "：", "\ufe13": "：", "\ufe59": "（", "\ufe5a": "）",
                "\ufe35": "（", "\ufe36": "）", "\ufe50": "，", "\ufe51": "、", "\ufe54": "；", "\ufe56": "？",
                "\ufe57": "！", "\ufe5d": "〔", "\ufe5e": "〕", "\ufe63": "-"}


@lru_cache(maxsize=4096)
def _fold_char(char):
    from cjkfold import fold as fold_lookalikes

    if char in _PUNCTUATION:
        return _PUNCTUATION[char]
    folded = fold_lookalikes(char)
    if folded != char:
        return folded
    code = ord(char)
    if 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F or 0xFF10 <= code <= 0xFF5A:
        return unicodedata.normalize("NFKC", char)
    return char


def has_lookalike(text):
    """Whether :func:`fold` could change anything in a text."""
    return _LOOKALIKE.search(text) is not None


def fold(text):
    """``(text, n)``: the text with look-alike characters folded onto the ones they stand for
    (radicals via Unicode's Equivalent_Unified_Ideograph, as the cjkfold package ships it;
    compatibility ideographs and full-width letters and digits by NFKC; look-alike
    punctuation), and how many were folded. Applied to every document before any pattern."""
    if not text or text.isascii():
        return text, 0
    count = 0

    def one(match):
        nonlocal count
        folded = _fold_char(match.group(0))
        count += folded != match.group(0)
        return folded

    return _LOOKALIKE.sub(one, text), count


_HAN = re.compile(r"[\u4e00-\u9fff]")


def has_han(text):
    """Whether text holds a Chinese character: what tells a label from a misread number."""
    return bool(_HAN.search(text))


def han_only(text):
    """The Chinese characters of a text: what two readings of one label are compared by."""
    return "".join(_HAN.findall(text))


def clean(text):
    """Whitespace runs (including &nbsp; and ideographic space) folded to one space, and
    full-width digits and letters made ASCII. Other full-width forms ("（", "，") stay as
    written: matching normalises them itself (:func:`label_key`)."""
    if _FULLWIDTH_ALNUM.search(text):
        text = nfkc(text)
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=4096)
def label_key(text):
    """The matching form of a label: NFKC, no whitespace or punctuation (SPEC D6, D7, D10)."""
    return _LABEL_DROP.sub("", nfkc(text))


@lru_cache(maxsize=4096)
def bare_label_key(text):
    """:func:`label_key` without parenthetical notes such as "规章(设区的市…应提供)" (SPEC D8)."""
    text = _NOTE.sub("", nfkc(text))
    return _LABEL_DROP.sub("", text)


NA_MARKS = frozenset(
    {"-", "--", "---", "—", "——", "―", "/", "//", "\\", "无", "不适用", "暂无", "空", "…", "...", "×", "x", "X", "n/a", "N/A"}
)
_NUMBER = re.compile(
    r"^([+-]?)\s*(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?\s*(万元|元|件|条|项|个|次|人次|宗|起|人)?$"
)


@dataclass(frozen=True)
class Value:
    """What a cell says: ``semantic`` is number|zero|blank|na_mark|text, ``unit`` as written."""

    semantic: str
    value: float = None
    unit: str = None

    @property
    def is_value(self):
        return self.semantic != "text"


_BLANK = Value("blank")
_NA = Value("na_mark")
_TEXT = Value("text")


@lru_cache(maxsize=8192)
def read_value(raw):
    """Classify a cell's raw text; text that is not a value gets semantic ``text``."""
    text = _SPACE.sub(" ", nfkc(raw)).strip()
    if not text:
        return _BLANK
    if text in NA_MARKS:
        return _NA
    match = _NUMBER.match(text)
    if not match or (match.group(2) is None and match.group(3) is None):
        return _TEXT
    sign, whole, frac, unit = match.groups()
    digits = (whole or "0").replace(",", "")
    # A whole number stays a Python int, exact at any size (a float rounds above 2**53).
    number = float(digits + "." + frac) if frac else int(digits)
    if sign == "-":
        number = -number
    if isinstance(number, float) and number == int(number) and abs(number) < 2**53:
        number = int(number)
    return Value("zero" if number == 0 else "number", number, unit)


_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+|\(?[一二三四五六七八九十]+\)|\(?\d+\)|\d+)")


def strip_enumeration(key):
    """Drop a leading "一", "(三)", "1" enumeration from a label key."""
    return _ENUM.sub("", key, count=1)
