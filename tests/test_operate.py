"""Unattended runs over the test farm: due sources, publish-on-change, the lock, alerts."""

import json
import os
import subprocess
import sys
from datetime import datetime

import pytest
import sqlite_utils
import yaml

from archive.cli import run_registry as run
from archive.operate import Lock, RunLocked
from farm import start_farm, stop_farm

from conftest import ROOT

FAST = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "LOG_LEVEL=ERROR")
FAST_ARGS = [a for setting in FAST for a in ("-s", setting)]


@pytest.fixture()
def farm(tmp_path):
    sites = start_farm(["a6", "a10"])
    registry = tmp_path / "sources.yml"
    registry.write_text(yaml.safe_dump({"sources": [
        {"name": "gd-county", "region": "广东省惠州市惠城区", "region_code": "441302", "level": "county",
         "start_urls": [sites["a6"].base + "/"], "platform": "gkmlpt", "schedule": "0 3 * * *"},
        {"name": "walled", "region": "浙江省温州市鹿城区", "region_code": "330302", "level": "county",
         "start_urls": [sites["a10-ruishu"].base + "/"], "platform": "hanweb", "schedule": "0 3 * * 1"},
    ]}, allow_unicode=True), encoding="utf-8")
    yield sites, str(registry)
    stop_farm(sites)


def test_a_run_crawls_due_sources_publishes_and_reports_walls(farm, tmp_path):
    sites, registry = farm
    db, publish = str(tmp_path / "archive.db"), str(tmp_path / "published")
    first = run(db, publish, registry, at=datetime(2024, 2, 5, 4, 0), overrides=FAST)
    assert first["sources"] == ["gd-county", "walled"] and first["snapshot"]
    assert any(a.startswith("walled:") and "blocked" in a for a in first["alerts"])
    served = sqlite_utils.Database(os.path.join(publish, "current.db"))
    assert served["reports"].count == len(sites["a6"].manifest.reports)
    # The run record carries the coverage of the agency-years, as the archive holds them.
    assert first["coverage"]["published"] == len({(r["agency"], r["year"]) for r in sites["a6"].manifest.reports})
    stored = dict(served.execute("SELECT status, count(*) FROM agency_years GROUP BY 1").fetchall())
    assert first["coverage"] == {"expected": sum(stored.values()), **{s: stored.get(s, 0) for s in ("published", "missing", "unknown")}}
    # an hour later nothing is due and nothing changed: no new snapshot
    second = run(db, publish, registry, at=datetime(2024, 2, 5, 5, 0), overrides=FAST)
    assert second["sources"] == [] and second["snapshot"] is None
    # the next morning the daily source is due again, the weekly one is not
    third = run(db, publish, registry, at=datetime(2024, 2, 6, 3, 30), overrides=FAST)
    assert third["sources"] == ["gd-county"] and third["snapshot"] is None
    log = list(sqlite_utils.Database(db).query("SELECT sources, snapshot, status FROM operations ORDER BY rowid"))
    assert [json.loads(r["sources"]) for r in log] == [["gd-county", "walled"], [], ["gd-county"]]


def test_a_source_that_stops_giving_reports_is_reported(farm, tmp_path):
    sites, registry = farm
    db, publish = str(tmp_path / "archive.db"), str(tmp_path / "published")
    run(db, publish, registry, at=datetime(2024, 2, 5, 4, 0), overrides=FAST)
    a6 = sites["a6"]
    a6.route = lambda request: __import__("farm.server", fromlist=["html"]).html("<html><body>维护中</body></html>", 404)
    later = run(db, publish, registry, at=datetime(2024, 2, 6, 4, 0), overrides=FAST)
    assert any(a.startswith("gd-county: no report archived") for a in later["alerts"])
    assert any(a.startswith("gd-county:") and "not_found" in a for a in later["alerts"])


