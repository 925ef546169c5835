"""The archive pipeline: every captured report goes through extraction into the archive."""

import asyncio
import hashlib
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from twisted.internet.task import LoopingCall

from archive import db as archive_db
from extractors import divisions
from extractors.bounded import die_with_parent
from extractors.process import NotAReport, process
from archive.crossreport import run_cross_checks
from extractors.rules import compare_documents
from extractors import UnsupportedDocument
from extractors.metadata import agency_from_title, era_for_year, find_year
from extractors.records import Report
from extractors.report import extract, preload_parsers

from .cpu_share import WINDOW, WorkerGate
from .items import AttachmentItem, ReportItem
from .progress import count_report
from .store import UsesStore

logger = logging.getLogger(__name__)
READABLE_FILES = {"pdf", "docx", "doc", "wps", "xls", "xlsx", "rtf"}
WORKER_TRIES = 3  # a document whose extraction kills its worker this often is given up, and said so
LOST = "extraction worker died"


class ArchivePipeline(UsesStore):
    """Extracts and validates report pages and links attachments to their report.

    Extraction runs in worker processes (``NIANBAO_EXTRACT_WORKERS``, default: one per core)
    so that parsing never holds up downloading; the archive is written here, by one writer.
    One worker per core, not one less: a worker reading a file mostly waits on its bounded child
    process (extractors.bounded), and the reactor mostly waits on the network (on the farm, 5.9 s
    with one worker on two cores, 3.9 s with two). But while the reactor itself is busy, one of
    them is held back (crawler.cpu_share): the downloads finish sooner, and the reading left
    after them has every worker again. At most ``NIANBAO_EXTRACT_QUEUE`` documents
    (default: four per worker) wait for a worker: past that an item waits in the pipeline, its
    response counts against Scrapy's scraper limit, and downloading slows instead of memory
    growing without bound.
    """

    def __init__(self, crawler):
        super().__init__(crawler)
        self.pending = []  # attachments that arrived before their report page was archived
        self.late_reads = set()  # reads of those attachments, started once their report arrived
        self.workers = crawler.settings.getint("NIANBAO_EXTRACT_WORKERS", os.cpu_count() or 1)
        self.queue = asyncio.Semaphore(max(1, crawler.settings.getint("NIANBAO_EXTRACT_QUEUE", 4 * max(self.workers, 1))))
        # Every extraction and the agency tables at the end read the gazetteer: read here, before
        # the workers fork, it is read once for the crawl and its workers, not once by each.
        divisions.load()
        self.executor = self._new_executor() if self.workers else None
        self.gate = WorkerGate(self.workers)
        self.looks = LoopingCall(self.gate.tick)
        if self.gate.held_back:  # with a core to spare, the reactor's load changes nothing
            self.looks.start(WINDOW, now=False)
        self.lost = {}  # url: why its extraction was given up (a worker killed again and again)

    def _new_executor(self, workers=None):
        return ProcessPoolExecutor(max_workers=workers or self.workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start_worker)

    async def process_item(self, item):
        if isinstance(item, ReportItem):
            outcome = await self._extract(item["body"], item["url"], item.get("charset"), item.get("decoded"), prepare=True)
            self._report(item, outcome)
        elif isinstance(item, AttachmentItem):
            rid = self._attachment(item)
            if rid is not None:
                await self._read_attachment(item, rid)
        return item

    async def _extract(self, body, url, charset=None, decoded=None, prepare=False):
        """``(report, error)`` of a document, extracted in a worker process; with ``prepare``
        the report comes as its archive_db.Prepared form."""
        if self.executor is None:
            return _extract(body, url, charset, decoded, prepare)
        for attempt in range(1, WORKER_TRIES + 1):
            # A retry runs alone in a worker of its own: a document that kills its worker must
            # not take the documents that shared the pool with it down again.
            executor = self.executor if attempt == 1 else self._new_executor(1)
            try:
                async with self.queue, self.gate:
                    return await asyncio.wrap_future(executor.submit(_extract, body, url, charset, decoded, prepare))
            except BrokenProcessPool:
                # A worker was killed (the OOM killer, a signal): every document it and its
                # siblings held is retried, and a fresh pool replaces the broken one once.
                if attempt == 1 and self.executor is executor:
                    executor.shutdown(wait=False, cancel_futures=True)
                    self.executor = self._new_executor()
                    self.crawler.stats.inc_value("nianbao/extract/workers_replaced")
                    logger.warning("an extraction worker died; a new pool takes over (%s retried)", url)
            finally:
                if attempt > 1:
                    executor.shutdown(wait=False)
        self.lost[url] = f"{LOST} {WORKER_TRIES} times reading it"
        self.crawler.stats.inc_value("nianbao/reports/lost")
        return None, self.lost[url]

    async def _read_attachment(self, item, rid):
        """Read a report's file: the report's numbers when the page only points to it (a body),
        otherwise compared cell by cell with the page's numbers (X-ATTACH)."""
        db = self.store.db
        if item.get("file_type") not in READABLE_FILES:
            db.attachment_read(rid, item["url"])
            return
        file_report, error = await self._extract(item["body"], item["url"])
        if error is not None:
            self._note(item["capture_id"], f"attachment not read: {error}")
            if item["url"] not in self.lost:  # a lost read is tried again by the next run
                db.attachment_read(rid, item["url"])
            return
        stored = db.load_report(rid)
        if item.get("role") == "body" and not any(c["value"] is not None for c in stored["cells"]):
            page_says = {k: stored.get(k) or file_report.get(k) for k in ("title", "year", "agency", "published")}
            merged = file_report.replaced(**{k: stored[k] for k in ("url", "version", "previous_id", "fetched_at")}, **page_says,
                                          capture_id=item["capture_id"], fingerprint=archive_db.fingerprint(file_report))
            db.write_report(merged, rid=rid)
            self.crawler.stats.inc_value("nianbao/reports/read_from_attachment")
        else:
            db.add_flags(rid, compare_documents(stored, file_report))
        db.attachment_read(rid, item["url"])  # from now on a 304 for it or its page loses nothing

    def _report(self, item, outcome=None):
        stats = self.crawler.stats
        report, error = outcome or _extract(item["body"], item["url"], item.get("charset"), item.get("decoded"))
        prepared = report
        if isinstance(report, archive_db.Prepared):
            report = report.report
        if error is not None:
            if item["url"] in self.lost:
                self._note(item["capture_id"], f"not archived: {error}")
                return
            if not item.get("stub"):
                stats.inc_value("nianbao/reports/not_a_report")
                self._note(item["capture_id"], f"not archived: {error}")
                return
            report = None
        if report is None or (item.get("stub") and not report.get("title")):
            prepared = _stub_report(item)
        try:
            rid, status = self.store.db.archive_report(
                prepared, url=item["url"], capture_id=item["capture_id"], fetched_at=item["fetched_at"])
        except archive_db.NotStorable as error:
            stats.inc_value("nianbao/reports/not_storable")
            self._note(item["capture_id"], f"not archived: {error}")
            return
        self.store.db.expect_attachments(rid, item.get("attachments") or [])
        self.store.db.link_capture(item["capture_id"], rid)
        self.store.report_ids[item["url"]] = rid
        count_report(stats, item["url"], status)
        for attachment in [a for a in self.pending if a["report_url"] == item["url"]]:
            self.pending.remove(attachment)
            if self._attachment(attachment) is not None:
                task = asyncio.ensure_future(self._read_attachment(attachment, rid))
                self.late_reads.add(task)
                task.add_done_callback(self.late_reads.discard)

    def _attachment(self, item):
        """Link a file to its report; returns the report id, or None while the report is unknown."""
        rid = self.store.report_ids.get(item["report_url"])
        if rid is None:
            if item["report_url"] == item["url"]:
                # A list linked the file itself as the report (a PDF-only column entry).
                self._report(ReportItem(url=item["url"], body=b"", capture_id=item["capture_id"],
                                        fetched_at=None, title=item.get("name"), attachments=[(item["url"], item.get("name"))],
                                        stub=True))
                rid = self.store.report_ids.get(item["url"])
            else:
                self.pending.append(item)
                return None
        self.store.db.add_attachment({
            "report_id": rid, "url": item["url"], "name": item.get("name"), "file_type": item.get("file_type"),
            "capture_id": item["capture_id"], "size": len(item["body"]), "role": item.get("role"),
            "sha256": hashlib.sha256(item["body"]).hexdigest(),
        })
        self.store.db.link_capture(item["capture_id"], rid)
        self.crawler.stats.inc_value("nianbao/attachments")
        return rid

    def _note(self, capture_id, detail):
        self.store.db.note_capture(capture_id, detail)

    async def close_spider(self):
        # Late attachment reads can still change reports: the checks across reports come after.
        await self._close()

    async def _close(self):
        while self.late_reads:
            for result in await asyncio.gather(*list(self.late_reads), return_exceptions=True):
                if isinstance(result, Exception):
                    logger.error("reading an attachment failed: %r", result)
        if self.looks.running:
            self.looks.stop()
        if self.executor is not None:
            self.executor.shutdown()
        for item in self.pending:
            logger.warning("attachment %s: its report page %s was not archived", item["url"], item["report_url"])
        stats = self.crawler.stats
        stats.set_value("nianbao/flags_across_reports", run_cross_checks(self.store.db))
        status = "finished" if stats.get_value("finish_reason", "finished") == "finished" else "failed"
        if self.lost:
            stats.set_value("nianbao/lost", dict(self.lost))
            status = "incomplete" if status == "finished" else status
            for url, why in self.lost.items():
                logger.error("lost: %s: %s", url, why)
        if stats.get_value("nianbao/unfetched_count") and status == "finished":
            status = "incomplete"  # report pages or files that got no usable answer (the spider names them)
        self.store.close(status, dict(stats.get_stats()))


