"""Deeply nested pages (issue 14, defect 7): libxml2 silently stops building the tree past 256
levels (2048 with ``huge_tree``); a Word export or a CMS template can nest that deep. Every
number of such a page is read, and a page that cannot be read whole says so."""

import random

import pytest

from extractors import html as html_reader
from extractors.process import process
from farm.sites import generated_body, page


def _nested(body, depth, rng):
    """``body`` inside ``depth`` wrappers drawn from what real templates nest."""
    wrappers = [("<div class=\"w\">", "</div>"), ("<span>", "</span>"), ("<font size=\"3\">", "</font>"),
                ("<section>", "</section>"), ("<div>", "</div>"), ("<strong>", "</strong>")]
    chosen = [rng.choice(wrappers) for _ in range(depth)]
    return "".join(o for o, _ in chosen) + body + "".join(c for _, c in reversed(chosen))


@pytest.mark.parametrize("depth", [255, 300, 2047, 3000, 20000])
def test_every_number_of_a_deeply_nested_report_is_read(depth):
    rng = random.Random(depth)
    body, values = generated_body(depth, 2023, as_read=True)
    title = "某县人民政府2023年政府信息公开工作年度报告"
    report = process(page(title, _nested(f"<p>{title}</p>" + body, depth, rng)).encode("utf-8"), source="deep.html")
    read = {cell.code: cell.value for cell in report.cells}
    assert {code: read.get(code) for code in values} == values
    assert report.year == 2023


def test_a_page_whose_tables_nest_past_the_parsers_limit_is_refused_with_the_reason():
    body = generated_body(7, 2023)
    text = page("某县2023年政府信息公开工作年度报告", "<table><tr><td>" * 2100 + body + "</td></tr></table>" * 2100)
    with pytest.raises(ValueError, match="deeper than 2048 levels"):
        process(text.encode("utf-8"), source="deep.html")


def test_the_crawler_still_gets_the_links_of_a_page_nested_past_the_limit():
    text = "<html><body>" + "<div>" * 5000 + '<a href="/gknb/">政府信息公开年报</a>' + "</div>" * 5000 + "</body></html>"
    root = html_reader.parse_tree(text)
    assert [a.get("href") for a in root.iter("a")] == ["/gknb/"]
