"""The validation rules of SPEC §6 for one report: a registry read by one evaluator.

An identity or inequality is a row of data (:class:`Relation`): the cells of each side written
as templates over the format's names (``table3.{row}.{col}``), the relation, the era, the
severity, a sentence in Chinese and in English, and the SPEC section. Only the rules that cannot
be said that way are functions (:func:`check`). Every rule yields one outcome per scope (a
column, a row, a group); a failed outcome becomes a flag naming the cells, both sides and the
difference. Pure: no network, no database.
"""

import re
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import date
from itertools import product

from . import spec
from .blocks import UNSURE
from .decode import UNDECODABLE
from .records import Flag

ERROR, WARN, INFO = "ERROR", "WARN", "INFO"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    zh: str
    en: str
    reads: str  # the cells or fields the rule reads, in SPEC notation
    spec: str
    check: object = field(repr=False, compare=False)


@dataclass(frozen=True)
class Relation:
    """An identity or inequality between sums of cells, for every binding of ``over``.

    Names in braces are bound from :data:`DOMAINS`: those listed in ``over`` make the scopes
    (one outcome each), the others are summed over (``table3.{leaf}.{col}``: every result row).
    A term ``-code`` is subtracted; ``0`` is the number. ``mode`` ``identity`` follows SPEC §6.0
    (a blank component counts 0 and softens a failure, a blank total skips the check);
    ``numbers`` checks only when every cell holds a number. ``when`` names a cell that must be
    present for a scope to be checked (a printed subtotal).
    """

    id: str
    severity: str
    zh: str
    en: str
    reads: str
    spec: str
    lhs: tuple
    op: str
    rhs: tuple
    scope: str
    over: tuple
    eras: tuple = ("f2019", "f2021")
    mode: str = "identity"
    when: str = None


@dataclass
class Outcome:
    scope: str
    status: str  # pass | fail | skip
    cells: tuple = ()
    lhs: float = None
    rhs: float = None
    assumed_zero: bool = False
    detail: str = ""

    @property
    def delta(self):
        if not all(isinstance(x, (int, float)) for x in (self.lhs, self.rhs)):
            return None
        return _tidy(self.lhs - self.rhs)


def _tidy(x):
    x = round(x, 6)
    return int(x) if float(x).is_integer() else x


_ABSENT = ("missing", None)  # the state of a code the report has no cell for


class Cells:
    """Cell lookup with the blank/na semantics of SPEC §6.0."""

    def __init__(self, cells):
        self.by_code = {c["code"]: c for c in cells}
        # (semantic, value) of each code, read once: identities read each cell many times
        self.state = {code: (c["semantic"], c["value"]) for code, c in self.by_code.items()}
        present = {code.rsplit(".", 1)[-1] for code, c in self.by_code.items()
                   if code.startswith("table3.") and c["semantic"] != "missing"}
        self.t3_columns = [c for c in spec.T3_COLUMN_ORDER if c in present] or list(spec.T3_COLUMNS)

    def has(self, code):
        c = self.by_code.get(code)
        return c is not None and c["semantic"] != "missing"

    def get(self, code):
        return self.by_code.get(code)

    def identity(self, scope, lhs, rhs):
        """Check ``Σ lhs = Σ rhs`` over ``(sign, code)`` terms: blank components count 0, a
        blank total skips the check."""
        codes = tuple(code for _, code in lhs + rhs)
        assumed = False
        sums, unread = [], [[], []]
        state = self.state
        for n, side in enumerate((lhs, rhs)):
            total = 0
            for sign, code in side:
                semantic, value = state.get(code, _ABSENT)
                if semantic == "missing" or semantic == "text" or (
                        value is None and semantic != "blank" and semantic != "na_mark"):
                    unread[n].append((sign, code, "missing" if semantic == "missing" else "unreadable"))
                    continue
                if semantic == "blank" or semantic == "na_mark":
                    if spec.is_total_code(code):
                        return Outcome(scope, "skip", codes, detail=f"{code} blank: not reported")
                    assumed = True
                    continue
                total += sign * value
            sums.append(total)
        if unread[0] or unread[1]:
            return self._bounded(scope, codes, sums, unread, assumed)
        status = "pass" if abs(sums[0] - sums[1]) < 1e-9 else "fail"
        return Outcome(scope, status, codes, _tidy(sums[0]), _tidy(sums[1]), assumed)

    @staticmethod
    def _bounded(scope, codes, sums, unread, assumed):
        """An identity with cells that could not be read: counts are never negative, so a side
        whose unread cells are all added is at least what was read of it. When that already
        exceeds the other side, read in full, the break is proven whatever the unread cells
        hold; otherwise nothing can be said."""
        first = unread[0] or unread[1]
        names = ", ".join(f"{code} {why}" for _, code, why in first)
        for partial, other in ((0, 1), (1, 0)):
            if unread[partial] and not unread[other] and all(sign > 0 for sign, _, _ in unread[partial]) \
                    and sums[partial] - sums[other] > 1e-9:
                left, right = (sums[0], sums[1])
                return Outcome(scope, "fail", codes, _tidy(left), _tidy(right), assumed,
                               detail=f"proven without {names}: the cells read already exceed the other side")
        return Outcome(scope, "skip", codes, detail=names)

    def number(self, code):
        """The value of a cell for soft rules: None unless it holds a number."""
        semantic, value = self.state.get(code, _ABSENT)
        return value if semantic == "number" or semantic == "zero" else None


