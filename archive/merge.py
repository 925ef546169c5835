"""Archives written by crawler processes on several machines, folded into one.

Each machine writes its own archive and WARC files (a shared scrapy-redis frontier spreads the
work, so nothing is fetched twice); ``nianbao merge A.db B.db --into archive.db`` folds them
(:meth:`archive.db.Archive.merge_part`: content-derived ids make it idempotent; captures keep
their WARC file names), then reruns what spans reports: agencies, versions, agency-years and the
checks across reports.
"""

from .crossreport import run_cross_checks
from .db import open_db, refuse_foreign


def merge(parts, into):
    """Fold every archive of ``parts`` into the archive ``into`` (created if need be); returns
    ``{part: {table: rows added}}`` and the number of flags across reports."""
    for part in parts:
        refuse_foreign(part, must_exist=True)
    for part in parts:  # a part from an older release is brought to the current layout, as opening it does
        open_db(part).conn.close()
    db = open_db(into)
    added = {str(part): db.merge_part(part) for part in parts}
    across = run_cross_checks(db)
    db.conn.close()
    return added, across
