"""The ``reports`` spider: from a site's home or section root to every annual report on it.

``scrapy crawl reports -a start_urls=URL[,URL]``. What to follow is decided by what links
say (crawler.discovery); what a response is by crawler.outcomes; everything is captured by
crawler.middlewares and archived by crawler.pipelines.
"""

import json
import re
from urllib.parse import urlsplit

import scrapy

from crawler import discovery, distributed, filetypes
from crawler.items import AttachmentItem, ReportItem
from extractors.decode import DecodeError, decode

_STUB = re.compile(r"详见附件|见附件|请下载附件|点击下载|附件下载|附件[:：]")
_MAX_NAV_DEPTH = 4


class ReportsSpider(scrapy.Spider):
    name = "reports"
    # Non-redirect error statuses reach the callbacks so that they are recorded, not dropped.
    handle_httpstatus_list = [304, 400, 401, 403, 404, 405, 410, 412, 429, 500, 502, 503, 521]

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        distributed.apply(settings)  # NIANBAO_REDIS_URL: share the frontier (scrapy crawl -s works too)

    def __init__(self, start_urls="", source=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(start_urls, str):
            start_urls = [u.strip() for u in start_urls.split(",") if u.strip()]
        if source:
            from crawler.sources import load_source

            start_urls = list(start_urls) + load_source(source)["start_urls"]
        if not start_urls:
            raise ValueError("give start URLs: scrapy crawl reports -a start_urls=URL[,URL]")
        self.start_urls = start_urls
        self.scopes = {urlsplit(u).netloc for u in start_urls}
        self.seen_list_pages = {}  # list URL pattern -> item URLs of the last page seen

    async def start(self):
        for request in self.start_requests():
            yield request

    def start_requests(self):  # Scrapy < 2.13 calls this directly
        # A shared frontier (scrapy-redis) must filter start URLs, or every process fetches them.
        shared = bool(self.settings.get("NIANBAO_REDIS_URL"))
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse_page, errback=self.failed,
                                 meta={"kind": "start", "depth": 0}, dont_filter=not shared)

    # -- pages -----------------------------------------------------------------------------
    def parse_page(self, response):
        if not self._usable(response):
            return
        text = self._text(response)
        if text is None:
            return
        root = discovery.parse_html(text)
        if root is None:
            return
        kind = response.meta.get("kind")
        page_links = discovery.links(root, response.url)
        records = discovery.jpage_records(text)  # a jpage column embeds its first records as XML
        if records:
            embedded = discovery.parse_html(f"<div>{records}</div>")
            if embedded is not None:
                page_links += discovery.links(embedded, response.url)
        title = self._page_title(root)
        if kind == "detail" or self._looks_like_report(root, title):
            yield from self._report(response, root, text, title, page_links)
            return
        yield from self._follow(response, root, text, page_links)

    def parse_api(self, response):
        """jpage XML, jpaas JSON and gkmlpt JSON list answers: their items are list links."""
        if not self._usable(response):
            return
        text = self._text(response) or ""
        stripped = text.lstrip()
        if stripped.startswith("{"):
            try:
                data = json.loads(stripped)
            except ValueError:
                return
            if "articles" in data:
                found, _ = discovery.gkmlpt_articles(data)
                yield from self._items(response, found)
                return
            html = (data.get("data") or {}).get("html") if isinstance(data.get("data"), dict) else None
            if html:
                root = discovery.parse_html(f"<div>{html}</div>")
                if root is not None:
                    yield from self._items(response, discovery.links(root, response.url))
            return
        records = discovery.jpage_records(text)
        if records:
            root = discovery.parse_html(f"<div>{records}</div>")
            if root is not None:
                yield from self._items(response, discovery.links(root, response.url))

    def parse_attachment(self, response):
        if not self._usable(response):
            return
        name = filetypes.disposition_filename(response.headers.get("Content-Disposition")) or response.meta.get("name") or ""
        file_type = filetypes.sniff(response.body, name or response.url)
        if file_type == "html" and response.meta.get("expects_file"):
            # A download URL that answers with an HTML page: an error page (e.g. missing Referer).
            self.crawler.stats.inc_value("nianbao/attachment/html_instead_of_file")
            return
        yield AttachmentItem(
            url=(response.meta.get("redirect_urls") or [response.url])[0], report_url=response.meta["report_url"], name=name, file_type=file_type,
            role=response.meta.get("role", "attachment"), body=response.body,
            capture_id=response.meta["capture"]["capture_id"],
        )

    # -- decisions ---------------------------------------------------------------------------
    @staticmethod
    def _looks_like_report(root, title):
        """A page reached as a list or start page that is in fact a report (its title says so,
        and it holds a statutory table or a file), not a column titled 政府信息公开年报."""
        if discovery.classify_title(title) != "report" or discovery.is_column(title):
            return False
        text = " ".join(root.xpath("//table//text()"))
        has_table = any(word in text for word in ("本年新收", "申请人情况", "信息内容", "行政复议"))
        has_file = any(discovery.is_attachment_url(l.url, l.text) for l in discovery.links(root, "http://x/"))
        return has_table or has_file

    def _report(self, response, root, text, title, page_links):
        files = [l for l in page_links if discovery.is_attachment_url(l.url, l.text)]
        body_text = re.sub(r"\s+", "", " ".join(root.xpath("//body//text()")))
        stub = not root.xpath("//table//td") and bool(files) and (_STUB.search(body_text) is not None or len(body_text) < 600)
        if discovery.classify_title(title) == "decoy":
            self.crawler.stats.inc_value("nianbao/decoy_pages")
            return
        capture = response.meta["capture"]
        if not response.meta.get("unchanged"):
            yield ReportItem(
                url=response.url, body=response.body, charset=_charset(response), capture_id=capture["capture_id"],
                fetched_at=capture["fetched_at"], title=response.meta.get("title") or title,
                attachments=[(l.url, l.text) for l in files], stub=stub,
            )
        for link in files:
            yield scrapy.Request(
                link.url, callback=self.parse_attachment, errback=self.failed, headers={"Referer": response.url},
                meta={"kind": "attachment", "report_url": response.url, "name": link.text,
                      "role": "body" if stub else "attachment", "expects_file": True},
            )

    def _follow(self, response, root, text, page_links):
        depth = response.meta.get("depth", 0)
        yield from self._items(response, page_links)
        for link in page_links:
            if not self._in_scope(link.url):
                continue
            if discovery.is_column(link.label):
                yield self._list_request(link.url, response, depth + 1, priority=5)
            elif depth < _MAX_NAV_DEPTH and discovery.is_navigation(link.label):
                yield self._list_request(link.url, response, depth + 1)
        if response.meta.get("kind") in ("list", "start") or discovery.column_name(root):
            for link in discovery.pager_links(page_links):
                if self._in_scope(link.url):
                    yield self._list_request(link.url, response, depth, priority=4)
            for fetch in discovery.list_pages(text, response.url):
                yield self._fetch(fetch, response, depth)
            yield from self._next_query_page(response, page_links, depth)

    def _items(self, response, page_links):
        """Detail requests for the links of a list that name an annual report."""
        for link in page_links:
            verdict = discovery.classify_title(link.label)
            if verdict == "decoy":
                self.crawler.stats.inc_value("nianbao/decoy_links")
            elif verdict == "report" and not discovery.is_column(link.label):
                if discovery.is_attachment_url(link.url, link.label):
                    yield scrapy.Request(
                        link.url, callback=self.parse_attachment, errback=self.failed, headers={"Referer": response.url},
                        meta={"kind": "attachment", "report_url": link.url, "name": link.label, "role": "body",
                              "expects_file": True, "title": link.label},
                    )
                elif self._in_scope(link.url):
                    yield scrapy.Request(
                        link.url, callback=self.parse_page, errback=self.failed, headers={"Referer": response.url}, priority=10,
                        meta={"kind": "detail", "title": link.label},
                    )

    def _next_query_page(self, response, page_links, depth):
        """``?pageIndex=N`` lists: ask for N+1 until a page repeats the one before (SITES A8)."""
        next_url = discovery.next_query_page(response.url)
        if not next_url:
            return
        items = frozenset(l.url for l in page_links if discovery.classify_title(l.label))
        key = re.sub(r"(?i)(pageIndex|pageNo|pageNum|page|currpage|pn)=\d+", "", response.url)
        if not items or self.seen_list_pages.get(key) == items:
            return
        self.seen_list_pages[key] = items
        yield self._list_request(next_url, response, depth, priority=4)

    def failed(self, failure):
        """A request that got no usable answer: already captured with its outcome; one log line."""
        self.logger.warning("no answer from %s: %s", failure.request.url, failure.getErrorMessage()[:200])

    # -- helpers ----------------------------------------------------------------------------
    def _list_request(self, url, response, depth, priority=0):
        return scrapy.Request(url, callback=self.parse_page, errback=self.failed, headers={"Referer": response.url}, priority=priority,
                              meta={"kind": "list", "depth": depth})

    def _fetch(self, fetch, response, depth):
        headers = dict(fetch.headers, Referer=response.url)
        return scrapy.Request(
            fetch.url, method=fetch.method, body=fetch.body, headers=headers, priority=4,
            callback=self.parse_api if fetch.kind == "api" else self.parse_page, errback=self.failed,
            meta={"kind": "api" if fetch.kind == "api" else "list", "depth": depth},
        )

    def _in_scope(self, url):
        return urlsplit(url).netloc in self.scopes

    def _usable(self, response):
        capture = response.meta.get("capture") or {}
        return capture.get("outcome") == "ok" and response.status == 200

    def _text(self, response):
        try:
            return decode(response.body, _charset(response))[0]
        except DecodeError:
            return None

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


def _charset(response):
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    return content_type.split("charset=")[-1].split(";")[0].strip() if "charset=" in content_type else None
