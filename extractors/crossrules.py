"""Rules over pairs of reports (SPEC §6.5): one agency's consecutive years, and the versions of
one page. Pure functions of what two reports say; the archive finds the pairs and keeps the flags.

A report here is a mapping with ``report_id``, ``year``, ``era`` and ``values`` (``{code: value}``
of its table cells); a version has ``report_id``, ``previous_id``, ``version`` and ``url``.
"""

from . import spec
from .rules import WARN, Outcome, across, flag

CARRY = across("X-T3-CARRY", WARN, "本年上年结转数与上一年度报告的结转下年度数不一致",
               "carried over this year differs from carried forward in last year's report",
               "table3.carried_over.c[y] = table3.carried_forward.c[y-1]")
DUPLICATE = across("X-DUP", WARN, "全部数字与上一年度报告相同（可能照抄）", "every number equals last year's report (possible copy)",
                   "all cells[y] = all cells[y-1], not all zero")
STOCK = across("X-T2-STOCK", WARN, "现行有效件数与上年现行有效件数加本年制发减废止不符",
               "documents in force differ from last year's plus made minus repealed",
               "valid[y] = valid[y-1] + made[y] - repealed[y]")
CHANGED = across("X-CHANGED", WARN, "报告发布后内容被修改", "the report's page changed after publication",
                 "a later capture of the same URL with other content")
CROSS_RULES = (CARRY.id, DUPLICATE.id, STOCK.id, CHANGED.id)


def consecutive_years(previous, current):
    """Flags of the later of two reports of one agency in consecutive years."""
    before, now = previous["values"], current["values"]
    found = []
    for column in sorted({c.rsplit(".", 1)[1] for c in now if c.startswith("table3.carried_over.")}):
        a, b = now.get(f"table3.carried_over.{column}"), before.get(f"table3.carried_forward.{column}")
        if a is not None and b is not None and a != b:
            found.append(flag(CARRY, Outcome(
                column, "fail", (f"table3.carried_over.{column}", f"{previous['year']}:table3.carried_forward.{column}"),
                a, b, detail=f"{previous['year']} report {previous['report_id']}")))
    shared = set(before) & set(now)
    if len(shared) >= spec.DUPLICATE_MIN_CELLS and all(before[c] == now[c] for c in shared) and any(now[c] for c in shared):
        found.append(flag(DUPLICATE, Outcome(
            "all cells", "fail", (), len(shared), len(shared), detail=f"same numbers as {previous['year']} ({previous['report_id']})")))
    if current["era"] == "f2021" and previous["era"] == "f2021":
        for row in spec.T2_STOCK_ROWS:
            valid_before = before.get(f"table2.{row}.valid")
            made, repealed, valid = (now.get(f"table2.{row}.{c}") for c in ("made", "repealed", "valid"))
            if None in (valid_before, made, repealed, valid):
                continue
            expected = valid_before + made - repealed
            if expected != valid:
                found.append(flag(STOCK, Outcome(
                    row, "fail", (f"table2.{row}.valid",), valid, expected,
                    detail=f"{previous['year']} valid {valid_before} + made {made} - repealed {repealed}")))
    return found


def changed_page(version):
    """The flag of a report that is a later version of a page (its content changed)."""
    return [flag(CHANGED, Outcome("page", "fail", (), version["version"], 1,
                                  detail=f"the page at {version['url']} changed; previous version {version['previous_id']}"))]
