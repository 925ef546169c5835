"""``/-/feed.atom``: an Atom feed of newly archived reports and new ERROR/WARN flags."""

import re
from xml.sax.saxutils import escape as _escape

from . import site_base

# Characters XML 1.0 forbids in a document: control bytes reach titles through extraction.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text):
    """Text as XML character data or attribute value: forbidden characters dropped, quotes escaped."""
    return _escape(_NOT_XML.sub("", str(text)), {'"': "&quot;", "'": "&apos;"})


async def feed(datasette, request):
    """``/-/feed.atom``: newly archived reports and new ERROR/WARN flags."""
    from datasette.utils.asgi import Response

    db = datasette.get_database()
    base = site_base(request)
    reports = (await db.execute(
        "SELECT report_id, title, agency, year, coalesce(fetched_at, published, '') AS at FROM reports "
        "ORDER BY rowid DESC LIMIT 50")).rows
    flags = (await db.execute(
        "SELECT f.report_id, f.rule, f.severity, f.message, r.title, coalesce(r.fetched_at, r.published, '') AS at "
        "FROM flags f JOIN reports r ON r.report_id = f.report_id WHERE f.severity IN ('ERROR', 'WARN') "
        "ORDER BY f.rowid DESC LIMIT 50")).rows
    entries = []
    for r in reports:
        entries.append(_entry(f"{base}/-/report/{r['report_id']}", f"report:{r['report_id']}",
                              f"{r['title'] or r['report_id']}", f"{r['agency'] or ''} {r['year'] or ''}", r["at"]))
    for f in flags:
        entries.append(_entry(f"{base}/-/report/{f['report_id']}", f"flag:{f['report_id']}:{f['rule']}",
                              f"{f['severity']} {f['rule']}: {f['title'] or f['report_id']}", f["message"], f["at"]))
    updated = max([r["at"] for r in reports] + [""]) or "1970-01-01T00:00:00+00:00"
    body = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>nianbao 年报 archive</title><id>{escape(base)}/</id><updated>{escape(_iso(updated))}</updated>"
            f'<link href="{escape(base)}/-/feed.atom" rel="self"/>' + "".join(entries) + "</feed>")
    return Response(body, content_type="application/atom+xml; charset=utf-8")


def _iso(value):
    value = value or "1970-01-01"
    return value if "T" in value else value + "T00:00:00+00:00"


def _entry(link, entry_id, title, summary, at):
    return (f"<entry><title>{escape(title)}</title><id>tag:nianbao,{escape(entry_id)}</id>"
            f'<link href="{escape(link)}"/><updated>{escape(_iso(at))}</updated><summary>{escape(summary or "")}</summary></entry>')
