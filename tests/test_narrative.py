"""Figures quoted in running text (SPEC §6.7), read from sentences written here."""

import pytest

from extractors.narrative import extract_facts


@pytest.mark.parametrize("sentence, fact, value", [
    ("2022年，本机关共收到政府信息公开申请128件，较上年增长5%。", "new_received", 128),
    ("本年度新收政府信息公开申请36件，上年结转4件。", "carried_over", 4),
    ("全年办结政府信息公开申请38件。", "result_total", 38),
    ("结转下年度继续办理2件。", "carried_forward", 2),
    ("另有72件申请按照《条例》顺延到下年度答复。", "carried_forward", 72),
    ("全年发生政府信息公开行政复议3件，行政诉讼1件。", "review_total", 3),
    ("全年发生政府信息公开行政复议3件，行政诉讼1件。", "litigation_total", 1),
    ("没有发生因政府信息公开引起的行政复议和行政诉讼。", "review_total", 0),
    ("没有发生因政府信息公开引起的行政复议和行政诉讼。", "litigation_total", 0),
    ("2025年全市实际收取信息处理费共计400元。", "processing_fee", 400),
])
def test_sentence_yields_fact(sentence, fact, value):
    facts = [(f.fact, f.value) for f in extract_facts([(sentence, 1)])]
    assert (fact, value) in facts


@pytest.mark.parametrize("sentence", [
    "全年接听咨询电话1200件。",                   # consultations are not requests
    "主动公开政府信息173769万条。",                # SPEC D20: a magnitude, not a count of cases
    "共收到人大代表建议和政协提案52件。",
])
def test_sentence_yields_no_request_fact(sentence):
    facts = [f.fact for f in extract_facts([(sentence, 1)])]
    assert "new_received" not in facts and "result_total" not in facts


def test_facts_remember_their_section():
    lines = [("一、总体情况", 1), ("共收到申请5件。", 2), ("五、存在的主要问题及改进情况", 3), ("计划办结申请9件。", 4)]
    facts = extract_facts(lines)
    assert [(f.section, f.value) for f in facts] == [("s1", 5), ("s5", 9)]
