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


REPLACEMENT = "\ufffd"  # what a byte sequence no encoding fits is decoded as
MAX_REPLACED = 16  # undecodable sequences a document may hold and still be read, however short
REPLACED_SHARE = 0.02  # ... or this share of its bytes: a footer in another encoding, a flipped byte
UNDECODABLE = "undecodable_bytes"  # the parse issue that records how many were replaced


def replaced_count(text):
    """How many characters of a decoded text stand for bytes that could not be decoded."""
    return text.count(REPLACEMENT)


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can recognise."""


def declared_charset(data, header_charset=None):
    """The charset a page claims: HTTP header first, then the first <meta> in the head."""
    if header_charset:
        return header_charset.lower()
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


_DECLARATION = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""",
                          re.I)


def declared_charsets(data):
    """``[(offset, charset)]`` of every declaration in a page's first 4 KB, in order: each
    ``<meta>`` charset and an XML declaration's encoding, lower-cased."""
    return [(m.start(), (m.group(1) or m.group(2)).decode("ascii").lower()) for m in _DECLARATION.finditer(data[:4096])]


def _normal(name):
    if not name:
        return None
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    return _ALIASES.get(name, name)


def _mostly_valid(text, replaced):
    """Whether a lenient decoding read far more characters beyond ASCII than it replaced."""
    beyond_ascii = sum(1 for ch in text if ord(ch) > 127) - replaced
    return beyond_ascii >= VALID_PER_REPLACED * max(replaced, 1)


VALID_PER_REPLACED = 8


def decode(data, header_charset=None):
    """Return ``(text, encoding)``.

    Order: BOM; strict UTF-8 (a GBK page almost never decodes as UTF-8 by chance, so this also
    repairs pages whose declaration lies); the declared charset; GB18030 (a superset of
    GB2312/GBK). A document none of them decodes strictly is decoded with replacements, when
    those are few (a UTF-8 page with a GBK footer, a damaged byte): UTF-8 when nearly all its
    text is valid UTF-8, else the declared charset: one bad sequence must not lose a report;
    the replacements are counted by the extractor
    (:func:`replaced_count`) and the raw bytes stay as they were. Only then charset-normalizer's
    guess. Declarations are hints, not facts.
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
    bound = max(MAX_REPLACED, len(data) * REPLACED_SHARE)
    lenient = []
    for name in candidates:
        try:
            return data.decode(name), name
        except UnicodeDecodeError as error:
            if error.start >= len(data) - 3:  # a truncated download cut a character in half
                return data.decode(name, errors="replace"), name
        text = data.decode(name, errors="replace")
        replaced = replaced_count(text)
        lenient.append((replaced, name, text))
        if name == "utf-8" and replaced <= bound and _mostly_valid(text, replaced):
            # Valid UTF-8 for nearly all its Chinese: UTF-8 with a footer in GBK or a damaged
            # byte, which GB18030 would also decode, as nonsense, without one error.
            return text, name
    # The declared charset with a few bad sequences next; GB18030, which decodes most
    # double-byte text, only when charset-normalizer recognises nothing better (Big5, Shift-JIS).
    stated = [option for option in lenient if option[1] == declared]
    if stated and stated[0][0] <= bound:
        return stated[0][2], declared
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    replaced, name, text = min(lenient, key=lambda option: option[0])
    if replaced <= bound:
        return text, name
    raise DecodeError(f"no text encoding fits these bytes ({replaced} undecodable sequences in {len(data)} bytes)")
