"""Discovery decisions from what pages say: titles, columns, list mechanisms, outcomes, files."""

import pytest

from crawler import discovery, filetypes, outcomes
from crawler.lists import gkmlpt, jpaas, jpage, trs_static
from crawler.page import Page
from extractors.filetypes import sniff


@pytest.mark.parametrize("title, verdict", [
    ("某某县2023年政府信息公开工作年度报告", "report"),
    ("2023年某某镇政府信息公开工作年度报告", "report"),
    ("某某局2018年政府信息公开年度报告", "report"),
    ("某某市住房公积金管理中心2023年政府信息公开工作年度报告", "report"),
    ("二〇二二年度某某区政府信息公开工作年度报告", "report"),
    ("2023年政府信息公开工作年度报告解读", "decoy"),
    ("图解：2023年政府信息公开工作年度报告", "decoy"),
    ("一图读懂某某县2023年政府信息公开年报", "decoy"),
    ("某某县2023年政府工作报告", "decoy"),
    ("某某县政府网站工作年度报表（2023年度）", "decoy"),
    ("某某县2023年法治政府建设年度报告", "decoy"),
    ("某某市住房公积金2023年年度报告", "decoy"),
    ("我县召开政务公开工作推进会", None),
])
def test_titles_are_told_apart(title, verdict):
    assert discovery.classify_title(title) == verdict


def test_report_year_comes_from_the_title_not_the_url():
    assert discovery.report_year("某某县2023年政府信息公开工作年度报告") == 2023


@pytest.mark.parametrize("label", ["政府信息公开年报", "信息公开年报", "政府信息公开工作年度报告", "2023年", "2023n"])
def test_column_labels(label):
    assert discovery.is_column(label)


def _page(url, html, kind="column"):
    return Page(url, html.encode("utf-8"), 200, {"content-type": "text/html; charset=utf-8"}, kind)


def test_trs_pages_from_create_page_html():
    plan, = trs_static.recognise(_page("http://x/zfxxgknb/index.shtml", '<script>createPageHTML(5, 0, "index", "shtml");</script>'))
    assert [f.url for f in plan.found.fetches] == [f"http://x/zfxxgknb/index_{i}.shtml" for i in range(1, 5)]


def test_trs_pages_from_count_page():
    plan, = trs_static.recognise(_page("http://x/gknb/index.html", "<script>var currentPage = 0; var countPage = 3 //共多少页</script>"))
    assert [f.url for f in plan.found.fetches] == ["http://x/gknb/index_1.html", "http://x/gknb/index_2.html"]


def test_jpage_groups_post_the_column_parameters():
    records = "".join(f"<record><![CDATA[<li><a href='/art/2024/1/1/art_1_{n}.html'>某局2023年政府信息公开工作年度报告{n}</a></li>]]></record>"
                      for n in range(45))
    page = (f"<script type='text/xml'><datastore><recordset>{records}</recordset></datastore></script><script>"
            "var param_4160171 = {col:1,appid:1,webid:1,path:'/',columnid:1229114055,unitid:4160171,webname:'x',permissiontype:0};"
            "$('#4160171').jpage({ totalRecord:137, perPage:15, groupSize:3, proxyUrl:'/module/web/jpage/dataproxy.jsp' })</script>")
    plan, = jpage.recognise(_page("http://x/col/col1229114055/index.html", page))
    assert [f.url.split("?")[1] for f in plan.found.fetches] == [
        "startrecord=46&endrecord=90&perpage=15", "startrecord=91&endrecord=135&perpage=15", "startrecord=136&endrecord=180&perpage=15"]
    assert all(f.method == "POST" and "columnid=1229114055" in f.body for f in plan.found.fetches)


def test_jpaas_page_number_goes_inside_param_json():
    page = ('<div class="pagination" count="52" rows="15" pageNo="1" '
            "queryData=\"{'webId':'3185','pageId':'1229565788','tagId':'信息列表','tplSetId':'o0Yc'}\"></div>")
    plan, = jpaas.recognise(_page("http://x/col/col1229565788/index.html", page))
    assert len(plan.found.fetches) == 3 and "paramJson=%7B%22pageNo%22%3A+2" in plan.found.fetches[0].url


def test_gkmlpt_lists_only_annual_report_nodes():
    page = ("<script>window._CONFIG = { SID: '755041', TREE: [{\"id\":2629,\"name\":\"政府信息公开年报\",\"children\":[]},"
            "{\"id\":5,\"name\":\"规范性文件\",\"children\":[]},{\"id\":7,\"name\":\"年报\",\"jump_url\":\"http://y/\"}] };</script>")
    plans = gkmlpt.recognise(_page("http://x/gkmlpt/index", page))
    assert [f.url for p in plans for f in p.found.fetches] == ["http://x/gkmlpt/api/all/2629?page=1&sid=755041"]


def test_links_drop_session_ids_and_resolve_protocol_relative():
    assert discovery.absolute("http://x/a/b.html", "//y/art/1.html") == "http://y/art/1.html"
    assert discovery.absolute("http://x/a/", "/public/31/5.html;jsessionid=AB12") == "http://x/public/31/5.html"
    assert discovery.absolute("http://x/", "javascript:void(0)") is None


@pytest.mark.parametrize("status, body, outcome", [
    (412, b"<script>$_ts=window['$_ts'];</script>", "blocked"),
    (521, b"<script>document.cookie=('__jsl_clearance_s=1');location.href=location.pathname</script>", "blocked"),
    (429, b"", "rate_limited"),
    (404, b"", "not_found"),
    (200, "<html><body>您访问的页面不存在！</body></html>".encode("gbk"), "removed"),
    (200, b"<html><script>location.reload()</script></html>", "blocked"),
    (200, "<html><body><p>正文</p><table><tr><td>1</td></tr></table></body></html>".encode(), "ok"),
])
def test_outcomes(status, body, outcome):
    assert outcomes.classify(status, {"content-type": "text/html"}, body, "http://x/a/1.html")[0] == outcome


def test_redirect_to_home_is_removed():
    assert outcomes.classify(200, {"content-type": "text/html"}, b"<html>" + b"x" * 5000, "http://x/", "http://x/a/1.html")[0] == "removed"


@pytest.mark.parametrize("body, name, kind", [
    (b"%PDF-1.7\n...", "", "pdf"),
    (b"PK\x03\x04" + b"\x00" * 26 + b"word/document.xml", "", "docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "report.wps", "wps"),
    (b"<!DOCTYPE html><html><body>error</body></html>", "x.pdf", "html"),
])
def test_file_types_come_from_the_bytes(body, name, kind):
    assert sniff(body, name) == kind


def test_gbk_content_disposition_filename():
    raw = b'attachment; filename="' + "某镇2023年年报.pdf".encode("gbk") + b'"'
    assert filetypes.disposition_filename(raw) == "某镇2023年年报.pdf"
    assert filetypes.disposition_filename("attachment; filename*=UTF-8''%E5%B9%B4%E6%8A%A5.pdf") == "年报.pdf"


@pytest.mark.parametrize("title", ["某某县2023年政府信息公开工作年度…", "某某镇2022年度政府信息公开...", "某某局2021年政府信息公开工作年度报…"])
def test_titles_cut_by_a_list_still_name_a_report(title):
    assert discovery.classify_title(title) == "report"
