"""Hand-written documents of forms the real samples lack, against values written down here."""

import json
import os

import pytest

from extractors.process import process

from conftest import ROOT

FIXTURES = os.path.join(ROOT, "tests", "fixtures")
with open(os.path.join(FIXTURES, "expected.json"), encoding="utf-8") as f:
    EXPECTED = json.load(f)
RANK = {"INFO": 0, "WARN": 1, "ERROR": 2}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_reads_as_written_down(name):
    expected = EXPECTED[name]
    with open(os.path.join(FIXTURES, name), "rb") as f:
        report = process(f.read(), source=name)
    for key in ("year", "era", "agency", "stat_start", "stat_end"):
        if key in expected:
            assert report[key] == expected[key], key
    cells = {c["code"]: c for c in report["cells"]}
    for code, want in expected["cells"].items():
        assert code in cells, code
        assert cells[code]["value"] == want[0], code
        if len(want) > 1 and want[1]:
            assert cells[code]["period"] == want[1], code
    for code in expected.get("absent", []):
        assert code not in cells, code
    raised = {f["rule"] for f in report["flags"]} | {f"{f['rule']}:{f['scope']}" for f in report["flags"]}
    for name_ in expected["flags"]["must"]:
        assert name_ in raised
    for name_ in expected["flags"]["must_not"]:
        assert name_ not in raised, [f["message"] for f in report["flags"]]
    worst = max((RANK[f["severity"]] for f in report["flags"]), default=-1)
    assert worst <= RANK[expected["flags"]["max_severity"]]
    assert len(report["issues"]) == expected["issues"], report["issues"]


def _pdf_text_report(row):
    return ("某县2021年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n" + row + "\n").encode("utf-8")


def test_a_number_cut_into_two_cells_is_joined_when_the_row_total_proves_it():
    report = process(_pdf_text_report("一、本年新收政府信息公开申请数量 12 34 5 0 0 0 0 1239"))
    cells = {c["code"]: c["value"] for c in report["cells"]}
    assert (cells["table3.new_received.natural_person"], cells["table3.new_received.org_business"]) == (1234, 5)
    repairs = [f for f in report["flags"] if f["rule"] == "R-REPAIR"]
    assert [f["scope"] for f in repairs] == ["table3.new_received.natural_person"] and repairs[0]["severity"] == "INFO"


def test_a_cut_number_is_left_alone_when_no_single_join_is_proved():
    report = process(_pdf_text_report("一、本年新收政府信息公开申请数量 0 1 0 1 0 0 0 2"))  # several joins would fit
    assert not [f for f in report["flags"] if f["rule"] == "R-REPAIR"]
    assert report["issues"] and report["issues"][0]["kind"] == "short_row"
