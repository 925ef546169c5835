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
    assert sums == [f"{e['sha256']}  {e['file']}" for e in manifest]
    assert not [p for p in os.listdir(out) if p.endswith(".partial")]
