"""The report page and archived captures, through a real Datasette (its ASGI client)."""

import os
import subprocess
import sys

import pytest
import yaml

from archive.db import open_db
from extractors.process import process
from archive.publish import ROOT, checkpoint
from farm import start_farm, stop_farm

from conftest import SAMPLES
from site_client import site_get, write_samples

HOSTILE = ("<p>2021年某某县&lt;script&gt;alert(1)&lt;/script&gt;政府信息公开工作年度报告</p>"
           "<p>一、总体情况</p><p>&lt;img src=x onerror=alert(2)&gt;本年共收到申请3件。</p>").encode("utf-8")


_get = site_get


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("page") / "archive.db"
    db = open_db(str(path))
    ids = write_samples(db, SAMPLES)
    ids["hostile"] = db.write_report(process(HOSTILE))
    return path, ids


def test_report_page_shows_the_tables_in_the_official_layout(archive):
    path, ids = archive
    page = _get(path, f"/-/report/{ids['shanghai-office-2019.html']}").text
    for heading in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
                    "一、本年新收政府信息公开申请数量", "（七）总计", "复议后起诉", "申请人情况"):
        assert heading in page
    assert 'data-code="table3.new_received.natural_person"' in page and ">821</td>" in page


def test_flagged_cell_is_highlighted_with_the_rule_and_both_sides(archive):
    path, ids = archive
    page = _get(path, f"/-/report/{ids['jinghai-2019.txt']}").text
    at = page.index('data-code="table3.result_total.total"')
    cell = page[page.rindex("<td", 0, at): page.index("</td>", at)]
    assert "flag-WARN" in cell and "N-RESULT-TOTAL" in cell and "5 ≠ 4" in cell


