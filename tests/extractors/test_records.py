"""extractors.records: typed records that still read as mappings."""

import json

import pytest

from extractors.records import Cell, Flag, Report


def test_a_record_reads_and_writes_as_a_mapping_and_as_attributes():
    cell = Cell("table3.granted.total", 3, "3", "number", "件")
    assert cell["value"] == cell.value == 3 and cell.get("page") is None and cell.get("nope", 7) == 7
    cell["confidence"] = 0.5
    assert cell.confidence == 0.5 and "confidence" in cell and "nope" not in cell


def test_a_record_refuses_a_field_it_does_not_have():
    with pytest.raises(KeyError):
        Report()["no_such_field"] = 1
    with pytest.raises(KeyError):
        Report()["no_such_field"]


def test_a_report_becomes_plain_json_with_its_records():
    report = Report(title="某县2023年政府信息公开工作年度报告", year=2023, cells=[Cell("table3.granted.total", 0, "0", "zero")],
                    flags=[Flag("R-T3-BALANCE", "ERROR", "total", "message", ["a"], 1, 2, -1)])
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert data["cells"][0]["semantic"] == "zero" and data["flags"][0]["delta"] == -1
    assert dict(report)["year"] == 2023


def test_replaced_makes_a_new_record_and_leaves_the_old():
    report = Report(title="a", year=2021)
    other = report.replaced(year=2022)
    assert (report.year, other.year, other.title) == (2021, 2022, "a")
