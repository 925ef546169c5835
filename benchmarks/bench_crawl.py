"""Crawl throughput on the test farm: the full pipeline against a bare Scrapy fetch of the same URLs.

Prints pages/s and reports/s of ``nianbao crawl`` (discovery, WARC, captures, extraction,
validation, SQLite) next to the pages/s of a bare Scrapy spider that only fetches the URLs the
crawl fetched (no parsing, no storage), in the same settings, and the ratio.
Run: ``python benchmarks/bench_crawl.py`` (the slow and walled hosts are left out).
"""

import os
import re
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
    import sys, scrapy
    from scrapy.crawler import CrawlerProcess

    class Bare(scrapy.Spider):
        name = "bare"
        custom_settings = {"ROBOTSTXT_OBEY": False}
        async def start(self):
            for line in open(sys.argv[1]):
                method, url = line.rstrip("\\n").split(" ", 1)
                yield scrapy.Request(url, method=method, dont_filter=True, callback=self.parse)
        def parse(self, response):
            pass

    process = CrawlerProcess({"CONCURRENT_REQUESTS_PER_DOMAIN": 8, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                              "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False})
    crawler = process.create_crawler(Bare)
    process.crawl(crawler)
    process.start()
    print(crawler.stats.get_value("downloader/response_count"), crawler.stats.get_value("elapsed_time_seconds"))
""")


def main():
    names = ["a1", "a3", "a6", "a8", "a9"]
    sites = start_farm(names)
    work = tempfile.mkdtemp(prefix="nianbao-bench-")
    try:
        db_path = os.path.join(work, "archive.db")
        urls = [a for s in sites.values() for a in ("--start-url", s.base + "/")]
        nianbao = os.path.join(os.path.dirname(sys.executable), "nianbao")
        start = time.perf_counter()
        result = subprocess.run([nianbao, "crawl", *urls, "--db", db_path, "--delay", "0", "--log-level", "ERROR", *SETTINGS],
                                check=True, cwd=ROOT, capture_output=True, text=True)
        full = time.perf_counter() - start
        full_crawl = float(re.search(r"in ([\d.]+)s", result.stderr).group(1))
        db = sqlite_utils.Database(db_path)
        fetched = list(db.query("SELECT method, final_url FROM captures WHERE status IS NOT NULL AND kind != 'robots'"))
        reports = db["reports"].count
        url_file = os.path.join(work, "urls.txt")
        with open(url_file, "w") as f:
            for row in fetched:
                f.write(f"{row['method']} {row['final_url']}\n")
        script = os.path.join(work, "bare.py")
        with open(script, "w") as f:
            f.write(BARE)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, script, url_file], check=True, cwd=work, capture_output=True, text=True)
        bare = time.perf_counter() - start
        responses, bare_crawl = result.stdout.strip().splitlines()[-1].split()
        bare_crawl = float(bare_crawl)
        assert int(responses) >= len(fetched), (responses, len(fetched))
        pages = len(fetched)
        print(f"{'run':28} {'command s':>9} {'crawl s':>8} {'pages/s':>8} {'reports/s':>10}")
        print(f"{'nianbao crawl (full)':28} {full:9.2f} {full_crawl:8.2f} {pages / full_crawl:8.1f} {reports / full_crawl:10.1f}")
        print(f"{'bare Scrapy, same URLs':28} {bare:9.2f} {bare_crawl:8.2f} {pages / bare_crawl:8.1f} {'':>10}")
        print(f"full pipeline rate / bare rate: {bare_crawl / full_crawl:.2f} while crawling, {bare / full:.2f} for the whole "
              f"command ({pages} pages, {reports} reports; the bare spider is handed every URL up front)")
    finally:
        stop_farm(sites)


if __name__ == "__main__":
    main()
