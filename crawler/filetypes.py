"""What a downloaded file is, from its bytes and headers rather than its URL (SITES.md §3.4)."""

import re

from urllib.parse import unquote

MAGIC = (
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0", "ole"),
    (b"Rar!", "rar"),
    (b"{\\rtf", "rtf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpg"),
)
_ZIP_KINDS = ((b"word/", "docx"), (b"xl/", "xlsx"), (b"ppt/", "pptx"))


def sniff(body, filename=""):
    """A file type name: pdf, docx, xlsx, zip, doc, xls, wps, rar, html, ... or ``unknown``."""
    head = body[:8]
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    for magic, kind in MAGIC:
        if head.startswith(magic):
            if kind == "zip":
                for marker, office in _ZIP_KINDS:
                    if marker in body[:4096] or marker in body[-65536:]:
                        return office
                return "zip"
            if kind == "ole":
                return ext if ext in ("doc", "xls", "wps", "et", "ppt") else "doc"
            return kind
    if re.match(rb"\s*<", body[:64]) and re.search(rb"<html|<!doctype|<body|<div|<p", body[:2048], re.I):
        return "html"
    return "unknown"


def disposition_filename(value):
    """The file name of a Content-Disposition header, decoding RFC 5987, UTF-8 and raw GBK."""
    if not value:
        return None
    raw = value if isinstance(value, bytes) else value.encode("latin-1", "replace")
    match = re.search(rb"filename\*\s*=\s*([\w-]+)''([^;]+)", raw, re.I)
    if match:
        return unquote(match.group(2).decode("ascii", "replace"), encoding=match.group(1).decode() or "utf-8")
    match = re.search(rb'filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)', raw, re.I)
    if not match:
        return None
    name = (match.group(1) or match.group(2)).strip()
    for encoding in ("utf-8", "gb18030"):
        try:
            return unquote(name.decode(encoding))
        except UnicodeDecodeError:
            continue
    return name.decode("latin-1")



