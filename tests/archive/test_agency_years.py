"""Agencies and agency-years from two real crawls of a county portal whose agencies change:
before the last year's deadline, and after it with one report taken down and a column walled.

The expectations come from how the site was drawn (tests/farm/agencies_site.py), never from the
archive's own computation.
"""

import json
import os
import subprocess
import sys

import pytest
import sqlite_utils

from conftest import ROOT
from site_client import site_get
from farm.agencies_site import YEARS, site_agencies

SEEDS = (3, 11, 26)
FAST = ["--delay", "0", "--log-level", "WARNING", "-s", "DOWNLOAD_TIMEOUT=3", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
BEFORE, AFTER = "2024-01-15T09:00:00+00:00", "2024-04-15T09:00:00+00:00"


def crawl(site, db_path, now):
    script = os.path.join(os.path.dirname(sys.executable), "nianbao")
    env = dict(os.environ, NIANBAO_NOW=now)
    return subprocess.run([script, "crawl", "--start-url", site.base + "/", "--region-code", site.truth["code"],
                           "--db", str(db_path), *FAST], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


@pytest.fixture(scope="module", params=SEEDS)
def crawled(request, tmp_path_factory):
    """``(site, snapshot before, db after)``: one site crawled before and after the deadline."""
    site = site_agencies(request.param)
    site.start()
    try:
        db_path = tmp_path_factory.mktemp(f"agencies{request.param}") / "archive.db"
        first = crawl(site, db_path, BEFORE)
        assert first.returncode == 0, first.stderr[-3000:]
        before = {table: list(sqlite_utils.Database(db_path)[table].rows) for table in ("agency_years", "reports")}
        site.phase = "after"
        second = crawl(site, db_path, AFTER)
        assert second.returncode == 3, second.stderr[-3000:]  # the walled township column is incomplete
        yield site, before, sqlite_utils.Database(db_path)
    finally:
        site.stop()


def _url(site, report):
    return site.base + report.path


def _expected_id(site, report):
    return f"{site.truth['code']}:{report.unit}"


def test_every_report_is_linked_to_its_agency_in_the_county(crawled):
    site, _, db = crawled
    archived = {r["url"]: r for r in db["reports"].rows}
    for report in site.reports:
        if report.key == site.truth["broken"]:
            assert _url(site, report) not in archived
            continue
        row = archived[_url(site, report)]
        assert row["agency_id"] == _expected_id(site, report), (report.title, row["agency"])
        assert row["division_code"] == site.truth["code"]
    agencies = {a["agency_id"]: a for a in db["agencies"].rows}
    government = agencies[f"{site.truth['code']}:人民政府"]
    assert government["canonical_name"] == site.truth["county"] + "人民政府"
    assert government["kind"] == "government" and government["level"] == "county"
    for town in site.truth["towns"]:
        assert agencies[f"{site.truth['code']}:{town}"]["kind"] == "township"
        assert agencies[f"{site.truth['code']}:{town}"]["parent_id"] == government["agency_id"]


def test_the_office_publishing_for_its_government_is_one_series_with_it(crawled):
    site, _, db = crawled
    code = site.truth["code"]
    assert not list(db.query("SELECT * FROM agencies WHERE agency_id = ?", [f"{code}:人民政府办公室"]))
    years = {r["year"]: r["status"] for r in db.query("SELECT * FROM agency_years WHERE agency_id = ?", [f"{code}:人民政府"])}
    assert years == {year: "published" for year in YEARS}
    aliases = {a["name"] for a in db.query("SELECT name FROM agency_aliases WHERE agency_id = ?", [f"{code}:人民政府"])}
    assert site.truth["county"] + "人民政府办公室" in aliases


def test_a_renamed_agency_is_one_series_with_the_year_of_its_rename(crawled):
    site, _, db = crawled
    old_name, new_role, renamed_in, _ = site.truth["renamed"]
    agency_id = f"{site.truth['code']}:{new_role}"
    years = {r["year"]: r["status"] for r in db.query("SELECT * FROM agency_years WHERE agency_id = ?", [agency_id])}
    assert years == {year: "published" for year in YEARS}
    alias = next(db.query("SELECT * FROM agency_aliases WHERE agency_id = ? AND name = ?", [agency_id, old_name]))
    assert alias["renamed_in"] == renamed_in
    assert (alias["first_year"], alias["last_year"]) == ((YEARS[0], renamed_in - 1) if renamed_in > YEARS[0] else (None, None))


def test_a_correction_at_a_new_url_replaces_its_report_as_the_same_agency_year(crawled):
    site, _, db = crawled
    truth = site.truth["corrected"]
    by_key = {r.key: r for r in site.reports}
    original, correction = by_key[truth["original"]], by_key[truth["correction"]]
    ids = {r["url"]: r["report_id"] for r in db["reports"].rows}
    version = db["report_versions"].get(ids[_url(site, correction)])
    assert version["relation"] == "correction"
    assert version["replaces_id"] == ids[_url(site, original)]
    assert json.loads(version["changed"]) == {truth["code"]: [truth["before"], truth["after"]]}
    year = db["agency_years"].get((_expected_id(site, original), original.year))
    assert year["status"] == "published" and year["n_versions"] == 2
    assert year["current_report_id"] == ids[_url(site, correction)]
    current = {r["report_id"]: r["is_current"] for r in db["reports"].rows}
    assert current[ids[_url(site, correction)]] == 1 and current[ids[_url(site, original)]] == 0
    # The numbers stand once per agency-year: the corrected figure, not both.
    rows = list(db.query("SELECT new_received FROM report_numbers WHERE agency_id = ? AND year = ?",
                         [_expected_id(site, original), original.year]))
    assert rows == [{"new_received": truth["after"]}]


def test_before_the_deadline_the_last_year_is_not_yet_expected(crawled):
    _, before, _ = crawled
    assert before["agency_years"], "the first crawl computed no agency-years"
    assert {r["status"] for r in before["agency_years"]} == {"published"}
    assert not [r for r in before["agency_years"] if r["year"] == YEARS[-1]]


def test_missing_only_with_a_complete_listing_read_after_the_deadline_as_evidence(crawled):
    site, _, db = crawled
    code = site.truth["code"]
    statuses = {(r["agency_id"], r["year"]): r for r in db["agency_years"].rows}
    missing = statuses[(f"{code}:{site.truth['absent']['depts']}", YEARS[-1])]
    assert missing["status"] == "missing", missing
    listing = db["listings"].get(missing["evidence_listing_id"])
    assert listing["complete"] == 1 and listing["url"] == site.base + "/zwgk/depts/index.html"
    assert listing["listed_at"][:10] == AFTER[:10]
    assert db["captures"].get(missing["evidence_capture_id"])["url"] == listing["url"]
    # The township column lost a page to a fault: its gap is unknown, with the reason.
    town = statuses[(f"{code}:{site.truth['absent']['towns']}", YEARS[-1])]
    assert town["status"] == "unknown" and "incomplete" in town["reason"], town
    assert town["evidence_listing_id"] is None
    # A listed report whose page failed: the list holds it, so its year is unknown, not missing.
    broken = next(r for r in site.reports if r.key == site.truth["broken"])
    failed = statuses[(_expected_id(site, broken), broken.year)]
    assert failed["status"] == "unknown" and "not archived" in failed["reason"], failed
    # Nothing else is missing; the report taken down after the first crawl still stands.
    assert [k for k, r in statuses.items() if r["status"] == "missing"] == [(missing["agency_id"], YEARS[-1])]
    removed = next(r for r in site.reports if r.key == site.truth["removed"])
    assert statuses[(_expected_id(site, removed), removed.year)]["status"] == "published"


def test_on_time_is_judged_against_the_deadline_of_the_agency_kind(crawled):
    site, _, db = crawled
    statuses = {(r["agency_id"], r["year"]): r for r in db["agency_years"].rows}
    for report in site.reports:
        if report.corrects or report.key == site.truth["broken"]:
            continue
        row = statuses[(_expected_id(site, report), report.year)]
        government = report.unit == "人民政府" or report.column == "towns"
        deadline = f"{report.year + 1}-03-31" if government else f"{report.year + 1}-01-31"
        assert row["deadline"] == deadline
        assert row["on_time"] == int(report.published <= deadline), (report.title, report.published)


def _chart_rows(db_path):
    """The year-over-year table of ``/-/charts`` as served by a real Datasette."""
    from lxml import html as lxml_html

    page = site_get(db_path, "/-/charts").text
    tree = lxml_html.fromstring(page)
    rows = {}
    for tr in tree.xpath('//table[@id="year-over-year"]/tbody/tr'):
        cells = [td.text_content().strip() for td in tr.xpath("td")]
        rows[(tr.get("data-measure"), int(tr.get("data-year")))] = cells
    return page, rows


def test_charts_count_each_agency_year_once_and_compare_the_same_agencies(crawled):
    site, _, db = crawled
    # Independently of the archive's agencies and versions: the report that stands for each
    # (unit, year) is known from the site (a correction replaces its original; a report taken
    # down is still the year's report), and its figure is read from its stored cell.
    standing = {}
    for report in site.reports:
        if report.corrects or report.key == site.truth["broken"]:
            continue
        correction = next((r for r in site.reports if r.corrects == report.key), None)
        standing[(report.unit, report.year)] = correction or report
    ids = {r["url"]: r["report_id"] for r in db["reports"].rows}
    value = {}
    for (unit, year), report in standing.items():
        cell = db.execute("SELECT value FROM cells WHERE report_id = ? AND code = 'table3.new_received.total'",
                          [ids[_url(site, report)]]).fetchone()
        value[(unit, year)] = cell[0] if cell else None
    page, rows = _chart_rows(db.conn.execute("PRAGMA database_list").fetchone()[2])
    for year in YEARS[1:]:
        both = [unit for (unit, y) in value if y == year and value[(unit, y)] is not None
                and value.get((unit, year - 1)) is not None]
        before = sum(value[(u, year - 1)] for u in both)
        after = sum(value[(u, year)] for u in both)
        cells = rows[("new_received", year)]
        assert int(cells[2]) == len(both)
        assert (cells[3], cells[4]) == (str(before), str(after))
        assert cells[5] == f"{100 * (after - before) / before:+.1f}%"
        plain = [sum(v for (u, y), v in value.items() if y == yy and v is not None) for yy in (year - 1, year)]
        assert cells[6] == f"{plain[0]} → {plain[1]}"
    # Each year's bar says how many reports it sums: one per agency-year, corrections not doubled.
    from lxml import html as lxml_html

    counted = {int(tr.xpath("td")[0].text_content()): int(tr.xpath("td")[1].text_content())
               for tr in lxml_html.fromstring(page).xpath('//table[@id="requests-table"]/tbody/tr')}
    for year in YEARS:
        assert counted[year] == sum(1 for (_, y) in standing if y == year), year


def test_the_coverage_page_shows_each_agency_year_with_its_evidence(crawled):
    from lxml import html as lxml_html

    site, _, db = crawled
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    page = site_get(path, "/-/coverage")
    assert page.status_code == 200
    tree = lxml_html.fromstring(page.text)
    # Seven agencies (the government with its office, three departments, the renamed one, two
    # townships), each expected for every year: one missing, two unknown (a walled list, a
    # listed report whose page failed).
    units = 1 + len(site.truth["departments"]) + 1 + len(site.truth["towns"])
    figures = {name: int(tree.get_element_by_id(name).text) for name in ("expected", "published", "missing", "unknown")}
    assert figures == {"expected": units * len(YEARS), "published": units * len(YEARS) - 3, "missing": 1, "unknown": 2}
    code = site.truth["code"]
    row = tree.xpath(f'//tr[@data-agency="{code}:{site.truth["absent"]["depts"]}"]')[0]
    missing = row.xpath(f'td[@data-year="{YEARS[-1]}"]')[0]
    assert missing.get("data-status") == "missing"
    listing_link, capture_link = missing.xpath("a/@href")
    listing = site_get(path, listing_link + ".json?_shape=array").json()[0]
    assert listing["complete"] == 1 and listing["url"].endswith("/zwgk/depts/index.html")
    assert site_get(path, capture_link).status_code == 200
    town = tree.xpath(f'//tr[@data-agency="{code}:{site.truth["absent"]["towns"]}"]/td[@data-year="{YEARS[-1]}"]')[0]
    assert town.get("data-status") == "unknown" and "incomplete" in town.get("title")
    agency_link = row.xpath("td[1]/a/@href")[0]
    assert site_get(path, agency_link).status_code == 200
