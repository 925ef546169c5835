"""The account of one list: when it is complete, short or unknown, and what its row says."""

from crawler.discovery import Link
from crawler.listings import ListingTracker
from crawler.lists.base import Fetch, Found, Plan


def _listing(announced=None, pages=None, urls=(), budget=100):
    tracker = ListingTracker(budget)
    plan = Plan("trs_static", "k", "http://x/nb/index.html", Found([Link(u, "t", "t") for u in urls], [], announced, pages))
    listing = tracker.open(plan, "http://x/")
    listing.absorb(plan.found)
    return tracker, listing


def test_a_list_that_holds_its_announced_records_is_complete():
    _, listing = _listing(3, 1, ["http://x/1", "http://x/2", "http://x/3"])
    assert listing.verdict()[0] == 1
    assert listing.row(7)["found"] == 3 and listing.row(7)["pages_failed"] == 0


def test_a_list_short_of_its_announced_records_is_incomplete_and_says_by_how_much():
    _, listing = _listing(52, 6, [f"http://x/{n}" for n in range(37)])
    complete, reasons = listing.verdict()
    assert complete == 0 and reasons[0] == "found 37 of 52 announced records"


def test_a_walled_page_makes_a_list_incomplete_even_when_the_count_is_reached():
    _, listing = _listing(2, 2, ["http://x/1", "http://x/2"])
    listing.fail("http://x/nb/index_1.html", 2, "blocked", "ruishu (瑞数): 412")
    row = listing.row(1)
    assert row["complete"] == 0 and row["pages_failed"] == 1 and "index_1.html): blocked" in row["detail"]


def test_an_announced_page_that_is_not_there_does_not_count_against_a_list_whose_records_were_all_found():
    _, listing = _listing(2, 3, ["http://x/1", "http://x/2"])
    listing.fail("http://x/nb/index_2.html", 3, "not_found", "HTTP 404")
    row = listing.row(1)
    assert row["complete"] == 1 and row["pages_failed"] == 1 and "not_found" in row["detail"]


def test_pages_announced_without_records_are_counted_page_by_page():
    _, listing = _listing(None, 3, ["http://x/1"])
    assert listing.verdict()[0] == 0
    listing.absorb(Found([Link("http://x/2", "t")]))
    listing.absorb(Found([Link("http://x/3", "t")]))
    assert listing.verdict()[0] == 1 and listing.pages_fetched == 3


def test_a_list_that_announces_nothing_is_unknown_unless_something_failed():
    _, listing = _listing(None, None, ["http://x/1"])
    assert listing.verdict()[0] is None
    listing.fail("http://x/nb/p2.html", 2, "timeout", "no answer in time")
    assert listing.verdict()[0] == 0


def test_a_record_listed_twice_on_one_page_counts_twice_but_a_repeat_across_pages_once():
    _, listing = _listing(4, 2, ["http://x/1", "http://x/2", "http://x/2"])
    listing.absorb(Found([Link("http://x/2", "t"), Link("http://x/3", "t")]))  # jpage's one-record overlap
    assert listing.found == 4 and listing.verdict()[0] == 1


def test_the_page_budget_stops_a_list_and_is_named():
    tracker, listing = _listing(None, 10, ["http://x/1"], budget=2)
    admitted = [tracker.admit(listing, Fetch(f"http://x/nb/index_{n}.html")) for n in range(1, 6)]
    assert admitted == [True, True, False, False, False]
    assert not tracker.admit(listing, Fetch("http://x/nb/index_1.html"))  # asked once only
    row = listing.row(1)
    assert row["complete"] == 0 and "list page budget of 2" in row["detail"]


def test_an_implausible_total_is_recorded_as_said_and_never_complete():
    _, listing = _listing(None, None, ["http://x/1"])
    listing.absorb(Found(announced=100_000_000, notes=["implausible: announced 100000000 records (more than 100000 in one list)"],
                         is_page=False))
    row = listing.row(1)
    assert row["announced"] == 100_000_000 and row["complete"] == 0 and row["detail"].startswith("found 1 of 100000000")


def test_a_list_is_enumerated_once_however_often_it_is_reached():
    tracker, _ = _listing(1, 1, ["http://x/1"])
    again = Plan("trs_static", "k", "http://x/nb/", Found())
    assert tracker.open(again) is None
