"""``/-/snapshots``: the published snapshots with size and sha256; their files (the SQLite
database and the Parquet files of its main tables); the manifest ``snapshots.json``, the
checksum list ``SHA256SUMS``, and stable URLs of the latest snapshot (``latest.db``,
``latest-text.db``, ``latest-<table>.parquet``).

Files are streamed from disk, never read whole into memory (a national snapshot is gigabytes),
and only files the manifest lists are served.
"""

import json
import os
import re

from ...snapshot import MANIFEST, files_of
from . import beside_db

SUMS = "SHA256SUMS"
_LATEST_PARQUET = re.compile(r"latest-(?P<table>\w+)\.parquet")
TYPES = {".db": "application/vnd.sqlite3", ".parquet": "application/vnd.apache.parquet"}


def _snapshot_dir(datasette, db):
    config = datasette.plugin_config("nianbao") or {}
    if os.path.exists(beside_db(db, MANIFEST)):
        return beside_db(db, "")  # a published current.db lives among its snapshots (nianbao run)
    return config.get("snapshots_dir") or beside_db(db, "snapshots")


def listed_snapshots(datasette, db):
    """``(folder, entries)``: the manifest's snapshots whose database file is present."""
    folder = _snapshot_dir(datasette, db)
    path = os.path.join(folder, MANIFEST)
    if not os.path.exists(path):
        return folder, []
    with open(path, encoding="utf-8") as f:
        return folder, [e for e in json.load(f) if os.path.exists(os.path.join(folder, e["file"]))]


async def snapshots_page(datasette, request):
    """``/-/snapshots``: every snapshot with its files, sizes and sha256, for download."""
    from datasette.utils.asgi import Response

    _, entries = listed_snapshots(datasette, datasette.get_database())
    return Response.html(await datasette.render_template("nianbao_snapshots.html", {"snapshots": list(reversed(entries))},
                                                         request=request))


async def snapshot_manifest(datasette, request):
    """``/-/snapshots.json`` (also under ``/-/snapshots/``) and ``/-/snapshots/SHA256SUMS``."""
    from datasette.utils.asgi import NotFound, Response

    folder, entries = listed_snapshots(datasette, datasette.get_database())
    if request.url_vars["name"] == SUMS:
        if not entries:
            raise NotFound("no snapshot yet")
        return Response.text("".join(f"{f['sha256']}  {f['file']}\n" for f in files_of(entries)))
    return Response.json(entries, headers={"Access-Control-Allow-Origin": "*"})


def _resolve(name, entries):
    """The listed file a requested name stands for (``latest…`` names the newest snapshot's)."""
    if not entries:
        return None
    latest = entries[-1]
    if name == "latest.db":
        return latest["file"]
    if name == "latest-text.db":
        return (latest.get("text") or {}).get("file")
    wanted = _LATEST_PARQUET.fullmatch(name)
    if wanted:
        return next((p["file"] for p in latest.get("parquet", ()) if p["table"] == wanted["table"]), None)
    return name if name in {f["file"] for f in files_of(entries)} else None


async def snapshot_file(datasette, request):
    """``/-/snapshots/<file>``: one listed file, streamed; ``latest.db``, ``latest-text.db`` and
    ``latest-<table>.parquet`` are the newest snapshot's, named in ``X-Snapshot-File``."""
    from datasette.utils.asgi import AsgiFileDownload, NotFound

    folder, entries = listed_snapshots(datasette, datasette.get_database())
    file = _resolve(request.url_vars["name"], entries)
    if file is None or not os.path.exists(os.path.join(folder, file)):
        raise NotFound("no such snapshot file")
    return AsgiFileDownload(os.path.join(folder, file), filename=file,
                            content_type=TYPES.get(os.path.splitext(file)[1], "application/octet-stream"),
                            headers={"X-Snapshot-File": file})
