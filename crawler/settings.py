"""Scrapy settings: polite by default (robots.txt, AutoThrottle, per-host limits, size caps)."""

BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Identify the crawler and say where to reach its operators; set your own contact URL.
NIANBAO_CONTACT_URL = "https://github.com/nianbao/nianbao"
USER_AGENT = f"Mozilla/5.0 (compatible; nianbao-archiver/0.1; +{NIANBAO_CONTACT_URL})"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024
# A body cut short of its Content-Length is kept (as evidence, outcome "truncated") and retried,
# never archived as a version of the document.
DOWNLOAD_FAIL_ON_DATALOSS = False
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"

# The archive: where reports, captures and WARC files go (nianbao crawl --db/--archive-dir).
NIANBAO_DB = "archive.db"
NIANBAO_ARCHIVE_DIR = None  # default: a "warc" folder beside the database

DOWNLOADER_MIDDLEWARES = {
    # Counts what each host is asked for; past NIANBAO_SITE_REQUESTS, requests are refused.
    "crawler.middlewares.SiteBudgetMiddleware": 940,
    # Next to the downloader: sees every hop of a redirect and the bytes as received.
    "crawler.middlewares.CaptureMiddleware": 950,
}
SPIDER_MIDDLEWARES = {
    # Requests past a host's budget are dropped as they are yielded, not queued to be refused.
    "crawler.middlewares.SiteBudgetSpiderMiddleware": 990,
}
ITEM_PIPELINES = {"crawler.pipelines.ArchivePipeline": 300}
# Per-site progress on stderr (pages, reports, walls), whatever LOG_LEVEL hides (crawler/progress.py).
EXTENSIONS = {"crawler.progress.Progress": 500}
NIANBAO_PROGRESS_SECONDS = 10
# Walls (412 Ruishu, 521 加速乐, 403/405 WAFs) are recorded, never retried: no retry storms.
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 8
# First found, first fetched: a column's records are archived in the order it lists them (the
# first copy of a report published twice is the one kept).
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
# No depth limit: list pages are counted per list, navigation by its own budget (crawler/budgets.py).
DEPTH_LIMIT = 0
NIANBAO_NAV_DEPTH = 4  # navigation hops from a start page (home -> section -> ...); 年报 columns may go 3 deeper
NIANBAO_LIST_PAGES = 1000  # requests one list may make (pages, API answers)
NIANBAO_SITE_REQUESTS = 20000  # requests one host may be sent in a crawl
NIANBAO_SITE_FAILURES = 50  # failures in a row (5xx, 429, no answer) after which a host is left

# Rendering in headless Chromium (scrapy-playwright) where a list or page is built by its own
# script: auto (when Chromium is found), on, off. NIANBAO_CHROMIUM names the browser binary.
NIANBAO_RENDER = "auto"
NIANBAO_CHROMIUM = None
NIANBAO_RENDER_TIMEOUT = 30.0  # seconds for a rendered page to load
NIANBAO_RENDER_CLICKS = 200  # next-page clicks on a rendered list that makes no list requests
HTTPERROR_ALLOW_ALL = False
LOG_LEVEL = "INFO"

# Distributed crawling (scrapy-redis): set NIANBAO_REDIS_URL (e.g. redis://host:6379/0) and
# every crawler process pointed at it shares one frontier and one duplicate filter.
NIANBAO_REDIS_URL = None
NIANBAO_FRONTIER = None  # frontier name shared by the processes of one crawl (default: UTC date)
NIANBAO_SHARED_IDLE_CLOSE = 10.0  # seconds a process waits, idle, for others to add work