# -- what the names of a relation range over ------------------------------------------------

def _org(report, cells, bound):
    row = bound["row"]
    org = spec.T3_ORG
    if not any(cells.has(f"table3.{row}.{c}") for c in org) and cells.has(f"table3.{row}.org_total_merged"):
        return ("org_total_merged",)
    return org


DOMAINS = {
    "col": lambda report, cells, bound: cells.t3_columns,
    "row": lambda report, cells, bound: tuple(spec.t3_rows(report["era"])) + tuple(
        g[1] for g in spec.T3_GROUPS.values() if cells.has(f"table3.{g[1]}.total")),
    "leaf": lambda report, cells, bound: spec.t3_leaves(report["era"]),
    "org": _org,
    "subtotal": lambda report, cells, bound: tuple(g[1] for g in spec.T3_GROUPS.values()),
    "member": lambda report, cells, bound: tuple(
        r.code for r in spec.T3_ROWS if r.group == _group_of(bound["subtotal"]) and report["era"] in r.eras and r.code != "other"),
    "subrow": lambda report, cells, bound: tuple(
        code.split(".")[1] for code in cells.by_code if code.startswith("table3.") and code.endswith(".org_subtotal")
        and cells.has(code)),
    "sorg": lambda report, cells, bound: spec.T3_ORG,
    "group": lambda report, cells, bound: spec.T4_GROUPS,
    "result": lambda report, cells, bound: spec.T4_COLUMNS[:4],
    "stock_row": lambda report, cells, bound: spec.T2_STOCK_ROWS,
    "item_row": lambda report, cells, bound: spec.T2_ITEM_ROWS,
}
_NAME = re.compile(r"\{(\w+)\}")


def _group_of(subtotal):
    return next(group for group, (_, code, _) in spec.T3_GROUPS.items() if code == subtotal)


@lru_cache(maxsize=None)
def _term(term):
    """``(sign, template, names in it)`` of one term of a relation's side."""
    sign, template = (-1, term[1:]) if term.startswith("-") else (1, term)
    return sign, template, tuple(dict.fromkeys(_NAME.findall(template)))


_EXPANDED = {}  # (template, bound names' values, free names' domains) -> codes: reports share them


