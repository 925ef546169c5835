"""The site as a journalist uses it, in a real browser (Playwright driving Debian's headless
Chromium) on the demo archive, crawled from its imitation sites: the front door, search ranking,
the agency x year grid, the report page's table 三 headings, a flag's explanation, the archived
copy, a snapshot and a Parquet download, and the phone layout. Screenshots go to
build/screenshots/ (kept by CI as artefacts)."""

import hashlib
import os
import subprocess
import sys

import pytest

from archive.snapshot import snapshot
from farm import demo

from browser import SHOTS, chromium, needs_chromium, served
from conftest import ROOT, SAMPLES

pytestmark = needs_chromium
NIANBAO = os.path.join(os.path.dirname(sys.executable), "nianbao")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo-site")
    db_path = str(folder / "archive.db")
    assert demo.crawl(db_path) == 3
    assert subprocess.run([NIANBAO, "extract", SAMPLES, "--db", db_path, "--quiet"], cwd=ROOT).returncode == 0
    entry = snapshot(db_path, str(folder / "snapshots"))
    truth = {name: s.truth for name, s in demo.sites().items() if hasattr(s, "truth")}
    with served(db_path) as base:
        yield base, entry, truth, folder


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def shot(page, name):
    page.screenshot(path=os.path.join(SHOTS, f"site-{name}.png"), full_page=True)


def test_the_front_door_searches_and_ranks_the_agency_s_own_reports_first(site, page):
    base, _, truth, _ = site
    county = truth["county-1"]["county"]
    agency = county + truth["county-1"]["departments"][0]
    page.goto(base + "/")
    assert page.locator("form.front-search input[name=q]").is_visible()
    for door in ("/-/browse", "/-/coverage", "/-/charts", "/-/rules", "/-/snapshots"):
        assert page.locator(f'nav.doors a[href="{door}"]').is_visible(), door
    assert page.locator("#figures").inner_text().count("\n") >= 5
    shot(page, "front-door")
    page.fill("form.front-search input[name=q]", agency)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    results = page.locator("ol.results > li")
    assert results.count() >= 3
    first = results.nth(0)
    assert first.get_attribute("data-matched") == "agency" and agency in first.inner_text()
    assert page.locator("ol.results mark").first.inner_text() == agency
    shot(page, "search")


def test_browsing_by_place_ends_in_the_agency_year_grid_with_its_evidence(site, page):
    base, _, truth, _ = site
    province, city, county = "湖南省", "永州市", "湖南省永州市蓝山县"
    assert truth["county-1"]["county"].startswith(province) or truth["county-2"]["county"].startswith(province)
    page.goto(base + "/-/browse")
    page.click(f"#places a:text-is('{province}')")
    page.click(f"#places a:text-is('{city}')")
    page.click(f"#places a:text-is('{county}')")
    page.click("#grid-link")
    grid = page.locator("#grid")
    assert grid.locator("td.published").count() >= 10
    missing = grid.locator("td.missing")
    assert missing.count() >= 1 and missing.first.locator("a", has_text="list").count() == 1
    assert grid.locator("td.unknown").count() >= 1
    shot(page, "grid")


def _error_report(site):
    base, _, _, folder = site
    import sqlite_utils

    db = sqlite_utils.Database(folder / "archive.db")
    return next(db.query("SELECT r.report_id, r.capture_id, r.url FROM reports r JOIN flags f ON f.report_id = r.report_id "
                         "WHERE f.rule = 'R-T3-BALANCE' AND r.is_current = 1 LIMIT 1"))


def test_the_report_page_prints_table_3_as_the_form_and_explains_its_flags(site, page):
    base = site[0]
    report = _error_report(site)
    page.goto(f"{base}/-/report/{report['report_id']}")
    table3 = page.locator("#table3")
    results = table3.locator("th", has_text="三、本年度办理结果")
    assert results.get_attribute("rowspan") == "22"
    assert table3.locator("th", has_text="（三）不予公开").get_attribute("rowspan") == "8"
    assert table3.locator("th", has_text="（四）无法提供").get_attribute("rowspan") == "3"
    assert table3.locator("th", has_text="（五）不予处理").get_attribute("rowspan") == "5"
    assert table3.locator("th", has_text="（六）其他处理").get_attribute("rowspan") == "3"
    assert table3.locator("th:text-is('法人或其他组织')").get_attribute("colspan") == "5"
    # The row heading sits beside its numbers, as printed: 1.属于国家秘密 is in the row of the （三） group.
    row = table3.locator("tr", has=page.locator("th:text-is('1.属于国家秘密')"))
    assert row.locator("th").first.inner_text() == "（三）不予公开" and row.locator("td").count() == 7
    flagged = table3.locator("td.flag-ERROR")
    assert flagged.count() >= 1
    shot(page, "report")
    group = page.locator('.flag-group[data-rule="R-T3-BALANCE"]')
    assert "总计" in group.locator("td").first.inner_text()
    with page.expect_navigation():
        group.locator("a.rule-link").click()
    assert "6.1 Hard identities in table 三" in page.locator("pre.spec").inner_text()
    assert page.locator(f'a[href="/-/report/{report["report_id"]}#flags"]').count() == 1
    shot(page, "rule")


def test_the_archived_copy_shows_its_capture_and_downloads_the_original_bytes(site, page):
    base = site[0]
    report = _error_report(site)
    page.goto(f"{base}/-/report/{report['report_id']}")
    with page.expect_navigation():
        page.click("a:has-text('存档副本')")
    text = page.locator("table.meta").inner_text()
    assert report["url"] in text and "WARC" in text
    sha = page.locator("table.meta code").first.inner_text()
    assert page.locator("iframe.capture-view").get_attribute("sandbox") == ""
    assert "演示数据" in page.locator("pre.capture-text").inner_text()
    shot(page, "capture")
    with page.expect_download() as info:
        page.click("#download-body")
    path = info.value.path()
    assert hashlib.sha256(open(path, "rb").read()).hexdigest() == sha


def test_a_snapshot_and_a_parquet_file_download_with_their_checksums(site, page, tmp_path):
    import pyarrow.parquet as pq

    base, entry, _, _ = site
    page.goto(base + "/-/snapshots")
    shot(page, "snapshots")
    with page.expect_download() as info:
        page.click("#latest-db")
    target = tmp_path / "latest.db"
    info.value.save_as(target)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == entry["sha256"]
    cells = next(p for p in entry["parquet"] if p["table"] == "report_numbers")
    with page.expect_download() as info:
        page.click("a.parquet:has-text('latest-report_numbers.parquet')")
    parquet = tmp_path / "numbers.parquet"
    info.value.save_as(parquet)
    assert hashlib.sha256(parquet.read_bytes()).hexdigest() == cells["sha256"]
    assert pq.read_table(parquet).num_rows == cells["rows"]


def test_on_a_phone_the_page_fits_and_the_tables_scroll_inside_their_box(site, browser):
    base = site[0]
    report = _error_report(site)
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{base}/-/report/{report['report_id']}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, overflow
        box = page.evaluate("(() => { const b = document.querySelector('#table3').parentElement;"
                            " return [b.scrollWidth, b.clientWidth, getComputedStyle(b).overflowX]; })()")
        assert box[0] > box[1] and box[2] == "auto", box
        shot(page, "report-phone")
        page.goto(base + "/")
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
        shot(page, "front-door-phone")
    finally:
        context.close()
