"""A crawl SIGKILLed at any moment, then run again, loses and duplicates nothing (issue 14, item 1).

The kill moments are drawn over the whole life of a crawl (the captures it has written: from the
first page to the checks across reports at its end), some crawls are killed twice, and each ends
with the same archive as one crawl never interrupted: the same reports, every cell's value, every
file read, WARC files readable to their last record. ``NIANBAO_KILL_SEEDS`` runs more seeds.
"""

import os
import random
import signal
import subprocess
import sys
import time

import pytest
import sqlite_utils
from warcio.archiveiterator import ArchiveIterator

from conftest import ROOT
from farm import start_farm, stop_farm

FAST = ["--delay", "0", "--log-level", "WARNING", "-s", "DOWNLOAD_TIMEOUT=5", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
SEEDS = int(os.environ.get("NIANBAO_KILL_SEEDS", "4"))
SITES = ["a1", "a3", "a8"]  # report pages, attachments and 详见附件 pages whose file is the report


def _command(sites, db_path):
    script = os.path.join(os.path.dirname(sys.executable), "nianbao")
    starts = [a for s in sites.values() for a in ("--start-url", s.base + "/")]
    return [script, "crawl", *starts, "--db", str(db_path), *FAST]


def _captures(db_path):
    try:
        return sqlite_utils.Database(db_path).execute("SELECT count(*) FROM captures").fetchone()[0]
    except Exception:  # noqa: BLE001 - not created yet, or mid-migration
        return 0


def _crawl_killed_at(sites, db_path, captures):
    """Start a crawl and SIGKILL it once it has written ``captures`` captures (or at its end)."""
    process = subprocess.Popen(_command(sites, db_path), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 240
    while process.poll() is None and time.time() < deadline and _captures(db_path) < captures:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()


def _archive(db_path, bases):
    """What a crawl kept, site-relative: ``{path: (year, agency, {code: value}, files read)}``."""
    db = sqlite_utils.Database(db_path)
    out = {}
    for report in db.query("SELECT report_id, url, year, agency FROM reports"):
        path = next(report["url"][len(b):] for b in bases if report["url"].startswith(b))
        assert path not in out, f"{path} archived twice"
        cells = {r["code"]: r["value"] for r in db.query("SELECT code, value FROM cells WHERE report_id = ?", [report["report_id"]])}
        read = db.execute("SELECT count(*) FROM attachments WHERE report_id = ? AND read_at IS NOT NULL",
                          [report["report_id"]]).fetchone()[0]
        out[path] = (report["year"], report["agency"], cells, read)
    return out


def _warc_records(folder):
    records = 0
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            records += sum(1 for _ in ArchiveIterator(f))
    return records


@pytest.fixture(scope="module")
def farm(tmp_path_factory):
    """The sites, and one crawl of them never interrupted: ``(sites, its archive, captures)``."""
    sites = start_farm(SITES)
    db_path = tmp_path_factory.mktemp("reference") / "archive.db"
    done = subprocess.run(_command(sites, db_path), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 3), done.stderr[-2000:]
    bases = [s.base for s in sites.values()]
    reference = _archive(db_path, bases)
    assert any(read for *_, read in reference.values()), "the reference crawl read no file"
    yield sites, reference, _captures(db_path), done.returncode
    stop_farm(sites)


@pytest.mark.parametrize("seed", range(SEEDS))
def test_a_crawl_killed_anywhere_and_run_again_ends_with_the_same_archive(farm, tmp_path, seed):
    sites, reference, total, code = farm
    rng = random.Random(seed)
    db_path = tmp_path / "archive.db"
    # Spread over the crawl's life: seed 0 kills at its first pages, the last seed near its end.
    span = (max(1, total * seed // SEEDS), max(2, total * (seed + 1) // SEEDS))
    kills = [rng.randint(*span)]
    if rng.random() < 0.5:
        kills.append(rng.randint(1, max(1, total // 3)))  # the next run is killed too, early in its own life
    for at in kills:
        before = _captures(db_path)
        _crawl_killed_at(sites, db_path, before + at)
    done = subprocess.run(_command(sites, db_path), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == code, done.stderr[-2000:]
    bases = [s.base for s in sites.values()]
    archived = _archive(db_path, bases)
    assert set(archived) == set(reference), (sorted(set(reference) - set(archived)), sorted(set(archived) - set(reference)))
    for path, expected in reference.items():
        assert archived[path] == expected, (path, kills)
    db = sqlite_utils.Database(db_path)
    statuses = [r["status"] for r in db.query("SELECT status FROM runs ORDER BY run_id")]
    # Each killed run is closed as such by the run after it; the last one ends as the reference did.
    assert statuses == ["killed"] * len(kills) + [{0: "finished", 3: "incomplete"}[code]], statuses
    assert not list(db.query("SELECT url FROM attachments WHERE read_at IS NULL AND report_id IN (SELECT report_id FROM reports)"))
    assert _warc_records(tmp_path / "warc") >= 2 * total  # a request and a response record per capture, at least