def _expand(terms, report, cells, bound):
    """``[(sign, code)]`` of a side's terms, names outside ``bound`` summed over their domain."""
    out = []
    for term in terms:
        sign, template, names = _term(term)
        if template == "0":
            continue
        free = [n for n in names if n not in bound]
        domains = tuple(tuple(DOMAINS[n](report, cells, bound)) for n in free)
        key = (template, tuple(bound.items()), domains)
        codes = _EXPANDED.get(key)
        if codes is None:
            codes = tuple(template.format(**bound, **dict(zip(free, values))) for values in product(*domains))
            if len(_EXPANDED) > 100_000:
                _EXPANDED.clear()
            _EXPANDED[key] = codes
        out.extend((sign, code) for code in codes)
    return out


def evaluate(relation, report, cells):
    """Every outcome of one relation on one report."""
    if relation.eras is not None and report["era"] not in relation.eras:
        return
    for binding in _bindings(relation.over, report, cells, {}):
        if relation.when and not cells.has(relation.when.format(**binding)):
            continue
        scope = relation.scope.format(**binding)
        lhs, rhs = (_expand(side, report, cells, binding) for side in (relation.lhs, relation.rhs))
        if relation.mode == "identity":
            yield cells.identity(scope, lhs, rhs)
            continue
        values = [cells.number(code) for _, code in lhs + rhs]
        if None in values:
            continue
        left = _tidy(sum(sign * cells.number(code) for sign, code in lhs))
        right = _tidy(sum(sign * cells.number(code) for sign, code in rhs))
        ok = {"=": left == right, "<=": left <= right, ">=": left >= right}[relation.op]
        yield Outcome(scope, "pass" if ok else "fail", tuple(code for _, code in lhs + rhs), left, right)


def _bindings(names, report, cells, bound):
    if not names:
        yield dict(bound)
        return
    first, rest = names[0], names[1:]
    for value in DOMAINS[first](report, cells, bound):
        yield from _bindings(rest, report, cells, dict(bound, **{first: value}))


RELATIONS = (
    Relation("R-T3-BALANCE", ERROR, "本年新收加上年结转，应等于办理结果总计加结转下年度",
             "new requests plus carried over must equal the results total plus carried forward",
             "table3.new_received.c + table3.carried_over.c = table3.result_total.c + table3.carried_forward.c", "§6.1",
             ("table3.new_received.{col}", "table3.carried_over.{col}"), "=",
             ("table3.result_total.{col}", "table3.carried_forward.{col}"), "{col}", ("col",)),
    Relation("R-T3-RESULT", ERROR, "（七）总计应等于各项办理结果之和", "（七）总计 must equal the sum of the result rows",
             "table3.result_total.c = Σ leaves(era).c", "§6.1",
             ("table3.result_total.{col}",), "=", ("table3.{leaf}.{col}",), "{col}", ("col",)),
    Relation("R-T3-ROWSUM", ERROR, "总计列应等于自然人与各类法人或其他组织之和",
             "the 总计 column must equal natural persons plus every kind of organisation",
             "table3.r.total = table3.r.natural_person + Σ ORG", "§6.1",
             ("table3.{row}.total",), "=", ("table3.{row}.natural_person", "table3.{row}.{org}"), "{row}", ("row",)),
    Relation("R-T3-SUBTOTAL", ERROR, "分组小计应等于其各子项之和", "a printed group subtotal must equal the sum of its sub-rows",
             "denied_subtotal.c = Σ denied_*.c (likewise unable, notproc, other)", "§6.1",
             ("table3.{subtotal}.{col}",), "=", ("table3.{member}.{col}",), "{subtotal}.{col}", ("subtotal", "col"),
             eras=None, when="table3.{subtotal}.{col}"),
    Relation("R-T3-ORGSUB", ERROR, "法人或其他组织小计应等于各类组织之和", "the organisations subtotal must equal the sum of the organisation columns",
             "table3.r.org_subtotal = Σ ORG", "§6.1",
             ("table3.{subrow}.org_subtotal",), "=", ("table3.{subrow}.{sorg}",), "{subrow}", ("subrow",), eras=None),
    Relation("R-T4-SUM", ERROR, "行政复议、行政诉讼的总计应等于前四项之和", "each 总计 of table 四 must equal the four results before it",
             "table4.g.total = g.upheld + g.corrected + g.other + g.pending", "§6.2",
             ("table4.{group}.total",), "=", ("table4.{group}.{result}",), "{group}", ("group",)),
    Relation("R-T2-STOCK", WARN, "现行有效件数不应小于本年制发减本年废止", "documents in force cannot be fewer than made minus repealed this year",
             "table2.x.valid ≥ table2.x.made − table2.x.repealed", "§6.4",
             ("table2.{stock_row}.valid",), ">=", ("table2.{stock_row}.made", "-table2.{stock_row}.repealed"), "{stock_row}",
             ("stock_row",), eras=("f2021",), mode="numbers"),
    Relation("R-T2-PUB", WARN, "本年新公开数量不应超过对外公开总数量", "documents newly published cannot exceed all documents published",
             "table2.x.new_published ≤ table2.x.total_published", "§6.4",
             ("table2.{stock_row}.new_published",), "<=", ("table2.{stock_row}.total_published",), "{stock_row}",
             ("stock_row",), eras=("f2019",), mode="numbers"),
    Relation("R-T2-ITEMS", ERROR, "上一年项目数量加本年增/减不得为负", "last year's items plus this year's change cannot be negative",
             "table2.x.prev_items + table2.x.change ≥ 0", "§6.4",
             ("table2.{item_row}.prev_items", "table2.{item_row}.change"), ">=", ("0",), "{item_row}", ("item_row",),
             eras=("f2019",), mode="numbers"),
)

