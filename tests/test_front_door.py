"""The site's front door and the pages around it, through a real Datasette (its ASGI client):
the home page, ranked search, browsing by place, report pages in the printed form, flags grouped
by rule with their explanations, report JSON/CSV, links from every report id, and CSV with a
byte-order mark. Expected values come from the samples' own tables and from SPEC.md."""

import csv
import io
import os
import random
import re
from urllib.parse import quote

import pytest

import reportgen
from archive.agencies import coverage
from archive.crossreport import run_cross_checks
from archive.db import open_db
from extractors.process import process

from conftest import SAMPLES
from site_client import site_get, write_samples

OWN = "湖南省永州市蓝山县人民政府"
MENTION = "<p>本年度学习借鉴蓝山县政务公开经验，组织赴蓝山县考察，蓝山县做法值得推广。</p>"


get = site_get


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    path = tmp_path_factory.mktemp("front") / "archive.db"
    db = open_db(str(path))
    ids = write_samples(db, SAMPLES)
    rng = random.Random(11)
    own = reportgen.generate(rng, "f2021")
    own.agency = OWN
    ids["own"] = db.write_report(process(reportgen.render_html(own, reportgen.Style(), rng)[0]))
    ids["mentions"] = []
    for agency, _, _ in reportgen.AGENCIES[:5]:
        other = reportgen.generate(rng, "f2021")
        other.agency = agency
        body = reportgen.render_html(other, reportgen.Style(), rng)[0].decode("utf-8")
        body = body.replace("<p>一、总体情况</p>", "<p>一、总体情况</p>" + MENTION, 1)
        ids["mentions"].append(db.write_report(process(body.encode("utf-8"))))
    run_cross_checks(db)  # what `nianbao extract` does after the last report: agencies, agency-years, checks across
    coverage(db)
    db.conn.close()
    return path, ids


def test_the_front_door_has_search_figures_places_latest_and_visible_doors(site):
    path, ids = site
    page = get(path, "/").text
    assert '<form action="/-/search"' in page and 'name="q"' in page
    for door in ("/-/browse", "/-/coverage", "/-/charts", "/-/rules", "/-/snapshots", "/-/feed.atom"):
        assert f'href="{door}"' in page, door
    figures = re.search(r'id="figures">(.*?)</div>\s*<div class="columns">', page, re.S).group(1)
    assert "<b>8</b>" in figures  # 8 reports stand
    assert f'href="/-/browse?province={quote("上海市")}"' in page
    assert f'href="/-/report/{ids["own"]}"' in page  # among the latest
    assert 'href="/-/rule/N-RESULT-TOTAL"' in page  # the Jinghai narrative flag, among the latest flags
    assert "identity_breaks" in page and "missing_reports" in page  # the canned queries, visible


def test_search_ranks_the_agency_s_own_report_first_and_says_where_each_matched(site):
    path, ids = site
    answer = get(path, "/-/search.json?q=" + quote("蓝山县")).json()
    assert answer["total"] == 6
    first, rest = answer["results"][0], answer["results"][1:]
    assert (first["report_id"], first["agency"], first["matched"]) == (ids["own"], OWN, "agency")
    assert sorted(r["report_id"] for r in rest) == sorted(ids["mentions"])
    assert all(r["matched"] == "text" and "蓝山县" in r["snippet"] for r in rest)
    page = get(path, "/-/search?q=" + quote("蓝山县")).text
    assert page.index(ids["own"]) < min(page.index(i) for i in ids["mentions"])
    assert "<mark>蓝山县</mark>" in page and "6 份报告" in page


def test_search_finds_a_two_character_word_and_refuses_a_bad_page(site):
    path, _ = site
    assert get(path, "/-/search.json?q=" + quote("复议")).json()["total"] >= 2
    assert get(path, "/-/search?q=x&page=0").status_code == 400
    assert get(path, "/-/search?q=").status_code == 200


def test_browse_goes_province_city_county_and_ends_in_the_agency_year_grid(site):
    path, _ = site
    top = get(path, "/-/browse").text
    assert f'/-/browse?province={quote("湖南省")}' in top
    province = get(path, "/-/browse?province=" + quote("天津市")).text
    assert "天津市" in province and 'id="grid-link"' in province
    city = get(path, "/-/browse?province=" + quote("天津市") + "&city=" + quote("天津市")).text
    assert "region=" + quote("天津市静海区") in city
    grid = get(path, "/-/coverage?region=" + quote("天津市静海区")).text
    assert "天津市静海区人民政府办公室" in grid and "上海市人民政府办公厅" not in grid


def _table(page, table_id):
    return page[page.index(f'id="{table_id}"'):page.index("</table>", page.index(f'id="{table_id}"'))]


