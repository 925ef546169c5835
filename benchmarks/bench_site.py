"""The published site on a large archive: build a synthetic archive of N reports (default
100,000, about 20 million cells) and print p50/p95 latency of the main pages.

Run: ``python benchmarks/bench_site.py [--reports N] [--requests R] [--db PATH]``. Prints the
build time and database size per report, then latency of the report page, a faceted table
page, a search, and each canned query, measured through Datasette's ASGI client in-process.
"""

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from urllib.parse import quote

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]

import reportgen  # noqa: E402
from archive.db import open_db  # noqa: E402
from archive.publish import ROOT as SITE_ROOT, SETTINGS, checkpoint, metadata_for  # noqa: E402
from extractors.rules import validate  # noqa: E402
from archive.search import bigrams  # noqa: E402
from extractors import spec  # noqa: E402

PROVINCES = ["北京市", "天津市", "河北省", "江苏省", "浙江省", "安徽省", "福建省", "广东省", "四川省", "甘肃省"]
UNITS = ["人民政府", "教育局", "财政局", "公安局", "民政局", "卫生健康委员会", "生态环境局", "审计局", "统计局", "司法局"]
WORDS = ["主动公开", "依申请公开", "政策解读", "行政复议", "行政诉讼", "政务公开", "信息处理费", "监督保障", "平台建设"]


def build(path, count, seed=1):
    db = open_db(path)
    rng = random.Random(seed)
    started = time.perf_counter()
    batch = {"reports": [], "cells": [], "flags": [], "texts": []}
    fts = []
    for n in range(count):
        era = rng.choice(["f2019", "f2021"])
        gen = reportgen.generate(rng, era)
        province = rng.choice(PROVINCES)
        agency = f"{province}第{n % 3000}县{rng.choice(UNITS)}"
        rid = f"{n:016x}"
        cells = [{"code": code, "value": value, "raw": str(value), "semantic": "zero" if value == 0 else "number",
                  "unit": spec.unit_of(code, era)} for code, value in gen.values.items()]
        report = {"era": era, "year": gen.year, "year_era": era, "era_markers": {era: 3}, "cells": cells, "facts": [],
                  "issues": [], "headings": []}
        if n % 50 == 0:  # a few broken reports, so flags exist
            cells[0]["value"] += 1
        flags, checks = validate(report)
        title = f"{agency}{gen.year}年政府信息公开工作年度报告"
        text = title + "。" + "，".join(rng.sample(WORDS, 4)) + f"，共收到申请{gen.values['table3.new_received.total']}件。"
        batch["reports"].append({"report_id": rid, "sha256": rid * 4, "title": title, "agency": agency, "level": "county",
                                 "province": province, "region": province, "year": gen.year, "era": era,
                                 "n_cells": len(cells), "n_values": len(cells), "n_missing": 0,
                                 "n_errors": sum(f["severity"] == "ERROR" for f in flags),
                                 "n_warnings": sum(f["severity"] == "WARN" for f in flags), "n_info": 0,
                                 "checks_passed": checks["pass"], "checks_skipped": checks["skip"]})
        parts = [c["code"].split(".") for c in cells]
        batch["cells"].extend({"report_id": rid, "code": c["code"], "table_name": p[0], "row_code": p[1], "col_code": p[2],
                               "value": c["value"], "unit": c["unit"], "semantic": c["semantic"], "raw": c["raw"]}
                              for c, p in zip(cells, parts))
        batch["flags"].extend({"report_id": rid, "rule": f["rule"], "scope": f["scope"], "severity": f["severity"],
                               "message": f["message"], "lhs": f["lhs"], "rhs": f["rhs"], "delta": f["delta"]} for f in flags)
        batch["texts"].append({"report_id": rid, "text": text})
        fts.append((title, agency, text))
        if len(batch["reports"]) >= 2000 or n == count - 1:
            with db.conn:
                start_rowid = (db.execute("SELECT max(rowid) FROM reports").fetchone()[0] or 0) + 1
                for table, rows in batch.items():
                    db._insert_rows(table, rows)
                db.conn.executemany("INSERT INTO reports_fts (rowid, title, agency, text) VALUES (?, ?, ?, ?)",
                                    [(start_rowid + i, bigrams(a), bigrams(b), bigrams(c)) for i, (a, b, c) in enumerate(fts)])
            batch = {k: [] for k in batch}
            fts = []
    with db.conn:
        db.conn.execute("CREATE INDEX IF NOT EXISTS reports_province ON reports(province)")
        db.conn.execute("CREATE INDEX IF NOT EXISTS reports_era ON reports(era)")
        db.conn.execute("ANALYZE")
    db.conn.close()
    checkpoint(path)
    return time.perf_counter() - started


async def measure(path, requests):
    from datasette.app import Datasette

    datasette = Datasette([path], immutables=[], metadata=metadata_for(path),
                          settings=dict({k: {"on": True, "off": False}.get(v, v) for k, v in SETTINGS.items()},
                                        sql_time_limit_ms=30000, facet_time_limit_ms=5000))
    name = os.path.splitext(os.path.basename(path))[0]
    rng = random.Random(2)
    count = (await datasette.get_database(name).execute("SELECT max(rowid) FROM reports")).first()[0]
    pages = {
        "report page": lambda: f"/-/report/{rng.randrange(count):016x}",
        "faceted table": lambda: f"/{name}/reports?province={quote(rng.choice(PROVINCES))}&_facet=year&_facet=era",
        "search": lambda: f"/{name}/reports.json?_search={quote(rng.choice(WORDS))}&_size=20",
        "wide view page": lambda: f"/{name}/report_numbers.json?_size=50&agency={quote(rng.choice(PROVINCES) + '第' + str(rng.randrange(3000)) + '县人民政府')}",
    }
    for query in metadata_for(path)["databases"][name]["queries"]:
        pages[f"query {query}"] = lambda q=query: f"/{name}/{q}.json?_size=50"
    print(f"{'page':34} {'p50 ms':>8} {'p95 ms':>8} {'status':>7}")
    for label, make in pages.items():
        times, statuses = [], set()
        n = requests if not label.startswith("query") else max(3, requests // 10)
        for _ in range(n):
            start = time.perf_counter()
            response = await datasette.client.get(make())
            times.append((time.perf_counter() - start) * 1000)
            statuses.add(response.status_code)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{label:34} {statistics.median(times):8.1f} {p95:8.1f} {','.join(map(str, sorted(statuses))):>7}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--db", help="where to build (default: a temporary folder); reused if it exists")
    args = parser.parse_args()
    path = args.db or os.path.join(tempfile.mkdtemp(prefix="nianbao-site-bench-"), "bench.db")
    if not os.path.exists(path):
        seconds = build(path, args.reports)
        size = os.path.getsize(path)
        print(f"built {args.reports} reports in {seconds:.0f} s ({seconds / args.reports * 1000:.2f} ms per report); "
              f"{size / 1e6:.0f} MB ({size / args.reports / 1024:.1f} KB per report) at {path}")
    asyncio.run(measure(path, args.requests))


if __name__ == "__main__":
    main()
