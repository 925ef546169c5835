"""The published site at national scale: build synthetic archives of N reports through the
archive's own writer, snapshot them (numbers and text apart), serve the numbers immutable with an
inspect file as ``nianbao serve`` does, and print build time, bytes per report and p50/p95 of
every page kind and canned query, idle and with a crawl of the farm running beside it.

Run: ``python benchmarks/bench_site.py [--reports 100000,300000] [--requests 40] [--keep DIR]``.
With two sizes or more it also prints the straight-line extrapolation of bytes and build time
to a million reports (``--extrapolate``), for a machine whose disk or time forbids building it.
"""

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from urllib.parse import quote

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]

import reportgen  # noqa: E402
from archive import agencies  # noqa: E402
from archive.db import open_db  # noqa: E402
from archive.exports import text_path  # noqa: E402
from archive.publish import SETTINGS, inspect_file, metadata_for  # noqa: E402
from archive.snapshot import snapshot  # noqa: E402
from extractors import divisions, spec  # noqa: E402
from extractors.rules import validate  # noqa: E402

UNITS = ["人民政府", "人民政府办公室", "教育局", "财政局", "公安局", "民政局", "卫生健康委员会", "生态环境局", "审计局",
         "统计局", "司法局", "自然资源局"]
WORDS = ["主动公开", "依申请公开", "政策解读", "行政复议", "行政诉讼", "政务公开", "信息处理费", "监督保障", "平台建设",
         "政府网站", "新闻发布", "规范性文件"]
YEARS = range(2019, 2025)
POOL = 3000  # distinct generated and validated reports, drawn from for each synthetic one


