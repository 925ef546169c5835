"""The nianbao command as cron and shell pipes use it, run as a real process: one-line errors
with exit status 2 and nothing created for bad input, machine-readable output (--json, --csv),
an example in every --help, and a crawl that shows its own progress per site without Scrapy's
boilerplate."""

import csv
import io
import json
import os
import re
import subprocess
import sys

import pytest

from farm import start_farm, stop_farm

from conftest import ROOT, SAMPLES

NIANBAO = os.path.join(os.path.dirname(sys.executable), "nianbao")
COMMANDS = ["extract", "crawl", "coverage", "serve", "snapshot", "summary", "search", "query", "export", "merge", "run",
            "schedule"]


def run(*args, cwd=None):
    return subprocess.run([NIANBAO, *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=180)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("pipes") / "archive.db"
    assert run("extract", SAMPLES, "--db", str(path), "--quiet").returncode == 0
    return path


def _one_line_error(result):
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, (result.returncode, result.stderr[-1000:])
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.stderr, result.stderr[-1000:]
    return lines[0]


@pytest.mark.parametrize("url, why", [("notaurl", "not an http:// or https:// URL"), ("ftp://example.org/", "not an http"),
                                      ("http:///nohost", "no host name")])
def test_a_bad_start_url_is_one_line_and_creates_nothing(tmp_path, url, why):
    line = _one_line_error(run("crawl", "--start-url", url, "--db", "archive.db", cwd=tmp_path))
    assert why in line and url in line
    assert os.listdir(tmp_path) == []


def test_an_unknown_source_is_one_line_naming_the_known_ones_and_creates_nothing(tmp_path):
    line = _one_line_error(run("crawl", "--source", "atlantis", "--db", "archive.db", cwd=tmp_path))
    assert "'atlantis'" in line and "lanshan-county" in line
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("args", [["summary"], ["summary", "--json"], ["coverage"], ["serve", "--get", "/"],
                                  ["snapshot", "--out", "snapshots"], ["search", "公开"], ["query", "SELECT 1"],
                                  ["export", "reports"]])
def test_a_file_that_is_not_a_database_is_one_line_and_left_untouched(tmp_path, args):
    (tmp_path / "notes.db").write_text("not a database")
    line = _one_line_error(run(*args, "--db", "notes.db", cwd=tmp_path))
    assert "notes.db is not a SQLite database" in line
    assert sorted(os.listdir(tmp_path)) == ["notes.db"] and (tmp_path / "notes.db").read_text() == "not a database"


def test_a_missing_archive_is_one_line_too(tmp_path):
    for command in (["summary"], ["search", "公开"], ["query", "SELECT 1"]):
        line = _one_line_error(run(*command, "--db", "nothere.db", cwd=tmp_path))
        assert "nothere.db" in line
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_s_help_has_an_example(command):
    result = run(command, "--help")
    assert result.returncode == 0 and "Example" in result.stdout, result.stdout
    assert f"nianbao {command}" in result.stdout.split("Example", 1)[1]


def test_summary_json_carries_the_figures(archive):
    result = run("summary", "--db", str(archive), "--json")
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert facts["reports"] == 2 and facts["current"] == 2
    assert facts["years"] == [{"year": 2019, "era": "f2019", "reports": 2, "with_errors": 0, "with_warnings": 1}]
    jinghai = next(r for r in facts["listed"] if r["agency"] == "天津市静海区人民政府办公室")
    assert [f["rule"] for f in jinghai["flags"]] == ["N-RESULT-TOTAL"]


def test_search_query_and_export_answer_as_json_and_csv(archive, tmp_path):
    found = json.loads(run("search", "静海区", "--db", str(archive), "--json").stdout)
    assert [r["agency"] for r in found] == ["天津市静海区人民政府办公室"] and found[0]["matched"] == "agency"
    rows = list(csv.DictReader(io.StringIO(run("search", "复议", "--db", str(archive), "--csv").stdout)))
    assert len(rows) == 2 and all("复议" in r["snippet"] for r in rows)
    answer = run("query", "SELECT agency, new_received FROM report_numbers WHERE year = :year ORDER BY new_received DESC",
                 "-p", "year=2019", "--db", str(archive), "--json")
    assert json.loads(answer.stdout) == [{"agency": "上海市人民政府办公厅", "new_received": 859},
                                         {"agency": "天津市静海区人民政府办公室", "new_received": 5}]
    marked = subprocess.run([NIANBAO, "query", "SELECT agency FROM reports ORDER BY agency", "--db", str(archive), "--csv",
                             "--bom"], capture_output=True, timeout=60).stdout
    assert marked.startswith(b"\xef\xbb\xbfagency\r\n") and "上海市人民政府办公厅".encode() in marked
    refused = run("query", "DELETE FROM reports", "--db", str(archive))
    assert "readonly" in _one_line_error(refused)
    assert json.loads(run("summary", "--db", str(archive), "--json").stdout)["reports"] == 2
    out = tmp_path / "numbers.parquet"
    assert run("export", "report_numbers", "--db", str(archive), "--format", "parquet", "--out", str(out)).returncode == 0
    import pyarrow.parquet as pq

    assert sorted(pq.read_table(out).column("new_received").to_pylist()) == [5, 859]
    lines = run("export", "flags", "--db", str(archive), "--format", "jsonl").stdout.splitlines()
    assert [json.loads(x)["rule"] for x in lines] == ["N-RESULT-TOTAL"]
    assert "no table 'nope'" in _one_line_error(run("export", "nope", "--db", str(archive)))


def test_a_crawl_shows_per_site_progress_and_hides_scrapy_s_boilerplate(tmp_path):
    sites = start_farm(["a6", "a3"])
    try:
        result = run("crawl", "--start-url", sites["a6"].base + "/", "--start-url", sites["a3"].base + "/",
                     "--db", str(tmp_path / "archive.db"), "--delay", "0", "-s", "NIANBAO_PROGRESS_SECONDS=0.5")
    finally:
        stop_farm(sites)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "[scrapy" not in result.stderr and "INFO" not in result.stderr  # Scrapy's log stays at WARNING
    finals = [line for line in result.stderr.splitlines() if line.startswith("site ")]
    hosts = {sites[name].base.split("//")[1]: name for name in ("a6", "a3")}
    assert sorted(line.split()[1].rstrip(":") for line in finals) == sorted(hosts)
    import sqlite_utils

    db = sqlite_utils.Database(tmp_path / "archive.db")
    for line in finals:  # the last line of each site agrees with what the archive holds
        host = line.split()[1].rstrip(":")
        reports = db.execute("SELECT count(*) FROM reports WHERE url LIKE ?", [f"http://{host}/%"]).fetchone()[0]
        pages = db.execute("SELECT count(*) FROM captures WHERE url LIKE ?", [f"http://{host}/%"]).fetchone()[0]
        assert f"{reports} reports" in line and f"{pages} pages" in line, (line, reports, pages)
    # The end line says when the last download came, which is before the crawl ended (the
    # extraction and checks after it are the rest).
    crawl_s, downloads_s = map(float, re.search(r"crawl finished \(finished\) in ([\d.]+)s \(downloads done at ([\d.]+)s\)",
                                                result.stderr).groups())
    assert 0 < downloads_s <= crawl_s
