"""The ``reports`` spider: from a site's home or section root to every annual report on it.

``scrapy crawl reports -a start_urls=URL[,URL]``. Thin wiring: which links to follow is decided
by what they say (crawler.discovery); how a column's records are enumerated by the list
mechanisms (crawler.lists), whose account of each list is kept by crawler.listings; what a
response is by crawler.outcomes; rendering by crawler.render. Everything fetched is captured by
crawler.middlewares and archived by crawler.pipelines.

A list is enumerated in one coroutine: its pages are downloaded directly (the downloader and its
middlewares, not the scheduler), so the list's pages are counted, not its depth, and its row in
``listings`` is written when its last page has answered.
"""

import asyncio
import json
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest

from crawler import discovery, distributed, filetypes, lists, outcomes, render
from extractors import spec
from extractors.filetypes import sniff
from crawler.budgets import settings_budgets
from crawler.items import AttachmentItem, ReportItem
from crawler.listings import ListingTracker
from crawler.lists.base import Fetch, Found, Plan
from crawler.lists.items import looks_like_list
from crawler.lists.rendered import RenderedPage
from crawler.page import Page
from crawler.store import CrawlStore

_STUB = re.compile(r"详见附件|见附件|请下载附件|点击下载|附件下载|附件[:：]")
_LIST_CONCURRENCY = 4  # requests of one list in flight (the downloader's per-host limit applies too)
_SHELL_TEXT = 150  # characters of non-link text below which a page with scripts is a shell


