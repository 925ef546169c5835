"""Dated, consistent copies of an archive for download, with a checksum manifest: the numbers
as one SQLite file (with its data dictionary), the reports' text with its search indexes as a
second (``-text.db``), and Parquet files of the main tables beside them."""

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
    text_target = exports.text_path(target)
    text_partial = text_target + ".partial"
    if os.path.exists(text_partial):
        os.remove(text_partial)
    with sqlite3.connect(partial) as conn:
        reports = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        exports.write_text_database(conn, text_partial)
        exports.materialize_numbers(conn)
        exports.write_dictionary(conn, metadata_for("archive.db"))  # the descriptions under their own name, "archive"
        conn.commit()
        conn.execute("VACUUM")  # give back the pages the text filled
        conn.execute("PRAGMA journal_mode=DELETE")
    parquet = []
    with sqlite3.connect(partial) as conn:
        for table in exports.PARQUET_TABLES:
            file = f"{name[:-3]}-{table}.parquet"
            rows = exports.write_parquet(conn, table, os.path.join(out_dir, file + ".partial"))
            os.replace(os.path.join(out_dir, file + ".partial"), os.path.join(out_dir, file))
            parquet.append({"file": file, "table": table, "rows": rows, "size": os.path.getsize(os.path.join(out_dir, file)),
                            "sha256": sha256_of(os.path.join(out_dir, file))})
    os.replace(text_partial, text_target)
    os.replace(partial, target)
    text = {"file": os.path.basename(text_target), "size": os.path.getsize(text_target), "sha256": sha256_of(text_target)}
    entry = {"file": name, "created": stamp.isoformat(timespec="seconds"), "size": os.path.getsize(target),
             "sha256": sha256_of(target), "reports": reports, "text": text, "parquet": parquet}
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
    """Every file the manifest lists: each snapshot's numbers database, its text database and
    its Parquet files."""
    for entry in entries:
        yield entry
        if entry.get("text"):
            yield entry["text"]
        yield from entry.get("parquet", ())
