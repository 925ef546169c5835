"""Encodings as real sites get them wrong (SITES.md §4.1): the text must come out right."""

import pytest

from extractors.decode import DecodeError, decode

TEXT = "二、主动公开政府信息情况：规章 行政规范性文件 總計"


@pytest.mark.parametrize("declared", ["", "utf-8", "gb2312", "gbk", "iso-8859-1"])
@pytest.mark.parametrize("actual", ["utf-8", "gbk", "gb18030"])
def test_page_decodes_whatever_it_declares(declared, actual):
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">' if declared else ""
    page = f"<html><head>{meta}</head><body><p>{TEXT}</p></body></html>"
    text, _ = decode(page.encode(actual))
    assert TEXT in text


def test_http_header_charset_that_lies_is_overruled_by_the_bytes():
    text, encoding = decode(TEXT.encode("gbk"), header_charset="utf-8")
    assert text == TEXT and encoding == "gb18030"


def test_big5_declared_page_decodes_as_big5():
    traditional = "政府資訊公開工作年度報告"
    page = f'<meta charset="big5"><p>{traditional}</p>'.encode("big5")
    text, _ = decode(page)
    assert traditional in text


def test_byte_order_mark_wins():
    text, encoding = decode("\ufeff".encode("utf-8") + TEXT.encode("utf-8"))
    assert text == TEXT and encoding == "utf-8-sig"


def test_download_cut_inside_a_character_keeps_the_rest():
    data = TEXT.encode("gbk")[:-1]
    text, _ = decode(data)
    assert text.startswith(TEXT[:-1])


def test_binary_data_is_refused():
    with pytest.raises(DecodeError):
        decode(b"\x00\x01\x02\x03" * 100)


def _sample(name):
    import os

    from conftest import SAMPLES

    with open(os.path.join(SAMPLES, name), "rb") as f:
        return f.read()


def test_a_utf8_page_with_a_gbk_footer_is_read_as_utf8_and_the_replacements_counted():
    from extractors.process import process

    footer = "<div>版权所有：上海市人民政府办公厅 主办 网站标识码3100000001</div>".encode("gbk")
    page = _sample("shanghai-office-2019.html") + footer
    text, encoding = decode(page)
    assert encoding == "utf-8" and "政府信息公开工作年度报告" in text
    report = process(page, source="footer.html")
    assert report["title"] == "2019年上海市人民政府办公厅政府信息公开工作年度报告"
    decode_flags = [f for f in report["flags"] if f["rule"] == "R-DECODE"]
    assert len(decode_flags) == 1 and decode_flags[0]["severity"] == "WARN"
    assert not [f for f in report["flags"] if f["rule"] == "R-STRUCT"]  # a decoding matter, not the tables'


def test_a_declared_gbk_page_with_a_damaged_byte_stays_gbk():
    page = f'<meta charset="gbk"><p>{TEXT}</p><p>{TEXT}</p>'.encode("gbk") + b"\x81\x20" + f"<p>{TEXT}</p>".encode("gbk")
    text, encoding = decode(page)
    assert encoding == "gb18030" and text.count(TEXT) == 3


@pytest.mark.parametrize("seed", range(40))
def test_a_real_report_with_a_few_bytes_mutated_is_still_read(seed):
    """Up to 8 bytes overwritten at random in a real report: it decodes, in its own encoding,
    and keeps its title; what could not be decoded is counted, never dropped silently."""
    import random

    rng = random.Random(seed)
    name = rng.choice(["shanghai-office-2019.html", "jinghai-2019.txt"])
    original = _sample(name)
    data = bytearray(original)
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(200, len(data))] = rng.randrange(128, 256)
    text, encoding = decode(bytes(data))
    assert encoding == decode(original)[1]
    assert text.count("\ufffd") <= 8 * 3
    assert "年度报告" in text[:3000]


def test_text_that_is_mostly_undecodable_is_refused():
    import random

    rng = random.Random(5)
    noise = bytes(rng.randrange(128, 256) for _ in range(4000))
    with pytest.raises(DecodeError):
        decode(noise)
