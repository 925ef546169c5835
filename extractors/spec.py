"""The annual-report format of SPEC.md: eras, table rows, columns and their cell codes.

This is the one module that knows the table codes. Everything else (extraction, validation,
the database, Datasette labels) asks it.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

ERAS = ("pre2019", "f2019", "f2021")

# Table 三 columns (SPEC §3.2) in the order every official layout prints them. The two extra
# columns are non-standard shapes (SPEC D18): a merged 法人或其他组织 column, an org subtotal.
T3_COLUMNS = (
    "natural_person",
    "org_business",
    "org_research",
    "org_public_interest",
    "org_legal_service",
    "org_other",
    "total",
)
T3_ORG = T3_COLUMNS[1:6]
T3_COLUMN_ORDER = (
    "natural_person",
    "org_total_merged",
    "org_business",
    "org_research",
    "org_public_interest",
    "org_legal_service",
    "org_other",
    "org_subtotal",
    "total",
)
# Header keywords naming table 三 columns; a cell saying just "其他" is the org_other column.
T3_COLUMN_KEYS = (
    ("自然人", "natural_person"),
    ("商业企业", "org_business"),
    ("科研", "org_research"),
    ("公益", "org_public_interest"),
    ("法律服务", "org_legal_service"),
    ("小计", "org_subtotal"),
    ("总计", "total"),
)
T3_OTHER_COLUMN_LABELS = ("其他", "其它", "其他组织")
T3_COLUMN_LABELS = {
    "natural_person": "自然人",
    "org_business": "商业企业",
    "org_research": "科研机构",
    "org_public_interest": "社会公益组织",
    "org_legal_service": "法律服务机构",
    "org_other": "其他",
    "total": "总计",
    "org_total_merged": "法人或其他组织",
    "org_subtotal": "法人或其他组织小计",
}


@dataclass(frozen=True)
class Row:
    """One row of a statutory table: its code, official label and the keywords that find it.

    ``keys`` are matched against the normalised label (NFKC, simplified, no whitespace or
    punctuation); any one key identifies the row. ``group`` names the 三、 sub-group whose
    label may stand in a rowspan cell beside the row.
    """

    code: str
    label: str
    keys: tuple
    group: str = ""
    eras: tuple = ("f2019", "f2021")


# Table 三 rows (SPEC §3.2, §4.2), in official order. Order matters for matching: the
# specific sub-row keys are tried before the group keys.
T3_ROWS = (
    Row("new_received", "一、本年新收政府信息公开申请数量", ("新收", "本年收到", "新受理")),
    Row("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转", "上年度结转", "上一年结转")),
    Row("granted", "（一）予以公开", ("予以公开",)),
    Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("部分公开",)),
    Row("denied_state_secret", "1.属于国家秘密", ("国家秘密",), "denied"),
    Row("denied_law_prohibited", "2.其他法律行政法规禁止公开", ("禁止公开",), "denied"),
    Row("denied_security_stability", "3.危及“三安全一稳定”", ("三安全", "一稳定"), "denied"),
    Row("denied_third_party", "4.保护第三方合法权益", ("第三方",), "denied"),
    Row("denied_internal_affairs", "5.属于三类内部事务信息", ("内部事务",), "denied"),
    Row("denied_process_info", "6.属于四类过程性信息", ("过程性",), "denied"),
    Row("denied_enforcement_file", "7.属于行政执法案卷", ("执法案卷",), "denied"),
    Row("denied_admin_query", "8.属于行政查询事项", ("行政查询", "查询事项"), "denied"),
    Row("unable_not_held", "1.本机关不掌握相关政府信息", ("不掌握",), "unable"),
    Row("unable_needs_creation", "2.没有现成信息需要另行制作", ("另行制作", "现成信息"), "unable"),
    Row("unable_unclear", "3.补正后申请内容仍不明确", ("不明确",), "unable"),
    Row("notproc_petition", "1.信访举报投诉类申请", ("信访", "举报投诉"), "notproc"),
    Row("notproc_duplicate", "2.重复申请", ("重复申请",), "notproc"),
    Row("notproc_publication", "3.要求提供公开出版物", ("出版物",), "notproc"),
    Row("notproc_excessive", "4.无正当理由大量反复申请", ("大量反复", "反复申请"), "notproc"),
    Row("notproc_confirm_reissue", "5.要求行政机关确认或重新出具已获取信息", ("重新出具", "确认或"), "notproc"),
    Row(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ("不补正",),
        "other",
        ("f2021",),
    ),
    Row(
        "other_fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ("缴纳费用", "收费通知"),
        "other",
        ("f2021",),
    ),
    Row("other_other", "3.其他", (), "other", ("f2021",)),
    Row("other", "（六）其他处理", (), "other", ("f2019",)),
    Row("result_total", "（七）总计", ()),
    Row("carried_forward", "四、结转下年度继续办理", ("结转下年", "结转下一年", "下年度继续办理")),
)

# Group labels of 三、本年度办理结果 and the subtotal row code used when a report prints one.
T3_GROUPS = {
    "denied": ("不予公开", "denied_subtotal", "（三）不予公开"),
    "unable": ("无法提供", "unable_subtotal", "（四）无法提供"),
    "notproc": ("不予处理", "notproc_subtotal", "（五）不予处理"),
    "other": ("其他处理", "other_subtotal", "（六）其他处理"),
}
T3_ROW_BY_CODE = {row.code: row for row in T3_ROWS}


def t3_leaves(era):
    """The leaf result rows whose sum is （七）总计, for an era."""
    return tuple(
        row.code
        for row in T3_ROWS[2:-2]
        if era in row.eras
    )


def t3_rows(era):
    """All table 三 row codes an era prints, in order."""
    return tuple(row.code for row in T3_ROWS if era in row.eras)


# Table 四 (SPEC §3.3): one data row of 15 numbers in this order.
T4_GROUPS = ("review", "lit_direct", "lit_after_review")
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
T4_CODES = tuple(f"table4.{g}.{c}" for g in T4_GROUPS for c in T4_COLUMNS)
T4_GROUP_LABELS = {"review": "行政复议", "lit_direct": "行政诉讼·未经复议直接起诉", "lit_after_review": "行政诉讼·复议后起诉"}
# Table 四's two header groups over its three column groups, as printed.
T4_HEADINGS = (("行政复议", ("review",)), ("行政诉讼", ("lit_direct", "lit_after_review")))
T4_COLUMN_LABELS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计"}


@dataclass(frozen=True)
class T2Row:
    """A table 二 row with its columns per era; ``keys`` as for :class:`Row`."""

    code: str
    label: str
    keys: tuple
    columns: dict  # era -> tuple of column codes


T2_ROWS = (
    T2Row("regulations", "规章", ("规章",), {
        "f2019": ("new_made", "new_published", "total_published"),
        "f2021": ("made", "repealed", "valid"),
    }),
    T2Row("normative_docs", "规范性文件", ("规范性文件",), {
        "f2019": ("new_made", "new_published", "total_published"),
        "f2021": ("made", "repealed", "valid"),
    }),
    T2Row("licensing", "行政许可", ("行政许可",), {
        "f2019": ("prev_items", "change", "decisions"),
        "f2021": ("decisions",),
    }),
    T2Row("other_admin_services", "其他对外管理服务事项", ("其他对外管理", "对外管理服务"), {
        "f2019": ("prev_items", "change", "decisions"),
    }),
    T2Row("penalty", "行政处罚", ("行政处罚",), {
        "f2019": ("prev_items", "change", "decisions"),
        "f2021": ("decisions",),
    }),
    T2Row("coercion", "行政强制", ("行政强制",), {
        "f2019": ("prev_items", "change", "decisions"),
        "f2021": ("decisions",),
    }),
    T2Row("admin_fees", "行政事业性收费", ("事业性收费", "行政收费"), {
        "f2019": ("prev_items", "change"),
        "f2021": ("amount",),
    }),
    T2Row("central_procurement", "政府集中采购", ("集中采购",), {
        "f2019": ("projects", "amount"),
    }),
)
T2_ROW_BY_CODE = {row.code: row for row in T2_ROWS}

# Column header keywords of table 二 and the era each belongs to.
T2_COLUMN_KEYS = (
    ("新制作", "new_made", "f2019"),
    ("新公开", "new_published", "f2019"),
    ("公开总数", "total_published", "f2019"),
    ("上一年项目", "prev_items", "f2019"),
    ("增/减", "change", "f2019"),
    ("增减", "change", "f2019"),
    ("采购项目", "projects", "f2019"),
    ("采购总金额", "amount", "f2019"),
    ("制发", "made", "f2021"),
    ("废止", "repealed", "f2021"),
    ("现行有效", "valid", "f2021"),
    ("收费金额", "amount", "f2021"),
)
T2_COLUMN_LABELS = {
    "new_made": "本年新制作数量",
    "new_published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "prev_items": "上一年项目数量",
    "change": "本年增/减",
    "decisions": "处理决定数量",
    "projects": "采购项目数量",
    "amount": "金额",
    "made": "本年制发件数",
    "repealed": "本年废止件数",
    "valid": "现行有效件数",
}


def t2_codes(era):
    """Table 二 cell codes printed in an era, in order."""
    return tuple(
        f"table2.{row.code}.{col}" for row in T2_ROWS for col in row.columns.get(era, ())
    )


def expected_codes(era, merged_org=False):
    """Every numeric cell code the official format of an era prints (SPEC §6.3 R-STRUCT).

    ``merged_org``: the report prints one 法人或其他组织 column instead of five (SPEC D18).
    """
    if era not in ("f2019", "f2021"):
        return ()
    columns = ("natural_person", "org_total_merged", "total") if merged_org else T3_COLUMNS
    t3 = tuple(f"table3.{r}.{c}" for r in t3_rows(era) for c in columns)
    return t2_codes(era) + t3 + T4_CODES


# Units (SPEC §3.1, §4.1): counts are 件 unless named here.
MONEY_CODES = {
    "table2.admin_fees.amount": "万元",  # f2021: 本年收费金额（单位：万元）
    "table2.central_procurement.amount": "元",  # f2019: no fixed unit; stored in 元
}
SIGNED_COLUMNS = ("change",)
ITEM_COUNT_COLUMNS = ("prev_items", "change", "projects")


@lru_cache(maxsize=4096)
def unit_of(code, era):
    """The canonical unit of a cell code in an era."""
    if code == "table2.admin_fees.amount" and era == "f2021":
        return "万元"
    if code == "table2.central_procurement.amount":
        return "元"
    if code.split(".")[-1] in ITEM_COUNT_COLUMNS:
        return "项"
    return "件"



def is_total_code(code):
    """Whether a cell is a total in the sense of SPEC §6.0 (blank means "not reported")."""
    parts = code.split(".")
    if parts[0] == "table3":
        return parts[-1] in ("total", "org_subtotal") or parts[1] == "result_total" or parts[1].endswith("_subtotal")
    if parts[0] == "table4":
        return parts[-1] == "total"
    return False


def label_of(code):
    """Chinese label of a cell code, as printed in the official layout."""
    parts = code.split(".")
    if parts[0] == "table3" and len(parts) == 3:
        row = T3_ROW_BY_CODE.get(parts[1])
        group = next((g for g in T3_GROUPS.values() if g[1] == parts[1]), None)
        row_label = row.label if row else (group[2] if group else parts[1])
        return f"{row_label} · {T3_COLUMN_LABELS.get(parts[2], parts[2])}"
    if parts[0] == "table4" and len(parts) == 3:
        return f"{T4_GROUP_LABELS[parts[1]]} · {T4_COLUMN_LABELS[parts[2]]}"
    if parts[0] == "table2" and len(parts) == 3:
        row = T2_ROW_BY_CODE.get(parts[1])
        return f"{row.label if row else parts[1]} · {T2_COLUMN_LABELS.get(parts[2], parts[2])}"
    if parts[0] == "pre":
        return next((keys[0] for field, keys, _ in PRE2019_FIELDS if field == code), code)
    return code


def form_labels():
    """Every label the official tables print (row, group, column and header cells, all eras):
    the form's own words, against which a scan's OCR of a label cell is read."""
    labels = [row.label for row in T3_ROWS] + [group[2] for group in T3_GROUPS.values()]
    labels += ["三、本年度办理结果", "申请人情况", "法人或其他组织", "信息内容", "行政复议", "行政诉讼", "未经复议直接起诉",
               "复议后起诉"]
    labels += list(T3_COLUMN_LABELS.values()) + list(T4_COLUMN_LABELS.values()) + list(T2_COLUMN_LABELS.values())
    labels += [row.label for row in T2_ROWS] + ["行政规范性文件", "收费金额（单位：万元）", "采购总金额"]
    labels += [f"第二十条第（{n}）项" for n in "一二三四五六七八九十"]
    return tuple(dict.fromkeys(labels))



# -- the printed form: every heading cell of the official layout, with its spans ---------------

@dataclass(frozen=True)
class Heading:
    """A heading cell of the printed form: its text and how many rows and columns it spans."""

    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class FormRow:
    """One printed row of a statutory table: heading cells, then value cells (``codes``, each
    spanning its entry of ``spans``). A header row has headings only."""

    headings: tuple
    codes: tuple = ()
    spans: tuple = ()


T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_RESULTS_LABEL = "三、本年度办理结果"
# Table 二 as printed (SPEC §3.1, §4.1): blocks under a 第二十条 caption, each with its rows.
T2_BLOCKS = {
    "f2021": (("第二十条第（一）项", ("regulations", "normative_docs")), ("第二十条第（五）项", ("licensing",)),
              ("第二十条第（六）项", ("penalty", "coercion")), ("第二十条第（八）项", ("admin_fees",))),
    "f2019": (("第二十条第（一）项", ("regulations", "normative_docs")),
              ("第二十条第（五）项", ("licensing", "other_admin_services")), ("第二十条第（六）项", ("penalty", "coercion")),
              ("第二十条第（八）项", ("admin_fees",)), ("第二十条第（九）项", ("central_procurement",))),
}
# Where an era's form prints a label other than the one the codes are named by.
T2_FORM_LABELS = {
    "f2021": {"normative_docs": "行政规范性文件", "decisions": "本年处理决定数量", "amount": "本年收费金额（单位：万元）"},
    "f2019": {"amount": "采购总金额"},
}
T2_VALUE_COLUMNS = 3  # the value columns of table 二's grid; a block of fewer columns spans them


def _spread(n, width=T2_VALUE_COLUMNS):
    """Column spans of ``n`` cells across ``width`` grid columns, the last one taking the rest."""
    return (1,) * (n - 1) + (width - n + 1,)


def t2_form(era):
    """Table 二 of an era as printed: per block, a caption row, a header row (信息内容 and the
    column labels) and one row per item."""
    labels = T2_FORM_LABELS.get(era, {})
    rows = []
    for caption, codes in T2_BLOCKS.get(era, ()):
        columns = T2_ROW_BY_CODE[codes[0]].columns[era]
        spans = _spread(len(columns))
        rows.append(FormRow((Heading(caption, colspan=1 + T2_VALUE_COLUMNS),)))
        rows.append(FormRow((Heading("信息内容"),) + tuple(
            Heading(labels.get(c, T2_COLUMN_LABELS[c]), colspan=s) for c, s in zip(columns, spans))))
        for code in codes:
            row = T2_ROW_BY_CODE[code]
            rows.append(FormRow((Heading(labels.get(code, row.label)),),
                                tuple(f"table2.{code}.{c}" for c in row.columns[era]), spans))
    return tuple(rows)


def t3_form(era, merged_org=False, subtotals=()):
    """Table 三 of an era as printed (SPEC §3.2, §4.2): the three header rows, then every row
    with the group cells (三、本年度办理结果, （三）不予公开 …) spanning their rows.

    ``merged_org``: the report prints one 法人或其他组织 column (SPEC D18); ``subtotals``: the
    group subtotal rows it prints (``denied_subtotal`` …), each placed at the head of its group."""
    columns = ("natural_person", "org_total_merged", "total") if merged_org else T3_COLUMNS
    if merged_org:
        header = (FormRow((Heading(T3_NOTE, 3, 3), Heading("申请人情况", colspan=3))),
                  FormRow((Heading("自然人", 2), Heading("法人或其他组织", 2), Heading("总计", 2))), FormRow(()))
    else:
        header = (FormRow((Heading(T3_NOTE, 3, 3), Heading("申请人情况", colspan=len(columns)))),
                  FormRow((Heading("自然人", 2), Heading("法人或其他组织", colspan=len(T3_ORG)), Heading("总计", 2))),
                  FormRow(tuple(Heading(T3_COLUMN_LABELS[c]) for c in T3_ORG)))
    spans = (1,) * len(columns)

    def cells(code):
        return tuple(f"table3.{code}.{c}" for c in columns)

    printed = [row for row in T3_ROWS if era in row.eras]
    groups = {}
    for row in printed:
        if row.group and row.code != "other":
            groups.setdefault(row.group, []).append(row)
    results = [row for row in printed if row.code not in ("new_received", "carried_over", "carried_forward")]
    result_rows = len(results) + sum(1 for g in T3_GROUPS.values() if g[1] in subtotals)
    rows, started = list(header), set()
    for row in printed:
        headings = []
        if row.code == "granted":
            headings.append(Heading(T3_RESULTS_LABEL, result_rows))
        if row.code in ("new_received", "carried_over", "carried_forward"):
            headings.append(Heading(row.label, colspan=3))
        elif row.group in groups and row.code != "other":
            label, subtotal, printed_label = T3_GROUPS[row.group]
            if row.group not in started:
                started.add(row.group)
                members = groups[row.group]
                has_subtotal = subtotal in subtotals
                headings.append(Heading(printed_label, len(members) + has_subtotal))
                if has_subtotal:
                    rows.append(FormRow(tuple(headings) + (Heading("小计"),), cells(subtotal), spans))
                    headings = []
            headings.append(Heading(row.label))
        else:
            headings.append(Heading(row.label, colspan=2))
        rows.append(FormRow(tuple(headings), cells(row.code), spans))
    return tuple(rows)


def t4_form():
    """Table 四 as printed (SPEC §3.3): three header rows over one row of 15 numbers."""
    first = tuple(Heading(label, colspan=len(groups) * len(T4_COLUMNS)) for label, groups in T4_HEADINGS)
    second = tuple(Heading(T4_COLUMN_LABELS[c], 2) for c in T4_COLUMNS) + (
        Heading("未经复议直接起诉", colspan=len(T4_COLUMNS)), Heading("复议后起诉", colspan=len(T4_COLUMNS)))
    third = tuple(Heading(T4_COLUMN_LABELS[c]) for c in T4_COLUMNS) * 2
    return (FormRow(first), FormRow(second), FormRow(third), FormRow((), T4_CODES, (1,) * len(T4_CODES)))


def scope_label(scope):
    """The Chinese name of what a flag's scope names: a table 三 column or row, a table 二 row,
    a table 四 group or cell; the scope itself when the form has no name for it."""
    if scope in T3_COLUMN_LABELS:
        return T3_COLUMN_LABELS[scope]
    if scope in T3_ROW_BY_CODE:
        return T3_ROW_BY_CODE[scope].label
    if scope in T2_ROW_BY_CODE:
        return T2_ROW_BY_CODE[scope].label
    if scope in T4_GROUP_LABELS:
        return T4_GROUP_LABELS[scope]
    group = next((g for g in T3_GROUPS.values() if g[1] == scope or g[0] == scope), None)
    if group:
        return group[2]
    if scope.count(".") == 2:
        return label_of(scope)
    return SCOPE_WORDS.get(scope, scope)


# Scopes of the metadata and structure checks, in the report's words.
SCOPE_WORDS = {"published": "发布日期", "headings": "章节标题", "tables": "统计表", "year": "年度", "title": "标题",
               "signed": "落款日期", "era": "表格格式"}

# -- sections, deadlines and thresholds -------------------------------------------------------

@dataclass(frozen=True)
class Section:
    """A section of the official format (SPEC §2): its heading as a numbered line, and (for the
    three with a table) the looser forms that announce the table inside the table's own text."""

    code: str
    label: str
    heading: object  # compiled pattern of the numbered heading line
    table: object = None  # compiled pattern that announces the section's table, if it has one