def test_runs_never_overlap(farm, tmp_path):
    _, registry = farm
    publish = tmp_path / "published"
    publish.mkdir()
    with Lock(str(publish / ".nianbao-run.lock")):
        with pytest.raises(RunLocked):
            run(str(tmp_path / "archive.db"), str(publish), registry, overrides=FAST)
        nianbao = os.path.join(os.path.dirname(sys.executable), "nianbao")
        result = subprocess.run([nianbao, "run", "--db", str(tmp_path / "archive.db"), "--publish", str(publish),
                                 "--sources", registry], capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert result.returncode == 75 and "another run" in result.stderr


def test_schedule_runs_due_sources_through_the_scheduler(farm, tmp_path):
    sites, registry = farm
    nianbao = os.path.join(os.path.dirname(sys.executable), "nianbao")
    publish = tmp_path / "published"
    result = subprocess.run([nianbao, "schedule", "--db", str(tmp_path / "archive.db"), "--publish", str(publish),
                             "--sources", registry, "--runs", "1", *FAST_ARGS],
                            capture_output=True, text=True, cwd=ROOT, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "gd-county, walled" in result.stderr
    assert sqlite_utils.Database(publish / "current.db")["reports"].count == len(sites["a6"].manifest.reports)


def test_a_run_killed_half_way_leaves_the_site_serving_the_previous_snapshot(farm, tmp_path):
    import signal
    import time

    sites, registry = farm
    db, publish = str(tmp_path / "archive.db"), str(tmp_path / "published")
    run(db, publish, registry, at=datetime(2024, 2, 5, 4, 0), overrides=FAST)
    served_before = (tmp_path / "published" / "current.json").read_text()
    reports_before = sqlite_utils.Database(os.path.join(publish, "current.db"))["reports"].count
    a6 = sites["a6"]
    fast_route = a6.route
    a6.route = lambda request: (time.sleep(1.0), fast_route(request))[1]  # a slow night: the kill lands mid-crawl
    runs_before = sqlite_utils.Database(db)["runs"].count
    nianbao = os.path.join(os.path.dirname(sys.executable), "nianbao")
    killed = subprocess.Popen([nianbao, "run", "--db", db, "--publish", publish, "--sources", registry, "--force", *FAST_ARGS],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    # killed once its crawl has archived captures of its own, whatever the machine's speed
    deadline = time.time() + 60
    while time.time() < deadline and killed.poll() is None and _captures_of_new_runs(db, runs_before) < 3:
        time.sleep(0.1)
    assert killed.poll() is None, "the run ended before it could be killed"
    assert _captures_of_new_runs(db, runs_before) >= 3, "the run never got to crawl"
    os.killpg(killed.pid, signal.SIGKILL)  # the run and its crawl, as a power cut would
    killed.wait(10)
    assert (tmp_path / "published" / "current.json").read_text() == served_before
    served = sqlite_utils.Database(os.path.join(publish, "current.db"))
    assert served["reports"].count == reports_before and served.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    a6.route = fast_route
    after = run(db, publish, registry, force=True, overrides=FAST)  # the lock died with the killed run
    assert after["status"] == "finished"


def _captures_of_new_runs(db_path, runs_before):
    """Captures of the runs after the first ``runs_before``, read as another process reads a live archive."""
    import sqlite3

    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT count(*) FROM captures WHERE run_id IN (SELECT run_id FROM runs ORDER BY run_id "
                            "LIMIT -1 OFFSET ?)", [runs_before]).fetchone()[0]
    except sqlite3.OperationalError:  # the run is creating or migrating it at this instant
        return 0
    finally:
        conn.close()


def test_a_seasonal_schedule_is_daily_in_report_season_and_weekly_after(tmp_path):
    from archive.operate import due_sources

    source = {"name": "s", "schedule": ["0 2 * 1-3 *", "0 2 * 4-12 1"]}
    db = sqlite_utils.Database(tmp_path / "state.db")
    db["source_state"].insert({"name": "s", "crawled_at": "2024-02-06T02:30:00", "health": "{}"}, pk="name")
    assert due_sources(db, [source], datetime(2024, 2, 7, 3, 0)) == [source]  # Wednesday in February: daily
    db["source_state"].upsert({"name": "s", "crawled_at": "2024-05-06T02:30:00", "health": "{}"}, pk="name")  # a Monday
    assert due_sources(db, [source], datetime(2024, 5, 9, 3, 0)) == []  # Thursday in May: weekly, not yet
    assert due_sources(db, [source], datetime(2024, 5, 13, 3, 0)) == [source]  # the next Monday


def test_a_source_with_an_incomplete_list_raises_an_alert(tmp_path):
    from farm import lists as farm_lists

    site = farm_lists.trs_static_site(4242, walled=True)
    site.start(0)
    farm_lists.finish(site)
    registry = tmp_path / "sources.yml"
    registry.write_text(yaml.safe_dump({"sources": [
        {"name": "walled-list", "region": "湖南省永州市蓝山县", "region_code": "431127", "level": "county",
         "start_urls": [site.base + "/"], "platform": "trs", "schedule": "0 3 * * *"}]}, allow_unicode=True), encoding="utf-8")
    try:
        record = run(str(tmp_path / "archive.db"), str(tmp_path / "published"), str(registry), force=True, overrides=FAST)
    finally:
        site.stop()
    assert record["status"] == "finished"
    expected = site.expected_lists[0]
    alerts = [a for a in record["alerts"] if a.startswith(f"walled-list: list {expected['url']} incomplete")]
    assert alerts and f"of {len(site.entries)} records" in alerts[0] and expected["failed_url"] in alerts[0], record["alerts"]


def test_the_site_serves_an_archive_while_it_is_written(tmp_path):
    """Every request answered while a writer commits report after report to the file served,
    checkpointing its WAL often, as a long crawl does."""
    import threading
    import urllib.error
    import urllib.request

    from conftest import SAMPLES, free_port, wait_for_http
    from archive.db import open_db
    from extractors.process import process

    db_path = tmp_path / "archive.db"
    with open(os.path.join(SAMPLES, "shanghai-office-2019.html"), "rb") as f:
        report = process(f.read(), source="shanghai.html")
    db = open_db(str(db_path))
    db.write_report(report)
    db.conn.close()
    nianbao = os.path.join(os.path.dirname(sys.executable), "nianbao")
    port = free_port()
    server = subprocess.Popen([nianbao, "serve", "--db", str(db_path), "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stop, written = threading.Event(), []

    def write():
        writer = open_db(str(db_path))
        writer.conn.execute("PRAGMA wal_autocheckpoint=20")  # a long crawl's WAL is checkpointed again and again
        n = 0
        while not stop.is_set():
            n += 1
            writer.write_report(report.replaced(sha256=f"{n:064x}", title=f"{report['title']} {n}"))
            written.append(n)
        writer.conn.close()

    thread = threading.Thread(target=write)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(base + "/-/versions.json")
        thread.start()
        answers = []
        for n in range(160):
            path = ("/archive/reports.json?_size=5&_sort=year", "/archive/cells.json?_size=50", "/-/feed.atom",
                    "/archive.json?sql=select+count(*),+sum(value)+from+cells")[n % 4]
            try:
                with urllib.request.urlopen(base + path, timeout=30) as response:
                    answers.append(response.status)
            except urllib.error.HTTPError as error:
                answers.append((error.code, path, error.read()[:300]))
        stop.set()
        thread.join(60)
        assert len(written) >= 20, "the writer hardly wrote while the site was tried"
        assert answers.count(200) == len(answers), [a for a in answers if a != 200][:3]
    finally:
        stop.set()
        server.kill()
        server.wait()
