"""The crawl's evidence: this run's WARC file and the SQLite archive, shared by the components.

One per crawler (``CrawlStore.of(crawler)``): the capture middleware writes every response to
the WARC file and a ``captures`` row; the pipeline writes reports through ``archive.db``.
"""

import io
import json
import os
import time
from datetime import datetime, timezone

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive import db as archive_db
from archive.records import Capture

_HOP_BY_HOP = {"transfer-encoding", "connection", "keep-alive"}


class CrawlStore:
    """Opens the archive and a new WARC file for one crawl run."""

    def __init__(self, db_path, archive_dir, start_urls, sources=(), regions=None):
        self.db = archive_db.open_db(db_path)
        self.archive_dir = archive_dir
        os.makedirs(archive_dir, exist_ok=True)
        self.run_id = self.db.start_run(start_urls, sources, regions)
        stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime())
        # A new file per run: a run killed mid-record never leaves a file later runs append to.
        self.warc_name = f"nianbao-{stamp}-run{self.run_id}-{os.getpid()}.warc.gz"
        self._file = open(os.path.join(archive_dir, self.warc_name), "ab")
        self._writer = WARCWriter(self._file, gzip=True)
        self.report_ids = {}  # report URL -> report_id, for linking attachments

    @classmethod
    def of(cls, crawler):
        """The store of a crawler, created on first use from its settings."""
        store = getattr(crawler, "nianbao_store", None)
        if store is None:
            settings = crawler.settings
            db_path = settings.get("NIANBAO_DB") or "archive.db"
            archive_dir = settings.get("NIANBAO_ARCHIVE_DIR") or os.path.join(
                os.path.dirname(os.path.abspath(db_path)), "warc")
            spider = getattr(crawler, "spider", None)
            start_urls = list(getattr(spider, "start_urls", []) or [])
            store = crawler.nianbao_store = cls(db_path, archive_dir, start_urls, getattr(spider, "sources", ()),
                                                getattr(spider, "regions", None))
        return store

    def write_response(self, url, status, reason, headers, body, request_headers=None, method="GET"):
        """Append request and response records; return ``(warc file name, offset)``."""
        date = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        http_headers = StatusAndHeaders(
            f"{status} {reason}".strip(),
            [(k, v) for k, v in headers if k.lower() not in _HOP_BY_HOP],
            protocol="HTTP/1.1",
        )
        offset = self._file.tell()
        record = self._writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http_headers,
            warc_headers_dict={"WARC-Date": date},
        )
        self._writer.write_record(record)
        if request_headers is not None:
            request = self._writer.create_warc_record(
                url, "request", payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(f"{method} {url} HTTP/1.1", request_headers, is_http_request=True),
                warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID")},
            )
            self._writer.write_record(request)
        self._file.flush()
        return self.warc_name, offset

    def last_capture(self, url):
        """The newest usable capture of a URL from earlier runs (for conditional requests)."""
        return self.db.last_capture(url, self.run_id)

    def capture(self, **fields):
        return self.db.write_capture(Capture(run_id=self.run_id, **fields))

    def discard(self, capture, outcome, reason):
        """A response captured as usable, then thrown away: its capture says so, with why."""
        capture.update(outcome=outcome, detail=reason)
        if capture.get("capture_id") is not None:
            self.db.discard_capture(capture["capture_id"], outcome, reason)

    def write_listing(self, row, items):
        """The account of one enumerated list and its records (``listings``, ``listing_items``)."""
        return self.db.write_listing(row, [(link.url, link.label) for link in items])

    def close(self, status, stats):
        self._file.close()
        self.db.finish_run(self.run_id, status, json.loads(json.dumps(stats, default=str)))


class UsesStore:
    """Base of the components that share a crawler's store (middleware, pipeline)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def store(self):
        return CrawlStore.of(self.crawler)
