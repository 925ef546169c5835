"""Chinese full-text search that works: CJK text indexed as overlapping character bigrams.

SQLite's tokenizers cannot split Chinese into words, and trigram search misses two-character
words (公开, 复议). Indexing every run of Chinese characters as its bigrams ("不予公开" ->
"不予 予公 公开") and searching a term as the phrase of its bigrams finds every document
containing the term, at any position, and no other.
"""

import re

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_TOKEN = re.compile(f"[{_CJK}]+|[0-9A-Za-z]+")
_QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')


def bigrams(text):
    """The indexable form of a text: CJK runs as bigrams, other words as they are."""
    out = []
    for token in _TOKEN.findall(text or ""):
        if _CJK_RUN.fullmatch(token):
            out.extend(token[i:i + 2] for i in range(max(len(token) - 1, 1)))
        else:
            out.append(token.lower())
    return " ".join(out)


def fts_query(query):
    """An FTS5 MATCH expression for a user's search: every term (or "quoted phrase") must
    occur; Chinese terms match as the phrase of their bigrams."""
    clauses = []
    for phrase, word in _QUERY_PART.findall(query or ""):
        tokens = bigrams(phrase or word).split()
        if tokens:
            clauses.append('"' + " ".join(t.replace('"', "") for t in tokens) + '"')
    return " ".join(clauses) or '""'
