"""extractors.spec: the format's one owner is consistent with itself."""

from extractors import spec


def test_every_key_number_reads_codes_of_the_format():
    known = set(spec.expected_codes("f2019")) | set(spec.expected_codes("f2021"))
    for key in spec.KEY_NUMBERS:
        assert key.codes and set(key.codes) <= known, key.name
        assert key.zh and key.en and key.combine in ("sum", "first")


def test_group_totals_are_the_rows_of_the_group():
    denied = next(k for k in spec.KEY_NUMBERS if k.name == "denied")
    assert len(denied.codes) == 8 and all(spec.row_group(c) == "denied" for c in denied.codes)


def test_sections_are_found_in_order_by_their_numbered_headings():
    lines = ["某县2023年政府信息公开工作年度报告", "一、总体情况", "（一）主动公开", "二、主动公开政府信息情况",
             "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
             "六、其他需要报告的事项"]
    assert spec.sections_in(lines) == list(spec.SECTION_ORDER)
    assert spec.sections_in(["二、主动公开政府信息情况" + "很长" * 40]) == []  # a paragraph is not a heading


def test_narrative_facts_name_codes_of_the_format():
    known = set(spec.expected_codes("f2021"))
    assert all(set(fact.codes) <= known for fact in spec.NARRATIVE_FACTS)


def test_the_title_vocabularies_tell_a_report_from_its_renditions():
    assert spec.REPORT_TITLE.search("某县2023年政府信息公开工作年度报告")
    assert spec.TITLE_RENDITION.search("图解：某县2023年政府信息公开工作年度报告")
    assert spec.STATUTORY_TITLE_END.search("某市住房公积金管理中心2023年政府信息公开工作年度报告")


def test_every_former_name_match_holds_its_anchor():
    """The anchors are searched first and skip a text without them: a text with a match and
    without its anchor would lose a former name. Texts shaped like a rename, each with one
    piece of it changed at random, so that near misses are drawn as often as matches."""
    import random

    names = ["县教育局", "人民政府", "卫生健康委员会", "局", "a局"]
    matched = [0] * len(spec.FORMER_NAME)
    for seed in range(3000):
        rng = random.Random(seed)
        bracketed = [rng.choice(names), rng.choice(["（", "(", "（ ", "", "【"]), rng.choice(["原", "", " 原", "元"]),
                     rng.choice(names), rng.choice(["）", ")", "", "】"])]
        stated = [rng.choice(["原", "", "原 "]), rng.choice(names), rng.choice(["更名为", "正式更名为", "改名为", "更名"]),
                  rng.choice(names), rng.choice(["，", "。", " ", "", "局"])]
        pieces = rng.choice([bracketed, stated])
        pieces.insert(rng.randrange(len(pieces) + 1), rng.choice(["", "原", "（", "更名为", "，"]))
        text = "".join(pieces)
        for i, (pattern, anchor) in enumerate(zip(spec.FORMER_NAME, spec.FORMER_NAME_ANCHORS)):
            if pattern.search(text):
                matched[i] += 1
                assert anchor.search(text), (i, text)
    assert all(n >= 50 for n in matched), matched  # the texts did exercise every pattern
