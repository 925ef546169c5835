"""What a document or downloaded file is, from its bytes (and a file name's extension as a hint
where the bytes cannot tell): one sniffer for the crawler and the extractors (SITES.md §3.4).

Kinds: ``pdf``, ``docx``, ``xlsx``, ``pptx``, ``zip``, ``doc``, ``xls``, ``wps``, ``et``, ``ppt``,
``rtf``, ``png``, ``jpg``, ``gif``, ``tiff``, ``rar``, ``7z``, ``html``, ``text``, ``binary``.
"""

import io
import re
import zipfile

IMAGES = ("png", "jpg", "gif", "tiff")
_MAGIC = (
    (b"%PDF", "pdf"), (b"{\\rtf", "rtf"), (b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpg"), (b"GIF8", "gif"),
    (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"), (b"Rar!", "rar"), (b"7z\xbc\xaf", "7z"),
)
_ZIP_MEMBERS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"), ("ppt/presentation.xml", "pptx"))
_ZIP_MARKERS = ((b"word/", "docx"), (b"xl/", "xlsx"), (b"ppt/", "pptx"))
# OLE compound files: the stream that names the application; WPS/ET carry Word/Excel streams.
_OLE_STREAMS = (
    ("W\x00o\x00r\x00k\x00b\x00o\x00o\x00k".encode("latin-1"), "xls"),
    ("B\x00o\x00o\x00k\x00".encode("latin-1"), "xls"),
    ("W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t".encode("latin-1"), "doc"),
)
_OLE_EXTENSIONS = ("doc", "xls", "wps", "et", "ppt")
_HTML = re.compile(rb"<\s*(?:!doctype|html|head|body|table|p|div|meta|span|tr|td|br)\b", re.I)


def sniff(data, filename=""):
    """The kind of a document, from its bytes; ``filename`` only tells WPS/ET from Word/Excel."""
    head = data[:2048].lstrip()
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        if extension in _OLE_EXTENSIONS:
            return extension
        for marker, kind in _OLE_STREAMS:
            if marker in data[:65536] or marker in data[-65536:]:
                return kind
        return "doc"  # Kingsoft WPS files are OLE documents LibreOffice reads as Word
    if _HTML.search(data[:4096]):
        return "html"
    if b"\x00" in data[:1024]:
        return "binary"
    return "text"


def _zip_kind(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            names = set(bundle.namelist())
        for member, kind in _ZIP_MEMBERS:
            if member in names:
                return kind
        return "zip"
    except zipfile.BadZipFile:  # a truncated download: the local headers still name the parts
        for marker, kind in _ZIP_MARKERS:
            if marker in data[:4096] or marker in data[-65536:]:
                return kind
        return "zip"
