"""The site's hook implementations: Chinese-aware search, the pages' routes, menu links, links
in table cells.

Datasette searches a table through its FTS table with ``escape_fts(:search)``; the plugin
replaces that SQL function so that a query is turned into the bigram phrases the archive's
FTS table is built from (archive.search).
"""

from datasette import hookimpl

from ..search import fts_query


@hookimpl(trylast=True)  # after Datasette's own escape_fts, so this one is the one in force
def prepare_connection(conn):
    conn.create_function("escape_fts", 1, fts_query)


@hookimpl
def register_routes():
    from .views.charts import charts
    from .views.coverage import coverage
    from .views.feed import feed
    from .views.report import capture_view, report_page
    from .views.snapshots import snapshot_file, snapshots_page
    from .views import validated

    charts, coverage = validated(charts), validated(coverage)
    return [
        (r"^/-/report/(?P<report_id>[0-9a-f]{16})$", report_page),
        (r"^/-/capture/(?P<capture_id>\d+)$", capture_view),
        (r"^/-/snapshots$", snapshots_page),
        (r"^/-/snapshots/(?P<name>nianbao-[\w.-]+\.db)$", snapshot_file),
        (r"^/-/feed\.atom$", feed),
        (r"^/-/charts$", charts),
        (r"^/-/coverage$", coverage),
    ]


@hookimpl
def menu_links(datasette):
    return [{"href": "/-/charts", "label": "图表 Charts"}, {"href": "/-/coverage", "label": "覆盖 Coverage"},
            {"href": "/-/snapshots", "label": "快照 Snapshots"},
            {"href": "/-/feed.atom", "label": "Atom feed"}]


@hookimpl
def render_cell(row, value, column, table):
    """A report's title opens its report page; a capture id opens its archived bytes."""
    from markupsafe import Markup, escape

    if table == "reports" and column == "title" and value:
        return Markup(f'<a href="/-/report/{escape(row["report_id"])}">{escape(value)}</a>')
    if table == "captures" and column == "capture_id" and isinstance(value, int):
        return Markup(f'<a href="/-/capture/{value}">{value}</a>')
    return None
