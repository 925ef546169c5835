"""The published archive in a real browser: Playwright driving Debian's headless Chromium.

Searches, facets, opens a report page, sees a flagged cell, downloads a snapshot, and leaves
screenshots of the main pages in build/screenshots/.
"""

import hashlib
import os

import pytest

from archive.db import open_db
from archive.snapshot import snapshot

from browser import SHOTS, chromium, needs_chromium, served
from conftest import SAMPLES
from site_client import write_samples

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    db_path = folder / "archive.db"
    db = open_db(str(db_path))
    write_samples(db, SAMPLES)
    db.conn.close()
    entry = snapshot(str(db_path), str(folder / "snapshots"))
    with served(db_path) as base:
        yield base, entry


@pytest.fixture(scope="module")
def page():
    with chromium() as browser:
        context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        yield context.new_page()


def test_search_box_finds_a_two_character_word_and_facets_narrow_it(site, page):
    base, _ = site
    page.goto(base + "/archive/reports")
    page.screenshot(path=os.path.join(SHOTS, "reports.png"), full_page=True)
    page.fill("input[name=_search]", "复议")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "2 rows where search matches" in page.content()
    page.fill("input[name=_search]", "静海公众信息网")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "1 row where search matches" in page.content()
    page.screenshot(path=os.path.join(SHOTS, "search.png"), full_page=True)
    page.goto(base + "/archive/reports")
    with page.expect_navigation():
        page.click(".facet-info[data-column=level] a:has-text('province')")
    assert "上海市人民政府办公厅" in page.content() and "天津市静海区人民政府办公室" not in page.content()
    page.screenshot(path=os.path.join(SHOTS, "facet.png"), full_page=True)


def test_report_page_shows_the_flagged_cell(site, page):
    base, _ = site
    page.goto(base + "/archive/reports?_search=静海公众信息网")
    with page.expect_navigation():
        page.click("a[href^='/-/report/']")
    assert "三、收到和处理政府信息公开申请情况" in page.content()
    cell = page.locator("td.flag-WARN")
    assert cell.count() >= 1
    assert "N-RESULT-TOTAL" in cell.first.get_attribute("title")
    assert cell.first.is_visible()
    page.screenshot(path=os.path.join(SHOTS, "report.png"), full_page=True)


def test_snapshot_downloads_with_its_checksum(site, page, tmp_path):
    base, entry = site
    page.goto(base + "/-/snapshots")
    page.screenshot(path=os.path.join(SHOTS, "snapshots.png"), full_page=True)
    with page.expect_download() as info:
        page.click(f"a[href='/-/snapshots/{entry['file']}']")
    target = tmp_path / entry["file"]
    info.value.save_as(target)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == entry["sha256"]


def test_charts_page_draws(site, page):
    base, _ = site
    page.goto(base + "/-/charts")
    assert page.locator("svg rect").count() >= 2
    page.screenshot(path=os.path.join(SHOTS, "charts.png"), full_page=True)
