"""``/-/report/<id>``: one report's three statutory tables in the official printed layout (every
heading of the form, from extractors.spec), its flags grouped by rule, its versions; and the same
report as ``.json`` and ``.csv``.

Everything shown comes from the archive's rows; text from government sites is only ever rendered
escaped (Jinja autoescape).
"""

import json
import re

from extractors import spec
from . import csv_response

# A report id inside a flag's message: the other report a cross-report check compared.
_REPORT_ID = re.compile(r"\b[0-9a-f]{16}\b")
SEVERITY_ORDER = {"ERROR": 0, "WARN": 1, "INFO": 2}
CELL_COLUMNS = ("code", "label", "value", "unit", "raw", "semantic", "table_name", "row_code", "col_code",
                "src_table", "src_row", "src_col", "src_line", "src_page", "confidence")


def _placed(row, cells, flagged):
    """A printed row with each of its value cells filled from the report's cells."""
    values = []
    for code, span in zip(row.codes, row.spans):
        cell = cells.get(code)
        values.append({
            "code": code, "span": span, "text": "" if cell is None else (cell["raw"] or ""),
            "value": None if cell is None else cell["value"], "unit": None if cell is None else cell["unit"],
            "semantic": "missing" if cell is None else cell["semantic"], "flags": flagged.get(code, []),
        })
    return {"headings": row.headings, "cells": values}


def layout(report, cells, flags):
    """The report's tables as printed rows (headings with their spans, value cells with the
    flags that read them), and the cells the form has no place for (local rows, subtotals)."""
    by_code = {c["code"]: c for c in cells}
    flagged = {}
    for flag in flags:
        for code in json.loads(flag["cells"] or "[]"):
            flagged.setdefault(code.split(":")[-1], []).append(flag)
    if report["era"] not in ("f2019", "f2021"):
        # Before 2019 there is no fixed form (SPEC §8): the figures found, in the document's order.
        order = {field: n for n, (field, _, _) in enumerate(spec.PRE2019_FIELDS)}
        found = sorted(cells, key=lambda c: (c["src_line"] is None, c["src_line"] or 0, order.get(c["code"], len(order))))
        return {"tables": None, "others": [dict(c, label=c["label"] or spec.label_of(c["code"])) for c in found],
                "form_era": report["era"]}
    era = report["era"]
    merged = any(c.endswith(".org_total_merged") for c in by_code) and not any(c.endswith(".org_business") for c in by_code)
    subtotals = {c.split(".")[1] for c in by_code if c.startswith("table3.") and c.split(".")[1].endswith("_subtotal")}
    forms = {"table2": spec.t2_form(era), "table3": spec.t3_form(era, merged, subtotals), "table4": spec.t4_form()}
    tables = {name: [_placed(row, by_code, flagged) for row in rows] for name, rows in forms.items()}
    placed = {code for rows in forms.values() for row in rows for code in row.codes}
    others = [dict(c, label=c["label"] or spec.label_of(c["code"])) for code, c in by_code.items() if code not in placed]
    return {"tables": tables, "others": others, "form_era": era}


def grouped_flags(flags, known_ids):
    """Flags grouped by rule (ERROR first), each scope named in Chinese, and the reports a
    cross-report flag compared linked by id."""
    groups = {}
    for flag in flags:
        group = groups.setdefault(flag["rule"], {"rule": flag["rule"], "severity": flag["severity"], "zh": flag["zh"],
                                                 "en": flag["en"], "spec": flag["spec"], "flags": []})
        group["flags"].append(dict(flag, scope_label=spec.scope_label(flag["scope"]),
                                   compared=[i for i in _REPORT_ID.findall(flag["message"] or "") if i in known_ids]))
    return sorted(groups.values(), key=lambda g: (SEVERITY_ORDER.get(g["severity"], 3), g["rule"]))


async def _report(datasette, request):
    from datasette.utils.asgi import NotFound

    rid = request.url_vars["report_id"]
    db = datasette.get_database()
    report = (await db.execute("SELECT * FROM reports WHERE report_id = ?", [rid])).first()
    if report is None:
        raise NotFound("no such report")
    cells = [dict(r) for r in (await db.execute(
        "SELECT * FROM cells WHERE report_id = ? ORDER BY coalesce(src_page, 0), coalesce(src_table, 0), "
        "coalesce(src_row, 0), coalesce(src_col, 0), coalesce(src_line, 0), code", [rid])).rows]
    flags = [dict(r) for r in (await db.execute(
        "SELECT f.*, r.zh, r.en, r.spec FROM flags f LEFT JOIN rules r ON r.id = f.rule WHERE f.report_id = ? "
        "ORDER BY f.rule, f.scope", [rid])).rows]
    capture = None
    if report["capture_id"] is not None:
        capture = (await db.execute("SELECT * FROM captures WHERE capture_id = ?", [report["capture_id"]])).first()
    return db, dict(report), cells, flags, dict(capture) if capture else None


async def report_page(datasette, request):
    """``/-/report/<report_id>``: one report, its tables, flags, sources and versions."""
    from datasette.utils.asgi import Response

    db, report, cells, flags, capture = await _report(datasette, request)
    rid = report["report_id"]
    mentioned = {i for f in flags for i in _REPORT_ID.findall(f["message"] or "")}
    known = {r["report_id"] for r in (await db.execute(
        f"SELECT report_id FROM reports WHERE report_id IN ({','.join('?' * len(mentioned))})", list(mentioned))).rows} \
        if mentioned else set()
    versions = []
    if report.get("url"):
        versions = [dict(r) for r in (await db.execute(
            "SELECT report_id, version, fetched_at FROM reports WHERE url = ? ORDER BY version", [report["url"]])).rows]
    changes = []
    if report.get("previous_id"):
        before = {r["code"]: r["value"] for r in (await db.execute(
            "SELECT code, value FROM cells WHERE report_id = ?", [report["previous_id"]])).rows}
        changes = [{"code": c["code"], "label": spec.label_of(c["code"]), "before": before.get(c["code"]), "after": c["value"]}
                   for c in cells if before.get(c["code"]) != c["value"]]
    context = {"report": report, "capture": capture, "flag_groups": grouped_flags(flags, known), "versions": versions,
               "changes": changes, "database": db.name, "severity_counts": _severity_counts(flags),
               **layout(report, cells, flags)}
    context["report_id"] = rid
    return Response.html(await datasette.render_template("nianbao_report.html", context, request=request))


def _severity_counts(flags):
    counts = {"ERROR": 0, "WARN": 0, "INFO": 0}
    for flag in flags:
        counts[flag["severity"]] = counts.get(flag["severity"], 0) + 1
    return counts


async def report_data(datasette, request):
    """``/-/report/<id>.json``: the report row, its capture, every cell with its label, unit and
    place in the document, and its flags; ``.csv`` (``?bom=1`` for Excel): one row per cell."""
    from datasette.utils.asgi import Response

    _, report, cells, flags, capture = await _report(datasette, request)
    for cell in cells:
        cell["label"] = cell["label"] or spec.label_of(cell["code"])
    if request.url_vars["format"] == "csv":
        return csv_response(cells, CELL_COLUMNS, f"report-{report['report_id']}.csv", request)
    for flag in flags:
        flag["cells"] = json.loads(flag["cells"] or "[]")
    body = {"report": report, "capture": capture, "cells": [{k: c.get(k) for k in CELL_COLUMNS} for c in cells],
            "flags": flags}
    return Response.json(body, headers={"Access-Control-Allow-Origin": "*"})
