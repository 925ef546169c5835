"""Budgets, not depth: a long list is read to its end, a list or site past its budget stops with
the budget named, and an absurd announced total queues no flood of requests."""

import os
import subprocess
import sys

import sqlite_utils

from conftest import ROOT
from farm import lists as farm_lists
from farm.server import Site, html
from farm.sites import page

FAST = ["--delay", "0", "--log-level", "WARNING", "-s", "DOWNLOAD_TIMEOUT=5", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def _crawl(site, db_path, *settings):
    script = os.path.join(os.path.dirname(sys.executable), "nianbao")
    return subprocess.run([script, "crawl", "--start-url", site.base + "/", "--db", str(db_path), *FAST, *settings],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def _long_list(announce):
    site = farm_lists.pager_links_site(77, template="list_{n}.html", pager="next", announce=announce, per=10, n=260)
    site.start(0)
    farm_lists.finish(site)
    return site


def test_a_list_paged_by_next_links_is_read_past_any_depth(tmp_path):
    # 26 pages chained by 下一页: Scrapy's DEPTH_LIMIT of 12 used to end it at page 11.
    site = _long_list(announce=True)
    try:
        result = _crawl(site, tmp_path / "a.db")
    finally:
        site.stop()
    assert result.returncode == 0, result.stderr[-2000:]
    db = sqlite_utils.Database(tmp_path / "a.db")
    row = next(db.query("SELECT * FROM listings"))
    assert (row["found"], row["pages_announced"], row["pages_fetched"], row["complete"]) == (260, 26, 26, 1), row
    assert {r["url"] for r in db.query("SELECT url FROM reports")} == {r["url"] for r in site.manifest.reports}
    assert max(site.entries.index(e) for e in site.entries if e.kind == "report") > 120  # reports far down the list


def test_a_list_longer_than_its_page_budget_stops_short_and_names_the_budget(tmp_path):
    site = _long_list(announce=True)
    try:
        result = _crawl(site, tmp_path / "b.db", "-s", "NIANBAO_LIST_PAGES=5")
    finally:
        site.stop()
    assert result.returncode == 3, result.stderr[-2000:]
    row = next(sqlite_utils.Database(tmp_path / "b.db").query("SELECT * FROM listings"))
    assert row["complete"] == 0 and row["pages_fetched"] == 6 and "list page budget of 5" in row["detail"]
    assert len(site.hits(lambda method, path: path.startswith("/gknb/list"))) == 6  # the first page and 5 more
    assert "incomplete: " in result.stderr and "list page budget" in result.stderr


def test_a_site_past_its_request_budget_is_refused_and_the_list_says_so(tmp_path):
    site = _long_list(announce=True)
    try:
        result = _crawl(site, tmp_path / "c.db", "-s", "NIANBAO_SITE_REQUESTS=8", "-s", "ROBOTSTXT_OBEY=False")
    finally:
        site.stop()
    assert result.returncode == 3, result.stderr[-2000:]
    db = sqlite_utils.Database(tmp_path / "c.db")
    assert len(site.hits()) == 8
    row = next(db.query("SELECT * FROM listings"))
    assert row["complete"] == 0 and "site request budget of 8" in row["detail"]
    refused = list(db.query("SELECT detail FROM captures WHERE outcome = 'refused'"))
    assert refused and "NIANBAO_SITE_REQUESTS" in refused[0]["detail"]


def test_an_absurd_announced_total_is_recorded_as_implausible_without_a_flood_of_requests(tmp_path):
    column = page("政府信息公开年报", '<ul class="list"><li><a href="./202401/t20240120_1.html" title="某县2023年政府信息公开工作年度报告">'
                  "某县2023年政府信息公开工作年度报告</a><span>2024-01-20</span></li></ul>"
                  '<script>createPageHTML(100000000, 90000000, 0, "index", "html");</script>', meta={"ColumnName": "政府信息公开年报"})
    routes = {"/": page("某县", '<a href="/gknb/index.html">政府信息公开年报</a>'), "/gknb/index.html": column}
    site = Site("absurd", lambda request: html(routes.get(request.path, "<html><body>404</body></html>"),
                                              200 if request.path in routes else 404))
    site.start(0)
    try:
        result = _crawl(site, tmp_path / "d.db", "-s", "NIANBAO_LIST_PAGES=20")
    finally:
        site.stop()
    assert result.returncode == 3, result.stderr[-2000:]
    row = next(sqlite_utils.Database(tmp_path / "d.db").query("SELECT * FROM listings"))
    assert row["announced"] == 100_000_000 and row["pages_announced"] == 90_000_000 and row["complete"] == 0
    assert "implausible" in row["detail"]
    assert len(site.hits(lambda method, path: path.startswith("/gknb/index_"))) <= 20
