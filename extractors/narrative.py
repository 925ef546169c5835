"""Figures quoted in a report's running text (SPEC §6.7), kept as facts with their sentence."""

import re

from .records import Fact


_SECTION = re.compile(r"^\s*([一二三四五六七八])\s*[、.．]")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
_GAP = r"[^。；;，,、\d]{0,24}?"
_N = r"(\d[\d,]*)\s*"

# (fact id, pattern, what the figure is). Earlier patterns win over later ones on the same text.
PATTERNS = (
    ("carried_over", re.compile(r"上一?年度?结转" + _GAP + _N + r"(?:件|个|宗)")),
    ("carried_forward", re.compile(r"结转(?:到|至|入)?下一?年度?" + _GAP + _N + r"(?:件|个|宗)")),
    ("new_received", re.compile(r"(?:新收|收到|受理|接收|接到|共收)" + _GAP + _N + r"(?:件|个|宗)")),
    ("result_total", re.compile(r"(?:办结|答复|办理完毕|处理完毕|处理|办理)" + _GAP + _N + r"(?:件|个|宗)")),
    ("review_total", re.compile(r"行政复议" + r"[^。；;，,\d]{0,12}?" + _N + r"(?:件|起|宗|次)")),
    ("carried_forward", re.compile(_N + r"件[^。；;，,\d]{0,16}?(?:顺延|结转)(?:到|至|入)?下一?年")),
    ("litigation_total", re.compile(r"(?<!复议和)(?<!复议、)(?<!复议及)(?:行政)?诉讼" + r"[^。；;，,\d]{0,12}?" + _N + r"(?:件|起|宗|次)")),
    ("processing_fee", re.compile(r"信息处理费" + r"[^。；;\d]{0,20}?" + r"(\d[\d,]*(?:\.\d+)?)\s*(万元|元)")),
)
_PLAUSIBLE_MAX = 1_000_000  # no agency handles a million requests or cases in a year
_HAS_FIGURE = re.compile(r"\d\s*(?:件|起|宗|次|个|元|万元)|复议|诉讼")
_NONE = r"(?:没有|未发生|未收到|未出现|未有|未产生|无(?!一))[^。；;，,\d]{0,20}"
_NONE_REVIEW = re.compile(_NONE + r"复议")
_NONE_LITIGATION = re.compile(_NONE + r"诉讼")
# Words that say a figure is about something else than the table cell it resembles.
_NOT_REQUEST = ("咨询", "留言", "信访", "电话", "来电", "建议", "提案", "政策解读", "热线", "办件", "事项", "议案")


def section_of(text, current):
    match = _SECTION.match(text)
    return f"s{'一二三四五六七八'.index(match.group(1)) + 1}" if match and len(text) < 60 else current


def extract_facts(lines):
    """Facts from the running text; ``lines`` are ``(text, line_no)`` in order."""
    facts = []
    section = "s0"
    for text, line_no in lines:
        section = section_of(text, section)
        for sentence in _SENTENCE.findall(text):
            facts.extend(_sentence_facts(sentence.strip(), section, line_no))
    return facts


def _sentence_facts(sentence, section, line_no):
    found = []
    taken = []
    if not _HAS_FIGURE.search(sentence):
        return found
    for fact_id, pattern in PATTERNS:
        for match in pattern.finditer(sentence):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            if fact_id in ("new_received", "result_total"):
                context = sentence[max(0, match.start() - 12): match.end()]
                if "申请" not in context and "依申请" not in sentence and "案件" not in context:
                    continue
                if any(word in context for word in _NOT_REQUEST):
                    continue
            taken.append(match.span())
            value = float(match.group(1).replace(",", ""))
            if value > _PLAUSIBLE_MAX or sentence[match.end(1):match.end(1) + 1] == "万":
                continue  # "173769万条" and the like (SPEC D20): not a count of cases
            unit = match.group(2) if fact_id == "processing_fee" else "件"
            found.append(Fact(fact_id, int(value) if value.is_integer() else value, unit, section, sentence[:200], line_no))
    if _NONE_REVIEW.search(sentence) and not any(f.fact == "review_total" for f in found):
        found.append(Fact("review_total", 0, "件", section, sentence[:200], line_no))
    if _NONE_LITIGATION.search(sentence) and not any(f.fact == "litigation_total" for f in found):
        found.append(Fact("litigation_total", 0, "件", section, sentence[:200], line_no))
    return found
