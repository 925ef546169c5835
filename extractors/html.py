"""HTML pages and fragments to blocks: find the article body, read its text and its tables.

lxml only on this path: it parses malformed markup and is ~15x cheaper than BeautifulSoup.
"""

import re
from functools import lru_cache

import lxml.etree

from . import spec
from .blocks import Cell, Document, TableRow, TextLine
from .decode import decode, declared_charsets
from .textnorm import clean, read_value

_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dd dt dl section article header footer main blockquote pre "
    "center hr tr table tbody thead tfoot caption form address figure figcaption nav aside title".split()
)
_DROP_TAGS = ("script", "style", "noscript", "template", "select", "option", "button", "textarea", "iframe", "object")
# Article containers of the common government CMSs (SITES.md §3.2), most specific first.
_CONTAINERS = (
    "UCAP-CONTENT", "trs_editor_view", "TRS_UEDITOR", "TRS_Editor", "zoom", "Zoom", "zoomcon",
    "xxgk-content", "article-content", "detail-content", "pub-detail", "ivs_content", "Article_content",
    "main-txt", "tyxxy_main", "news_cont_d_wrap", "my_doccontent", "Custom_UnionStyle", "content-box",
)
# Plain etree elements: the HtmlElement class lookup of lxml.html costs more than the parse.
_PARSER = lxml.etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
_CONTAINER_RANK = {name: rank for rank, name in enumerate(_CONTAINERS)}


def _text_of(el):
    """All text inside an element (tostring in C is ~3x faster than XPath string())."""
    return lxml.etree.tostring(el, method="text", encoding="unicode", with_tail=False)


_SCORED = frozenset("p div span font li section article pre br".split())
_WHOLE_PAGE = re.compile(r"<\s*(?:html|body|head)\b", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.S)
_REPORT_TABLE_WORDS = spec.STATUTORY_TABLE_WORDS


class TooDeep(ValueError):
    """A page nested deeper than libxml2 parses (2048 levels) even without its wrappers."""


def parse_tree(text, whole=False, data=None):
    """The one HTML parse of the project (crawler and extractors alike): plain lxml elements,
    comments and processing instructions dropped; None for text without elements.

    libxml2 stops building the tree past 2048 nested elements and drops the rest without an
    exception (past 256 without ``huge_tree``): such a page is parsed again with its layout
    wrappers flattened (``div`` and its kin become line breaks, inline wrappers go), which keeps
    its text, lines and tables. ``whole``: raise :class:`TooDeep` when even that is cut.
    ``data``: the bytes ``text`` was decoded from; parsed instead of the text when libxml2 is
    sure to read them as the same text (:func:`_reads_as_decoded`), since lxml parses bytes
    10-20% faster than a Python string."""
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        return None
    root, cut = _parse(data if data is not None and _reads_as_decoded(data, text) else text)
    if cut:
        root, cut = _parse(_flatten(text))
        if cut and whole:
            raise TooDeep("the page nests its elements deeper than 2048 levels, tables included: it cannot be read whole")
    return root


_DEPTH_LIMIT = "Excessive depth"
_BLOCK_WRAPPERS = re.compile(r"</?(?:div|section|article|center|blockquote|main|aside|header|footer|nav)\b[^>]*>", re.I)
_INLINE_WRAPPERS = re.compile(r"</?(?:span|font|b|strong|em|i|u|small|big|label|o:p)\b[^>]*>", re.I)


def _reads_as_decoded(data, text):
    """Whether libxml2, reading ``data`` on its own, reads exactly ``text``: the bytes are
    strict UTF-8 (``text``, decoded from them as UTF-8, has no replacement) and every charset
    they declare says UTF-8, the first before any byte beyond ASCII (libxml2 reads what comes
    before a declaration as Latin-1)."""
    declared = declared_charsets(data)
    if not declared or any(name not in ("utf-8", "utf8") for _, name in declared):
        return False
    return data[:declared[0][0]].isascii() and "\ufffd" not in text


def _parse(text):
    """``(root or None, whether the parser cut the tree at its depth limit)``."""
    try:
        root = lxml.etree.fromstring(text, _PARSER)
    except (lxml.etree.LxmlError, ValueError):
        return None, False
    return root, any(_DEPTH_LIMIT in entry.message for entry in _PARSER.error_log)


