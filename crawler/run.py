"""Running a crawl as a library call: settings from plain arguments, the ``reports`` spider, and
what the crawl did (its stats, its run, how many of its lists came out short).

``crawl`` runs in this process (Twisted's reactor starts once per process: the CLI's case);
``crawl_in_child`` runs it in a fresh Python process and hands back the same result, for callers
that crawl again and again (``nianbao run``, ``nianbao schedule``).
"""

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field

INCOMPLETE = 3  # exit status of a crawl that finished with an incomplete list


@dataclass
class CrawlResult:
    finish_reason: str
    run_id: int = None
    incomplete_lists: int = 0
    stats: dict = field(default_factory=dict)
    errors: str = ""  # the end of what the crawl printed, when it did not finish

    @property
    def lost(self):
        """``{url: why}`` of the documents fetched but not extracted (their worker died)."""
        return self.stats.get("nianbao/lost") or {}

    @property
    def unfetched(self):
        """``{url: why}`` of the start pages, report pages and files that got no usable answer
        (an error, a timeout, a truncated or discarded body, a budget), walls and removals aside."""
        return self.stats.get("nianbao/unfetched") or {}

    @property
    def unfetched_count(self):
        """How many documents were not got (more than :attr:`unfetched` names, past its cap)."""
        return self.stats.get("nianbao/unfetched_count") or len(self.unfetched)

    @property
    def exit_code(self):
        """0 finished, 3 finished incomplete (a list short of its total, documents lost or not
        got), 1 did not finish."""
        if self.finish_reason != "finished":
            return 1
        return INCOMPLETE if self.incomplete_lists or self.lost or self.unfetched_count else 0


def bad_start_urls(urls):
    """``[(url, why)]`` for start URLs a crawl cannot begin from: not http(s), or no host."""
    from urllib.parse import urlsplit

    bad = []
    for url in urls:
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in ("http", "https"):
            bad.append((url, "not an http:// or https:// URL"))
        elif not parts.hostname:
            bad.append((url, "no host name"))
    return bad


def settings(db_path, archive_dir=None, delay=None, log_level="INFO", redis_url=None, frontier=None, contact=None,
             overrides=()):
    """The project's Scrapy settings with a crawl's options over them (``overrides``: NAME=VALUE)."""
    from scrapy.settings import Settings

    values = Settings()
    values.setmodule("crawler.settings", priority="project")
    values.set("NIANBAO_DB", db_path, priority="cmdline")
    if archive_dir:
        values.set("NIANBAO_ARCHIVE_DIR", archive_dir, priority="cmdline")
    if delay is not None:
        values.set("DOWNLOAD_DELAY", delay, priority="cmdline")
        values.set("AUTOTHROTTLE_ENABLED", delay > 0, priority="cmdline")
    values.set("LOG_LEVEL", log_level, priority="cmdline")
    if redis_url:
        values.set("NIANBAO_REDIS_URL", redis_url, priority="cmdline")
    if frontier:
        values.set("NIANBAO_FRONTIER", frontier, priority="cmdline")
    if contact:
        values.set("USER_AGENT", f"Mozilla/5.0 (compatible; nianbao-archiver/0.1; +{contact})", priority="cmdline")
    for override in overrides:
        name, _, value = override.partition("=")
        values.set(name.strip(), value.strip(), priority="cmdline")
    return values


def crawl(start_urls, crawl_settings, regions=None, labels=()):
    """Crawl in this process; returns its :class:`CrawlResult`. ``regions``: ``{host: division
    code}`` of the sites (crawler.sources.regions_of); ``labels``: the sources' names."""
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(crawl_settings)
    crawler = process.create_crawler("reports")
    process.crawl(crawler, start_urls=",".join(start_urls), regions=json.dumps(regions or {}),
                  labels=",".join(labels))
    process.start()
    stats = json.loads(json.dumps(crawler.stats.get_stats(), default=str))
    store = getattr(crawler, "nianbao_store", None)
    incomplete = stats.get("nianbao/listings/incomplete", 0)
    return CrawlResult(stats.get("finish_reason") or "failed", store.run_id if store else None, incomplete, stats)


def crawl_in_child(start_urls, db_path, overrides=(), regions=None, labels=(), **options):
    """Crawl in a fresh Python process (a reactor per crawl); returns its :class:`CrawlResult`."""
    with tempfile.TemporaryDirectory(prefix="nianbao-crawl-") as work:
        out = os.path.join(work, "result.json")
        job = {"start_urls": list(start_urls), "db_path": db_path, "overrides": list(overrides), "regions": regions or {}, "labels": list(labels),
               "options": options, "out": out}
        done = subprocess.run([sys.executable, "-m", "crawler.run", json.dumps(job)], capture_output=True, text=True,
                              cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        if not os.path.exists(out):
            return CrawlResult("failed", errors=(done.stderr or done.stdout)[-2000:])
        with open(out, encoding="utf-8") as f:
            result = CrawlResult(**json.load(f))
        if result.exit_code == 1:
            result.errors = done.stderr[-2000:]
        return result


def _main(argv):
    job = json.loads(argv[1])
    result = crawl(job["start_urls"], settings(job["db_path"], overrides=job["overrides"], **job["options"]),
                   job.get("regions"), job.get("labels", ()))
    with open(job["out"], "w", encoding="utf-8") as f:
        json.dump(asdict(result), f, default=str)
    return result.exit_code


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
