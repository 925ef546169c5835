"""Every list mechanism over many random draws of its parameters: the crawl finds every report
of every variant site exactly once, no decoy, and records every list complete with the total the
site announces; the walled list comes out short, with its total and its walled page, and every
report on its reachable pages archived.

``NIANBAO_FARM_SEEDS`` (default 6) sets how many seeds; ``NIANBAO_FARM_SEED`` the first one.
"""

import os
import shutil
import subprocess
import sys

import pytest
import sqlite_utils

from conftest import ROOT
from farm import lists as farm_lists

SEEDS = int(os.environ.get("NIANBAO_FARM_SEEDS", "6"))
FIRST = int(os.environ.get("NIANBAO_FARM_SEED", "1000"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _crawl(sites, db_path):
    script = os.path.join(os.path.dirname(sys.executable), "nianbao")
    urls = [a for s in sites.values() for a in ("--start-url", s.base + "/")]
    return subprocess.run([script, "crawl", *urls, "--db", str(db_path), "--delay", "0", "--log-level", "WARNING",
                           "-s", "DOWNLOAD_TIMEOUT=10", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)


@pytest.mark.parametrize("seed", range(FIRST, FIRST + SEEDS))
def test_every_variant_site_is_enumerated_completely(seed, tmp_path):
    names = None if CHROMIUM or os.environ.get("CI") else [n for n in farm_lists.BUILDERS if n not in ("spa", "load_more")]
    sites = farm_lists.start(seed, names)
    try:
        result = _crawl(sites, tmp_path / "archive.db")
    finally:
        for site in sites.values():
            site.stop()
    assert result.returncode == 3, result.stderr[-3000:]  # the walled list is incomplete, and says so
    db = sqlite_utils.Database(tmp_path / "archive.db")
    problems = []
    for name, site in sites.items():
        where = f"{name} {site.params}"
        rows = list(db.query("SELECT url, year FROM reports WHERE url LIKE ?", [site.base + "/%"]))
        urls = [r["url"] for r in rows]
        expected = {e["url"]: e for e in site.manifest.reports}
        if sorted(urls) != sorted(expected):
            problems.append((where, "reports", sorted(set(expected) - set(urls))[:3], sorted(set(urls) - set(expected))[:3]))
        wrong_years = [(r["url"], r["year"]) for r in rows if r["url"] in expected and r["year"] != expected[r["url"]]["year"]]
        if wrong_years:
            problems.append((where, "years", wrong_years[:3]))
        decoys = {d["url"] for d in site.manifest.decoys} & set(urls)
        if decoys:
            problems.append((where, "decoys archived", sorted(decoys)[:3]))
        listings = {r["url"]: r for r in db.query("SELECT * FROM listings WHERE url LIKE ?", [site.base + "/%"])}
        for wanted in site.expected_lists:
            row = listings.get(wanted["url"])
            if row is None:
                problems.append((where, "no listing", wanted["url"], sorted(listings)))
                continue
            if row["complete"] != wanted["complete"] or row["announced"] != wanted["announced"] \
                    or row["mechanism"] != wanted["mechanism"]:
                problems.append((where, "listing", wanted, {k: row[k] for k in ("mechanism", "announced", "found", "complete", "detail")}))
            if wanted.get("failed_url") and (wanted["failed_url"] not in (row["detail"] or "") or row["pages_failed"] < 1):
                problems.append((where, "walled page not named", row["detail"]))
            if wanted["complete"] == 1 and row["announced"] is not None and row["found"] < row["announced"]:
                problems.append((where, "complete but short", row["found"], row["announced"]))
    assert not problems, problems
