"""archive.db.Archive: the one writer of the archive, table by table."""

from archive.db import open_db
from archive.records import Capture
from archive.schema import SCHEMA
from extractors.records import Flag


def test_every_table_of_the_schema_is_created(tmp_path):
    db = open_db(str(tmp_path / "a.db"))
    declared = {line.split()[5] for line in SCHEMA.splitlines() if line.startswith("CREATE TABLE IF NOT EXISTS")}
    assert declared <= set(db.table_names())
    assert {"operations", "source_state", "listings", "listing_items", "captures"} <= declared
    assert "report_numbers" in db.view_names()


def test_a_capture_is_written_from_its_record_and_annotated_later(tmp_path):
    db = open_db(str(tmp_path / "a.db"))
    capture_id = db.write_capture(Capture("http://x/a.html", run_id=1, status=200, outcome="ok", sha256="ab"))
    db.note_capture(capture_id, "not archived: no annual-report title")
    db.note_capture(capture_id, "second note")
    row = db["captures"].get(capture_id)
    assert (row["url"], row["status"], row["detail"]) == ("http://x/a.html", 200, "not archived: no annual-report title; second note")


def test_cross_report_flags_are_replaced_and_counted(tmp_path):
    db = open_db(str(tmp_path / "a.db"))
    db["reports"].insert({"report_id": "r1", "sha256": "s", "n_errors": 0, "n_warnings": 0})
    flag = Flag("X-DUP", "WARN", "all cells", "same numbers", [], 60, 60, 0)
    assert db.replace_flags(["X-DUP"], {"r1": [flag]}) == 1
    assert db.replace_flags(["X-DUP"], {"r1": [flag]}) == 1  # a fresh run replaces, never adds
    assert db["flags"].count == 1 and db["reports"].get("r1")["n_warnings"] == 1
    assert db.replace_flags(["X-DUP"], {}) == 0 and db["reports"].get("r1")["n_warnings"] == 0


def test_operations_and_source_state_are_kept(tmp_path):
    db = open_db(str(tmp_path / "a.db"))
    db.set_source_state("lanshan", "2024-02-05T04:00:00", {"reports": 3})
    db.set_source_state("lanshan", "2024-02-06T04:00:00", {"reports": 4})
    assert db.source_health("lanshan") == {"reports": 4} and db.source_health("other") is None
    db.record_operation({"started_at": "t", "sources": ["lanshan"], "alerts": [], "status": "finished"})
    assert next(db.query("SELECT sources, status FROM operations")) == {"sources": '["lanshan"]', "status": "finished"}


def test_a_listing_and_its_records_are_written_together(tmp_path):
    db = open_db(str(tmp_path / "a.db"))
    row = {"run_id": 3, "url": "http://x/nb/", "mechanism": "trs_static", "announced": 2, "found": 2, "pages_announced": 1,
           "pages_fetched": 1, "pages_failed": 0, "complete": 1, "detail": None, "referer": None}
    listing_id = db.write_listing(row, [("http://x/1", "a"), ("http://x/2", "b"), ("http://x/2", "b")])
    assert [r["url"] for r in db.listings_of_run(3)] == ["http://x/nb/"]
    assert db.execute("SELECT count(*) FROM listing_items WHERE listing_id = ?", [listing_id]).fetchone()[0] == 2
