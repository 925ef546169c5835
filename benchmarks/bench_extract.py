"""Extraction throughput on the bundled samples, next to a bare lxml parse of the same bytes.

Prints, per sample: milliseconds per document for extraction alone, for extraction plus
validation, and for ``lxml.html.document_fromstring`` on the same bytes, and their ratio.
Run: ``python benchmarks/bench_extract.py [--repeat N]``; ``--stages`` times each stage of an
HTML page's extraction on its own instead (the Shanghai sample and generated whole pages).
"""

import argparse
import os
import sys
import time

import lxml.etree
import lxml.html

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from extractors.process import process  # noqa: E402
from extractors import extract  # noqa: E402

SAMPLES = os.path.join(ROOT, "tests", "samples")


def best_of(fn, repeat, rounds=5):
    """Best mean time per call over ``rounds`` rounds of ``repeat`` calls (seconds)."""
    return best_of_each([fn], repeat, rounds)[0]


def best_of_each(fns, repeat, rounds=7):
    """:func:`best_of` for several functions whose rounds alternate, so that a burst of load
    on a shared machine slows all of them alike instead of one (their ratios are the result)."""
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            for _ in range(repeat):
                fn()
            best[i] = min(best[i], (time.perf_counter() - start) / repeat)
    return best


def rendered_documents():
    """The Shanghai sample as PDF and DOCX through LibreOffice (skipped when it is missing)."""
    import shutil

    if not shutil.which("soffice"):
        return {}
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    from farm.sites import RENDERED_DOCX, render_pdfs  # the farm renders reports the way offices do

    with open(os.path.join(SAMPLES, "shanghai-office-2019.html"), encoding="utf-8") as f:
        pdf = render_pdfs({"shanghai": f.read()}).get("shanghai")
    return {"shanghai-office-2019.pdf": pdf, "shanghai-office-2019.docx": RENDERED_DOCX["shanghai"]} if pdf else {}


def generated_pages(count):
    """``count`` generated report pages of the test suite's generator (tests/reportgen.py), their
    styles drawn at random per seed: whole pages and CMS fragments, encodings, markup variants."""
    import random

    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import reportgen

    pages = []
    for seed in range(count):
        rng = random.Random(seed)
        report = reportgen.generate(rng)
        style = reportgen.Style.random(rng)
        data, _ = reportgen.render_html(report, style, rng)
        pages.append(("whole pages" if style.whole_page else "fragments", data))
    return pages


def compare_generated(count, repeat):
    """One row per kind of generated page: totals over every page of that kind."""
    kinds = {}
    for kind, data in generated_pages(count):
        kinds.setdefault(kind, []).append(data)
    for kind, pages in sorted(kinds.items()):
        for data in pages:
            extract(data)
        base, ext, full = best_of_each([lambda: [lxml.html.document_fromstring(d) for d in pages],
                                        lambda: [extract(d) for d in pages], lambda: [process(d) for d in pages]], repeat)
        n = len(pages)
        size = sum(map(len, pages)) // n
        yield (f"generated {kind} ({n})", size, base / n, ext / n, full / n)


def stage_times(pages, repeat):
    """Milliseconds per page of each stage of an HTML page's extraction, each stage timed on its
    own (fresh inputs where a stage changes them), and the lxml.html baseline beside them."""
    import copy

    from extractors import html, report
    from extractors.decode import decode
    from extractors.tables import TableReader

    decoded = [decode(data, None) for data in pages]
    roots = []
    for data, (text, encoding) in zip(pages, decoded):
        root = html.parse_tree(text, True, data if encoding == "utf-8" else None)
        lxml.etree.strip_elements(root, *html._DROP_TAGS, with_tail=False)
        roots.append(root)
    marked = [html._marked_elements(root) for root in roots]
    bodies = [html.article_body(root, containers) for root, (_, containers) in zip(roots, marked)]
    docs = [report.parse(data) for data in pages]
    fresh = lambda: [copy.deepcopy(doc) for doc in docs]  # noqa: E731 - simplify rewrites a document
    rounds = 7
    copies = [fresh() for _ in range(repeat * rounds)]
    stages = {
        "lxml.html baseline": lambda: [lxml.html.document_fromstring(d) for d in pages],
        "decode": lambda: [decode(d, None) for d in pages],
        "parse (libxml2, plain elements)": lambda: [html.parse_tree(t, True, d if e == "utf-8" else None)
                                                    for d, (t, e) in zip(pages, decoded)],
        "headings and containers": lambda: [html._marked_elements(root) for root in roots],
        "article body": lambda: [html.article_body(r, c) for r, (_, c) in zip(roots, marked)],
        "walk (text lines, table rows)": lambda: [html._Walker([]).walk_root(body) for body in bodies],
        "page to document, in all": lambda: [report.parse(d) for d in pages],
        "table reader": lambda: [TableReader().read(doc.blocks) for doc in docs],
        "script check and conversion": lambda: [report.simplify(doc) for doc in copies.pop()],
        "extract, in all": lambda: [extract(d) for d in pages],
    }
    times = best_of_each(list(stages.values()), repeat, rounds)
    return {name: t / len(pages) * 1e3 for name, t in zip(stages, times)}