# -- the rules that are not relations ---------------------------------------------------------

RULES = {}
_ORDER = ("R-T3-BALANCE", "R-T3-RESULT", "R-T3-ROWSUM", "R-T3-SUBTOTAL", "R-T3-ORGSUB", "R-T4-SUM")
IDENTITY_RULES = _ORDER  # the accounting identities of the form: what a misread digit breaks


def check(rule_id, severity, zh, en, reads, spec_ref):
    """Register a check function under a rule id."""

    def register(function):
        RULES[rule_id] = Rule(rule_id, severity, zh, en, reads, spec_ref, function)
        return function

    return register


def _relation_rule(relation):
    RULES[relation.id] = Rule(relation.id, relation.severity, relation.zh, relation.en, relation.reads, relation.spec,
                              lambda report, cells: evaluate(relation, report, cells))


_RELATIONS = {r.id: r for r in RELATIONS}
for _id in _ORDER:
    _relation_rule(_RELATIONS[_id])


def _statutory(code):
    return code.startswith(("table2.", "table3.", "table4."))


@check("R-NONNEG", ERROR, "数量和金额不得为负数（本年增/减除外）", "counts and amounts cannot be negative (except 本年增/减)",
       "every count ≥ 0", "§6.3")
def check_nonneg(report, cells):
    checked = 0
    for code, cell in cells.by_code.items():
        if _statutory(code) and cell["value"] is not None and code.rsplit(".", 1)[-1] not in spec.SIGNED_COLUMNS:
            checked += 1
            if cell["value"] < 0:
                yield Outcome(code, "fail", (code,), cell["value"], 0)
    if checked:
        yield Outcome("all values", "pass")


@check("R-INT", ERROR, "件数应为整数", "counts must be whole numbers", "counts are integers", "§6.3")
def check_int(report, cells):
    checked = 0
    for code, cell in cells.by_code.items():
        if _statutory(code) and cell["value"] is not None and cell["unit"] not in spec.MONEY_UNITS:
            checked += 1
            if not float(cell["value"]).is_integer():
                yield Outcome(code, "fail", (code,), cell["value"], round(cell["value"]))
    if checked:
        yield Outcome("all counts", "pass")


@check("R-FEEUNIT", WARN, "行政事业性收费金额的单位应为万元", "the administrative fee amount must be in 万元 (ten thousand yuan)",
       "table2.admin_fees.amount", "§6.3")
