"""The rule registry and the blank/na semantics of SPEC §6.0, on small hand-made reports."""

from extractors.rules import RULES, validate
from extractors import spec


def report(era="f2019", **values):
    """A report whose every expected cell is zero unless given; None means a blank cell."""
    cells = []
    for code in spec.expected_codes(era):
        value = values.get(code.replace(".", "__"), 0)
        semantic = "blank" if value is None else ("zero" if value == 0 else "number")
        cells.append({"code": code, "value": value, "raw": "" if value is None else str(value), "semantic": semantic,
                      "unit": spec.unit_of(code, era)})
    return {"era": era, "year": 2019 if era == "f2019" else 2021, "year_era": era, "era_markers": {era: 3},
            "cells": cells, "facts": [], "issues": [], "headings": []}


def flags_of(r):
    return {(f["rule"], f["scope"]): f for f in validate(r)[0]}


def test_every_rule_is_documented_in_both_languages():
    for rule in RULES.values():
        assert rule.severity in ("ERROR", "WARN", "INFO")
        assert rule.zh and rule.en and rule.reads and rule.spec.startswith("§")


def test_an_all_zero_report_raises_no_identity_flag():
    flags = flags_of(report())
    assert not [k for k in flags if k[0].startswith(("R-T3", "R-T4", "R-STRUCT"))]


def test_broken_row_sum_is_an_error_naming_both_sides():
    r = report(table3__granted__natural_person=3, table3__granted__total=4,
               table3__result_total__natural_person=3, table3__result_total__total=4,
               table3__new_received__natural_person=3, table3__new_received__total=4)
    flag = flags_of(r)[("R-T3-ROWSUM", "granted")]
    assert flag["severity"] == "ERROR"
    assert (flag["lhs"], flag["rhs"], flag["delta"]) == (4, 3, 1)
    assert flag["cells"][0] == "table3.granted.total"


def test_blank_total_means_not_reported_not_zero():
    r = report(table3__granted__natural_person=3, table3__granted__total=None,
               table3__result_total__natural_person=3, table3__result_total__total=3,
               table3__new_received__natural_person=3, table3__new_received__total=3)
    flags = flags_of(r)
    assert ("R-T3-ROWSUM", "granted") not in flags
    assert ("R-T3-RESULT", "total") not in flags  # a blank leaf total skips the column sum
    _, stats = validate(r)
    assert stats["skip"] >= 2


def test_blank_component_counts_zero_and_downgrades_a_failure_to_warning():
    r = report(table4__review__upheld=None, table4__review__pending=2, table4__review__total=5)
    flag = flags_of(r)[("R-T4-SUM", "review")]
    assert flag["severity"] == "WARN" and flag["assumed_zero"]
    assert (flag["lhs"], flag["rhs"]) == (5, 2)


def test_missing_cells_are_a_structure_error_not_an_identity_error():
    r = report()
    r["cells"] = [c for c in r["cells"] if not c["code"].startswith("table3.partial.")]
    flags = flags_of(r)
    assert flags[("R-STRUCT", "table3")]["severity"] == "ERROR"
    assert not [k for k in flags if k[0] in ("R-T3-RESULT", "R-T3-ROWSUM")]


def test_negative_count_is_an_error_but_a_signed_change_is_not():
    r = report(table2__licensing__change=-3, table2__licensing__prev_items=5, table2__penalty__decisions=-1)
    flags = flags_of(r)
    assert ("R-NONNEG", "table2.penalty.decisions") in flags
    assert ("R-NONNEG", "table2.licensing.change") not in flags
    r = report(table2__licensing__change=-8, table2__licensing__prev_items=5)
    assert ("R-T2-ITEMS", "licensing") in flags_of(r)


def test_fee_written_in_yuan_is_warned_in_2021_format():
    r = report("f2021", table2__admin_fees__amount=0.5)
    for cell in r["cells"]:
        if cell["code"] == "table2.admin_fees.amount":
            cell["raw"] = "5000元"
    assert flags_of(r)[("R-FEEUNIT", "admin_fees")]["severity"] == "WARN"


