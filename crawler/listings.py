"""The crawl's account of every list it enumerates: the records found against what the site
announced, the pages fetched and failed, the budgets that stopped it, and the verdict.

A list is ``complete = 1`` when the records found reach the announced total (or, where only
pages are announced, every announced page was read), no page was walled or failed, and no budget
stopped it; ``0`` when it is known to be short; NULL when the site announced nothing and nothing
failed. An announced page that does not exist (404, removed) does not count against a list whose
announced records were all found elsewhere; it is still named in the detail.
"""

from collections import Counter
from dataclasses import dataclass, field

ABSENT = ("not_found", "removed")  # an announced page that is not there (vs a wall or a fault)


@dataclass
class Failure:
    url: str
    page: int
    outcome: str
    detail: str

    def describe(self):
        where = f"page {self.page} ({self.url})" if self.page else self.url
        return f"{where}: {self.outcome}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class Listing:
    """One list being enumerated in this run."""

    plan: object  # crawler.lists.Plan
    referer: str = None
    items: dict = field(default_factory=dict)  # url -> Link, in the order found
    multiplicity: dict = field(default_factory=dict)  # url -> most times it appeared in one answer
    requested: set = field(default_factory=set)
    pages_fetched: int = 0
    failures: list = field(default_factory=list)
    announced: int = None
    pages_announced: int = None
    notes: list = field(default_factory=list)
    budget: str = None  # the budget that stopped the list, when one did
    rendered: str = None  # what the rendered fallback did, when it ran or could not
    implausible: str = None

    @property
    def mechanism(self):
        return self.plan.mechanism

    @property
    def found(self):
        """Distinct records found (a record listed twice on one page counts twice)."""
        return sum(self.multiplicity.values())

    def absorb(self, found):
        """Add what one page or answer holds; returns how many records were new."""
        new = 0
        counts = Counter(link.url for link in found.items)
        for link in found.items:
            if link.url not in self.items:
                self.items[link.url] = link
                new += 1
        for url, count in counts.items():
            self.multiplicity[url] = max(self.multiplicity.get(url, 0), count)
        if found.is_page:
            self.pages_fetched += found.covers
        if found.announced is not None:
            if self.announced is not None and found.announced != self.announced:
                self.note(f"announced totals differ: {self.announced} and {found.announced}")
            self.announced = max(found.announced, self.announced or 0)
        if found.pages_announced is not None:
            self.pages_announced = max(found.pages_announced, self.pages_announced or 0)
        for note in found.notes:
            if note.startswith("implausible"):
                self.implausible = note
            self.note(note)
        return new

    def note(self, text):
        if text and text not in self.notes:
            self.notes.append(text)

    def fail(self, url, page, outcome, detail=""):
        if any(f.url == url for f in self.failures):
            return  # the same page failing again (its rendering, say) is one failed page
        self.failures.append(Failure(url, page, outcome, detail))

    @property
    def hard_failures(self):
        return [f for f in self.failures if f.outcome not in ABSENT]

    def short(self):
        """Whether the list is known not to have been fully enumerated (so far)."""
        return self.verdict()[0] == 0

    def verdict(self):
        """``(complete, reasons)``: 1, 0 or None, and why it is not 1."""
        reasons = []
        if self.implausible:
            reasons.append(self.implausible)
        if self.budget:
            reasons.append(self.budget)
        hard = self.hard_failures
        reasons += self._failures_described()
        if self.announced is not None:
            if self.found < self.announced:
                reasons.insert(0, f"found {self.found} of {self.announced} announced records")
            ok = self.found >= self.announced and not hard and not self.budget and not self.implausible
            return (1 if ok else 0), reasons
        if self.pages_announced is not None:
            if self.pages_fetched < self.pages_announced:
                reasons.insert(0, f"read {self.pages_fetched} of {self.pages_announced} announced pages")
            ok = self.pages_fetched >= self.pages_announced and not hard and not self.budget and not self.implausible
            return (1 if ok else 0), reasons
        if self.failures or self.budget or self.implausible:
            return 0, reasons
        return None, reasons

    def _failures_described(self, shown=5):
        """Each failed page, or for many the count by outcome and the first few."""
        if len(self.failures) <= shown:
            return [f.describe() for f in self.failures]
        counts = Counter(f.outcome for f in self.failures)
        summary = ", ".join(f"{n} {outcome}" for outcome, n in counts.most_common())
        first = sorted(self.failures, key=lambda f: f.page or 0)[:shown]
        return [f"{len(self.failures)} pages failed ({summary})"] + [f.describe() for f in first] + ["..."]

    def row(self, run_id):
        complete, reasons = self.verdict()
        parts = reasons + ([f"rendered fallback: {self.rendered}"] if self.rendered else []) + self.notes
        return {
            "run_id": run_id, "url": self.plan.url, "mechanism": self.mechanism, "announced": self.announced,
            "found": self.found, "pages_announced": self.pages_announced, "pages_fetched": self.pages_fetched,
            "pages_failed": len(self.failures), "complete": complete, "detail": "; ".join(parts) or None,
            "referer": self.referer,
        }


class ListingTracker:
    """Every list of a crawl run, each enumerated once, within its page budget."""

    def __init__(self, page_budget):
        self.page_budget = page_budget
        self.listings = {}  # plan key -> Listing
        self.written = set()

    def open(self, plan, referer=None):
        """A new Listing for a plan, or None when that list is already being enumerated."""
        if plan.key in self.listings:
            return None
        listing = self.listings[plan.key] = Listing(plan, referer)
        return listing

    def admit(self, listing, fetch):
        """Whether a fetch of the list may be made: not made before, within the page budget."""
        if fetch.key in listing.requested:
            return False
        if len(listing.requested) >= self.page_budget:
            listing.budget = (f"list page budget of {self.page_budget} requests reached "
                              f"(NIANBAO_LIST_PAGES); later pages were not asked for")
            return False
        listing.requested.add(fetch.key)
        return True

    def unwritten(self):
        return [l for key, l in self.listings.items() if key not in self.written]

    def mark_written(self, listing):
        self.written.add(listing.plan.key)
