"""The rendered fallback in a real headless Chromium: a portal whose list, pager and report pages
exist only through its own script is crawled whole, every request the browser made is captured,
and sites that need no rendering never start the browser."""

import hashlib
import os
import shutil
import subprocess
import sys

import pytest
import sqlite_utils
from warcio.archiveiterator import ArchiveIterator

from conftest import ROOT
from farm import lists as farm_lists
from farm import start_farm, stop_farm

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"), reason="Debian's chromium is installed by .ci/run")
FAST = ["--delay", "0", "--log-level", "WARNING", "-s", "DOWNLOAD_TIMEOUT=10", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def _crawl(urls, db_path):
    script = os.path.join(os.path.dirname(sys.executable), "nianbao")
    return subprocess.run([script, "crawl", *[a for u in urls for a in ("--start-url", u)], "--db", str(db_path), *FAST],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module", params=[(True, False), (False, False), (False, True)],
                ids=["answers-name-urls", "pager-clicked", "column-is-a-route"])
def portal(request, tmp_path_factory):
    # With record URLs in the list answers, further pages are asked for by the page's own request;
    # without, the rendered pager is clicked through; a routed portal shows its 年报 column only
    # at #/column/…, linked from a menu the home page draws.
    with_urls, routed = request.param
    site = farm_lists.spa_site(31, with_urls=with_urls, routed=routed)
    site.start(0)
    farm_lists.finish(site)
    db_path = tmp_path_factory.mktemp("spa") / "archive.db"
    try:
        result = _crawl([site.base + "/"], db_path)
    finally:
        site.stop()
    assert result.returncode == 0, result.stderr[-3000:]
    return site, sqlite_utils.Database(db_path)


def test_a_script_only_portal_is_crawled_whole(portal):
    site, db = portal
    rows = {r["url"]: r for r in db.query("SELECT url, year, n_values FROM reports")}
    assert set(rows) == {r["url"] for r in site.manifest.reports}
    for report in site.manifest.reports:
        assert rows[report["url"]]["year"] == report["year"]
        assert rows[report["url"]]["n_values"] > 0 or report["year"] < 2019  # the numbers came from the rendered page
    listing = next(db.query("SELECT * FROM listings WHERE url = ?", [site.expected_lists[0]["url"]]))
    assert (listing["mechanism"], listing["announced"], listing["found"], listing["complete"]) == \
        ("rendered", len(site.entries), len(site.entries), 1)


def test_every_request_of_the_browser_is_captured_in_the_warc(portal):
    site, db = portal
    browser = list(db.query("SELECT url, sha256, warc_file, warc_offset FROM captures WHERE kind = 'browser'"))
    paths = {r["url"].split(site.base, 1)[1].split("?")[0] for r in browser}
    assert {"/", "/static/app.js", "/api/v2/article"} <= paths
    assert any("/articles" in p for p in paths)
    rendered = list(db.query("SELECT url FROM captures WHERE kind = 'rendered'"))
    assert {site.base + "/"} <= {r["url"] for r in rendered}
    warc_dir = os.path.join(os.path.dirname(db.conn.execute("PRAGMA database_list").fetchone()[2]), "warc")
    for capture in browser:
        with open(os.path.join(warc_dir, capture["warc_file"]), "rb") as f:
            f.seek(capture["warc_offset"])
            record = next(iter(ArchiveIterator(f)))
            assert hashlib.sha256(record.content_stream().read()).hexdigest() == capture["sha256"]


def test_sites_that_need_no_rendering_never_render(tmp_path):
    sites = start_farm(["a1", "a3", "a6", "a8", "a9"])
    try:
        result = _crawl([s.base + "/" for s in sites.values()], tmp_path / "archive.db")
    finally:
        stop_farm(sites)
    assert result.returncode == 0, result.stderr[-2000:]
    db = sqlite_utils.Database(tmp_path / "archive.db")
    assert not list(db.query("SELECT url, kind FROM captures WHERE kind IN ('rendered', 'browser')"))
    assert "rendered fallback" not in " ".join(r["detail"] or "" for r in db.query("SELECT detail FROM listings"))
