"""A crawl's own progress, per site, on stderr: pages fetched, reports archived, walls met and
documents not got, every ``NIANBAO_PROGRESS_SECONDS`` (0: never) and once at the end. It is what
an operator watching a crawl (or reading cron's mail) needs; Scrapy's own log stays at the
level asked for.

The counts are the crawl's stats under ``nianbao/site/<host>/…``, written by the capture
middleware (:func:`count_capture`) and the archive pipeline (:func:`count_report`).
"""

import sys
from datetime import datetime, timezone
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured

from . import outcomes

WALLS = (outcomes.BLOCKED, outcomes.RATE_LIMITED, outcomes.ROBOTS)
FAILED = (outcomes.ERROR, outcomes.TIMEOUT, outcomes.TRUNCATED, outcomes.TOO_LARGE, outcomes.DISCARDED)
_PREFIX = "nianbao/site/"


def _host(url):
    return urlsplit(url).netloc or "?"


def count_capture(stats, url, outcome):
    """Count one capture of a site by its outcome (and in the crawl's totals)."""
    stats.inc_value(f"nianbao/outcome/{outcome}")
    stats.inc_value(f"{_PREFIX}{_host(url)}/{outcome}")
    started = stats.get_value("start_time")
    if started is not None and outcome != outcomes.ROBOTS:  # robots.txt refuses without a download
        # When the downloader's last answer came, against the crawl's end (elapsed_time_seconds):
        # the gap is the work left after downloading (extraction, attachments, the cross checks).
        stats.set_value("nianbao/downloaded_seconds", (datetime.now(timezone.utc) - started).total_seconds())


def count_report(stats, url, status):
    """Count one report archived from a site (``status``: new, changed, unchanged …)."""
    stats.inc_value(f"nianbao/reports/{status}")
    stats.inc_value(f"{_PREFIX}{_host(url)}/reports")


def sites(stats):
    """``{host: {outcome or 'reports': count}}`` from a crawl's stats."""
    out = {}
    for key, value in stats.items():
        if key.startswith(_PREFIX):
            host, _, what = key[len(_PREFIX):].rpartition("/")
            out.setdefault(host, {})[what] = value
    return out


def line(host, counts):
    """One site's progress as a line: ``host: 40 pages, 12 reports, 1 wall, 2 not got``."""
    pages = sum(v for k, v in counts.items() if k != "reports")
    walls = sum(counts.get(k, 0) for k in WALLS)
    failed = sum(counts.get(k, 0) for k in FAILED)
    parts = [f"{pages} pages", f"{counts.get('reports', 0)} reports"]
    if walls:
        parts.append(f"{walls} walled ({', '.join(f'{k} {counts[k]}' for k in WALLS if counts.get(k))})")
    if failed:
        parts.append(f"{failed} failed ({', '.join(f'{k} {counts[k]}' for k in FAILED if counts.get(k))})")
    if counts.get(outcomes.NOT_FOUND):
        parts.append(f"{counts[outcomes.NOT_FOUND]} not found")
    return f"{host}: {', '.join(parts)}"


class Progress:
    """Scrapy extension printing :func:`line` for every site whose counts moved."""

    def __init__(self, crawler, interval, out=None):
        self.crawler, self.interval, self.out = crawler, interval, out or sys.stderr
        self.shown, self.task = {}, None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("NIANBAO_PROGRESS_SECONDS", 10)
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider):
        from twisted.internet import task

        self.task = task.LoopingCall(self.show)
        self.task.start(self.interval, now=False)

    def show(self, final=False):
        for host, counts in sorted(sites(self.crawler.stats.get_stats()).items()):
            if final or self.shown.get(host) != counts:
                self.shown[host] = dict(counts)
                self.out.write(f"{'site' if final else 'progress'} {line(host, counts)}\n")
        self.out.flush()

    def closed(self, spider, reason):
        if self.task and self.task.running:
            self.task.stop()
        self.show(final=True)
