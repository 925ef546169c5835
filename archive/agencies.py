"""Agencies and agency-years, recomputed from the archive after each ingest.

An agency is a role in an administrative division (extractors.agencies); its reports are grouped
by year into versions (a 更正, a republication at another URL, a changed page) of which one stands
(``reports.is_current``). Each year from its first report to the last one due is ``published``,
``missing`` or ``unknown``: ``missing`` only when a listing proven complete (``listings.complete``),
read after the year's deadline, holds the agency's reports and not that year's; the listing and
its capture are the evidence. Everything else that was not found is ``unknown``, with the reason.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from extractors import agencies
from extractors.metadata import agency_from_title, classify_title, find_year
from extractors.rules import deadline_for

from .db import now

STATUSES = ("published", "missing", "unknown")  # what an agency-year is found to be (agency_years.status)


@dataclass
class _Row:
    """One archived report as the agency computation reads it."""

    report_id: str
    agency: str
    title: str
    year: int
    url: str
    fetched_at: str
    published: str
    era: str
    version: int
    previous_id: str
    former_name: str
    hint: str = None
    key: agencies.AgencyKey = None


@dataclass
class _Agency:
    key: agencies.AgencyKey
    reports: list = field(default_factory=list)
    renames: list = field(default_factory=list)  # (old agency id, old name, year, evidence report id)


def _hint(url, regions):
    """The division of the site a URL belongs to (exact host, else a parent domain's);
    ``regions``: ``(host, code)`` pairs, longest host first."""
    if not url or not regions:
        return None
    host = urlsplit(url).netloc
    for candidate, code in regions:
        bare = candidate.removeprefix("www.")
        if host == candidate or host == bare or host.endswith("." + bare):
            return code
    return None


def _rows(db):
    regions_of_run = {r["run_id"]: sorted(json.loads(r["regions"] or "{}").items(), key=lambda item: -len(item[0]))
                      for r in db.query("SELECT run_id, regions FROM runs")}
    rows = []
    for r in db.query(
            "SELECT r.report_id, r.agency, r.title, r.year, r.url, r.fetched_at, r.published, r.era, r.version, "
            "r.previous_id, r.former_name, c.run_id FROM reports r LEFT JOIN captures c ON c.capture_id = r.capture_id"):
        run_id = r.pop("run_id")
        row = _Row(**r)
        row.hint = _hint(row.url, regions_of_run.get(run_id))
        row.key = agencies.identify(row.agency, row.hint)
        rows.append(row)
    return rows


def _group(rows):
    """``{agency_id: _Agency}``, renamed agencies and a government's office folded in."""
    found = {}
    for row in rows:
        if row.key is not None:
            found.setdefault(row.key.id, _Agency(row.key)).reports.append(row)
    successor = {}
    for agency in list(found.values()):
        for row in agency.reports:
            if not row.former_name:
                continue
            old = agencies.identify(row.former_name, agency.key.division or row.hint)
            if old is not None and old.id != agency.key.id:
                successor[old.id] = agency.key.id
                agency.renames.append((old.id, row.former_name, row.year, row.report_id))
    # An office that reports for its government (人民政府办公室 one year, 人民政府 the next) is the
    # government's series, unless both published in one year (then the office reports for itself).
    for agency in list(found.values()):
        if agency.key.kind != "gov_office":
            continue
        government = agencies.AgencyKey(agency.key.division, "人民政府", "government", agency.key.level).id
        if government in found and not {r.year for r in agency.reports} & {r.year for r in found[government].reports}:
            successor.setdefault(agency.key.id, government)
    for old_id in list(successor):
        new_id, seen = successor[old_id], {old_id}
        while new_id in successor and new_id not in seen:  # a chain of renames
            seen.add(new_id)
            new_id = successor[new_id]
        if old_id in found and new_id in found and old_id != new_id:
            merged = found.pop(old_id)
            found[new_id].reports += merged.reports
            found[new_id].renames += merged.renames
    return found


def _order(row):
    """Versions in the order they replace each other: a correction after what it corrects, then
    by the date published (else first fetched), then by version of a page; the last one stands."""
    return (agencies.is_correction(row.title), row.published or (row.fetched_at or "")[:10], row.fetched_at or "",
            row.version or 1, row.report_id)


def _current(versions):
    return max(versions, key=_order)


def _cells(db, rid):
    return {c["code"]: c["value"] for c in db.query(
        "SELECT code, value FROM cells WHERE report_id = ? AND code LIKE 'table%'", [rid])}


def _versions(db, agency_id, year, reports):
    """``report_versions`` rows of one agency-year, oldest first."""
    out, urls = [], set()
    ids = {r.report_id for r in reports}
    previous = None
    for n, row in enumerate(sorted(reports, key=_order), start=1):
        if previous is None:
            relation = "first"
        elif (row.previous_id in ids) or (row.url and row.url in urls):
            relation = "changed_page"
        elif agencies.is_correction(row.title):
            relation = "correction"
        else:
            relation = "republication"
        changed = {}
        if previous is not None:
            before, after = _cells(db, previous.report_id), _cells(db, row.report_id)
            changed = {code: [before.get(code), after.get(code)] for code in sorted(set(before) | set(after))
                       if before.get(code) != after.get(code)}
        out.append({"report_id": row.report_id, "agency_id": agency_id, "year": year, "n": n, "relation": relation,
                    "replaces_id": previous.report_id if previous else None,
                    "changed": json.dumps(changed, ensure_ascii=False) if previous else None,
                    "n_changed": len(changed) if previous else None})
        urls.add(row.url)
        previous = row
    return out


def _listings(db, report_of_url, agency_of_report, year_of_report):
    """Every listing with the agencies and years of the archived reports it holds, and the
    records it holds that are no archived report (``strays``: url, title, what their fetch gave)."""
    items, strays = {}, {}
    outcome_of = dict(db.execute("SELECT url, outcome FROM captures WHERE capture_id IN "
                                 "(SELECT max(capture_id) FROM captures GROUP BY url)").fetchall())
    for item in db.query("SELECT listing_id, url, title FROM listing_items"):
        rid = report_of_url.get(item["url"])
        if rid in agency_of_report:
            items.setdefault(item["listing_id"], set()).add((agency_of_report[rid], year_of_report.get(rid)))
        elif rid is None:
            strays.setdefault(item["listing_id"], []).append((item["url"], item["title"], outcome_of.get(item["url"])))
    out = []
    for listing in db.query("SELECT * FROM listings ORDER BY listed_at"):
        held = items.get(listing["listing_id"], set())
        listing["agencies"] = {a for a, _ in held}
        listing["years"] = {y for _, y in held if y}
        listing["strays"] = strays.get(listing["listing_id"], [])
        out.append(listing)
    return out


def _unread_record(listing, agency_id, year, hint):
    """A record of the list that may be the agency-year's report but was not archived: one
    titled as a report of that year by that agency (or by none named), or an untitled one whose
    fetch failed; else None. Look-alikes (解读, 图解, 政府工作报告 ...) are no such record."""
    for url, title, outcome in listing["strays"]:
        if title and classify_title(title) != "report":
            continue
        named_year = find_year(title, None, []) if title else None
        if named_year == year:
            named = agencies.identify(agency_from_title(title), hint)
            if named is None or named.id == agency_id:
                return f"the list holds {title!r} ({url}), not archived ({outcome or 'not fetched'})"
        elif named_year is None and outcome not in (None, "ok", "not_modified"):
            return f"a record of the list could not be read: {url} ({outcome})"
    return None


def _report_of_url(db):
    found = {}
    for table, column in (("captures", "url"), ("captures", "final_url"), ("attachments", "url"), ("reports", "url")):
        for row in db.query(f"SELECT {column} AS url, report_id FROM {table} WHERE report_id IS NOT NULL AND {column} IS NOT NULL"):
            found[row["url"]] = row["report_id"]
    return found


def _status(agency_id, year, due, listings, division):
    """``(status, listing, reason)`` of an agency-year without a report."""
    holding = [entry for entry in listings if agency_id in entry["agencies"]
               and (len(entry["years"]) > 1 or year in entry["years"])]
    after = [entry for entry in holding if entry["listed_at"] and entry["listed_at"][:10] > due.isoformat()]
    proof = [entry for entry in after if entry["complete"] == 1]
    if proof:
        listing = proof[-1]
        unread = _unread_record(listing, agency_id, year, division)
        if unread:
            return "unknown", listing, unread
        return "missing", listing, (f"not in the list {listing['url']} read complete ({listing['found']} records) "
                                     f"on {listing['listed_at'][:10]}, after the deadline {due.isoformat()}")
    if after:
        listing = after[-1]
        if listing["complete"] == 0:
            detail = f": {listing['detail']}" if listing["detail"] else ""
            return "unknown", listing, (f"list incomplete: {listing['found']} of {listing['announced'] or '?'} records "
                                        f"found at {listing['url']}{detail}")
        return "unknown", listing, f"the list {listing['url']} announces no total: its completeness is not proven"
    if holding:
        listing = holding[-1]
        return "unknown", listing, (f"its list {listing['url']} was last read on {(listing['listed_at'] or '?')[:10]}, "
                                    f"before the deadline {due.isoformat()}")
    return "unknown", None, "no list holding its reports was crawled"


def build(db):
    """Recompute agencies, aliases, agency-years and versions; returns the coverage totals."""
    rows = _rows(db)
    grouped = _group(rows)
    today = datetime.fromisoformat(now()).date()
    report_of_url = _report_of_url(db)
    agency_of_report = {r.report_id: agency_id for agency_id, a in grouped.items() for r in a.reports}
    year_of_report = {r.report_id: r.year for r in rows}
    listings = _listings(db, report_of_url, agency_of_report, year_of_report)
    capture_of_listing = {}
    for listing in listings:
        found = db.execute("SELECT capture_id FROM captures WHERE run_id = ? AND url = ? ORDER BY capture_id LIMIT 1",
                           [listing["run_id"], listing["url"]]).fetchone()
        capture_of_listing[listing["listing_id"]] = found[0] if found else None
    agency_rows, alias_rows, year_rows, version_rows, links = [], [], [], [], {}
    for agency_id, agency in sorted(grouped.items()):
        key, reports = agency.key, agency.reports
        where = dict(agencies.place(key), kind=key.kind, level=key.level)
        by_year = {}
        for row in reports:
            if row.year:
                by_year.setdefault(row.year, []).append(row)
            links[row.report_id] = (agency_id, 1 if not row.year else 0, where)
        latest = max(reports, key=lambda r: (r.year or 0, *_order(r)))
        hosts = sorted({urlsplit(r.url).netloc for r in reports if r.url})
        source = ", ".join(hosts) or "files"
        years = sorted(by_year)
        parent = key.parent()
        agency_rows.append({
            "agency_id": agency_id, "canonical_name": agencies.canonical_name(key), "name": latest.agency,
            "kind": key.kind, "level": key.level, "division_code": key.division or None, "province": where["province"],
            "city": where["city"], "region": where["region"],
            "parent_id": parent.id if parent is not None and parent.id in grouped and parent.id != agency_id else None,
            "source": source, "n_reports": len(reports), "first_year": years[0] if years else None,
            "last_year": years[-1] if years else None})
        alias_rows += _aliases(agency_id, agency)
        if not years:
            continue
        last_due = max((y for y in range(years[0], today.year) if deadline_for(y, key.kind) < today), default=None)
        for year in range(years[0], max(years[-1], last_due or years[-1]) + 1):
            due = deadline_for(year, key.kind)
            row = {"agency_id": agency_id, "year": year, "deadline": due.isoformat(), "source": source,
                   "on_time": None, "current_report_id": None, "n_versions": 0, "versions": "[]",
                   "evidence_listing_id": None, "evidence_capture_id": None, "reason": None}
            if year in by_year:
                versions = _versions(db, agency_id, year, by_year[year])
                version_rows += versions
                current = _current(by_year[year])
                links[current.report_id] = (agency_id, 1, where)
                first = min(by_year[year], key=_order)
                row.update(status="published", current_report_id=current.report_id, n_versions=len(versions),
                           versions=json.dumps([v["report_id"] for v in versions]), on_time=_on_time(first, due))
            elif due >= today:
                continue  # not due yet
            else:
                status, listing, reason = _status(agency_id, year, due, listings, key.division or None)
                row.update(status=status, reason=reason)
                if status == "missing":
                    row.update(evidence_listing_id=listing["listing_id"],
                               evidence_capture_id=capture_of_listing.get(listing["listing_id"]))
            year_rows.append(row)
    db.replace_agencies(agency_rows, alias_rows, year_rows, version_rows, links)
    return coverage_totals(year_rows)


def _aliases(agency_id, agency):
    """Every name the agency published under, with its years; a name it had before a stated
    rename carries the year of the rename and the report that states it."""
    renamed = {}
    for old_id, old_name, year, rid in sorted(agency.renames, key=lambda r: r[2] or 0):
        renamed.setdefault(old_id, (old_name, year, rid))
    names = {}
    for row in agency.reports:
        names.setdefault(row.agency, (row.key.id, []))[1].append(row.year)
    rows, used = [], set()
    for name, (key_id, years) in sorted(names.items()):
        years = [y for y in years if y]
        alias = {"name": name, "agency_id": agency_id, "first_year": min(years, default=None),
                 "last_year": max(years, default=None), "renamed_in": None, "evidence_report_id": None}
        if key_id in renamed:
            _, alias["renamed_in"], alias["evidence_report_id"] = renamed[key_id]
            used.add(key_id)
        rows.append(alias)
    for key_id, (old_name, year, rid) in sorted(renamed.items()):
        if key_id not in used and old_name not in names:  # a former name no archived report was published under
            rows.append({"name": old_name, "agency_id": agency_id, "first_year": None, "last_year": None,
                         "renamed_in": year, "evidence_report_id": rid})
    return rows


def _on_time(first, due):
    """1 when the report was published (or first fetched) by its deadline, 0 when published after."""
    if first.published:
        return int(first.published[:10] <= due.isoformat())
    if first.fetched_at and first.fetched_at[:10] <= due.isoformat():
        return 1
    return None


def coverage_totals(year_rows):
    """``{expected, published, missing, unknown}`` over agency-years that were due."""
    totals = {"expected": len(year_rows), "published": 0, "missing": 0, "unknown": 0}
    for row in year_rows:
        totals[row["status"]] += 1
    return totals


def coverage(db):
    """The coverage totals of the archive as stored."""
    return coverage_totals(list(db.query("SELECT status FROM agency_years")))
