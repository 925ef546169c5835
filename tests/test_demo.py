"""The bundled demo tells the truth: its years chain, so the only flags are the planted
problems, and each planted problem is there: an identity break that stands, a correction as a
second version, a walled source, a missing agency-year with its evidence; every synthetic report
says so; the summary fits on a screen."""

import json
import os
import subprocess
import sys

import pytest
import sqlite_utils

from farm import demo

from conftest import ROOT, SAMPLES

NIANBAO = os.path.join(os.path.dirname(sys.executable), "nianbao")
SCREEN = 60  # lines


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    db_path = str(tmp_path_factory.mktemp("demo") / "archive.db")
    assert demo.crawl(db_path) == 3  # incomplete, as planted: a walled township page, a failing report page
    truth = {name: site.truth for name, site in demo.sites().items() if hasattr(site, "truth")}
    return db_path, truth, sqlite_utils.Database(db_path)


def test_the_only_errors_are_the_planted_identity_breaks(built):
    db_path, truth, db = built
    errors = {r["agency"] + " " + str(r["year"]): r["is_current"] for r in db.query(
        "SELECT DISTINCT r.agency, r.year, r.is_current FROM flags f JOIN reports r ON r.report_id = f.report_id "
        "WHERE f.severity = 'ERROR'")}
    sites = demo.sites()
    expected = {}
    for name, site in sites.items():
        if not hasattr(site, "truth"):
            continue
        keys = [site.truth["corrected"]["original"]] + ([site.truth["identity_break"]] if site.truth["identity_break"] else [])
        for key in keys:
            report = next(r for r in site.reports if r.key == key)
            standing = key == site.truth["identity_break"]
            expected[f"{site.truth['county']}{report.unit} {report.year}"] = 1 if standing else 0
    assert errors == expected
    assert sum(errors.values()) == 1  # one break stands; the others were corrected
    rules = {r["rule"] for r in db.query("SELECT DISTINCT rule FROM flags WHERE severity = 'ERROR'")}
    assert rules == {"R-T3-BALANCE", "R-T3-ROWSUM"}


def test_the_years_chain_so_no_check_across_years_fires(built):
    _, _, db = built
    across = list(db.query("SELECT rule, count(*) AS n FROM flags WHERE rule IN ('X-T3-CARRY', 'X-T2-STOCK', 'X-DUP', "
                           "'R-T2-RULEMAKING') GROUP BY rule"))
    assert across == []
    # The carry-over really chains (not merely unflagged): read from the cells.
    pairs = list(db.query(
        "SELECT a.value AS forward, b.value AS over FROM reports ra JOIN reports rb ON rb.agency_id = ra.agency_id "
        "AND rb.year = ra.year + 1 AND coalesce(ra.is_current, 1) = 1 AND coalesce(rb.is_current, 1) = 1 "
        "JOIN cells a ON a.report_id = ra.report_id AND a.code = 'table3.carried_forward.total' "
        "JOIN cells b ON b.report_id = rb.report_id AND b.code = 'table3.carried_over.total'"))
    assert len(pairs) >= 20 and all((p["forward"] or 0) == (p["over"] or 0) for p in pairs)  # a zero may be printed blank


def test_a_correction_is_a_second_version_that_stands(built):
    _, truth, db = built
    corrections = list(db.query("SELECT v.*, r.is_current FROM report_versions v JOIN reports r ON r.report_id = v.report_id "
                                "WHERE v.relation = 'correction'"))
    assert len(corrections) == len(truth) and all(c["is_current"] == 1 and c["n_changed"] >= 1 for c in corrections)


def test_the_walled_source_is_recorded_as_walled(built):
    _, _, db = built
    walled = list(db.query("SELECT outcome, detail FROM captures WHERE outcome = 'blocked'"))
    assert walled and all("ruishu" in (w["detail"] or "").lower() or "瑞数" in (w["detail"] or "") for w in walled)


def test_missing_agency_years_have_their_evidence_and_walled_ones_are_unknown(built):
    _, truth, db = built
    missing = list(db.query("SELECT y.*, g.canonical_name FROM agency_years y JOIN agencies g ON g.agency_id = y.agency_id "
                            "WHERE y.status = 'missing'"))
    assert sorted(m["canonical_name"] for m in missing) == sorted(t["county"] + t["absent"]["depts"] for t in truth.values())
    assert all(m["evidence_listing_id"] and m["evidence_capture_id"] for m in missing)
    unknown = {r["canonical_name"] for r in db.query(
        "SELECT g.canonical_name FROM agency_years y JOIN agencies g ON g.agency_id = y.agency_id WHERE y.status = 'unknown'")}
    assert {t["county"] + t["absent"]["towns"] for t in truth.values()} <= unknown


def test_every_synthetic_report_says_so(built):
    _, _, db = built
    texts = list(db.query("SELECT r.title, t.text FROM reports r JOIN texts t ON t.report_id = r.report_id"))
    assert texts and all("演示数据" in t["text"] and "Synthetic demo data" in t["text"] for t in texts)


def test_the_demo_summary_fits_on_a_screen(built, tmp_path):
    db_path, _, _ = built
    assert subprocess.run([NIANBAO, "extract", SAMPLES, "--db", db_path, "--quiet"], cwd=ROOT).returncode == 0
    summary = subprocess.run([NIANBAO, "summary", "--db", db_path], capture_output=True, text=True, cwd=ROOT)
    assert summary.returncode == 0 and len(summary.stdout.splitlines()) <= SCREEN, summary.stdout
    facts = json.loads(subprocess.run([NIANBAO, "summary", "--db", db_path, "--json"], capture_output=True, text=True).stdout)
    assert facts["flags"].get("ERROR", 0) >= 2 and facts["coverage"]["missing"] >= 2