def check_fee_unit(report, cells):
    cell = cells.get("table2.admin_fees.amount")
    if report["era"] != "f2021" or not cell or cell["value"] is None:
        return
    raw = cell["raw"] or ""
    written_in_yuan = "元" in raw and "万" not in raw
    limit = spec.FEE_LIMIT_LOCAL if report.get("level") in ("county", "township") else spec.FEE_LIMIT
    failed = written_in_yuan or cell["value"] > limit
    detail = "raw cell is written in 元" if written_in_yuan else f"{cell['value']} 万元 is implausibly large"
    yield Outcome("admin_fees", "fail" if failed else "pass", (cell["code"],), cell["value"], limit, detail=detail if failed else "")


@check("R-STRUCT", ERROR, "表格结构不完整或无法读取（解析问题，不一定是报告错误）",
       "a table is incomplete or could not be read (a parse problem, not necessarily a report error)",
       "10/175/15 cells (f2021) or 22/161/15 (f2019), no duplicate or short rows", "§6.3")
def check_struct(report, cells):
    if report["era"] not in ("f2019", "f2021") or not _has_tables(cells):
        return
    merged = "org_total_merged" in cells.t3_columns and "org_business" not in cells.t3_columns
    codes = spec.expected_codes(report["era"], merged)
    for table in ("table2", "table3", "table4"):
        wanted = [code for code in codes if code.startswith(table + ".")]
        missing = tuple(code for code in wanted if not cells.has(code))
        expected = len(wanted)
        yield Outcome(table, "fail" if missing else "pass", missing, expected - len(missing), expected,
                      detail=f"{len(missing)} of {expected} cells not found" if missing else "")
    for n, issue in enumerate(report.get("issues", []), start=1):
        if issue["kind"] == UNDECODABLE:
            continue  # R-DECODE's
        yield Outcome(f"issue{n}", "fail", (), detail=f"{issue['kind']}: {issue['message']} (table {issue['table']}, row {issue['row']}"
                      + (f", line {issue['line']}" if issue.get("line") else "") + f", label {issue['label']!r})")


@check("R-DECODE", WARN, "文档中有字节无法按其编码解码，已替换为�（原始字节已保存）",
       "some bytes of the document could not be decoded and were replaced by � (the raw bytes are kept)",
       "every byte sequence decodes in the document's encoding", "§6.3")
def check_decode(report, cells):
    for issue in report.get("issues", []):
        if issue["kind"] == UNDECODABLE:
            yield Outcome("text", "fail", (), detail=issue["message"])


def _has_tables(cells):
    return any(_statutory(code) and cells.has(code) for code in cells.by_code)


@check("R-NOTABLES", INFO, "文中没有找到法定统计表（可能在附件或图片中）",
       "no statutory table was found in the document (it may be in an attachment or an image)",
       "table2, table3, table4", "§6.3")
def check_no_tables(report, cells):
    if report["era"] in ("f2019", "f2021"):
        yield Outcome("tables", "pass" if _has_tables(cells) else "fail")


@check("R-REPAIR", INFO, "一个被拆成两格的数字已按勾稽关系合并", "a number cut into two cells was joined again, as the row total proves",
       "table3.r.total = Σ after joining two neighbouring cells", "§7 D11")
def check_repairs(report, cells):
    for repair in report.get("repairs", []):
        yield Outcome(repair["code"], "fail", (repair["code"],), repair["value"], "+".join(repair["parts"]),
                      detail=f"cells {repair['parts']} joined (table {repair['table']}, row {repair['row']}, page {repair['page']})")


@check("R-REREAD", INFO, "扫描件中一格经重新识别后按勾稽关系取值", "a scanned cell was read again and the reading the identities hold under was kept",
       "identities hold after re-reading the cells they broke on", "§6.0")
