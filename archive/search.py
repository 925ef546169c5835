"""Chinese full-text search that works: CJK text indexed as overlapping character bigrams.

SQLite's tokenizers cannot split Chinese into words, and trigram search misses two-character
words (公开, 复议). Indexing every run of Chinese characters as its bigrams ("不予公开" ->
"不予 予公 公开") and searching a term as the phrase of its bigrams finds every document
containing the term, at any position, and no other.
"""

import operator
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
            # each character joined to the next, in C (a slice per bigram costs 30% more)
            out.extend(map(operator.add, token, token[1:]) if len(token) > 1 else (token,))
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


SNIPPET = 40  # characters either side of a match in a result's snippet
# Columns of a search result, in order.
RESULT_COLUMNS = ("report_id", "title", "agency", "year", "era", "province", "is_current", "n_errors", "n_warnings",
                  "matched", "snippet")


def _terms(query):
    return [phrase or word for phrase, word in _QUERY_PART.findall(query or "") if (phrase or word).strip()]


def snippet(text, terms, width=SNIPPET):
    """``(before, match, after)`` around the first place a term occurs in a text; None when none does."""
    text = text or ""
    places = [(text.find(t), t) for t in terms if t and text.find(t) >= 0]
    if not places:
        return None
    at, term = min(places)
    start, end = max(at - width, 0), min(at + len(term) + width, len(text))
    before = ("…" if start else "") + " ".join(text[start:at].split())
    after = " ".join(text[at + len(term):end].split()) + ("…" if end < len(text) else "")
    return before, text[at:at + len(term)], after


def search_reports(conn, query, limit=20, offset=0):
    """Reports matching a search, ranked: the agency's name matching first, then the title,
    then the versions that stand, then full-text relevance (bm25, title and agency weighted).
    Each result says where the term matched and carries a snippet of the text around it.

    Returns ``(total, results)``; ``results`` are dicts of :data:`RESULT_COLUMNS` with
    ``snippet`` a ``(before, match, after)`` triple or None."""
    terms = _terms(query)
    if not terms:
        return 0, []
    match = fts_query(query)
    where = " AND ".join(["r.agency LIKE ?"] * len(terms))
    title_where = " AND ".join(["r.title LIKE ?"] * len(terms))
    likes = [f"%{t}%" for t in terms]
    total = conn.execute("SELECT count(*) FROM reports_fts WHERE reports_fts MATCH ?", [match]).fetchone()[0]
    rows = conn.execute(
        f"SELECT r.report_id, r.title, r.agency, r.year, r.era, r.province, r.is_current, r.n_errors, r.n_warnings, "
        f"  coalesce(({where}), 0) AS in_agency, coalesce(({title_where}), 0) AS in_title, t.text "
        f"FROM reports_fts f JOIN reports r ON r.report_key = f.rowid LEFT JOIN texts t ON t.report_id = r.report_id "
        f"WHERE reports_fts MATCH ? "
        f"ORDER BY in_agency DESC, in_title DESC, coalesce(r.is_current, 1) DESC, bm25(reports_fts, 10.0, 10.0, 1.0), "
        f"r.year DESC LIMIT ? OFFSET ?", [*likes, *likes, match, limit, offset]).fetchall()
    results = []
    for row in rows:
        (report_id, title, agency, year, era, province, is_current, n_errors, n_warnings, in_agency, in_title, text) = row
        matched = "agency" if in_agency else "title" if in_title else "text"
        results.append(dict(zip(RESULT_COLUMNS, (report_id, title, agency, year, era, province, is_current, n_errors,
                                                 n_warnings, matched, snippet(text, terms) or snippet(title, terms)))))
    return total, results
