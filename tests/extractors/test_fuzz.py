"""Mutated real reports through extraction: byte, character and structure mutations of the
samples never crash or hang the extractor nor grow it past a memory bound, and no number is
stored that the mutated document does not hold. Fixed examples in CI (derandomized);
``NIANBAO_FUZZ_EXAMPLES=2000`` for a larger run on demand."""

import os
import re
import resource
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLES
from extractors.decode import decode
from extractors.process import NotAReport, process
from extractors.report import UnsupportedDocument
from extractors.textnorm import nfkc

FUZZ = settings(max_examples=int(os.environ.get("NIANBAO_FUZZ_EXAMPLES", "40")), deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
NAMES = ("shanghai-office-2019.html", "jinghai-2019.txt")
_ORIGINALS = {}


def _original(name):
    if name not in _ORIGINALS:
        with open(os.path.join(SAMPLES, name), "rb") as f:
            _ORIGINALS[name] = f.read()
    return _ORIGINALS[name]


_BYTE_EDIT = st.tuples(st.sampled_from(["set", "insert", "delete"]), st.floats(0, 1, exclude_max=True), st.integers(0, 255))
_TEXT_EDIT = st.tuples(st.sampled_from(["set", "insert", "delete"]), st.floats(0, 1, exclude_max=True),
                       st.sampled_from(list("0123456789，。、（）|\t\n<>/\"'&;- 一二三四五六七八九十件申请公开总计合计\u3000\ufeff\x00\x1f")))


def _edited(sequence, edits, empty):
    out = list(sequence)
    for kind, where, what in edits:
        at = int(where * len(out)) if out else 0
        if kind == "set" and out:
            out[at] = what
        elif kind == "insert":
            out.insert(at, what)
        elif kind == "delete" and out:
            del out[at]
    return "".join(out) if isinstance(empty, str) else bytes(out)


def _numbers_in(data):
    """Every run of digits the document's text holds (thousands separators and spaces joined too)."""
    try:
        text = nfkc(decode(data)[0])
    except ValueError:
        text = nfkc(data.decode("latin-1"))
    runs = set(re.findall(r"\d+", text))
    runs |= {re.sub(r"[,\s]", "", m) for m in re.findall(r"\d[\d,\s]*\d", text)}
    return runs


HANG_SECONDS = 60  # far beyond any reading of a sample (well under a second): a hang, not a speed claim
MAX_RSS_MB = 2048  # the test process's peak over every example


def _check(data):
    started = time.monotonic()
    try:
        report = process(data, source="fuzz")
    except (NotAReport, UnsupportedDocument, ValueError):
        return  # refused with a reason: allowed
    finally:
        assert time.monotonic() - started < HANG_SECONDS
        assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 < MAX_RSS_MB
    held = _numbers_in(data)
    for cell in report["cells"]:
        value = cell["value"]
        if value is None or cell["code"].startswith("pre2019") or (cell["unit"] == "万元"):
            continue  # money may be converted between 元 and 万元
        whole = str(int(value)) if float(value).is_integer() else None
        if whole is not None and value != 0:
            assert whole in held or any(whole in run for run in held), (cell["code"], value, cell["raw"])


@FUZZ
@given(name=st.sampled_from(NAMES), edits=st.lists(_BYTE_EDIT, min_size=1, max_size=12))
def test_byte_mutations_of_real_reports_neither_crash_nor_invent_numbers(name, edits):
    _check(_edited(_original(name), edits, b""))


@FUZZ
@given(name=st.sampled_from(NAMES), edits=st.lists(_TEXT_EDIT, min_size=1, max_size=12))
def test_character_mutations_of_real_reports_neither_crash_nor_invent_numbers(name, edits):
    text = _original(name).decode("utf-8")
    _check(_edited(text, [(k, w, c) for k, w, c in edits], "").encode("utf-8"))


_STRUCTURE_EDIT = st.tuples(st.sampled_from(["repeat", "nest"]), st.floats(0, 1, exclude_max=True),
                            st.floats(0, 1, exclude_max=True), st.integers(1, 3000))


def _restructured(text, edits):
    """Slices of the document repeated (up to thousands of times) and wrappers nested deep."""
    for kind, start, length, times in edits:
        at = int(start * len(text))
        if kind == "repeat":
            piece = text[at: at + 1 + int(length * 2000)]
            text = text[:at] + piece * min(times, 4_000_000 // max(1, len(piece))) + text[at:]
        else:
            text = text[:at] + "<div><span>" * times + text[at:] + "</span></div>" * times
    return text


@FUZZ
@given(name=st.sampled_from(NAMES), edits=st.lists(_STRUCTURE_EDIT, min_size=1, max_size=3))
def test_structure_mutations_of_real_reports_neither_hang_nor_invent_numbers(name, edits):
    _check(_restructured(_original(name).decode("utf-8"), edits).encode("utf-8"))
