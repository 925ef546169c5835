"""The site's hook implementations: Chinese-aware search, the pages' routes, menu links, links
in table cells.

Datasette searches a table through its FTS table with ``escape_fts(:search)``; the plugin
replaces that SQL function so that a query is turned into the bigram phrases the archive's
FTS table is built from (archive.search). A snapshot's numbers are served with its text
database attached, so search reads ``reports_fts`` and ``texts`` as in a live archive.
"""

import re

from datasette import hookimpl

from ..exports import attach_text
from ..search import fts_query


@hookimpl(trylast=True)  # after Datasette's own escape_fts, so this one is the one in force
def prepare_connection(conn, database, datasette):
    conn.create_function("escape_fts", 1, fts_query)
    db = datasette.databases.get(database)
    if db is not None and db.path:  # a snapshot's numbers: its text and search beside it
        attach_text(conn, db.path, "immutable=1" if not db.is_mutable else "mode=ro")


@hookimpl
def register_routes():
    from .views.charts import chart_csv, chart_reports, charts
    from .views.coverage import coverage
    from .views.feed import feed
    from .views.browse import browse
    from .views.home import home
    from .views.search import search_page
    from .views.capture import capture_body, capture_page, capture_raw, capture_warc
    from .views.report import report_data, report_page
    from .views.rules import rule_page, rules_page
    from .views.snapshots import snapshot_file, snapshot_manifest, snapshots_page
    from .views import validated

    charts, coverage, browse, search_page, chart_csv, chart_reports = (validated(v) for v in (
        charts, coverage, browse, search_page, chart_csv, chart_reports))
    return [
        (r"^/$", home),
        (r"^/-/search(?:\.(?P<format>json))?$", search_page),
        (r"^/-/browse$", browse),
        (r"^/-/report/(?P<report_id>[0-9a-f]{16})$", report_page),
        (r"^/-/report/(?P<report_id>[0-9a-f]{16})\.(?P<format>json|csv)$", report_data),
        (r"^/-/capture/(?P<capture_id>\d+)$", capture_page),
        (r"^/-/capture/(?P<capture_id>\d+)/raw$", capture_raw),
        (r"^/-/capture/(?P<capture_id>\d+)/body$", capture_body),
        (r"^/-/capture/(?P<capture_id>\d+)/warc$", capture_warc),
        (r"^/-/rules$", rules_page),
        (r"^/-/rule/(?P<rule>[A-Z0-9-]{1,40})$", rule_page),
        (r"^/-/snapshots$", snapshots_page),
        (r"^/-/(?:snapshots/)?(?P<name>snapshots\.json)$", snapshot_manifest),
        (r"^/-/snapshots/(?P<name>SHA256SUMS)$", snapshot_manifest),
        (r"^/-/snapshots/(?P<name>(?:nianbao-[\w.-]+|latest(?:-\w+)?)\.(?:db|parquet))$", snapshot_file),
        (r"^/-/feed\.atom$", feed),
        (r"^/-/charts$", charts),
        (r"^/-/charts/(?P<chart>\w+)\.csv$", chart_csv),
        (r"^/-/charts/reports$", chart_reports),
        (r"^/-/coverage$", coverage),
    ]


@hookimpl
def menu_links(datasette):
    return [{"href": "/", "label": "首页 Home"}, {"href": "/-/browse", "label": "按地区 Browse"},
            {"href": "/-/rules", "label": "规则 Rules"}, {"href": "/-/charts", "label": "图表 Charts"}, {"href": "/-/coverage", "label": "覆盖 Coverage"},
            {"href": "/-/snapshots", "label": "快照 Snapshots"},
            {"href": "/-/feed.atom", "label": "Atom feed"}]


REPORT_ID_COLUMNS = ("report_id", "current_report_id", "previous_id", "replaces_id", "compared_report_id")
CAPTURE_ID_COLUMNS = ("capture_id", "evidence_capture_id", "listing_capture")
_REPORT_ID = re.compile(r"[0-9a-f]{16}")
_RULE_ID = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+")


