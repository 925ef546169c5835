"""The common shape every input form is reduced to: text lines and table rows in reading order."""

from dataclasses import dataclass, field


# How surely OCR read a cell (extractors.ocr), one scale for the reader, the rules and re-reading:
AGREED = 0.95  # reader and confirmer saw the same
PROVEN = 0.9  # the identities hold under this reading and break under every other
MAJORITY = 0.8  # two of three readers saw the same
DIGITS_AGREED = 0.6  # no general reading was a number; two digit-only readings agreed on one
UNSURE = 0.3  # no two readers agreed: the identities must choose, or a flag names the cell
UNCERTAIN = 0.25  # an identity the cell takes part in does not hold, after every reading was tried


@dataclass(slots=True)
class Cell:
    """One table cell as written: its text and how many grid columns/rows it covers."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    confidence: float = None  # OCR: how surely ``text`` was read (None: read from a text layer)
    readings: tuple = ()  # OCR: the other texts its readers saw, when they disagreed


@dataclass
class TableRow:
    """A row of a table. ``table`` and ``row`` count from 1 in document order (provenance).

    ``loose`` marks a row guessed from whitespace-separated text (PDF extraction): it is only
    trusted when its label names a known row.
    """

    cells: list
    table: int
    row: int
    line: int = None
    page: int = None
    loose: bool = False
    uniform: bool = False  # every row of its table has the same number of cells
    outer_pipes: tuple = None  # text rows: (opens with a pipe, closes with a pipe)


@dataclass
class TextLine:
    """A line of running text (a paragraph, a heading); ``line`` is its line number in text input."""

    text: str
    line: int = None
    page: int = None


@dataclass
class Document:
    """A parsed document: blocks in reading order plus what its container said about it."""

    blocks: list
    source_format: str
    encoding: str = None
    html_title: str = None
    meta: dict = field(default_factory=dict)
    header_text: str = ""  # page text outside the article body (info line, breadcrumbs)
    traditional: bool = False  # the text was converted from traditional script
    headings: list = field(default_factory=list)  # h1-h3 and *title* elements of a page
    # OCR: each value cell's image by where it stood, ``(table, row, 1-based cell index)``, so a
    # cell an identity doubts can be read again (extractors.rereading)
    cell_images: dict = field(default_factory=dict)

    def text_lines(self):
        return [b.text for b in self.blocks if isinstance(b, TextLine)]