def test_the_report_page_prints_table_3_with_every_group_and_column_group(site):
    path, ids = site
    page = get(path, f"/-/report/{ids['shanghai-office-2019.html']}").text
    table3 = _table(page, "table3")
    for heading in ('<th rowspan="20">三、本年度办理结果</th>', '<th rowspan="8">（三）不予公开</th>',
                    '<th rowspan="3">（四）无法提供</th>', '<th rowspan="5">（五）不予处理</th>',
                    '<th colspan="2">（六）其他处理</th>', '<th colspan="5">法人或其他组织</th>',
                    '<th rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th>'):
        assert heading in table3, heading
    assert re.search(r'data-code="table3.new_received.natural_person"[^>]*>821<', table3)
    own = get(path, f"/-/report/{ids['own']}").text
    assert '<th rowspan="22">三、本年度办理结果</th>' in _table(own, "table3")
    assert '<th rowspan="3">（六）其他处理</th>' in _table(own, "table3")


def test_the_report_page_prints_table_2_under_its_article_20_captions_with_units(site):
    path, ids = site
    table2 = _table(get(path, f"/-/report/{ids['own']}").text, "table2")
    for caption in ("第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"):
        assert f'<th colspan="4">{caption}</th>' in table2
    assert "本年收费金额（单位：万元）" in table2 and "行政规范性文件" in table2
    table2_2019 = _table(get(path, f"/-/report/{ids['shanghai-office-2019.html']}").text, "table2")
    assert '<th colspan="4">第二十条第（九）项</th>' in table2_2019 and "采购总金额" in table2_2019
    assert "251000" in table2_2019  # the procurement amount as printed (SPEC §4.1)


def test_flags_are_grouped_by_rule_named_in_chinese_and_linked_to_their_explanation(site):
    path, ids = site
    page = re.sub(r">\s+<", "><", get(path, f"/-/report/{ids['jinghai-2019.txt']}").text)
    group = page[page.index('data-rule="N-RESULT-TOTAL"'):]
    group = group[:group.index("</table>")]
    assert 'href="/-/rule/N-RESULT-TOTAL"' in group and "§6.7" in group and "正文所述办理结果总数与表格不一致" in group
    assert "<td>（七）总计</td><td>5</td><td>4</td><td>1</td>" in group
    assert "WARN 1" in page and "ERROR 0" in page  # the legend with this report's counts
    rule = get(path, "/-/rule/N-RESULT-TOTAL").text
    assert "6.7 Narrative versus table" in rule and f'href="/-/report/{ids["jinghai-2019.txt"]}#flags"' in rule
    balance = get(path, "/-/rule/R-T3-BALANCE").text
    assert "6.1 Hard identities in table 三" in balance and "ERROR" in balance
    assert "D11" in get(path, "/-/rule/R-REPAIR").text
    assert get(path, "/-/rule/R-NOPE").status_code == 404
    rules = get(path, "/-/rules").text
    assert rules.count('href="/-/rule/') >= 30 and "ERROR</span> 错误" in rules


def test_a_report_is_served_as_json_and_as_csv_with_an_optional_bom(site):
    path, ids = site
    rid = ids["shanghai-office-2019.html"]
    data = get(path, f"/-/report/{rid}.json").json()
    assert data["report"]["agency"] == "上海市人民政府办公厅" and data["report"]["year"] == 2019
    cells = {c["code"]: c for c in data["cells"]}
    assert cells["table3.new_received.natural_person"]["value"] == 821
    assert cells["table3.new_received.natural_person"]["label"].startswith("一、本年新收")
    assert cells["table3.new_received.natural_person"]["src_row"] is not None  # where in the document
    plain = get(path, f"/-/report/{rid}.csv")
    assert not plain.text.startswith("\ufeff") and plain.headers["content-type"].startswith("text/csv")
    marked = get(path, f"/-/report/{rid}.csv?bom=1").content
    assert marked.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(marked.decode("utf-8-sig"))))
    assert {r["code"]: r["value"] for r in rows}["table3.new_received.natural_person"] == "821"


def test_datasette_s_own_csv_takes_a_bom_and_stays_the_same_otherwise(site):
    path, _ = site
    plain = get(path, "/archive/report_numbers.csv?_size=max").content
    marked = get(path, "/archive/report_numbers.csv?_size=max&_bom=1").content
    assert not plain.startswith(b"\xef\xbb\xbf") and marked == b"\xef\xbb\xbf" + plain
    assert "上海市人民政府办公厅" in marked.decode("utf-8-sig")


def test_every_report_id_links_to_its_report_page(site):
    path, ids = site
    rid = ids["jinghai-2019.txt"]
    for url in (f"/archive/flags?report_id={rid}", f"/archive/cells?report_id={rid}&_size=5", "/archive/report_numbers",
                "/archive/agency_years"):
        assert f'<a href="/-/report/{rid}">{rid}</a>' in get(path, url).text, url
    assert 'href="/-/rule/N-RESULT-TOTAL"' in get(path, f"/archive/flags?report_id={rid}").text


