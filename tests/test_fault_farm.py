"""The fault farm (issue 14): hostile HTTP behaviours served on 127.0.0.1. Every crawl of them
ends within its time, memory and disk bounds, records each failure with its reason, keeps the
bytes it was given, archives the genuine report beside them and exits 3, naming what it did not get.
"""

import os
import subprocess
import sys
import threading
import time

import sqlite_utils
from warcio.archiveiterator import ArchiveIterator

from conftest import ROOT
from farm import faults

FAST = ["--delay", "0", "--log-level", "WARNING", "-s", "DOWNLOAD_TIMEOUT=4", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
MAX_SECONDS, MAX_RSS_MB, MAX_DISK_MB = 150, 1500, 20


def bounded_crawl(site, tmp_path, name, *settings):
    """Crawl ``site`` in a child process, killed past the time bound; the result carries its
    seconds, its peak RSS in MB (its extraction workers included) and the disk it used in MB."""
    script = os.path.join(os.path.dirname(sys.executable), "nianbao")
    db_path = tmp_path / f"{name}.db"
    out, err = tmp_path / f"{name}.out", tmp_path / f"{name}.err"
    started = time.monotonic()
    with open(out, "w") as stdout, open(err, "w") as stderr:
        child = subprocess.Popen([script, "crawl", "--start-url", site.base + "/", "--db", str(db_path), *FAST, *settings],
                                 stdout=stdout, stderr=stderr, cwd=ROOT)
    watchdog = threading.Timer(MAX_SECONDS * 2, child.kill)
    watchdog.start()
    _, status, usage = os.wait4(child.pid, 0)  # the rusage of this child and the workers it reaped
    watchdog.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    result = subprocess.CompletedProcess(child.args, child.returncode, out.read_text(), err.read_text())
    result.seconds = time.monotonic() - started
    result.rss_mb = usage.ru_maxrss / 1024
    result.disk_mb = sum(f.stat().st_size for f in tmp_path.rglob("*") if f.is_file() and f.suffix not in (".out", ".err")) / 1e6
    result.db = sqlite_utils.Database(db_path)
    assert result.seconds < MAX_SECONDS and result.rss_mb < MAX_RSS_MB, (site.name, result.seconds, result.rss_mb)
    return result


def final_capture(db, base, path):
    """The last capture of a URL: the outcome its request ended in."""
    rows = list(db.query("SELECT * FROM captures WHERE url = ? ORDER BY capture_id DESC LIMIT 1", [base + path]))
    assert rows, f"no capture of {path}"
    return rows[0]


def test_hostile_answers_are_recorded_with_their_reason_and_the_good_report_is_archived(tmp_path):
    site = faults.HostileSite().start(0)
    faults.bomb_bytes()  # built before the clock starts
    try:
        result = bounded_crawl(site, tmp_path, "first")
    finally:
        site.stop()
    assert result.disk_mb < MAX_DISK_MB, result.disk_mb
    assert result.returncode == 3, result.stderr[-3000:]
    db, base = result.db, site.base
    expected = {  # path: (outcome, words its reason must hold)
        "/art/bomb.html": ("discarded", "DOWNLOAD_MAXSIZE"),
        "/art/endless.html": ("too_large", "DOWNLOAD_MAXSIZE"),
        "/art/huge.html": ("too_large", "1000000000000"),
        "/art/short.html": ("truncated", "Content-Length"),
        "/art/reset.html": ("error", "Connection"),
        "/art/loop.html": ("discarded", "REDIRECT_MAX_TIMES"),
        "/art/trickle.html": ("timeout", "no answer in time"),
    }
    for path, (outcome, words) in expected.items():
        capture = final_capture(db, base, path)
        assert capture["outcome"] == outcome and words in capture["detail"], (path, capture["outcome"], capture["detail"])
        assert f"not got: {base}{path}: {outcome}" in result.stderr, path
    assert f"incomplete: {len(expected)} start pages, report pages or files" in result.stderr
    # No capture claims a usable answer that was thrown away.
    ok = {r["url"] for r in db.query("SELECT url FROM captures WHERE outcome = 'ok' AND status = 200")}
    assert ok == {base + "/", base + "/robots.txt", base + "/art/good.html"}, ok
    # The truncated body is kept in the WARC file as evidence: 2/5 of the page, as sent.
    short = final_capture(db, base, "/art/short.html")
    with open(tmp_path / "warc" / short["warc_file"], "rb") as f:
        f.seek(short["warc_offset"])
        record = next(iter(ArchiveIterator(f)))
        kept = record.content_stream().read()
    sent = faults.report_page("庚", 2022, 2022).encode("utf-8")
    assert kept == sent[: len(sent) * 2 // 5] and short["size"] == len(kept)
    # The genuine report is archived whole, with the numbers of its table.
    reports = list(db.query("SELECT report_id, url, year FROM reports"))
    assert [(r["url"], r["year"]) for r in reports] == [(base + "/art/good.html", 2023)]
    values = dict(db.execute("SELECT code, value FROM cells WHERE report_id = ?", [reports[0]["report_id"]]).fetchall())
    _, written = faults.generated_body(2023, 2023, as_read=True)
    assert {code: values.get(code) for code in written} == written
    run = next(db.query("SELECT status FROM runs"))
    assert run["status"] == "incomplete"


def test_a_truncated_answer_on_a_later_crawl_is_an_outcome_not_a_new_version(tmp_path):
    site = faults.HostileSite()
    site.home = faults.page("某县人民政府", f'<a href="/art/good.html">{faults.title("甲", 2023)}</a>')
    site.start(0)
    try:
        first = bounded_crawl(site, tmp_path, "archive")
        assert first.returncode == 0, first.stderr[-2000:]
        site.truncate = True
        second = bounded_crawl(site, tmp_path, "archive")
    finally:
        site.stop()
    assert second.returncode == 3, second.stderr[-2000:]
    db = second.db
    assert db.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    outcomes = [r["outcome"] for r in db.query("SELECT outcome FROM captures WHERE url = ? ORDER BY capture_id",
                                               [site.base + "/art/good.html"])]
    assert outcomes == ["ok", "truncated", "truncated", "truncated"], outcomes  # retried twice, as RETRY_TIMES says
    assert f"not got: {site.base}/art/good.html: truncated" in second.stderr


def test_a_site_down_behind_its_links_is_left_after_a_run_of_failures(tmp_path):
    site = faults.storm_site(500).start(0)
    try:
        result = bounded_crawl(site, tmp_path, "storm", "-s", "NIANBAO_SITE_FAILURES=12")
    finally:
        site.stop()
    assert result.disk_mb < MAX_DISK_MB, result.disk_mb
    assert result.returncode == 3, result.stderr[-2000:]
    asked = site.hits(lambda method, path: path.startswith("/art/"))
    # 60 links, 3 tries each, without the limit: 180. Requests already handed to the downloader
    # (CONCURRENT_REQUESTS, 16) when the twelfth failure arrives still go out.
    assert 12 <= len(asked) <= 12 + 16, len(asked)
    refused = [r["detail"] for r in result.db.query("SELECT detail FROM captures WHERE outcome = 'refused'")]
    assert refused and "failed 12 requests in a row" in refused[0] and "NIANBAO_SITE_FAILURES" in refused[0]
    assert "incomplete: 60 start pages, report pages or files" in result.stderr


def test_a_robots_txt_of_many_megabytes_neither_stalls_nor_blocks_the_crawl(tmp_path):
    site = faults.huge_robots_site(24).start(0)
    try:
        result = bounded_crawl(site, tmp_path, "robots")
    finally:
        site.stop()
    assert result.disk_mb < MAX_DISK_MB + 30, result.disk_mb  # the robots.txt is kept
    assert result.returncode == 0, result.stderr[-2000:]
    assert [r["url"] for r in result.db.query("SELECT url FROM reports")] == [site.base + "/art/good.html"]


def test_a_page_of_100000_links_is_cut_by_the_site_budget_with_the_budget_named(tmp_path):
    site = faults.many_links_site(100_000).start(0)
    try:
        result = bounded_crawl(site, tmp_path, "links", "-s", "NIANBAO_SITE_REQUESTS=300")
    finally:
        site.stop()
    assert result.disk_mb < MAX_DISK_MB, result.disk_mb
    assert result.returncode == 3, result.stderr[-2000:]
    assert len(site.hits()) <= 300
    refused = [r["detail"] for r in result.db.query("SELECT detail FROM captures WHERE outcome = 'refused'")]
    assert len(refused) == 1 and "site request budget of 300" in refused[0]
    assert "and 99" in result.stderr and "more" in result.stderr  # the rest are counted, not listed


def test_a_calendar_that_never_ends_stops_at_the_list_budget(tmp_path):
    site = faults.calendar_site().start(0)
    try:
        result = bounded_crawl(site, tmp_path, "calendar", "-s", "NIANBAO_LIST_PAGES=30")
    finally:
        site.stop()
    assert result.disk_mb < MAX_DISK_MB, result.disk_mb
    assert result.returncode == 3, result.stderr[-2000:]
    row = next(result.db.query("SELECT * FROM listings"))
    assert row["complete"] == 0 and "list page budget of 30" in row["detail"], row
    assert len(site.hits(lambda method, path: path.startswith("/gknb/"))) <= 32