def check_rereads(report, cells):
    for reread in report.get("rereads", []):
        yield Outcome(reread["code"], "fail", (reread["code"],), reread["value"], reread["was"],
                      detail=f"read {reread['was']!r}, kept {reread['value']} (readings {reread['readings']}; "
                             f"{', '.join(reread.get('rules', [])) or 'identities'} hold; table {reread['table']}, "
                             f"row {reread['row']}, page {reread['page']})")


@check("R-OCR-UNSURE", WARN, "扫描件中此格的几种识别结果不一致，且无勾稽关系可以判定", "the readings of this scanned cell disagree and no identity settles them",
       "two OCR readings agree, or an identity proves the reading", "§6.0")
def check_unsure(report, cells):
    if not str(report.get("source_format") or "").endswith("-ocr"):
        return
    for code, cell in cells.by_code.items():
        if cell.get("confidence") is None:
            continue
        readings = list(cell.get("readings") or ())
        if cell["semantic"] == "text":  # a value cell no reading made a number of
            yield Outcome(code, "fail", (code,), None, None, detail=f"unreadable {cell['raw']!r}; readings {readings}")
        elif cell["value"] is not None and cell["confidence"] <= UNSURE:
            yield Outcome(code, "fail", (code,), cell["value"], None, detail=f"kept {cell['raw']!r}; other readings {readings}")


_relation_rule(_RELATIONS["R-T2-STOCK"])


@check("R-T2-RULEMAKING", INFO, "县级及以下机关一般无权制定规章", "bodies at county level and below cannot usually make 规章",
       "table2.regulations.made (new_made) > 0 only for rule-making bodies", "§6.4")
def check_rulemaking(report, cells):
    code = "table2.regulations.made" if report["era"] == "f2021" else "table2.regulations.new_made"
    value = cells.number(code)
    if value is None or report.get("level") not in ("county", "township"):
        return
    yield Outcome("regulations", "fail" if value > 0 else "pass", (code,), value, 0)


_relation_rule(_RELATIONS["R-T2-PUB"])
_relation_rule(_RELATIONS["R-T2-ITEMS"])


@check("X-ERA", WARN, "表格格式与报告年度不符（2021年格式用于2019、2020年报告为ERROR）",
       "the table format does not match the report year (2021 labels in a 2019/2020 report: ERROR)",
       "labels of the era expected for the year", "§6.5")
def check_era(report, cells):
    era, year_era = report["era"], report.get("year_era")
    if era not in ("f2019", "f2021") or year_era not in ("f2019", "f2021") or not report.get("era_markers"):
        return
    yield Outcome(f"{era} labels in a {report['year']} report", "pass" if era == year_era else "fail",
                  detail="" if era == year_era else f"format {era}, year expects {year_era}")


def _era_severity(outcome):
    """2021 labels in a 2019/2020 report are impossible (ERROR); an outdated template is a WARN."""
    return ERROR if outcome.scope.startswith("f2021") else WARN


@check("M-YEAR", WARN, "标题、统计期限与正文所述年度不一致", "the years of the title, the statistics period and the text disagree",
       "title year = statistics period year = narrative year", "§6.6")
def check_year(report, cells):
    title_year = report.get("year")
    if not title_year:
        return
    start = report.get("stat_start")
    if start:
        period_year = int(start[:4])
        yield Outcome("title/period", "pass" if period_year == title_year else "fail", (), title_year, period_year)
    narrative_year = report.get("narrative_year")
    if narrative_year:
        yield Outcome("title/narrative", "pass" if narrative_year == title_year else "fail", (), title_year, narrative_year)


def deadline(report):
    """The statutory publication deadline of a report (SPEC §6.6), or None without a year."""
    year = report.get("year")
    if not year:
        return None
    return deadline_for(year, report.get("agency_kind"), report["era"] == "pre2019")


def deadline_for(year, kind, pre2019=None):
    """The statutory deadline of a ``kind`` of agency's report for ``year`` (SPEC §6.6):
    governments and townships 31 March, departments 31 January, every pre-2019 report 31 March
    (``pre2019``: the report follows the pre-2019 format; by default, the year does)."""
    pre2019 = year < 2019 if pre2019 is None else pre2019
    government = pre2019 or kind in ("government", "township")
    month, day = spec.DEADLINE_GOVERNMENT if government else spec.DEADLINE_DEPARTMENT
    return date(year + 1, month, day)


