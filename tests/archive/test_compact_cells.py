"""The compact cell layout (archive.schema: cell_values, cell_notes, labels, the ``cells`` view):
every kind of cell reads back through the view exactly as it was written, an archive from
before the layout is moved into it on opening, and a cell costs what the layout promises."""

import gzip
import os
import shutil
import sqlite3

from archive.db import open_db

# Written down by hand: one cell of each kind the extractors produce, with everything a cell holds.
CELLS = [
    # a number, read from an HTML table: nothing to note
    {"code": "table3.new_received.natural_person", "value": 12, "raw": "12", "semantic": "number", "unit": "件",
     "label": "一、本年新收政府信息公开申请数量", "table": 2, "row": 3, "col": 1, "confidence": 1.0},
    # zero, same label (stored once)
    {"code": "table3.new_received.total", "value": 0, "raw": "0", "semantic": "zero", "unit": "件",
     "label": "一、本年新收政府信息公开申请数量", "table": 2, "row": 3, "col": 7, "confidence": 1.0},
    # a blank
    {"code": "table3.granted.natural_person", "value": None, "raw": "", "semantic": "blank", "unit": "件",
     "label": "（一）予以公开", "table": 2, "row": 6, "col": 1, "confidence": 1.0},
    # a mark: its text is noted
    {"code": "table3.granted.total", "value": None, "raw": "—", "semantic": "na_mark", "unit": "件",
     "label": "（一）予以公开", "table": 2, "row": 6, "col": 7, "confidence": 1.0},
    # thousands separator: the text differs from the digits
    {"code": "table2.regulations.valid", "value": 1234, "raw": "1,234", "semantic": "number", "unit": "件",
     "label": "规章", "table": 1, "row": 2, "col": 3, "confidence": 1.0},
    # a fee in 万元 with a fraction
    {"code": "table2.admin_fees.amount", "value": 0.35, "raw": "0.35", "semantic": "number", "unit": "万元",
     "label": "行政事业性收费", "table": 1, "row": 9, "col": 1, "confidence": 1.0},
    # missing: no text, no confidence
    {"code": "table4.review.corrected", "value": None, "raw": None, "semantic": "missing", "unit": "件",
     "label": None, "confidence": None},
    # read by OCR, on a page
    {"code": "table4.review.upheld", "value": 3, "raw": "3", "semantic": "number", "unit": "件",
     "label": "行政复议", "page": 4, "table": 1, "row": 2, "col": 1, "confidence": 0.8},
    # a plain-text table: a line, not a grid
    {"code": "table4.review.total", "value": 5, "raw": "5", "semantic": "number", "unit": "件",
     "label": "行政复议", "line": 88, "confidence": 1.0},
    # a unit other than the code's, and no unit at all
    {"code": "table4.lit_direct.total", "value": 7, "raw": "7", "semantic": "number", "unit": None,
     "label": "行政诉讼", "line": 90, "confidence": 1.0},
    # a row the format lacks, and a pre-2019 statistic with its period
    {"code": "extra.table3.local_row.total", "value": 2, "raw": "2", "semantic": "number", "unit": "件",
     "label": "其中：本地新增行", "table": 2, "row": 30, "col": 7, "confidence": 1.0},
    {"code": "pre.request.received", "value": 41, "raw": "41", "semantic": "number", "unit": "件",
     "label": "收到申请", "line": 12, "period": "annual", "confidence": 1.0},
    {"code": "pre.request.denied", "value": None, "raw": "无", "semantic": "text", "unit": "件",
     "label": "不予公开", "line": 13, "period": "cumulative", "confidence": 1.0},
]

VIEW_OF = {"table": "src_table", "row": "src_row", "col": "src_col", "line": "src_line", "page": "src_page"}


def report(sha, cells):
    return {"sha256": sha, "title": "某县人民政府2023年政府信息公开工作年度报告", "year": 2023, "era": "f2021",
            "cells": cells, "facts": [], "flags": [], "checks": {"pass": 0, "skip": 0}}


def expected_row(cell):
    row = {"code": cell["code"], "value": cell["value"], "raw": cell["raw"], "semantic": cell["semantic"],
           "unit": cell["unit"], "label": cell["label"], "period": cell.get("period"), "confidence": cell["confidence"]}
    row.update({column: cell.get(key) for key, column in VIEW_OF.items()})
    return row


def read_back(db, rid):
    columns = ["code", "value", "raw", "semantic", "unit", "label", "period", "confidence", *VIEW_OF.values()]
    return {r["code"]: {c: r[c] for c in columns}
            for r in db.query(f"SELECT {', '.join(columns)} FROM cells WHERE report_id = ?", [rid])}


