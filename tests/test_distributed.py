"""Two crawler processes sharing one frontier through a real redis-server (scrapy-redis)."""

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


def test_two_processes_cover_the_farm_once(tmp_path):
    port = free_port()
    redis = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sites = start_farm(["a1", "a3"])
    db_path = tmp_path / "archive.db"
    nianbao = os.path.join(os.path.dirname(sys.executable), "nianbao")
    args = [nianbao, "crawl", *[a for s in sites.values() for a in ("--start-url", s.base + "/")], "--db", str(db_path),
            "--redis", f"redis://127.0.0.1:{port}/0", "--frontier", "test", "--delay", "0.1", "--log-level", "ERROR",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]
    try:
        time.sleep(0.5)
        first = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(0.3)
        second = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        outputs = [p.communicate(timeout=240) for p in (first, second)]
        assert first.returncode == 0 and second.returncode == 0, [o[1][-1500:] for o in outputs]
        db = sqlite_utils.Database(db_path)
        expected = {e["url"] for s in sites.values() for e in s.manifest.reports}
        urls = [r["url"] for r in db.query("SELECT url FROM reports")]
        assert set(urls) == expected and len(urls) == len(expected)
        fetched = list(db.query("SELECT url, count(*) n FROM captures WHERE status IS NOT NULL AND kind != 'robots' "
                                "GROUP BY url, final_url, method HAVING n > 1"))
        # A redirect is one hop row (url -> url) plus one final row (url -> final_url); a second
        # fetch by the other process would repeat a pair.
        assert fetched == [], fetched[:5]
        per_run = [r["n"] for r in db.query("SELECT run_id, count(*) n FROM captures WHERE kind = 'detail' GROUP BY run_id")]
        assert len(per_run) == 2 and all(n > 0 for n in per_run)  # both processes did part of the work
    finally:
        stop_farm(sites)
        redis.terminate()
        redis.wait(10)
