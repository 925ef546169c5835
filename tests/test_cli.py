"""The nianbao command as a user runs it: JSON out, SQLite in, bad files reported, not fatal.

Run through click's CliRunner (no separate process is needed for these commands)."""

import json
import os
import shutil
from types import SimpleNamespace

import pytest
import sqlite_utils
from click.testing import CliRunner

from archive.cli import cli

from conftest import SAMPLES

JINGHAI = os.path.join(SAMPLES, "jinghai-2019.txt")
SHANGHAI = os.path.join(SAMPLES, "shanghai-office-2019.html")


def nianbao(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


def test_json_lines_carry_the_documented_fields():
    result = nianbao("extract", JINGHAI, SHANGHAI)
    assert result.returncode == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["source"] for d in docs] == [JINGHAI, SHANGHAI]
    for doc in docs:
        for key in ("source", "title", "agency", "year", "era", "published", "cells", "facts", "flags"):
            assert key in doc
        for cell in doc["cells"]:
            assert {"code", "value", "raw", "semantic", "unit", "table", "row", "col"} <= set(cell)
        for flag in doc["flags"]:
            assert {"rule", "severity", "message", "cells"} <= set(flag)
    shanghai = {c["code"]: c for c in docs[1]["cells"]}
    assert shanghai["table2.central_procurement.amount"]["raw"] == "251000元"


def test_bad_files_are_reported_and_the_rest_still_processed(tmp_path):
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02" * 500)
    (tmp_path / "news.txt").write_text("今天天气很好。\n我们去公园散步。\n", encoding="utf-8")
    shutil.copy(JINGHAI, tmp_path / "jinghai.txt")
    db = tmp_path / "a.db"
    result = nianbao("extract", str(tmp_path), str(tmp_path / "missing.html"), "--db", str(db))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 5, result.stderr
    by_file = {os.path.basename(line.split(": ")[1]): line for line in errors}
    assert "empty" in by_file["empty.html"]
    assert "PDF" in by_file["scan.pdf"]
    assert "binary" in by_file["binary.bin"]
    assert "no annual-report" in by_file["news.txt"]
    assert "No such file" in by_file["missing.html"]
    assert sqlite_utils.Database(db)["reports"].count == 1


def _dump(path):
    db = sqlite_utils.Database(path)
    return {t: list(db.query(f"SELECT * FROM [{t}] ORDER BY 1, 2")) for t in ("reports", "cells", "facts", "flags", "rules")}


def test_extracting_again_changes_nothing(tmp_path):
    db = tmp_path / "a.db"
    assert nianbao("extract", SAMPLES, "--db", str(db)).returncode == 0
    first = _dump(db)
    assert nianbao("extract", SAMPLES, "--db", str(db)).returncode == 0
    assert _dump(db) == first
    assert len(first["reports"]) == 2
    assert len(first["cells"]) == 2 * 198


def test_database_holds_cells_with_provenance_and_flags(tmp_path):
    db_path = tmp_path / "a.db"
    nianbao("extract", JINGHAI, SHANGHAI, "--db", str(db_path))
    db = sqlite_utils.Database(db_path)
    assert {"reports", "cell_values", "cell_notes", "labels", "facts", "flags", "rules", "cell_codes"} <= set(db.table_names())
    assert {"cells", "report_numbers"} <= set(db.view_names())
    row = next(db.query(
        "SELECT c.value, c.raw, c.src_table, c.src_row, c.src_col, r.sha256, r.source FROM cells c "
        "JOIN reports r USING (report_id) WHERE r.agency = '上海市人民政府办公厅' AND c.code = 'table3.new_received.natural_person'"))
    assert (row["value"], row["raw"], row["src_table"], row["src_row"], row["src_col"]) == (821, "821", 2, 4, 2)
    assert len(row["sha256"]) == 64 and row["source"].endswith("shanghai-office-2019.html")
    flag = next(db.query("SELECT f.rule, f.severity, f.lhs, f.rhs, f.delta, r.agency FROM flags f JOIN reports r USING (report_id)"))
    assert flag == {"rule": "N-RESULT-TOTAL", "severity": "WARN", "lhs": 5, "rhs": 4, "delta": 1, "agency": "天津市静海区人民政府办公室"}
    rule = db["rules"].get("R-T3-BALANCE")
    assert rule["severity"] == "ERROR" and "结转" in rule["zh"] and "carried" in rule["en"]
    assert db["cell_codes"].get("table3.new_received.natural_person")["label"].startswith("一、本年新收")


