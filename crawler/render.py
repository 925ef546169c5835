"""Rendering in headless Chromium through scrapy-playwright, for lists and pages that only their
own script builds (SITES.md §2.8, §4.4): used only where the static mechanisms fall short, never
for every page.

Debian's ``chromium`` is driven by Playwright with ``executable_path`` (no browser download). The
browser is started on the first rendering, not with the crawl. Every request the rendered page
makes is recorded and written to the WARC file and ``captures`` (kind ``browser``) like any
other fetch; the rendered DOM itself is captured as kind ``rendered``.
"""

import asyncio
import hashlib
import logging
import os
import shutil

from scrapy import Request

from archive.db import now

from . import outcomes
from .lists.rendered import Exchange
from .page import Page

logger = logging.getLogger(__name__)

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Without these flags Chromium phones home at start (a closed network refuses it, many times over).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions", "--mute-audio"]
_SKIPPED_RESOURCES = ("image", "media", "font")
_NEXT_CONTROLS = ("下一页", "下页", "后一页", "下一页>", "下一页 >", ">", "›", "»", "next", "Next", "加载更多", "点击加载更多",
                  "查看更多")


def chromium_path(settings=None):
    configured = (settings.get("NIANBAO_CHROMIUM") if settings is not None else None) or os.environ.get("NIANBAO_CHROMIUM")
    if configured:
        return configured if os.path.exists(configured) else None
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def availability(settings):
    """``(True, chromium path)`` when rendering can be done, else ``(False, why not)``."""
    mode = str(settings.get("NIANBAO_RENDER", "auto")).lower()
    if mode in ("off", "0", "false", "no"):
        return False, "rendering is off (NIANBAO_RENDER=off)"
    try:
        import playwright  # noqa: F401
        import scrapy_playwright  # noqa: F401
    except ImportError:
        return False, "scrapy-playwright is not installed"
    path = chromium_path(settings)
    if not path:
        return False, "no Chromium found (install Debian's chromium or set NIANBAO_CHROMIUM)"
    return True, path


def apply(settings):
    """Install scrapy-playwright's download handler when rendering is available."""
    available, path = availability(settings)
    settings.set("NIANBAO_RENDER_AVAILABLE", available, priority="cmdline")
    settings.set("NIANBAO_RENDER_REASON", None if available else path, priority="cmdline")
    if not available:
        return False
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    settings.set("DOWNLOAD_HANDLERS", {"http": handler, "https": handler}, priority="cmdline")
    settings.set("PLAYWRIGHT_BROWSER_TYPE", "chromium", priority="cmdline")
    settings.set("PLAYWRIGHT_BROWSER_PROVIDER", "crawler.render.LazyBrowserProvider", priority="cmdline")
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", {"executable_path": path, "headless": True, "args": CHROMIUM_ARGS},
                 priority="cmdline")
    settings.set("PLAYWRIGHT_ABORT_REQUEST", "crawler.render.skip_resource", priority="cmdline")
    settings.set("PLAYWRIGHT_MAX_CONTEXTS", 1, priority="cmdline")
    settings.set("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT", settings.getint("NIANBAO_RENDER_PAGES", 2), priority="cmdline")
    timeout = settings.getfloat("NIANBAO_RENDER_TIMEOUT", 30.0)
    settings.set("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT", int(timeout * 1000), priority="cmdline")
    return True


def skip_resource(request):
    """Images, media and fonts are not fetched by the browser: they hold no list."""
    return request.resource_type in _SKIPPED_RESOURCES


try:
    from scrapy_playwright.provider import PlaywrightBrowserProvider
except ImportError:  # rendering unavailable; apply() never names this provider then
    PlaywrightBrowserProvider = object


class LazyBrowserProvider(PlaywrightBrowserProvider):
    """Starts Playwright (and Chromium) at the first rendering, so crawls that render nothing
    never start either."""

    async def start(self):
        self._started = False

    async def launch_browser(self):
        if not getattr(self, "_started", False):
            await PlaywrightBrowserProvider.start(self)
            self._started = True
        return await PlaywrightBrowserProvider.launch_browser(self)

    async def close(self):
        if getattr(self, "_started", False):
            await PlaywrightBrowserProvider.close(self)


