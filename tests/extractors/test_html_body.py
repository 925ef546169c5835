"""Where a page's report is and what its headings are (extractors.html): the CMS containers and
title elements found in one pass over the tree, on whole pages and fragments."""

from extractors.html import parse_html

NAV = "".join(f'<a href="/c{n}/">栏目{n}</a> ' for n in range(20))
REPORT = ("<p>一、总体情况</p><p>" + "本机关认真贯彻落实政府信息公开条例，主动公开政府信息。" * 8 + "</p>"
          "<p>二、主动公开政府信息情况</p>")


def page(body, head="<title>网站</title>"):
    return f"<!DOCTYPE html><html><head>{head}</head><body><div class='nav'>{NAV}</div>{body}" \
           f"<div class='footer'>主办单位：某县人民政府办公室 网站标识码 1234567890</div></body></html>".encode()


def texts(doc):
    return [b.text for b in doc.blocks if hasattr(b, "text")]


def test_a_known_container_by_class_is_the_body_and_leaves_the_navigation_out():
    doc = parse_html(page(f'<div class="article"><div class="TRS_Editor">{REPORT}</div></div>'))
    assert texts(doc)[0] == "一、总体情况"
    assert not any("栏目3" in t for t in texts(doc))
    assert "栏目3" in doc.header_text


def test_a_container_named_by_an_upper_case_id_attribute_is_found():
    doc = parse_html(page(f'<DIV ID="zoom">{REPORT}</DIV><div class="side">{"相关链接" * 80}</div>'))
    assert texts(doc)[0] == "一、总体情况"
    assert not any("相关链接" in t for t in texts(doc))


def test_the_more_specific_container_wins_when_a_page_has_two():
    # UCAP-CONTENT ranks before zoom (SITES.md §3.2): a zoom wrapper around the whole column
    # must not swallow the navigation into the report
    body = f'<div id="zoom"><div class="list">{"其他文章标题" * 40}</div><div id="UCAP-CONTENT">{REPORT}</div></div>'
    doc = parse_html(page(body))
    assert texts(doc)[0] == "一、总体情况"
    assert not any("其他文章标题" in t for t in texts(doc))


def test_headings_are_the_h_elements_and_title_classes_in_document_order():
    body = (f'<div class="detail-title">某县财政局2023年政府信息公开工作年度报告</div><h2>发布日期：2024-01-20</h2>'
            f'<div id="subtitle">来源：某县财政局</div><div class="TRS_Editor">{REPORT}</div>')
    doc = parse_html(page(body))
    assert doc.headings[:3] == ["某县财政局2023年政府信息公开工作年度报告", "发布日期：2024-01-20", "来源：某县财政局"]


def test_a_fragment_without_any_title_attribute_has_its_h_elements_as_headings():
    doc = parse_html(f"<h1>某镇2023年政府信息公开工作年度报告</h1>{REPORT}<h3>六、其他需要报告的事项</h3>".encode())
    assert doc.headings == ["某镇2023年政府信息公开工作年度报告", "六、其他需要报告的事项"]


def test_a_fragment_with_a_title_class_keeps_it_among_its_headings():
    doc = parse_html(f'<p class="Title">某镇2023年政府信息公开工作年度报告</p>{REPORT}'.encode())
    assert doc.headings == ["某镇2023年政府信息公开工作年度报告"]
