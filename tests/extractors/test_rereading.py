"""The identities choose between the readings of scanned cells: a misread that breaks one is
read again and the reading they hold under is kept, with its provenance; a break no reading
mends stays a warning about the reading, never an ERROR against the report."""

from extractors import spec
from extractors.blocks import PROVEN, UNSURE
from extractors.rereading import settle
from extractors.rules import validate

PRINTED = {"table3.granted.natural_person": 3, "table3.granted.total": 3, "table3.result_total.natural_person": 3,
           "table3.result_total.total": 3, "table3.new_received.natural_person": 3, "table3.new_received.total": 3}


def scanned(**read):
    """A scanned f2019 report as printed (``PRINTED``, zeros elsewhere), but for the cells read
    otherwise: ``{code with __ for .: (text read, other readings)}``."""
    cells = []
    for n, code in enumerate(spec.expected_codes("f2019")):
        value = PRINTED.get(code, 0)
        text, others = read.get(code.replace(".", "__"), (str(value), ()))
        number = int(text) if text.isdigit() else None
        cells.append({"code": code, "value": number, "raw": text, "semantic": "number" if number else "zero",
                      "unit": spec.unit_of(code, "f2019"), "table": 3, "row": n // 10, "col": n % 10, "page": 5,
                      "confidence": UNSURE if others else 0.95, "readings": others or None})
    return {"era": "f2019", "year": 2019, "year_era": "f2019", "era_markers": {"f2019": 3}, "source_format": "pdf-ocr",
            "cells": cells, "facts": [], "issues": [], "headings": [], "rereads": []}


def flags_of(report):
    """Flags about the numbers (these reports have no text, so no sections)."""
    return [f for f in validate(report)[0] if f["rule"] != "M-SECTIONS"]


def images_of(report):
    return {(c["table"], c["row"], c["col"]): c["code"] for c in report["cells"]}


def by_code(report):
    return {c["code"]: c for c in report["cells"]}


def test_a_misread_that_breaks_an_identity_is_read_again_and_the_holding_reading_kept():
    report = scanned(table3__granted__natural_person=("8", ("9",)))
    assert {f["rule"] for f in flags_of(report)} >= {"R-T3-ROWSUM"}
    asked = []

    def read_again(images):
        asked.extend(images)
        return [["3", "3"] if code == "table3.granted.natural_person" else [str(PRINTED.get(code, 0))] for code in images]

    settle(report, images_of(report), read_again)
    cell = by_code(report)["table3.granted.natural_person"]
    assert (cell["value"], cell["confidence"]) == (3, PROVEN)
    assert "table3.granted.natural_person" in asked
    assert report["rereads"][0]["was"] == "8" and report["rereads"][0]["value"] == 3
    flags = flags_of(report)
    assert [f["rule"] for f in flags] == ["R-REREAD"] and flags[0]["severity"] == "INFO"
    assert "table3.granted.natural_person" in flags[0]["cells"]


def test_a_break_no_reading_mends_is_a_warning_about_the_reading_naming_its_cells():
    report = scanned(table3__granted__natural_person=("8", ("6",)))
    settle(report, images_of(report), lambda images: [["8"] for _ in images])
    assert by_code(report)["table3.granted.natural_person"]["value"] == 8  # nothing invented
    assert not report["rereads"]
    flags = flags_of(report)
    assert not [f for f in flags if f["severity"] == "ERROR"]
    broken = [f for f in flags if f["rule"] == "R-T3-ROWSUM"]
    assert broken and broken[0]["severity"] == "WARN" and "read by OCR" in broken[0]["message"]
    assert "table3.granted.natural_person" in broken[0]["cells"]
    assert any(f["rule"] == "R-OCR-UNSURE" and f["cells"] == ["table3.granted.natural_person"] for f in flags)


def test_a_doubted_reading_the_identities_fix_is_proven():
    report = scanned(table3__granted__natural_person=("3", ("8",)))  # chose right, readers disagreed
    settle(report, images_of(report), lambda images: [[] for _ in images])
    assert by_code(report)["table3.granted.natural_person"]["confidence"] == PROVEN
    assert not flags_of(report)


def test_a_table_a_scan_could_not_read_whole_is_a_warning_about_the_reading():
    report = scanned()
    report["cells"] = [c for c in report["cells"] if not c["code"].startswith("table3.carried_forward.")]
    flags = [f for f in flags_of(report) if f["rule"] == "R-STRUCT"]
    assert flags and all(f["severity"] == "WARN" and "read by OCR" in f["message"] for f in flags)
    report["source_format"] = "pdf"
    assert [f["severity"] for f in flags_of(report) if f["rule"] == "R-STRUCT"] == ["ERROR"]
