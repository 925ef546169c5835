"""Crawl throughput on the test farm: the full pipeline against a bare Scrapy fetch of the same URLs.

Prints pages/s and reports/s of ``nianbao crawl`` (discovery, WARC, captures, extraction,
validation, SQLite) next to the pages/s of a bare Scrapy spider that only fetches the URLs the
crawl fetched (no parsing, no storage), in the same settings, and the ratio: once following
the same links as they come, once handed every URL up front.
Both are run on an idle machine and again beside one CPU-bound process per core (``--idle-only``
skips that). Run: ``python benchmarks/bench_crawl.py`` (the slow and walled hosts are left out).
"""

import argparse
import dataclasses
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import textwrap
import time

import sqlite_utils

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]

from farm import start_farm, stop_farm  # noqa: E402

SETTINGS = ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "LOG_LEVEL=ERROR"]

BARE = textwrap.dedent("""
    import collections, json, sys, scrapy
    from scrapy.crawler import CrawlerProcess

    # One line per fetched URL: method, URL and the URL whose page linked it (or "-").
    fetched = [json.loads(line) for line in open(sys.argv[1])]
    follow = sys.argv[2] == "follow"
    known = {url for _, url, _ in fetched}
    children = collections.defaultdict(list)
    for method, url, referer in fetched:
        children[referer if follow and referer in known else None].append((method, url))

    class Bare(scrapy.Spider):
        name = "bare"
        custom_settings = {"ROBOTSTXT_OBEY": False}
        async def start(self):
            for method, url in children[None]:
                yield scrapy.Request(url, method=method, dont_filter=True, callback=self.parse)
        def parse(self, response):
            for method, url in children.pop(response.request.url, ()):
                yield scrapy.Request(url, method=method, dont_filter=True, callback=self.parse)

    process = CrawlerProcess({"CONCURRENT_REQUESTS_PER_DOMAIN": 8, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                              "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False})
    crawler = process.create_crawler(Bare)
    process.crawl(crawler)
    process.start()
    print(crawler.stats.get_value("downloader/response_count"), crawler.stats.get_value("elapsed_time_seconds"))
""")

SPIN = "while True: pass"


def timed(args, cwd):
    """``(result, wall seconds, CPU seconds)`` of a command, its worker processes included
    (the CPU of reaped descendants counts in RUSAGE_CHILDREN)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, check=True, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return result, wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run_full(nianbao, urls, db_path):
    """``(command seconds, crawl seconds, seconds to its last download, CPU seconds)`` of
    ``nianbao crawl`` into a fresh archive."""
    if os.path.exists(db_path):
        os.remove(db_path)
    result, wall, cpu = timed([nianbao, "crawl", *urls, "--db", db_path, "--delay", "0", "--log-level", "ERROR", *SETTINGS],
                              ROOT)
    found = re.search(r"in ([\d.]+)s \(downloads done at ([\d.]+)s\)", result.stderr)
    return wall, float(found.group(1)), float(found.group(2)), cpu


def run_bare(script, url_file, how, work, expected):
    result, wall, cpu = timed([sys.executable, script, url_file, how], work)
    responses, crawl = result.stdout.strip().splitlines()[-1].split()
    assert int(responses) >= expected, (responses, expected)
    return wall, float(crawl), float(crawl), cpu


def measure(nianbao, urls, work, label):
    """The full crawl and the two bare spiders, printed as rows under ``label``."""
    db_path = os.path.join(work, "archive.db")
    full, full_crawl, full_downloads, full_cpu = run_full(nianbao, urls, db_path)
    db = sqlite_utils.Database(db_path)
    fetched = list(db.query("SELECT method, final_url, referer FROM captures WHERE status IS NOT NULL AND kind != 'robots'"))
    reports = db["reports"].count
    db.close()
    url_file = os.path.join(work, "urls.jsonl")
    with open(url_file, "w") as f:
        for row in fetched:
            f.write(json.dumps([row["method"], row["final_url"], row["referer"] or "-"]) + "\n")
    script = os.path.join(work, "bare.py")
    with open(script, "w") as f:
        f.write(BARE)
    pages = len(fetched)
    rows = [("nianbao crawl (full)", full, full_crawl, full_downloads, full_cpu, reports)]
    for how, name in (("follow", "bare Scrapy, same links"), ("all", "bare Scrapy, all URLs at once")):
        command, crawl, downloads, cpu = run_bare(script, url_file, how, work, pages)
        rows.append((name, command, crawl, downloads, cpu, None))
    print(f"\n{label}: {pages} pages, {reports} reports")
    print(f"{'run':32} {'command s':>9} {'crawl s':>8} {'downloads s':>11} {'CPU s':>6} {'pages/s':>8} {'reports/s':>10} "
          f"{'full/bare':>9} {'downloads':>9}")
    for name, command, crawl, downloads, cpu, found in rows:
        ratio = "" if found is not None else f"{crawl / full_crawl:9.2f} {downloads / full_downloads:9.2f}"
        per_report = f"{found / crawl:10.1f}" if found is not None else f"{'':>10}"
        print(f"{name:32} {command:9.2f} {crawl:8.2f} {downloads:11.2f} {cpu:6.2f} {pages / crawl:8.1f} {per_report} {ratio}")


def with_latency(route, seconds):
    """A farm site's route whose every answer waits ``seconds`` first, as over a network: what
    shows whether the pipeline keeps up with the downloader when the CPU is not what binds."""
    def late(request):
        response = route(request)
        return dataclasses.replace(response, delay=max(response.delay, seconds))
    return late


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle-only", action="store_true", help="only the idle machine (no load, no latency rows)")
    parser.add_argument("--latency", type=float, default=50.0,
                        help="milliseconds every farm response waits in the latency row (0: no such row)")
    args = parser.parse_args()
    names = ["a1", "a3", "a6", "a8", "a9"]
    sites = start_farm(names)
    work = tempfile.mkdtemp(prefix="nianbao-bench-")
    nianbao = os.path.join(os.path.dirname(sys.executable), "nianbao")
    urls = [a for s in sites.values() for a in ("--start-url", s.base + "/")]
    try:
        measure(nianbao, urls, work, "idle machine")
        if not args.idle_only:
            spinners = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(os.cpu_count() or 1)]
            try:
                measure(nianbao, urls, work, f"busy machine ({len(spinners)} CPU-bound processes beside)")
            finally:
                for spinner in spinners:
                    spinner.kill()
            if args.latency:
                for site in sites.values():
                    site.route = with_latency(site.route, args.latency / 1000)
                measure(nianbao, urls, work, f"idle machine, every response {args.latency:g} ms late (a network between)")
        print("\nfull/bare: the bare spider's crawl seconds over the full crawl's. 'same links': each URL is "
              "requested once the page that linked it has come (the crawl's own discovery order, from the "
              "captures' referers); 'all URLs at once': every URL up front, which no crawler that discovers "
              "its pages can do. The full crawl's seconds include reading the attachments and the checks "
              "across reports after the last download; 'downloads s' is when its last answer came (for "
              "the bare spider, its crawl), and 'downloads' the bare spider's crawl over it: how far the "
              "work per page holds the downloader up. CPU s: the command's CPU time, its worker processes "
              "included (on a busy machine it is shared with the load).")
    finally:
        stop_farm(sites)


if __name__ == "__main__":
    main()
