"""``/-/browse``: the archive by place, province → city → county (or district), each step with
its agencies, current reports, missing and unknown agency-years; the last step is the agency ×
year grid of ``/-/coverage`` for that place."""

from . import parameter

STEPS = (("province", "省级 Province"), ("city", "地级 City"), ("region", "县级 County / district"))


async def places(db, step, conditions, params):
    """The places one step down from a filter, with their agencies and agency-years by status."""
    clause = ("WHERE " + " AND ".join(conditions)) if conditions else ""
    return [dict(r) for r in (await db.execute(
        f"SELECT g.{step} AS place, count(DISTINCT g.agency_id) AS agencies, "
        f"  coalesce(sum(y.status = 'published'), 0) AS published, coalesce(sum(y.status = 'missing'), 0) AS missing, "
        f"  coalesce(sum(y.status = 'unknown'), 0) AS unknown "
        f"FROM agencies g LEFT JOIN agency_years y ON y.agency_id = g.agency_id {clause} "
        f"GROUP BY g.{step} ORDER BY agencies DESC, place", params)).rows]


async def browse(datasette, request):
    from datasette.utils.asgi import Response

    db = datasette.get_database()
    chosen, conditions, params = [], [], {}
    for name, _ in STEPS:
        value = parameter(request, name)
        if value is None:
            break
        chosen.append((name, value))
        conditions.append(f"g.{name} = :{name}")
        params[name] = value
    step = STEPS[len(chosen)] if len(chosen) < len(STEPS) else None
    rows = await places(db, step[0], conditions, params) if step else []
    return Response.html(await datasette.render_template("nianbao_browse.html", {
        "chosen": chosen, "step": step, "places": rows, "params": params, "database": db.name}, request=request))
