"""An archive whose writer was killed is still an archive (archive.db.refuse_foreign): when the
read-only look at it fails as SQLite fails on a WAL index only a writer can recover ("disk I/O
error"), a writing connection looks again; a foreign file is refused as before."""

import sqlite3

import pytest

from archive.db import NotAnArchive, open_db, refuse_foreign


@pytest.fixture
def read_only_fails(monkeypatch):
    """sqlite3.connect as a killed writer leaves it: every read-only connection errs."""
    real = sqlite3.connect
    calls = []

    def connect(target, *args, **kwargs):
        calls.append(str(target))
        if "mode=ro" in str(target):
            raise sqlite3.OperationalError("disk I/O error")
        return real(target, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    return calls


def test_an_archive_the_read_only_look_cannot_read_is_looked_at_again_and_accepted(tmp_path, read_only_fails):
    path = str(tmp_path / "archive.db")
    open_db(path).conn.close()
    refuse_foreign(path)  # no exception: it is an archive
    assert [c for c in read_only_fails if "mode=ro" in c] and [c for c in read_only_fails if "mode=rw" in c]


def test_a_foreign_database_is_still_refused_when_only_a_writer_can_read_it(tmp_path, read_only_fails):
    path = tmp_path / "notes.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (text)")
    conn.commit()
    conn.close()
    with pytest.raises(NotAnArchive, match="not a nianbao archive"):
        refuse_foreign(str(path))


def test_a_damaged_database_is_refused_with_its_reason(tmp_path):
    path = tmp_path / "archive.db"
    open_db(str(path)).conn.close()
    data = bytearray(path.read_bytes())
    data[16:100] = b"\xff" * 84  # the header's page size and formats: not readable
    path.write_bytes(bytes(data))
    with pytest.raises(NotAnArchive, match="left untouched"):
        refuse_foreign(str(path))