class Recorder:
    """Keeps the browser's responses for one rendered page, to capture and read them."""

    def __init__(self):
        self.responses = []
        self.taken = 0
        self.walls = []  # (url, outcome, detail) of pages the browser was walled off from

    def on_response(self, response):
        self.responses.append(response)

    async def collect(self, store, referer):
        """Capture the responses received since the last call; returns their Exchanges."""
        fresh, self.taken = self.responses[self.taken:], len(self.responses)
        exchanges = []
        for response in fresh:
            exchange, outcome, detail = await _capture(response, store, referer)
            if outcome in (outcomes.BLOCKED, outcomes.RATE_LIMITED) and response.request.resource_type == "document":
                self.walls.append((response.url, outcome, detail))
            if exchange is not None:
                exchanges.append(exchange)
        return exchanges


async def _capture(response, store, referer):
    request = response.request
    try:
        body = await response.body()
    except Exception:  # noqa: BLE001 - redirects and aborted loads have no body
        body = b""
    try:
        headers = await response.all_headers()
        request_headers = await request.all_headers()
    except Exception:  # noqa: BLE001 - the page may already be gone
        headers, request_headers = dict(response.headers), dict(request.headers)
    outcome, detail = outcomes.classify(response.status, headers, body, response.url, request.url)
    warc_file, offset = store.write_response(response.url, response.status, response.status_text or "",
                                             list(headers.items()), body, list(request_headers.items()), request.method)
    store.capture(url=request.url, final_url=response.url, method=request.method, referer=referer, kind="browser",
                  status=response.status, fetched_at=now(), sha256=hashlib.sha256(body).hexdigest(), size=len(body),
                  content_type=headers.get("content-type"), encoding=None, etag=headers.get("etag"),
                  last_modified=headers.get("last-modified"), warc_file=warc_file, warc_offset=offset,
                  outcome=outcome, detail=detail or None)
    if request.resource_type not in ("xhr", "fetch", "document", "other", "script") or not body:
        return None, outcome, detail
    answer = Page(response.url, body, response.status, {k.lower(): v for k, v in headers.items()}, "browser")
    exchange = Exchange(request.method, request.url, request.post_data, dict(request_headers), request.resource_type, answer)
    return exchange, outcome, detail


def request(url, callback, errback, meta=None, referer=None):
    """A Scrapy request rendered by the browser; the callback gets the open page to read."""
    from scrapy_playwright.page import PageMethod

    recorder = Recorder()
    meta = dict(meta or {}, playwright=True, playwright_include_page=True, recorder=recorder,
                playwright_context="nianbao",
                playwright_page_event_handlers={"response": recorder.on_response},
                playwright_page_methods=[PageMethod("wait_for_load_state", "networkidle")])
    headers = {"Referer": referer} if referer else {}
    return Request(url, callback=callback, errback=errback, meta=meta, headers=headers, dont_filter=True)


async def next_page(page, number=None, wait=10.0):
    """Click the rendered page's next-page control (下一页, or the number of the page after
    ``number``); whether the page then showed something else."""
    for text in _NEXT_CONTROLS + ((str(number + 1),) if number else ()):
        locator = page.get_by_text(text, exact=True)
        try:
            count = await locator.count()
        except Exception:  # noqa: BLE001
            return False
        for index in range(count):
            control = locator.nth(index)
            try:
                if not await control.is_visible():
                    continue
                before = await page.content()
                await control.click(timeout=wait * 1000)
                return await _changed(page, before, wait)
            except Exception as error:  # noqa: BLE001 - a control that leads nowhere
                logger.debug("next-page control %r on %s: %s", text, page.url, error)
                continue
    return False


async def _changed(page, before, wait):
    """Wait for a click's effect: a navigation's load, or a script's redraw of the DOM (the
    load state does not wait for requests made after the page loaded)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while loop.time() < deadline:
        try:
            await page.wait_for_load_state("load", timeout=wait * 1000)
            if await page.content() != before:
                await page.wait_for_load_state("networkidle", timeout=wait * 1000)
                return True
        except Exception:  # noqa: BLE001 - the page is between documents
            pass
        await asyncio.sleep(0.1)
    return False


async def close(page):
    try:
        await page.close()
    except Exception:  # noqa: BLE001
        pass
