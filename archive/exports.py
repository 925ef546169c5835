"""Bulk data that works outside Datasette: the main tables as Parquet, CSV or JSON, a data
dictionary written into a snapshot and its text with search indexes in a file of their own,
so the files alone answer questions with plain sqlite3, sqlite-utils or pandas.
"""

import csv
import json
import os
import sqlite3

# The tables (and the wide view) a user downloads; in the order they are documented.
EXPORT_TABLES = ("reports", "report_numbers", "cells", "flags", "agencies", "agency_years", "report_versions", "rules",
                 "cell_codes")
PARQUET_TABLES = ("reports", "report_numbers", "cells", "flags", "agencies", "agency_years")
BATCH = 50_000  # rows per Parquet row group and per read
DICTIONARY = "data_dictionary"
TRIGRAM = "reports_trigram"
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with this mark
_ARROW_TYPES = {"INTEGER": "int64", "NUMERIC": "float64", "REAL": "float64", "FLOAT": "float64", "TEXT": "string"}


class UnknownTable(ValueError):
    """A table name that is not in the archive."""


def check_table(conn, table):
    """The table or view name, proven to exist (names are never interpolated unproven)."""
    found = conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", [table]).fetchone()
    if not found:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE '%_fts%' "
            "AND name NOT LIKE 'sqlite_%' AND name != ? ORDER BY name", [TRIGRAM])]
        raise UnknownTable(f"no table {table!r}; tables: {', '.join(names)}")
    return found[0]


def column_types(conn, table):
    """``[(column, arrow type)]`` from the declared types; an undeclared column (a view's
    expression) is typed by the first value it holds."""
    out = []
    for _, name, declared, *_ in conn.execute(f'PRAGMA table_info("{table}")'):
        arrow = _ARROW_TYPES.get((declared or "").upper())
        if arrow is None:
            kind = conn.execute(f'SELECT typeof("{name}") FROM "{table}" WHERE "{name}" IS NOT NULL LIMIT 1').fetchone()
            arrow = {"integer": "int64", "real": "float64"}.get(kind[0] if kind else "", "string")
        out.append((name, arrow))
    return out


