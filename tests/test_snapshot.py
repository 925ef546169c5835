"""Snapshots: dated consistent copies with a checksum manifest."""

import hashlib
import json
import os
import subprocess
import sys

import sqlite_utils

from conftest import ROOT, SAMPLES


def run(*args):
    nianbao = os.path.join(os.path.dirname(sys.executable), "nianbao")
    return subprocess.run([nianbao, *args], capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_snapshot_is_a_complete_copy_listed_with_its_checksum(tmp_path):
    db = tmp_path / "archive.db"
    assert run("extract", SAMPLES, "--db", str(db), "--quiet").returncode == 0
    out = tmp_path / "snapshots"
    for _ in range(2):
        result = run("snapshot", "--db", str(db), "--out", str(out))
        assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "snapshots.json").read_text())
    assert len(manifest) == 2 and manifest[0]["file"] != manifest[1]["file"]
    for entry in manifest:
        path = out / entry["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        assert path.stat().st_size == entry["size"]
        copy = sqlite_utils.Database(path)
        assert copy["reports"].count == entry["reports"] == 2
        assert copy["cells"].count == sqlite_utils.Database(db)["cells"].count
    sums = (out / "SHA256SUMS").read_text().splitlines()
    listed = [f for e in manifest for f in [e, *e["parquet"]]]
    assert sums == [f"{f['sha256']}  {f['file']}" for f in listed] and len(listed) == 2 * 7
    for line in sums:  # what sha256sum -c does
        digest, name = line.split("  ")
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert not [p for p in os.listdir(out) if p.endswith(".partial")]


def test_a_snapshot_works_without_datasette_sqlite3_sqlite_utils_and_parquet(tmp_path):
    import shutil
    import sqlite3

    import pyarrow.parquet as pq

    db = tmp_path / "archive.db"
    assert run("extract", SAMPLES, "--db", str(db), "--quiet").returncode == 0
    assert run("snapshot", "--db", str(db), "--out", str(tmp_path / "out")).returncode == 0
    entry = json.loads((tmp_path / "out" / "snapshots.json").read_text())[0]
    path = tmp_path / "out" / entry["file"]
    conn = sqlite3.connect(path)
    # Chinese search with nothing but SQLite: the trigram index, three characters or more.
    found = conn.execute("SELECT r.agency FROM reports r JOIN reports_trigram t ON t.rowid = r.rowid "
                         "WHERE reports_trigram MATCH '静海区'").fetchall()
    assert found == [("天津市静海区人民政府办公室",)]
    assert conn.execute("SELECT count(*) FROM reports_trigram WHERE reports_trigram MATCH '市人民政府办公厅'").fetchone()[0] == 1
    # The snapshot explains itself.
    described = dict(conn.execute("SELECT column_name, description FROM data_dictionary WHERE table_name = 'cells'"))
    assert described["code"].startswith("单元格代码") and described["value"].startswith("数值")
    assert conn.execute("SELECT count(*) FROM data_dictionary WHERE table_name = 'report_numbers' AND column_name = 'new_received'").fetchone()[0] == 1
    # sqlite-utils finds the index by itself.
    sqlite_utils_cli = os.path.join(os.path.dirname(sys.executable), "sqlite-utils")
    result = subprocess.run([sqlite_utils_cli, "search", str(path), "reports", "静海区", "-c", "agency"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"agency": "天津市静海区人民政府办公室"}]
    if shutil.which("sqlite3"):
        result = subprocess.run(["sqlite3", str(path), "SELECT count(*) FROM reports_trigram WHERE reports_trigram MATCH '静海区'"],
                                capture_output=True, text=True, timeout=60)
        assert result.stdout.strip() == "1"
    # Parquet: the same rows, the same numbers (859 new requests in the Shanghai 2019 report, read from its table).
    files = {p["table"]: p for p in entry["parquet"]}
    assert set(files) == {"reports", "report_numbers", "cells", "flags", "agencies", "agency_years"}
    for table, listed in files.items():
        parquet = pq.read_table(tmp_path / "out" / listed["file"])
        assert parquet.num_rows == listed["rows"] == conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
    numbers = pq.read_table(tmp_path / "out" / files["report_numbers"]["file"]).to_pylist()
    shanghai = next(r for r in numbers if r["agency"] == "上海市人民政府办公厅")
    assert (shanghai["new_received"], shanghai["results_total"], shanghai["carried_forward"]) == (859, 805, 72)
    cells = pq.read_table(tmp_path / "out" / files["cells"]["file"]).to_pylist()
    assert {c["code"]: c["value"] for c in cells if c["report_id"] == shanghai["report_id"]}["table3.new_received.natural_person"] == 821
