"""A fetched page or API answer, decoded once: its text, parsed tree, links and JSON travel together.

Every part of the crawler that reads a response (the spider, the list mechanisms, the rendered
fallback) reads this object, so a page is decoded and parsed once however many readers it has.
"""

import json
import re
from dataclasses import dataclass, field

from extractors.decode import DecodeError, decode, header_charset

from . import discovery

_JSONP = re.compile(r"^\s*[\w$.]+\s*\(\s*(.*?)\s*\)\s*;?\s*$", re.S)


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

    @property
    def visible_text(self):
        """The page's text outside scripts and styles, whitespace collapsed."""
        def compute():
            if self.root is None:
                return ""
            parts = [t for t in self.root.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]")]
            return re.sub(r"\s+", " ", " ".join(parts)).strip()
        return self._once("visible", compute)

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
