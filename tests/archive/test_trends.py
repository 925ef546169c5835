"""Figures over the years (archive.trends) and how /-/charts draws them, on rows whose expected
figures are worked out by hand below."""

import asyncio

from archive.site.views.charts import draw, requests_rows, requests_spec
from archive.trends import changes, yearly

# Agency a reports 2020-2022, b only 2021-2022, c only 2020; d is a pre-2019 report (no table 三).
ROWS = [
    {"agency_id": "a", "year": 2020, "new_received": 100, "granted": 50, "denied": 5, "unable": 1},
    {"agency_id": "c", "year": 2020, "new_received": 900, "granted": 10, "denied": 0, "unable": 0},
    {"agency_id": "a", "year": 2021, "new_received": 80, "granted": 40, "denied": 4, "unable": None},
    {"agency_id": "b", "year": 2021, "new_received": 500, "granted": 400, "denied": 0, "unable": 0},
    {"agency_id": "a", "year": 2022, "new_received": 60, "granted": 30, "denied": 3, "unable": 2},
    {"agency_id": "b", "year": 2022, "new_received": 600, "granted": 500, "denied": 1, "unable": 0},
    {"agency_id": "d", "year": 2017, "new_received": None, "granted": None, "denied": None, "unable": None},
]


def test_plain_totals_sum_every_report_and_count_them():
    totals = {t.year: t for t in yearly(ROWS)}
    assert (totals[2020].reports, totals[2020].sums["new_received"]) == (2, 1000)
    assert (totals[2021].sums["unable"], totals[2021].counts["unable"]) == (0, 1)
    assert totals[2017].sums == {"new_received": None, "granted": None, "denied": None, "unable": None}


def test_year_over_year_compares_only_agencies_present_in_both_years():
    found = {(c.measure, c.year): c for c in changes(ROWS)}
    c2021 = found[("new_received", 2021)]
    # Only a is in 2020 and 2021: 100 -> 80 is -20%, while the plain totals go 1000 -> 580 (-42%).
    assert (c2021.agencies, c2021.before, c2021.after, c2021.percent) == (1, 100, 80, -20.0)
    assert (c2021.total_before, c2021.total_after, c2021.total_percent) == (1000, 580, -42.0)
    c2022 = found[("new_received", 2022)]
    assert (c2022.agencies, c2022.before, c2022.after, c2022.percent) == (2, 580, 660, 13.8)
    # a has no 2021 unable figure: only b is compared for 2022.
    assert found[("unable", 2022)].agencies == 1
    assert ("new_received", 2018) not in found and ("new_received", 2017) not in found


def test_a_year_without_comparable_statistics_is_no_data_not_zero_and_each_bar_counts_its_reports():
    rows = requests_rows(yearly(ROWS), "http://site", {"province": "某省"})
    by = {(r["year"], r["measure"]): r for r in rows}
    assert by[(2017, "new_received")]["value"] is None and by[(2017, "new_received")]["label"] == "no data"
    assert by[(2020, "new_received")]["label"] == "1000 · 2 reports" and by[(2021, "unable")]["label"] == "0 · 1 report"
    assert by[(2020, "new_received")]["url"] == "http://site/-/charts/reports?province=%E6%9F%90%E7%9C%81&year=2020"
    svg = asyncio.run(draw(requests_spec(rows)))  # drawn by Vega-Lite: a bar per figure, each a link
    assert svg.startswith("<svg") and "1000 · 2 reports" in svg and "no data" not in svg
    assert svg.count('xlink:href="http://site/-/charts/reports?') == sum(1 for r in rows if r["value"] is not None)
