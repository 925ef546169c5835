"""Report metadata: title, agency, report year, era, statistics period, publication date."""

import re
from datetime import date

from .spec import (
    REPORT_TITLE, REPORT_TITLE_CUT, SECTION_BY_CODE, SECTIONS, STATUTORY_TITLE_END, TITLE_DECOY, TITLE_FRAME,
    TITLE_RENDITION,
)
from .textnorm import clean, fold

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
_TITLE_NOISE = re.compile(
    r"(?:关于)?(?:(?:19|20)\d{2}\s*年(?:度)?)|(?:的)?政府信息公开(?:工作)?(?:年度)?(?:报告|年报)|信息公开(?:工作)?年度报告|年度报告|[《》“”\"]"
)
_DATE = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
_LABELLED_DATE = re.compile(r"(?:发布日期|发布时间|发文日期|公开日期|成文日期|生成日期|日期|时间)\s*[:：]?\s*" + _DATE)
_SIGNED_DATE = re.compile(r"^" + _DATE + r"\s*日?$")
_PERIOD = re.compile(
    r"统计(?:期限|期间|时限|时间)?[^0-9]{0,6}?((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:起)?\s*(?:至|到|—|－|-|~)\s*"
    r"(?:((?:19|20)\d{2})\s*年)?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_PUB_META = ("PubDate", "pubdate", "publishdate", "firstpublishedtime", "dc.date", "article:published_time")
_AGENCY_META = ("ContentSource", "contentsource", "Author", "author")


def _iso(y, m, d):
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


_NOT_TITLE = re.compile(r"根据|以下简称|可从|下载|编制|本年度报告|本报告|[。；]$")


def _title_like(line):
    return len(line) <= 70 and REPORT_TITLE.search(line) and not _NOT_TITLE.search(line)


def _first_section(lines):
    """The index of the line that opens a report's first section (一、总体情况, 一、概述), or None."""
    for n, line in enumerate(lines):
        if len(line) <= 30 and SECTIONS[0].heading.search(line):
            return n
    return None


def find_title(doc):
    """The report's title: the page's ArticleTitle, a title line at the top of the article,
    a heading element of the page, then the <title> (sidebars list other years' reports, so
    the article's own words come first)."""
    meta_title = doc.meta.get("ArticleTitle") or doc.meta.get("articletitle")
    if meta_title and REPORT_TITLE.search(meta_title):
        return clean(meta_title)
    every = doc.text_lines()
    body = _first_section(every[:80])
    lines = every[:max(12, (body or 0) + 1)]
    candidates = [i for i, line in enumerate(lines) if _title_like(line)]
    dated = [i for i in candidates if _YEAR.search(normalize_year(lines[i]))]
    years = {_YEAR.search(normalize_year(lines[i])).group(1) for i in dated}
    if len(years) > 1 and body is not None and any(i < body for i in dated):
        # A printed page lists other years' reports beside the article (a sidebar): the title is
        # the one nearest above the report's first section.
        dated = [max(i for i in dated if i < body)]
    if dated:
        i = dated[0]
        line = lines[i]
        if _YEAR.match(normalize_year(line)) and i > 0 and not REPORT_TITLE.search(lines[i - 1]) and len(lines[i - 1]) <= 40:
            return lines[i - 1] + line  # agency on the line above "2019年…年度报告"
        return line
    for heading in doc.headings:
        if _title_like(heading) and _YEAR.search(normalize_year(heading)):
            return heading
    if candidates:
        return lines[candidates[0]]
    if meta_title:
        return clean(meta_title)
    if doc.html_title:
        for part in re.split(r"\s*[_|｜—-]+\s*", doc.html_title):
            if REPORT_TITLE.search(part):
                return part
        return doc.html_title
    return None


_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")
_CN_YEAR = re.compile(r"[二][〇○零一二三四五六七八九]{3}(?=\s*年)")


def normalize_year(text):
    """A title as its patterns read it: look-alike characters folded (a list's ``⼯作年度报告``
    is 工作年度报告) and a year in Chinese numerals ("二〇二二年") in digits."""
    text, _ = fold(text)
    return _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGITS), text)


