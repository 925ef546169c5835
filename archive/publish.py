"""Publishing an archive with Datasette: the project's metadata and plugin, read-only, time-limited."""

import json
import os
import subprocess
import sys
import tempfile

import yaml

from .schema import report_numbers_columns

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
METADATA = os.path.join(ROOT, "metadata.yml")
# Facet suggestions run a query per column on every table page: too slow on millions of rows.
# 1,000 rows a page (Datasette's own default): a page of 2,000 rows is 1.6 MB of HTML and takes
# 180 ms to draw whatever the archive's size; every row is in the snapshots and `nianbao export`.
SETTINGS = {"sql_time_limit_ms": 3000, "facet_time_limit_ms": 500, "max_returned_rows": 1000, "allow_download": "on",
            "suggest_facets": "off"}


def metadata_for(db_path):
    """metadata.yml with its database section named after this database file."""
    with open(METADATA, encoding="utf-8") as f:
        metadata = yaml.safe_load(f)
    name = os.path.splitext(os.path.basename(db_path))[0]
    databases = metadata.get("databases", {})
    view = databases.get("archive", {}).get("tables", {}).get("report_numbers")
    if view is not None:
        view.setdefault("columns", {}).update(report_numbers_columns())
    if "archive" in databases and name != "archive":
        databases[name] = databases.pop("archive")
    return metadata


def checkpoint(db_path):
    """Fold the write-ahead log into the database file, so an immutable reader sees it all."""
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def in_wal_mode(db_path):
    """Whether a SQLite file is in WAL mode: its header's read and write versions are 2."""
    with open(db_path, "rb") as f:
        header = f.read(20)
    return len(header) == 20 and header[18] == 2 and header[19] == 2


def inspect_file(db_path):
    """``datasette inspect`` of a snapshot (its hash and every table's row count), written once
    beside it as ``<file>.inspect.json`` (or in the temporary folder when that is read-only)
    and reused while the file is unchanged: an immutable database served with it never counts
    a national table on a page view."""
    target = db_path + ".inspect.json"
    if not os.access(os.path.dirname(os.path.abspath(db_path)), os.W_OK):
        target = os.path.join(tempfile.gettempdir(), f"nianbao-{os.path.basename(db_path)}.inspect.json")
    if not os.path.exists(target) or os.path.getmtime(target) < os.path.getmtime(db_path):
        subprocess.run([sys.executable, "-m", "datasette", "inspect", db_path, "--inspect-file", target + ".new"],
                       check=True, capture_output=True)
        os.replace(target + ".new", target)
    return target


def serve_args(db_path, port=8001, host="127.0.0.1", get=None):
    """The ``datasette serve`` command line for an archive. A published snapshot (not in WAL
    mode: nothing writes it) is opened immutable, with its counts known; an archive in WAL mode,
    which a crawl may be writing while the site serves it, is opened as Datasette opens any
    database, read through WAL-safe read-only connections: immutable, a page read mid-commit
    would meet a "malformed" file."""
    checkpoint(db_path)
    handle, path = tempfile.mkstemp(prefix="nianbao-metadata-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as f:
        json.dump(metadata_for(db_path), f, ensure_ascii=False)
    published = not in_wal_mode(db_path)
    args = ["serve", *(["-i", db_path, "--inspect-file", inspect_file(db_path)] if published else [db_path]),
            "-m", path, "--host", host, "--port", str(port)]
    for name, value in SETTINGS.items():
        args += ["--setting", name, str(value)]
    if get:
        args += ["--get", get]
    return args