class ReportsSpider(scrapy.Spider):
    name = "reports"
    # Non-redirect error statuses reach the callbacks so that they are recorded, not dropped.
    handle_httpstatus_list = [304, 400, 401, 403, 404, 405, 410, 412, 429, 500, 502, 503, 521]

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        distributed.apply(settings)  # NIANBAO_REDIS_URL: share the frontier (scrapy crawl -s works too)
        render.apply(settings)  # scrapy-playwright's handler, when Chromium is there

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.nav_depth, list_pages, _ = settings_budgets(crawler.settings)
        spider.listings = ListingTracker(list_pages)
        spider.can_render = crawler.settings.getbool("NIANBAO_RENDER_AVAILABLE")
        spider.render_reason = crawler.settings.get("NIANBAO_RENDER_REASON")
        crawler.signals.connect(spider._write_unfinished_listings, signal=signals.spider_closed)
        return spider

    def __init__(self, start_urls="", source=None, region_code=None, regions=None, labels="", *args, **kwargs):
        """``source``: registry names to crawl; ``region_code``: the division of the sites of
        ``start_urls``; ``regions``: ``{host: division code}`` (JSON); ``labels``: the names of
        the sources crawled, for the run's record."""
        super().__init__(*args, **kwargs)
        if isinstance(start_urls, str):
            start_urls = [u.strip() for u in start_urls.split(",") if u.strip()]
        names = [s for s in (source or "").split(",") if s]
        self.sources = [s for s in (labels or "").split(",") if s] + names
        # The division each site belongs to: names like 塔峰镇人民政府 say no county.
        self.regions = json.loads(regions) if isinstance(regions, str) else dict(regions or {})
        if region_code:
            self.regions.update({urlsplit(u).netloc: str(region_code) for u in start_urls})
        if names:
            from crawler.sources import load_source, regions_of

            entries = [load_source(name) for name in names]
            start_urls = list(start_urls) + [u for entry in entries for u in entry["start_urls"]]
            self.regions.update(regions_of(entries))
        if not start_urls:
            raise ValueError("give start URLs: scrapy crawl reports -a start_urls=URL[,URL]")
        self.start_urls = start_urls
        self.scopes = {urlsplit(u).netloc for u in start_urls}

    @property
    def store(self):
        return CrawlStore.of(self.crawler)

    async def start(self):
        for request in self.start_requests():
            yield request

    def start_requests(self):  # Scrapy < 2.13 calls this directly
        # A shared frontier (scrapy-redis) must filter start URLs, or every process fetches them.
        shared = bool(self.settings.get("NIANBAO_REDIS_URL"))
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse_page, errback=self.failed,
                                 meta={"kind": "start", "nav_depth": 0}, dont_filter=not shared)

    # -- pages -----------------------------------------------------------------------------
    async def parse_page(self, response):
        page = Page.from_response(response)
        if not self._usable(response):
            self._unfetched(response.request, response.meta.get("capture"), response.status)
        if not self._usable(response) or page.root is None:
            if page.kind == "column":
                requested = (response.meta.get("redirect_urls") or [response.url])[0]
                self._unreadable_column(requested, response.meta.get("capture") or {})
            return
        title = self._page_title(page.root)
        if page.kind == "detail" or self._looks_like_report(page, title):
            # A link titled like a report can lead to a list of them (a year column named
            # 2023年政府信息公开年报): a page with a list and no report of its own is read as a list.
            plans = [] if self._has_report(page) else lists.recognise(page)
            if not plans:
                async for out in self._report(response, page, title):
                    yield out
                return
            page.kind = "column"
        for out in self._follow(response, page):
            yield out
        async for out in self._lists(response, page):
            yield out

    def parse_attachment(self, response):
        if not self._usable(response):
            self._unfetched(response.request, response.meta.get("capture"), response.status)
            return
        name = filetypes.disposition_filename(response.headers.get("Content-Disposition")) or response.meta.get("name") or ""
        file_type = sniff(response.body, name or response.url)
        if file_type == "html" and response.meta.get("expects_file"):
            # A download URL that answers with an HTML page: an error page (e.g. missing Referer).
            self.crawler.stats.inc_value("nianbao/attachment/html_instead_of_file")
            self.store.discard(response.meta["capture"], outcomes.DISCARDED,
                               "a download link answered an HTML page, not a file (an error page: no report read)")
            self._unfetched(response.request, response.meta["capture"])
            return
        yield AttachmentItem(
            url=(response.meta.get("redirect_urls") or [response.url])[0], report_url=response.meta["report_url"], name=name,
            file_type=file_type, role=response.meta.get("role", "attachment"), body=response.body,
            capture_id=response.meta["capture"]["capture_id"],
        )

    def failed(self, failure):
        """A request that got no usable answer: already captured with its outcome; one log line."""
        request = failure.request
        capture = self._thrown_away(request, failure.value) or request.meta.get("capture") or {
            "outcome": "error", "detail": failure.getErrorMessage()[:200]}
        if request.meta.get("kind") == "column":
            self._unreadable_column(request.url, capture)
        self._unfetched(request, capture)
        self.logger.warning("no answer from %s: %s", request.url, (capture.get("detail") or failure.getErrorMessage())[:200])

    def _thrown_away(self, request, error):
        """A response captured as usable that a downloader middleware then threw away (a body
        that decompresses past DOWNLOAD_MAXSIZE, the end of a redirect loop): its capture is
        marked ``discarded`` with the reason, so that no capture claims an answer that was not kept."""
        capture = request.meta.get("capture")
        if not isinstance(error, IgnoreRequest) or not capture or capture.get("outcome") != outcomes.OK:
            return None
        reason = str(error) or type(error).__name__
        if "redirections" in reason:
            reason = f"{reason}: a redirect chain longer than REDIRECT_MAX_TIMES ({self.settings.getint('REDIRECT_MAX_TIMES')})"
        self.store.discard(capture, outcomes.DISCARDED, f"thrown away after it came: {reason}"[:300])
        return capture

    def _unfetched(self, request, capture, status=None):
        """A start page, report page or file that ended without a usable answer for a reason that
        is no fact about the site (an error, a timeout, a cut or discarded body, a budget): the
        run is incomplete and names it (``nianbao/unfetched``)."""
        kind = request.meta.get("kind") if request is not None else None
        outcome = (capture or {}).get("outcome")
        settled = outcome in outcomes.SETTLED and not (outcome == outcomes.OK and status not in (None, 200))
        if kind not in ("start", "detail", "attachment") or settled:
            return
        url = (request.meta.get("redirect_urls") or [request.url])[0]
        why = f"{outcome or 'error'}: {(capture or {}).get('detail') or (f'HTTP {status}' if status else '')}".rstrip(": ")
        outcomes.note_unfetched(self.crawler.stats, url, why)

    # -- navigation ----------------------------------------------------------------------------
    def _follow(self, response, page):
        """Report links anywhere on the page; column and navigation links within the depth budget."""
        depth = response.meta.get("nav_depth", 0)
        yield from self._item_requests(page.url, page.links)
        for link in page.links:
            if not self._in_scope(link.url):
                continue
            if discovery.is_column(link.label):
                if depth + 1 > self.nav_depth + 3:  # sub-columns may nest a few levels under navigation
                    self.crawler.stats.inc_value("nianbao/budget/nav_depth")
                    continue
                yield self._request(link.url, self.parse_page, "column", page.url, priority=5, nav_depth=depth + 1)
            elif discovery.is_navigation(link.label):
                if depth >= self.nav_depth:
                    self.crawler.stats.inc_value("nianbao/budget/nav_depth")
                    continue
                yield self._request(link.url, self.parse_page, "nav", page.url, nav_depth=depth + 1)

    def _item_requests(self, base, links):
        """Detail (or file) requests for the links that name an annual report."""
        for link in links:
            verdict = discovery.classify_title(link.label)
            if verdict == "decoy":
                self.crawler.stats.inc_value("nianbao/decoy_links")
            elif verdict == "report" and not discovery.is_column(link.label):
                if discovery.is_attachment_url(link.url, link.label):
                    yield self._request(link.url, self.parse_attachment, "attachment", base, name=link.label, role="body",
                                        report_url=link.url, expects_file=True, title=link.label)
                elif self._in_scope(link.url):
                    yield self._request(link.url, self.parse_page, "detail", base, priority=10, title=link.label)

    def _request(self, url, callback, kind, referer, priority=0, **meta):
        return scrapy.Request(url, callback=callback, errback=self.failed, headers={"Referer": referer} if referer else {},
                              priority=priority, meta=dict(meta, kind=kind))

    # -- lists ------------------------------------------------------------------------------
    async def _lists(self, response, page):
        plans = [p for p in lists.recognise(page) if self._worth_enumerating(page, p)]
        if not plans and self._should_render(page):
            plans = [Plan("rendered", f"rendered:{page.url}", page.url, Found(is_page=False), {})]
        for plan in plans:
            listing = self.listings.open(plan, response.meta.get("referer") or _referer(response))
            if listing is None:
                continue
            async for out in self._enumerate(listing):
                yield out

    @staticmethod
    def _worth_enumerating(page, plan):
        """Lists of 年报 columns are enumerated; a list on a home or navigation page (a section's
        news, a unit's documents) only when it shows an annual report, so that a crawl does not
        page through a site's every list."""
        if page.kind == "column" or plan.mechanism == "gkmlpt":  # gkmlpt plans are its 年报 categories
            return True
        if discovery.is_column(discovery.column_name(page.root) or "") or discovery.is_column(ReportsSpider._page_title(page.root)):
            return True
        return any(discovery.classify_title(link.label) == "report" for link in plan.found.items)

    async def _enumerate(self, listing):
        """Every page of one list, its strategies and fallbacks, then its ``listings`` row."""
        found = listing.plan.found
        listing.absorb(found)
        for out in self._item_requests(listing.plan.url, found.items):
            yield out
        queue = deque(found.fetches)
        while True:
            async for out in self._drain(listing, queue):
                yield out
            if listing.mechanism != "rendered" and not listing.short() and not listing.plan.state.get("render"):
                break
            module = lists.mechanism(listing.mechanism)
            fetches, note = module.fallback(listing.plan) if hasattr(module, "fallback") else ([], None)
            if fetches:
                listing.note(note)
                queue.extend(fetches)
                continue
            # A list stopped by a budget (or an absurd total) is short by our own choice:
            # rendering it would only spend what the budget withholds.
            wanted = listing.mechanism == "rendered" or listing.short() or listing.plan.state.get("render")
            if listing.rendered is None and not listing.budget and not listing.implausible and wanted:
                async for out in self._render_list(listing, queue):
                    yield out
                if queue:
                    continue
            break
        self._write_listing(listing)
        for route in listing.plan.state.get("routes", []):
            # A single-page app's 年报 column is a route of the rendered page (#/column/…):
            # rendered as a list of its own.
            plan = Plan("rendered", f"rendered:{route}", route, Found(is_page=False), {"route": True})
            routed = self.listings.open(plan, listing.plan.url)
            if routed is not None:
                async for out in self._enumerate(routed):
                    yield out

    async def _drain(self, listing, queue):
        running = {}
        while queue or running:
            while queue and len(running) < _LIST_CONCURRENCY:
                fetch = queue.popleft()
                if self.listings.admit(listing, fetch):
                    running[asyncio.ensure_future(self._download(listing, fetch))] = fetch
            if not running:
                break
            done, _ = await asyncio.wait(list(running), return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                fetch = running.pop(task)
                response, capture = task.result()
                for out in self._answer(listing, fetch, response, capture, queue):
                    yield out

    async def _download(self, listing, fetch):
        """``(response or None, capture outcome)`` of one list request, fetched directly."""
        headers = dict(fetch.headers, Referer=listing.plan.url)
        request = scrapy.Request(fetch.url, method=fetch.method, body=fetch.body, headers=headers, dont_filter=True,
                                 meta={"kind": fetch.kind, "listing": listing.plan.key})
        _mark_seen(self.crawler, request)
        try:
            response = await self.crawler.engine.download_async(request)
        except IgnoreRequest as error:
            capture = self._thrown_away(request, error) or request.meta.get("capture") or {
                "outcome": "robots_disallowed" if "robots" in str(error).lower() else "refused", "detail": str(error)[:200]}
            return None, capture
        except Exception as error:  # noqa: BLE001 - recorded as the page's failure
            return None, request.meta.get("capture") or {"outcome": "error", "detail": f"{type(error).__name__}: {error}"[:200]}
        return response, response.meta.get("capture") or {"outcome": "ok"}

    def _answer(self, listing, fetch, response, capture, queue):
        module = lists.mechanism(fetch.data.get("mechanism") or listing.mechanism)
        outcome = capture.get("outcome")
        if response is None or outcome != "ok" or response.status != 200:
            if outcome == "refused" and "budget" in (capture.get("detail") or ""):
                listing.budget = capture["detail"]
            listing.fail(fetch.url, fetch.page, outcome or f"HTTP {response.status}", capture.get("detail") or "")
            if hasattr(module, "failed"):
                found = module.failed(listing.plan, fetch, outcome)
                listing.absorb(found)
                queue.extend(found.fetches)
            return
        answer = Page.from_response(response, fetch.kind)
        if answer.text is None:
            listing.fail(fetch.url, fetch.page, "not_text", "the answer is not text")
            return
        try:
            found = module.read(listing.plan, fetch, answer)
        except Exception as error:  # noqa: BLE001 - an answer the mechanism cannot read is a failed page
            detail = f"{type(error).__name__}: {str(error)[:200]}"
            self.logger.warning("list %s: %s could not read %s: %s", listing.plan.url, module.NAME, fetch.url, detail)
            listing.fail(fetch.url, fetch.page, "unreadable", detail)
            return
        new = listing.absorb(found)
        if found.empty:
            listing.fail(fetch.url, fetch.page, "empty", f"a {len(response.body)}-byte page holding no record of the list")
        if fetch.data.get("chain") and found.items and not new:
            if found.is_page:
                listing.note(f"page {fetch.page} repeats earlier records: the list ends before it")
        else:
            queue.extend(found.fetches)
        yield from self._item_requests(answer.url, found.items)
        if fetch.kind == "list" and answer.root is not None:
            yield from self._item_requests(answer.url, answer.links)  # report links outside the list too

    def _write_listing(self, listing):
        if listing.plan.key in self.listings.written:
            return
        self.listings.mark_written(listing)
        row = listing.row(self.store.run_id)
        self.store.write_listing(row, list(listing.items.values()))
        self.crawler.stats.inc_value(f"nianbao/listings/{ {1: 'complete', 0: 'incomplete'}.get(row['complete'], 'unknown') }")
        if row["complete"] == 0:
            self.logger.warning("incomplete list %s (%s): %s", row["url"], row["mechanism"], row["detail"])

    def _unreadable_column(self, url, capture):
        """A 年报 column whose first page gave no usable answer is a list known not to be read."""
        plan = Plan("unread", f"unread:{url}", url, Found(is_page=False), {})
        listing = self.listings.open(plan)
        if listing is None:
            return
        listing.fail(url, 1, capture.get("outcome") or "error", capture.get("detail") or "")
        self._write_listing(listing)

    def _write_unfinished_listings(self, spider, reason=None):
        for listing in self.listings.unwritten():
            listing.fail(listing.plan.url, None, "interrupted", f"the crawl ended ({reason}) before the list was finished")
            self._write_listing(listing)

    # -- rendering ----------------------------------------------------------------------------
    def _should_render(self, page):
        """A start or column page that holds no list, no column and no report link, but scripts:
        its list (if any) is drawn by its own script."""
        if page.kind not in ("start", "column") or page.root is None or not list(page.root.iter("script")):
            return False
        if looks_like_list(page.root, page.url):
            return False
        links = [l for l in page.links if self._in_scope(l.url)]
        if any(discovery.is_column(l.label) or discovery.classify_title(l.label) == "report" for l in links):
            return False
        return not (page.kind == "start" and any(discovery.is_navigation(l.label) for l in links))

    def _column_routes(self, rendered):
        """Links of a rendered page to 年报 columns that are routes of a single-page app."""
        routes = []
        for a in rendered.root.iter("a") if rendered.root is not None else ():
            href = a.get("href") or ""
            label = a.get("title") or "".join(a.itertext())
            if re.search(r"#[!/]", href) and discovery.is_column(label):
                url = urljoin(rendered.url, href)
                if self._in_scope(url) and url not in routes:
                    routes.append(url)
        return routes

    async def _render(self, url, kind, referer, meta=None):
        """``(rendered page, open browser page, recorder)`` or ``(None, None, reason)``."""
        request = render.request(url, None, None, dict(meta or {}, kind="rendered", rendered_as=kind), referer)
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as error:  # noqa: BLE001 - recorded on the listing or the report
            page = request.meta.get("playwright_page")
            if page is not None:
                await render.close(page)
            return None, None, f"{type(error).__name__}: {str(error)[:200]}"
        browser_page = response.meta.get("playwright_page")
        recorder = response.meta["recorder"]
        exchanges = await recorder.collect(self.store, url)
        capture = response.meta.get("capture") or {}
        if capture.get("outcome") not in (None, "ok"):  # a wall is recorded, not rendered past
            await render.close(browser_page)
            return None, None, f"{capture.get('outcome')}: {capture.get('detail') or ''}"
        rendered = RenderedPage(response.url, response.body, response.status,
                                {k.decode("latin-1").lower(): v[0].decode("latin-1") for k, v in response.headers.items() if v},
                                kind, exchanges=exchanges)
        rendered.response = response
        self.crawler.stats.inc_value("nianbao/rendered")
        return rendered, browser_page, recorder

    async def _render_list(self, listing, queue):
        """The rendered fallback of a list: the rendered DOM's records, the page's own list
        requests and their next pages, and (when the page made none) its pager clicked through."""
        if not self.can_render:
            listing.rendered = f"not available: {self.render_reason}"
            return
        rendered, browser_page, recorder = await self._render(listing.plan.url, "list", listing.referer)
        if rendered is None:
            listing.rendered = f"rendering {listing.plan.url} failed: {recorder}"
            return
        before = listing.found
        try:
            plan = lists.mechanism("rendered").recognise(rendered)[0]
            found = plan.found
            found.is_page = listing.mechanism == "rendered"
            listing.absorb(found)
            if listing.mechanism == "rendered" and not listing.plan.state.get("route"):
                listing.plan.state["routes"] = self._column_routes(rendered)
            for out in self._item_requests(rendered.url, found.items + rendered.links):
                yield out
            queue.extend(found.fetches)
            if not found.fetches and (listing.short() or listing.mechanism == "rendered" or listing.plan.state.get("render")):
                clicks = self.settings.getint("NIANBAO_RENDER_CLICKS", 200)
                idle = 0
                for click in range(clicks):
                    if not self.listings.admit(listing, Fetch(f"{listing.plan.url}#click-{click + 1}", kind="rendered")):
                        break  # each click is a request of the list, within its budget
                    if not await render.next_page(browser_page, click + 1):
                        break
                    snapshot = RenderedPage(browser_page.url, (await browser_page.content()).encode("utf-8"), 200,
                                            {"content-type": "text/html; charset=utf-8"}, "rendered",
                                            exchanges=await recorder.collect(self.store, listing.plan.url))
                    step = lists.mechanism("rendered").recognise(snapshot)[0].found
                    step.is_page = listing.mechanism == "rendered"
                    if recorder.walls:  # the pager led to a wall: recorded, never clicked past
                        wall_url, outcome, detail = recorder.walls[-1]
                        listing.fail(wall_url, click + 2, outcome, f"{detail} (rendered)")
                        break
                    new = listing.absorb(step)
                    for out in self._item_requests(snapshot.url, step.items + snapshot.links):
                        yield out
                    queue.extend(step.fetches)
                    idle = 0 if new else idle + 1
                    if idle >= 2 or not listing.short() and listing.announced is not None:
                        break
        except Exception as error:  # noqa: BLE001 - a page the browser mangles is a failed fallback, not a crash
            self.logger.warning("rendered fallback of %s: %s: %s", listing.plan.url, type(error).__name__, str(error)[:200])
            listing.note(f"rendered fallback stopped: {type(error).__name__}: {str(error)[:200]}")
        finally:
            await recorder.collect(self.store, listing.plan.url)
            await render.close(browser_page)
        listing.rendered = f"rendered {listing.plan.url}: {listing.found - before} more records"

    # -- reports ----------------------------------------------------------------------------
    @classmethod
    def _looks_like_report(cls, page, title):
        """A page reached as a list or start page that is in fact a report (its title says so,
        and it holds a statutory table or a file), not a column titled 政府信息公开年报."""
        if discovery.classify_title(title) != "report" or discovery.is_column(title):
            return False
        return cls._has_report(page)

    @staticmethod
    def _has_report(page):
        """A statutory table, a file, or the prose of a report (its section headings)."""
        text = " ".join(page.texts("table"))
        if any(word in text for word in spec.STATUTORY_TABLE_WORDS):
            return True
        if any(discovery.is_attachment_url(l.url, l.text) for l in page.links):
            return True
        lines = [line.strip() for line in page.texts("unscripted") if line.strip()]
        return len(spec.sections_in(lines)) >= 2

    @staticmethod
    def _is_shell(page, files):
        """A detail page whose content arrives only by script: no table, no file, hardly any text."""
        if files or page.has_table_cell or next(page.root.iter("script"), None) is None:
            return False
        text = " ".join(page.texts("prose"))
        return len(re.sub(r"\s+", "", text)) < _SHELL_TEXT

    async def _report(self, response, page, title):
        files = [l for l in page.links if discovery.is_attachment_url(l.url, l.text)]
        if self._is_shell(page, files) and page.kind == "detail" and self.can_render:
            rendered, browser_page, recorder = await self._render(page.url, "detail", _referer(response),
                                                                  {"title": response.meta.get("title")})
            if rendered is not None:
                await render.close(browser_page)
                response, page = rendered.response, rendered
                title = self._page_title(page.root) if page.root is not None else title
                files = [l for l in page.links if discovery.is_attachment_url(l.url, l.text)]
        if page.root is None:
            return
        body_text = re.sub(r"\s+", "", " ".join(page.texts("body")))
        stub = not page.has_table_cell and bool(files) and (_STUB.search(body_text) is not None or len(body_text) < 600)
        if discovery.classify_title(title) == "decoy":
            self.crawler.stats.inc_value("nianbao/decoy_pages")
            return
        capture = response.meta["capture"]
        if not response.meta.get("unchanged"):
            yield ReportItem(
                url=page.url, body=response.body, charset=page.charset, decoded=page.decoded if page.text is not None else None,
                capture_id=capture["capture_id"],
                fetched_at=capture["fetched_at"], title=response.meta.get("title") or title,
                attachments=[(l.url, l.text) for l in files], stub=stub,
            )
        for link in files:
            yield self._request(link.url, self.parse_attachment, "attachment", page.url, name=link.text,
                                report_url=page.url, role="body" if stub else "attachment", expects_file=True)

    # -- helpers ----------------------------------------------------------------------------
    def _in_scope(self, url):
        return urlsplit(url).netloc in self.scopes

    @staticmethod
    def _usable(response):
        capture = response.meta.get("capture") or {}
        return capture.get("outcome") == "ok" and response.status == 200

    @staticmethod
    def _page_title(root):
        for meta in root.iter("meta"):
            if (meta.get("name") or "").lower() == "articletitle" and meta.get("content"):
                return meta.get("content")
        for tag in ("h1", "title"):
            for el in root.iter(tag):
                text = "".join(el.itertext()).strip()
                if text:
                    return re.split(r"\s*[_|｜]\s*", text)[0] if tag == "title" else text
        return ""


def _referer(response):
    value = response.request.headers.get("Referer") if response.request is not None else None
    return value.decode("latin-1") if value else None


def _mark_seen(crawler, request):
    """Tell the duplicate filter a list page is being fetched, so a link to it elsewhere on the
    site is not fetched a second time through the scheduler."""
    scheduler = getattr(getattr(crawler.engine, "_slot", None), "scheduler", None)
    dupefilter = getattr(scheduler, "df", None)
    if dupefilter is not None:
        try:
            dupefilter.request_seen(request)
        except Exception:  # noqa: BLE001 - a filter that cannot take it just misses one URL
            pass
