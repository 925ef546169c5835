"""What an archive holds, as one dictionary: reports by year and era, captures by outcome,
coverage, and the reports with flags (``nianbao summary`` prints it as text or JSON)."""

import sqlite3


def summarise(db_path, show_all=False):
    """The summary of an archive file, read-only."""
    from .exports import open_read_only

    conn = open_read_only(db_path)
    conn.row_factory = sqlite3.Row
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    out = {"db": str(db_path), "reports": conn.execute("SELECT count(*) FROM reports").fetchone()[0]}
    out["current"] = conn.execute("SELECT count(*) FROM reports WHERE coalesce(is_current, 1) = 1").fetchone()[0]
    out["years"] = [dict(r) for r in conn.execute(
        "SELECT year, era, count(*) AS reports, coalesce(sum(n_errors > 0), 0) AS with_errors, "
        "coalesce(sum(n_warnings > 0), 0) AS with_warnings FROM reports GROUP BY era, year ORDER BY year, era")]
    out["captures"] = {r["outcome"]: r["n"] for r in conn.execute(
        "SELECT outcome, count(*) AS n FROM captures GROUP BY outcome ORDER BY n DESC")} if "captures" in tables else {}
    out["coverage"] = {r["status"]: r["n"] for r in conn.execute(
        "SELECT status, count(*) AS n FROM agency_years GROUP BY status")} if "agency_years" in tables else {}
    out["flags"] = {r["severity"]: r["n"] for r in conn.execute("SELECT severity, count(*) AS n FROM flags GROUP BY severity")}
    where = "" if show_all else "WHERE n_errors + n_warnings > 0"
    flagged = []
    for r in conn.execute(f"SELECT * FROM reports {where} ORDER BY province, agency, year").fetchall():
        flags = [dict(f) for f in conn.execute(
            "SELECT rule, severity, scope, message FROM flags WHERE report_id = ? AND severity != 'INFO' "
            "ORDER BY severity, rule", [r["report_id"]])]
        flagged.append({"report_id": r["report_id"], "year": r["year"], "era": r["era"], "agency": r["agency"],
                        "values": r["n_values"], "errors": r["n_errors"], "warnings": r["n_warnings"],
                        "current": r["is_current"] != 0, "flags": flags})
    out["listed"] = flagged
    conn.close()
    return out