SECTIONS = (
    Section("s1.overview", "一、总体情况", re.compile(r"^[一1]\s*[、.．]\s*(?:政府信息公开)?(?:工作)?(?:总体情况|概述|基本情况)")),
    Section("s2.active", "二、主动公开政府信息情况", re.compile(r"^[二2]\s*[、.．]\s*主动公开"),
            re.compile(r"^(?:[二2]\s*[、.．]?\s*)?主动公开政府信息(?:情况)?$|^[二2]\s*[、.．]\s*主动公开")),
    Section("s3.requests", "三、收到和处理政府信息公开申请情况", re.compile(r"^[三3]\s*[、.．]\s*(?:收到和处理|依申请)"),
            re.compile(r"收到和处理政府信息公开申请|^[三3]\s*[、.．]\s*.{0,8}依申请公开")),
    Section("s4.review_lit", "四、政府信息公开行政复议、行政诉讼情况", re.compile(r"^[四4]\s*[、.．].*(?:行政复议|诉讼)"),
            re.compile(r"(?:^[四4]\s*[、.．]|情况$).*行政复议|行政复议.*(?:行政)?诉讼.*情况")),
    Section("s5.problems", "五、存在的主要问题及改进情况", re.compile(r"^[五5]\s*[、.．].*(?:问题|改进)")),
    Section("s6.other", "六、其他需要报告的事项", re.compile(r"^[六6]\s*[、.．]\s*其他")),
)
SECTION_ORDER = tuple(section.code for section in SECTIONS)
SECTION_BY_CODE = {section.code: section for section in SECTIONS}
# A heading of a section without a table (一, 五, 六; 七, 八 in some reports): where a table ends.
SECTION_WITHOUT_TABLE = re.compile(r"^(?:[一五六七八1567]\s*[、.．])\s*\S*(?:总体情况|问题|其他需要报告|改进)")


