"""Budgets instead of a depth limit: how deep navigation goes (home -> section -> column), how
many requests one list may make, how many one site may. A budget that stops something says so in
the crawl's stats and in the list's ``listings`` row; nothing is cut off silently.
"""

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class SiteBudget:
    """Requests per host; past the budget, requests are not made and the refusal is counted."""

    limit: int
    made: Counter = field(default_factory=Counter)
    refused: Counter = field(default_factory=Counter)

    def allow(self, url):
        host = urlsplit(url).netloc
        if self.limit and self.made[host] >= self.limit:
            self.refused[host] += 1
            return False
        self.made[host] += 1
        return True

    def describe(self, url):
        host = urlsplit(url).netloc
        return f"site request budget of {self.limit} reached for {host} (NIANBAO_SITE_REQUESTS)"


def settings_budgets(settings):
    """``(navigation depth, list pages, site requests)`` from the crawl's settings."""
    return (settings.getint("NIANBAO_NAV_DEPTH", 5), settings.getint("NIANBAO_LIST_PAGES", 1000),
            settings.getint("NIANBAO_SITE_REQUESTS", 20000))
