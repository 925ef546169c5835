"""Best-effort statistics of pre-2019 reports (SPEC §8): no fixed format, so labels and numbers.

Each value is marked with its period kind (annual, cumulative, unknown): old reports mix a
year's figures with running totals ("历年累计").
"""

import re

from .blocks import TableRow, TextLine
from .records import Cell
from .spec import PRE2019_FIELDS as FIELDS
from .textnorm import label_key, read_value

_NUMBER_AFTER = re.compile(r"^[^。；;，,\d]{0,14}?(\d[\d,]*(?:\.\d+)?)\s*(万元|元|件|条|人次|次|个|项|宗|篇)")
_NO_FEE = re.compile(r"未收取[^。；;]{0,6}费|没有收取[^。；;]{0,6}费|不收取[^。；;]{0,6}费")


def _field_for(key):
    for code, words, unit in FIELDS:
        if any(word in key for word in words):
            return code, unit
    return None, None


def _period(text):
    if "累计" in text or "截至" in text or "历年" in text:
        return "cumulative"
    if re.search(r"本年|全年|年内|年度|(?:19|20)\d{2}年", text):
        return "annual"
    return "unknown"


def extract_pre2019(blocks):
    """``{code: dict}`` of statistics read from tables, then from sentences for what is left."""
    found = {}
    header_periods = []
    for block in blocks:
        if isinstance(block, TableRow):
            texts = [c.text for c in block.cells]
            values = [(i, read_value(t)) for i, t in enumerate(texts)]
            labels = [t for (i, v), t in zip(values, texts) if v.semantic == "text" and t]
            numbers = [(i, v) for i, v in values if v.semantic in ("number", "zero")]
            if not numbers:
                header_periods = [_period(t) for t in texts if t and ("累计" in t or "年" in t or "本期" in t)]
                continue
            code, unit = _field_for(label_key("".join(labels)))
            if not code:
                continue
            for n, (i, value) in enumerate(numbers[:2]):
                period = header_periods[n] if n < len(header_periods) else ("annual" if n == 0 else "cumulative")
                key = code if n == 0 else code + ".cumulative"
                if period == "cumulative" and n == 0:
                    key = code + ".cumulative"
                found.setdefault(key, _cell(key, texts[i], value.value, value.unit or unit, period, block, i + 1, labels))
        elif isinstance(block, TextLine):
            for sentence in re.split(r"[。；;]", block.text):
                _from_sentence(sentence, block, found)
    return list(found.values())


def _from_sentence(sentence, block, found):
    if _NO_FEE.search(sentence):
        found.setdefault("pre.fees.amount", _cell("pre.fees.amount", sentence[:60], 0, "元", _period(sentence), block, None, []))
    for code, words, unit in FIELDS:
        for word in words:
            at = sentence.find(word)
            if at < 0:
                continue
            match = _NUMBER_AFTER.match(sentence[at + len(word):])
            if not match:
                continue
            period = _period(sentence)
            key = code + (".cumulative" if period == "cumulative" else "")
            value = float(match.group(1).replace(",", ""))
            value = int(value) if value.is_integer() else value
            found.setdefault(key, _cell(key, sentence[at: at + len(word) + match.end()], value, match.group(2), period, block, None, [word]))
            break


def _cell(code, raw, value, unit, period, block, col, labels):
    return Cell(code, value, raw, "zero" if value == 0 else "number", unit, getattr(block, "table", None),
                getattr(block, "row", None), col, " ".join(labels) or None, block.line, block.page, period=period)
