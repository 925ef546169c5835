"""The SQLite archive's one writer: every write (reports, cells, facts, flags, captures, runs,
listings, attachments, operations, source state) is a method of :class:`Archive`.

Keys are derived from content (``report_id`` is the first 16 hex digits of the document's
sha256), so extracting the same bytes again rewrites identical rows and changes nothing. The
schema of every table is archive.schema.
"""

import dataclasses
import hashlib
import json
import os
from datetime import datetime, timezone

import sqlite_utils

from extractors import spec
from extractors.rules import RULES

from extractors.records import SEMANTICS, Cell

from .schema import ADDED_COLUMNS, KEY_INDEXES, SCHEMA, cell_code_rows, cells_view, report_numbers_view
from .search import bigrams


class NotAnArchive(ValueError):
    """A file given as the archive that is not one: it is left untouched."""


SQLITE_HEADER = b"SQLite format 3\x00"


def refuse_foreign(path, must_exist=False):
    """Raise :class:`NotAnArchive` for an existing file that is not a SQLite database, or is one
    holding other tables than an archive's, before anything (schema, WAL mode) is written to it.
    ``must_exist``: a command that only reads an archive also refuses a missing or empty file."""
    import sqlite3

    if not isinstance(path, (str, os.PathLike)) or str(path) == ":memory:":
        return
    if not os.path.exists(path):
        if must_exist:
            raise NotAnArchive(f"{path} does not exist")
        return
    if os.path.isdir(path):
        raise NotAnArchive(f"{path} is a directory, not an archive file")
    if os.path.getsize(path) == 0:
        if must_exist:
            raise NotAnArchive(f"{path} is empty, not an archive")
        return
    with open(path, "rb") as f:
        if f.read(16) != SQLITE_HEADER:
            raise NotAnArchive(f"{path} is not a SQLite database (left untouched)")
    try:
        tables = _table_names(path, read_only=True)
    except sqlite3.OperationalError:
        # A WAL archive whose writer was killed (a power cut, SIGKILL) can leave its index in
        # a state only a writing connection recovers: a read-only one gets "disk I/O error".
        # That is SQLite's own recovery of its own file, not a write to a foreign one.
        try:
            tables = _table_names(path, read_only=False)
        except sqlite3.DatabaseError as error:
            raise NotAnArchive(f"{path} could not be read ({error}; left untouched)") from None
    except sqlite3.DatabaseError as error:
        raise NotAnArchive(f"{path} is not a readable SQLite database ({error}; left untouched)") from None
    if (tables or must_exist) and "reports" not in tables:
        shown = ", ".join(sorted(tables)[:5]) + ("…" if len(tables) > 5 else "")
        raise NotAnArchive(f"{path} is a SQLite database but not a nianbao archive (tables: {shown}; left untouched)")


