"""``/-/rules``: the legend of severities and every validation rule with how many reports it
flags; ``/-/rule/<id>``: one rule explained, with the text of its SPEC section and the reports it
flags.

The SPEC text is the copy of the format's description shipped with the package (SPEC.md).
"""

import functools
import os
import re

from . import kept

SPEC_PATH = os.path.join(os.path.dirname(os.path.dirname(__file__)), "SPEC.md")
SEVERITIES = (("ERROR", "错误", "an identity of the official form does not hold: a number is wrong somewhere"),
              ("WARN", "警告", "probably wrong or late: worth a look, not proof"),
              ("INFO", "提示", "a note about how the report was read"))
_REF = re.compile(r"§(\d+(?:\.\d+)?)(?:\s+(D\d+))?")
PAGE = 100  # flagged reports listed on a rule's page


@functools.lru_cache(maxsize=1)
def _spec_lines():
    with open(SPEC_PATH, encoding="utf-8") as f:
        return f.read().splitlines()


def spec_section(ref):
    """The SPEC text a rule's reference names: ``§6.1`` the whole subsection, ``§7 D11`` the
    deviation row of §7 (with the table's header); None when the reference names nothing."""
    match = _REF.search(ref or "")
    if not match:
        return None
    number, deviation = match.groups()
    lines = _spec_lines()
    heading = re.compile(rf"^(#+)\s+{re.escape(number)}[.\s]")
    start = next((i for i, line in enumerate(lines) if heading.match(line)), None)
    if start is None:
        return None
    level = len(heading.match(lines[start]).group(1))
    end = next((i for i in range(start + 1, len(lines))
                if re.match(r"^(#+)\s", lines[i]) and len(re.match(r"^(#+)", lines[i]).group(1)) <= level), len(lines))
    body = lines[start:end]
    if deviation:
        rows = [line for line in body if line.startswith(f"| {deviation} |")]
        header = [line for line in body if line.startswith("|")][:2]
        body = [lines[start], ""] + header + rows
    return "\n".join(body).strip()


async def rules_page(datasette, request):
    """``/-/rules``: the legend and every rule with its counts."""
    from datasette.utils.asgi import Response

    db = datasette.get_database()
    async def counted():
        return [dict(r) for r in (await db.execute(
            "SELECT r.*, (SELECT count(*) FROM flags f WHERE f.rule = r.id) AS n, "
            "(SELECT count(DISTINCT f.report_id) FROM flags f WHERE f.rule = r.id) AS reports FROM rules r "
            "ORDER BY CASE r.severity WHEN 'ERROR' THEN 0 WHEN 'WARN' THEN 1 ELSE 2 END, r.id")).rows]

    rules = await kept(db, "rules", counted)
    return Response.html(await datasette.render_template(
        "nianbao_rules.html", {"rules": rules, "severities": SEVERITIES, "database": db.name}, request=request))


async def rule_page(datasette, request):
    """``/-/rule/<id>``: what the rule checks, its SPEC section, and the reports it flags."""
    from datasette.utils.asgi import NotFound, Response

    db = datasette.get_database()
    rule = (await db.execute("SELECT * FROM rules WHERE id = ?", [request.url_vars["rule"]])).first()
    if rule is None:
        raise NotFound("no such rule")
    rule = dict(rule)
    flagged = [dict(r) for r in (await db.execute(
        "SELECT f.report_id, r.title, r.agency, r.year, count(*) AS n, group_concat(f.scope, ', ') AS scopes "
        "FROM flags f JOIN reports r ON r.report_id = f.report_id WHERE f.rule = ? "
        "GROUP BY f.report_id ORDER BY r.year DESC, r.agency LIMIT ?", [rule["id"], PAGE + 1])).rows]
    total = (await db.execute("SELECT count(DISTINCT report_id) FROM flags WHERE rule = ?", [rule["id"]])).single_value()
    return Response.html(await datasette.render_template("nianbao_rule.html", {
        "rule": rule, "section": spec_section(rule["spec"]), "flagged": flagged[:PAGE], "total": total,
        "severities": SEVERITIES, "database": db.name}, request=request))
