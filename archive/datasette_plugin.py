"""Datasette plugin of the archive: Chinese-aware search for Datasette's own search box and API.

Datasette searches a table through its FTS table with ``escape_fts(:search)``; this plugin
replaces that SQL function so that a query is turned into the bigram phrases the archive's
FTS table is built from (archive.search).
"""

from datasette import hookimpl

from .search import fts_query


@hookimpl(trylast=True)  # after Datasette's own escape_fts, so this one is the one in force
def prepare_connection(conn):
    conn.create_function("escape_fts", 1, fts_query)
