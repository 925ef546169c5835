"""The source registry: named sites, and crawling one by name."""

import os
import subprocess
import sys

import pytest
import sqlite_utils
import yaml

from crawler.sources import load_source, load_sources

from conftest import ROOT
from farm import start_farm, stop_farm


def test_registry_entries_have_their_fields():
    for name, entry in load_sources().items():
        assert entry["region"] and entry["level"] and entry["platform"], name
        assert all(url.startswith(("http://", "https://")) for url in entry["start_urls"]), name


def test_unknown_source_names_the_known_ones():
    with pytest.raises(KeyError, match="lanshan-county"):
        load_source("no-such-site")


def test_crawl_by_source_name(tmp_path):
    sites = start_farm(["a6"])
    registry = tmp_path / "sources.yml"
    registry.write_text(yaml.safe_dump({"sources": [{
        "name": "farm-gkmlpt", "region": "广东省惠州市惠城区", "level": "county", "platform": "gkmlpt",
        "start_urls": [sites["a6"].base + "/"]}]}, allow_unicode=True), encoding="utf-8")
    db_path = tmp_path / "archive.db"
    script = os.path.join(os.path.dirname(sys.executable), "nianbao")
    try:
        result = subprocess.run(
            [script, "crawl", "--source", "farm-gkmlpt", "--db", str(db_path), "--delay", "0", "--log-level", "WARNING"],
            cwd=ROOT, capture_output=True, text=True, timeout=120, env=dict(os.environ, NIANBAO_SOURCES=str(registry)))
        assert result.returncode == 0, result.stderr[-2000:]
        assert sqlite_utils.Database(db_path)["reports"].count == len(sites["a6"].manifest.reports)
    finally:
        stop_farm(sites)