@check("M-DEADLINE", WARN, "报告发布晚于法定期限（部门1月31日，政府3月31日）",
       "the report was published after the statutory deadline (departments 31 Jan, governments 31 Mar)",
       "published_on ≤ deadline", "§6.6")
def check_deadline(report, cells):
    due, published = deadline(report), report.get("published")
    if not due or not published:
        return
    late = (date.fromisoformat(published) - due).days
    yield Outcome("published", "fail" if late > 0 else "pass", (), published, due.isoformat(),
                  detail=f"{late} days late" if late > 0 else "")


@check("M-SECTIONS", INFO, "报告缺少法定章节或章节顺序不符", "a statutory section heading is missing or out of order",
       "the six headings of §2 in order", "§6.6")
def check_sections(report, cells):
    if report["era"] not in ("f2019", "f2021"):
        return
    found = report.get("headings", [])
    missing = [s for s in spec.SECTION_ORDER if s not in found]
    ordered = [s for s in found if s in spec.SECTION_ORDER] == [s for s in spec.SECTION_ORDER if s in found]
    yield Outcome("headings", "fail" if missing or not ordered else "pass", (), len(found), 6,
                  detail=("missing " + ", ".join(missing) if missing else "") + ("" if ordered else " out of order"))


def _narrative_rule(fact):
    def check_narrative(report, cells):
        facts = [f for f in report.get("facts", []) if f["fact"] == fact.id and f["section"] in spec.NARRATIVE_SECTIONS]
        if not facts or report["era"] not in ("f2019", "f2021"):
            return
        values = [cells.number(c) for c in fact.codes]
        if all(v is None for v in values):
            return  # not reported in the table
        table_value = _tidy(sum(v or 0 for v in values))
        stated = [f["value"] for f in facts]
        ok = table_value in stated
        yield Outcome(fact.id, "pass" if ok else "fail", fact.codes, stated[0], table_value,
                      detail="" if ok else f"narrative: {facts[0]['text'][:80]}")
    return check_narrative


for _fact in spec.NARRATIVE_FACTS:
    check("N-" + _fact.id.upper().replace("_", "-"), WARN, f"正文所述{_fact.zh}与表格不一致",
          f"the {_fact.en} stated in the text differ from the table", " + ".join(_fact.codes), "§6.7")(_narrative_rule(_fact))


@check("M-ZERO", WARN, "表格全为零，但正文提到了非零数量", "the tables are all zero but the text quotes a non-zero count",
       "table3, table4 all zero vs narrative facts", "§6.6")
def check_zero(report, cells):
    values = [c["value"] for c in report["cells"] if c["code"].startswith(("table3.", "table4.")) and c["value"] is not None]
    if report["era"] not in ("f2019", "f2021") or not values or any(values):
        return
    quoted = [f for f in report.get("facts", []) if f["unit"] == "件" and f["value"]]
    yield Outcome("tables", "fail" if quoted else "pass", (), quoted[0]["value"] if quoted else 0, 0)


@check("PRE-SUM", WARN, "统计表合计与分项之和不一致", "a statistics total differs from the sum of its parts",
       "received = Σ channels; closed = on time + extended", "§6.8")
def check_pre(report, cells):
    # A relation over the parts a report happens to print: not a fixed row of cells.
    if report["era"] != "pre2019":
        return
    for scope, total, parts in spec.PRE2019_SUMS:
        present = [p for p in parts if cells.has(p)]
        if cells.has(total) and len(present) >= 2:
            yield cells.identity(scope, [(1, total)], [(1, p) for p in present])


@check("X-ATTACH", WARN, "网页与附件中的同一报告数字不一致", "the page and its attached file give different numbers for the same cell",
       "every statutory cell of the page vs the same cell of the attachment", "§6.5")