def sections_in(lines):
    """The section headings found among text lines, in order of appearance."""
    found = []
    for line in lines:
        if len(line) > 60:
            continue
        for section in SECTIONS:
            if section.code not in found and section.heading.search(line):
                found.append(section.code)
    return found


# Words of the statutory tables' headers: a table holding them is a report's, not the layout's.
T2_HEADER_WORDS = ("信息内容", "第二十条")
T3_HEADER_WORDS = ("申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "勾稽关系")
T4_HEADER_WORDS = ("行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "未经复议直接起诉", "复议后起诉", "总计", "合计")
STATUTORY_TABLE_WORDS = ("自然人", "行政复议", "信息内容", "申请人", "第二十条", "本年度办理结果", "申请数", "本年新收")

# -- titles -------------------------------------------------------------------------------------

# What a report's title says (SPEC §1: 政府信息公开工作年度报告 and the variants sites use).
REPORT_TITLE = re.compile(r"信息公开(?:工作)?(?:年度)?(?:报告|年报)|政务公开.{0,6}年度报告|年度报告")
# A list's cut of the statutory phrase ("…政府信息公开工作年度…") still names a report.
REPORT_TITLE_CUT = re.compile(r"信息公开(?:工作)?(?:年度?)?(?:报)?(?:…+|\.{2,}|．{2,})$")
# The full statutory title after a year: a report whatever else the agency's name says.
STATUTORY_TITLE_END = re.compile(r"(?:19|20)\d{2}年(?:度)?.{0,20}政府信息公开工作年度报告$")
# Presentations of a report (interpretations, infographics): never the report itself.
TITLE_RENDITION = re.compile(r"解读|图解|一图|图说|读懂|问答|答记者问|视频|动漫|H5")
# Look-alikes that live in the same columns (SITES.md §0.4, §6 A1): interpretations, the
# government *work* report, website annual statements, rule-of-law and housing fund reports,
# budgets, news about the disclosure work, notices about how to write reports.
TITLE_DECOY = re.compile(
    r"解读|图解|一图|图说|读懂|政府工作报告|网站(?:工作)?年度报表|网站年报|年度报表|法治政府|依法行政|公积金|"
    r"预算|决算|统计公报|会议|培训|通知|工作要点|实施方案|督查|考核|评估|报送|编制|提纲|模板|格式|征求意见|"
    r"社会责任|企业年报|年度报告书|年报公示|审计工作报告|环境状况|国民经济"
)


# A notice framing a report's title around its agency: 关于X局……报告的更正, X局关于更正……报告的说明.
TITLE_FRAME = re.compile(r"^关于(?:印发|发布|公布|更正|修订)?|关于(?:更正|修订|修改|发布|印发|公布)?$")
# A corrected or revised edition of a report (its title says so): a version of the same agency-year.
CORRECTION_TITLE = re.compile(r"[（(【\[]\s*(?:更正|修订|修正|修改|更新|勘误)(?:版|稿|后)?\s*[)）】\]]|更正(?:版|稿|后|说明)|修订(?:版|稿)"
                              r"|（第[二三四]版）|报告的(?:更正|修订|勘误)|关于更正")
# A report that states its agency's former name: 新名（原旧名） in a title or an opening line, or
# "原X更名为Y" / "X更名为Y" in the text (an institutional reform). Groups: new, old.
FORMER_NAME = (
    re.compile(r"(?P<new>[\u4e00-\u9fff]{2,30}?)[（(]\s*原(?P<old>[\u4e00-\u9fff]{2,30}?)[)）]"),
    re.compile(r"原(?P<old>[\u4e00-\u9fff]{2,30}?)(?:正式)?更名为(?P<new>[\u4e00-\u9fff]{2,30}?)(?=[，。；、,;\s]|$)"),
)
# What every match of the FORMER_NAME pattern in the same place contains. Searched first: the
# patterns try a 2-30 character name at every Han character of a paragraph (0.1 ms a page).
FORMER_NAME_ANCHORS = (re.compile(r"[（(]\s*原"), re.compile("更名为"))


# Statutory deadlines (SPEC §6.6; 条例 Art. 49): (month, day) of the year after the report year.
DEADLINE_DEPARTMENT = (1, 31)
DEADLINE_GOVERNMENT = (3, 31)  # county-or-above governments, townships, and every pre-2019 report
# The administrative fee amount in 万元 above which it was surely written in 元 (SPEC §6.3 R-FEEUNIT).
FEE_LIMIT_LOCAL = 1e5  # county and township bodies
FEE_LIMIT = 1e7
# Two consecutive reports sharing at least this many equal cells are a copy (SPEC §6.5 X-DUP).
DUPLICATE_MIN_CELLS = 50

# Units that are money, not counts (R-INT does not ask them to be whole numbers).
MONEY_UNITS = ("万元", "元")
# Table 二 rows the soft rules of SPEC §6.4 read.
T2_STOCK_ROWS = ("regulations", "normative_docs")
T2_ITEM_ROWS = ("licensing", "other_admin_services", "penalty", "coercion", "admin_fees")


@dataclass(frozen=True)
class NarrativeFact:
    """A figure the narrative states that a table also holds (SPEC §6.7)."""

    id: str
    codes: tuple  # summed
    zh: str
    en: str


NARRATIVE_FACTS = (
    NarrativeFact("new_received", ("table3.new_received.total",), "本年新收申请数", "new requests"),
    NarrativeFact("carried_over", ("table3.carried_over.total",), "上年结转申请数", "requests carried over"),
    NarrativeFact("result_total", ("table3.result_total.total",), "办理结果总数", "requests answered"),
    NarrativeFact("carried_forward", ("table3.carried_forward.total",), "结转下年度申请数", "requests carried forward"),
    NarrativeFact("review_total", ("table4.review.total",), "行政复议数", "administrative reconsiderations"),
    NarrativeFact("litigation_total", ("table4.lit_direct.total", "table4.lit_after_review.total"), "行政诉讼数", "lawsuits"),
)
# The narrative sections whose figures are compared with the tables: the preamble, 一 and 四.
NARRATIVE_SECTIONS = ("s0", "s1", "s4")

# -- pre-2019 statistics (SPEC §8) ----------------------------------------------------------

# Reports before the 2019 format have no fixed tables: statistics found by label keywords, as
# (code, keywords, unit). Specific labels come before the general ones that contain them.
PRE2019_FIELDS = (
    ("pre.request.by_channel.in_person", ("当面申请", "当面"), "件"),
    ("pre.request.by_channel.fax", ("传真",), "件"),
    ("pre.request.by_channel.email", ("电子邮件", "邮件申请"), "件"),
    ("pre.request.by_channel.online", ("网上申请", "网络申请", "互联网申请"), "件"),
    ("pre.request.by_channel.letter", ("信函",), "件"),
    ("pre.request.partial", ("同意部分公开", "部分公开"), "件"),
    ("pre.request.denied", ("不同意公开", "不予公开", "否决公开"), "件"),
    ("pre.request.granted", ("同意公开", "予以公开"), "件"),
    ("pre.request.already_public", ("已主动公开",), "件"),
    ("pre.request.not_held", ("不属于本行政机关", "不属于本机关", "非本部门掌握", "不属于本部门"), "件"),
    ("pre.request.not_exist", ("信息不存在",), "件"),
    ("pre.request.unclear", ("内容不明确", "更改补充"), "件"),
    ("pre.request.redirected", ("其他途径",), "件"),
    ("pre.request.on_time", ("按时办结",), "件"),
    ("pre.request.extended", ("延期办结",), "件"),
    ("pre.request.answered", ("答复总数", "申请答复数", "答复数"), "件"),
    ("pre.request.closed", ("申请办结", "办结数"), "件"),
    ("pre.request.received", ("申请总数", "收到申请", "受理申请", "申请数", "收到政府信息公开申请", "受理政府信息公开申请"), "件"),
    ("pre.active.normative_docs", ("规范性文件",), "件"),
    ("pre.active.items", ("主动公开政府信息", "主动公开信息"), "条"),
    ("pre.review.total", ("行政复议",), "件"),
    ("pre.litigation.total", ("行政诉讼",), "件"),
    ("pre.complaint.total", ("举报投诉", "行政申诉", "申诉"), "件"),
    ("pre.consult.total", ("咨询",), "人次"),
    ("pre.fees.amount", ("收取费用", "收费"), "元"),
)
# Totals a pre-2019 statistics table prints with their parts (SPEC §6.8 PRE-SUM): (scope, total, parts).
PRE2019_SUMS = (
    ("received", "pre.request.received", tuple("pre.request.by_channel." + c for c in ("in_person", "fax", "email", "online", "letter", "other"))),
    ("closed", "pre.request.closed", ("pre.request.on_time", "pre.request.extended")),
)


# -- key numbers: one wide row per report (the archive's report_numbers view) ---------------

@dataclass(frozen=True)
class KeyNumber:
    """A headline figure of a report: ``sum`` of its codes, or the ``first`` of them it holds."""

    name: str
    codes: tuple
    zh: str
    en: str
    combine: str = "sum"


def _group_totals(group):
    return tuple(f"table3.{row.code}.total" for row in T3_ROWS if row.group == group and row.code != "other")


KEY_NUMBERS = (
    KeyNumber("new_received", ("table3.new_received.total",), "本年新收申请", "new requests"),
    KeyNumber("carried_over", ("table3.carried_over.total",), "上年结转", "carried over"),
    KeyNumber("granted", ("table3.granted.total",), "予以公开", "granted"),
    KeyNumber("partial", ("table3.partial.total",), "部分公开", "partly granted"),
    KeyNumber("denied", _group_totals("denied"), "不予公开合计", "refused, all reasons"),
    KeyNumber("unable", _group_totals("unable"), "无法提供合计", "unable to provide, all reasons"),
    KeyNumber("not_processed", _group_totals("notproc"), "不予处理合计", "not processed, all reasons"),
    KeyNumber("results_total", ("table3.result_total.total",), "办理结果总计", "results total"),
    KeyNumber("carried_forward", ("table3.carried_forward.total",), "结转下年度", "carried forward"),
    KeyNumber("reconsiderations", ("table4.review.total",), "行政复议总计", "administrative reconsiderations"),
    KeyNumber("lawsuits", ("table4.lit_direct.total", "table4.lit_after_review.total"), "行政诉讼总计", "lawsuits"),
    KeyNumber("regulations_made", ("table2.regulations.made", "table2.regulations.new_made"), "规章制发", "regulations made",
              "first"),
    KeyNumber("normative_docs_made", ("table2.normative_docs.made", "table2.normative_docs.new_made"), "规范性文件制发",
              "normative documents made", "first"),
    KeyNumber("normative_docs_valid", ("table2.normative_docs.valid",), "现行有效规范性文件", "normative documents in force"),
)


def row_group(code):
    """The 三、 sub-group (denied, unable, notproc, other) of a table 三 cell code, else None."""
    parts = code.split(".")
    row = T3_ROW_BY_CODE.get(parts[1]) if parts[0] == "table3" and len(parts) == 3 else None
    return (row.group or None) if row else None
