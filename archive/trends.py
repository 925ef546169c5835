"""Figures over the years that compare like with like, from ``report_numbers`` rows.

A plain total sums whichever reports were found each year; when coverage changes, its change
says more about the crawl than about the agencies. The year-over-year figure therefore sums
only the agencies that reported the measure in both years, and says how many they are. A year
without the measure (pre-2019 reports have no table 三) has no figure, not 0.
"""

from dataclasses import dataclass, field

MEASURES = (("new_received", "新收 new"), ("granted", "予以公开 granted"), ("denied", "不予公开 denied"),
            ("unable", "无法提供 unable"))


@dataclass
class YearTotal:
    year: int
    reports: int  # current reports of the year
    sums: dict = field(default_factory=dict)  # measure -> sum, None when no report has it
    counts: dict = field(default_factory=dict)  # measure -> reports with a value


@dataclass
class Change:
    measure: str
    year: int  # the later year
    agencies: int  # agencies with the measure in both years
    before: float
    after: float
    total_before: float  # plain totals of all reports of each year
    total_after: float

    @property
    def percent(self):
        return round(100 * (self.after - self.before) / self.before, 1) if self.before else None

    @property
    def total_percent(self):
        if self.total_before is None or self.total_after is None or not self.total_before:
            return None
        return round(100 * (self.total_after - self.total_before) / self.total_before, 1)


def yearly(rows, measures=MEASURES):
    """Totals per year of current-report rows (dicts with ``year`` and the measures)."""
    years = {}
    for row in rows:
        if row.get("year") is None:
            continue
        total = years.setdefault(row["year"], YearTotal(row["year"], 0, {m: None for m, _ in measures},
                                                        {m: 0 for m, _ in measures}))
        total.reports += 1
        for measure, _ in measures:
            value = row.get(measure)
            if value is not None:
                total.sums[measure] = (total.sums[measure] or 0) + value
                total.counts[measure] += 1
    return [years[y] for y in sorted(years)]


def changes(rows, measures=MEASURES):
    """Year-over-year changes on agencies present in both years (``agency_id`` and ``year``)."""
    by_agency = {}
    for row in rows:
        if row.get("agency_id") and row.get("year") is not None:
            by_agency.setdefault(row["agency_id"], {})[row["year"]] = row
    totals = {t.year: t for t in yearly(rows, measures)}
    out = []
    for measure, _ in measures:
        for year in sorted(totals):
            if year - 1 not in totals:
                continue
            pairs = [(years[year - 1][measure], years[year][measure]) for years in by_agency.values()
                     if year in years and year - 1 in years
                     and years[year][measure] is not None and years[year - 1][measure] is not None]
            if not pairs:
                continue
            out.append(Change(measure, year, len(pairs), sum(a for a, _ in pairs), sum(b for _, b in pairs),
                              totals[year - 1].sums[measure], totals[year].sums[measure]))
    return out
