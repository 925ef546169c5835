"""Checks across reports (SPEC §6.5), run over the archive after each ingest and stored as flags.

An agency's consecutive years are compared: the carry-over between them, copy-paste
duplicates, the stock of documents in force, and reports whose page changed after publication.
"""

from . import db as archive_db
from .rules import RULES, Outcome, _flag

CROSS_RULES = ("X-T3-CARRY", "X-DUP", "X-T2-STOCK", "X-CHANGED")


def _values(db, rid):
    return {r["code"]: r["value"] for r in db.query(
        "SELECT code, value FROM cells WHERE report_id = ? AND code LIKE 'table%'", [rid]) if r["value"] is not None}


def _pairs(db):
    """``(previous, current)`` report rows of one agency in consecutive years (latest versions)."""
    rows = list(db.query(
        "SELECT report_id, agency, year, era, url, version FROM reports WHERE agency IS NOT NULL AND year IS NOT NULL "
        "AND report_id NOT IN (SELECT previous_id FROM reports WHERE previous_id IS NOT NULL) ORDER BY agency, year"))
    by_key = {}
    for row in rows:
        by_key.setdefault((row["agency"], row["year"]), row)  # one report per agency-year
    for (agency, year), current in by_key.items():
        previous = by_key.get((agency, year - 1))
        if previous:
            yield previous, current


def cross_flags(db):
    """``{report_id: [flag]}`` of every check across reports, for the later report of a pair."""
    flags = {}
    for previous, current in _pairs(db):
        before, now = _values(db, previous["report_id"]), _values(db, current["report_id"])
        found = flags.setdefault(current["report_id"], [])
        for column in {c.rsplit(".", 1)[1] for c in now if c.startswith("table3.carried_over.")}:
            a, b = now.get(f"table3.carried_over.{column}"), before.get(f"table3.carried_forward.{column}")
            if a is not None and b is not None and a != b:
                found.append(_flag(RULES["X-T3-CARRY"], Outcome(
                    column, "fail", (f"table3.carried_over.{column}", f"{previous['year']}:table3.carried_forward.{column}"),
                    a, b, detail=f"{previous['year']} report {previous['report_id']}")))
        shared = set(before) & set(now)
        if len(shared) >= 50 and all(before[c] == now[c] for c in shared) and any(now[c] for c in shared):
            found.append(_flag(RULES["X-DUP"], Outcome(
                "all cells", "fail", (), len(shared), len(shared), detail=f"same numbers as {previous['year']} ({previous['report_id']})")))
        if current["era"] == "f2021" and previous["era"] == "f2021":
            for row in ("regulations", "normative_docs"):
                valid_before = before.get(f"table2.{row}.valid")
                made, repealed, valid = (now.get(f"table2.{row}.{c}") for c in ("made", "repealed", "valid"))
                if None in (valid_before, made, repealed, valid):
                    continue
                expected = valid_before + made - repealed
                if expected != valid:
                    found.append(_flag(RULES["X-T2-STOCK"], Outcome(
                        row, "fail", (f"table2.{row}.valid",), valid, expected,
                        detail=f"{previous['year']} valid {valid_before} + made {made} - repealed {repealed}")))
    for row in db.query("SELECT report_id, previous_id, version, url FROM reports WHERE version > 1"):
        flags.setdefault(row["report_id"], []).append(_flag(RULES["X-CHANGED"], Outcome(
            "page", "fail", (), row["version"], 1, detail=f"the page at {row['url']} changed; previous version {row['previous_id']}")))
    return flags


def run_cross_checks(db):
    """Replace the stored cross-report flags with a fresh run; returns how many were raised."""
    flags = cross_flags(db)
    with db.conn:
        db.conn.execute(f"DELETE FROM flags WHERE rule IN ({', '.join('?' for _ in CROSS_RULES)})", CROSS_RULES)
        archive_db.recount_flags(db)
    total = 0
    for rid, found in flags.items():
        if found:
            archive_db.add_flags(db, rid, found)
            total += len(found)
    return total