def _flatten(text):
    return _INLINE_WRAPPERS.sub("", _BLOCK_WRAPPERS.sub("<br>", text))


def parse_html(data, header_charset=None, decoded=None):
    """Parse HTML bytes (or text) into a :class:`Document`; ``decoded``: ``(text, encoding)`` of
    the bytes when the caller has decoded them already."""
    if decoded is not None:
        text, encoding = decoded
    elif isinstance(data, bytes):
        text, encoding = decode(data, header_charset)
    else:
        text, encoding = data, None
    if not _XML_DECL.sub("", text, count=1).strip():
        raise ValueError("empty document")
    utf8 = data if isinstance(data, bytes) and encoding == "utf-8" else None
    root = parse_tree(text, whole=True, data=utf8)
    if root is None:
        raise ValueError("no HTML elements in the document")
    meta = {}
    for el in root.iter("meta"):
        name = el.get("name") or el.get("property") or el.get("http-equiv")
        if name and el.get("content"):
            meta.setdefault(name.strip(), el.get("content").strip())
    title_el = root.find(".//title")
    html_title = clean("".join(title_el.itertext())) if title_el is not None else None
    lxml.etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    # A fragment (the article's HTML as a CMS stores it) has no page around it to strip,
    # unless it carries navigation (many links).
    page_like = _WHOLE_PAGE.search(text[:4096]) or text.count("<a ") + text.count("<A ") > 15
    if page_like or "itle" in text:
        titled, containers = _marked_elements(root)
    else:  # no class or id can hold "title": the headings are the h1-h3 (most CMS fragments)
        titled, containers = list(root.iter("h1", "h2", "h3")), {}
    headings = [clean(_text_of(el)) for el in titled[:20]]
    body = article_body(root, containers) if page_like else root
    blocks = []
    _Walker(blocks).walk_root(body)
    header_text = ""
    if body is not root and body.tag != "body":
        header_text = clean(" ".join(_outside_text(root, body)))[:4000]
    return Document(blocks, "html", encoding, html_title, meta, header_text, headings=[h for h in headings if h])


def _outside_text(root, body):
    """Text of the page before the body (title block and info line live there)."""
    pieces = []
    for node in root.iter():
        if node is body:
            break
        if isinstance(node.tag, str) and node.tag not in ("head", "title", "meta"):
            if node.text:
                pieces.append(node.text)
            if node.tail:
                pieces.append(node.tail)
    return pieces


def _marked_elements(root):
    """``(title elements, {container name: first element})`` in one pass over the tree: the
    h1-h3 and the elements whose class or id says title, in document order, and the first
    element of each known CMS container class or id. (Two XPath scans cost twice this.)"""
    titled, containers = [], {}
    rank = _CONTAINER_RANK
    for el in root.iter():
        tag = el.tag
        if tag == "h1" or tag == "h2" or tag == "h3":
            titled.append(el)
            continue
        names, ident = el.get("class"), el.get("id")
        if names is None and ident is None:
            continue
        if (names and ("title" in names or "Title" in names)) or (ident and "title" in ident):
            titled.append(el)
        if names:
            for name in names.split():
                if name in rank:
                    containers.setdefault(name, el)
        if ident and ident in rank:
            containers.setdefault(ident, el)
    return titled, containers


def article_body(root, containers=None):
    """The element that holds the report: a known CMS container, else the densest text block.

    Whatever is chosen is widened to include every table that looks like a report table, so a
    body detected from the narrative never loses the tables.
    """
    body = None
    if containers is None:
        containers = _marked_elements(root)[1]
    for name in sorted(containers, key=_CONTAINER_RANK.get):
        if len(_text_of(containers[name])) > 200:
            body = containers[name]
            break
    if body is None:
        body = _densest(root)
    for table in root.iter("table"):
        if table.find(".//table") is None and _looks_like_report_table(table):
            body = _common_ancestor(body, table)
    return body