def test_the_reports_table_reads_title_agency_year_and_flags_first_with_descriptions_folded(site):
    path, _ = site
    page = get(path, "/archive/reports").text
    table = page[page.index('<table class="rows-and-columns">'):]
    header = re.findall(r'scope="col" data-column="(\w+)"', table)
    assert header[:6] == ["title", "agency", "year", "n_errors", "n_warnings", "n_info"]
    body = re.findall(r'<td class="col-(\w+)', table[table.index("<tbody>"):])
    assert body[:len(header)] == header  # every cell under its own heading
    assert "column-descriptions-folded" in page and "dl.column-descriptions" in page


@pytest.mark.parametrize("query, params, expect", [
    ("most_refusals", "province=" + quote("天津市"), [("天津市静海区人民政府办公室", 5)]),  # its refusal rows are all 0
    ("requests_by_year", "province=" + quote("上海市"), [("上海市人民政府办公厅", 859)]),
    ("requests_by_year", "level=province", [("上海市人民政府办公厅", 859)]),
    ("requests_by_year", "agency_kind=gov_office&province=" + quote("天津市"), [("天津市静海区人民政府办公室", 5)]),
])
def test_canned_queries_take_place_level_kind_and_year_and_list_reports(site, query, params, expect):
    path, ids = site
    rows = get(path, f"/archive/{query}.json?_shape=array&{params}").json()
    assert [(r["agency"], r.get("new_received")) for r in rows] == expect
    page = get(path, f"/archive/{query}?{params}").text
    for r in rows:
        assert f'<a href="/-/report/{r["report_id"]}">' in page


PRE2019 = ("<p>湖南省永州市蓝山县人民政府2015年政府信息公开工作年度报告</p><p>一、概述</p>"
           "<p>2015年，蓝山县人民政府认真贯彻落实《中华人民共和国政府信息公开条例》。</p>"
           "<p>二、主动公开政府信息情况</p><p>全年主动公开政府信息844条。</p>"
           "<p>三、依申请公开政府信息情况</p><p>全年共受理政府信息公开申请33件，均已按时答复。</p>").encode("utf-8")


def test_a_pre_2019_report_lists_its_figures_instead_of_an_empty_form(tmp_path):
    path = tmp_path / "archive.db"
    db = open_db(str(path))
    rid = db.write_report(process(PRE2019))
    db.conn.close()
    page = get(path, f"/-/report/{rid}").text
    assert 'id="table3"' not in page and "SPEC §8" in page
    figures = page[page.index('id="figures-pre2019"'):]
    assert re.search(r"<td>受理政府信息公开申请</td><td>[^<]*33件</td><td>33</td><td>件</td>", figures)
    assert re.search(r"<td>主动公开政府信息</td><td>[^<]*844条</td><td>844</td><td>条</td>", figures)


def _documents():
    from conftest import ROOT

    folders = [SAMPLES, os.path.join(ROOT, "tests", "fixtures")]
    return [os.path.join(f, n) for f in folders for n in sorted(os.listdir(f)) if n.endswith((".txt", ".html"))]


@pytest.mark.parametrize("path", _documents(), ids=os.path.basename)
def test_the_report_page_shows_every_cell_of_a_real_or_odd_report_once(tmp_path, path):
    db = open_db(str(tmp_path / "archive.db"))
    with open(path, "rb") as f:
        rid = db.write_report(process(f.read(), source=os.path.basename(path)))
    codes = [r[0] for r in db.conn.execute("SELECT code FROM cells WHERE report_id = ?", [rid])]
    db.conn.close()
    page = get(tmp_path / "archive.db", f"/-/report/{rid}").text
    placed = re.findall(r'data-code="([^"]+)"', page)
    listed = re.findall(r"<code>((?:table|extra|pre)[^<]*)</code>", page)
    shown = [c for c in placed + listed if c in set(codes)]
    # Every cell the archive holds is on the page, once: in the printed form or among the others.
    assert sorted(shown) == sorted(codes), set(codes) ^ set(shown)


@pytest.mark.parametrize("query", ['"', '""', "AND", "OR NOT", "*", "NEAR(公开", "公开*", "(", "title:公开", "'; DROP TABLE reports; --",
                                   "a" * 200, "％＿", "\u3000", "🙂"])
def test_search_takes_any_text_without_failing(site, query):
    path, _ = site
    answer = get(path, "/-/search.json?q=" + quote(query))
    assert answer.status_code == 200, (query, answer.text[:300])
    assert isinstance(answer.json()["total"], int)


def test_an_empty_archive_still_has_a_front_door_and_pages(tmp_path):
    path = tmp_path / "archive.db"
    open_db(str(path)).conn.close()
    for url in ("/", "/-/browse", "/-/charts", "/-/coverage", "/-/rules", "/-/snapshots", "/-/search?q=" + quote("公开"),
                "/-/charts/requests.csv", "/-/feed.atom"):
        assert get(path, url).status_code == 200, url
