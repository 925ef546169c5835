"""``/-/snapshots``: the published snapshots, listed with size and sha256, and their downloads."""

import json
import os

from ...snapshot import MANIFEST


def _snapshot_dir(datasette, db):
    config = datasette.plugin_config("nianbao") or {}
    beside = os.path.dirname(db.path or ".")
    if os.path.exists(os.path.join(beside, MANIFEST)):
        return beside  # a published current.db lives among its snapshots (nianbao run)
    return config.get("snapshots_dir") or os.path.join(beside, "snapshots")


def _snapshots(datasette, db):
    folder = _snapshot_dir(datasette, db)
    path = os.path.join(folder, MANIFEST)
    if not os.path.exists(path):
        return folder, []
    with open(path, encoding="utf-8") as f:
        return folder, [e for e in json.load(f) if os.path.exists(os.path.join(folder, e["file"]))]


async def snapshots_page(datasette, request):
    """``/-/snapshots``: every snapshot with its size and sha256, for download."""
    from datasette.utils.asgi import Response

    _, entries = _snapshots(datasette, datasette.get_database())
    return Response.html(await datasette.render_template("nianbao_snapshots.html", {"snapshots": list(reversed(entries))},
                                                         request=request))


async def snapshot_file(datasette, request):
    """``/-/snapshots/<file>``: one listed snapshot file (and nothing else from that folder)."""
    from datasette.utils.asgi import NotFound, Response

    folder, entries = _snapshots(datasette, datasette.get_database())
    name = request.url_vars["name"]
    if name not in {e["file"] for e in entries}:
        raise NotFound("no such snapshot")
    with open(os.path.join(folder, name), "rb") as f:
        body = f.read()
    return Response(body, content_type="application/vnd.sqlite3",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