def _densest(root):
    """The element whose paragraphs (and their children's) carry the most non-link text."""
    scores = {}
    score = scores.get
    for el in root.iter(*_SCORED):
        if el.tag == "br":
            tail = el.tail
            n = len(tail.strip()) if tail else 0
        else:
            text = el.text
            n = len(text.strip()) if text else 0
            if len(el):  # iterating a childless element still costs a Python iterator
                for child in el:
                    tail = child.tail
                    if tail:
                        n += len(tail.strip())
        if n < 2:
            continue
        parent = el.getparent()
        if parent is None:
            continue
        scores[parent] = score(parent, 0) + n
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = score(grand, 0) + n / 2
    return max(scores, key=score) if scores else root


def _looks_like_report_table(table):
    text = _text_of(table)
    return any(word in text for word in _REPORT_TABLE_WORDS)


def _common_ancestor(a, b):
    ancestors = set(a.iterancestors())
    ancestors.add(a)
    for el in b.iterancestors():
        if el in ancestors:
            return el
    return b if b in ancestors else a.getroottree().getroot()


def _span_value(value):
    """A colspan or rowspan as written: 1 when absent or not a number, at most 1000."""
    if value is None or value == "1":
        return 1
    try:
        return max(1, min(int(value.strip() or 1), 1000))
    except ValueError:
        return 1


# Cell texts recur (zeros, the format's labels, across the reports of a crawl): cleaned once.
_cell_text = lru_cache(maxsize=16384)(clean)


class _Walker:
    """Emits blocks for an element tree in reading order."""

    def __init__(self, blocks):
        self.blocks = blocks
        self.buffer = []
        self.table_no = 0

    def flush(self):
        if self.buffer:
            text = clean("".join(self.buffer))
            self.buffer = []
            if text:
                self.blocks.append(TextLine(text))

    def walk_root(self, el):
        self.walk(el)
        self.flush()

    def walk(self, el):
        """Depth-first over ``el`` by lxml's iterwalk (in C, and with no recursion in Python, so
        no nesting depth the parser accepts exhausts Python's recursion limit)."""
        walker = lxml.etree.iterwalk(el, events=("start", "end"))
        for event, node in walker:
            tag = node.tag
            if event == "start":
                if tag == "table" and node.find(".//table") is None:
                    self.flush()
                    self.emit_table(node)
                    walker.skip_subtree()
                elif tag == "br":
                    self.flush()
                else:
                    if tag in _BLOCK_TAGS or tag == "td" or tag == "th":
                        self.flush()
                    if node.text:
                        self.buffer.append(node.text)
                continue
            if tag in _BLOCK_TAGS or tag == "td" or tag == "th":
                self.flush()
            if node.tail and node is not el:
                self.buffer.append(node.tail)

    def emit_table(self, table):
        """Emit a table's rows, keeping grid positions through rowspans.

        Value cells merged down a column are repeated in the rows they cover, so every row
        keeps its full count of values; merged label cells are not repeated (they still hold
        their grid columns), since the reader carries group labels down itself."""
        self.table_no += 1
        row_no = 0
        carried = {}  # grid column -> [rows left, cell, colspan]
        for tr in table.iter("tr"):
            cells = []
            column = 0
            for td in tr.iterchildren("td", "th"):
                while column in carried:
                    column = self._carry(carried, column, cells)
                text = _cell_text(_text_of(td) if len(td) else td.text or "")
                colspan, rowspan = td.get("colspan"), td.get("rowspan")
                if colspan is None and rowspan is None:
                    cell = Cell(text)
                else:
                    cell = Cell(text, _span_value(colspan), _span_value(rowspan))
                cells.append(cell)
                if cell.rowspan > 1:
                    carried[column] = [cell.rowspan - 1, cell, cell.colspan]
                column += cell.colspan
            for later in sorted(c for c in carried if c >= column):
                if later in carried:
                    self._carry(carried, later, cells)
            if cells:
                row_no += 1
                self.blocks.append(TableRow(cells, self.table_no, row_no))

    @staticmethod
    def _carry(carried, column, cells):
        """Place the cell merged down into ``column``; return the column after it."""
        entry = carried[column]
        if read_value(entry[1].text).is_value:
            cells.append(Cell(entry[1].text, entry[2], 1))
        entry[0] -= 1
        if entry[0] <= 0:
            del carried[column]
        return column + entry[2]
