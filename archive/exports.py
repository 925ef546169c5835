"""Bulk data that works outside Datasette: the main tables as Parquet, CSV or JSON, a data
dictionary and a trigram search index written into a snapshot, so the file alone answers
questions with plain sqlite3, sqlite-utils or pandas.
"""

import csv
import json
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


def write_trigram_index(conn):
    """``reports_trigram``: an FTS5 trigram index of each report's title, agency and text, with
    ``reports`` as its content table, so ``MATCH '蓝山县'`` works in plain sqlite3 and
    ``sqlite-utils search`` finds it. Terms of three characters or more; shorter ones are
    found with the bigram index (``reports_fts``) or ``LIKE``."""
    conn.execute(f"DROP TABLE IF EXISTS {TRIGRAM}")
    conn.execute(f'CREATE VIRTUAL TABLE {TRIGRAM} USING fts5(title, agency, text, content="reports", tokenize="trigram")')
    conn.execute(f"INSERT INTO {TRIGRAM} (rowid, title, agency, text) SELECT r.rowid, r.title, r.agency, t.text "
                 "FROM reports r LEFT JOIN texts t ON t.report_id = r.report_id")


def open_read_only(path):
    """A connection that cannot change the file (a query from the command line never writes)."""
    import pathlib

    conn = sqlite3.connect(pathlib.Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    conn.execute("PRAGMA schema_version")  # raises here, once, when the file is not a database
    return conn
