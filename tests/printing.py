"""Printing documents to PDF the way browsers and offices do, for tests of the PDF path.

Chromium (Debian's, driven by Playwright) prints a page as a browser's "Save as PDF" does; with
Noto CJK, the font most Linux and Android browsers print Chinese with, its PDF writer names
glyphs that the font shares between a radical and an ideograph by the radical's code point
(⼯ U+2F2F for 工), as real exported reports do. The office path is LibreOffice through a Word
file (tests/farm/sites.render_pdfs, and :func:`office_pdf` here); :func:`scan` makes an
image-only PDF of a printed one, as a scanner does.
"""

import io
import os
import random
import re
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FONTS = {"default": None, "noto-sans": "Noto Sans CJK SC", "noto-serif": "Noto Serif CJK SC"}


def chromium_pdfs(pages, font=None):
    """``{key: pdf bytes}`` of HTML pages (``{key: html text}``) printed by Chromium; ``font``:
    a font family every element is printed in (None: the page's own fonts)."""
    from playwright.sync_api import sync_playwright

    if CHROMIUM is None:
        raise RuntimeError("Chromium is not installed (Debian package chromium)")
    out = {}
    with tempfile.TemporaryDirectory(prefix="nianbao-print-") as work, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            for key, html in pages.items():
                path = os.path.join(work, f"{len(out)}.html")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(html)
                page.goto(f"file://{path}")
                if font:
                    page.add_style_tag(content=f"* {{ font-family: '{font}' !important; }}")
                out[key] = page.pdf(format="A4", print_background=True)
        finally:
            browser.close()
    return out


def radicals_in(pdf_bytes):
    """How many Kangxi radicals and CJK radicals supplement code points a PDF's text layer holds."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return sum(1 for page in pdf.pages for char in page.chars if 0x2E80 <= ord(char["text"][0]) <= 0x2FDF)


def office_pdf(work):
    """The Shanghai sample through LibreOffice Writer (HTML to Word to PDF), as an office prints
    it: the path of the PDF in ``work``."""
    with open(os.path.join(HERE, "samples", "shanghai-office-2019.html"), encoding="utf-8") as f:
        fragment = re.sub(r"""\s(?:style|width|nowrap)=(?:"[^"]*"|'[^']*')""", "", f.read())
    fragment = fragment.replace("<table", '<table width="100%" style="font-size:8pt"')
    with open(os.path.join(work, "report.html"), "w", encoding="utf-8") as f:
        f.write(f'<html><head><meta charset="utf-8"></head><body>{fragment}</body></html>')
    for source, target in (("report.html", "docx:MS Word 2007 XML"), ("report.docx", "pdf")):
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/profile", "--convert-to", target,
                        "--outdir", work, os.path.join(work, source)], check=True, capture_output=True, timeout=180)
    return os.path.join(work, "report.pdf")


def scan(pdf_path, dpi=300, skew=0.0, seal=False, seed=1):
    """A PDF's pages rasterised at ``dpi`` into an image-only PDF, as a scanner makes one: each
    page tilted by ``skew`` degrees, stamped (``seal``) with a red ring of a seed-drawn place."""
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
