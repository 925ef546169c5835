"""extractors.crossrules: rules over pairs of reports are pure functions of the two reports."""

from extractors.crossrules import changed_page, consecutive_years


def _report(year, era="f2021", **values):
    return {"report_id": f"r{year}", "year": year, "era": era, "values": {k.replace("__", "."): v for k, v in values.items()}}


def test_carry_over_must_match_last_years_carry_forward():
    before = _report(2022, table3__carried_forward__total=5, table3__carried_forward__natural_person=5)
    after = _report(2023, table3__carried_over__total=4, table3__carried_over__natural_person=5)
    flags = consecutive_years(before, after)
    assert [(f.rule, f.scope, f.lhs, f.rhs) for f in flags] == [("X-T3-CARRY", "total", 4, 5)]


def test_documents_in_force_follow_from_last_year():
    before = _report(2022, table2__normative_docs__valid=10)
    after = _report(2023, table2__normative_docs__made=3, table2__normative_docs__repealed=1, table2__normative_docs__valid=11)
    flags = consecutive_years(before, after)
    assert [(f.rule, f.scope, f.lhs, f.rhs) for f in flags] == [("X-T2-STOCK", "normative_docs", 11, 12)]


def test_a_copy_of_last_years_numbers_is_flagged_and_all_zeros_are_not():
    numbers = {f"table3.r{n}.total": n for n in range(60)}
    copy = consecutive_years(dict(_report(2022), values=numbers), dict(_report(2023), values=dict(numbers)))
    zeros = {k: 0 for k in numbers}
    assert [f.rule for f in copy] == ["X-DUP"]
    assert consecutive_years(dict(_report(2022), values=zeros), dict(_report(2023), values=dict(zeros))) == []


def test_a_later_version_of_a_page_is_flagged_as_changed():
    flag, = changed_page({"report_id": "b", "previous_id": "a", "version": 2, "url": "http://x/1.html"})
    assert flag.rule == "X-CHANGED" and "previous version a" in flag.message
