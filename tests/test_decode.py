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
