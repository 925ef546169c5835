"""Dated, consistent copies of an archive for download, with a checksum manifest: the SQLite
file (with its data dictionary and a trigram search index inside) and Parquet files of the main
tables beside it."""

import hashlib
import json
import os
import sqlite3
from datetime import datetime, timezone

from . import exports
from .publish import metadata_for

MANIFEST = "snapshots.json"


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def snapshot(db_path, out_dir):
    """``VACUUM INTO`` a dated file (a consistent copy even while a crawl writes), then record
    its size and sha256 in ``snapshots.json`` and ``SHA256SUMS``. Returns the manifest entry."""
    os.makedirs(out_dir, exist_ok=True)
    stamp = datetime.now(timezone.utc)
    base = f"nianbao-{stamp:%Y-%m-%d}"
    name, n = f"{base}.db", 1
    while os.path.exists(os.path.join(out_dir, name)):
        n += 1
        name = f"{base}-{n}.db"
    target = os.path.join(out_dir, name)
    partial = target + ".partial"  # a copy is only published once it is complete
    with sqlite3.connect(db_path) as conn:
        conn.execute("VACUUM INTO ?", [partial])
    with sqlite3.connect(partial) as conn:
        reports = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        exports.write_dictionary(conn, metadata_for("archive.db"))  # the descriptions under their own name, "archive"
        exports.write_trigram_index(conn)
        conn.commit()
        conn.execute("PRAGMA journal_mode=DELETE")
    parquet = []
    with sqlite3.connect(partial) as conn:
        for table in exports.PARQUET_TABLES:
            file = f"{name[:-3]}-{table}.parquet"
            rows = exports.write_parquet(conn, table, os.path.join(out_dir, file + ".partial"))
            os.replace(os.path.join(out_dir, file + ".partial"), os.path.join(out_dir, file))
            parquet.append({"file": file, "table": table, "rows": rows, "size": os.path.getsize(os.path.join(out_dir, file)),
                            "sha256": sha256_of(os.path.join(out_dir, file))})
    os.replace(partial, target)
    entry = {"file": name, "created": stamp.isoformat(timespec="seconds"), "size": os.path.getsize(target),
             "sha256": sha256_of(target), "reports": reports, "parquet": parquet}
    manifest_path = os.path.join(out_dir, MANIFEST)
    entries = []
    if os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as f:
            entries = json.load(f)
    entries.append(entry)
    with open(manifest_path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(entries, f, indent=1)
    os.replace(manifest_path + ".tmp", manifest_path)
    with open(os.path.join(out_dir, "SHA256SUMS"), "w") as f:
        f.writelines(f"{f_['sha256']}  {f_['file']}\n" for f_ in files_of(entries))
    return entry


def files_of(entries):
    """Every file the manifest lists: each snapshot's database and its Parquet files."""
    for entry in entries:
        yield entry
        yield from entry.get("parquet", ())
