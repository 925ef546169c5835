"""Who published a report: an agency's identity read from its name, against the gazetteer.

An agency is a role (人民政府, 人民政府办公室, 教育局, 塔峰镇人民政府) in an administrative division
(a GB/T 2260 code): ``湖南省永州市蓝山县教育局`` and ``蓝山县教育局`` are one agency. Pure: the
archive keeps the agencies, their aliases and renames (archive.agencies).
"""

import re
from dataclasses import dataclass

from . import divisions, spec

KINDS = ("government", "gov_office", "department", "township")
LEVELS = ("central", "province", "prefecture", "county", "township")  # an agency's place in the hierarchy
_TOWNSHIP = re.compile(r"^(?P<town>[\u4e00-\u9fff]{1,10}?(?:镇|乡|街道|苏木))(?:人民政府|政府|办事处|街道办事处|党委)?$")
_OFFICE = re.compile(r"^(?:人民)?政府办公(?:室|厅)$")
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
_GENERIC_PLACE = re.compile(r"^(?:本|全)?(省|市|县|区|旗|州)(?=[\u4e00-\u9fff]{2})")
_CENTRAL = re.compile(r"^(?:国务院|国家|中国|中华人民共和国|海关总署|审计署|.{1,10}部$)")


@dataclass(frozen=True)
class AgencyKey:
    """The identity of an agency: its division and its role there."""

    division: str  # six-digit code, "" when the name names none (a central body, an unknown place)
    role: str  # normalised: 人民政府, 人民政府办公室, 教育局, 塔峰镇人民政府 ...
    kind: str  # government | gov_office | department | township
    level: str  # central | province | prefecture | county | township

    @property
    def id(self):
        return f"{self.division or 'x'}:{self.role}"

    def parent(self):
        """The government this agency belongs to (a government's: the one above), or None."""
        division = divisions.by_code(self.division)
        if division is None:
            return None
        if self.kind == "government":
            above = divisions.above(division)
            return AgencyKey(above.code, "人民政府", "government", above.level) if above else None
        return AgencyKey(division.code, "人民政府", "government", division.level)


def normal_role(role):
    """A role as one spelling: no brackets, no blanks, 政府 as 人民政府, 办事处 as 街道办事处."""
    role = _BRACKETS.sub("", re.sub(r"\s+", "", role or ""))
    if role in ("", "政府"):
        return "人民政府"
    if _OFFICE.match(role):
        return "人民政府办公" + role[-1]
    return role


def identify(name, hint=None):
    """The :class:`AgencyKey` of an agency's name, or None for no name. ``hint``: a division code
    the agency is known to lie within (its source's), for names that alone are ambiguous."""
    name = re.sub(r"\s+", "", name or "")
    if not name:
        return None
    division, length = divisions.resolve(name, hint)
    generic = _GENERIC_PLACE.match(name)
    home = divisions.by_code(hint) if hint and generic and division is None else None
    if home is not None and home.name.endswith(generic.group(1)):
        # 县林业局 in a report of a 县's own agency (or on its site) is that 县's.
        division, length = home, generic.end()
    role = normal_role(name[length:]) if division else normal_role(name)
    if division is None and hint and _TOWNSHIP.match(role):
        # 塔峰镇人民政府 names no county: the source it was found on does (townships are not in
        # the gazetteer, their county is).
        division = divisions.by_code(hint)
        division = division if division is not None and division.level == "county" else None
    if division is None:
        level = "central" if _CENTRAL.match(name) else None
        # A place the gazetteer cannot settle (朝阳区 alone): its name still says what it is.
        kind = "township" if _TOWNSHIP.match(role) else "government" if role.endswith("人民政府") else "department"
        return AgencyKey("", role, kind, level)
    township = _TOWNSHIP.match(role)
    if role == "人民政府":
        kind, level = "government", division.level
    elif _OFFICE.match(role):
        kind, level = "gov_office", division.level
    elif township:
        kind, level = "township", "township"
        role = township.group("town") + ("办事处" if township.group("town").endswith("街道") else "人民政府")
    else:
        kind, level = "department", division.level
    return AgencyKey(division.code, role, kind, level)


def canonical_name(key):
    """The agency's full name: its division's full name and its role."""
    division = divisions.by_code(key.division)
    return (divisions.full_name(division) if division else "") + key.role


def place(key):
    """Where an agency sits: ``{division_code, region, province, city}`` from the gazetteer
    (city: the prefecture-level unit; a municipality is its own)."""
    division = divisions.by_code(key.division) if key else None
    if division is None:
        return {"division_code": None, "region": None, "province": None, "city": None}
    line = divisions.chain(division)
    city = line[1] if len(line) > 1 and line[1].level == "prefecture" else None
    if city is None and divisions.is_municipality(line[0]):
        city = line[0]
    return {"division_code": division.code, "region": divisions.full_name(division), "province": line[0].name,
            "city": city.name if city else None}


def former_name(title, lines=(), key=None, hint=None):
    """``(old name, new name)`` when a report states its agency's former name in its title or
    its opening lines (``XX局（原YY局）``, ``原YY局更名为XX局``), else None. With ``key`` (the
    report's agency) only a rename to that agency counts: a government's report that tells of
    its departments' renames names no former name of its own."""
    for text in [title or "", *lines]:
        for pattern, anchor in zip(spec.FORMER_NAME, spec.FORMER_NAME_ANCHORS):
            if anchor.search(text) is None:
                continue
            for match in pattern.finditer(text):
                old, new = match.group("old"), match.group("new")
                if key is not None:
                    named = identify(new, key.division or hint)
                    if named is None or not (named.id == key.id or named.role.endswith(key.role)
                                             or key.role.endswith(named.role)):
                        continue
                return old, new
    return None


def without_former(name):
    """A name without the former name it states in brackets (XX局（原YY局） -> XX局)."""
    match = spec.FORMER_NAME[0].search(name or "")
    return name[:match.start()] + match.group("new") + name[match.end():] if match else name


def is_correction(title):
    """Whether a title presents a corrected or revised edition (（更正）, 修订版)."""
    return bool(title and spec.CORRECTION_TITLE.search(title))
