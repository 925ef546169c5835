"""Extraction followed by validation: the full record of one document, as the archive keeps it."""

from .report import documents, extract, parse
from .blocks import UNCERTAIN
from .rereading import settle
from .rules import uncertain_cells, validate
from .spec import REPORT_TITLE


class NotAReport(ValueError):
    """The document was read but holds no annual-report title, table or statistic."""


def _read_again(images):
    """Further OCR readings of doubted cells, within the parser's bounds."""
    from .bounded import run_bounded
    from .ocr import reread

    return run_bounded(reread, images)


def process(data, source=None, header_charset=None, decoded=None):
    """Extract and validate one document; raise when it holds nothing of a report."""
    doc = parse(data, header_charset, decoded)
    report = extract(data, source, header_charset, decoded, doc=doc)
    titled = report["title"] and REPORT_TITLE.search(report["title"])
    if not titled and not any(c["value"] is not None for c in report["cells"]):
        raise NotAReport("no annual-report title, table or statistic found")
    settle(report, doc.cell_images, _read_again)
    flags, checks = validate(report)
    report["flags"] = flags
    report["checks"] = checks
    uncertain = uncertain_cells(flags)
    for cell in report["cells"]:
        if cell["code"] in uncertain and cell["confidence"] is not None:
            cell["confidence"] = min(cell["confidence"], UNCERTAIN)  # an identity it takes part in does not hold
    return report



def process_all(data, source=None, header_charset=None):
    """Each document in ``data`` (one, or the members of a zip bundle): ``(source, report or
    exception)``, so that one bad member does not lose the others."""
    for member_source, member in documents(data, source):
        try:
            yield member_source, process(member, member_source, header_charset)
        except Exception as error:  # noqa: BLE001 - reported per document by the caller
            yield member_source, error
