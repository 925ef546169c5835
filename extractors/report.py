"""One document in, one normalised report out: metadata, cells with provenance, facts."""

import hashlib
import io
import re

from . import agencies, filetypes, spec
from .blocks import TableRow, TextLine
from .decode import UNDECODABLE, replaced_count
from .html import parse_html
from .metadata import (
    era_for_year, find_agency, find_narrative_year, find_period, find_published, find_signed,
    find_title, find_year,
)
from .narrative import extract_facts
from .plaintext import parse_text
from .pre2019 import extract_pre2019
from .records import Cell, Report
from .tables import TableReader
from .textnorm import TRADITIONAL_SAMPLE, fold, has_lookalike, looks_traditional, to_simplified

EXTRACTOR_VERSION = "1"
BUNDLE_LIMITS = {"members": 50, "member_bytes": 100 * 1024**2, "total_bytes": 300 * 1024**2, "ratio": 200}


class UnsupportedDocument(ValueError):
    """A document whose form this extractor does not read."""


def sniff(data):
    """How a document is read: html, text, pdf, docx, xlsx, zip, doc, xls, rtf or image
    (extractors.filetypes says what it is)."""
    kind = filetypes.sniff(data)
    if kind in filetypes.IMAGES:
        return "image"
    if kind in ("rar", "7z"):
        raise UnsupportedDocument("RAR/7z archive: unpack it first")
    return "text" if kind == "binary" else kind


def documents(data, source=None, limits=BUNDLE_LIMITS):
    """``(source, bytes)`` of each document in ``data``: itself, or the members of a zip bundle
    (bounded: member count, sizes and compression ratio, against zip bombs)."""
    import zipfile

    if sniff(data) != "zip":
        yield source, data
        return
    try:
        bundle = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UnsupportedDocument(f"damaged zip file: {error}") from error
    with bundle:
        members = [m for m in bundle.infolist() if not m.is_dir()]
        if len(members) > limits["members"]:
            raise UnsupportedDocument(f"zip with {len(members)} files: more than {limits['members']}")
        total = 0
        for member in members:
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > limits["member_bytes"] or total > limits["total_bytes"] or ratio > limits["ratio"]:
                raise UnsupportedDocument(f"zip member {member.filename!r} expands too far (possible zip bomb)")
            name = _member_name(member)
            with bundle.open(member) as f:
                content = f.read(limits["member_bytes"] + 1)
            if len(content) > limits["member_bytes"]:
                raise UnsupportedDocument(f"zip member {name!r} is larger than it claims (possible zip bomb)")
            yield f"{source or ''}!{name}", content


def _member_name(member):
    if member.flag_bits & 0x800:
        return member.filename
    try:
        return member.filename.encode("cp437").decode("gb18030")  # Chinese Windows zips
    except (UnicodeEncodeError, UnicodeDecodeError):
        return member.filename


MAX_PAGE_BYTES = 8 * 1024**2  # a report page or text is well under 1 MB; parsed in-process, it is bounded by size


def parse(data, header_charset=None, decoded=None):
    """The :class:`Document` of one document of any supported form."""
    kind = sniff(data)
    if kind in ("html", "text") and len(data) > MAX_PAGE_BYTES:
        raise UnsupportedDocument(f"a {kind} document of {len(data) / 1024**2:.1f} MB, more than the "
                                  f"{MAX_PAGE_BYTES // 1024**2} MB a report page holds: not read")
    if kind == "html":
        return parse_html(data, header_charset, decoded)
    if kind == "text":
        return parse_text(data, header_charset, decoded)
    if kind == "zip":
        raise UnsupportedDocument("a zip bundle holds several documents: read it with documents()")
    from .bounded import run_bounded

    return run_bounded(_parse_binary, kind, data)


def preload_parsers():
    """Import the PDF and Word readers here, in a long-lived process: each bounded child that
    reads a file is forked from it and then starts with them, instead of importing them again
    for every file (about 50 ms a file; reading a farm report's PDF takes about 210). The OCR
    stack (numpy, scipy) loads on demand: a scan is rare, and it would add half a second to
    every worker's start."""
    import docx  # noqa: F401
    import pdfplumber  # noqa: F401

    from . import office, pdf  # noqa: F401


def _parse_binary(kind, data):
    from . import office, pdf

    if kind == "pdf":
        return pdf.parse_pdf(data)
    if kind == "docx":
        return office.parse_docx(data)
    if kind == "xlsx":
        return office.parse_xlsx(data)
    if kind == "xls":
        return office.parse_xls(data)
    if kind in ("doc", "rtf"):
        return office.parse_doc(data, kind)
    if kind == "image":
        from .ocr import read_image_bytes

        doc = read_image_bytes(data)
        doc.source_format = "image-ocr"
        return doc
    raise UnsupportedDocument(f"{kind} documents are not read")


