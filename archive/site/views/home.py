"""``/``: the front door. One search box over the reports, headline figures, the archive by
province (the first step of ``/-/browse``), the latest reports and flags, and visible links to
everything else: charts, canned queries, bulk data, coverage, the rules and their legend."""

from . import kept
from .browse import places
from .rules import SEVERITIES
from .snapshots import listed_snapshots

LATEST = 8


async def _figures(db):
    """The front door's figures: headline counts, provinces, the latest reports and flags."""
    one = (await db.execute(
        "SELECT count(*) AS reports, coalesce(sum(coalesce(is_current, 1)), 0) AS current, min(year) AS first_year, "
        "max(year) AS last_year, coalesce(sum(coalesce(is_current, 1) = 1 AND n_errors > 0), 0) AS with_errors, "
        "count(DISTINCT agency_id) AS agencies FROM reports")).first()
    years = {r["status"]: r["n"] for r in (await db.execute(
        "SELECT status, count(*) AS n FROM agency_years GROUP BY status")).rows}
    latest = [dict(r) for r in (await db.execute(
        "SELECT report_id, title, agency, year, n_errors, n_warnings, fetched_at FROM reports "
        "WHERE coalesce(is_current, 1) = 1 ORDER BY rowid DESC LIMIT ?", [LATEST])).rows]
    flags = []
    for severity in ("ERROR", "WARN"):  # the newest of each, through the severity index (no sort of every flag)
        if len(flags) == LATEST:
            break
        flags += [dict(r) for r in (await db.execute(
            "SELECT f.report_id, f.rule, f.severity, f.scope, r.title, r.agency, r.year, u.zh FROM flags f "
            "JOIN reports r ON r.report_id = f.report_id LEFT JOIN rules u ON u.id = f.rule "
            "WHERE f.severity = ? AND coalesce(r.is_current, 1) = 1 ORDER BY f.rowid DESC LIMIT ?",
            [severity, LATEST - len(flags)])).rows]
    return {"figures": dict(one), "years": years, "provinces": await places(db, "province", [], {}),
            "latest": latest, "flags": flags}


async def home(datasette, request):
    from datasette.utils.asgi import Response

    db = datasette.get_database()
    figures = await kept(db, "home", lambda: _figures(db))
    queries = await datasette.get_canned_queries(db.name, request.actor)
    _, snapshots = listed_snapshots(datasette, db)
    context = {
        **figures, "severities": SEVERITIES, "database": db.name,
        "queries": [{"name": name, "title": q.get("title") or name} for name, q in queries.items()],
        "snapshot": snapshots[-1] if snapshots else None,
    }
    return Response.html(await datasette.render_template("nianbao_home.html", context, request=request))
