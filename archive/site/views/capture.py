"""``/-/capture/<id>``: an archived copy. The page gives the capture's details (URL, time,
status, sha256, WARC file and offset), the text of the bytes as text, the page rendered in a
sandboxed frame that runs nothing, downloads of the original bytes and of the WARC record, and a
prominent note when the original URL no longer answers.

Bytes from government sites are never served as a live page: ``/raw`` carries a CSP sandbox
that forbids scripts, plugins and every fetch; ``/body`` and ``/warc`` are downloads.
"""

import os

from . import beside_db

GONE = ("not_found", "removed", "error", "timeout", "blocked")
TEXT_SHOWN = 2_000_000  # characters of a capture shown as text on the page
SANDBOX = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "Content-Security-Policy": "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"}


def _warc_path(datasette, db, capture):
    config = datasette.plugin_config("nianbao", database=db.name) or {}
    folder = config.get("warc_dir") or beside_db(db, "warc")
    return os.path.join(folder, os.path.basename(capture["warc_file"]))


def read_record(path, offset):
    """``(record bytes, body bytes)`` of the WARC record at ``offset``: the record as stored
    (gzip member and all) and the HTTP body it holds."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as f:
        f.seek(offset)
        records = ArchiveIterator(f)
        record = next(iter(records))
        body = record.content_stream().read()
        records.read_to_end(record)
        length = records.get_record_length()
        f.seek(offset)
        return f.read(length), body


async def _capture(datasette, request):
    from datasette.utils.asgi import NotFound

    db = datasette.get_database()
    capture = (await db.execute("SELECT * FROM captures WHERE capture_id = ?", [request.url_vars["capture_id"]])).first()
    if capture is None:
        raise NotFound("no such capture")
    return db, dict(capture)


async def _bytes(datasette, request):
    from datasette.utils.asgi import NotFound

    db, capture = await _capture(datasette, request)
    if not capture["warc_file"]:
        raise NotFound("no archived bytes for this capture")
    path = _warc_path(datasette, db, capture)
    if not os.path.exists(path):
        raise NotFound("the WARC file is not on this server")
    return capture, read_record(path, capture["warc_offset"])


async def capture_page(datasette, request):
    """``/-/capture/<capture_id>``: the details, the text and the sandboxed view of a capture."""
    from datasette.utils.asgi import Response

    db, capture = await _capture(datasette, request)
    latest = (await db.execute(
        "SELECT capture_id, outcome, status, fetched_at, detail FROM captures WHERE url = ? ORDER BY capture_id DESC LIMIT 1",
        [capture["url"]])).first()
    gone = dict(latest) if latest and latest["outcome"] in GONE and latest["capture_id"] != capture["capture_id"] else None
    if capture["outcome"] in GONE and not capture["warc_file"]:
        gone = None
    report = None
    if capture["report_id"]:
        report = (await db.execute("SELECT report_id, title FROM reports WHERE report_id = ?", [capture["report_id"]])).first()
    text, stored = None, False
    path = _warc_path(datasette, db, capture) if capture["warc_file"] else None
    if path and os.path.exists(path):
        stored = True
        if capture["encoding"]:
            text = read_record(path, capture["warc_offset"])[1].decode(capture["encoding"], "replace")[:TEXT_SHOWN]
    html_like = (capture["content_type"] or "").startswith(("text/html", "application/xhtml"))
    return Response.html(await datasette.render_template("nianbao_capture.html", {
        "capture": capture, "gone": gone, "report": dict(report) if report else None, "text": text, "stored": stored,
        "html_like": html_like, "database": db.name}, request=request))


async def capture_raw(datasette, request):
    """``/-/capture/<id>/raw``: the body as the site sent it, under a sandbox that runs nothing
    (for the page's framed view); text that is not HTML is served as plain text."""
    from datasette.utils.asgi import Response

    capture, (_, body) = await _bytes(datasette, request)
    kind = capture["content_type"] or ""
    if capture["encoding"]:
        text = body.decode(capture["encoding"], "replace")
        content_type = "text/html; charset=utf-8" if kind.startswith(("text/html", "application/xhtml")) else "text/plain; charset=utf-8"
        return Response(text, content_type=content_type, headers=SANDBOX)
    return Response(body, content_type="application/octet-stream", headers=dict(SANDBOX, **{
        "Content-Disposition": f'attachment; filename="capture-{capture["capture_id"]}"'}))


async def capture_body(datasette, request):
    """``/-/capture/<id>/body``: the original bytes, as a download."""
    from datasette.utils.asgi import Response

    capture, (_, body) = await _bytes(datasette, request)
    name = os.path.basename((capture["final_url"] or capture["url"]).split("?")[0].rstrip("/")) or "index"
    name = "".join(ch for ch in name if ch.isalnum() or ch in "._-")[:80] or "body"
    return Response(body, content_type="application/octet-stream", headers=dict(SANDBOX, **{
        "Content-Disposition": f'attachment; filename="capture-{capture["capture_id"]}-{name}"'}))


async def capture_warc(datasette, request):
    """``/-/capture/<id>/warc``: the capture's WARC record as stored, a valid WARC file by itself."""
    from datasette.utils.asgi import Response

    capture, (record, _) = await _bytes(datasette, request)
    suffix = ".warc.gz" if record[:2] == b"\x1f\x8b" else ".warc"
    return Response(record, content_type="application/warc", headers=dict(SANDBOX, **{
        "Content-Disposition": f'attachment; filename="capture-{capture["capture_id"]}{suffix}"'}))