def extract(data, source=None, header_charset=None, decoded=None, division_hint=None, doc=None):
    """Extract a report from the bytes of a document; ``decoded``: ``(text, encoding)`` of those
    bytes when they were decoded already (a crawled page: decoded once, as it was captured);
    ``division_hint``: the division code of the site it was found on, for names that alone are
    ambiguous (a township's, a 县 whose name recurs in other provinces); ``doc``: the document
    :func:`parse` made of the bytes, when the caller has it."""
    doc = doc or parse(data, header_charset, decoded)
    text = document_text(doc)
    folded = fold_lookalikes(doc, text)
    if simplify(doc) or folded:
        text = document_text(doc)
    reader = TableReader()
    reader.read(doc.blocks)
    lines = doc.text_lines()
    title = find_title(doc)
    period = find_period(lines)
    year = find_year(title, period, lines)
    agency = find_agency(doc, title)
    agency = agencies.without_former(agency)
    key = agencies.identify(agency, division_hint)
    where = agencies.place(key)
    former = agencies.former_name(title, lines[:8], key, division_hint)
    markers = reader.out.markers
    year_era = era_for_year(year)
    if markers["f2019"] or markers["f2021"]:
        era = "f2021" if markers["f2021"] > markers["f2019"] else "f2019"
    elif reader.out.found_tables and year_era in (None, "pre2019"):
        era = "f2019" if year is None or year < 2021 else "f2021"
    else:
        era = year_era
    reading = reader.resolve(era or "f2019")
    issues = reading.issues
    if era == "pre2019" and not reading.found_tables:
        cells = extract_pre2019(doc.blocks)
        issues = []  # look-alike rows of a statistics table are not a broken statutory table
    else:
        cells = _statutory_cells(reading, era)
    confidence = 0.5 if doc.source_format.endswith("-ocr") else 1.0  # OCR reads digits and labels less surely
    for cell in cells:
        if cell.semantic == "missing":
            cell.confidence = None
        elif cell.confidence is None:
            cell.confidence = confidence
    facts = extract_facts([(b.text, b.line) for b in doc.blocks if isinstance(b, TextLine)])
    lost = replaced_count(text)
    if lost:
        issues = issues + [{"kind": UNDECODABLE, "table": None, "row": None, "label": None,
                            "message": f"{lost} characters could not be decoded and were replaced by U+FFFD (the raw bytes are kept)"}]
    return Report(
        source=source, sha256=hashlib.sha256(data).hexdigest(), source_format=doc.source_format, encoding=doc.encoding,
        traditional=doc.traditional, folded=folded, title=title, agency=agency, agency_kind=key.kind if key else None,
        level=key.level if key else None, region=where["region"], province=where["province"], city=where["city"],
        division_code=where["division_code"], former_name=former[0] if former else None, year=year, era=era, year_era=year_era,
        era_markers=dict(markers), published=find_published(doc), signed=find_signed(lines),
        narrative_year=find_narrative_year(lines), stat_start=period[0] if period else None,
        stat_end=period[1] if period else None, headings=spec.sections_in(lines), cells=cells, facts=facts,
        issues=issues, repairs=reading.repairs, text=text, extractor_version=EXTRACTOR_VERSION,
    )


def document_text(doc):
    """The document as plain text in reading order (running text and table rows)."""
    return "\n".join(b.text if isinstance(b, TextLine) else " ".join(c.text for c in b.cells if c.text)
                     for b in doc.blocks)


def _rewrite(doc, change):
    """Apply ``change`` to every text of a document: blocks, cells, title, header, headings, metas."""
    for block in doc.blocks:
        if isinstance(block, TableRow):
            for cell in block.cells:
                cell.text = change(cell.text)
        else:
            block.text = change(block.text)
    doc.html_title = doc.html_title and change(doc.html_title)
    doc.header_text = change(doc.header_text)
    doc.headings = [change(h) for h in doc.headings]
    doc.meta = {k: change(v) for k, v in doc.meta.items()}


def fold_lookalikes(doc, text=None):
    """Fold look-alike characters (textnorm.fold) in every text of a document, once, before any
    pattern reads it; returns how many were folded. The document's bytes stay as they were.
    ``text``: the document's :func:`document_text`, which tells at once when there is nothing to fold."""
    if text is not None and not any(map(has_lookalike, (text, doc.html_title or "", doc.header_text, *doc.headings,
                                                        *doc.meta.values()))):
        return 0
    total = 0

    def folded(text):
        nonlocal total
        text, n = fold(text or "")
        total += n
        return text

    _rewrite(doc, folded)
    return total


def simplify(doc):
    """Rewrite a traditional-script document in simplified characters, once (SPEC D9); returns
    whether it did. Judged by the first 200 blocks and the page title, as far as
    :func:`looks_traditional` reads (its sample): blocks beyond that are not joined."""
    pieces, size = [], 0
    for block in doc.blocks[:200]:
        piece = block.text if isinstance(block, TextLine) else "".join(c.text for c in block.cells)
        pieces.append(piece)
        size += len(piece)
        if size >= TRADITIONAL_SAMPLE:
            break
    if not looks_traditional("".join(pieces) + (doc.html_title or "")):
        return False
    doc.traditional = True
    _rewrite(doc, to_simplified)
    return True


def _statutory_cells(reading, era):
    merged = any(code.endswith(".org_total_merged") for code in reading.cells) and not any(
        code.endswith(".org_business") for code in reading.cells)
    expected = spec.expected_codes(era, merged)
    out = []
    for code in expected:
        cell = reading.cells.get(code)
        out.append(_canonical(code, cell, era) if cell else Cell(code, unit=spec.unit_of(code, era)))
    expected = set(expected)
    for code, cell in reading.cells.items():
        if code not in expected:
            out.append(_canonical(code, cell, era))
    return out


_MONEY = ("万元", "元")


def _canonical(code, cell, era):
    """A cell read from a table, put in its code's canonical unit (in place: the reading is the
    extractor's own); the raw text keeps what was written (SPEC D4)."""
    unit = spec.unit_of(code, era) if code.startswith("table") else cell.unit
    value, written = cell.value, cell.unit
    if value is not None and written and written != unit and unit in _MONEY and written in _MONEY:
        value = value / 10000 if unit == "万元" else value * 10000
        value = round(value, 6)
        if float(value).is_integer():
            value = int(value)
        cell.value = value
    cell.unit = unit
    return cell
