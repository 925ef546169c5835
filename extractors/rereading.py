"""Scanned reports: the identities of the form choose between the readings of a doubted cell.

A cell read by OCR is read twice, three times where the readers disagree (extractors.ocr). When
an identity breaks on such cells, they are read again other ways (:func:`extractors.ocr.reread`)
and the readings under which the identities hold are kept, each change recorded with what was
read before and by which readings (rule R-REREAD). A reading that no identity settles and no two
readers agreed on stays in the report, named by rule R-OCR-UNSURE.
"""

from itertools import combinations

from .blocks import PROVEN, UNSURE
from .rules import IDENTITY_RULES, validate
from .tables import read_value

MAX_TRIES = 256  # readings tried per round: pairs of doubted cells, each with its few readings


def _failures(report):
    """Broken identities, and how many flags above INFO the report has (a change must not add any)."""
    flags, _ = validate(report)
    return sum(1 for f in flags if f["rule"] in IDENTITY_RULES), sum(1 for f in flags if f["severity"] != "INFO")


def _values(texts):
    """The distinct numbers the readings of a cell say, in order."""
    out = []
    for text in texts:
        value = read_value(text or "")
        if value.semantic in ("number", "zero") and value.value >= 0 and value.value not in out:
            out.append(value.value)
    return out


def _set(cell, value):
    cell["value"], cell["raw"], cell["semantic"] = value, str(value), "zero" if value == 0 else "number"


def settle(report, cell_images, read_again):
    """Re-read the OCR cells of broken identities and keep the readings under which they hold.

    ``cell_images``: the document's value-cell images by ``(table, row, cell index)``;
    ``read_again``: a function from a list of images to lists of readings (extractors.ocr.reread,
    run within the parser's bounds by the caller). Records each change in ``report["rereads"]``.
    """
    if not cell_images:
        return
    by_code = {c["code"]: c for c in report["cells"]}

    def place(cell):
        return (cell["table"], cell["row"], cell["col"])

    options, texts_of = {}, {}  # a doubted cell's numbers, and what its re-reading saw
    for _ in range(4):  # each round settles at least one cell, or stops
        broken, above_info = _failures(report)
        if not broken:
            break
        flags, _ = validate(report)
        doubted = [code for f in flags if f["rule"] in IDENTITY_RULES for code in f["cells"]
                   if code in by_code and place(by_code[code]) in cell_images and by_code[code]["value"] is not None]
        doubted = list(dict.fromkeys(doubted))
        fresh = [code for code in doubted if code not in texts_of]
        if fresh:
            readings = read_again([cell_images[place(by_code[code])] for code in fresh])
            for code, texts in zip(fresh, readings):
                cell = by_code[code]
                options[code] = _values([cell["raw"]] + list(cell.get("readings") or ()) + list(texts))
                texts_of[code] = list(texts)
        choices = [(code, value) for code in doubted for value in options.get(code, [])[1:]]
        tries = [(choice,) for choice in choices] + [pair for pair in combinations(choices, 2) if pair[0][0] != pair[1][0]]
        best = None
        for change in tries[:MAX_TRIES]:
            before = {code: (by_code[code]["value"], by_code[code]["raw"], by_code[code]["semantic"]) for code, _ in change}
            for code, value in change:
                _set(by_code[code], value)
            now = _failures(report)
            for code, (value, raw, semantic) in before.items():
                by_code[code]["value"], by_code[code]["raw"], by_code[code]["semantic"] = value, raw, semantic
            if now[0] < broken and now[1] < above_info and (best is None or now < best[0]):
                best = (now, change)
        if best is None:
            break
        fixed_before = {f["rule"] for f in validate(report)[0] if f["rule"] in IDENTITY_RULES}
        for code, value in best[1]:
            cell = by_code[code]
            report["rereads"].append({"code": code, "was": cell["raw"], "value": value, "table": cell["table"],
                                      "row": cell["row"], "page": cell["page"],
                                      "readings": [cell["raw"]] + list(cell.get("readings") or ()) + texts_of[code]})
            _set(cell, value)
            cell["confidence"] = PROVEN
        fixed = fixed_before - {f["rule"] for f in validate(report)[0] if f["rule"] in IDENTITY_RULES}
        for entry in report["rereads"][-len(best[1]):]:
            entry["rules"] = sorted(fixed)
    _prove(report, by_code)


def _prove(report, by_code):
    """Doubted cells (no two readers agreed) that the identities fix: each other reading, and a
    value one more than the kept one, would break an identity that holds."""
    broken, _ = _failures(report)
    for cell in by_code.values():
        if cell.get("confidence") is None or cell["confidence"] > UNSURE or cell["value"] is None:
            continue
        others = [value for value in _values(cell.get("readings") or ()) if value != cell["value"]]
        kept = (cell["value"], cell["raw"], cell["semantic"])
        worse = True
        for value in others + [cell["value"] + 1]:
            _set(cell, value)
            worse = worse and _failures(report)[0] > broken
        cell["value"], cell["raw"], cell["semantic"] = kept
        if worse:
            cell["confidence"] = PROVEN
