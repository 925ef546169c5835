"""Every bundled sample against the values a person wrote down by reading it."""

import json
import os

import pytest

from extractors.process import process
from extractors import spec

from conftest import GOLDEN, SAMPLES

SAMPLE_FILES = sorted(f for f in os.listdir(SAMPLES) if not f.upper().startswith("README"))
SEVERITY_RANK = {"INFO": 0, "WARN": 1, "ERROR": 2}


def golden_path(sample):
    return os.path.join(GOLDEN, os.path.splitext(sample)[0] + ".json")


def expected_cells(golden, era):
    """Expand the compact golden notation into ``{code: (value, semantic, raw)}``."""
    out = {}

    def put(code, item):
        if item is None:
            out[code] = (None, "blank", None)
        elif isinstance(item, str):
            out[code] = (golden["values"][code][0], "number", item)
        else:
            out[code] = (item, "zero" if item == 0 else "number", None)

    for row, items in golden["table2"].items():
        columns = spec.T2_ROW_BY_CODE[row].columns[era]
        assert len(columns) == len(items), row
        for col, item in zip(columns, items):
            put(f"table2.{row}.{col}", item)
    for row, items in golden["table3"].items():
        assert len(items) == 7, row
        for col, item in zip(spec.T3_COLUMNS, items):
            put(f"table3.{row}.{col}", item)
    for code, item in zip(spec.T4_CODES, golden["table4"]):
        put(code, item)
    return out


@pytest.mark.parametrize("sample", SAMPLE_FILES)
def test_sample_has_a_reviewed_golden_file(sample):
    assert os.path.exists(golden_path(sample)), f"no golden file for {sample}: write one by reading the report"


@pytest.fixture(scope="module")
def results():
    out = {}
    for sample in SAMPLE_FILES:
        with open(os.path.join(SAMPLES, sample), "rb") as f:
            out[sample] = process(f.read(), source=sample)
    return out


def _golden(sample):
    path = golden_path(sample)
    if not os.path.exists(path):
        pytest.fail(f"no golden file for {sample}")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@pytest.mark.parametrize("sample", SAMPLE_FILES)
def test_metadata_matches_golden(sample, results):
    golden, report = _golden(sample), results[sample]
    for key in ("title", "agency", "year", "narrative_year", "era", "published", "stat_start", "stat_end", "level"):
        if key in golden:
            assert report[key] == golden[key], key


@pytest.mark.parametrize("sample", SAMPLE_FILES)
def test_every_cell_matches_golden(sample, results):
    golden, report = _golden(sample), results[sample]
    expected = expected_cells(golden, golden["era"])
    assert len(expected) == len(spec.expected_codes(golden["era"]))
    got = {c["code"]: c for c in report["cells"]}
    wrong = []
    for code, (value, semantic, raw) in expected.items():
        cell = got.get(code)
        if cell is None or cell["value"] != value or cell["semantic"] != semantic or (raw and cell["raw"] != raw):
            wrong.append((code, (value, semantic, raw), cell and (cell["value"], cell["semantic"], cell["raw"])))
    assert not wrong, wrong
    for code, (value, unit) in golden.get("values", {}).items():
        assert (got[code]["value"], got[code]["unit"]) == (value, unit)


@pytest.mark.parametrize("sample", SAMPLE_FILES)
def test_cells_keep_where_they_were_found(sample, results):
    golden, report = _golden(sample), results[sample]
    got = {c["code"]: c for c in report["cells"]}
    for code, where in golden["provenance"].items():
        for key, value in where.items():
            assert got[code][key] == value, (code, key)


@pytest.mark.parametrize("sample", SAMPLE_FILES)
def test_narrative_facts_match_golden(sample, results):
    golden, report = _golden(sample), results[sample]
    facts = {(f["fact"], f["value"]) for f in report["facts"]}
    for fact, value in golden["facts"]:
        assert (fact, value) in facts


@pytest.mark.parametrize("sample", SAMPLE_FILES)
def test_flags_match_golden(sample, results):
    golden, report = _golden(sample), results[sample]
    raised = {f["rule"] for f in report["flags"]} | {f"{f['rule']}:{f['scope']}" for f in report["flags"]}
    for name in golden["flags"]["must"]:
        assert name in raised, f"{name} not raised"
    for name in golden["flags"]["must_not"]:
        assert name not in raised, f"{name} raised: {[f['message'] for f in report['flags'] if f['rule'] == name]}"
    worst = max((SEVERITY_RANK[f["severity"]] for f in report["flags"]), default=-1)
    assert worst <= SEVERITY_RANK[golden["flags"]["max_severity"]], report["flags"]
