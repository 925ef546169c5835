"""The SQLite archive: its schema and the one writer of reports, cells, facts and flags.

Keys are derived from content (``report_id`` is the first 16 hex digits of the document's
sha256), so extracting the same bytes again rewrites identical rows and changes nothing.
"""

import json

import sqlite_utils

from extractors import spec

from .rules import RULES

SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    report_id TEXT PRIMARY KEY,      -- first 16 hex digits of sha256
    sha256 TEXT NOT NULL,            -- of the document's raw bytes
    source TEXT,                     -- path or URL the document was read from
    source_format TEXT,              -- html | text
    encoding TEXT,                   -- encoding the bytes were decoded with
    title TEXT, agency TEXT,
    agency_kind TEXT,                -- gov | dept | township (from the name; best effort)
    level TEXT,                      -- central | province | prefecture | county | township
    region TEXT, province TEXT,
    year INTEGER,                    -- report year (statistics year, not publication year)
    era TEXT,                        -- pre2019 | f2019 | f2021: the format its tables follow
    year_era TEXT,                   -- the format its year calls for
    published TEXT, signed TEXT,     -- ISO dates, when the document states them
    stat_start TEXT, stat_end TEXT,
    headings TEXT,                   -- JSON list of the SPEC §2 sections found
    n_cells INTEGER, n_values INTEGER, n_missing INTEGER,
    n_errors INTEGER, n_warnings INTEGER, n_info INTEGER,
    checks_passed INTEGER, checks_skipped INTEGER,
    issues TEXT,                     -- JSON list of parse problems
    extractor_version TEXT
);
CREATE TABLE IF NOT EXISTS cells (
    report_id TEXT NOT NULL REFERENCES reports(report_id),
    code TEXT NOT NULL,              -- SPEC cell code, e.g. table3.new_received.natural_person
    table_name TEXT, row_code TEXT, col_code TEXT,
    value NUMERIC,                   -- in the canonical unit; NULL when blank/na/missing
    unit TEXT,
    semantic TEXT,                   -- number | zero | blank | na_mark | text | missing
    raw TEXT,                        -- the cell's text as written
    label TEXT,                      -- the row label as written
    period TEXT,                     -- pre2019 only: annual | cumulative | unknown
    src_table INTEGER, src_row INTEGER, src_col INTEGER, src_line INTEGER, src_page INTEGER,
    PRIMARY KEY (report_id, code)
);
CREATE TABLE IF NOT EXISTS facts (
    report_id TEXT NOT NULL REFERENCES reports(report_id),
    n INTEGER NOT NULL,
    fact TEXT, value NUMERIC, unit TEXT, section TEXT, text TEXT, src_line INTEGER,
    PRIMARY KEY (report_id, n)
);
CREATE TABLE IF NOT EXISTS flags (
    report_id TEXT NOT NULL REFERENCES reports(report_id),
    rule TEXT NOT NULL REFERENCES rules(id),
    scope TEXT NOT NULL,             -- the column, row or group the check covered
    severity TEXT,                   -- ERROR | WARN | INFO
    message TEXT,
    cells TEXT,                      -- JSON list of the cell codes read
    lhs NUMERIC, rhs NUMERIC, delta NUMERIC,
    assumed_zero INTEGER,            -- 1 when blank cells were counted as 0
    PRIMARY KEY (report_id, rule, scope)
);
CREATE TABLE IF NOT EXISTS rules (
    id TEXT PRIMARY KEY, severity TEXT, zh TEXT, en TEXT, reads TEXT, spec TEXT
);
CREATE TABLE IF NOT EXISTS cell_codes (
    code TEXT PRIMARY KEY, label TEXT, unit TEXT, eras TEXT
);
CREATE INDEX IF NOT EXISTS cells_code ON cells(code);
CREATE INDEX IF NOT EXISTS flags_rule ON flags(rule);
CREATE INDEX IF NOT EXISTS reports_year ON reports(year);
CREATE INDEX IF NOT EXISTS reports_agency ON reports(agency);
"""


def open_db(path):
    """Open (creating if needed) an archive database with the schema and reference tables."""
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA journal_mode=WAL")
    db.conn.executescript(SCHEMA)
    with db.conn:
        db["rules"].upsert_all(
            [{"id": r.id, "severity": r.severity, "zh": r.zh, "en": r.en, "reads": r.reads, "spec": r.spec} for r in RULES.values()],
            pk="id",
        )
        codes = {}
        for era in ("f2019", "f2021"):
            for code in spec.expected_codes(era):
                entry = codes.setdefault(code, {"code": code, "label": spec.label_of(code), "unit": spec.unit_of(code, era), "eras": []})
                entry["eras"].append(era)
        db["cell_codes"].upsert_all(
            [dict(c, eras=",".join(c["eras"])) for c in codes.values()], pk="code"
        )
    return db


def report_id(report):
    return report["sha256"][:16]


def write_report(db, report):
    """Replace everything stored for this report in one transaction; return its id."""
    rid = report_id(report)
    flags = report["flags"]
    severities = [f["severity"] for f in flags]
    row = {
        "report_id": rid,
        **{k: report.get(k) for k in (
            "sha256", "source", "source_format", "encoding", "title", "agency", "agency_kind", "level", "region",
            "province", "year", "era", "year_era", "published", "signed", "stat_start", "stat_end", "extractor_version",
        )},
        "headings": json.dumps(report.get("headings", []), ensure_ascii=False),
        "n_cells": len(report["cells"]),
        "n_values": sum(1 for c in report["cells"] if c["value"] is not None),
        "n_missing": sum(1 for c in report["cells"] if c["semantic"] == "missing"),
        "n_errors": severities.count("ERROR"),
        "n_warnings": severities.count("WARN"),
        "n_info": severities.count("INFO"),
        "checks_passed": report["checks"]["pass"],
        "checks_skipped": report["checks"]["skip"],
        "issues": json.dumps(report.get("issues", []), ensure_ascii=False),
    }
    cells = [_cell_row(rid, c) for c in report["cells"]]
    facts = [
        {"report_id": rid, "n": n, "fact": f["fact"], "value": f["value"], "unit": f["unit"], "section": f["section"],
         "text": f["text"], "src_line": f.get("line")}
        for n, f in enumerate(report["facts"], start=1)
    ]
    flag_rows = [
        {"report_id": rid, "rule": f["rule"], "scope": f["scope"], "severity": f["severity"], "message": f["message"],
         "cells": json.dumps(f["cells"]), "lhs": f["lhs"], "rhs": f["rhs"], "delta": f["delta"],
         "assumed_zero": int(bool(f["assumed_zero"]))}
        for f in flags
    ]
    with db.conn:
        for table in ("cells", "facts", "flags"):
            db.conn.execute(f"DELETE FROM {table} WHERE report_id = ?", [rid])
        db["reports"].upsert(row, pk="report_id")
        db["cells"].insert_all(cells)
        db["facts"].insert_all(facts)
        db["flags"].insert_all(flag_rows)
    return rid


def _cell_row(rid, cell):
    parts = cell["code"].split(".")
    statutory = parts[0].startswith("table") and len(parts) == 3
    return {
        "report_id": rid, "code": cell["code"],
        "table_name": parts[0] if statutory else (parts[1] if parts[0] == "extra" and len(parts) > 1 else parts[0]),
        "row_code": parts[1] if statutory else None, "col_code": parts[2] if statutory else None,
        "value": cell["value"], "unit": cell["unit"], "semantic": cell["semantic"], "raw": cell["raw"],
        "label": cell.get("label"), "period": cell.get("period"),
        "src_table": cell.get("table"), "src_row": cell.get("row"), "src_col": cell.get("col"),
        "src_line": cell.get("line"), "src_page": cell.get("page"),
    }
