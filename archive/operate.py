"""Unattended runs: crawl the sources that are due, publish a new snapshot only when the data
changed, record what the run did, and report what an operator should look at.

The sources (registry entries whose ``schedule`` is a list of crons) and the crawl (a callable
taking start URLs and returning a result with ``exit_code``, ``run_id`` and ``errors``) are handed
in: this module knows neither the registry's file nor the crawler.

A run holds a lock (``flock``: released by the kernel if the process dies, so a crash never
leaves it stuck). The site serves ``<publish dir>/current.db``, replaced atomically after a
complete snapshot, so a run interrupted half-way leaves the served archive as it was.
"""

import fcntl
import hashlib
import json
import os
import time
from datetime import datetime, timezone
from urllib.parse import urlsplit


from .agencies import coverage
from .exports import text_path
from .db import now, open_db
from .snapshot import snapshot

CURRENT = "current.db"
FLAG_JUMP = 2.0  # a source whose warnings per report more than double is reported


class RunLocked(RuntimeError):
    """Another run holds the lock."""


class Lock:
    def __init__(self, path):
        self.path = path
        self.handle = None

    def __enter__(self):
        self.handle = open(self.path, "a+")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            self.handle.close()
            raise RunLocked(f"another run holds {self.path}") from error
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def due_sources(db, sources, at):
    """Sources whose schedule fired since their last crawl (never crawled: due). Each source is
    due once however many fire times were missed, so catching up does not stampede."""
    from croniter import croniter

    last = {r["name"]: r["crawled_at"] for r in db.query("SELECT name, crawled_at FROM source_state")} \
        if "source_state" in db.table_names() else {}
    due = []
    for source in sources:
        previous_fire = max(croniter(expression, at).get_prev(datetime) for expression in source["schedule"])
        crawled = last.get(source["name"])
        if crawled is None or datetime.fromisoformat(crawled) < previous_fire:
            due.append(source)
    return due


def data_digest(db):
    """What the served data says, as a hash: reports, their numbers' fingerprints and flags."""
    digest = hashlib.sha256()
    for row in db.query("SELECT report_id, fingerprint, n_errors, n_warnings, n_info FROM reports ORDER BY report_id"):
        digest.update(json.dumps(list(row.values()), default=str).encode())
    for row in db.query("SELECT report_id, rule, scope FROM flags ORDER BY report_id, rule, scope"):
        digest.update(json.dumps(list(row.values())).encode())
    return digest.hexdigest()


def source_health(db, source):
    """Reports, capture outcomes and warnings per report of one source (by its hosts)."""
    hosts = {urlsplit(url).netloc for url in source["start_urls"]}
    clauses = " OR ".join("url LIKE ?" for _ in hosts)
    params = [f"%://{h}/%" for h in hosts]
    latest = "run_id = (SELECT max(run_id) FROM captures)"
    pages = db.execute(
        f"SELECT count(DISTINCT url) FROM captures WHERE ({clauses}) AND {latest} AND kind = 'detail' "
        "AND outcome IN ('ok', 'not_modified')", params).fetchone()[0]
    outcomes = {r["outcome"]: r["n"] for r in db.query(
        f"SELECT outcome, count(*) n FROM captures WHERE ({clauses}) AND {latest} GROUP BY outcome", params)}
    reports = list(db.query(f"SELECT n_warnings FROM reports WHERE {clauses}", params))
    warnings = sum(r["n_warnings"] or 0 for r in reports) / len(reports) if reports else 0
    return {"reports": pages, "outcomes": outcomes, "warnings_per_report": round(warnings, 3)}


def incomplete_lists(db, source, after_run):
    """An alert per list of the source's hosts that this run enumerated and found short."""
    if not db["listings"].exists():
        return []
    hosts = {urlsplit(url).netloc for url in source["start_urls"]}
    found = []
    for row in db.query("SELECT url, mechanism, announced, found, detail FROM listings WHERE run_id > ? AND complete = 0 "
                        "ORDER BY listing_id", [after_run]):
        if urlsplit(row["url"]).netloc in hosts:
            announced = row["announced"] if row["announced"] is not None else "?"
            found.append(f"{source['name']}: list {row['url']} incomplete ({row['mechanism']}): "
                         f"{row['found']} of {announced} records; {row['detail']}")
    return found


def alerts_for(name, before, after):
    """What changed for the worse between two health readings of a source."""
    found = []
    if before and before["reports"] > 0 and after["reports"] == 0:
        found.append(f"{name}: no report archived, {before['reports']} before")
    bad = sum(after["outcomes"].get(k, 0) for k in ("blocked", "not_found", "removed", "rate_limited", "timeout", "error",
                                                   "truncated", "discarded", "too_large"))
    good = after["outcomes"].get("ok", 0) + after["outcomes"].get("not_modified", 0)
    if bad and bad >= good:
        found.append(f"{name}: {bad} walls or missing pages against {good} pages fetched "
                     f"({', '.join(f'{k} {v}' for k, v in sorted(after['outcomes'].items()))})")
    if before and before["warnings_per_report"] and after["warnings_per_report"] > FLAG_JUMP * before["warnings_per_report"]:
        found.append(f"{name}: warnings per report jumped from {before['warnings_per_report']} to {after['warnings_per_report']}")
    return found


