"""Crawls on several machines, one archive: two crawler processes, each with its own database
and WARC folder, share one frontier on a real redis-server; ``nianbao merge`` folds their
archives into one, which equals a single-process crawl of the same sites, and merging again
changes nothing."""

import os
import shutil
import subprocess
import sys
import time

import pytest
import sqlite_utils

from farm import start_farm, stop_farm

from conftest import ROOT, free_port

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(not REDIS and not os.environ.get("CI"), reason="redis-server is installed by .ci/run")
NIANBAO = os.path.join(os.path.dirname(sys.executable), "nianbao")
SITES = ["a1", "a3"]  # PDF-only entries and reports with attachments, Hanweb lists


def _crawl_args(sites, db_path, *extra):
    return [NIANBAO, "crawl", *[a for s in sites.values() for a in ("--start-url", s.base + "/")], "--db", str(db_path),
            "--delay", "0.05", "--log-level", "ERROR", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2",
            "-s", "NIANBAO_PROGRESS_SECONDS=0", *extra]


def _facts(db_path):
    """What must be equal: reports, every cell value as read, flags, and captures that are not robots.txt
    with the report each is or belongs to."""
    db = sqlite_utils.Database(db_path)
    return {
        "reports": sorted((r["report_id"], r["url"], r["year"], r["agency"], r["is_current"], r["version"])
                          for r in db.query("SELECT * FROM reports")),
        "cells": sorted((c["report_id"], c["code"], c["value"], c["raw"]) for c in db.query("SELECT * FROM cells")),
        "flags": sorted((f["report_id"], f["rule"], f["scope"], f["severity"], f["lhs"], f["rhs"])
                        for f in db.query("SELECT * FROM flags")),
        "attachments": sorted((a["report_id"], a["url"], a["sha256"], a["read_at"] is not None)
                              for a in db.query("SELECT * FROM attachments")),
        "captures": sorted((c["url"], c["final_url"], c["method"], c["kind"], c["status"], c["sha256"], c["outcome"],
                            c["report_id"] or "")
                           for c in db.query("SELECT * FROM captures WHERE kind != 'robots'")),
        "agency_years": sorted((y["agency_id"], y["year"], y["status"]) for y in db.query("SELECT * FROM agency_years")),
    }


def _dump(db_path):
    db = sqlite_utils.Database(db_path)
    return {t: sorted(map(repr, db.execute(f"SELECT * FROM [{t}]").fetchall())) for t in db.table_names()
            if not t.startswith("reports_fts")}


def test_two_machines_merged_equal_one_crawl_and_merging_again_changes_nothing(tmp_path):
    sites = start_farm(SITES)
    port = free_port()
    redis = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        single = tmp_path / "single" / "archive.db"
        single.parent.mkdir()
        done = subprocess.run(_crawl_args(sites, single), cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        time.sleep(0.3)
        machines = []
        for name in ("a", "b"):
            folder = tmp_path / name
            folder.mkdir()
            machines.append(folder / "archive.db")
        args = [_crawl_args(sites, db, "--archive-dir", str(db.parent / "warc"), "--redis", f"redis://127.0.0.1:{port}/0",
                            "--frontier", "merge-test") for db in machines]
        first = subprocess.Popen(args[0], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(0.3)
        second = subprocess.Popen(args[1], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        outputs = [p.communicate(timeout=300) for p in (first, second)]
        assert first.returncode == 0 and second.returncode == 0, [o[1][-1500:] for o in outputs]
    finally:
        stop_farm(sites)
        redis.terminate()
        redis.wait(10)
    # Both machines did part of the work.
    for db_path in machines:
        assert sqlite_utils.Database(db_path).execute("SELECT count(*) FROM captures WHERE kind = 'detail'").fetchone()[0] > 0
    merged = tmp_path / "merged.db"
    result = subprocess.run([NIANBAO, "merge", *map(str, machines), "--into", str(merged)], capture_output=True, text=True,
                            cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    expected, found = _facts(single), _facts(merged)
    for part in expected:
        assert found[part] == expected[part], part
    db = sqlite_utils.Database(merged)
    twice = list(db.query("SELECT url, count(*) n FROM captures WHERE status IS NOT NULL AND kind != 'robots' "
                          "GROUP BY url, final_url, method HAVING n > 1"))
    assert twice == []
    # Captures keep their WARC file names and offsets: each is in one machine's WARC folder.
    for capture in db.query("SELECT warc_file FROM captures WHERE warc_file IS NOT NULL"):
        name = os.path.basename(capture["warc_file"])
        assert sum(os.path.exists(m.parent / "warc" / name) for m in machines) == 1, name
    assert len(list(db.query("SELECT * FROM runs"))) == 2
    # Merging again (in either order) changes nothing.
    before = _dump(merged)
    again = subprocess.run([NIANBAO, "merge", str(machines[1]), str(machines[0]), "--into", str(merged)],
                           capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "0 runs, 0 captures, 0 listings, 0 reports added" in again.stderr
    assert _dump(merged) == before


def test_merge_refuses_bad_input_in_one_line(tmp_path):
    (tmp_path / "notes.db").write_text("not a database")
    for args, why in ((["notes.db", "--into", "m.db"], "not a SQLite database"),
                      (["missing.db", "--into", "m.db"], "missing.db does not exist"),
                      (["m.db", "--into", "m.db"], "is among the archives to merge")):
        result = subprocess.run([NIANBAO, "merge", *args], capture_output=True, text=True, cwd=tmp_path, timeout=60)
        assert result.returncode == 2 and why in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert sorted(os.listdir(tmp_path)) == ["notes.db"]
