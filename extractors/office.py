"""Word and spreadsheet reports to blocks: DOCX (python-docx's XML), XLSX (openpyxl), XLS
(xlrd), and DOC/WPS through LibreOffice headless, converted to DOCX first."""

import io
import os
import shutil
import subprocess
import tempfile

from .blocks import Cell, Document, TableRow, TextLine
from .textnorm import clean

CONVERT_TIMEOUT = 120
MAX_SHEET_ROWS = 2000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class OfficeError(ValueError):
    """An office document that cannot be read."""


def parse_docx(data):
    """DOCX body in order: paragraphs as text lines, tables as rows (gridSpan -> colspan; the
    rest of a vMerge becomes an empty cell, so grid positions hold)."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises zipfile/KeyError/lxml errors on damage
        raise OfficeError(f"unreadable DOCX: {type(error).__name__}: {error}"[:300]) from error
    blocks = []
    table_no = 0
    for element in document.element.body.iterchildren():
        if element.tag == _W + "p":
            text = clean("".join(t.text or "" for t in element.iter(_W + "t")))
            if text:
                blocks.append(TextLine(text))
        elif element.tag == _W + "tbl":
            table_no += 1
            blocks.extend(_docx_rows(element, table_no))
    return Document(blocks, "docx")


def _docx_rows(table, table_no):
    rows = []
    for row_no, tr in enumerate(table.iter(_W + "tr"), start=1):
        cells = []
        for tc in tr.iterchildren(_W + "tc"):
            props = tc.find(_W + "tcPr")
            span = 1
            continued = False
            if props is not None:
                grid = props.find(_W + "gridSpan")
                if grid is not None:
                    span = int(grid.get(_W + "val") or 1)
                merge = props.find(_W + "vMerge")
                continued = merge is not None and merge.get(_W + "val") in (None, "continue")
            text = "" if continued else "".join(
                "".join(t.text or "" for t in p.iter(_W + "t")) for p in tc.iterchildren(_W + "p"))
            cells.append(Cell(clean(text), span))
        if cells:
            rows.append(TableRow(cells, table_no, row_no))
    return rows


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_xlsx(data):
    """Every sheet as a table; merged cells widen their first cell or stay empty below it."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:
        raise OfficeError(f"unreadable XLSX: {type(error).__name__}: {error}"[:300]) from error
    blocks = []
    for table_no, sheet in enumerate(book.worksheets, start=1):
        spans = {}
        covered = set()
        for merged in sheet.merged_cells.ranges:
            spans[(merged.min_row, merged.min_col)] = merged.max_col - merged.min_col + 1
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if (r, c) != (merged.min_row, merged.min_col) and r == merged.min_row:
                        covered.add((r, c))
        for r, row in enumerate(sheet.iter_rows(max_row=min(sheet.max_row, MAX_SHEET_ROWS)), start=1):
            cells = [Cell(clean(_cell_text(cell.value)), spans.get((r, c), 1))
                     for c, cell in enumerate(row, start=1) if (r, c) not in covered]
            if any(cell.text for cell in cells):
                # a sheet is a grid: a row with fewer labels pads its label columns on the left
                blocks.append(TableRow(cells, table_no, r, uniform=True))
    return Document(blocks, "xlsx")


def parse_xls(data):
    """Legacy Excel through xlrd, merged cells as in :func:`parse_xlsx`."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as error:
        raise OfficeError(f"unreadable XLS: {type(error).__name__}: {error}"[:300]) from error
    blocks = []
    for table_no, sheet in enumerate(book.sheets(), start=1):
        spans, covered = {}, set()
        for rlo, _rhi, clo, chi in sheet.merged_cells:
            spans[(rlo, clo)] = chi - clo
            covered.update((rlo, c) for c in range(clo + 1, chi))
        for r in range(min(sheet.nrows, MAX_SHEET_ROWS)):
            cells = [Cell(clean(_cell_text(sheet.cell_value(r, c))), spans.get((r, c), 1))
                     for c in range(sheet.ncols) if (r, c) not in covered]
            if any(cell.text for cell in cells):
                blocks.append(TableRow(cells, table_no, r + 1, uniform=True))
    return Document(blocks, "xls")


def convert_with_libreoffice(data, suffix, target="docx"):
    """Convert a DOC/WPS (or anything LibreOffice reads) to ``target`` bytes, bounded in time."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        raise OfficeError(f"{suffix} needs LibreOffice (soffice) to be read, and it is not installed")
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as work:
        source = os.path.join(work, "document." + suffix)
        with open(source, "wb") as f:
            f.write(data)
        try:
            subprocess.run(
                [office, "--headless", "--norestore", f"-env:UserInstallation=file://{work}/profile",
                 "--convert-to", target, "--outdir", work, source],
                capture_output=True, timeout=CONVERT_TIMEOUT, check=True,
            )
        except subprocess.TimeoutExpired as error:
            raise OfficeError(f"LibreOffice took longer than {CONVERT_TIMEOUT} s on this {suffix}") from error
        except subprocess.CalledProcessError as error:
            raise OfficeError(f"LibreOffice could not convert this {suffix}") from error
        converted = os.path.join(work, "document." + target)
        if not os.path.exists(converted):
            raise OfficeError(f"LibreOffice could not read this {suffix} file")
        with open(converted, "rb") as f:
            return f.read()


def parse_doc(data, suffix="doc"):
    doc = parse_docx(convert_with_libreoffice(data, suffix))
    doc.source_format = suffix
    return doc