def classify_title(text):
    """``report`` for an annual disclosure report's title, ``decoy`` for a look-alike, else None.

    List pages cut long titles ("…政府信息公开工作年度…"): a cut inside the statutory phrase counts.
    """
    text = normalize_year(re.sub(r"\s+", "", text or ""))
    if not text:
        return None
    if REPORT_TITLE.search(text) or REPORT_TITLE_CUT.search(text):
        if TITLE_RENDITION.search(text):
            return "decoy"
        # Other decoy words may be part of an agency's name (住房公积金管理中心, 统计局): the full
        # statutory title after a year still makes it a report.
        if TITLE_DECOY.search(text) and not STATUTORY_TITLE_END.search(text):
            return "decoy"
        if "政府信息公开" not in text and "信息公开" not in text and "政务公开" not in text:
            return "decoy" if re.search(r"报表|工作报告", text) else None
        return "report"
    if TITLE_DECOY.search(text) and re.search(r"报告|年报|报表", text):
        return "decoy"
    return None


def agency_from_title(title):
    """The agency named in a report title, without year, report phrase or trailing notes
    such as "（更正）"."""
    if not title:
        return None
    title = normalize_year(title)
    match = REPORT_TITLE.search(title)
    if match:
        title = title[:match.end()]
    title = re.sub(r"^【[^】]*】", "", title)
    name = _TITLE_NOISE.sub("", title).strip(" ：:-—_")
    name = TITLE_FRAME.sub("", name).strip(" ：:-—_")
    return name or None


def find_agency(doc, title):
    name = agency_from_title(title)
    if name and len(name) >= 2:
        return name
    for key in _AGENCY_META:
        if doc.meta.get(key):
            return clean(doc.meta[key])
    match = re.search(r"(?:发布机构|来源|信息来源)\s*[:：]\s*(\S{2,30}?)(?:\s|$|发布|时间|日期)", doc.header_text)
    return match.group(1) if match else None


def find_year(title, period, lines):
    """Report year: from the title, else the statistics period, else the first year named."""
    if title:
        match = _YEAR.search(normalize_year(title))
        if match:
            return int(match.group(1))
    if period:
        return int(period[0][:4])
    for line in lines[:20]:
        match = _YEAR.search(line)
        if match:
            return int(match.group(1))
    return None


_OPENING_YEAR = re.compile(r"^(?:[（(]?[一二三四五六七八九十]+[）)、.．]\s*)?(?:\S{0,6}?)((?:19|20)\d{2})\s*年(?:度)?(?![\d月])")


_ACTIVE_HEADING = SECTION_BY_CODE["s2.active"].heading


def find_narrative_year(lines):
    """The year the overview's paragraphs open with ("2019年，…"), the most frequent one.

    Only section 一 counts: the later sections speak of next year's plans.
    """
    counts = {}
    for line in lines[:60]:
        if _ACTIVE_HEADING.match(line):
            break
        match = _OPENING_YEAR.match(normalize_year(line))
        if match:
            year = int(match.group(1))
            counts[year] = counts.get(year, 0) + 1
    return max(counts, key=counts.get) if counts else None


def find_period(lines):
    """``(start, end)`` ISO dates of the statistics period if the text states it."""
    for line in lines[:40]:
        match = _PERIOD.search(line)
        if match:
            y1, m1, d1, y2, m2, d2 = match.groups()
            start, end = _iso(y1, m1, d1), _iso(y2 or y1, m2, d2)
            if start and end:
                return start, end
    return None


def find_published(doc):
    """Publication date from the page's metadata or its labelled date line."""
    for key in _PUB_META:
        value = doc.meta.get(key)
        if value:
            match = re.search(_DATE, value)
            if match and _iso(*match.groups()):
                return _iso(*match.groups())
    for text in [doc.header_text] + doc.text_lines()[:8]:
        match = _LABELLED_DATE.search(text or "")
        if match and _iso(*match.groups()):
            return _iso(*match.groups())
    return None


def find_signed(lines):
    """The date under the signature at the end of a report, when there is one."""
    for line in reversed(lines[-6:]):
        match = _SIGNED_DATE.match(line.strip())
        if match and _iso(*match.groups()):
            return _iso(*match.groups())
    return None


def era_for_year(year):
    if year is None:
        return None
    return "f2021" if year >= 2021 else "f2019" if year >= 2019 else "pre2019"