def _table_names(path, read_only):
    import sqlite3

    mode = "ro" if read_only else "rw"
    conn = sqlite3.connect(f"file:{os.path.abspath(path)}?mode={mode}", uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def open_db(path):
    """Open (creating if needed) an archive database with the schema and reference tables;
    refuses a file that is not one (:func:`refuse_foreign`)."""
    refuse_foreign(path)
    return Archive(path)


def report_id(report):
    return report["sha256"][:16]


def fingerprint(report):
    """What makes two documents the same report: title, year, agency and every number.

    The same report reposted on another page (other chrome, other bytes) has the same
    fingerprint; a report without numbers is fingerprinted by its title and text hash.
    """
    numbers = sorted((c["code"], c["value"]) for c in report["cells"] if c["value"] is not None)
    basis = [report.get("title"), report.get("year"), report.get("agency"), numbers or report["sha256"]]
    return hashlib.sha256(json.dumps(basis, ensure_ascii=False, default=str).encode()).hexdigest()[:32]


def search_form(report):
    """The report's title, agency and text as the search index holds them (archive.search)."""
    return bigrams(report.get("title")), bigrams(report.get("agency")), bigrams(report.get("text"))


@dataclasses.dataclass(frozen=True)
class Prepared:
    """A report with what storing it computes from the report alone: made in the worker process
    that extracted it, so that the crawl's one writer only writes (:meth:`Archive.archive_report`)."""

    report: object
    fingerprint: str
    search: tuple  # search_form(report)


def prepare(report):
    return Prepared(report, fingerprint(report), search_form(report))


def now():
    """The time of record (UTC, ISO); ``NIANBAO_NOW`` sets it, for replaying a crawl at a known date."""
    fixed = os.environ.get("NIANBAO_NOW")
    if fixed:
        return datetime.fromisoformat(fixed).astimezone(timezone.utc).isoformat(timespec="seconds")
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Archive(sqlite_utils.Database):
    """An archive database: sqlite_utils' reading API, and the project's writes as methods."""

    def __init__(self, path):
        super().__init__(path)
        self._codes = {}  # code -> (code_key, unit), filled as cells are written
        self._labels = {}  # label -> label_key
        self.conn.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL still survives a killed process; it only skips an fsync per commit.
        self.conn.execute("PRAGMA synchronous=NORMAL")
        with self.conn:  # before the schema, whose indexes may read the added columns
            for table, columns in ADDED_COLUMNS.items():
                present = {row[1] for row in self.conn.execute(f"PRAGMA table_info([{table}])")}
                for column in columns if present else ():
                    if column.split()[0] not in present:
                        self.conn.execute(f"ALTER TABLE [{table}] ADD COLUMN {column}")
        self.conn.executescript(SCHEMA)
        with self.conn:
            self.conn.executescript(KEY_INDEXES)
            if self.execute("SELECT 1 FROM sqlite_master WHERE name = 'report_numbers' AND type = 'table'").fetchone():
                self.conn.execute("DROP TABLE report_numbers")  # a snapshot's copy (exports.materialize_numbers)
            self.conn.execute("DROP VIEW IF EXISTS report_numbers")
            self["rules"].upsert_all(
                [{"id": r.id, "severity": r.severity, "zh": r.zh, "en": r.en, "reads": r.reads, "spec": r.spec}
                 for r in RULES.values()], pk="id")
            self["cell_codes"].upsert_all(cell_code_rows(), pk="code", alter=True)
            self._number_codes()
            self._number_reports()
            legacy = self.execute("SELECT type FROM sqlite_master WHERE name = 'cells'").fetchone()
            if legacy and legacy[0] == "table":
                self._compact_legacy_cells()
            self.conn.execute("DROP VIEW IF EXISTS cells")
            self.conn.execute(cells_view())
            self.conn.execute(report_numbers_view())

    def _number_codes(self):
        """Give each code without a ``code_key`` the next one, in the format's order; keys once
        given are never changed, so the stored cells keep their meaning."""
        order = {row["code"]: n for n, row in enumerate(cell_code_rows())}
        unnumbered = sorted((r[0] for r in self.execute("SELECT code FROM cell_codes WHERE code_key IS NULL")),
                            key=lambda c: (order.get(c, len(order)), c))
        top = self.execute("SELECT coalesce(max(code_key), 0) FROM cell_codes").fetchone()[0]
        self.conn.executemany("UPDATE cell_codes SET code_key = ? WHERE code = ?",
                              [(top + n, code) for n, code in enumerate(unnumbered, start=1)])

    def _number_reports(self):
        """Give each report without a ``report_key`` one. An archive from before the compact
        cells takes its rowids, which its search index is keyed by; a report added later
        without a key gets the next free one."""
        top = self.execute("SELECT max(report_key) FROM reports").fetchone()[0]
        if top is None:
            self.conn.execute("UPDATE reports SET report_key = rowid")
            return
        self.conn.executemany("UPDATE reports SET report_key = ? WHERE rowid = ?", [
            (top + n, rowid) for n, (rowid,) in enumerate(
                self.execute("SELECT rowid FROM reports WHERE report_key IS NULL ORDER BY rowid").fetchall(), start=1)])

    def _compact_legacy_cells(self):
        """Move an older archive's ``cells`` table (one wide row per cell) into ``cell_values``."""
        by_report = {}
        for row in self.query("SELECT * FROM cells ORDER BY rowid"):
            by_report.setdefault(row["report_id"], []).append(_cell_of(row))
        keys = dict(self.execute("SELECT report_id, report_key FROM reports").fetchall())
        for rid, cells in by_report.items():
            if rid in keys:
                self._insert_cell_values(keys[rid], cells)
        self.conn.execute("DROP TABLE cells")

    def archive_report(self, report, url=None, capture_id=None, fetched_at=None):
        """Store a crawled report once: ``(report_id, status)``, status new | version | duplicate.

        ``report`` is a report or its :class:`Prepared` form. A report already archived (same
        bytes, or same fingerprint at any URL) is not stored again; a page whose report changed
        gets a new row with ``version`` + 1 (SPEC §6.5).
        """
        prepared = report if isinstance(report, Prepared) else prepare(report)
        report = prepared.report
        rid = report_id(report)
        print_ = prepared.fingerprint
        existing = self.execute("SELECT report_id FROM reports WHERE report_id = ? OR fingerprint = ?", [rid, print_]).fetchone()
        if existing:
            return existing[0], "duplicate"
        previous = None
        if url:
            previous = self.execute(
                "SELECT report_id, version FROM reports WHERE url = ? ORDER BY version DESC LIMIT 1", [url]).fetchone()
        report = dict(report, url=url, capture_id=capture_id, fetched_at=fetched_at, fingerprint=print_,
                      version=(previous[1] or 1) + 1 if previous else 1, previous_id=previous[0] if previous else None)
        self.write_report(report, search=prepared.search)
        return rid, "version" if previous else "new"


    def write_capture(self, capture):
        """Record one fetch (an :class:`archive.records.Capture`, any outcome); returns its capture_id."""
        columns = [c for c in capture.keys() if capture[c] is not None]
        with self.conn:
            cursor = self.conn.execute(
                f"INSERT INTO captures ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                [capture[c] for c in columns])
            return cursor.lastrowid


    def write_listing(self, row, items):
        """Record one enumerated list and its records; returns the listing_id."""
        with self.conn:
            columns = [*row, "listed_at"]
            cursor = self.conn.execute(
                f"INSERT INTO listings ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                [*row.values(), now()])
            listing_id = cursor.lastrowid
            self.conn.executemany("INSERT OR IGNORE INTO listing_items (listing_id, url, title) VALUES (?, ?, ?)",
                                [(listing_id, url, title) for url, title in items])
        return listing_id


    def listings_of_run(self, run_id):
        """The lists a crawl run enumerated, incomplete ones first."""
        return list(self.query("SELECT * FROM listings WHERE run_id = ? ORDER BY coalesce(complete, 2), url", [run_id]))


    def note_capture(self, capture_id, detail):
        """Add a sentence to a capture's detail (what became of it: not archived, not read)."""
        with self.conn:
            self.conn.execute("UPDATE captures SET detail = coalesce(detail || '; ', '') || ? WHERE capture_id = ?",
                              [detail, capture_id])

    def discard_capture(self, capture_id, outcome, reason):
        """Mark a capture whose response was thrown away after it came (a compression bomb, the
        end of a redirect loop, an error page for a file) with the outcome and reason."""
        with self.conn:
            self.conn.execute("UPDATE captures SET outcome = ?, detail = ? WHERE capture_id = ?", [outcome, reason, capture_id])

    def last_capture(self, url, other_than_run):
        """The newest usable capture of a URL from earlier runs (for conditional requests).

        Only a capture that made it into the archive counts, and a report page only once every
        file it links was fetched and read: a page or file fetched by a run that was killed
        before archiving or reading it must be fetched in full again, or its numbers are lost
        to a 304 for good.
        """
        row = self.execute(
            "SELECT etag, last_modified, sha256, report_id FROM captures AS c WHERE url = ? AND outcome = 'ok' "
            "AND status = 200 AND report_id IS NOT NULL AND run_id != ? AND NOT EXISTS ("
            " SELECT 1 FROM attachments AS a WHERE a.report_id = c.report_id AND a.read_at IS NULL)"
            " ORDER BY capture_id DESC LIMIT 1",
            [url, other_than_run]).fetchone()
        return dict(zip(("etag", "last_modified", "sha256", "report_id"), row)) if row else None

    def replace_flags(self, rules, flags_by_report):
        """Replace every flag of ``rules`` with a fresh set (the checks across reports); returns
        how many were stored."""
        with self.conn:
            self.conn.execute(f"DELETE FROM flags WHERE rule IN ({', '.join('?' for _ in rules)})", list(rules))
            self.recount_flags()
        total = 0
        for rid, found in flags_by_report.items():
            if found:
                self.add_flags(rid, found)
                total += len(found)
        return total

    def source_health(self, name):
        """The health a source was last seen in (JSON decoded), or None."""
        row = self.execute("SELECT health FROM source_state WHERE name = ?", [name]).fetchone()
        return json.loads(row[0]) if row and row[0] else None

    def set_source_state(self, name, crawled_at, health):
        with self.conn:
            self["source_state"].upsert({"name": name, "crawled_at": crawled_at, "health": json.dumps(health)}, pk="name")

    def record_operation(self, record):
        """One row of ``operations``: what an unattended run did."""
        with self.conn:
            self["operations"].insert({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                                       for k, v in record.items()}, alter=True)

    def link_capture(self, capture_id, report_id):
        with self.conn:
            self.conn.execute("UPDATE captures SET report_id = ? WHERE capture_id = ?", [report_id, capture_id])


    def expect_attachments(self, report_id, links):
        """Rows for the files a report page links (``[(url, name)]``) before they are fetched:
        a row without ``read_at`` is a file not yet read (see :meth:`last_capture`)."""
        with self.conn:
            self.conn.executemany("INSERT OR IGNORE INTO attachments (report_id, url, name) VALUES (?, ?, ?)",
                                  [(report_id, url, name) for url, name in links])

    def attachment_read(self, report_id, url):
        """Mark a report's file as read (its numbers, or the reason they could not be had, stored)."""
        with self.conn:
            self.conn.execute("UPDATE attachments SET read_at = ? WHERE report_id = ? AND url = ?", [now(), report_id, url])

    def add_attachment(self, attachment):
        with self.conn:
            self._upsert("attachments", attachment, ("report_id", "url"))


    def start_run(self, start_urls, sources=(), regions=None):
        """A new ``runs`` row; ``regions``: ``{host: division code}`` of the sites crawled. Runs
        of this machine still marked running whose process is gone are closed as ``killed``."""
        import socket

        host = socket.gethostname()
        with self.conn:
            for run_id, pid in self.execute("SELECT run_id, pid FROM runs WHERE status = 'running' AND (host IS NULL OR host = ?)",
                                            [host]).fetchall():
                if not _alive(pid):
                    self.conn.execute("UPDATE runs SET status = 'killed', finished_at = ? WHERE run_id = ?", [now(), run_id])
            return self["runs"].insert({"started_at": now(), "start_urls": json.dumps(start_urls), "status": "running",
                                        "sources": json.dumps(list(sources)), "regions": json.dumps(regions or {}),
                                        "host": host, "pid": os.getpid()}).last_pk


    def finish_run(self, run_id, status, stats):
        with self.conn:
            self["runs"].update(run_id, {"finished_at": now(), "status": status, "stats": json.dumps(stats, default=str)})


    def add_flags(self, rid, flags):
        """Add cross-document flags (e.g. X-ATTACH) to a stored report and recount its severities."""
        rows = [{"report_id": rid, "rule": f["rule"], "scope": f["scope"], "severity": f["severity"], "message": f["message"],
                 "cells": json.dumps(f["cells"]), "lhs": _storable(f["lhs"]), "rhs": _storable(f["rhs"]),
             "delta": _storable(f["delta"]),
                 "assumed_zero": int(bool(f["assumed_zero"]))} for f in flags]
        with self.conn:
            self["flags"].upsert_all(rows, pk=("report_id", "rule", "scope")) if rows else None
            self.conn.execute(
                "UPDATE reports SET n_errors = (SELECT count(*) FROM flags WHERE report_id = :r AND severity = 'ERROR'), "
                "n_warnings = (SELECT count(*) FROM flags WHERE report_id = :r AND severity = 'WARN') WHERE report_id = :r",
                {"r": rid})


    def recount_flags(self):
        """Bring every report's flag counts in line with the flags table."""
        self.execute(
            "UPDATE reports SET n_errors = (SELECT count(*) FROM flags f WHERE f.report_id = reports.report_id AND severity = 'ERROR'), "
            "n_warnings = (SELECT count(*) FROM flags f WHERE f.report_id = reports.report_id AND severity = 'WARN'), "
            "n_info = (SELECT count(*) FROM flags f WHERE f.report_id = reports.report_id AND severity = 'INFO')")


    def replace_agencies(self, agencies, aliases, years, versions, links):
        """Replace the agency tables with a fresh computation (archive.agencies) and link every
        report to its agency (``links``: ``{report_id: (agency_id, is_current, place)}``)."""
        with self.conn:
            for table in ("agencies", "agency_aliases", "agency_years", "report_versions"):
                self.conn.execute(f"DELETE FROM {table}")
            for table, rows in (("agencies", agencies), ("agency_aliases", aliases), ("agency_years", years),
                                ("report_versions", versions)):
                self._insert_rows(table, rows)
            self.conn.execute("UPDATE reports SET agency_id = NULL, is_current = NULL")
            self.conn.executemany(
                "UPDATE reports SET agency_id = ?, is_current = ?, agency_kind = ?, level = ?, division_code = ?, "
                "region = ?, province = ?, city = ? WHERE report_id = ?",
                [(agency_id, current, place["kind"], place["level"], place["division_code"], place["region"],
                  place["province"], place["city"], rid) for rid, (agency_id, current, place) in links.items()])

    def load_report(self, rid):
        """A stored report's row with its cells, in the shape the extractor produces."""
        row = self["reports"].get(rid)
        cells = [{"code": c["code"], "value": c["value"], "semantic": c["semantic"], "raw": c["raw"], "unit": c["unit"]}
                 for c in self.query("SELECT * FROM cells WHERE report_id = ?", [rid])]
        return dict(row, cells=cells)


    def write_report(self, report, rid=None, search=None):
        """Replace everything stored for this report in one transaction; return its id.

        ``rid`` stores it under an existing id: a report page that only pointed to its file gets
        the file's numbers in place; ``search``: its :func:`search_form`, when made already.
        """
        _exact_or_refused(report)
        with self.conn:
            return self._store_report(report, rid or report_id(report), search)

    def write_reports(self, reports):
        """Store many reports in one transaction (a bulk load); their ids. One that cannot be
        stored exactly refuses the batch before anything is written."""
        for report in reports:
            _exact_or_refused(report)
        with self.conn:
            return [self._store_report(report, report_id(report)) for report in reports]

    def _store_report(self, report, rid, search=None):
        flags = report["flags"]
        severities = [f["severity"] for f in flags]
        row = {
            "report_id": rid,
            **{k: report.get(k) for k in (
                "sha256", "source", "source_format", "encoding", "folded", "title", "agency", "agency_kind", "level", "region",
                "province", "city", "division_code", "former_name", "year", "era", "year_era", "published", "signed", "stat_start", "stat_end", "extractor_version",
                "url", "capture_id", "fetched_at", "fingerprint", "version", "previous_id",
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
        text = report.get("text") or ""
        for table in ("facts", "flags"):
            self.conn.execute(f"DELETE FROM {table} WHERE report_id = ?", [rid])
        key = self._report_key(rid)
        for table in ("cell_values", "cell_notes"):
            self.conn.execute(f"DELETE FROM {table} WHERE report_key = ?", [key])
        self._upsert("reports", dict(row, report_key=key), ("report_id",))
        self._insert_cell_values(key, report["cells"])
        for table, rows in (("facts", facts), ("flags", flag_rows)):
            self._insert_rows(table, rows)
        if text or not self.execute("SELECT 1 FROM texts WHERE report_id = ?", [rid]).fetchone():
            self.conn.execute("INSERT OR REPLACE INTO texts (report_id, text) VALUES (?, ?)", [rid, text])
            self.conn.execute("DELETE FROM reports_fts WHERE rowid = ?", [key])
            self.conn.execute("INSERT INTO reports_fts (rowid, title, agency, text) VALUES (?, ?, ?, ?)",
                              [key, *(search or search_form(report))])
        return rid


    def merge_part(self, path):
        """Fold the archive at ``path`` (written by another crawler process) into this one.

        Reports, cells, facts, flags, texts and attachments are keyed by content-derived ids and
        copied once; captures, runs and listings, numbered by each file on its own, are matched
        by what they record (a capture by URL, method, kind, time, sha256, WARC file and offset
        and outcome; a run by host, process and start; a listing by run, URL and time) and
        renumbered, with every reference to them. A report whose fingerprint is already stored
        under another id (the same report at another URL) is not copied, as a crawl would not
        store it. Merging the same part again changes nothing. Returns what was added."""
        columns = {t: [r[1] for r in self.execute(f"PRAGMA table_info([{t}])")] for t in (
            "runs", "captures", "listings", "reports", "attachments", "facts", "flags", "texts")}
        columns["reports"].remove("report_key")  # each file numbers its own
        added = {"runs": 0, "captures": 0, "listings": 0, "reports": 0}
        self.conn.execute("ATTACH DATABASE ? AS part", [str(path)])
        try:
            with self.conn:
                runs = self._merge_keyed("runs", "run_id", ("host", "pid", "started_at"), columns["runs"], {}, added)
                captures = self._merge_keyed(
                    "captures", "capture_id", ("url", "method", "kind", "fetched_at", "sha256", "warc_file", "warc_offset",
                                               "outcome", "final_url"), columns["captures"], {"run_id": runs}, added)
                listings = self._merge_keyed("listings", "listing_id", ("run_id", "url", "listed_at"), columns["listings"],
                                             {"run_id": runs}, added)
                for old, new in listings.items():
                    self.conn.execute("INSERT OR IGNORE INTO listing_items (listing_id, url, title) "
                                      "SELECT ?, url, title FROM part.listing_items WHERE listing_id = ?", [new, old])
                fresh = [r[0] for r in self.execute(
                    "SELECT p.report_id FROM part.reports p WHERE p.report_id NOT IN (SELECT report_id FROM main.reports) "
                    "AND (p.fingerprint IS NULL OR p.fingerprint NOT IN (SELECT fingerprint FROM main.reports "
                    "WHERE fingerprint IS NOT NULL)) ORDER BY p.fetched_at, p.report_id")]
                report_columns = ", ".join(f"[{c}]" for c in columns["reports"])
                for rid in fresh:
                    self.conn.execute(f"INSERT INTO main.reports ({report_columns}) SELECT {report_columns} "
                                      f"FROM part.reports WHERE report_id = ?", [rid])
                    old_capture = self.execute("SELECT capture_id FROM main.reports WHERE report_id = ?", [rid]).fetchone()[0]
                    self.conn.execute("UPDATE main.reports SET capture_id = ? WHERE report_id = ?", [captures.get(old_capture), rid])
                    key = self._report_key(rid)
                    self.conn.execute("UPDATE main.reports SET report_key = ? WHERE report_id = ?", [key, rid])
                    self._insert_cell_values(key, [_cell_of(row) for row in self.query(
                        "SELECT * FROM part.cells WHERE report_id = ?", [rid])])
                    for table in ("facts", "flags", "texts"):
                        names = ", ".join(f"[{c}]" for c in columns[table])
                        self.conn.execute(f"INSERT OR IGNORE INTO main.{table} ({names}) SELECT {names} FROM part.{table} "
                                          f"WHERE report_id = ?", [rid])
                    self.conn.execute(
                        "INSERT INTO reports_fts (rowid, title, agency, text) SELECT ?, f.title, f.agency, f.text "
                        "FROM part.reports_fts f JOIN part.reports p ON p.report_key = f.rowid WHERE p.report_id = ?",
                        [key, rid])
                    added["reports"] += 1
                attachment_columns = ", ".join(f"[{c}]" for c in columns["attachments"])
                for row in self.execute(f"SELECT {attachment_columns} FROM part.attachments WHERE report_id IN "
                                        f"(SELECT report_id FROM main.reports)").fetchall():
                    row = dict(zip(columns["attachments"], row))
                    row["capture_id"] = captures.get(row["capture_id"])
                    names = list(row)
                    self.conn.execute(f"INSERT OR IGNORE INTO main.attachments ({', '.join(names)}) "
                                      f"VALUES ({', '.join('?' for _ in names)})", [row[n] for n in names])
                self._relink_captures(captures)
        finally:
            self.conn.execute("DETACH DATABASE part")
        return added

    def _relink_captures(self, captures):
        """Give each merged capture the report it is, or belongs to, as its part said: one
        statement over a table of the renumbering (``{part's id: main's id}``), where one
        UPDATE per capture took most of a large merge."""
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS capture_map (old INTEGER, new INTEGER)")
        self.conn.execute("DELETE FROM temp.capture_map")
        self.conn.execute("CREATE INDEX IF NOT EXISTS temp.capture_map_new ON capture_map (new, old)")
        self.conn.executemany("INSERT INTO temp.capture_map (old, new) VALUES (?, ?)", list(captures.items()))
        # a capture main had already keeps its report; of several part captures folded into
        # one, the first that names a report gives it
        self.conn.execute(
            "UPDATE main.captures SET report_id = (SELECT p.report_id FROM temp.capture_map m "
            "JOIN part.captures p ON p.capture_id = m.old WHERE m.new = main.captures.capture_id "
            "AND p.report_id IS NOT NULL ORDER BY m.old LIMIT 1) "
            "WHERE report_id IS NULL AND capture_id IN (SELECT new FROM temp.capture_map)")
        self.conn.execute("DELETE FROM temp.capture_map")

    def _merge_keyed(self, table, pk, key, columns, remap, added):
        """Copy the rows of ``part.table`` that ``main`` lacks, matched on ``key`` (after
        renumbering the references in ``remap``); ``{old id: new id}`` for every row."""
        others = [c for c in columns if c != pk]
        existing = {}
        key_index = [others.index(k) for k in key]
        for row in self.execute(f"SELECT {pk}, {', '.join(others)} FROM main.{table}"):
            existing[tuple(row[1:][i] for i in key_index)] = row[0]
        mapping = {}
        for row in self.execute(f"SELECT {pk}, {', '.join(others)} FROM part.{table} ORDER BY {pk}").fetchall():
            values = list(row[1:])
            for column, ids in remap.items():
                at = others.index(column)
                values[at] = ids.get(values[at])
            identity = tuple(values[i] for i in key_index)
            if identity in existing:
                mapping[row[0]] = existing[identity]
                continue
            cursor = self.conn.execute(f"INSERT INTO main.{table} ({', '.join(others)}) VALUES ({', '.join('?' for _ in others)})",
                                       values)
            mapping[row[0]] = existing[identity] = cursor.lastrowid
            added[table] += 1
        return mapping

    def _insert_rows(self, table, rows):
        """Bulk insert of plain rows (values already SQL types): ~10x faster than insert_all's
        per-value JSON checks, which matters when a crawl archives reports while it fetches."""
        if not rows:
            return
        columns = list(rows[0])
        sql = f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) VALUES ({', '.join('?' for _ in columns)})"
        self.conn.executemany(sql, [[row[c] for c in columns] for row in rows])


    def _upsert(self, table, row, pk):
        """Insert a row, or update the given columns of the row with its key (the others keep
        their values, as sqlite_utils' upsert does), in one statement: sqlite_utils' upsert reads
        the table's schema on every call, and a crawl writes a report row per page."""
        columns = list(row)
        updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c not in pk)
        self.conn.execute(
            f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) VALUES ({', '.join('?' for _ in columns)}) "
            f"ON CONFLICT ({', '.join(pk)}) DO " + (f"UPDATE SET {updates}" if updates else "NOTHING"),
            [row[c] for c in columns])

    def _report_key(self, rid):
        """The report's ``report_key``: the one it has, or the next free one."""
        row = self.execute("SELECT report_key FROM reports WHERE report_id = ?", [rid]).fetchone()
        if row and row[0] is not None:
            return row[0]
        return self.execute("SELECT coalesce(max(report_key), 0) + 1 FROM reports").fetchone()[0]

    def _code_key(self, code, unit):
        """``(code_key, unit)`` of a cell code; a code outside the format's tables (a pre-2019
        statistic, a local row) is added to ``cell_codes`` with the next key the first time."""
        if code not in self._codes:
            row = self.execute("SELECT code_key, unit FROM cell_codes WHERE code = ?", [code]).fetchone()
            if row is None:
                parts = code.split(".")
                if parts[0].startswith("table") and len(parts) == 3:
                    place = parts
                else:
                    place = [parts[1] if parts[0] == "extra" and len(parts) > 1 else parts[0], None, None]
                try:
                    label = spec.label_of(code)
                except KeyError:  # a row or column the format does not name
                    label = None
                self.conn.execute(
                    "INSERT INTO cell_codes (code, code_key, label, unit, table_name, row_code, col_code, row_group) "
                    "VALUES (?, (SELECT coalesce(max(code_key), 0) + 1 FROM cell_codes), ?, ?, ?, ?, ?, ?)",
                    [code, label, unit, *place, spec.row_group(code)])
                row = self.execute("SELECT code_key, unit FROM cell_codes WHERE code = ?", [code]).fetchone()
            self._codes[code] = tuple(row)
        return self._codes[code]

    def _label_key(self, label):
        if label is None:
            return None
        if label not in self._labels:
            self.conn.execute("INSERT OR IGNORE INTO labels (label) VALUES (?)", [label])
            self._labels[label] = self.execute("SELECT label_key FROM labels WHERE label = ?", [label]).fetchone()[0]
        return self._labels[label]

    def _insert_cell_values(self, key, cells):
        """Store a report's cells under its key: the value, semantic, label and position of each,
        and notes (text, unit, period, confidence) only for a cell whose notes are not the ones
        its value and code imply."""
        values, notes = [], []
        for cell in cells:
            (code, value, raw, semantic, unit, table, row, col, label, line, page, period,
             confidence) = _fields_of(cell)
            code_key, code_unit = self._code_key(code, unit)
            values.append((key, code_key, value, None if semantic is None else SEMANTICS.index(semantic),
                           self._label_key(label), table, row, col, line, page))
            stated = (raw, unit, period, confidence)
            if stated != self._implied(value, semantic, code_unit):
                notes.append((key, code_key, *stated))
        self.conn.executemany(
            "INSERT OR REPLACE INTO cell_values (report_key, code_key, value, semantic_key, label_key, "
            "src_table, src_row, src_col, src_line, src_page) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
        self.conn.executemany("INSERT OR REPLACE INTO cell_notes (report_key, code_key, raw, unit, period, confidence) "
                              "VALUES (?, ?, ?, ?, ?, ?)", notes)

    @staticmethod
    def _implied(value, semantic, code_unit):
        """``(raw, unit, period, confidence)`` a cell has when nothing is noted: the value's
        digits ('' for a blank), the code's unit, no period, 1.0 (none when missing); the
        ``cells`` view (archive.schema.cells_view) reads them the same way."""
        if semantic == "blank":
            raw = ""
        elif isinstance(value, int) and not isinstance(value, bool):
            raw = str(value)
        else:
            raw = None if value is None else object()  # a float's text is always noted
        return raw, code_unit, None, None if semantic == "missing" else 1.0


_CELL_FIELDS = ("code", "value", "raw", "semantic", "unit", "table", "row", "col", "label", "line", "page", "period",
                "confidence")


def _fields_of(cell):
    """A cell's fields in :data:`_CELL_FIELDS` order, from a :class:`~extractors.records.Cell`
    (read as attributes: a crawl writes some 200 a report) or a mapping (a merged part, a test)."""
    if isinstance(cell, Cell):
        return (cell.code, cell.value, cell.raw, cell.semantic, cell.unit, cell.table, cell.row, cell.col, cell.label,
                cell.line, cell.page, cell.period, cell.confidence)
    return (cell["code"], cell["value"], cell["raw"], cell["semantic"], cell["unit"],
            *(cell.get(name) for name in _CELL_FIELDS[5:]))


def _cell_of(row):
    """A cell as the extractor gives it, from a row of the ``cells`` view (or the old table)."""
    return {"code": row["code"], "value": row["value"], "semantic": row["semantic"], "raw": row["raw"], "unit": row["unit"],
            "label": row["label"], "period": row["period"], "table": row["src_table"], "row": row["src_row"],
            "col": row["src_col"], "line": row["src_line"], "page": row["src_page"], "confidence": row["confidence"]}


INT64 = 2**63  # SQLite stores integers exactly up to 2**63 - 1


class NotStorable(ValueError):
    """A report holds a number the archive cannot store exactly."""


def _exact_or_refused(report):
    """Refuse, before anything is written, a report whose cells or facts hold a whole number
    beyond SQLite's 64-bit integers: stored, it would be rounded or overflow."""
    for kind, rows in (("cell", report["cells"]), ("fact", report.get("facts") or [])):
        for row in rows:
            value = row.get("value")
            if isinstance(value, int) and not -INT64 <= value < INT64:
                name = row.get("code") or row.get("fact")
                raise NotStorable(f"{kind} {name} holds {str(value)[:40]}{'...' if len(str(value)) > 40 else ''} "
                                  f"({len(str(abs(value)))} digits), beyond the integers SQLite stores exactly: not archived")


def _storable(value):
    """A flag's side as SQLite can hold it: sums beyond 64 bits as the nearest float."""
    return float(value) if isinstance(value, int) and not -INT64 <= value < INT64 else value


def _alive(pid):
    """Whether a process of this machine still runs (a run row without a pid predates them: gone)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
