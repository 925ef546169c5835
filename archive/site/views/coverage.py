"""``/-/coverage``: expected agency-years against found ones, per source, agency and year, with
the evidence of every ``missing`` (the complete listing and its capture) and the reason of every
``unknown``. Filters: ``?source=…&province=…&city=…&kind=…&status=…``."""

from . import filters, parameter

_FILTERS = ("source", "province", "city", "region", "kind", "level")
AGENCY_LIMIT = 500  # agencies drawn in the grid at once; filters narrow the rest


async def coverage(datasette, request):
    from datasette.utils import tilde_encode
    from datasette.utils.asgi import Response

    db = datasette.get_database()
    where, params = filters(request, _FILTERS, "g")
    status = parameter(request, "status")
    if status:
        where.append("g.agency_id IN (SELECT agency_id FROM agency_years WHERE status = :status)")
        params["status"] = status
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    years_rows = (await db.execute(
        f"SELECT y.*, l.url AS listing_url, l.listed_at, l.found AS listing_found FROM agency_years y "
        f"JOIN agencies g ON g.agency_id = y.agency_id LEFT JOIN listings l ON l.listing_id = y.evidence_listing_id "
        f"{clause}", params)).rows
    totals = {"expected": 0, "published": 0, "missing": 0, "unknown": 0, "late": 0}
    by_source = {}
    cells = {}
    for row in years_rows:
        totals["expected"] += 1
        totals[row["status"]] += 1
        totals["late"] += row["on_time"] == 0
        source = by_source.setdefault(row["source"], {"source": row["source"], "agencies": set(), "expected": 0,
                                                      "published": 0, "missing": 0, "unknown": 0})
        source["agencies"].add(row["agency_id"])
        source["expected"] += 1
        source[row["status"]] += 1
        cells[(row["agency_id"], row["year"])] = dict(row)
    n_agencies = (await db.execute(f"SELECT count(*) FROM agencies g {clause}", params)).single_value()
    agencies = [dict(r) for r in (await db.execute(
        f"SELECT g.* FROM agencies g {clause} ORDER BY g.source, g.province, g.city, g.canonical_name LIMIT {AGENCY_LIMIT}",
        params)).rows]
    for agency in agencies:
        agency["href"] = datasette.urls.table(db.name, "agencies") + "/" + tilde_encode(agency["agency_id"])
    listings_url = datasette.urls.table(db.name, "listings")
    years = sorted({year for _, year in cells})
    context = {
        "filters": dict(params), "totals": totals, "years": years, "cells": cells, "agencies": agencies,
        "n_agencies": n_agencies, "limit": AGENCY_LIMIT,
        "listings_url": listings_url, "database_url": datasette.urls.database(db.name),
        "sources": [dict(s, agencies=len(s["agencies"])) for s in sorted(by_source.values(), key=lambda s: s["source"] or "")],
    }
    return Response.html(await datasette.render_template("nianbao_coverage.html", context, request=request))
