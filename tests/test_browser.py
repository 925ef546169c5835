"""The published archive in a real browser: Playwright driving Debian's headless Chromium.

Searches, facets, opens a report page, sees a flagged cell, downloads a snapshot, and leaves
screenshots of the main pages in build/screenshots/.
"""

import hashlib
import os
import shutil
import subprocess
import sys

import pytest

from archive.db import open_db
from extractors.process import process
from archive.snapshot import snapshot

from conftest import ROOT, SAMPLES, free_port, wait_for_http

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"), reason="Chromium is installed by .ci/run")
SHOTS = os.path.join(ROOT, "build", "screenshots")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    db_path = folder / "archive.db"
    db = open_db(str(db_path))
    for name in ("jinghai-2019.txt", "shanghai-office-2019.html"):
        with open(os.path.join(SAMPLES, name), "rb") as f:
            db.write_report(process(f.read()))
    db.conn.close()
    entry = snapshot(str(db_path), str(folder / "snapshots"))
    port = free_port()
    nianbao = os.path.join(os.path.dirname(sys.executable), "nianbao")
    server = subprocess.Popen([nianbao, "serve", "--db", str(db_path), "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_for_http(base + "/-/versions.json")
    yield base, entry
    server.terminate()
    server.wait(10)


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright

    os.makedirs(SHOTS, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        yield context.new_page()
        browser.close()


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
