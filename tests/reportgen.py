"""Random consistent annual reports, rendered the many ways real sites and PDFs render them.

Written from SPEC.md independently of ``extractors.spec`` (labels typed out again here), so
the property tests compare the extractor with a second reading of the format, not with itself.
"""

import functools
from dataclasses import dataclass, field

T3_COLS = ["natural_person", "org_business", "org_research", "org_public_interest", "org_legal_service", "org_other", "total"]
T3_COL_LABELS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# (group label or None, row code, row label); group rows in order.
T3_LAYOUT_COMMON_HEAD = [
    (None, "new_received", "一、本年新收政府信息公开申请数量"),
    (None, "carried_over", "二、上年结转政府信息公开申请数量"),
]
T3_RESULTS_HEAD = [
    (None, "granted", "（一）予以公开"),
    (None, "partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("（三）不予公开", "denied_state_secret", "1.属于国家秘密"),
    ("（三）不予公开", "denied_law_prohibited", "2.其他法律行政法规禁止公开"),
    ("（三）不予公开", "denied_security_stability", "3.危及“三安全一稳定”"),
    ("（三）不予公开", "denied_third_party", "4.保护第三方合法权益"),
    ("（三）不予公开", "denied_internal_affairs", "5.属于三类内部事务信息"),
    ("（三）不予公开", "denied_process_info", "6.属于四类过程性信息"),
    ("（三）不予公开", "denied_enforcement_file", "7.属于行政执法案卷"),
    ("（三）不予公开", "denied_admin_query", "8.属于行政查询事项"),
    ("（四）无法提供", "unable_not_held", "1.本机关不掌握相关政府信息"),
    ("（四）无法提供", "unable_needs_creation", "2.没有现成信息需要另行制作"),
    ("（四）无法提供", "unable_unclear", "3.补正后申请内容仍不明确"),
    ("（五）不予处理", "notproc_petition", "1.信访举报投诉类申请"),
    ("（五）不予处理", "notproc_duplicate", "2.重复申请"),
    ("（五）不予处理", "notproc_publication", "3.要求提供公开出版物"),
    ("（五）不予处理", "notproc_excessive", "4.无正当理由大量反复申请"),
    ("（五）不予处理", "notproc_confirm_reissue", "5.要求行政机关确认或重新出具已获取信息"),
]
T3_OTHER = {
    "f2019": [(None, "other", "（六）其他处理")],
    "f2021": [
        ("（六）其他处理", "other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("（六）其他处理", "other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("（六）其他处理", "other_other", "3.其他"),
    ],
}
T3_TAIL = [(None, "result_total", "（七）总计")]
T3_LAST = [(None, "carried_forward", "四、结转下年度继续办理")]

T4_GROUPS = ["review", "lit_direct", "lit_after_review"]
T4_COLS = ["upheld", "corrected", "other", "pending", "total"]
T4_COL_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

# Table 二 blocks per era: (caption, header labels, [(row code, row label, column codes)]).
T2_BLOCKS = {
    "f2019": [
        ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"], [
            ("regulations", "规章", ["new_made", "new_published", "total_published"]),
            ("normative_docs", "规范性文件", ["new_made", "new_published", "total_published"])]),
        ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"], [
            ("licensing", "行政许可", ["prev_items", "change", "decisions"]),
            ("other_admin_services", "其他对外管理服务事项", ["prev_items", "change", "decisions"])]),
        ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"], [
            ("penalty", "行政处罚", ["prev_items", "change", "decisions"]),
            ("coercion", "行政强制", ["prev_items", "change", "decisions"])]),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], [
            ("admin_fees", "行政事业性收费", ["prev_items", "change"])]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"], [
            ("central_procurement", "政府集中采购", ["projects", "amount"])]),
    ],
    "f2021": [
        ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"], [
            ("regulations", "规章", ["made", "repealed", "valid"]),
            ("normative_docs", "行政规范性文件", ["made", "repealed", "valid"])]),
        ("第二十条第（五）项", ["本年处理决定数量"], [("licensing", "行政许可", ["decisions"])]),
        ("第二十条第（六）项", ["本年处理决定数量"], [
            ("penalty", "行政处罚", ["decisions"]), ("coercion", "行政强制", ["decisions"])]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("admin_fees", "行政事业性收费", ["amount"])]),
    ],
}

