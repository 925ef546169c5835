"""Debian's Chromium for browser tests, driven by Playwright: where it is, how it is launched,
and where screenshots go (build/screenshots/, kept by CI as artefacts)."""

import contextlib
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, free_port, wait_for_http

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = os.path.join(ROOT, "build", "screenshots")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
needs_chromium = pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"), reason="Chromium is installed by .ci/run")


def launch(playwright):
    """A headless Chromium (the system's), with the screenshot folder made."""
    os.makedirs(SHOTS, exist_ok=True)
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


@contextlib.contextmanager
def served(db_path):
    """``nianbao serve`` of an archive on a free port of 127.0.0.1, for as long as the block
    lasts; yields its base URL."""
    port = free_port()
    nianbao = os.path.join(os.path.dirname(sys.executable), "nianbao")
    server = subprocess.Popen([nianbao, "serve", "--db", str(db_path), "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(base + "/-/versions.json")
        yield base
    finally:
        server.terminate()
        server.wait(10)


@contextlib.contextmanager
def chromium():
    """A running headless Chromium for the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            yield browser
        finally:
            browser.close()
