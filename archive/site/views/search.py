"""``/-/search?q=…``: reports ranked for a search (the agency's own reports first, then title
matches, then the text), each with a snippet of where the term matched; ``/-/search.json`` the
same results as JSON."""

from ...search import search_reports
from . import BadParameter, parameter

PER_PAGE = 20
MAX_PAGE = 500


def _page(request):
    raw = request.args.get("page") or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise BadParameter(f"?page= must be a whole number from 1 to {MAX_PAGE}")
    return int(raw)


async def search_page(datasette, request):
    from datasette.utils.asgi import Response

    query = parameter(request, "q") or ""
    page = _page(request)
    db = datasette.get_database()
    total, results = await db.execute_fn(lambda conn: search_reports(conn, query, PER_PAGE, (page - 1) * PER_PAGE))
    if request.url_vars.get("format") == "json":
        return Response.json({"query": query, "total": total, "page": page, "results": [
            dict(r, snippet="".join(r["snippet"]) if r["snippet"] else None, url=f"/-/report/{r['report_id']}")
            for r in results]})
    pages = (total + PER_PAGE - 1) // PER_PAGE
    return Response.html(await datasette.render_template("nianbao_search.html", {
        "q": query, "total": total, "results": results, "page": page, "pages": min(pages, MAX_PAGE),
        "database": db.name}, request=request))