def print_stages(repeat):
    with open(os.path.join(SAMPLES, "shanghai-office-2019.html"), "rb") as f:
        shanghai = f.read()
    whole = [data for kind, data in generated_pages(60) if kind == "whole pages"]
    columns = {"shanghai sample": stage_times([shanghai], repeat), f"{len(whole)} whole pages": stage_times(whole, repeat)}
    print(f"{'stage (ms per page)':34}" + "".join(f"{name:>18}" for name in columns))
    for stage in next(iter(columns.values())):
        print(f"{stage:34}" + "".join(f"{times[stage]:18.3f}" for times in columns.values()))
    print("(each stage alone; 'in all' rows include the stages above them and what lies between)")


def bare_pdf_text(data):
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() for page in pdf.pages]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--generated", type=int, default=60, help="generated pages, one per seed")
    parser.add_argument("--stages", action="store_true", help="time each stage of an HTML page's extraction instead")
    args = parser.parse_args()
    if args.stages:
        print_stages(max(1, args.repeat // 10))
        return
    names = sorted(f for f in os.listdir(SAMPLES) if not f.upper().startswith("README"))
    print(f"{'document':36} {'bytes':>7} {'lxml ms':>8} {'extract ms':>10} {'ratio':>6} {'+validate':>10} {'ratio':>6}")
    row = "{:36} {:7d} {:8.2f} {:10.2f} {:5.1f}x {:10.2f} {:5.1f}x"
    totals = [0.0, 0.0, 0.0]
    for name in names:
        with open(os.path.join(SAMPLES, name), "rb") as f:
            data = f.read()
        extract(data)  # warm caches (OpenCC, regexes) outside the timing
        base, ext, full = best_of_each([lambda: lxml.html.document_fromstring(data), lambda: extract(data),
                                        lambda: process(data)], args.repeat)
        for i, t in enumerate((base, ext, full)):
            totals[i] += t
        print(row.format(name, len(data), base * 1e3, ext * 1e3, ext / base, full * 1e3, full / base))
    print(row.format("all samples", 0, totals[0] * 1e3, totals[1] * 1e3, totals[1] / totals[0],
                     totals[2] * 1e3, totals[2] / totals[0]))
    for name, size, base, ext, full in compare_generated(args.generated, max(1, args.repeat // 10)):
        print(row.format(name, size, base * 1e3, ext * 1e3, ext / base, full * 1e3, full / base))
    print("(ratio: milliseconds per document against lxml.html's parse of the same bytes; "
          "generated rows are means per page)")
    documents = rendered_documents()
    if documents:
        print(f"\n{'attachment':32} {'bytes':>7} {'pdfplumber text ms':>18} {'extract ms':>10} {'ratio':>6} {'pages/s':>8}")
        pages = len(bare_pdf_text(documents["shanghai-office-2019.pdf"]))
        base = best_of(lambda: bare_pdf_text(documents["shanghai-office-2019.pdf"]), 3, rounds=3)
        for name, data in documents.items():
            # full extraction and validation, including the bounded child process per document
            ext = best_of(lambda: process(data), 3, rounds=3)
            print(f"{name:32} {len(data):7d} {base * 1e3:18.1f} {ext * 1e3:10.1f} {ext / base:6.1f}x {pages / ext:8.1f}")
        print(f"(ratios against pdfplumber's bare text extraction of the PDF; the DOCX has the same {pages} pages)")


if __name__ == "__main__":
    main()
