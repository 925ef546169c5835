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


def snapshotted(tmp_path):
    """The samples extracted into ``tmp_path/archive.db`` and snapshotted into ``tmp_path/out``:
    the manifest's entry."""
    db = tmp_path / "archive.db"
    assert run("extract", SAMPLES, "--db", str(db), "--quiet").returncode == 0
    assert run("snapshot", "--db", str(db), "--out", str(tmp_path / "out")).returncode == 0
    return json.loads((tmp_path / "out" / "snapshots.json").read_text())[0]


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
        # the wide view is a table in a snapshot, with the live archive's rows
        assert "report_numbers" in copy.table_names()
        live_numbers = sorted(map(tuple, sqlite_utils.Database(db).execute("SELECT * FROM report_numbers").fetchall()))
        assert sorted(map(tuple, copy.execute("SELECT * FROM report_numbers").fetchall())) == live_numbers
        # the numbers file holds no text; the text file beside it holds all of it
        assert not {"texts", "reports_fts"} & set(copy.table_names())
        text = sqlite_utils.Database(out / entry["text"]["file"])
        assert entry["text"]["file"] == entry["file"][:-3] + "-text.db"
        assert hashlib.sha256((out / entry["text"]["file"]).read_bytes()).hexdigest() == entry["text"]["sha256"]
        assert {r["report_id"]: r["text"] for r in text.query("SELECT report_id, text FROM texts")} == {
            r["report_id"]: r["text"] for r in sqlite_utils.Database(db).query("SELECT report_id, text FROM texts")}
    sums = (out / "SHA256SUMS").read_text().splitlines()
    listed = [f for e in manifest for f in [e, e["text"], *e["parquet"]]]
    assert sums == [f"{f['sha256']}  {f['file']}" for f in listed] and len(listed) == 2 * 8
    for line in sums:  # what sha256sum -c does
        digest, name = line.split("  ")
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert not [p for p in os.listdir(out) if p.endswith(".partial")]
    # opened as an archive to write in, a snapshot's numbers are the view again
    from archive.db import open_db

    reopened = open_db(str(out / manifest[0]["file"]))
    assert "report_numbers" in reopened.view_names()
    assert sorted(map(tuple, reopened.execute("SELECT * FROM report_numbers").fetchall())) == live_numbers


def test_a_snapshot_works_without_datasette_sqlite3_sqlite_utils_and_parquet(tmp_path):
    import shutil
    import sqlite3

    import pyarrow.parquet as pq

    entry = snapshotted(tmp_path)
    path = tmp_path / "out" / entry["file"]
    text_path = tmp_path / "out" / entry["text"]["file"]
    conn = sqlite3.connect(path)
    # Chinese search with nothing but SQLite: the trigram index of the text file, three
    # characters or more, joined to the numbers through the report's key.
    conn.execute("ATTACH DATABASE ? AS text", [str(text_path)])
    found = conn.execute("SELECT r.agency, r.year FROM reports r JOIN text.reports_trigram t ON t.rowid = r.report_key "
                         "WHERE reports_trigram MATCH '静海区'").fetchall()
    assert found == [("天津市静海区人民政府办公室", 2019)]
    assert conn.execute("SELECT count(*) FROM reports_trigram WHERE reports_trigram MATCH '市人民政府办公厅'").fetchone()[0] == 1
    conn.execute("DETACH DATABASE text")
    # The snapshot explains itself.
    described = dict(conn.execute("SELECT column_name, description FROM data_dictionary WHERE table_name = 'cells'"))
    assert described["code"].startswith("单元格代码") and described["value"].startswith("数值")
    assert conn.execute("SELECT count(*) FROM data_dictionary WHERE table_name = 'report_numbers' AND column_name = 'new_received'").fetchone()[0] == 1
    # sqlite-utils finds the index by itself.
    sqlite_utils_cli = os.path.join(os.path.dirname(sys.executable), "sqlite-utils")
    result = subprocess.run([sqlite_utils_cli, "search", str(text_path), "texts", "静海区", "-c", "agency"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"agency": "天津市静海区人民政府办公室"}]
    if shutil.which("sqlite3"):
        result = subprocess.run(["sqlite3", str(text_path), "SELECT count(*) FROM reports_trigram WHERE reports_trigram MATCH '静海区'"],
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


def test_a_served_snapshot_searches_its_text_file_attached_beside_it(tmp_path):
    """The site serves a snapshot's numbers immutable; search (the plugin's and Datasette's
    own box on reports) reads the text file beside it, and finds the same reports as the live
    archive does."""
    import asyncio

    from datasette.app import Datasette

    from archive.publish import metadata_for

    entry = snapshotted(tmp_path)
    path = str(tmp_path / "out" / entry["file"])
    name = entry["file"][:-3]
    datasette = Datasette(immutables=[path], metadata=metadata_for(path))

    async def get(url):
        response = await datasette.client.get(url)
        assert response.status_code == 200, (url, response.text[:500])
        return response.json()

    async def ask():
        plugin = await get("/-/search.json?q=%E9%9D%99%E6%B5%B7%E5%8C%BA")  # 静海区
        own = await get(f"/{name}/reports.json?_search=%E9%9D%99%E6%B5%B7&_shape=objects")  # 静海, two characters
        return plugin, own

    plugin, own = asyncio.run(ask())
    assert [r["agency"] for r in plugin["results"]] == ["天津市静海区人民政府办公室"]
    assert [r["agency"] for r in own["rows"]] == ["天津市静海区人民政府办公室"]


def test_nianbao_serve_opens_a_snapshot_immutable_with_its_counts_from_an_inspect_file(tmp_path):
    entry = snapshotted(tmp_path)
    path = tmp_path / "out" / entry["file"]
    result = run("serve", "--db", str(path), "--get", "/-/search.json?q=%E9%9D%99%E6%B5%B7%E5%8C%BA")
    assert result.returncode == 0, result.stderr
    assert [r["agency"] for r in json.loads(result.stdout)["results"]] == ["天津市静海区人民政府办公室"]
    inspected = json.loads((tmp_path / "out" / (entry["file"] + ".inspect.json")).read_text())
    tables = next(iter(inspected.values()))["tables"]
    assert tables["reports"]["count"] == 2
    assert tables["cell_values"]["count"] == sqlite_utils.Database(path)["cell_values"].count
