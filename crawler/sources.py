"""The source registry: named sites with region, start URLs and platform hints (sources.yml)."""

import os
import re
from urllib.parse import urlsplit

import yaml

REGISTRY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sources.yml")


def schedules(entry):
    """A source's cron expressions: one, or several (e.g. daily in report season, weekly after)."""
    value = entry.get("schedule") or []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def load_sources(path=None):
    with open(path or os.environ.get("NIANBAO_SOURCES") or REGISTRY, encoding="utf-8") as f:
        return {entry["name"]: entry for entry in yaml.safe_load(f)["sources"]}


class UnknownSource(LookupError):
    """A source name the registry does not hold."""


def load_source(name, path=None):
    """One source by name; a clear error listing the known names otherwise."""
    sources = load_sources(path)
    if name not in sources:
        raise UnknownSource(f"no source named {name!r} in the registry (nianbao sources list); known: {', '.join(sorted(sources))}")
    return sources[name]


def regions_of(entries):
    """``{host: division code}`` of registry entries: the division each site belongs to."""
    return {urlsplit(url).netloc: str(entry["region_code"]) for entry in entries
            for url in entry.get("start_urls") or [] if entry.get("region_code")}


LEVELS = ("central", "province", "prefecture", "county", "township")
REQUIRED = ("name", "region", "region_code", "level", "start_urls", "platform", "schedule")
_CRON_FIELD = re.compile(r"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")
_CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))


def _against_gazetteer(label, code, entry):
    """A registry entry's division checked against the GB/T 2260 gazetteer: the code exists,
    the region names it, and the level is the division's."""
    from extractors import divisions

    if not re.fullmatch(r"\d{6}", code):
        return []
    division = divisions.by_code(code)
    if division is None:
        return [f"{label}: region_code {code} is not a division of the gazetteer ({divisions.data_version()})"]
    problems = []
    region = re.sub(r"\s+", "", str(entry.get("region") or ""))
    if region and region not in (division.name, divisions.full_name(division)):
        problems.append(f"{label}: region {region!r} is not the name of {code} ({divisions.full_name(division)})")
    level = entry.get("level")
    if level in ("province", "prefecture", "county") and level != division.level:
        problems.append(f"{label}: level {level} but {code} ({division.name}) is a {division.level}")
    return problems


def lint(path=None):
    """Problems of a registry, one sentence each: fields, URLs, codes, schedules, duplicates."""
    with open(path or os.environ.get("NIANBAO_SOURCES") or REGISTRY, encoding="utf-8") as f:
        entries = (yaml.safe_load(f) or {}).get("sources") or []
    problems = []
    names, urls = {}, {}
    for n, entry in enumerate(entries, start=1):
        label = f"entry {n} ({entry.get('name', '?')})"
        for field in REQUIRED:
            if not entry.get(field):
                problems.append(f"{label}: missing {field}")
        name = entry.get("name")
        if name in names:
            problems.append(f"{label}: name also used by entry {names[name]}")
        names.setdefault(name, n)
        for url in entry.get("start_urls") or []:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
                problems.append(f"{label}: malformed start URL {url!r}")
            key = url.rstrip("/").lower()
            if key in urls:
                problems.append(f"{label}: start URL {url} also used by entry {urls[key]}")
            urls.setdefault(key, n)
        code = str(entry.get("region_code") or "")
        if code and not re.fullmatch(r"\d{6}", code):
            problems.append(f"{label}: region_code {code!r} is not a 6-digit division code")
        if entry.get("level") and entry["level"] not in LEVELS:
            problems.append(f"{label}: level {entry['level']!r} is not one of {', '.join(LEVELS)}")
        if code and entry.get("level") == "province" and not code.endswith("0000"):
            problems.append(f"{label}: a province's code ends in 0000, not {code}")
        problems += _against_gazetteer(label, code, entry)
        for expression in schedules(entry):
            fields = expression.split()
            if len(fields) != 5 or not all(
                    _CRON_FIELD.match(f) and all(lo <= int(x) <= hi for x in re.findall(r"\d+", f.split("/")[0]))
                    for f, (lo, hi) in zip(fields, _CRON_RANGES)):
                problems.append(f"{label}: schedule {expression!r} is not a cron expression")
    return problems
