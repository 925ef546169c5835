"""Bytes to text: the right encoding even when a page declares the wrong one (SITES.md §4.1)."""

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs"}


def header_charset(content_type):
    """The charset an HTTP ``Content-Type`` declares (w3lib's parsing and codec names), or None."""
    from w3lib.encoding import http_content_type_encoding

    return http_content_type_encoding(content_type or "") or None


def is_text_type(content_type):
    """Whether a ``Content-Type`` announces text worth decoding (pages, XML, JSON, scripts)."""
    content_type = (content_type or "").lower()
    return any(word in content_type for word in ("text", "html", "xml", "json", "javascript"))


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can recognise."""


def declared_charset(data, header_charset=None):
    """The charset a page claims: HTTP header first, then the first <meta> in the head."""
    if header_charset:
        return header_charset.lower()
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def _normal(name):
    if not name:
        return None
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    return _ALIASES.get(name, name)


def decode(data, header_charset=None):
    """Return ``(text, encoding)``.

    Order: BOM; strict UTF-8 (a GBK page almost never decodes as UTF-8 by chance, so this also
    repairs pages whose declaration lies); the declared charset; GB18030 (a superset of
    GB2312/GBK); then charset-normalizer's guess. Declarations are hints, not facts.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    if b"\x00" in data[:1024] and not data.startswith(b"%PDF"):
        raise DecodeError("binary data (NUL bytes), not a text document")
    candidates = ["utf-8"]
    declared = _normal(declared_charset(data, header_charset) or "")
    # A single-byte Western charset decodes any bytes, and on a Chinese government page it is
    # a template default, not a fact: try it only after the Chinese encodings.
    single_byte = declared and (declared.startswith(("iso8859", "cp125", "latin", "mac")) or declared == "ascii")
    if declared and not single_byte and declared not in candidates:
        candidates.append(declared)
    if "gb18030" not in candidates:
        candidates.append("gb18030")
    for name in candidates:
        try:
            return data.decode(name), name
        except UnicodeDecodeError as error:
            if error.start >= len(data) - 3:  # a truncated download cut a character in half
                return data.decode(name, errors="replace"), name
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DecodeError("no text encoding fits these bytes")
    return str(best), best.encoding
