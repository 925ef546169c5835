"""The records a report travels as, from extraction through validation to the archive: a
:class:`Report` holding its :class:`Cell`, :class:`Fact` and :class:`Flag` records.

Typed dataclasses, and readable as mappings too (``report["cells"]``, ``cell.get("page")``,
``dict(report)``), because JSON output, Datasette rows and existing readers speak mappings.
"""

from dataclasses import asdict, dataclass, field, fields, replace


class Record:
    """A dataclass that also reads and writes as a mapping of its fields."""

    def __getitem__(self, key):
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def __setitem__(self, key, value):
        if key not in self._names():
            raise KeyError(f"{type(self).__name__} has no field {key!r}")
        setattr(self, key, value)

    def get(self, key, default=None):
        return getattr(self, key, default) if key in self._names() else default

    def __contains__(self, key):
        return key in self._names()

    @classmethod
    def _names(cls):
        names = cls.__dict__.get("_field_names")
        if names is None:
            names = frozenset(f.name for f in fields(cls))
            cls._field_names = names
        return names

    def keys(self):
        return [f.name for f in fields(self)]

    def items(self):
        return [(name, getattr(self, name)) for name in self.keys()]

    def to_dict(self):
        """A plain dict, nested records included (for JSON)."""
        return asdict(self)

    def replaced(self, **changes):
        return replace(self, **changes)


# What a cell holds, in the archive's order (it stores the index: archive.schema.cells_view).
SEMANTICS = ("number", "zero", "blank", "na_mark", "text", "missing")


@dataclass
class Cell(Record):
    """One number of a statutory table (or a pre-2019 statistic), where it stood in the document."""

    code: str  # SPEC cell code, e.g. table3.new_received.natural_person
    value: float = None  # in the canonical unit; None when blank, a mark, text or missing
    raw: str = None  # the cell's text as written
    semantic: str = "missing"  # one of SEMANTICS
    unit: str = None
    table: int = None
    row: int = None
    col: int = None
    label: str = None  # the row label as written
    line: int = None  # line number (text input)
    page: int = None
    confidence: float = None  # 1.0 read from a text layer; OCR: how surely its readers agreed (0-1)
    readings: tuple = None  # OCR: the other texts its readers saw where they disagreed
    period: str = None  # pre-2019 only: annual | cumulative | unknown


@dataclass
class Fact(Record):
    """A figure stated in the narrative: ``value`` in ``unit``, with the sentence around it."""

    fact: str
    value: float
    unit: str
    section: str
    text: str
    line: int = None


@dataclass
class Flag(Record):
    """A check a report failed (SPEC §6): the rule, the scope checked, both sides, the message."""

    rule: str
    severity: str
    scope: str
    message: str
    cells: list = field(default_factory=list)
    lhs: object = None
    rhs: object = None
    delta: object = None
    assumed_zero: bool = False


@dataclass
class Report(Record):
    """One document read as an annual report: metadata, cells, facts, flags and where it came from."""

    source: str = None
    sha256: str = None  # of the document's raw bytes
    source_format: str = None
    encoding: str = None
    traditional: bool = False
    folded: int = 0  # look-alike characters folded before reading (Kangxi radicals, compatibility forms)
    title: str = None
    agency: str = None
    agency_kind: str = None
    level: str = None
    region: str = None
    province: str = None
    city: str = None
    division_code: str = None  # GB/T 2260 code of the agency's division (extractors.divisions)
    former_name: str = None  # the agency's earlier name, when the report states it (a rename)
    year: int = None
    era: str = None
    year_era: str = None
    era_markers: dict = field(default_factory=dict)
    published: str = None
    signed: str = None
    narrative_year: int = None
    stat_start: str = None
    stat_end: str = None
    headings: list = field(default_factory=list)
    cells: list = field(default_factory=list)
    facts: list = field(default_factory=list)
    issues: list = field(default_factory=list)
    repairs: list = field(default_factory=list)
    rereads: list = field(default_factory=list)  # OCR cells the identities chose a reading for (extractors.rereading)
    text: str = None
    extractor_version: str = None
    flags: list = field(default_factory=list)  # validation's (extractors.rules)
    checks: dict = field(default_factory=lambda: {"pass": 0, "skip": 0})
    # where a crawl found it (set by the archive)
    url: str = None
    capture_id: int = None
    fetched_at: str = None
    fingerprint: str = None
    version: int = None
    previous_id: str = None