def test_late_department_report_is_warned():
    r = report("f2021", table3__new_received__total=0)
    r.update(published="2022-02-15", agency_kind="department")
    assert flags_of(r)[("M-DEADLINE", "published")]["severity"] == "WARN"
    r.update(published="2022-03-15", agency_kind="government")
    assert ("M-DEADLINE", "published") not in flags_of(r)


def test_2021_labels_in_a_2020_report_are_flagged():
    r = report("f2021")
    r.update(year=2020, year_era="f2019")
    assert ("X-ERA", "f2021 labels in a 2020 report") in flags_of(r)


def test_narrative_count_disagreeing_with_the_table_is_only_a_warning():
    r = report(table3__new_received__natural_person=5, table3__new_received__total=5,
               table3__result_total__natural_person=5, table3__result_total__total=5,
               table3__granted__natural_person=5, table3__granted__total=5)
    r["facts"] = [{"fact": "new_received", "value": 9, "unit": "件", "section": "s1", "text": "共收到申请9件"}]
    flag = flags_of(r)[("N-NEW-RECEIVED", "new_received")]
    assert flag["severity"] == "WARN" and (flag["lhs"], flag["rhs"]) == (9, 5)


def test_a_report_without_any_table_is_noted_not_a_structure_error():
    r = report("f2021")
    for cell in r["cells"]:
        cell.update(value=None, semantic="missing", raw=None)
    flags = flags_of(r)
    assert flags[("R-NOTABLES", "tables")]["severity"] == "INFO"
    assert not [k for k in flags if k[0] == "R-STRUCT"]


def _missing(r, *codes):
    for cell in r["cells"]:
        if cell["code"] in codes:
            cell.update(value=None, raw=None, semantic="missing")
    return r


def test_a_result_total_break_is_proven_even_with_a_leaf_unread():
    # 7 granted + 5 partial already exceed the total of 10: whatever the unread leaf holds
    # (a count, never negative), the total cannot be the sum of the results.
    r = report(table3__granted__natural_person=7, table3__granted__total=7, table3__partial__natural_person=5,
               table3__partial__total=5, table3__result_total__natural_person=10, table3__result_total__total=10,
               table3__new_received__natural_person=10, table3__new_received__total=10)
    flag = flags_of(_missing(r, "table3.unable_not_held.natural_person"))[("R-T3-RESULT", "natural_person")]
    assert flag["severity"] == "ERROR" and (flag["lhs"], flag["rhs"]) == (10, 12)
    assert "table3.unable_not_held.natural_person" in flag["message"]


def test_an_identity_with_an_unread_cell_that_could_still_hold_is_not_judged():
    # 7 granted and a total of 10: the unread leaf may well hold the other 3.
    r = report(table3__granted__natural_person=7, table3__granted__total=7, table3__result_total__natural_person=10,
               table3__result_total__total=10, table3__new_received__natural_person=10, table3__new_received__total=10,
               table3__unable_not_held__natural_person=3, table3__unable_not_held__total=3)
    flags = flags_of(_missing(r, "table3.unable_not_held.natural_person"))
    assert ("R-T3-RESULT", "natural_person") not in flags
    assert ("R-STRUCT", "table3") in flags  # the unread cell is named


def test_a_broken_identity_of_a_scanned_report_is_a_reading_problem_naming_its_cells():
    r = report(table3__granted__natural_person=3, table3__granted__total=4,
               table3__result_total__natural_person=3, table3__result_total__total=4,
               table3__new_received__natural_person=3, table3__new_received__total=4)
    assert flags_of(r)[("R-T3-ROWSUM", "granted")]["severity"] == "ERROR"
    r["source_format"] = "pdf-ocr"
    flag = flags_of(r)[("R-T3-ROWSUM", "granted")]
    assert flag["severity"] == "WARN" and "read by OCR" in flag["message"]
    assert "table3.granted.total" in flag["message"] and "table3.granted.natural_person" in flag["message"]


def test_ocr_cells_in_a_broken_identity_lose_confidence():
    from extractors.rules import uncertain_cells

    r = report(table3__granted__natural_person=3, table3__granted__total=4,
               table3__result_total__natural_person=3, table3__result_total__total=4,
               table3__new_received__natural_person=3, table3__new_received__total=4)
    r["source_format"] = "image-ocr"
    flags, _ = validate(r)
    assert {"table3.granted.total", "table3.granted.natural_person"} <= uncertain_cells(flags)