def run(db_path, publish_dir, sources, crawl, at=None, force=False):
    """One unattended run; returns its record (also stored in ``operations``)."""
    at = at or datetime.now(timezone.utc).replace(tzinfo=None)
    os.makedirs(publish_dir, exist_ok=True)
    with Lock(os.path.join(publish_dir, ".nianbao-run.lock")):
        db = open_db(db_path)
        sources = list(sources)
        due = sources if force else due_sources(db, sources, at)
        record = {"started_at": now(), "sources": [s["name"] for s in due], "alerts": [], "snapshot": None,
                  "status": "nothing due" if not due else "running", "stage_seconds": {}}
        stages = record["stage_seconds"]
        clock = time.perf_counter()
        before = {s["name"]: db.source_health(s["name"]) for s in due}
        reports_before = db["reports"].count
        last_run = db.execute("SELECT coalesce(max(run_id), 0) FROM runs").fetchone()[0] if db["runs"].exists() else 0
        if due:
            result = crawl(due)
            record["crawl_exit"] = result.exit_code
            if result.errors:
                record["errors"] = result.errors
            stages["crawl"], clock = round(time.perf_counter() - clock, 3), time.perf_counter()
            db = open_db(db_path)
            for source in due:
                health = source_health(db, source)
                record["alerts"].extend(alerts_for(source["name"], before.get(source["name"]), health))
                record["alerts"].extend(incomplete_lists(db, source, last_run))
                db.set_source_state(source["name"], at.isoformat(), health)
            # 3: the crawl finished with an incomplete list (an alert above, not a failure)
            record["status"] = "finished" if result.exit_code in (0, 3) else "crawl failed"
            stages["health"], clock = round(time.perf_counter() - clock, 3), time.perf_counter()
        record["reports_new"] = db["reports"].count - reports_before
        if due and db["captures"].exists():
            outcomes = dict(db.execute("SELECT coalesce(outcome, 'unknown'), count(*) FROM captures WHERE run_id > ? "
                                       "GROUP BY 1", [last_run]).fetchall())
            record["pages"] = sum(outcomes.values())
            record["outcomes"] = outcomes
            record["reports_changed"] = db.execute(
                "SELECT count(*) FROM reports WHERE previous_id IS NOT NULL AND capture_id IN "
                "(SELECT capture_id FROM captures WHERE run_id > ?)", [last_run]).fetchone()[0]
        if due:
            record["coverage"] = coverage(db)
        digest = data_digest(db)
        published = _published_digest(publish_dir)
        stages["digest"], clock = round(time.perf_counter() - clock, 3), time.perf_counter()
        if digest != published:
            entry = snapshot(db_path, publish_dir)
            _publish(publish_dir, entry, digest)
            record["snapshot"] = entry["file"]
            stages["snapshot"] = round(time.perf_counter() - clock, 3)
        record["finished_at"] = now()
        db.record_operation(record)
        return record


def _published_digest(publish_dir):
    path = os.path.join(publish_dir, "current.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f).get("digest")


def _publish(publish_dir, entry, digest):
    """Point ``current.db`` at a complete snapshot in one atomic rename."""
    pairs = [(entry["file"], CURRENT)]
    if entry.get("text"):  # the text first, so the numbers are never served without their search
        pairs.insert(0, (entry["text"]["file"], os.path.basename(text_path(CURRENT))))
    for file, served in pairs:
        staging = os.path.join(publish_dir, served + ".new")
        if os.path.exists(staging):
            os.remove(staging)
        os.link(os.path.join(publish_dir, file), staging)
        os.replace(staging, os.path.join(publish_dir, served))
    with open(os.path.join(publish_dir, "current.json.new"), "w", encoding="utf-8") as f:
        json.dump(dict(entry, digest=digest), f)
    os.replace(os.path.join(publish_dir, "current.json.new"), os.path.join(publish_dir, "current.json"))


def schedule(run_once, every_minutes=10, max_runs=None):
    """Call ``run_once`` (one :func:`run`) every few minutes with APScheduler, one at a time.

    Missed checks (the machine was down) are coalesced into one, and a run still going when the
    next check fires makes that check skip rather than queue (``max_instances=1``).
    """
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = BlockingScheduler()
    done = []

    def tick():
        try:
            done.append(run_once())
        except RunLocked:
            done.append(None)
        if max_runs and len(done) >= max_runs:
            scheduler.shutdown(wait=False)

    scheduler.add_job(tick, "interval", minutes=every_minutes, next_run_time=datetime.now(), coalesce=True,
                      max_instances=1, misfire_grace_time=every_minutes * 60)
    scheduler.start()
    return done
