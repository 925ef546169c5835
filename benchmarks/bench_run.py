"""``nianbao run`` over the test farm, stage by stage, and two distributed crawlers against one.

Part 1 runs ``nianbao run`` (forced: every farm source due) twice into a fresh archive and prints
the seconds of each stage it records (crawl = fetch + extract + validate + checks across
reports; health = per-source monitoring; digest = the content hash; snapshot = write and
publish), the second run showing what publish-on-change saves. Part 2 crawls the same farm
through a real ``redis-server`` with one process, then with two sharing the frontier, and prints
the wall times and their ratio. Run: ``python benchmarks/bench_run.py`` (needs redis-server for
part 2; the slow and walled hosts are left out).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

import sqlite_utils
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]

from archive.cli import run_registry  # noqa: E402
from conftest import free_port  # noqa: E402
from farm import start_farm, stop_farm  # noqa: E402

NAMES = ["a1", "a3", "a6", "a8", "a9"]
CRAWL = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "LOG_LEVEL=ERROR", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def bench_run(sites, work):
    registry = os.path.join(work, "sources.yml")
    with open(registry, "w", encoding="utf-8") as f:
        yaml.safe_dump({"sources": [{"name": name, "region": "测试", "region_code": "000000", "level": "county",
                                     "start_urls": [site.base + "/"], "platform": "custom", "schedule": "* * * * *"}
                                    for name, site in sites.items()]}, f, allow_unicode=True)
    db_path, publish = os.path.join(work, "archive.db"), os.path.join(work, "published")
    print(f"{'nianbao run':24} {'total s':>8} {'crawl':>7} {'health':>7} {'digest':>7} {'snapshot':>8}  reports  published")
    for label in ("first (empty archive)", "second (nothing new)"):
        start = time.perf_counter()
        record = run_registry(db_path, publish, registry, CRAWL, force=True)
        total = time.perf_counter() - start
        st = record["stage_seconds"]
        print(f"{label:24} {total:8.2f} {st.get('crawl', 0):7.2f} {st.get('health', 0):7.2f} {st.get('digest', 0):7.2f} "
              f"{st.get('snapshot', 0):8.2f}  {sqlite_utils.Database(db_path)['reports'].count:7}  {record['snapshot'] or 'no'}")


def _crawl(sites, work, port, frontier, processes):
    db_path = os.path.join(work, f"{frontier}.db")
    nianbao = os.path.join(os.path.dirname(sys.executable), "nianbao")
    args = [nianbao, "crawl", *[a for s in sites.values() for a in ("--start-url", s.base + "/")], "--db", db_path,
            "--redis", f"redis://127.0.0.1:{port}/0", "--frontier", frontier, *[a for c in CRAWL for a in ("-s", c)],
            "-s", "NIANBAO_SHARED_IDLE_CLOSE=2"]
    start = time.perf_counter()
    running = [subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(processes)]
    for p in running:
        p.wait()
    elapsed = time.perf_counter() - start
    db = sqlite_utils.Database(db_path)
    pages = db.execute("SELECT count(*) FROM captures WHERE status IS NOT NULL AND kind != 'robots'").fetchone()[0]
    return elapsed, pages, db["reports"].count


def bench_distributed(sites, work):
    redis = shutil.which("redis-server")
    if not redis:
        print("distributed: skipped (no redis-server)")
        return
    port = free_port()
    server = subprocess.Popen([redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        one = _crawl(sites, work, port, "one", 1)
        two = _crawl(sites, work, port, "two", 2)
        print(f"{'distributed crawl':24} {'wall s':>8} {'pages':>7} {'reports':>8}")
        print(f"{'1 process':24} {one[0]:8.2f} {one[1]:7} {one[2]:8}")
        print(f"{'2 processes':24} {two[0]:8.2f} {two[1]:7} {two[2]:8}")
        print(f"speed-up of 2 processes over 1: {one[0] / two[0]:.2f}x on {os.cpu_count()} cores "
              "(both include the idle wait before closing: 2 s)")
    finally:
        server.terminate()
        server.wait(10)


def main():
    sites = start_farm(NAMES)
    work = tempfile.mkdtemp(prefix="nianbao-bench-run-")
    try:
        bench_run(sites, work)
        bench_distributed(sites, work)
    finally:
        stop_farm(sites)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