def test_every_kind_of_cell_reads_back_through_the_view_as_written(tmp_path):
    db = open_db(str(tmp_path / "a.db"))
    rid = db.write_report(report("ab" * 32, CELLS))
    assert read_back(db, rid) == {c["code"]: expected_row(c) for c in CELLS}
    # the cells whose notes are implied have none: 1,234, 0.35, the mark, the OCR reading,
    # the unit-less one, the two pre-2019 ones (period) and the text
    noted = {r[0] for r in db.execute("SELECT k.code FROM cell_notes n JOIN cell_codes k USING (code_key)")}
    assert noted == {"table3.granted.total", "table2.regulations.valid", "table2.admin_fees.amount", "table4.review.upheld",
                     "table4.lit_direct.total", "pre.request.received", "pre.request.denied"}
    assert db.execute("SELECT count(*) FROM labels").fetchone()[0] == 9
    table_of = dict(db.execute("SELECT code, table_name FROM cell_codes WHERE eras IS NULL"))
    assert table_of == {"extra.table3.local_row.total": "table3", "pre.request.received": "pre", "pre.request.denied": "pre"}


def test_rewriting_a_report_replaces_its_cells_and_keeps_its_key(tmp_path):
    db = open_db(str(tmp_path / "a.db"))
    rid = db.write_report(report("cd" * 32, CELLS))
    other = db.write_report(report("ef" * 32, CELLS[:2]))
    key = db.execute("SELECT report_key FROM reports WHERE report_id = ?", [rid]).fetchone()[0]
    db.write_report(report("cd" * 32, CELLS[:3]), rid=rid)
    assert set(read_back(db, rid)) == {c["code"] for c in CELLS[:3]}
    assert set(read_back(db, other)) == {c["code"] for c in CELLS[:2]}
    assert db.execute("SELECT report_key FROM reports WHERE report_id = ?", [rid]).fetchone()[0] == key
    assert db.execute("SELECT count(*) FROM cell_notes").fetchone()[0] == 0


# An archive written by the release before the compact layout (commit 6c092d5, ``nianbao extract``
# of the two samples and two fixtures: HTML, plain text, pre-2019 periods, a merged column).
LEGACY = os.path.join(os.path.dirname(__file__), "archive-before-compact-cells.db.gz")
CELL_COLUMNS = ("report_id", "code", "table_name", "row_code", "col_code", "value", "unit", "semantic", "raw", "label",
                "period", "src_table", "src_row", "src_col", "src_line", "src_page", "confidence")


def test_an_archive_from_before_the_compact_layout_is_moved_into_it_when_opened(tmp_path):
    path = tmp_path / "old.db"
    with gzip.open(LEGACY) as packed, open(path, "wb") as out:
        shutil.copyfileobj(packed, out)
    with sqlite3.connect(path) as conn:
        before = sorted(conn.execute(f"SELECT {', '.join(CELL_COLUMNS)} FROM cells").fetchall(), key=repr)
        numbers_before = sorted(conn.execute("SELECT * FROM report_numbers").fetchall(), key=repr)
    assert len(before) == 528
    db = open_db(str(path))
    assert "cells" in db.view_names() and "cells" not in db.table_names()
    after = sorted(db.execute(f"SELECT {', '.join(CELL_COLUMNS)} FROM cells").fetchall(), key=repr)
    assert after == before
    assert sorted(db.execute("SELECT * FROM report_numbers").fetchall(), key=repr) == numbers_before
    db.close()
    assert sorted(open_db(str(path)).execute(f"SELECT {', '.join(CELL_COLUMNS)} FROM cells").fetchall(), key=repr) == before


def test_a_plain_cell_costs_its_key_value_label_and_position_only(tmp_path):
    """200 plain cells of a report fit in well under 8 KB (the layout's point): measured on the
    stored pages, not estimated."""
    db = open_db(str(tmp_path / "a.db"))
    codes = [r[0] for r in db.execute("SELECT code FROM cell_codes WHERE eras LIKE '%f2021%' ORDER BY code_key")][:200]
    for n in range(60):
        cells = [{"code": code, "value": (n * 7 + i) % 40, "raw": str((n * 7 + i) % 40),
                  "semantic": "zero" if (n * 7 + i) % 40 == 0 else "number", "unit": None, "label": f"第{i // 7}行",
                  "table": 2, "row": i // 7, "col": i % 7, "confidence": 1.0} for i, code in enumerate(codes)]
        for cell, (unit,) in zip(cells, db.execute("SELECT unit FROM cell_codes WHERE eras LIKE '%f2021%' ORDER BY code_key")):
            cell["unit"] = unit
        db.write_report(report(f"{n:064x}", cells))
    db.conn.execute("VACUUM")
    size = db.execute("SELECT sum(pgsize) FROM dbstat WHERE name = 'cell_values'").fetchone()[0]
    assert db.execute("SELECT count(*) FROM cell_notes").fetchone()[0] == 0
    assert size / 60 < 5000, size / 60
