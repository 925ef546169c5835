"""Look-alike characters folded before any pattern reads a text (extractors.textnorm.fold),
with the expected characters written down by hand."""

import pytest

from extractors.textnorm import fold

CASES = [
    # Kangxi radicals as a browser's PDF writer names shared glyphs
    ("2019年上海市\u2f08民政府办公厅政府信息公开\u2f2f作年度报告", "2019年上海市人民政府办公厅政府信息公开工作年度报告", 2),
    # CJK radicals supplement, which NFKC leaves alone: ⻔ 门, ⺠ 民, ⻓ 长
    ("\u2ed4户网站 人\u2ea0政府 \u2ed3期", "门户网站 人民政府 长期", 3),
    # CJK compatibility ideographs (U+F900 block) and full-width letters and digits
    ("\uf900\uff12\uff10\uff12\uff13年ＡＢ", "豈2023年AB", 7),
    # punctuation that stands in for a colon, brackets and a comma
    ("发布日期\u22362024-01-05 \ufe59更正\ufe5a 一\ufe50二", "发布日期：2024-01-05 （更正） 一，二", 4),
    # nothing to fold: kept as it is, including full-width brackets a report writes
    ("蓝山县人民政府（办公室）：2023年", "蓝山县人民政府（办公室）：2023年", 0),
    ("plain ascii 123", "plain ascii 123", 0),
]


@pytest.mark.parametrize("text, expected, count", CASES)
def test_lookalike_characters_fold_onto_the_ones_they_stand_for(text, expected, count):
    assert fold(text) == (expected, count)


def test_a_report_whose_text_uses_radicals_reads_its_title_agency_and_year():
    from extractors.report import extract

    title = "2022年蓝山县\u2f08民政府政府信息公开\u2f2f作年度报告"
    report = extract(f"<p>{title}</p><p>\u2f00、总体情况</p><p>本年度报告由蓝山县\u2f08民政府编制。</p>".encode("utf-8"))
    assert report.title == "2022年蓝山县人民政府政府信息公开工作年度报告"
    assert (report.agency, report.year, report.division_code) == ("蓝山县人民政府", 2022, "431127")
    assert report.folded == 4
    assert "s1.overview" in report.headings