def _arrow_value(value, arrow):
    if value is None:
        return None
    if arrow == "string":
        return value if isinstance(value, str) else str(value)
    if arrow == "int64":
        return int(value) if isinstance(value, int) or (isinstance(value, float) and value.is_integer()) else None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def write_parquet(conn, table, path):
    """One table as a Parquet file, read and written in batches (bounded memory). Returns rows written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = check_table(conn, table)
    columns = column_types(conn, table)
    schema = pa.schema([(name, getattr(pa, arrow)()) for name, arrow in columns])
    cursor = conn.execute(f'SELECT {", ".join(chr(34) + n + chr(34) for n, _ in columns)} FROM "{table}"')
    written = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        while True:
            rows = cursor.fetchmany(BATCH)
            if not rows:
                break
            arrays = [pa.array([_arrow_value(r[i], arrow) for r in rows], type=getattr(pa, arrow)())
                      for i, (_, arrow) in enumerate(columns)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            written += len(rows)
    return written


def rows_of(conn, sql, params=()):
    """``(columns, row iterator)`` of a query."""
    cursor = conn.execute(sql, params)
    return [d[0] for d in cursor.description or ()], cursor


def write_rows(columns, rows, out, fmt, bom=False):
    """Rows to a text stream as ``csv`` (optionally with a UTF-8 byte-order mark for Excel),
    ``json`` (one array of objects) or ``jsonl`` (one object per line)."""
    if fmt == "csv":
        if bom:
            out.write(BOM)
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows(("" if v is None else v for v in row) for row in rows)
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(dict(zip(columns, row)), ensure_ascii=False) + "\n")
    else:
        out.write("[")
        for n, row in enumerate(rows):
            out.write(("," if n else "") + "\n" + json.dumps(dict(zip(columns, row)), ensure_ascii=False))
        out.write("\n]\n")


def write_dictionary(conn, metadata):
    """A ``data_dictionary`` table: every table and column of the archive with its description
    from the published metadata, so a snapshot explains itself without the site."""
    tables = metadata.get("databases", {}).get("archive", {}).get("tables", {})
    conn.execute(f"DROP TABLE IF EXISTS {DICTIONARY}")
    conn.execute(f"CREATE TABLE {DICTIONARY} (table_name TEXT, column_name TEXT, type TEXT, description TEXT, "
                 "PRIMARY KEY (table_name, column_name))")
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                        "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts_%' ORDER BY name")]
    for table in names:
        described = tables.get(table, {})
        conn.execute(f"INSERT INTO {DICTIONARY} VALUES (?, '', ?, ?)", [table, "table", described.get("description", "")])
        for _, column, declared, *_ in conn.execute(f'PRAGMA table_info("{table}")').fetchall():
            conn.execute(f"INSERT OR REPLACE INTO {DICTIONARY} VALUES (?, ?, ?, ?)",
                         [table, column, declared or "", (described.get("columns") or {}).get(column, "")])


TEXT_SUFFIX = "-text.db"
TEXT_TABLES = ("texts", "reports_fts")  # what a snapshot moves out of the numbers file


def text_path(db_path):
    """The text database that goes with a numbers database: ``x.db`` -> ``x-text.db``."""
    root, _ = os.path.splitext(str(db_path))
    return root + TEXT_SUFFIX


def write_text_database(conn, path):
    """Move the reports' text and search indexes out of ``conn`` into a database of their own
    at ``path``, so the numbers stay small (a national archive's text is most of its bytes).

    The text file holds ``texts`` (report_key, report_id, title, agency, text), the bigram
    index ``reports_fts`` the site searches with (rowid = report_key) and ``reports_trigram``,
    an FTS5 trigram index with ``texts`` as its content, so ``MATCH '蓝山县'`` works in plain
    sqlite3 and ``sqlite-utils search x-text.db texts 蓝山县`` finds it (terms of three
    characters or more; shorter ones through the bigram index or ``LIKE``). The site attaches
    it beside the numbers (archive.site.hooks)."""
    conn.execute("ATTACH DATABASE ? AS text", [str(path)])
    try:
        conn.execute("CREATE TABLE text.texts (report_key INTEGER PRIMARY KEY, report_id TEXT NOT NULL UNIQUE, "
                     "title TEXT, agency TEXT, text TEXT)")
        conn.execute("INSERT INTO text.texts SELECT r.report_key, r.report_id, r.title, r.agency, t.text "
                     "FROM main.reports r LEFT JOIN main.texts t ON t.report_id = r.report_id ORDER BY r.report_key")
        conn.execute("CREATE VIRTUAL TABLE text.reports_fts USING fts5(title, agency, text)")
        conn.execute("INSERT INTO text.reports_fts (rowid, title, agency, text) "
                     "SELECT rowid, title, agency, text FROM main.reports_fts")
        conn.execute(f'CREATE VIRTUAL TABLE text.{TRIGRAM} USING fts5(title, agency, text, content="texts", '
                     'content_rowid="report_key", tokenize="trigram")')  # quoted as sqlite-utils looks for it
        conn.execute(f"INSERT INTO text.{TRIGRAM} ({TRIGRAM}) VALUES ('rebuild')")
        conn.commit()
    finally:
        conn.execute("DETACH DATABASE text")
    for table in TEXT_TABLES:
        conn.execute(f"DROP TABLE main.{table}")
    conn.commit()


def materialize_numbers(conn):
    """In a snapshot, ``report_numbers`` as a table (with indexes for its usual filters)
    instead of the view: nothing changes a snapshot, and a national one sums a million
    reports' key numbers for every chart and canned query. Opening it as a live archive
    (archive.db.Archive) turns it back into the view."""
    conn.execute("CREATE TABLE report_numbers_copy AS SELECT * FROM report_numbers")
    conn.execute("DROP VIEW report_numbers")
    conn.execute("ALTER TABLE report_numbers_copy RENAME TO report_numbers")
    for name, columns in (("report_id", "report_id"), ("province_year", "province, year"), ("year", "year"),
                          ("agency_year", "agency_id, year")):
        conn.execute(f"CREATE INDEX report_numbers_{name} ON report_numbers({columns})")
    conn.commit()


def attach_text(conn, db_path, mode="ro"):
    """Attach the text database beside ``db_path`` (when there is one and the numbers lack
    their text) as schema ``text``, so ``reports_fts`` and ``texts`` resolve as in a live
    archive; returns whether it did."""
    import pathlib

    path = text_path(db_path)
    if not os.path.exists(path) or conn.execute("SELECT 1 FROM main.sqlite_master WHERE name = 'reports_fts'").fetchone():
        return False
    conn.execute("ATTACH DATABASE ? AS text", [pathlib.Path(path).resolve().as_uri() + f"?{mode}"])
    return True


def open_read_only(path):
    """A connection that cannot change the file (a query from the command line never writes)."""
    import pathlib

    conn = sqlite3.connect(pathlib.Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    conn.execute("PRAGMA schema_version")  # raises here, once, when the file is not a database
    return conn