def test_summary_prints_reports_and_flags(tmp_path):
    db = tmp_path / "a.db"
    nianbao("extract", SAMPLES, "--db", str(db))
    result = nianbao("summary", "--db", str(db))
    assert result.returncode == 0
    assert "天津市静海区人民政府办公室" in result.stdout and "WARN" in result.stdout
    assert "2 reports" in result.stdout


def test_extract_db_stores_big_whole_numbers_exactly_and_refuses_what_sqlite_cannot_hold(tmp_path):
    """One report with a number beyond 64 bits gets one error line; the rest of the batch, and
    a 17-digit number (beyond a float's exact range), are archived exactly."""
    with open(SHANGHAI, encoding="utf-8") as f:
        page = f.read()
    assert page.count(">258<") == 1  # table 三, 予以公开 of natural persons
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-huge.html").write_text(page.replace(">258<", ">123456789012345678901<"), encoding="utf-8")
    (folder / "b-big.html").write_text(page.replace(">258<", ">12345678901234567<"), encoding="utf-8")
    shutil.copy(JINGHAI, folder / "c-jinghai.txt")
    db_path = tmp_path / "archive.db"
    result = nianbao("extract", str(folder), "--db", str(db_path))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "a-huge.html" in errors[0] and "beyond the integers SQLite stores exactly" in errors[0]
    assert "Traceback" not in result.stderr
    db = sqlite_utils.Database(db_path)
    assert sorted(os.path.basename(r["source"]) for r in db.query("SELECT source FROM reports")) == ["b-big.html", "c-jinghai.txt"]
    stored = db.execute("SELECT value, typeof(value) FROM cells WHERE code = 'table3.granted.natural_person' AND report_id IN "
                        "(SELECT report_id FROM reports WHERE source LIKE '%b-big.html')").fetchone()
    assert stored == (12345678901234567, "integer")


def test_extract_refuses_fifos_devices_and_oversized_pages_by_name_and_reads_the_rest(tmp_path):
    import time

    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "a-fifo")
    os.symlink("/dev/zero", folder / "b-zero")
    (folder / "c-huge.txt").write_text("本年度共收到政府信息公开申请5件。\n" * 400_000, encoding="utf-8")  # ~18 MB of text
    shutil.copy(JINGHAI, folder / "d-jinghai.txt")
    start = time.monotonic()
    result = nianbao("extract", str(folder), "--db", str(tmp_path / "archive.db"))
    # A liveness bound, not a speed measure: without the guards the FIFO blocks for ever and
    # /dev/zero is read until memory runs out.
    assert time.monotonic() - start < 300
    errors = sorted(line for line in result.stderr.splitlines() if line.startswith("error:"))
    assert result.returncode == 1 and len(errors) == 3, result.stderr
    assert "a-fifo" in errors[0] and "not a regular file" in errors[0]
    assert "b-zero" in errors[1] and "not a regular file" in errors[1]
    assert "c-huge.txt" in errors[2] and "MB" in errors[2]
    assert [r["source"] for r in sqlite_utils.Database(tmp_path / "archive.db").query("SELECT source FROM reports")] == [
        str(folder / "d-jinghai.txt")]


@pytest.mark.parametrize("kind", ["foreign-sqlite", "not-sqlite"])
def test_a_db_that_is_not_an_archive_is_refused_in_one_line_and_left_untouched(tmp_path, kind):
    import hashlib
    import sqlite3
    import subprocess
    import sys

    target = tmp_path / "other.db"
    if kind == "foreign-sqlite":
        with sqlite3.connect(target) as conn:
            conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
            conn.execute("INSERT INTO customers (name) VALUES ('张三')")
        conn.close()
    else:
        target.write_text("name,amount\n张三,5\n", encoding="utf-8")
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    script = os.path.join(os.path.dirname(sys.executable), "nianbao")
    for args in (["extract", JINGHAI, "--db", str(target)], ["summary", "--db", str(target)],
                 ["crawl", "--start-url", "http://127.0.0.1:9/", "--db", str(target)]):
        result = subprocess.run([script, *args], capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, (args, result.stderr[-500:])
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:") and "left untouched" in lines[0], result.stderr
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert sorted(os.listdir(tmp_path)) == ["other.db"]  # no -wal, no -shm, no WARC folder
