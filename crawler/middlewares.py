"""Downloader middlewares: keep every response as evidence; ask only for what changed."""

import hashlib
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from twisted.internet.error import DNSLookupError, TimeoutError as TwistedTimeoutError
from twisted.web._newclient import ResponseNeverReceived

from extractors.decode import DecodeError, decode, header_charset, is_text_type

from . import outcomes
from .store import UsesStore


def _headers(scrapy_headers):
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, values in scrapy_headers.items() for v in values]


def _header(scrapy_headers, name):
    value = scrapy_headers.get(name)
    return value.decode("latin-1") if value else None


class SiteBudgetMiddleware:
    """Refuses requests to a host past its budget (``NIANBAO_SITE_REQUESTS``), with the reason on
    the request, so that no site can hold a crawl for ever (a page of 100,000 links, a calendar)."""

    def __init__(self, crawler):
        from .budgets import SiteBudget, settings_budgets

        self.crawler = crawler
        self.budget = SiteBudget(settings_budgets(crawler.settings)[2])

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        if request.meta.get("redirect_times") or self.budget.allow(request.url):
            return None
        reason = self.budget.describe(request.url)
        request.meta["capture"] = {"outcome": "refused", "detail": reason}
        self.crawler.stats.inc_value("nianbao/budget/site_requests_refused")
        raise IgnoreRequest(reason)


class CaptureMiddleware(UsesStore):
    """Writes every response to the WARC file and a ``captures`` row with its outcome.

    Sits next to the downloader (before redirects and decompression), so each hop of a
    redirect chain and the bytes as received are kept. The outcome and the capture id travel
    on ``request.meta`` to the spider.
    """

    def __init__(self, crawler):
        super().__init__(crawler)
        self.refused_hosts = set()

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
        self.crawler.stats.inc_value(f"nianbao/outcome/{outcome}")
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
        self.crawler.stats.inc_value(f"nianbao/outcome/{outcome}")
        return None

    def _refusal(self, request, detail):
        """The first refusal per host is a capture row (with the budget named); the rest are counted."""
        host = urlsplit(request.url).netloc
        if host in self.refused_hosts:
            return
        self.refused_hosts.add(host)
        self.store.capture(url=request.url, final_url=None, method=request.method, referer=_header(request.headers, "Referer"),
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
