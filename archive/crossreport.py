"""Checks across reports (SPEC §6.5), run over the archive after each ingest and stored as flags.

The rules are extractors.crossrules (pure); this module finds the pairs they compare in the
archive (an agency's consecutive years, a page's versions) and stores what they raise.
"""

from extractors.crossrules import CROSS_RULES, changed_page, consecutive_years

from .agencies import build



def _values(db, rid):
    return {r["code"]: r["value"] for r in db.query(
        "SELECT code, value FROM cells WHERE report_id = ? AND code LIKE 'table%'", [rid]) if r["value"] is not None}


def _pairs(db):
    """``(previous, current)`` report rows of one agency in consecutive years: the reports that
    stand for their agency-years (archive.agencies), one per agency and year."""
    rows = list(db.query(
        "SELECT report_id, agency_id, agency, year, era, url, version FROM reports WHERE agency_id IS NOT NULL "
        "AND year IS NOT NULL AND is_current = 1 ORDER BY agency_id, year"))
    by_key = {}
    for row in rows:
        by_key.setdefault((row["agency_id"], row["year"]), row)
    for (agency, year), current in by_key.items():
        previous = by_key.get((agency, year - 1))
        if previous:
            yield previous, current


def cross_flags(db):
    """``{report_id: [flag]}`` of every check across reports, for the later report of a pair."""
    flags = {}
    for previous, current in _pairs(db):
        found = flags.setdefault(current["report_id"], [])
        found += consecutive_years(dict(previous, values=_values(db, previous["report_id"])),
                                   dict(current, values=_values(db, current["report_id"])))
    for row in db.query("SELECT report_id, previous_id, version, url FROM reports WHERE version > 1"):
        flags.setdefault(row["report_id"], []).extend(changed_page(row))
    return flags


def run_cross_checks(db):
    """Link reports to their agencies and agency-years (archive.agencies), then replace the
    stored cross-report flags with a fresh run; returns how many were raised."""
    build(db)
    return db.replace_flags(CROSS_RULES, cross_flags(db))
