"""OCR engines on the same scans: Tesseract chi_sim against RapidOCR (PP-OCR models inside its
package), reading the cells of the Shanghai sample printed through Writer and rasterised.

Per scan form and engine: cells right (against the golden file), misreads caught (a wrong value
whose cell a flag names), misreads silent (a wrong value no flag names), cells missing, title
right, and seconds, with each engine's time as a ratio of Tesseract's on the same scan.
Run: ``python benchmarks/bench_ocr.py [--forms 300,200,skew,seal,200seal] [--engines tesseract,rapidocr]``.
"""

import argparse
import json
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))

from extractors.process import process  # noqa: E402
from printing import office_pdf, scan  # noqa: E402
from test_golden import expected_cells  # noqa: E402

FORMS = {"300": dict(dpi=300), "200": dict(dpi=200), "skew": dict(dpi=300, skew=2.0), "seal": dict(dpi=300, seal=True),
         "200seal": dict(dpi=200, seal=True)}


def score(report, golden):
    expected = expected_cells(golden, golden["era"])
    got = {c["code"]: c for c in report["cells"]}
    named = {code for f in report["flags"] for code in (f["cells"] if isinstance(f["cells"], list) else json.loads(f["cells"] or "[]"))}
    right = caught = silent = missing = 0
    for code, (value, semantic, _) in expected.items():
        cell = got[code]
        if (cell["value"], cell["semantic"]) == (value, semantic):
            right += 1
        elif cell["semantic"] == "missing":
            missing += 1
        elif code in named:
            caught += 1
        else:
            silent += 1
    return right, len(expected), caught, silent, missing, report["title"] == golden["title"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--forms", default="300,200,skew,seal,200seal")
    parser.add_argument("--engines", default="tesseract,rapidocr", help="engines that read first, compared on each form")
    args = parser.parse_args()
    import extractors.bounded

    # RapidOCR reads a cell in about a tenth of a second and onnxruntime maps more than the
    # reader's 2 GB: the benchmark lifts both bounds for both engines alike.
    extractors.bounded.TIME_LIMIT = 3600
    extractors.bounded.MEMORY_LIMIT = 12 * 1024**3
    with open(os.path.join(ROOT, "tests", "golden", "shanghai-office-2019.json"), encoding="utf-8") as f:
        golden = json.load(f)
    with tempfile.TemporaryDirectory() as work:
        pdf = office_pdf(work)
        print(f"{'form':6} {'engine':10} {'right':>9} {'caught':>6} {'silent':>6} {'missing':>7} {'title':>5} {'s':>6} {'ratio':>5}")
        for form in args.forms.split(","):
            data = scan(pdf, **FORMS[form])
            base = None
            for engine in args.engines.split(","):
                os.environ["NIANBAO_OCR_ENGINE"] = engine
                start = time.perf_counter()
                report = process(data, source=f"scan-{form}.pdf")
                seconds = time.perf_counter() - start
                base = base or seconds
                right, total, caught, silent, missing, title = score(report, golden)
                print(f"{form:6} {engine:10} {right:>4}/{total:<4} {caught:>6} {silent:>6} {missing:>7} {str(title):>5} "
                      f"{seconds:6.1f} {seconds / base:5.2f}")


if __name__ == "__main__":
    main()
