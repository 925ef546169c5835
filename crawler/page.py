"""A fetched page or API answer, decoded once: its text, parsed tree, links and JSON travel together.

Every part of the crawler that reads a response (the spider, the list mechanisms, the rendered
fallback) reads this object, so a page is decoded and parsed once however many readers it has.
"""

import json
import re
from dataclasses import dataclass, field

from lxml import etree

from extractors.decode import DecodeError, decode, header_charset

from . import discovery

_JSONP = re.compile(r"^\s*[\w$.]+\s*\(\s*(.*?)\s*\)\s*;?\s*$", re.S)
# A page's text nodes, by the part they are read from, as plain strings: lxml's default "smart"
# strings, each able to find its parent, made the reading of a report page in the crawl twice as slow.
_TEXTS = {part: etree.XPath(path, smart_strings=False) for part, path in {
    "table": "//table//text()",
    "body": "//body//text()",
    "unscripted": "//body//text()[not(ancestor::script)]",
    "visible": "//body//text()[not(ancestor::script) and not(ancestor::style)]",
    "prose": "//body//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::a)]",
}.items()}


@dataclass
class Page:
    """The body of one answer and what can be read from it, computed on first use."""

    url: str
    body: bytes
    status: int = 200
    headers: dict = field(default_factory=dict)  # lower-case name -> value
    kind: str = ""  # how the crawl reached it: start, column, nav, list, api, detail, rendered
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_response(cls, response, kind=None):
        headers = {k.decode("latin-1").lower(): v[0].decode("latin-1") for k, v in response.headers.items() if v}
        page = cls(response.url, response.body, response.status, headers, kind or response.meta.get("kind", ""))
        decoded = response.meta.get("decoded")  # decoded once, as it was captured
        if decoded is not None:
            page._cache["decoded"] = decoded
        return page

    @property
    def charset(self):
        """The charset the HTTP header declares (a hint for decoding, not a fact)."""
        return header_charset(self.headers.get("content-type"))

    def _once(self, name, compute):
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    @property
    def decoded(self):
        """``(text, encoding)``, or ``(None, None)`` for bytes that are not text."""
        def compute():
            try:
                return decode(self.body, self.charset)
            except DecodeError:
                return None, None
        return self._once("decoded", compute)

    @property
    def text(self):
        return self.decoded[0]

    @property
    def root(self):
        """The parsed HTML tree (lxml), None for an empty or unparsable page."""
        return self._once("root", lambda: discovery.parse_html(self.text) if self.text else None)

    @property
    def links(self):
        """Every anchor of the page as :class:`crawler.discovery.Link`."""
        return self._once("links", lambda: discovery.links(self.root, self.url) if self.root is not None else [])

    @property
    def json(self):
        """The answer as JSON (JSONP unwrapped), or None when it is not JSON."""
        def compute():
            text = (self.text or "").strip()
            if not text or text[0] not in "{[":
                match = _JSONP.match(text)
                if not match:
                    return None
                text = match.group(1)
                if text.startswith(("'", '"')):  # JSONP wrapping a string (XML, HTML)
                    try:
                        return json.loads(text) if text.startswith('"') else text[1:-1]
                    except ValueError:
                        return None
            try:
                return json.loads(text)
            except ValueError:
                return None
        return self._once("json", compute)

    def texts(self, part):
        """The text nodes of one part of the page (a key of ``_TEXTS``: table, body, unscripted,
        visible, prose), in document order; none for a page without a tree."""
        return self._once("texts:" + part, lambda: _TEXTS[part](self.root) if self.root is not None else [])

    @property
    def has_table_cell(self):
        """Whether a table of the page has a ``td`` (without listing every cell, as ``//table//td`` does)."""
        return self._once("has_table_cell", lambda: self.root is not None and any(
            next(table.iter("td"), None) is not None for table in self.root.iter("table")))

    @property
    def visible_text(self):
        """The page's text outside scripts and styles, whitespace collapsed."""
        return self._once("visible", lambda: re.sub(r"\s+", " ", " ".join(self.texts("visible"))).strip())

    @property
    def scripts(self):
        """The text of every inline script, joined."""
        def compute():
            if self.root is None:
                return ""
            return "\n".join(s.text or "" for s in self.root.iter("script"))
        return self._once("scripts", compute)


def fragment_page(html, base, kind="api"):
    """A Page for an HTML fragment found inside another answer (jpage records, jpaas html)."""
    return Page(base, f"<html><body><div>{html}</div></body></html>".encode("utf-8"), 200,
                {"content-type": "text/html; charset=utf-8"}, kind)
