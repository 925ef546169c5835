"""Downloader middlewares: keep every response as evidence; ask only for what changed."""

import hashlib

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy import Request
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from twisted.internet.error import DNSLookupError, TimeoutError as TwistedTimeoutError
from twisted.web._newclient import ResponseNeverReceived

from extractors.decode import DecodeError, decode, header_charset, is_text_type

from . import outcomes
from .progress import count_capture
from .store import UsesStore


def _headers(scrapy_headers):
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in scrapy_headers.items() for v in values]


def _header(scrapy_headers, name):
    value = scrapy_headers.get(name)
    return value.decode("latin-1") if value else None


class SiteBudgetMiddleware:
    """Refuses requests to a host past its budget (``NIANBAO_SITE_REQUESTS``) or after a run of
    failures (``NIANBAO_SITE_FAILURES``), with the reason on the request, so that no site can hold
    a crawl for ever (a page of 100,000 links, a calendar, a site down behind its links)."""

    def __init__(self, crawler):
        from .budgets import SiteBudget

        self.crawler = crawler
        self.budget = SiteBudget.of(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        if request.meta.get("redirect_times"):
            return None
        reason = self.budget.refusal(request.url)
        if reason is None:
            return None
        request.meta["capture"] = {"outcome": "refused", "detail": reason}
        self.crawler.stats.inc_value("nianbao/budget/site_requests_refused")
        raise IgnoreRequest(reason)

    def process_response(self, request, response):
        self.budget.answered(request.url, response.status >= 500 or response.status == 429)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, IgnoreRequest):
            self.budget.answered(request.url, True)
        return None


class SiteBudgetSpiderMiddleware(UsesStore):
    """Drops the requests a callback yields past its host's budget before they are scheduled (a
    page of 100,000 links yields 100,000 requests at once), each counted and named as not got."""

    def __init__(self, crawler):
        from .budgets import SiteBudget

        super().__init__(crawler)
        self.budget = SiteBudget.of(crawler)

    async def process_spider_output_async(self, response, result):
        async for out in result:
            if self._admitted(out):
                yield out

    def process_spider_output(self, response, result):
        yield from filter(self._admitted, result)

    def _admitted(self, out):
        """Whether an output of a callback goes on: items always, a request within its budget."""
        if not isinstance(out, Request) or out.dont_filter or out.meta.get("redirect_times"):
            return True
        reason = self.budget.plan(out.url)
        if reason is not None:
            self._refuse(out, reason)
        return reason is None

    def _refuse(self, request, reason):
        self.crawler.stats.inc_value("nianbao/budget/site_requests_refused")
        _record_refusal(self.store, self.budget, request, reason)
        if request.meta.get("kind") in ("detail", "attachment"):
            outcomes.note_unfetched(self.crawler.stats, request.url, f"refused: {reason}")


