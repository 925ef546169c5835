"""OCR engines on the same scans: Tesseract chi_sim against RapidOCR (PP-OCR models inside its
package), reading the cells of the Shanghai sample printed through Writer and rasterised.

Per scan form and engine: cells right (against the golden file), misreads caught (a wrong value
whose cell a flag names), misreads silent (a wrong value no flag names), cells missing, title
right, and seconds, with each engine's time as a ratio of Tesseract's on the same scan.
Run: ``python benchmarks/bench_ocr.py [--forms 300,200,skew,seal]``.
"""

import argparse
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))

from extractors.process import process  # noqa: E402
from test_golden import expected_cells  # noqa: E402

FORMS = {"300": dict(dpi=300), "200": dict(dpi=200), "skew": dict(dpi=300, skew=2.0), "seal": dict(dpi=300, seal=True)}


def office_pdf(work):
    with open(os.path.join(ROOT, "tests", "samples", "shanghai-office-2019.html"), encoding="utf-8") as f:
        fragment = re.sub(r"""\s(?:style|width|nowrap)=(?:"[^"]*"|'[^']*')""", "", f.read())
    fragment = fragment.replace("<table", '<table width="100%" style="font-size:8pt"')
    with open(os.path.join(work, "report.html"), "w", encoding="utf-8") as f:
        f.write(f'<html><head><meta charset="utf-8"></head><body>{fragment}</body></html>')
    for source, target in (("report.html", "docx:MS Word 2007 XML"), ("report.docx", "pdf")):
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/profile", "--convert-to", target,
                        "--outdir", work, os.path.join(work, source)], check=True, capture_output=True, timeout=180)
    return os.path.join(work, "report.pdf")


def scan(pdf_path, dpi=300, skew=0.0, seal=False, seed=1):
    import pdfplumber
    from PIL import Image, ImageChops, ImageDraw

    rng = random.Random(seed)
    with pdfplumber.open(pdf_path) as pdf:
        pages = [p.to_image(resolution=dpi).original.convert("RGB") for p in pdf.pages]
    out = []
    for page in pages:
        if seal:
            layer = Image.new("RGB", page.size, "white")
            cx, cy, r = rng.randint(page.width // 4, 3 * page.width // 4), rng.randint(page.height // 4, 3 * page.height // 4), dpi
            ImageDraw.Draw(layer).ellipse((cx - r, cy - r, cx + r, cy + r), outline=(220, 40, 40), width=dpi // 25)
            page = ImageChops.multiply(page, layer)
        if skew:
            page = page.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor="white")
        out.append(page)
    buffer = io.BytesIO()
    out[0].save(buffer, format="PDF", save_all=True, append_images=out[1:], resolution=dpi)
    return buffer.getvalue()


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
    parser.add_argument("--forms", default="300,200,skew,seal")
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
            for engine in ("tesseract", "rapidocr"):
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