def _pool(rng):
    """Generated reports with their cells placed as an HTML table reads them, and their flags."""
    pool = []
    for n in range(POOL):
        era = rng.choice(["f2019", "f2021"])
        gen = reportgen.generate(rng, era)
        cells = []
        for i, (code, value) in enumerate(gen.values.items()):
            parts = code.split(".")
            cells.append({"code": code, "value": value, "raw": str(value), "semantic": "zero" if value == 0 else "number",
                          "unit": spec.unit_of(code, era), "label": spec.label_of(code).split(" · ")[0],
                          "table": int(parts[0][-1]) - 1, "row": i // 7 + 2, "col": i % 7 + 1, "confidence": 1.0})
        if n % 50 == 0:  # a few broken reports, so flags exist
            cells[0]["value"] += 1
            cells[0]["raw"] = str(cells[0]["value"])
        report = {"era": era, "year": gen.year, "year_era": era, "era_markers": {era: 3}, "cells": cells, "facts": [],
                  "issues": [], "headings": ["一", "二", "三", "四", "五", "六"]}
        flags, checks = validate(report)
        pool.append(dict(report, flags=flags, checks=checks))
    return pool


def agencies_of(count):
    """``[(agency name, province)]``: the real counties and prefectures of the gazetteer, each
    with several offices, enough for ``count`` reports over the years."""
    places = divisions.all_divisions(("county", "prefecture"))
    wanted = -(-count // len(YEARS))
    names = []
    for unit in UNITS:
        for place in places:
            province = divisions.by_code(place.code[:2] + "0000")
            names.append((divisions.full_name(place) + unit, province.name if province else None))
            if len(names) == wanted:
                return names
    return names


def build(path, count, seed=1):
    """A live archive of ``count`` reports written by ``Archive.write_reports`` (with their
    text and search index) and one capture each; returns the seconds it took."""
    rng = random.Random(seed)
    pool = _pool(rng)
    db = open_db(path)
    started = time.perf_counter()
    batch, captures = [], []
    n = 0
    for agency, province in agencies_of(count):
        for year in YEARS:
            if n == count:
                break
            base = pool[rng.randrange(POOL)]
            title = f"{agency}{year}年政府信息公开工作年度报告"
            text = title + "。" + "。".join("，".join(rng.sample(WORDS, 5)) for _ in range(12)) + \
                f"。共收到申请{base['cells'][0]['value']}件。"
            sha = f"{n:016x}{seed:048x}"
            url = f"http://www.example.gov.cn/{n % 997}/{year}/art_{n}.html"
            fetched = f"{year + 1}-01-{1 + n % 28:02d}T08:00:00+00:00"
            batch.append(dict(base, sha256=sha, title=title, agency=agency, year=year, province=province, region=province,
                              level="county", agency_kind="government" if agency.endswith("人民政府") else "department",
                              source=url, source_format="html", encoding="utf-8", url=url, fetched_at=fetched,
                              extractor_version="bench", text=text, published=f"{year + 1}-01-15"))
            captures.append((url, url, "GET", "detail", 200, fetched, sha, 18000 + n % 5000, "text/html", "utf-8",
                             f"nianbao-{n // 5000:05d}.warc.gz", (n % 5000) * 6000, "ok", sha[:16]))
            n += 1
            if len(batch) == 2000:
                _flush(db, batch, captures)
    _flush(db, batch, captures)
    built = time.perf_counter() - started
    agencies.build(db)  # agencies, agency-years, versions: the coverage pages' tables
    db.conn.execute("ANALYZE")
    db.conn.close()
    return built, time.perf_counter() - started


def _flush(db, batch, captures):
    ids = db.write_reports(batch)
    with db.conn:
        db.conn.executemany(
            "INSERT INTO captures (url, final_url, method, kind, status, fetched_at, sha256, size, content_type, encoding, "
            "warc_file, warc_offset, outcome, report_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", captures)
        db.conn.execute("UPDATE reports SET capture_id = (SELECT max(capture_id) FROM captures c WHERE c.report_id = "
                        f"reports.report_id) WHERE report_id IN ({', '.join('?' for _ in ids)})", ids)
    batch.clear()
    captures.clear()


def sizes(live, entry, folder):
    """Bytes of the live archive (with its text), of the numbers snapshot and of its text file,
    and the numbers snapshot's biggest tables (dbstat)."""
    import sqlite3

    numbers = os.path.join(folder, entry["file"])
    with sqlite3.connect(numbers) as conn:
        tables = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8").fetchall()
    return {"live": os.path.getsize(live), "numbers": entry["size"], "text": entry["text"]["size"],
            "parquet": sum(p["size"] for p in entry["parquet"]), "tables": tables}


def pages_of(name, ids, provinces, agencies_, rng):
    """Every page kind of the site, each a function drawing a fresh URL."""
    pick = rng.choice

    def province():
        return quote(pick(provinces))

    pages = {
        "front door /": lambda: "/",
        "report page": lambda: f"/-/report/{pick(ids)}",
        "report .json": lambda: f"/-/report/{pick(ids)}.json",
        "archived copy": lambda: f"/-/capture/{rng.randrange(1, len(ids))}",
        "search (plugin)": lambda: f"/-/search?q={quote(pick(WORDS[:6]) + ' ' + pick(provinces)[:2])}",
        "search (reports table)": lambda: f"/{name}/reports?_search={quote(pick(agencies_)[:6])}&_size=20",
        "reports table": lambda: f"/{name}/reports",
        "reports, faceted": lambda: f"/{name}/reports?province={province()}&_facet=year&_facet=era",
        "report_numbers view": lambda: f"/{name}/report_numbers?_size=50&province={province()}&year={pick(YEARS)}",
        "cells of a report": lambda: f"/{name}/cells?report_id={pick(ids)}",
        "flags table": lambda: f"/{name}/flags?rule=R-T3-BALANCE",
        "agency_years table": lambda: f"/{name}/agency_years?status=published&year={pick(YEARS)}",
        "coverage": lambda: f"/-/coverage?province={province()}",
        "browse": lambda: f"/-/browse?province={province()}",
        "charts": lambda: f"/-/charts?province={province()}",
        "rules": lambda: "/-/rules",
        "rule page": lambda: "/-/rule/R-T3-BALANCE",
        "feed": lambda: "/-/feed.atom",
        "snapshots": lambda: "/-/snapshots",
    }
    for query in metadata_for(name + ".db")["databases"][name]["queries"]:
        pages[f"query {query}"] = lambda q=query: f"/{name}/{q}?province={province()}&level=&agency_kind=&year="
    return pages


async def measure(datasette, pages, requests):
    """``{page: (first, p50, p95, statuses)}`` in ms, through Datasette's ASGI client; ``first``
    is the first request of the kind, which pays for its templates and for figures an immutable
    snapshot keeps (views.kept), and is not counted in p50/p95."""
    results = {}
    for label, make in pages.items():
        times, statuses = [], set()
        start = time.perf_counter()
        await datasette.client.get(make())
        first = (time.perf_counter() - start) * 1000
        for _ in range(requests):
            start = time.perf_counter()
            response = await datasette.client.get(make())
            times.append((time.perf_counter() - start) * 1000)
            statuses.add(response.status_code)
        times.sort()
        results[label] = (first, statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))], statuses)
    return results


class CrawlBeside:
    """A crawl of farm sites in a loop in its own process (the live archive's normal state)."""

    def __enter__(self):
        from farm import start_farm

        self.sites = start_farm(["a1", "a3", "a6", "a8", "a9"])
        self.work = tempfile.mkdtemp(prefix="nianbao-bench-crawl-")
        urls = " ".join(f"--start-url {s.base}/" for s in self.sites.values())
        nianbao = os.path.join(os.path.dirname(sys.executable), "nianbao")
        loop = (f"while true; do rm -rf {self.work}/a; mkdir {self.work}/a; {nianbao} crawl {urls} --db {self.work}/a/archive.db "
                "--delay 0 --log-level ERROR >/dev/null 2>&1; done")
        self.process = subprocess.Popen(["bash", "-c", loop], cwd=ROOT, start_new_session=True)
        time.sleep(2)
        return self

    def __exit__(self, *exc):
        import signal

        from farm import stop_farm

        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait()
        stop_farm(self.sites)
        shutil.rmtree(self.work, ignore_errors=True)


