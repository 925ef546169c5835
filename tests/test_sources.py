"""The source registry: named sites, and crawling one by name."""

import os
import subprocess
import sys

import pytest
import sqlite_utils
import yaml

from crawler.sources import UnknownSource, load_source, load_sources

from conftest import ROOT
from farm import start_farm, stop_farm


def test_registry_entries_have_their_fields():
    for name, entry in load_sources().items():
        assert entry["region"] and entry["level"] and entry["platform"], name
        assert all(url.startswith(("http://", "https://")) for url in entry["start_urls"]), name


def test_unknown_source_names_the_known_ones():
    with pytest.raises(UnknownSource, match="lanshan-county"):
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


def test_the_registry_lints_clean_and_covers_many_provinces():
    from crawler.sources import lint

    assert lint() == []
    entries = load_sources().values()
    assert len(entries) >= 50 and len({e["region_code"][:2] for e in entries}) >= 10


def test_lint_names_every_problem(tmp_path):
    from crawler.sources import lint

    bad = tmp_path / "sources.yml"
    bad.write_text(yaml.safe_dump({"sources": [
        {"name": "a", "region": "某省", "region_code": "110000", "level": "province", "start_urls": ["https://a.gov.cn/"],
         "platform": "trs", "schedule": "0 3 * * 1"},
        {"name": "a", "region": "某市", "region_code": "11010", "level": "city", "start_urls": ["https://a.gov.cn", "ftp://x"],
         "platform": "trs", "schedule": "61 3 * *"},
        {"name": "b", "region": "某县", "region_code": "110105", "level": "province", "start_urls": ["https://b.gov.cn/"],
         "schedule": "0 3 * * 1"},
    ]}, allow_unicode=True), encoding="utf-8")
    problems = "\n".join(lint(str(bad)))
    for expected in ("name also used", "also used by entry 1", "malformed start URL 'ftp://x'",
                     "not a 6-digit division code", "level 'city'", "not a cron expression", "missing platform",
                     "a province's code ends in 0000"):
        assert expected in problems, expected


def test_lint_checks_codes_names_and_levels_against_the_gazetteer(tmp_path):
    from crawler.sources import lint

    entries = [
        {"name": "ok", "region": "湖南省永州市蓝山县", "region_code": "431127", "level": "county"},
        {"name": "short-name", "region": "蓝山县", "region_code": "431127", "level": "county"},
        {"name": "no-such-code", "region": "某县", "region_code": "431199", "level": "county"},
        {"name": "other-name", "region": "江华瑶族自治县", "region_code": "431127", "level": "county"},
        {"name": "other-level", "region": "永州市", "region_code": "431100", "level": "county"},
    ]
    bad = tmp_path / "sources.yml"
    bad.write_text(yaml.safe_dump({"sources": [
        dict(e, start_urls=[f"https://{e['name']}.gov.cn/"], platform="trs", schedule="0 3 * * 1") for e in entries
    ]}, allow_unicode=True), encoding="utf-8")
    problems = lint(str(bad))
    assert not [p for p in problems if "(ok)" in p or "(short-name)" in p], problems
    assert any("(no-such-code)" in p and "431199 is not a division" in p for p in problems), problems
    assert any("(other-name)" in p and "湖南省永州市蓝山县" in p for p in problems), problems
    assert any("(other-level)" in p and "is a prefecture" in p for p in problems), problems
    assert len(problems) == 3, problems
