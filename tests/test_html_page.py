"""Whole saved pages: the report is found among navigation, sidebars and decoys."""

from extractors import extract

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>关于2022年度政府信息公开工作年度报告_年报_某县人民政府</title>
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ContentSource" content="某某县人民政府办公室">
</head><body>
<div class="top"><a href="/">首页</a><a href="/zwgk/">政务公开</a></div>
<div class="left"><ul>
 <li><a href="/a/1.html">某某县2021年政府信息公开工作年度报告</a><span>2022-03-01</span></li>
 <li><a href="/a/2.html">某某县2020年政府信息公开工作年度报告</a><span>2021-03-01</span></li>
 <li><a href="/a/3.html">2022年政府工作报告</a><span>2022-01-10</span></li>
</ul></div>
<div class="main">
 <div class="info">发布时间：2023-03-28 09:10 来源：某某县人民政府办公室 浏览次数：</div>
 <div class="TRS_Editor">
  <p>某某县人民政府2022年政府信息公开工作年度报告</p>
  <p>本报告中所列数据统计期限为2022年1月1日至12月31日。</p>
  <p>一、总体情况</p><p>2022年，全县共收到政府信息公开申请3件，全年发生行政复议1件。</p>
  <p>四、政府信息公开行政复议、行政诉讼情况</p>
  <table><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
  <tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td>
  <td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
  <tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>
  <td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>
  <tr><td>1</td><td>0</td><td>0</td><td>0</td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td>
  <td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr></table>
 </div>
</div>
<div class="footer">网站标识码：1234000001 <script>document.write("<table><tr><td>自然人</td></tr></table>")</script></div>
</body></html>"""


def test_metadata_comes_from_the_article_not_the_sidebar():
    report = extract(PAGE.encode("utf-8"))
    assert report["title"] == "某某县人民政府2022年政府信息公开工作年度报告"
    assert report["year"] == 2022
    assert report["agency"] == "某某县人民政府"
    assert report["published"] == "2023-03-28"
    assert (report["stat_start"], report["stat_end"]) == ("2022-01-01", "2022-12-31")
    assert report["era"] == "f2021"


def test_table_four_read_from_the_page_and_its_broken_sum_flagged():
    from extractors.process import process

    report = process(PAGE.encode("utf-8"))
    cells = {c["code"]: c["value"] for c in report["cells"]}
    assert cells["table4.review.upheld"] == 1 and cells["table4.review.total"] == 2
    flags = {(f["rule"], f["scope"]): f for f in report["flags"]}
    flag = flags[("R-T4-SUM", "review")]
    assert flag["severity"] == "ERROR"
    assert (flag["lhs"], flag["rhs"], flag["delta"]) == (2, 1, 1)
    assert flag["cells"][0] == "table4.review.total"
    assert "行政复议" in flag["message"] and "difference 1" in flag["message"]


def test_script_content_is_never_read_as_a_table():
    report = extract(PAGE.encode("utf-8"))
    assert not any(c["code"].startswith("extra.") for c in report["cells"])
    assert not any("自然人" in (c["label"] or "") for c in report["cells"])


def test_word_exported_fragment_with_office_markup():
    cell = '<td width="40" style="border:solid windowtext 1.0pt"><p class="MsoNormal" align="center"><span lang="EN-US" style="font-size:10.5pt">{}<span><o:p></o:p></span></span></p></td>'
    row = "".join(cell.format(v) for v in ["3", "&nbsp;", "0", "1", "4"] + ["0"] * 5 + ["&nbsp;"] * 5)
    html = ('<p class="MsoNormal"><span>四、政府信息公开行政复议、行政诉讼情况<o:p></o:p></span></p>'
            '<table class="MsoNormalTable" border="1" cellspacing="0"><tr style="mso-yfti-irow:0">'
            + cell.format("行政复议").replace("<td ", '<td colspan="5" ')
            + cell.format("行政诉讼").replace("<td ", '<td colspan="10" ') + "</tr><tr>" + row + "</tr></table>")
    report = extract(("<p>2020年某局政府信息公开工作年度报告</p>" + html).encode("utf-8"))
    cells = {c["code"]: c for c in report["cells"]}
    assert cells["table4.review.upheld"]["value"] == 3
    assert cells["table4.review.corrected"]["semantic"] == "blank"
    assert cells["table4.review.total"]["value"] == 4
    assert cells["table4.lit_after_review.total"]["semantic"] == "blank"


def test_region_province_city_level_and_kind_come_from_the_gazetteer():
    report = extract(("<p>广东省深圳市龙岗区人民政府2022年政府信息公开工作年度报告</p>"
                      "<p>一、总体情况</p><p>本报告由广东省深圳市龙岗区人民政府编制。</p>").encode("utf-8"))
    assert (report["province"], report["city"], report["level"], report["agency_kind"], report["division_code"]) == (
        "广东省", "深圳市", "county", "government", "440307")