@hookimpl
def render_cell(row, value, column, table):
    """Every report id (in tables, views and canned queries) opens its report page, a report's
    title too; a capture id opens the archived copy; a rule id its explanation."""
    from markupsafe import Markup, escape

    label = None
    if isinstance(value, dict):  # a foreign key Datasette expanded: its value and the label of the row it names
        value, label = value.get("value"), value.get("label")
    if table == "reports" and column == "title" and value:
        return Markup(f'<a href="/-/report/{escape(row["report_id"])}">{escape(value)}</a>')
    if column in REPORT_ID_COLUMNS and isinstance(value, str) and _REPORT_ID.fullmatch(value):
        after = f" {escape(label)}" if label and label != value else ""
        return Markup(f'<a href="/-/report/{value}">{value}</a>{after}')
    if column in CAPTURE_ID_COLUMNS and isinstance(value, int):
        return Markup(f'<a href="/-/capture/{value}">{value}</a>')
    if column in ("rule", "id") and table in (None, "flags", "rules") and isinstance(value, str) and _RULE_ID.fullmatch(value):
        return Markup(f'<a href="/-/rule/{value}">{value}</a>')
    return None


# The columns a reader looks at first, per table; the others follow in the table's order.
LEADING_COLUMNS = {
    "reports": ("title", "agency", "year", "n_errors", "n_warnings", "n_info", "era", "province", "city", "level",
                "agency_kind", "published", "is_current", "version", "n_values"),
    "flags": ("report_id", "severity", "rule", "scope", "lhs", "rhs", "delta", "message"),
    "report_numbers": ("agency", "year", "province", "city", "level", "agency_kind"),
}


def column_order(table, names):
    """Indexes of a table's displayed columns with its leading columns first (Datasette shows
    them in the table's order: report_id, sha256 and source would come first)."""
    lead = LEADING_COLUMNS.get(table, ())
    first = [names.index(name) for name in lead if name in names]
    return first + [i for i in range(len(names)) if i not in first]


@hookimpl
def extra_template_vars(table):
    return {"nianbao_order": lambda columns: column_order(table, [c["name"] for c in columns])}


@hookimpl
def extra_body_script(view_name):
    """On table pages, the column descriptions fold away under one line (they would push the
    rows below the fold); without script they stay open."""
    if view_name != "table":
        return None
    return ("document.querySelectorAll('dl.column-descriptions').forEach(function (dl) {"
            " var d = document.createElement('details'); d.className = 'column-descriptions-folded';"
            " var s = document.createElement('summary');"
            " s.textContent = '列说明 Column descriptions (' + dl.querySelectorAll('dt').length + ')';"
            " dl.parentNode.insertBefore(d, dl); d.appendChild(s); d.appendChild(dl); });")


@hookimpl
def asgi_wrapper(datasette):
    """``?_bom=1`` on any of Datasette's ``.csv`` answers prepends a UTF-8 byte-order mark, so
    Excel opens the Chinese text ungarbled (Datasette has no such option)."""
    from ..exports import BOM

    mark = BOM.encode("utf-8")

    def wrap(app):
        async def with_bom(scope, receive, send):
            if scope.get("type") != "http" or not scope.get("path", "").endswith(".csv") or \
                    not any(part in (b"_bom=1", b"bom=1") for part in (scope.get("query_string") or b"").split(b"&")):
                return await app(scope, receive, send)
            started = {"csv": False, "marked": False}

            async def send_marked(message):
                if message["type"] == "http.response.start":
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"]
                    started["csv"] = any(k.lower() == b"content-type" and b"text/" in v for k, v in headers)
                    message = dict(message, headers=headers)
                elif message["type"] == "http.response.body" and started["csv"] and not started["marked"]:
                    started["marked"] = True
                    body = message.get("body", b"")
                    if not body.startswith(mark):
                        message = dict(message, body=mark + body)
                await send(message)
            return await app(scope, receive, send_marked)
        return with_bom
    return wrap