def run_size(count, requests, folder, beside):
    live = os.path.join(folder, f"live-{count}.db")
    built, with_agencies = build(live, count)
    started = time.perf_counter()
    entry = snapshot(live, os.path.join(folder, "snapshots"))
    snapshotted = time.perf_counter() - started
    numbers = os.path.join(folder, "snapshots", entry["file"])
    measured = sizes(live, entry, os.path.join(folder, "snapshots"))
    print(f"\n== {count} reports: written in {built:.0f} s ({built / count * 1000:.2f} ms per report), agency tables "
          f"{with_agencies - built:.0f} s, snapshot {snapshotted:.0f} s")
    for kind in ("live", "numbers", "text", "parquet"):
        print(f"   {kind:8} {measured[kind] / 1e6:9.1f} MB  {measured[kind] / count / 1024:6.2f} KB per report")
    print("   numbers snapshot by table: " + ", ".join(f"{t} {s / count:.0f} B" for t, s in measured["tables"]))
    from datasette.app import Datasette

    with open(inspect_file(numbers)) as f:
        inspected = json.load(f)
    datasette = Datasette(immutables=[numbers], inspect_data=inspected, metadata=metadata_for(numbers),
                          settings={k: {"on": True, "off": False}.get(v, v) for k, v in SETTINGS.items()})
    name = entry["file"][:-3]
    import sqlite3

    with sqlite3.connect(numbers) as conn:
        ids = [r[0] for r in conn.execute("SELECT report_id FROM reports ORDER BY random() LIMIT 2000")]
        provinces = [r[0] for r in conn.execute("SELECT DISTINCT province FROM reports WHERE province IS NOT NULL")]
        names = [r[0] for r in conn.execute("SELECT agency FROM reports ORDER BY random() LIMIT 500")]
    pages = pages_of(name, ids, provinces, names, random.Random(2))
    runs = [("idle", asyncio.run(measure(datasette, pages, requests)))]
    if beside:
        with CrawlBeside():
            runs.append(("crawl beside", asyncio.run(measure(datasette, pages, requests))))
    header = "".join(f" {label + ' first':>18} {label + ' p50':>17} {label + ' p95':>17}" for label, _ in runs)
    print(f"   {'page':34}{header} {'status':>7}")
    worst = {label: 0 for label, _ in runs}
    for page in pages:
        cells = ""
        for label, results in runs:
            first, p50, p95, _ = results[page]
            worst[label] = max(worst[label], p95)
            cells += f" {first:18.1f} {p50:17.1f} {p95:17.1f}"
        print(f"   {page:34}{cells} {','.join(map(str, sorted(runs[0][1][page][3]))):>7}")
    print("   worst p95: " + ", ".join(f"{label} {ms:.0f} ms" for label, ms in worst.items()))
    return {"reports": count, "build_s": built, **{k: measured[k] for k in ("live", "numbers", "text", "parquet")},
            "worst_p95": worst}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", default="100000", help="sizes to build, comma-separated (e.g. 100000,300000)")
    parser.add_argument("--requests", type=int, default=40, help="requests per page kind")
    parser.add_argument("--no-crawl", action="store_true", help="skip the second pass with a crawl running beside")
    parser.add_argument("--keep", help="build in this folder and keep it (default: a temporary one, removed)")
    args = parser.parse_args()
    folder = args.keep or tempfile.mkdtemp(prefix="nianbao-site-bench-")
    os.makedirs(folder, exist_ok=True)
    try:
        results = [run_size(int(n), args.requests, folder, not args.no_crawl) for n in args.reports.split(",")]
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    if len(results) >= 2:
        small, large = results[0], results[-1]
        target = 1_000_000
        print(f"\n== extrapolated to {target} reports (straight line through {small['reports']} and {large['reports']})")
        for kind in ("live", "numbers", "text", "parquet", "build_s"):
            slope = (large[kind] - small[kind]) / (large["reports"] - small["reports"])
            at = large[kind] + slope * (target - large["reports"])
            unit = f"{at / 3600:.1f} h" if kind == "build_s" else f"{at / 1e9:.2f} GB ({slope / 1024:.2f} KB per report)"
            print(f"   {kind:8} {unit}")


if __name__ == "__main__":
    main()
