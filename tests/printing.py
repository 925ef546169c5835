"""Printing documents to PDF the way browsers and offices do, for tests of the PDF path.

Chromium (Debian's, driven by Playwright) prints a page as a browser's "Save as PDF" does; with
Noto CJK, the font most Linux and Android browsers print Chinese with, its PDF writer names
glyphs that the font shares between a radical and an ideograph by the radical's code point
(⼯ U+2F2F for 工), as real exported reports do. The office path is LibreOffice through a Word
file (tests/farm/sites.render_pdfs).
"""

import os
import shutil
import tempfile

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
