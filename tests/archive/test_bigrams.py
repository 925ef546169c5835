"""archive.search.bigrams: the indexable form of a text, written out by hand."""

import pytest

from archive.search import bigrams


@pytest.mark.parametrize("text, expected", [
    ("不予公开", "不予 予公 公开"),
    ("公", "公"),
    ("", ""),
    (None, ""),
    ("2023年收到申请12件", "2023 年收 收到 到申 申请 12 件"),
    ("依申请公开 ABC-def 复议", "依申 申请 请公 公开 abc def 复议"),
    ("《条例》第二十条", "条例 第二 二十 十条"),
    ("㐀㐁 豈更", "㐀㐁 豈更"),  # extension A and compatibility ideographs are CJK too
])
def test_every_chinese_run_becomes_its_bigrams_and_other_words_stay_whole(text, expected):
    assert bigrams(text) == expected
