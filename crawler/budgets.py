"""Budgets instead of a depth limit: how deep navigation goes (home -> section -> column), how
many requests one list may make, how many one site may. A budget that stops something says so in
the crawl's stats and in the list's ``listings`` row; nothing is cut off silently.
"""

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class SiteBudget:
    """Requests per host, and failures in a row per host; past either limit, requests are not
    made and the refusal is counted. A site that is down (5xx or no answer to everything) is
    left after ``failures`` in a row instead of being asked for every link it lists."""

    limit: int
    failures: int = 0
    made: Counter = field(default_factory=Counter)
    refused: Counter = field(default_factory=Counter)
    failing: Counter = field(default_factory=Counter)  # failures since the host last answered
    planned: dict = field(default_factory=dict)  # host -> distinct URLs the spider asked to fetch
    recorded: set = field(default_factory=set)  # hosts whose first refusal has its capture row

    @classmethod
    def of(cls, crawler):
        """The one budget of a crawl, shared by the spider middleware that plans requests and the
        downloader middleware that makes them."""
        budget = getattr(crawler, "nianbao_site_budget", None)
        if budget is None:
            budget = cls(settings_budgets(crawler.settings)[2], crawler.settings.getint("NIANBAO_SITE_FAILURES", 0))
            crawler.nianbao_site_budget = budget
        return budget

    def plan(self, url):
        """None when a request for ``url`` may be scheduled, else why not. Distinct URLs per host
        are counted as they are planned, so that a page of 100,000 links schedules no more than
        the budget: the rest are refused here, before they cost the scheduler anything."""
        host = urlsplit(url).netloc
        seen = self.planned.setdefault(host, set())
        if url in seen:
            return None  # a duplicate: the scheduler's filter drops it
        if self.limit and len(seen) >= self.limit:
            self.refused[host] += 1
            return f"site request budget of {self.limit} reached for {host} (NIANBAO_SITE_REQUESTS)"
        seen.add(url)
        return None

    def first_refusal(self, url):
        """True once per host: the refusal that gets a capture row (the rest are counted)."""
        host = urlsplit(url).netloc
        if host in self.recorded:
            return False
        self.recorded.add(host)
        return True

    def refusal(self, url):
        """None when ``url`` may be requested (and it is counted), else why not."""
        host = urlsplit(url).netloc
        if self.limit and self.made[host] >= self.limit:
            self.refused[host] += 1
            return f"site request budget of {self.limit} reached for {host} (NIANBAO_SITE_REQUESTS)"
        if self.failures and self.failing[host] >= self.failures:
            self.refused[host] += 1
            return (f"{host} failed {self.failures} requests in a row (server errors or no answer): "
                    f"the site is left for this crawl (NIANBAO_SITE_FAILURES)")
        self.made[host] += 1
        return None

    def answered(self, url, failed):
        """Count an answer: a failure extends the host's run of failures, a success ends it."""
        host = urlsplit(url).netloc
        self.failing[host] = self.failing[host] + 1 if failed else 0


def settings_budgets(settings):
    """``(navigation depth, list pages, site requests)`` from the crawl's settings."""
    return (settings.getint("NIANBAO_NAV_DEPTH", 5), settings.getint("NIANBAO_LIST_PAGES", 1000),
            settings.getint("NIANBAO_SITE_REQUESTS", 20000))
