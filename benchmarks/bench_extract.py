"""Extraction throughput on the bundled samples, next to a bare lxml parse of the same bytes.

Prints, per sample: milliseconds per document for extraction alone, for extraction plus
validation, and for ``lxml.html.document_fromstring`` on the same bytes, and their ratio.
Run: ``python benchmarks/bench_extract.py [--repeat N]``.
"""

import argparse
import os
import sys
import time

import lxml.html

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from archive.pipeline import process  # noqa: E402
from extractors import extract  # noqa: E402

SAMPLES = os.path.join(ROOT, "tests", "samples")


def best_of(fn, repeat, rounds=5):
    """Best mean time per call over ``rounds`` rounds of ``repeat`` calls (seconds)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        best = min(best, (time.perf_counter() - start) / repeat)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    names = sorted(f for f in os.listdir(SAMPLES) if not f.upper().startswith("README"))
    print(f"{'sample':32} {'bytes':>7} {'lxml ms':>8} {'extract ms':>10} {'+validate':>10} {'ratio':>6} {'docs/s':>7}")
    totals = [0.0, 0.0, 0.0]
    for name in names:
        with open(os.path.join(SAMPLES, name), "rb") as f:
            data = f.read()
        extract(data)  # warm caches (OpenCC, regexes) outside the timing
        base = best_of(lambda: lxml.html.document_fromstring(data), args.repeat)
        ext = best_of(lambda: extract(data), args.repeat)
        full = best_of(lambda: process(data), args.repeat)
        for i, t in enumerate((base, ext, full)):
            totals[i] += t
        print(f"{name:32} {len(data):7d} {base * 1e3:8.2f} {ext * 1e3:10.2f} {full * 1e3:10.2f} {full / base:6.1f}x {1 / full:7.0f}")
    print(f"{'all samples':32} {'':7} {totals[0] * 1e3:8.2f} {totals[1] * 1e3:10.2f} {totals[2] * 1e3:10.2f} "
          f"{totals[2] / totals[0]:6.1f}x {len(names) / totals[2]:7.0f}")


if __name__ == "__main__":
    main()
