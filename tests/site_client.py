"""The published site of an archive file, asked through Datasette's own ASGI client (a real
Datasette with the project's metadata and plugin, no port): what tests of pages use."""

import asyncio
import os

from datasette.app import Datasette

from archive.publish import checkpoint, metadata_for


def site_get(db_path, url, **kwargs):
    """The response of the site of ``db_path`` to a GET of ``url``."""
    checkpoint(str(db_path))
    datasette = Datasette([str(db_path)], immutables=[], metadata=metadata_for(str(db_path)))

    async def fetch():
        return await datasette.client.get(url, **kwargs)

    return asyncio.run(fetch())


SAMPLE_PAIR = ("jinghai-2019.txt", "shanghai-office-2019.html")  # a county office's text, a province's HTML


def write_samples(db, samples_dir, names=SAMPLE_PAIR):
    """Extract bundled samples into an open archive; ``{name: report_id}``."""
    from extractors.process import process

    ids = {}
    for name in names:
        with open(os.path.join(samples_dir, name), "rb") as f:
            ids[name] = db.write_report(process(f.read(), source=name))
    return ids
