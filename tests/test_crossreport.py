"""Checks across reports (SPEC §6.5) on a small archive of generated consecutive-year reports."""

import copy
import random

import sqlite_utils

import reportgen
from archive.crossreport import run_cross_checks
from archive.db import open_db
from extractors.process import process

COLUMNS = reportgen.T3_COLS[:-1]


def _rebalance(values):
    """Keep table 三 consistent after its carried-over row was changed."""
    for column in COLUMNS:
        over, result = values[f"table3.carried_over.{column}"], values[f"table3.result_total.{column}"]
        forward = values[f"table3.carried_forward.{column}"]
        if result + forward < over:
            forward = values[f"table3.carried_forward.{column}"] = over - result
        values[f"table3.new_received.{column}"] = result + forward - over
    for row in ("new_received", "carried_over", "carried_forward"):
        values[f"table3.{row}.total"] = sum(values[f"table3.{row}.{c}"] for c in COLUMNS)


def _html(report):
    style = reportgen.Style()
    return reportgen.render_html(report, style, random.Random(0))[0]


def _archive(tmp_path, reports):
    db = open_db(str(tmp_path / "archive.db"))
    for report in reports:
        db.write_report(process(_html(report)))
    return db


def test_carry_over_breaks_duplicates_and_stock(tmp_path):
    rng = random.Random(7)
    a2021 = reportgen.generate(rng, "f2021")
    a2021.agency, a2021.year = "浙江省杭州市西湖区财政局", 2021
    a2022 = reportgen.generate(rng, "f2021")
    a2022.agency, a2022.year = a2021.agency, 2022
    for column in COLUMNS:
        a2022.values[f"table3.carried_over.{column}"] = a2021.values[f"table3.carried_forward.{column}"]
    a2022.values["table3.carried_over.natural_person"] += 1  # the one break
    _rebalance(a2022.values)
    for row in ("regulations", "normative_docs"):
        v = a2022.values
        v[f"table2.{row}.valid"] = a2021.values[f"table2.{row}.valid"] + v[f"table2.{row}.made"] - v[f"table2.{row}.repealed"]
    b2021 = reportgen.generate(rng, "f2021")
    b2021.agency, b2021.year = "浙江省杭州市西湖区审计局", 2021
    b2022 = copy.deepcopy(b2021)
    b2022.year = 2022
    db = _archive(tmp_path, [a2021, a2022, b2021, b2022])
    assert run_cross_checks(db) > 0
    flags = list(db.query("SELECT r.agency, r.year, f.rule, f.scope, f.lhs, f.rhs FROM flags f JOIN reports r USING (report_id) "
                          "WHERE f.rule LIKE 'X-%'"))
    a = [f for f in flags if f["agency"] == a2021.agency]
    assert sorted(f["scope"] for f in a if f["rule"] == "X-T3-CARRY") == ["natural_person", "total"]
    assert all(f["year"] == 2022 for f in a)
    assert not [f for f in a if f["rule"] in ("X-DUP", "X-T2-STOCK")]
    assert [f["rule"] for f in flags if f["agency"] == b2021.agency and f["rule"] == "X-DUP"] == ["X-DUP"]
    # running again replaces, not adds
    again = run_cross_checks(db)
    assert len(list(db.query("SELECT 1 FROM flags WHERE rule LIKE 'X-%' AND rule != 'X-ERA'"))) == again
    counts = sqlite_utils.Database(db.conn)["reports"].rows_where("agency = ? AND year = 2022", [a2021.agency])
    assert next(counts)["n_warnings"] >= 2