def test_text_from_a_site_is_shown_as_text_never_as_markup(archive):
    path, ids = archive
    page = _get(path, f"/-/report/{ids['hostile']}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page and "onerror=alert(2)" not in page.replace("&lt;img src=x onerror=alert(2)&gt;", "")


def test_search_results_link_to_report_pages(archive):
    path, ids = archive
    page = _get(path, "/archive/reports").text
    assert f'href="/-/report/{ids["jinghai-2019.txt"]}"' in page


def test_unknown_report_is_404(archive):
    path, _ = archive
    assert _get(path, "/-/report/0000000000000000").status_code == 404


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    sites = start_farm(["a6"])
    db_path = tmp_path_factory.mktemp("crawled") / "archive.db"
    nianbao = os.path.join(os.path.dirname(sys.executable), "nianbao")
    try:
        subprocess.run([nianbao, "crawl", "--start-url", sites["a6"].base + "/", "--db", str(db_path), "--delay", "0",
                        "--log-level", "ERROR"], check=True, cwd=ROOT, capture_output=True, timeout=120)
    finally:
        stop_farm(sites)
    return db_path


def test_archived_copy_shows_its_capture_details_text_and_downloads(crawled):
    import hashlib
    import io

    import sqlite_utils
    from warcio.archiveiterator import ArchiveIterator

    capture = next(sqlite_utils.Database(crawled).query(
        "SELECT * FROM captures WHERE kind = 'detail' AND status = 200 AND report_id IS NOT NULL LIMIT 1"))
    page = _get(crawled, f"/-/capture/{capture['capture_id']}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for detail in (capture["url"], capture["sha256"], os.path.basename(capture["warc_file"]), str(capture["warc_offset"]),
                   capture["fetched_at"], f"/-/report/{capture['report_id']}"):
        assert detail in page.text, detail
    assert "政府信息公开工作年度报告" in page.text and "&lt;html" in page.text.lower()  # the bytes as text, escaped
    assert 'sandbox=""' in page.text and "no longer answers" not in page.text
    raw = _get(crawled, f"/-/capture/{capture['capture_id']}/raw")
    assert raw.headers["content-security-policy"].startswith("sandbox") and raw.headers["x-content-type-options"] == "nosniff"
    body = _get(crawled, f"/-/capture/{capture['capture_id']}/body")
    assert "attachment" in body.headers["content-disposition"]
    assert hashlib.sha256(body.content).hexdigest() == capture["sha256"] and len(body.content) == capture["size"]
    warc = _get(crawled, f"/-/capture/{capture['capture_id']}/warc")
    records = list(ArchiveIterator(io.BytesIO(warc.content)))
    assert len(records) == 1 and records[0].rec_headers.get_header("WARC-Target-URI") == capture["url"]


def test_archived_copy_says_prominently_when_the_original_url_no_longer_answers(crawled, tmp_path):
    import shutil

    import sqlite_utils

    copy = tmp_path / "archive.db"
    shutil.copy(crawled, copy)
    shutil.copytree(crawled.parent / "warc", tmp_path / "warc")
    db = sqlite_utils.Database(copy)
    capture = next(db.query("SELECT * FROM captures WHERE kind = 'detail' AND status = 200 AND report_id IS NOT NULL LIMIT 1"))
    db["captures"].insert({"url": capture["url"], "kind": "detail", "status": 404, "outcome": "not_found",
                           "fetched_at": "2030-01-01T00:00:00+00:00", "detail": "HTTP 404"})
    db.conn.close()
    page = _get(copy, f"/-/capture/{capture['capture_id']}").text
    assert 'id="gone"' in page and "no longer answers" in page and "2030-01-01" in page and "not_found" in page


with open(os.path.join(ROOT, "metadata.yml"), encoding="utf-8") as _f:
    QUERIES = sorted(yaml.safe_load(_f)["databases"]["archive"]["queries"])


@pytest.mark.parametrize("query", QUERIES)
def test_canned_queries_run(archive, query):
    path, _ = archive
    response = _get(path, f"/archive/{query}.json?_shape=array")
    assert response.status_code == 200, response.text[:500]
    assert isinstance(response.json(), list)


def test_wide_view_has_the_key_numbers(archive):
    path, ids = archive
    rows = _get(path, f"/archive/report_numbers.json?_shape=array&report_id={ids['shanghai-office-2019.html']}").json()
    assert (rows[0]["new_received"], rows[0]["results_total"], rows[0]["carried_forward"]) == (859, 805, 72)
    assert rows[0]["denied"] is None  # the 总计 column of the refusal rows is blank: not reported
    csv = _get(path, "/archive/report_numbers.csv").text
    assert csv.splitlines()[0].startswith("report_id,agency_id,province,city,region,agency,agency_kind")


def test_snapshots_are_listed_and_downloadable(archive, tmp_path):
    path, _ = archive
    from archive.snapshot import snapshot

    entry = snapshot(str(path), str(path.parent / "snapshots"))
    listing = _get(path, "/-/snapshots").text
    assert entry["file"] in listing and entry["sha256"] in listing and str(entry["size"]) in listing
    download = _get(path, f"/-/snapshots/{entry['file']}")
    import hashlib

    assert download.status_code == 200 and hashlib.sha256(download.content).hexdigest() == entry["sha256"]
    assert _get(path, "/-/snapshots/nianbao-not-listed.db").status_code == 404
    latest = _get(path, "/-/snapshots/latest.db")
    assert hashlib.sha256(latest.content).hexdigest() == entry["sha256"] and latest.headers["x-snapshot-file"] == entry["file"]
    assert _get(path, "/-/snapshots.json").json()[-1]["sha256"] == entry["sha256"]
    assert _get(path, "/-/snapshots/snapshots.json").json() == _get(path, "/-/snapshots.json").json()
    sums = dict(reversed(line.split("  ")) for line in _get(path, "/-/snapshots/SHA256SUMS").text.splitlines())
    for listed in [entry, *entry["parquet"]]:
        assert sums[listed["file"]] == listed["sha256"]
        assert hashlib.sha256(_get(path, f"/-/snapshots/{listed['file']}").content).hexdigest() == listed["sha256"]
    cells = next(p for p in entry["parquet"] if p["table"] == "cells")
    assert hashlib.sha256(_get(path, "/-/snapshots/latest-cells.parquet").content).hexdigest() == cells["sha256"]
    assert _get(path, "/-/snapshots/latest-nope.parquet").status_code == 404


def test_atom_feed_lists_new_reports_and_flags(archive):
    import xml.etree.ElementTree as ET

    path, ids = archive
    response = _get(path, "/-/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    ids_in_feed = [e.find("a:id", ns).text for e in feed.findall("a:entry", ns)]
    assert f"tag:nianbao,report:{ids['jinghai-2019.txt']}" in ids_in_feed
    assert f"tag:nianbao,flag:{ids['jinghai-2019.txt']}:N-RESULT-TOTAL" in ids_in_feed
    titles = [e.find("a:title", ns).text for e in feed.findall("a:entry", ns)]
    assert any("<script>" in t for t in titles)  # escaped in XML, text again once parsed


def _chart_csv(path, query=""):
    import csv
    import io

    answer = _get(path, f"/-/charts/requests.csv?{query}")
    assert answer.status_code == 200, answer.text[:300]
    return {(int(r["year"]), r["measure"]): r for r in csv.DictReader(io.StringIO(answer.text))}


def test_charts_follow_the_filter(archive):
    path, _ = archive
    everything, shanghai = _chart_csv(path), _chart_csv(path, "province=%E4%B8%8A%E6%B5%B7%E5%B8%82")
    assert (shanghai[(2019, "new_received")]["value"], shanghai[(2019, "new_received")]["reports"]) == ("859", "1")
    assert (everything[(2019, "new_received")]["value"], everything[(2019, "new_received")]["reports"]) == ("864", "2")
    page = _get(path, "/-/charts?province=%E4%B8%8A%E6%B5%B7%E5%B8%82").text
    assert "859 · 1 report" in page and "<svg" in page and "<script>alert" not in _get(path, "/-/charts").text
    assert "/-/charts/reports?province=%E4%B8%8A%E6%B5%B7%E5%B8%82&amp;year=2019" in page
    # A bar leads to the reports it sums.
    bar = _get(path, "/-/charts/reports?province=%E4%B8%8A%E6%B5%B7%E5%B8%82&year=2019")
    assert bar.status_code == 302 and bar.headers["location"].endswith("report_numbers?province=%E4%B8%8A%E6%B5%B7%E5%B8%82&year=2019")
    # Every filter applies to every chart, and each one can be combined (none answers 500).
    both = _chart_csv(path, "province=%E4%B8%8A%E6%B5%B7%E5%B8%82&agency_kind=gov_office&level=province")
    assert both[(2019, "new_received")]["value"] == "859"
    none = _get(path, "/-/charts?province=%E4%B8%8A%E6%B5%B7%E5%B8%82&agency_kind=department")
    assert none.status_code == 200 and "859" not in none.text and "N-RESULT-TOTAL" not in none.text
    flags = _get(path, "/-/charts/flags.csv").text.splitlines()
    assert flags[0] == "rule,zh,n,reports,url"
    assert "N-RESULT-TOTAL,正文所述办理结果总数与表格不一致,1,1,http://localhost/-/rule/N-RESULT-TOTAL" in flags
    assert _get(path, "/-/charts?agency_kind=").status_code == 200
    assert _get(path, "/-/charts/nope.csv").status_code == 400
    assert _get(path, "/-/charts/requests.csv?bom=1").content.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("query, why", [
    ("/-/charts?level=town", "must be one of central, province, prefecture, county, township"),
    ("/-/charts?agency_kind=%22%3E%3Cscript%3E", "must be one of government"),
    ("/-/charts?province=%E4%B8%8A%00%01", "control"),
    ("/-/charts?agency=" + "x" * 5000, "at most 200"),
    ("/-/coverage?status=bogus", "must be one of published, missing, unknown"),
    ("/-/coverage?kind=department%27--", "must be one of"),
])
def test_a_filter_value_outside_its_vocabulary_is_a_400_that_says_why(archive, query, why):
    path, _ = archive
    answer = _get(path, query)
    assert answer.status_code == 400 and why in answer.text, (query, answer.status_code, answer.text[:300])
    assert answer.headers["content-type"].startswith("text/plain") and len(answer.text) < 400


def test_a_filter_value_within_its_vocabulary_is_served(archive):
    path, _ = archive
    for query in ("/-/charts?level=county&era=f2019", "/-/coverage?status=published&kind=gov_office", "/-/charts?agency=%F0%9F%98%80"):
        assert _get(path, query).status_code == 200, query


def test_plain_datasette_with_the_plugin_installed_shows_the_same_report_page(archive):
    # The templates ship inside the package (archive/site/templates): no --template-dir needed.
    path, ids = archive
    checkpoint(str(path))
    datasette = os.path.join(os.path.dirname(sys.executable), "datasette")
    result = subprocess.run([datasette, str(path), "--get", f"/-/report/{ids['shanghai-office-2019.html']}"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "二、主动公开政府信息情况" in result.stdout and 'data-code="table3.result_total.total"' in result.stdout


def test_the_feed_stays_well_formed_with_control_bytes_and_a_hostile_host_header(tmp_path):
    import xml.etree.ElementTree as ET

    path = tmp_path / "archive.db"
    db = open_db(str(path))
    with open(os.path.join(SAMPLES, "jinghai-2019.txt"), "rb") as f:
        report = process(f.read(), source="jinghai-2019.txt")
    report["title"] = "静海区\x01\x08人民政府\x1f年度报告"
    db.write_report(report)
    response = site_get(path, "/-/feed.atom", headers={"host": 'evil.example"><script>x</script>'})
    feed = ET.fromstring(response.content)  # raises on malformed XML
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert any(e.find("a:title", ns).text == "静海区人民政府年度报告" for e in feed.findall("a:entry", ns))
    assert b"<script>" not in response.content and b"evil.example" not in response.content


def test_only_http_urls_become_links_on_the_report_page(tmp_path):
    path = tmp_path / "archive.db"
    db = open_db(str(path))
    with open(os.path.join(SAMPLES, "jinghai-2019.txt"), "rb") as f:
        report = process(f.read(), source="jinghai-2019.txt")
    report["url"] = "javascript:alert(document.domain)"
    rid = db.write_report(report)
    page = _get(path, f"/-/report/{rid}").text
    assert "javascript:alert(document.domain)" in page  # shown as text
    assert 'href="javascript:' not in page