AGENCIES = [
    ("浙江省杭州市西湖区人民政府", "county", "gov"),
    ("广东省深圳市龙岗区教育局", "county", "dept"),
    ("湖北省武汉市生态环境局", "prefecture", "dept"),
    ("江苏省宿迁市人民政府办公室", "prefecture", "dept"),
    ("四川省中江县发展和改革局", "county", "dept"),
    ("陕西省杨凌示范区审计局", "county", "dept"),
    ("天津市静海区人民政府", "county", "gov"),
    ("甘肃省靖远县大芦镇人民政府", "township", "gov"),
]


def t3_rows(era):
    return T3_LAYOUT_COMMON_HEAD + T3_RESULTS_HEAD + T3_OTHER[era] + T3_TAIL + T3_LAST


@dataclass
class GenReport:
    era: str
    year: int
    agency: str
    values: dict = field(default_factory=dict)  # code -> number

    def codes(self):
        return list(self.values)


def _small(rng, zero_bias=0.6, high=40):
    return 0 if rng.random() < zero_bias else rng.randint(1, high)


def generate(rng, era=None, previous=None, scale=None, no_rulemaking=False):
    """A report whose numbers satisfy every identity of SPEC §6.1-§6.4.

    ``previous``: the same agency's report of the year before, which this one continues (its
    carried-forward requests are this year's carried-over ones; its documents in force plus
    this year's made minus repealed are this year's in force: SPEC §6.5 holds across the two).
    ``scale``: the largest count of a result row; ``no_rulemaking``: a body that makes no 规章
    (county level and below, SPEC §6.4)."""
    era = era or rng.choice(["f2019", "f2021"])
    year = rng.choice([2019, 2020]) if era == "f2019" else rng.randint(2021, 2025)
    agency = rng.choice(AGENCIES)[0]
    report = GenReport(era, year, agency)
    v = report.values
    # table 三, per applicant column, then the 总计 column as row sums
    leaves = [code for _, code, _ in T3_RESULTS_HEAD + T3_OTHER[era]]
    scale = scale or rng.choice([5, 40, 400, 3000])
    for col in T3_COLS[:-1]:
        carried = previous.values[f"table3.carried_forward.{col}"] if previous else None
        active = col == "natural_person" or bool(carried) or rng.random() < 0.5
        for leaf in leaves:
            v[f"table3.{leaf}.{col}"] = _small(rng, 0.5, scale) if active else 0
        result = sum(v[f"table3.{leaf}.{col}"] for leaf in leaves)
        forward = _small(rng, 0.6, max(1, scale // 4)) if active else 0
        if carried is not None:
            over = carried
            if result + forward < over:  # last year's open requests are answered this year
                v[f"table3.granted.{col}"] += over - result - forward
                result = over - forward
        else:
            over = rng.randint(0, result + forward) if active and rng.random() < 0.5 else 0
        v[f"table3.result_total.{col}"] = result
        v[f"table3.carried_forward.{col}"] = forward
        v[f"table3.carried_over.{col}"] = over
        v[f"table3.new_received.{col}"] = result + forward - over
    for _, row, _ in t3_rows(era):
        v[f"table3.{row}.total"] = sum(v[f"table3.{row}.{c}"] for c in T3_COLS[:-1])
    # table 四
    for group in T4_GROUPS:
        parts = [_small(rng, 0.6, 30) for _ in range(4)]
        for col, value in zip(T4_COLS, parts + [sum(parts)]):
            v[f"table4.{group}.{col}"] = value
    # table 二
    for _, _, rows in T2_BLOCKS[era]:
        for row, _, cols in rows:
            for col in cols:
                v[f"table2.{row}.{col}"] = _small(rng, 0.4, 200)
    if era == "f2019":
        for row in ("regulations", "normative_docs"):
            v[f"table2.{row}.total_published"] = v[f"table2.{row}.new_published"] + rng.randint(0, 500)
        for row in ("licensing", "other_admin_services", "penalty", "coercion", "admin_fees"):
            if f"table2.{row}.change" in v:
                v[f"table2.{row}.change"] = rng.randint(-v[f"table2.{row}.prev_items"], 30)
        v["table2.central_procurement.amount"] = rng.choice([0, rng.randint(1000, 9_000_000)])
    else:
        for row in ("regulations", "normative_docs"):
            made, repealed = v[f"table2.{row}.made"], v[f"table2.{row}.repealed"]
            before = previous.values.get(f"table2.{row}.valid") if previous else None
            if before is not None:
                v[f"table2.{row}.repealed"] = repealed = min(repealed, before + made)
                v[f"table2.{row}.valid"] = before + made - repealed
            else:
                v[f"table2.{row}.valid"] = max(0, made - repealed) + rng.randint(0, 300)
        v["table2.admin_fees.amount"] = rng.choice([0, round(rng.uniform(0.01, 500), 2)])
    if no_rulemaking:
        for code in [c for c in v if c.startswith("table2.regulations.")]:
            v[code] = 0
    return report


# ---------------------------------------------------------------------------------------------
# Label variants (SPEC D6-D10)

FULLWIDTH_TO_HALF = str.maketrans("（）：", "():")


@functools.lru_cache(maxsize=None)
def s2t(text):
    return _s2t_converter().convert(text).replace("文件", "檔案")


@functools.lru_cache(maxsize=1)
def _s2t_converter():
    import opencc

    return opencc.OpenCC("s2t")


@dataclass
class Style:
    """How a rendering deviates from the official layout."""

    halfwidth: bool = False
    traditional: bool = False
    blank_zero: bool = False  # zeros left blank (&nbsp; or empty) - SPEC D1
    na_zero: bool = False  # zeros written as "-" / "无" - SPEC D3
    blank_totals: bool = False  # 总计 column blank on result rows - SPEC D2
    thousands: bool = False
    fullwidth_digits: bool = False
    wrap_labels: bool = False
    word_markup: bool = False
    whole_page: bool = False
    encoding: str = "utf-8"
    declared: str = "utf-8"  # what the page claims (may lie) or "" for nothing
    split_t2: bool = False
    extra_row: bool = False
    colspan_disagree: bool = False
    money_unit: bool = False
    annotated: bool = False  # Hubei-style definitions inside labels - SPEC D8
    page_breaks: bool = False  # PDF text: page numbers, form feeds, repeated headers - SPEC D12
    layout_wrapper: bool = False  # the report sits inside a layout table of an old ASP site
    th_headers: bool = False
    merge_blank_columns: bool = False

    @classmethod
    def random(cls, rng, text=False):
        style = cls(
            halfwidth=rng.random() < 0.4,
            traditional=rng.random() < 0.15,
            blank_zero=rng.random() < 0.3,
            thousands=rng.random() < 0.3,
            fullwidth_digits=rng.random() < 0.1,
            wrap_labels=rng.random() < 0.3,
            word_markup=not text and rng.random() < 0.4,
            whole_page=not text and rng.random() < 0.5,
            split_t2=rng.random() < 0.3,
            extra_row=rng.random() < 0.3,
            colspan_disagree=not text and rng.random() < 0.4,
            money_unit=rng.random() < 0.5,
        )
        style.na_zero = not style.blank_zero and rng.random() < 0.15
        style.annotated = rng.random() < 0.2
        style.page_breaks = text and rng.random() < 0.5
        style.layout_wrapper = not text and rng.random() < 0.3
        style.th_headers = not text and rng.random() < 0.3
        style.merge_blank_columns = not text and style.blank_zero and rng.random() < 0.6
        style.blank_totals = style.blank_zero and rng.random() < 0.5
        enc = rng.choice(["utf-8", "utf-8", "gbk", "gb18030"])
        style.encoding = enc
        style.declared = rng.choice([enc, "", "utf-8" if enc != "utf-8" else "gbk", "gb2312"])
        return style


ANNOTATIONS = {
    "规章": "规章（设区的市、自治州人民政府应提供相关数据）",
    "上一年项目数量": "上一年项目数量（指2019年事项数）",
}


def label(text, style):
    if style.annotated:
        text = ANNOTATIONS.get(text, text)
    if style.halfwidth:
        text = text.translate(FULLWIDTH_TO_HALF)
    if style.traditional:
        text = s2t(text)
    return text


def fmt(value, style, code=""):
    """The text of a value cell; zeros may be blank or an na mark (both mean 0 here)."""
    if value == 0 and style.blank_zero:
        return ""
    if value == 0 and style.na_zero and not code.endswith(("total", "amount")):
        return "-"
    if isinstance(value, float):
        text = f"{value:.2f}"
    elif style.thousands and abs(value) >= 1000:
        text = f"{value:,}"
    else:
        text = str(value)
    if code == "table2.central_procurement.amount" and style.money_unit and value:
        text += "元"
    if code.startswith("table2.") and code.endswith(".change") and value > 0 and style.money_unit:
        text = "+" + text
    if style.fullwidth_digits:
        text = text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return text


def is_blank_total(code, style):
    if not style.blank_totals:
        return False
    row = code.split(".")[1]
    return code.endswith(".total") and code.startswith("table3.") and row not in (
        "new_received", "carried_over", "result_total", "carried_forward")


def cell_text(report, code, style):
    if is_blank_total(code, style):
        return ""
    return fmt(report.values[code], style, code)


def expected_reading(report, style):
    """What an extractor should read: blank/na cells read as no value (None)."""
    out = {}
    for code, value in report.values.items():
        text = cell_text(report, code, style)
        out[code] = None if text in ("", "-") else value
    return out


# ---------------------------------------------------------------------------------------------
# HTML


def _wrap_cell(text, style, rng, attrs=""):
    if style.word_markup:
        inner = text if text else "&nbsp;"
        body = (
            f'<p class="MsoNormal" align="center" style="text-align:center"><span style="font-size:10.5pt;'
            f'font-family:宋体">{inner}<span lang="EN-US"><o:p></o:p></span></span></p>'
        )
        return f'<td {attrs} width="{rng.randint(30, 120)}" style="border:solid windowtext 1.0pt;padding:0cm 5.4pt">{body}</td>'
    inner = text if text else "&nbsp;"
    return f"<td {attrs}><p align=\"center\">{inner}</p></td>"


def _html_label(text, style, rng):
    text = label(text, style)
    if style.wrap_labels and len(text) > 6 and rng.random() < 0.5:
        cut = rng.randint(2, len(text) - 2)
        text = text[:cut] + "<br />" + text[cut:]
    return text


def html_t2(report, style, rng):
    era = report.era
    tables = []
    rows = []
    ncols = 5 if era == "f2019" else 4
    for caption, headers, block_rows in T2_BLOCKS[era]:
        rows.append(_wrap_cell(label(caption, style), style, rng, f'colspan="{ncols}"'))
        rows[-1] = f"<tr>{rows[-1]}</tr>"
        head = [_wrap_cell(label("信息内容", style), style, rng)]
        span = (ncols - 1) // len(headers) if len(headers) else 1
        for i, h in enumerate(headers):
            cs = ncols - 1 - span * (len(headers) - 1) if i == len(headers) - 1 else span
            head.append(_wrap_cell(_html_label(h, style, rng), style, rng, f'colspan="{cs}"' if cs > 1 else ""))
        rows.append("<tr>" + "".join(head) + "</tr>")
        for row_code, row_label, cols in block_rows:
            cells = [_wrap_cell(_html_label(row_label, style, rng), style, rng)]
            for i, col in enumerate(cols):
                code = f"table2.{row_code}.{col}"
                if len(cols) == 1:
                    attrs = f'colspan="{ncols - 1}"'
                elif style.colspan_disagree and i == 0 and len(cols) == 3 and ncols == 5:
                    attrs = 'colspan="2"'  # SPEC D5: body colspan differs from the header's
                elif len(cols) == 2:
                    attrs = 'colspan="2"'
                elif i == 1 and ncols == 5 and not style.colspan_disagree:
                    attrs = 'colspan="2"'
                else:
                    attrs = ""
                cells.append(_wrap_cell(cell_text(report, code, style), style, rng, attrs))
            rows.append("<tr>" + "".join(cells) + "</tr>")
        if style.extra_row and row_code == "normative_docs":
            extra = [_wrap_cell(label("其他主动公开文件", style), style, rng)] + [
                _wrap_cell(str(rng.randint(1, 99)), style, rng) for _ in range(3 if era == "f2021" else 3)]
            rows.append("<tr>" + "".join(extra) + "</tr>")
        if style.split_t2:
            tables.append(rows)
            rows = []
    if rows:
        tables.append(rows)
    cls = ' class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse"' if style.word_markup else ' border="1"'
    return "".join(f"<table{cls}><tbody>{''.join(r)}</tbody></table>" for r in tables)


def html_t3(report, style, rng):
    era = report.era
    w = lambda text, attrs="": _wrap_cell(text, style, rng, attrs)  # noqa: E731
    head = [
        "<tr>" + w(label(T3_NOTE, style), 'colspan="3" rowspan="3"') + w(label("申请人情况", style), 'colspan="7"') + "</tr>",
        "<tr>" + w(label("自然人", style), 'rowspan="2"') + w(label("法人或其他组织", style), 'colspan="5"')
        + w(label("总计", style), 'rowspan="2"') + "</tr>",
        "<tr>" + "".join(w(_html_label(x, style, rng)) for x in T3_COL_LABELS[1:6]) + "</tr>",
    ]
    body = []
    result_rows = T3_RESULTS_HEAD + T3_OTHER[era] + T3_TAIL
    group_sizes = {}
    for group, _, _ in result_rows:
        if group:
            group_sizes[group] = group_sizes.get(group, 0) + 1
    seen_groups = set()
    all_rows = t3_rows(era)
    merged = set()
    if style.merge_blank_columns:  # an all-blank column drawn as one cell spanning every row
        merged = {col for col in T3_COLS[1:6]
                  if all(cell_text(report, f"table3.{code}.{col}", style) == "" for _, code, _ in all_rows)}
    for i, (group, code, text) in enumerate(all_rows):
        values = "".join(
            (w("", f'rowspan="{len(all_rows)}"') if i == 0 else "") if col in merged
            else w(cell_text(report, f"table3.{code}.{col}", style))
            for col in T3_COLS
        )
        cells = ""
        if code in ("new_received", "carried_over", "carried_forward"):
            cells = w(_html_label(text, style, rng), 'colspan="3"')
        else:
            if code == "granted":
                cells += w(_html_label("三、本年度办理结果", style, rng), f'rowspan="{len(result_rows)}"')
            if group:
                if group not in seen_groups:
                    seen_groups.add(group)
                    cells += w(_html_label(group, style, rng), f'rowspan="{group_sizes[group]}"')
                cells += w(_html_label(text, style, rng))
            else:
                cells += w(_html_label(text, style, rng), 'colspan="2"')
        body.append(f"<tr>{cells}{values}</tr>")
    cls = ' class="MsoNormalTable" border="1" cellspacing="0"' if style.word_markup else ' border="1"'
    return f"<table{cls}><tbody>{_th(''.join(head), style)}{''.join(body)}</tbody></table>"


def _th(html, style):
    return html.replace("<td ", "<th ").replace("</td>", "</th>") if style.th_headers else html


def html_t4(report, style, rng):
    w = lambda text, attrs="": _wrap_cell(text, style, rng, attrs)  # noqa: E731
    head = [
        "<tr>" + w(label("行政复议", style), 'colspan="5"') + w(label("行政诉讼", style), 'colspan="10"') + "</tr>",
        "<tr>" + "".join(w(label(x, style), 'rowspan="2"') for x in T4_COL_LABELS)
        + w(label("未经复议直接起诉", style), 'colspan="5"') + w(label("复议后起诉", style), 'colspan="5"') + "</tr>",
        "<tr>" + "".join(w(label(x, style)) for x in T4_COL_LABELS * 2) + "</tr>",
    ]
    data = "<tr>" + "".join(w(cell_text(report, f"table4.{g}.{c}", style)) for g in T4_GROUPS for c in T4_COLS) + "</tr>"
    head = _th("".join(head), style)
    if style.th_headers:
        return f"<table border=\"1\"><thead>{head}</thead><tbody>{data}</tbody></table>"
    return f"<table border=\"1\"><tbody>{head}{data}</tbody></table>"


def narrative(report, style):
    v = report.values
    lines = [
        f"{report.year}年，{report.agency}坚持以公开为常态、不公开为例外，全面推进政务公开工作。",
        f"本年度共收到政府信息公开申请{v['table3.new_received.total']}件，上年结转{v['table3.carried_over.total']}件，"
        f"结转下年度继续办理{v['table3.carried_forward.total']}件。",
        f"全年发生政府信息公开行政复议{v['table4.review.total']}件。",
    ]
    return [label(x, style) if style.traditional else x for x in lines]


def title_of(report):
    return f"{report.agency}{report.year}年政府信息公开工作年度报告"


def render_html(report, style, rng):
    """An HTML page or fragment; returns bytes in the style's encoding."""
    t = label(title_of(report), style)
    published = f"{report.year + 1}-01-{rng.randint(10, 28):02d}"
    para = lambda x: f"<p>{x}</p>"  # noqa: E731
    body = [para(t), para(label("一、总体情况", style))] + [para(x) for x in narrative(report, style)]
    body.append(para(label("二、主动公开政府信息情况", style)))
    body.append(html_t2(report, style, rng))
    body.append(para(label("三、收到和处理政府信息公开申请情况", style)))
    body.append(html_t3(report, style, rng))
    body.append(para(label("四、政府信息公开行政复议、行政诉讼情况", style)))
    body.append(html_t4(report, style, rng))
    body.append(para(label("五、存在的主要问题及改进情况", style)))
    body.append(para("工作中仍存在一些不足，下一步将持续改进。"))
    body.append(para(label("六、其他需要报告的事项", style)))
    body.append(para("无。"))
    content = "".join(body)
    if style.layout_wrapper:
        content = (
            '<table width="980" border="0" cellpadding="0"><tr><td width="200" valign="top">'
            '<a href="/">网站首页</a><br><a href="/xxgk/">信息公开</a></td>'
            f'<td valign="top" class="bt_content">{content}</td></tr></table>'
        )
    if style.whole_page:
        decoys = "".join(
            f'<li><a href="/art/{y}/{n}.html">{report.agency}{y}年政府信息公开工作年度报告</a><span>{y + 1}-03-0{n}</span></li>'
            for n, y in enumerate(range(report.year - 3, report.year), start=1)
        )
        charset = f'<meta charset="{style.declared}">' if style.declared else ""
        content = (
            f"<!DOCTYPE html><html><head>{charset}<title>{t}_政府信息公开年报_{report.agency}</title>"
            f'<meta name="ColumnName" content="政府信息公开年报"><script>var x="<table>";</script></head><body>'
            f'<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
            f'<li><a href="/hdjl/">互动交流</a></li></ul></div>'
            f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; 政府信息公开年报</div>'
            f'<div class="main"><div class="left"><h3>相关年报</h3><ul>{decoys}</ul></div>'
            f'<div class="right"><div class="info">发布时间：{published} 来源：{report.agency} 浏览次数：</div>'
            f'<div class="{rng.choice(["TRS_Editor", "article-body", "zoom-box", "con"])}">{content}</div></div></div>'
            f'<div class="footer">主办单位：{report.agency} 网站标识码：3301060001 ICP备案号：浙ICP备00000000号</div>'
            "</body></html>"
        )
    return _encode(content, style), published


def _encode(text, style):
    try:
        return text.encode(style.encoding)
    except UnicodeEncodeError:
        style.encoding = "gb18030"
        return text.encode("gb18030")


# ---------------------------------------------------------------------------------------------
# Text (pipe dumps, markdown, PDF text)


def _text_rows_t3(report, style, rng, form):
    era = report.era
    rows = []
    seen = set()
    for group, code, text in t3_rows(era):
        values = [cell_text(report, f"table3.{code}.{c}", style) for c in T3_COLS]
        labels = []
        if code == "granted":
            labels.append(label(rng.choice(["三、本年度办理结果", "三本 年度办理结果", "三、本年度办理结果"]), style))
        if group and group not in seen:
            seen.add(group)
            labels.append(label(group, style))
        labels.append(label(text, style))
        rows.append((labels, values))
    return rows


def render_text(report, style, rng, form=None):
    """Text as copied from a page or a PDF: ``form`` is pipe, markdown, tabs or pdf."""
    form = form or rng.choice(["pipe", "markdown", "tabs", "pdf", "pdf-lines"])
    if form.startswith("pdf"):
        style.blank_zero = style.na_zero = style.blank_totals = False  # PDF text loses blanks
    lines = [label(report.agency, style), label(f"{report.year}年政府信息公开工作年度报告", style)]
    lines.append(label("一、总体情况", style))
    lines.extend(narrative(report, style))
    lines.append(label("二、主动公开政府信息情况", style))
    for caption, headers, block_rows in T2_BLOCKS[report.era]:
        table = [([label(caption, style)], []), ([label("信息内容", style)] + [label(h, style) for h in headers], [])]
        for row_code, row_label, cols in block_rows:
            table.append(([label(row_label, style)], [cell_text(report, f"table2.{row_code}.{c}", style) for c in cols]))
        lines.extend(_text_table(table, form, rng, width=4, style=style))
    lines.append(label("三、收到和处理政府信息公开申请情况", style))
    header = [
        ([label(T3_NOTE, style), label("申请人情况", style)], []),
        ([label("自然人", style), label("法人或其他组织", style), label("总计", style)], []),
        ([label(x, style) for x in T3_COL_LABELS[1:6]], []),
    ]
    lines.extend(_text_table(header + _text_rows_t3(report, style, rng, form), form, rng, width=10, style=style))
    lines.append(label("四、政府信息公开行政复议、行政诉讼情况", style))
    t4 = [
        ([label("行政复议", style), label("行政诉讼", style)], []),
        ([label(x, style) for x in T4_COL_LABELS] + [label("未经复议直接起诉", style), label("复议后起诉", style)], []),
        ([label(x, style) for x in T4_COL_LABELS * 2], []),
        ([], [cell_text(report, f"table4.{g}.{c}", style) for g in T4_GROUPS for c in T4_COLS]),
    ]
    if form == "pdf" and style.page_breaks:  # 15 numbers wrapped over two lines
        cut = rng.choice([5, 10])
        t4[-1:] = [([], t4[-1][1][:cut]), ([], t4[-1][1][cut:])]
    lines.extend(_text_table(t4, form, rng, width=15, style=style))
    lines.append(label("五、存在的主要问题及改进情况", style))
    lines.append("仍存在一些不足。")
    lines.append(label("六、其他需要报告的事项", style))
    lines.append("无。")
    return _encode("\n".join(lines), style), form


def _text_table(rows, form, rng, width, style=None):
    out = []
    header = [r for r in rows if not r[1]]
    for n, (labels, values) in enumerate(rows):
        if form == "pdf" and style is not None and style.page_breaks and values and rng.random() < 0.08:
            page = rng.randint(2, 9)
            out.append(rng.choice([f"- {page} -", f"第 {page} 页 共 12 页", str(page)]))
            out.append("\f" + rng.choice(["", "2024年政府信息公开工作年度报告"]))
            if n > len(header) and rng.random() < 0.5:  # continuation pages repeat the header
                out.extend(" ".join(h[0]) for h in header)
        if form == "pipe":  # a dump that lost merged cells: ragged rows, stray trailing pipes
            out.append(" | ".join(labels + values) + " |" + "|" * rng.randint(0, 3))
        elif form == "tabs":
            out.append("\t".join(labels + values))
        elif form == "markdown":
            pad = max(0, width - len(values) - len(labels)) if values else max(0, width - len(labels))
            cells = labels + [""] * pad + values
            out.append("| " + " | ".join(cells) + " |")
            if len(out) == 1:
                out.append("|" + "---|" * len(cells))
        elif form == "pdf-lines":  # text extracted without layout: one cell per line
            text = "".join(labels)
            if len(text) > 18 and rng.random() < 0.5:
                cut = rng.randint(8, len(text) - 4)
                out.extend([text[:cut], text[cut:]])
            elif labels:
                out.extend(labels)
            out.extend(values)
        else:  # pdf: space-separated, long labels wrapped onto the next line
            text = "".join(labels)
            if not values:
                out.append(" ".join(labels))
                continue
            if len(text) > 16 and rng.random() < 0.5:
                cut = rng.randint(8, len(text) - 4)
                out.append(text[:cut] + " " + " ".join(values))
                out.append(text[cut:])
            else:  # sometimes the first value runs into its label, as PDF text does
                glue = "" if rng.random() < 0.15 and values[0].isdigit() else " "
                out.append((text + glue if text else "") + " ".join(values))
    return out
