"""The archive pipeline's extraction workers: a worker killed mid-run (as the OOM killer kills)
is replaced and what it held is retried; a document that kills every worker it is given is
given up by name, and the run says it is incomplete."""

import asyncio
import os
from types import SimpleNamespace

import pytest

import crawler.pipelines as pipelines


class Stats(dict):
    def inc_value(self, key, count=1):
        self[key] = self.get(key, 0) + count

    def set_value(self, key, value):
        self[key] = value

    def get_value(self, key, default=None):
        return self.get(key, default)


def _reads_or_dies(body, url, charset, decoded=None, prepare=False):
    """Stands in for extraction in the worker: a "poison" document kills its worker."""
    if b"poison" in body:
        os._exit(9)
    if b"slow" in body:
        import time

        time.sleep(0.5)
    return {"url": url}, None


@pytest.fixture
def pipeline(monkeypatch):
    # Workers are forked from this process when first used: they run the stand-in.
    monkeypatch.setattr(pipelines, "_extract", _reads_or_dies)
    settings = SimpleNamespace(getint=lambda name, default=None: 2)
    made = pipelines.ArchivePipeline(SimpleNamespace(settings=settings, stats=Stats()))
    yield made
    made.executor.shutdown(wait=True, cancel_futures=True)


def test_documents_a_killed_worker_held_are_retried_and_nothing_else_is_lost(pipeline):
    async def run():
        bodies = [b"slow %d" % n for n in range(6)] + [b"poison"] + [b"page %d" % n for n in range(6)]
        return await asyncio.gather(*(pipeline._extract(body, f"http://127.0.0.1/{n}") for n, body in enumerate(bodies)))

    results = asyncio.run(run())
    poisoned = "http://127.0.0.1/6"
    assert results[6][0] is None and pipelines.LOST in results[6][1]
    assert all(report == {"url": f"http://127.0.0.1/{n}"} and error is None
               for n, (report, error) in enumerate(results) if n != 6)
    assert pipeline.lost == {poisoned: results[6][1]}
    stats = pipeline.crawler.stats
    assert stats["nianbao/extract/workers_replaced"] >= 1
    assert stats["nianbao/reports/lost"] == 1


def test_a_run_that_lost_documents_exits_incomplete_and_names_them():
    from crawler.run import INCOMPLETE, CrawlResult

    lost = {"http://127.0.0.1/a.pdf": f"{pipelines.LOST} 3 times reading it"}
    assert CrawlResult("finished", stats={"nianbao/lost": lost}).exit_code == INCOMPLETE
    assert CrawlResult("finished", stats={"nianbao/lost": lost}).lost == lost
    assert CrawlResult("finished", stats={}).exit_code == 0


CHILD_SEES = '''
import asyncio, sys
from types import SimpleNamespace
import crawler.pipelines as pipelines
from extractors import divisions
from extractors.bounded import run_bounded

def loaded():
    gazetteer = divisions._table.cache_info().currsize == 1  # read by the crawl process before forking
    return "pdfplumber" in sys.modules and "docx" in sys.modules and gazetteer

def child_sees():
    return run_bounded(loaded)

assert "pdfplumber" not in sys.modules  # the crawl process itself has not read a file
settings = SimpleNamespace(getint=lambda name, default=None: 1)
pipeline = pipelines.ArchivePipeline(SimpleNamespace(settings=settings, stats={}))
print(pipeline.executor.submit(child_sees).result(), "pdfplumber" in sys.modules)
pipeline.executor.shutdown()
'''


def test_a_file_reader_forked_by_a_worker_starts_with_the_readers_and_the_gazetteer_loaded():
    # Run apart from pytest, whose own imports would be inherited by any worker it forked.
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", CHILD_SEES], capture_output=True, text=True, timeout=120,
                            cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["True", "False"]  # the workers hold them; the crawl process does not
