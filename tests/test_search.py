"""Chinese search through Datasette's own search API and search box, on a real archive."""

import json
import os
import random
import subprocess
import sys
from urllib.parse import quote

import pytest
import sqlite_utils

import reportgen
from archive.db import open_db
from extractors.process import process

from conftest import ROOT, SAMPLES

TERMS = ["公开", "复议", "静海区", "静海公众信息网", "不予公开", "上海市", "办公厅", "行政诉讼", "结转", "量子计算", "西湖区"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "archive.db"
    db = open_db(str(path))
    for name in sorted(os.listdir(SAMPLES)):
        if not name.upper().startswith("README"):
            with open(os.path.join(SAMPLES, name), "rb") as f:
                db.write_report(process(f.read()))
    rng = random.Random(3)
    for _ in range(8):
        report = reportgen.generate(rng)
        report.agency = rng.choice(reportgen.AGENCIES)[0]
        db.write_report(process(reportgen.render_html(report, reportgen.Style(), rng)[0]))
    return path


def _get(path, url):
    nianbao = os.path.join(os.path.dirname(sys.executable), "nianbao")
    result = subprocess.run([nianbao, "serve", "--db", str(path), "--get", url], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _containing(path, term):
    """Reports whose text, title or agency contains the term, by plain substring search."""
    db = sqlite_utils.Database(path)
    return {r["report_id"] for r in db.query(
        "SELECT r.report_id FROM reports r JOIN texts t USING (report_id) "
        "WHERE instr(t.text, :t) OR instr(coalesce(r.title, ''), :t) OR instr(coalesce(r.agency, ''), :t)", {"t": term})}


@pytest.mark.parametrize("term", TERMS)
def test_search_api_finds_every_report_containing_a_term_and_no_other(archive, term):
    rows = json.loads(_get(archive, f"/archive/reports.json?_search={quote(term)}&_shape=array&_col=agency&_size=max"))
    assert {r["report_id"] for r in rows} == _containing(archive, term)


def test_two_character_words_are_found_inside_longer_words(archive):
    expected = _containing(archive, "公开")
    assert len(expected) == sqlite_utils.Database(archive)["reports"].count  # every report says 公开
    assert len(_containing(archive, "静海公众信息网")) == 1  # only the Jinghai sample names its website


def test_search_box_page_shows_the_matches(archive):
    page = _get(archive, f"/archive/reports?_search={quote('静海公众信息网')}")
    assert "1 row where search matches" in page
    assert "天津市静海区人民政府办公室" in page
