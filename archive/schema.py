"""The schema of every table of the archive, in one place: what the writer (archive.db) creates.

The wide view ``report_numbers`` is generated from the format's key numbers (extractors.spec),
so that a cell code is spelled in the format only.
"""

from extractors import spec
from extractors.records import SEMANTICS

SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    report_id TEXT PRIMARY KEY,      -- first 16 hex digits of sha256
    report_key INTEGER,              -- the integer its cells are stored under (cell_values)
    sha256 TEXT NOT NULL,            -- of the document's raw bytes
    source TEXT,                     -- path or URL the document was read from
    source_format TEXT,              -- html | text
    encoding TEXT,                   -- encoding the bytes were decoded with
    folded INTEGER,                  -- look-alike characters folded before reading (⼯ U+2F2F read as 工)
    title TEXT, agency TEXT,
    agency_kind TEXT,                -- government | gov_office | department | township (extractors/agencies.py)
    level TEXT,                      -- central | province | prefecture | county | township
    region TEXT, province TEXT,      -- the agency's division's full name and its province (gazetteer)
    city TEXT,                       -- prefecture-level unit of the division (a municipality is its own)
    division_code TEXT,              -- GB/T 2260 code of the agency's division
    former_name TEXT,                -- the agency's earlier name, as the report states it
    agency_id TEXT,                  -- the agency (see agencies), linked after each ingest
    is_current INTEGER,              -- 1: the version of its agency-year that stands (see report_versions)
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
    extractor_version TEXT,
    url TEXT,                        -- where the report was published (crawled reports)
    capture_id INTEGER,              -- the capture its numbers come from
    fetched_at TEXT,
    fingerprint TEXT,                -- sha256 of its title, year and numbers: same report, other bytes
    version INTEGER,                 -- 1, 2, ... for a report whose page changed after publication
    previous_id TEXT                 -- the report_id of the version before
);
CREATE TABLE IF NOT EXISTS captures (
    capture_id INTEGER PRIMARY KEY,
    run_id INTEGER,                  -- the crawl run (see runs)
    url TEXT NOT NULL,               -- URL requested
    final_url TEXT,                  -- URL answered (after redirects)
    method TEXT,
    referer TEXT,
    kind TEXT,                       -- start | nav | column | list | api | detail | attachment | robots |
                                     -- rendered (a page's DOM after its scripts) | browser (what it fetched)
    status INTEGER,                  -- HTTP status (NULL when no response)
    fetched_at TEXT,                 -- ISO timestamp, UTC
    sha256 TEXT,                     -- of the body as received
    size INTEGER,
    content_type TEXT,
    encoding TEXT,                   -- detected text encoding (NULL for binary)
    etag TEXT, last_modified TEXT,
    warc_file TEXT, warc_offset INTEGER,
    outcome TEXT,                    -- ok | not_modified | not_found | removed | robots_disallowed |
                                     -- blocked | rate_limited | timeout | error | refused (a budget) |
                                     -- truncated | discarded (thrown away after it came) | too_large
    detail TEXT,                     -- the reason, e.g. "ruishu (瑞数): 412 with $_ts challenge script"
    report_id TEXT                   -- the report this capture is, or is an attachment of
);
CREATE INDEX IF NOT EXISTS captures_url ON captures(url);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY,
    started_at TEXT, finished_at TEXT,
    start_urls TEXT,                 -- JSON list
    status TEXT,                     -- running | finished | incomplete (documents lost) | failed |
                                     -- killed (found running by a later run, its process gone)
    stats TEXT,                      -- JSON
    sources TEXT,                    -- JSON list of the registry sources crawled
    regions TEXT,                    -- JSON {host: division code}: agencies named without a place lie within it
    host TEXT, pid INTEGER           -- where the run's process ran, to tell a live run from a killed one
);
-- One row per list (a column's records) enumerated in a crawl run: what the site announced
-- against what was found, and why a list is short (SITES.md §2.8; crawler/listings.py).
CREATE TABLE IF NOT EXISTS listings (
    listing_id INTEGER PRIMARY KEY,
    run_id INTEGER,                  -- the crawl run (see runs)
    url TEXT NOT NULL,               -- the list's first page
    mechanism TEXT,                  -- how it was enumerated (crawler/lists/<mechanism>.py)
    announced INTEGER,               -- records the site says the list holds (NULL: it says nothing)
    found INTEGER,                   -- distinct records found in the list
    pages_announced INTEGER,         -- pages the site says the list has
    pages_fetched INTEGER,           -- pages of the list read
    pages_failed INTEGER,            -- pages that gave no list: walls, faults, timeouts, 404s
    complete INTEGER,                -- 1 proven complete, 0 known short, NULL nothing announced and nothing failed
    detail TEXT,                     -- why it is short (which page, which outcome, which budget), then notes
    referer TEXT,                    -- the page that led to the list
    listed_at TEXT                   -- when the list was finished (UTC)
);
CREATE INDEX IF NOT EXISTS listings_run ON listings(run_id);
CREATE TABLE IF NOT EXISTS listing_items (
    listing_id INTEGER NOT NULL REFERENCES listings(listing_id),
    url TEXT NOT NULL,               -- a record of the list, as linked
    title TEXT,                      -- its title as the list shows it
    PRIMARY KEY (listing_id, url)
);
CREATE TABLE IF NOT EXISTS attachments (
    report_id TEXT NOT NULL REFERENCES reports(report_id),
    url TEXT NOT NULL,
    name TEXT, file_type TEXT, capture_id INTEGER, sha256 TEXT, size INTEGER,
    role TEXT,                       -- body (the report itself is this file) | attachment
    read_at TEXT,                    -- when it was read (NULL: linked or fetched, not yet read)
    PRIMARY KEY (report_id, url)
);
-- Cells are stored once per fact, keyed by integers (the report's report_key, the code's
-- code_key), with nothing the code or the report already says: read them through the view
-- ``cells`` (cells_view below), which spells every column out again.
CREATE TABLE IF NOT EXISTS cell_values (
    report_key INTEGER NOT NULL,     -- reports.report_key
    code_key INTEGER NOT NULL,       -- cell_codes.code_key
    value NUMERIC,                   -- in the canonical unit; NULL when blank/na/missing
    semantic_key INTEGER,            -- index into extractors.records.SEMANTICS
    label_key INTEGER,               -- labels.label_key: the row label as written
    src_table INTEGER, src_row INTEGER, src_col INTEGER, src_line INTEGER, src_page INTEGER,
    PRIMARY KEY (report_key, code_key)
) WITHOUT ROWID;
-- What a cell says beyond its value, only where it is not what the value and code imply
-- (text as written other than the value's digits or a blank's '', a unit not the code's, a
-- pre-2019 period, a confidence other than 1.0): then all four are stated as they are.
CREATE TABLE IF NOT EXISTS cell_notes (
    report_key INTEGER NOT NULL,
    code_key INTEGER NOT NULL,
    raw TEXT,                        -- the cell's text as written
    unit TEXT,
    period TEXT,                     -- pre2019 only: annual | cumulative | unknown
    confidence REAL,                 -- 1.0 read from text; OCR: 0.95 two readers agreed, 0.9 proven by the
                                     -- identities, 0.8 two of three, 0.6 digit-only readers, 0.3 unsure
    PRIMARY KEY (report_key, code_key)
) WITHOUT ROWID;
-- Row labels as written, each text once (documents copy the template's, so they repeat).
CREATE TABLE IF NOT EXISTS labels (
    label_key INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE
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
    code TEXT PRIMARY KEY,
    code_key INTEGER,                -- the integer cell_values stores; never renumbered
    label TEXT, unit TEXT, eras TEXT,
    table_name TEXT, row_code TEXT, col_code TEXT,
    row_group TEXT                   -- table 三 sub-group: denied | unable | notproc | other
);
CREATE TABLE IF NOT EXISTS texts (
    report_id TEXT PRIMARY KEY REFERENCES reports(report_id),
    text TEXT                        -- the document's text, for search and reading
);
-- Full-text index of reports: Chinese as character bigrams (archive/search.py); rowid = reports.rowid
CREATE VIRTUAL TABLE IF NOT EXISTS reports_fts USING fts5(title, agency, text);
CREATE INDEX IF NOT EXISTS reports_year ON reports(year);
CREATE INDEX IF NOT EXISTS reports_agency ON reports(agency);
-- Agencies and their years (archive/agencies.py rebuilds them after each ingest).
CREATE TABLE IF NOT EXISTS agencies (
    agency_id TEXT PRIMARY KEY,      -- division code and role, e.g. 431127:人民政府 (x: no division)
    canonical_name TEXT,             -- the division's full name and the role
    name TEXT,                       -- the name it last published under
    kind TEXT,                       -- government | gov_office | department | township
    level TEXT,                      -- central | province | prefecture | county | township
    division_code TEXT,              -- GB/T 2260 (gazetteer: extractors/divisions.py)
    province TEXT, city TEXT, region TEXT,
    parent_id TEXT,                  -- the government it belongs to, when archived
    source TEXT,                     -- where its reports were found (registry name or host)
    n_reports INTEGER, first_year INTEGER, last_year INTEGER
);
CREATE TABLE IF NOT EXISTS agency_aliases (
    name TEXT NOT NULL,              -- a name the agency published under
    agency_id TEXT NOT NULL REFERENCES agencies(agency_id),
    first_year INTEGER, last_year INTEGER,
    renamed_in INTEGER,              -- the year its successor name took effect (a stated rename)
    evidence_report_id TEXT,         -- the report that states the rename
    PRIMARY KEY (name, agency_id)
);
CREATE TABLE IF NOT EXISTS agency_years (
    agency_id TEXT NOT NULL REFERENCES agencies(agency_id),
    year INTEGER NOT NULL,
    status TEXT,                     -- published | missing | unknown
    deadline TEXT,                   -- statutory deadline for its kind (SPEC §6.6)
    on_time INTEGER,                 -- 1 published (or first fetched) by the deadline, 0 later, NULL unknown
    current_report_id TEXT,          -- the version that stands
    n_versions INTEGER,
    versions TEXT,                   -- JSON list of its report ids, oldest first
    source TEXT,
    evidence_listing_id INTEGER,     -- missing: the complete listing crawled after the deadline without it
    evidence_capture_id INTEGER,     -- missing: the capture of that listing's page
    reason TEXT,                     -- why missing or unknown, in a sentence
    PRIMARY KEY (agency_id, year)
);
CREATE INDEX IF NOT EXISTS agency_years_status ON agency_years(status, year);
CREATE INDEX IF NOT EXISTS reports_agency_id ON reports(agency_id, year);
CREATE TABLE IF NOT EXISTS report_versions (
    report_id TEXT PRIMARY KEY REFERENCES reports(report_id),
    agency_id TEXT, year INTEGER,
    n INTEGER,                       -- 1, 2, ... in the order they appeared
    relation TEXT,                   -- first | correction | republication | changed_page
    replaces_id TEXT,                -- the version before it
    changed TEXT,                    -- JSON {code: [before, after]} of the cells that differ from it
    n_changed INTEGER
);
-- nianbao run: one row per unattended run, and the state of each source of the registry.
CREATE TABLE IF NOT EXISTS operations (
    started_at TEXT, finished_at TEXT,
    sources TEXT,                    -- JSON list of the sources crawled
    status TEXT,                     -- nothing due | finished | crawl failed
    crawl_exit INTEGER, errors TEXT,
    alerts TEXT,                     -- JSON list
    snapshot TEXT,                   -- the snapshot published, if any
    reports_new INTEGER, reports_changed INTEGER, pages INTEGER,
    outcomes TEXT, stage_seconds TEXT, -- JSON
    coverage TEXT                    -- JSON {expected, published, missing, unknown} agency-years after the run
);
CREATE TABLE IF NOT EXISTS source_state (
    name TEXT PRIMARY KEY, crawled_at TEXT,
    health TEXT                      -- JSON: reports, outcomes, warnings per report
);
"""


# The reports table's facets (metadata.yml): each is counted from an index of its own, and
# within a province from one of (province, facet), not by reading every report.
FACETS = ("year", "era", "level", "province", "city", "agency_kind")

KEY_INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS reports_key ON reports(report_key);
CREATE UNIQUE INDEX IF NOT EXISTS cell_codes_key ON cell_codes(code_key);
DROP INDEX IF EXISTS flags_rule;
CREATE INDEX IF NOT EXISTS flags_rule_report ON flags(rule, report_id);
CREATE INDEX IF NOT EXISTS flags_severity ON flags(severity);
CREATE INDEX IF NOT EXISTS agencies_listed ON agencies(source, canonical_name);
""" + "".join(f"CREATE INDEX IF NOT EXISTS reports_facet_{f} ON reports({f});\n" for f in FACETS
              if f not in ("year", "province")) + "".join(  # reports_year; (province, year) serves province
    f"CREATE INDEX IF NOT EXISTS reports_province_{f} ON reports(province, {f});\n" for f in FACETS if f != "province")


def cells_view():
    """``CREATE VIEW cells``: every cell with its report id, code, table, row and column names,
    unit, semantic, text, label and confidence spelled out, as one row per cell was stored
    before the compact layout; a cell without notes gets what its value and code imply
    (archive.db.Archive._implied)."""
    semantic = " ".join(f"WHEN {n} THEN '{name}'" for n, name in enumerate(SEMANTICS))
    blank, missing = SEMANTICS.index("blank"), SEMANTICS.index("missing")
    return ("CREATE VIEW cells AS\nSELECT r.report_id, k.code, k.table_name, k.row_code, k.col_code, v.value,\n"
            "  CASE WHEN n.code_key IS NULL THEN k.unit ELSE n.unit END AS unit,\n"
            f"  CASE v.semantic_key {semantic} END AS semantic,\n"
            f"  CASE WHEN n.code_key IS NOT NULL THEN n.raw WHEN v.semantic_key = {blank} THEN '' "
            "ELSE CAST(v.value AS TEXT) END AS raw,\n"
            "  l.label, n.period, v.src_table, v.src_row, v.src_col, v.src_line, v.src_page,\n"
            f"  CASE WHEN n.code_key IS NOT NULL THEN n.confidence WHEN v.semantic_key = {missing} THEN NULL ELSE 1.0 END "
            "AS confidence\n"
            "FROM cell_values v JOIN reports r ON r.report_key = v.report_key\n"
            "JOIN cell_codes k ON k.code_key = v.code_key LEFT JOIN labels l ON l.label_key = v.label_key\n"
            "LEFT JOIN cell_notes n ON n.report_key = v.report_key AND n.code_key = v.code_key")


def report_numbers_view():
    """``CREATE VIEW report_numbers``: one row per report with the key numbers of tables 二, 三, 四.

    Look-ups by (report_key, code_key) keep it fast on millions of cells and let filters on
    report columns apply first; each code's key is read once per query from cell_codes.
    """
    def key(code):
        return f"(SELECT code_key FROM cell_codes WHERE code = '{code}')"

    def value(code):
        return f"(SELECT value FROM cell_values WHERE report_key = r.report_key AND code_key = {key(code)})"

    columns = []
    for number in spec.KEY_NUMBERS:
        if len(number.codes) == 1:
            expression = value(number.codes[0])
        elif number.combine == "first":
            expression = f"coalesce({', '.join(value(c) for c in number.codes)})"
        else:
            listed = ", ".join(key(c) for c in number.codes)
            expression = f"(SELECT sum(value) FROM cell_values WHERE report_key = r.report_key AND code_key IN ({listed}))"
        columns.append(f"  {expression} AS {number.name}")
    return ("CREATE VIEW report_numbers AS\nSELECT r.report_id, r.agency_id, r.province, r.city, r.region, r.agency, "
            "r.agency_kind, r.level, r.year, r.era, r.published, r.n_errors, r.n_warnings,\n" + ",\n".join(columns)
            + "\nFROM reports r WHERE coalesce(r.is_current, 1) = 1")


# Columns added after a table first shipped: an older archive gets them when it is opened.
ADDED_COLUMNS = {
    "reports": ("division_code TEXT", "former_name TEXT", "agency_id TEXT", "is_current INTEGER", "folded INTEGER",
                "report_key INTEGER"),
    "cell_codes": ("code_key INTEGER",),
    "runs": ("sources TEXT", "regions TEXT", "host TEXT", "pid INTEGER"),
    "operations": ("coverage TEXT",),
    "attachments": ("read_at TEXT",),
}


def cell_code_rows():
    """The ``cell_codes`` reference table: every code of the format, its label, unit, eras, group."""
    codes = {}
    for era in ("f2019", "f2021"):
        for code in spec.expected_codes(era):
            table, row, column = code.split(".")
            entry = codes.setdefault(code, {"code": code, "label": spec.label_of(code), "unit": spec.unit_of(code, era),
                                            "eras": [], "table_name": table, "row_code": row, "col_code": column,
                                            "row_group": spec.row_group(code)})
            entry["eras"].append(era)
    return [dict(c, eras=",".join(c["eras"])) for c in codes.values()]


def report_numbers_columns():
    """Descriptions of the view's key-number columns, naming the cells each reads."""
    joiner = {"sum": " + ", "first": ", else "}
    return {key.name: f"{key.zh} / {key.en} ({joiner[key.combine].join(key.codes)})" for key in spec.KEY_NUMBERS}