def _start_worker():
    """An extraction worker dies with the crawl and holds the file readers its children inherit."""
    die_with_parent()
    preload_parsers()


def _extract(body, url, charset, decoded=None, prepare=False):
    """Extract and validate one page: ``(report, None)`` or ``(None, error message)``; with
    ``prepare``, the report's archive_db.Prepared form (its fingerprint and search form made
    here, in the worker, not on the crawl's reactor)."""
    try:
        report = process(body, source=url, header_charset=charset, decoded=decoded)
        return (archive_db.prepare(report) if prepare else report), None
    except (NotAReport, UnsupportedDocument, ValueError) as error:
        return None, str(error) or type(error).__name__


def _stub_report(item):
    """A report whose body is an attachment: what the page (or list) says about it."""
    try:
        report = extract(item["body"], item["url"], item.get("charset"), item.get("decoded")) if item["body"] else None
    except Exception:  # noqa: BLE001 - the page is only a pointer to the file
        report = None
    title = (report.title if report else None) or item.get("title")
    year = (report.year if report else None) or find_year(title, None, [])
    base = report or Report(sha256=hashlib.sha256((item["url"] + (title or "")).encode()).hexdigest(),
                            source_format="attachment", agency=agency_from_title(title), era=era_for_year(year),
                            year_era=era_for_year(year))
    return base.replaced(source=item["url"], title=title, year=year, cells=[], flags=[], checks={"pass": 0, "skip": 0})