def check_attachment(report, cells):
    """Runs across documents: see :func:`compare_documents`."""
    return ()


def across(rule_id, severity, zh, en, reads):
    """Register a rule over a pair of reports (extractors.crossrules computes it)."""
    RULES[rule_id] = Rule(rule_id, severity, zh, en, reads, "§6.5", lambda report, cells: ())
    return RULES[rule_id]


def compare_documents(page_report, file_report):
    """Flags for every statutory cell the page and its attachment both read but disagree on."""
    rule_ = RULES["X-ATTACH"]
    page_cells, file_cells = Cells(page_report["cells"]), Cells(file_report["cells"])
    flags = []
    for code in page_cells.by_code:
        if not _statutory(code):
            continue
        a, b = page_cells.number(code), file_cells.number(code)
        if a is None or b is None or abs(a - b) < 1e-9:
            continue
        flags.append(flag(rule_, Outcome(code, "fail", (code,), a, b, detail="page vs attachment")))
    return flags


def validate(report):
    """Run every rule on a report. Returns ``(flags, stats)``: failed checks and counts."""
    cells = Cells(report["cells"])
    flags = []
    stats = {"pass": 0, "fail": 0, "skip": 0}
    scanned = str(report.get("source_format") or "").endswith("-ocr")
    for rule_ in RULES.values():
        for outcome in rule_.check(report, cells):
            stats[outcome.status] += 1
            if outcome.status == "fail":
                flags.append(flag(rule_, outcome, scanned))
    return flags, stats


def uncertain_cells(flags):
    """Cell codes of a scanned report that a broken identity reads: one of them may be misread."""
    return {code for f in flags if f["rule"] in _ORDER and f["severity"] == WARN and READ_BY_OCR in f["message"]
            for code in f["cells"] if ":" not in code}


READ_BY_OCR = "read by OCR"


def flag(rule_, outcome, scanned=False):
    """The stored form of a failed outcome: rule, severity, scope, bilingual message, both sides.
    ``scanned``: the cells were read by OCR, so a broken identity may be a misreading rather
    than the report's error, and a table not read whole is the reader's failure: each is a
    warning that says so, naming the cells it read."""
    severity = _era_severity(outcome) if rule_.id == "X-ERA" else rule_.severity
    if severity == ERROR and outcome.assumed_zero:
        severity = WARN  # SPEC §6.0: an input coerced from blank makes it a warning
    ocr_note = scanned and rule_.id in _ORDER and severity == ERROR
    unread_scan = scanned and rule_.id == "R-STRUCT" and severity == ERROR
    if ocr_note or unread_scan:
        severity = WARN
    sides = ""
    if outcome.lhs is not None:
        sides = f"：{outcome.lhs} ≠ {outcome.rhs}" if outcome.delta is None else f"：{outcome.lhs} ≠ {outcome.rhs}，差 {outcome.delta}"
    message = f"{rule_.zh}（{outcome.scope}）{sides} / {rule_.en} ({outcome.scope})"
    if outcome.lhs is not None:
        message += f": {outcome.lhs} vs {outcome.rhs}"
        if outcome.delta is not None:
            message += f", difference {outcome.delta}"
    if outcome.detail:
        message += f" [{outcome.detail}]"
    if outcome.assumed_zero:
        message += " [blank cells counted as 0]"
    if ocr_note:
        message += (f" [OCR识读，可能为识别错误而非报告错误 / {READ_BY_OCR}: one of these cells may be misread, "
                    f"not a proven error of the report: {', '.join(outcome.cells)}]")
    if unread_scan:
        message += " [OCR识读：扫描件中此处未能识别 / read by OCR: this part of the scan could not be read, which says nothing of the report]"
    return Flag(rule_.id, severity, outcome.scope, message, list(outcome.cells), outcome.lhs, outcome.rhs, outcome.delta,
                outcome.assumed_zero)


from . import crossrules  # noqa: E402,F401 - registers the rules over pairs of reports, in order
