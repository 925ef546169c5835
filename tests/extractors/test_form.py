"""The printed form (extractors.spec t2_form, t3_form, t4_form) against the layout SPEC.md
describes, written down by hand in form_expected.yml."""

import os

import pytest
import yaml

from extractors import spec

with open(os.path.join(os.path.dirname(__file__), "form_expected.yml"), encoding="utf-8") as f:
    EXPECTED = yaml.safe_load(f)


def _headings(row):
    return [[h.text, h.rowspan, h.colspan] for h in row.headings]


@pytest.mark.parametrize("era", ["f2021", "f2019"])
def test_table3_prints_every_heading_group_and_span_of_the_form(era):
    form = spec.t3_form(era)
    assert [_headings(r) for r in form[:3]] == EXPECTED["table3_header"]
    assert [_headings(r) for r in form[3:]] == EXPECTED["table3_rows"][era]
    assert sum(len(r.codes) for r in form) == EXPECTED["cells"][era]["table3"]
    # Every printed row is as wide as the header: three heading columns and seven value columns.
    assert all(len(r.codes) == 7 for r in form[3:])


@pytest.mark.parametrize("era", ["f2021", "f2019"])
def test_table2_prints_its_article_20_blocks_with_their_rows_and_column_labels(era):
    form = spec.t2_form(era)
    blocks, n = [], 0
    while n < len(form):
        caption, header = form[n], form[n + 1]
        rows = []
        n += 2
        while n < len(form) and form[n].codes:
            rows.append(form[n].headings[0].text)
            n += 1
        blocks.append([caption.headings[0].text, rows, [h.text for h in header.headings[1:]]])
        assert header.headings[0].text == "信息内容"
        # Caption spans the grid; every row's value cells fill the same three columns.
        assert caption.headings[0].colspan == 4
    assert blocks == EXPECTED["table2"][era]
    assert all(sum(r.spans) == 3 for r in form if r.codes)
    assert sum(len(r.codes) for r in form) == EXPECTED["cells"][era]["table2"]


def test_table4_prints_three_header_rows_over_fifteen_numbers():
    form = spec.t4_form()
    assert [_headings(r) for r in form[:3]] == EXPECTED["table4_header"]
    assert len(form[3].codes) == EXPECTED["cells"]["f2021"]["table4"] and not form[3].headings


def test_a_printed_subtotal_row_joins_its_group_and_widens_the_results_block():
    form = spec.t3_form("f2021", subtotals={"denied_subtotal"})
    rows = [_headings(r) for r in form[3:]]
    assert rows[2][0] == ["三、本年度办理结果", 23, 1]
    assert rows[4] == [["（三）不予公开", 9, 1], ["小计", 1, 1]] and rows[5] == [["1.属于国家秘密", 1, 1]]
    assert form[3 + 4].codes[0] == "table3.denied_subtotal.natural_person"


def test_the_merged_organisation_column_prints_as_one():
    form = spec.t3_form("f2021", merged_org=True)
    assert [_headings(r) for r in form[:2]] == [
        [[spec.T3_NOTE, 3, 3], ["申请人情况", 1, 3]], [["自然人", 2, 1], ["法人或其他组织", 2, 1], ["总计", 2, 1]]]
    assert all(len(r.codes) == 3 for r in form[3:])


@pytest.mark.parametrize("scope, label", [("natural_person", "自然人"), ("org_legal_service", "法律服务机构"),
                                          ("total", "总计"), ("regulations", "规章"), ("review", "行政复议"),
                                          ("published", "发布日期"), ("result_total", "（七）总计"),
                                          ("table4.review.upheld", "行政复议 · 结果维持")])
def test_a_flag_scope_is_named_in_the_form_s_words(scope, label):
    assert spec.scope_label(scope) == label
