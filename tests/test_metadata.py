"""metadata.yml describes the schema the writer creates, and Datasette serves the archive with it."""

import json
import os
import subprocess
import sys

import yaml

from archive.db import open_db

from conftest import ROOT, SAMPLES


def test_every_table_and_column_is_described(tmp_path):
    db = open_db(str(tmp_path / "archive.db"))
    with open(os.path.join(ROOT, "metadata.yml"), encoding="utf-8") as f:
        tables = yaml.safe_load(f)["databases"]["archive"]["tables"]
    for name in db.table_names():
        if name.startswith("reports_fts_"):
            continue  # FTS5's own shadow tables
        assert tables[name]["description"], name
    for name in ("reports", "cells", "flags"):
        described = set(tables[name]["columns"])
        assert set(db[name].columns_dict) <= described, set(db[name].columns_dict) - described


def test_datasette_serves_the_archive_with_the_metadata(tmp_path):
    db = tmp_path / "archive.db"
    subprocess.run([sys.executable, "-m", "archive.cli", "extract", SAMPLES, "--db", str(db), "--quiet"], cwd=ROOT, check=True)
    datasette = os.path.join(os.path.dirname(sys.executable), "datasette")
    result = subprocess.run(
        [datasette, str(db), "-m", os.path.join(ROOT, "metadata.yml"), "--get", "/archive/reports.json?_shape=array"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    agencies = {r["agency"] for r in json.loads(result.stdout)}
    assert agencies == {"上海市人民政府办公厅", "天津市静海区人民政府办公室"}


def test_every_facet_of_the_reports_table_is_counted_from_an_index(tmp_path):
    """A facet without an index reads every report (seconds on a national archive)."""
    from archive.schema import FACETS

    with open(os.path.join(ROOT, "metadata.yml"), encoding="utf-8") as f:
        facets = yaml.safe_load(f)["databases"]["archive"]["tables"]["reports"]["facets"]
    assert tuple(facets) == FACETS
    db = open_db(str(tmp_path / "a.db"))
    for facet in FACETS:
        plan = " ".join(str(r[-1]) for r in db.execute(
            f"EXPLAIN QUERY PLAN SELECT {facet}, count(*) FROM reports WHERE {facet} IS NOT NULL GROUP BY {facet}"))
        assert "COVERING INDEX" in plan, (facet, plan)
        plan = " ".join(str(r[-1]) for r in db.execute(
            f"EXPLAIN QUERY PLAN SELECT {facet}, count(*) FROM reports WHERE province = 'x' AND {facet} IS NOT NULL "
            f"GROUP BY {facet}"))
        assert "COVERING INDEX" in plan, (facet, plan)