class CaptureMiddleware(UsesStore):
    """Writes every response to the WARC file and a ``captures`` row with its outcome.

    Sits next to the downloader (before redirects and decompression), so each hop of a
    redirect chain and the bytes as received are kept. The outcome and the capture id travel
    on ``request.meta`` to the spider.
    """

    def __init__(self, crawler):
        from .budgets import SiteBudget

        super().__init__(crawler)
        self.budget = SiteBudget.of(crawler)

    def process_request(self, request):
        kind = request.meta.get("kind")
        if kind in ("detail", "attachment") and not request.meta.get("no_conditional"):
            previous = self.store.last_capture(request.url)
            if previous:
                request.meta["previous"] = previous
                if previous["etag"]:
                    request.headers.setdefault("If-None-Match", previous["etag"])
                if previous["last_modified"]:
                    request.headers.setdefault("If-Modified-Since", previous["last_modified"])
        return None

    def process_response(self, request, response):
        body = response.body
        headers = {k.decode("latin-1").lower(): v[0].decode("latin-1") for k, v in response.headers.items() if v}
        requested = (request.meta.get("redirect_urls") or [request.url])[0]
        content_type = headers.get("content-type", "")
        encoding = text = None
        if body and is_text_type(content_type):
            try:
                # Decoded here once: the text travels with the response to the spider and the extractor.
                text, encoding = decode(body, header_charset(content_type))
                request.meta["decoded"] = (text, encoding)
            except DecodeError:
                encoding = None
        outcome, detail = outcomes.classify(response.status, headers, body, response.url, requested, text)
        if "dataloss" in response.flags:  # DOWNLOAD_FAIL_ON_DATALOSS is off so that the bytes are kept
            outcome = outcomes.TRUNCATED
            detail = (f"the connection closed after {len(body)} bytes of the "
                      f"{headers.get('content-length', '?')} its Content-Length announced")
        sha256 = hashlib.sha256(body).hexdigest()
        previous = request.meta.get("previous")
        if outcome == outcomes.OK and previous and previous["sha256"] == sha256:
            detail = "unchanged since the last crawl (same sha256)"
            request.meta["unchanged"] = True
        warc_file, offset = self.store.write_response(
            response.url, response.status, _reason(response.status), _headers(response.headers), body,
            _headers(request.headers), request.method,
        )
        capture_id = self.store.capture(
            url=requested, final_url=response.url, method=request.method,
            referer=_header(request.headers, "Referer"), kind=request.meta.get("kind", "robots"),
            status=response.status, fetched_at=_now(), sha256=sha256, size=len(body),
            content_type=content_type or None, encoding=encoding,
            etag=headers.get("etag"), last_modified=headers.get("last-modified"),
            warc_file=warc_file, warc_offset=offset, outcome=outcome, detail=detail or None,
        )
        request.meta["capture"] = {"capture_id": capture_id, "outcome": outcome, "detail": detail,
                                   "sha256": sha256, "encoding": encoding, "fetched_at": _now()}
        count_capture(self.crawler.stats, requested, outcome)
        if outcome == outcomes.TRUNCATED:
            retry = get_retry_request(request, spider=self.crawler.spider, reason="truncated body")
            if retry is not None:
                retry.meta.pop("capture", None)
                return retry
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, IgnoreRequest):
            refused = request.meta.get("capture") or {}
            if refused.get("outcome") == "refused":
                self._refusal(request, refused["detail"])
                return None
            if "robots" not in str(exception).lower():
                return None
            outcome, detail = outcomes.ROBOTS, "forbidden by robots.txt"
        elif isinstance(exception, DownloadCancelledError):
            # Scrapy cancels a body past DOWNLOAD_MAXSIZE (announced or received); its message may be empty.
            limit = request.meta.get("download_maxsize") or self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
            outcome = outcomes.TOO_LARGE
            detail = f"body larger than the download limit of {limit} bytes (DOWNLOAD_MAXSIZE): {exception}".rstrip(": ")[:300]
        elif isinstance(exception, (TwistedTimeoutError, TimeoutError)) or "Timeout" in type(exception).__name__:
            outcome, detail = outcomes.TIMEOUT, f"{type(exception).__name__}: no answer in time"
        elif isinstance(exception, DNSLookupError):
            outcome, detail = outcomes.ERROR, "DNS lookup failed"
        elif isinstance(exception, ResponseNeverReceived):
            outcome, detail = outcomes.ERROR, f"connection lost: {exception}"[:300]
        else:
            outcome, detail = outcomes.ERROR, f"{type(exception).__name__}: {exception}"[:300]
        capture_id = self.store.capture(
            url=request.url, final_url=None, method=request.method, referer=_header(request.headers, "Referer"),
            kind=request.meta.get("kind"), status=None, fetched_at=_now(), outcome=outcome, detail=detail,
        )
        request.meta["capture"] = {"capture_id": capture_id, "outcome": outcome, "detail": detail}
        count_capture(self.crawler.stats, request.url, outcome)
        return None

    def _refusal(self, request, detail):
        _record_refusal(self.store, self.budget, request, detail)


def _record_refusal(store, budget, request, detail):
    """The first refusal per host is a capture row (with the budget named); the rest are counted."""
    if budget.first_refusal(request.url):
        store.capture(url=request.url, final_url=None, method=request.method, referer=_header(request.headers, "Referer"),
                      kind=request.meta.get("kind"), status=None, fetched_at=_now(), outcome="refused", detail=detail)


def _reason(status):
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _now():
    from archive.db import now

    return now()
