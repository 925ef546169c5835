"""Property tests: random consistent reports, rendered with real-world deviations, read back."""

import os
import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import reportgen
from extractors.process import process

SETTINGS = settings(max_examples=int(os.environ.get("NIANBAO_EXAMPLES", "80")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _render(report, style, seed, kind, form=None):
    rng = random.Random(seed)
    if kind == "html":
        return reportgen.render_html(report, style, rng)[0]
    return reportgen.render_text(report, style, rng, form)[0]


def _read(data):
    return process(data, source="generated")


def _compare(report, style, extracted):
    expected = reportgen.expected_reading(report, style)
    got = {c["code"]: c for c in extracted["cells"]}
    wrong = []
    for code, value in expected.items():
        cell = got.get(code)
        if cell is None:
            wrong.append((code, value, "absent"))
        elif value is None:
            if cell["value"] not in (None, 0):
                wrong.append((code, value, cell["value"], cell["raw"]))
        elif cell["value"] is None or abs(cell["value"] - value) > 1e-6:
            wrong.append((code, value, cell["value"], cell["raw"]))
    return wrong


def _errors(extracted):
    return [f["message"] for f in extracted["flags"] if f["severity"] == "ERROR"]


def _case(seed, kind, form=None, era=None):
    rng = random.Random(seed)
    report = reportgen.generate(rng, era)
    style = reportgen.Style.random(rng, text=kind == "text")
    data = _render(report, style, seed, kind, form)
    return report, style, data


@pytest.mark.parametrize("era", ["f2019", "f2021"])
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_html_rendering_reads_back_every_number(era, seed):
    report, style, data = _case(seed, "html", era=era)
    extracted = _read(data)
    assert extracted["era"] == report.era
    assert extracted["year"] == report.year
    assert _compare(report, style, extracted) == [], style
    assert _errors(extracted) == [], style


@pytest.mark.parametrize("form", ["pipe", "markdown", "tabs", "pdf", "pdf-lines"])
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_text_rendering_reads_back_every_number(form, seed):
    report, style, data = _case(seed, "text", form)
    extracted = _read(data)
    assert extracted["era"] == report.era
    assert extracted["year"] == report.year
    assert _compare(report, style, extracted) == [], (form, style)
    assert _errors(extracted) == [], (form, style)


def _inject_t3(report, rng):
    columns = [c for c in reportgen.T3_COLS[:-1] if report.values[f"table3.result_total.{c}"]]
    assume(columns)
    column = rng.choice(columns)
    leaves = [code for _, code, _ in reportgen.T3_RESULTS_HEAD + reportgen.T3_OTHER[report.era]]
    code = f"table3.{rng.choice(leaves)}.{column}"
    report.values[code] += rng.choice([1, 2, 7, 100])
    return f"R-T3-RESULT:{column}"


def _inject_t4(report, rng):
    groups = [g for g in reportgen.T4_GROUPS if report.values[f"table4.{g}.total"]]
    assume(groups)
    group = rng.choice(groups)
    code = f"table4.{group}.{rng.choice(reportgen.T4_COLS[:4])}"
    report.values[code] += rng.choice([1, 3, 10])
    return f"R-T4-SUM:{group}"


@pytest.mark.parametrize("kind", ["html", "text"])
@pytest.mark.parametrize("inject", [_inject_t3, _inject_t4])
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_every_injected_inconsistency_is_flagged(kind, inject, seed):
    rng = random.Random(seed)
    report = reportgen.generate(rng)
    style = reportgen.Style.random(rng, text=kind == "text")
    expected_flag = inject(report, random.Random(seed + 1))
    extracted = _read(_render(report, style, seed, kind))
    raised = {f"{f['rule']}:{f['scope']}" for f in extracted["flags"]}
    assert expected_flag in raised, (style, sorted(raised))
