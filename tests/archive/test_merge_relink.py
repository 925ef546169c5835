"""Merging a part again after its crawler linked more of its captures to reports
(archive.db.Archive.merge_part): the captures main already holds take the part's links, in one
statement, and a link main has is never replaced."""

from archive.db import open_db
from archive.records import Capture


def _capture(run_id, n, report_id=None):
    return Capture(url=f"http://127.0.0.1/files/{n}.pdf", run_id=run_id, final_url=f"http://127.0.0.1/files/{n}.pdf",
                   method="GET", kind="attachment", status=200, fetched_at=f"2026-12-03T10:00:{n:02d}+00:00",
                   sha256=f"{n:064x}", size=100 + n, warc_file="part-00000.warc.gz", warc_offset=1000 * n, outcome="ok",
                   report_id=report_id)


def _links(db):
    return dict(db.execute("SELECT url, report_id FROM captures ORDER BY url").fetchall())


def test_captures_merged_again_take_the_reports_their_part_linked_since(tmp_path):
    part = open_db(str(tmp_path / "part.db"))
    run = part.start_run(["http://127.0.0.1/"])
    ids = [part.write_capture(_capture(run, n)) for n in range(1, 6)]
    main = open_db(str(tmp_path / "main.db"))
    main.merge_part(str(tmp_path / "part.db"))
    assert set(_links(main).values()) == {None}

    part.link_capture(ids[0], "aaaaaaaaaaaaaaaa")  # its report page came later in the same crawl
    part.link_capture(ids[3], "dddddddddddddddd")
    main.link_capture(main.execute("SELECT capture_id FROM captures WHERE url LIKE '%/5.pdf'").fetchone()[0],
                      "eeeeeeeeeeeeeeee")  # linked in main already: kept
    part.link_capture(ids[4], "ffffffffffffffff")
    added = main.merge_part(str(tmp_path / "part.db"))

    assert added["captures"] == 0
    assert _links(main) == {
        "http://127.0.0.1/files/1.pdf": "aaaaaaaaaaaaaaaa",
        "http://127.0.0.1/files/2.pdf": None,
        "http://127.0.0.1/files/3.pdf": None,
        "http://127.0.0.1/files/4.pdf": "dddddddddddddddd",
        "http://127.0.0.1/files/5.pdf": "eeeeeeeeeeeeeeee",
    }
