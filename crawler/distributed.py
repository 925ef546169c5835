"""Several crawler processes sharing one frontier through Redis (scrapy-redis).

``NIANBAO_REDIS_URL`` switches the scheduler and the duplicate filter to scrapy-redis, so
requests discovered by any process go to one queue and every URL is fetched once, whichever
process fetches it. Start requests are filtered too (not forced), so processes started with
the same start URLs do not fetch them twice.
"""

import heapq
import itertools
import time
from datetime import datetime, timezone

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured

try:
    from scrapy_redis.scheduler import Scheduler as _RedisScheduler
except ImportError:  # distributed mode is optional; apply() says what to install
    _RedisScheduler = object

# Requests that continue what this process holds: a report's files are linked to the report
# archived here (lists are fetched directly by their process and never scheduled).
LOCAL_KINDS = ("attachment",)


def apply(settings):
    """Turn a Settings object to distributed mode when NIANBAO_REDIS_URL is set."""
    url = settings.get("NIANBAO_REDIS_URL")
    if not url:
        return False
    try:
        import scrapy_redis  # noqa: F401
    except ImportError as error:
        raise RuntimeError("distributed crawling needs scrapy-redis: pip install 'nianbao[distributed]'") from error
    settings.set("SCHEDULER", "crawler.distributed.SharedScheduler", priority="cmdline")
    settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="cmdline")
    settings.set("REDIS_URL", url, priority="cmdline")
    # The first process to finish must not wipe the frontier the others still use, so it
    # persists; a frontier name (default: the UTC date) keeps tomorrow's crawl from being
    # filtered against today's.
    settings.set("SCHEDULER_PERSIST", True, priority="cmdline")
    frontier = settings.get("NIANBAO_FRONTIER") or datetime.now(timezone.utc).strftime("%Y-%m-%d")
    settings.set("SCHEDULER_QUEUE_KEY", f"nianbao:{frontier}:requests", priority="cmdline")
    settings.set("SCHEDULER_DUPEFILTER_KEY", f"nianbao:{frontier}:dupefilter", priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["crawler.distributed.WaitForSharedFrontier"] = 500
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    return True


class WaitForSharedFrontier:
    """Keep an idle process open a while: another process may still be adding requests.

    A plain spider closes the moment its scheduler is empty, which on a shared frontier only
    means the others hold the work in flight. The process closes once it has been idle for
    NIANBAO_SHARED_IDLE_CLOSE seconds with nothing new scheduled or downloaded.
    """

    def __init__(self, crawler, window):
        self.window = window
        self.last_activity = time.monotonic()
        crawler.signals.connect(self.activity, signal=signals.request_scheduled)
        crawler.signals.connect(self.activity, signal=signals.response_received)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("NIANBAO_REDIS_URL"):
            raise NotConfigured
        return cls(crawler, crawler.settings.getfloat("NIANBAO_SHARED_IDLE_CLOSE", 10.0))

    def activity(self, *args, **kwargs):
        self.last_activity = time.monotonic()

    def spider_idle(self, spider):
        if time.monotonic() - self.last_activity < self.window:
            raise DontCloseSpider


class SharedScheduler(_RedisScheduler):
    """scrapy-redis's shared frontier, except for the requests of :data:`LOCAL_KINDS`: they
    stay in this process's own queue (and are still marked seen in the shared filter, so no
    other process fetches them). Each process can then write its own archive: a report and its
    files land in the same one (``nianbao merge`` folds the archives together)."""

    def open(self, spider):
        super().open(spider)
        self.local, self.order = [], itertools.count()

    def enqueue_request(self, request):
        if request.meta.get("kind") not in LOCAL_KINDS:
            return super().enqueue_request(request)
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        heapq.heappush(self.local, (-request.priority, next(self.order), request))
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/local", spider=self.spider)
        return True

    def next_request(self):
        if self.local:
            return heapq.heappop(self.local)[2]
        return super().next_request()

    def has_pending_requests(self):
        return bool(self.local) or super().has_pending_requests()

    def __len__(self):
        return len(self.local) + super().__len__()
