"""extractors.filetypes: one sniffer tells every kind of file apart by its bytes."""

import io
import zipfile

import pytest

from extractors.filetypes import sniff


def _zip(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for name in names:
            bundle.writestr(name, b"x")
    return buffer.getvalue()


@pytest.mark.parametrize("data, name, kind", [
    (b"%PDF-1.7\n", "", "pdf"),
    (b"  \n%PDF-1.4", "report.doc", "pdf"),  # the bytes win over the name
    (b"{\\rtf1\\ansi", "", "rtf"),
    (b"\x89PNG\r\n\x1a\n", "", "png"),
    (b"\xff\xd8\xff\xe0", "", "jpg"),
    (b"Rar!\x1a\x07\x00", "", "rar"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "年报.wps", "wps"),
    (b"\xd0\xcf\x11\xe0" + "W\x00o\x00r\x00k\x00b\x00o\x00o\x00k".encode("latin-1"), "", "xls"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "", "doc"),
    (b"<!DOCTYPE html><html><body>x</body></html>", "x.pdf", "html"),
    ("一、总体情况\n本年共收到申请3件。".encode("utf-8"), "", "text"),
    (b"\x00\x01\x02binary", "", "binary"),
])
def test_a_file_is_told_by_its_bytes(data, name, kind):
    assert sniff(data, name) == kind


def test_office_open_xml_is_told_by_its_members():
    assert sniff(_zip("[Content_Types].xml", "word/document.xml")) == "docx"
    assert sniff(_zip("[Content_Types].xml", "xl/workbook.xml")) == "xlsx"
    assert sniff(_zip("年报.pdf", "说明.txt")) == "zip"


def test_a_truncated_docx_is_still_a_docx():
    data = _zip("[Content_Types].xml", "word/document.xml")
    assert sniff(data[:len(data) // 2]) == "docx"
