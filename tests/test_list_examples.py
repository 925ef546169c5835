"""Every list mechanism against its saved example pages, in the juriscraper way.

``tests/examples/lists/<mechanism>/<variant>.<ext>`` is a page in the shape of a real site's
(SITES.md §2), ``<variant>.expected.json`` says, written by a person reading the page, which
mechanism must recognise it, what the site announces, which records it must find and which
requests it must make; ``answers`` are pages the site gives to those requests (files beside it)
with what must be read from each, ``failures`` requests that fail, and ``fallback`` the strategy
that follows when the list comes out short. A page without an expected file fails until one is
written.
"""

import json
import os
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from crawler import lists
from crawler.lists.rendered import Exchange, RenderedPage
from crawler.page import Page

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "examples", "lists")
_TYPES = {".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8", ".shtml": "text/html; charset=utf-8",
          ".json": "application/json;charset=UTF-8", ".xml": "text/xml; charset=UTF-8", ".js": "application/javascript"}


def _examples():
    for mechanism in sorted(os.listdir(EXAMPLES)):
        folder = os.path.join(EXAMPLES, mechanism)
        for name in sorted(os.listdir(folder)):
            if ".answer" in name or name.endswith(".expected.json") or ".exchange" in name:
                continue
            yield pytest.param(mechanism, os.path.join(folder, name), id=f"{mechanism}/{name}")


def _page(path, url, kind="column"):
    ext = os.path.splitext(path)[1]
    with open(path, "rb") as f:
        body = f.read()
    return Page(url, body, 200, {"content-type": _TYPES.get(ext, "text/html; charset=utf-8")}, kind)


def _fetch_of(fetches, wanted):
    wanted = {"method": "GET", **wanted, "url": _url(wanted["url"])}
    for fetch in fetches:
        if _made(fetch, wanted) == wanted:
            return fetch
    raise AssertionError(f"no fetch {wanted} among {[(f.method, f.url, f.body) for f in fetches]}")


def _url(url):
    """A URL with its query parameters in a fixed order: their order is no part of the request."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True))), ""))


def _made(fetch, wanted):
    """A fetch as the expected file describes it: method, URL and the body in the file's terms
    (``body`` as sent, ``form`` as form fields, ``json`` as a JSON object)."""
    made = {"method": fetch.method, "url": _url(fetch.url)}
    if "body" in wanted:
        made["body"] = fetch.body
    if "form" in wanted:
        made["form"] = dict(parse_qsl(fetch.body or "", keep_blank_values=True))
    if "json" in wanted:
        made["json"] = json.loads(fetch.body or "null")
    return made


def _check_fetches(got, wanted, where):
    expected = [{"method": "GET", **w, "url": _url(w["url"])} for w in wanted]
    assert len(got) == len(expected), (where, [f.url for f in got])
    assert [_made(f, w) for f, w in zip(got, expected)] == expected, where


def _check(found, expected, where):
    if "links" in expected:
        assert [l.url for l in found.items] == expected["links"], where
    if "titles" in expected:
        assert [l.label for l in found.items] == expected["titles"], where
    for key in ("announced", "pages_announced"):
        if key in expected:
            assert getattr(found, key) == expected[key], (where, key)
    if "fetches" in expected:
        _check_fetches(found.fetches, expected["fetches"], where)
    for key in ("is_page", "empty"):
        if key in expected:
            assert getattr(found, key) == expected[key], (where, key)


def _rendered(path, expected):
    page = _page(path, expected["url"], expected.get("kind", "column"))
    exchanges = []
    for exchange in expected.get("exchanges", []):
        answer = _page(os.path.join(os.path.dirname(path), exchange["file"]), exchange["url"], "browser")
        exchanges.append(Exchange(exchange.get("method", "GET"), exchange["url"], exchange.get("body"),
                                  exchange.get("headers", {}), exchange.get("resource_type", "xhr"), answer))
    return RenderedPage(page.url, page.body, 200, page.headers, page.kind, exchanges=exchanges)


@pytest.mark.parametrize("mechanism, path", list(_examples()))
def test_list_example(mechanism, path):
    expected_path = os.path.splitext(path)[0] + ".expected.json"
    assert os.path.exists(expected_path), f"write {expected_path}: what a person reads on {path}"
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    if mechanism == "rendered":
        plans = lists.mechanism("rendered").recognise(_rendered(path, expected))
    else:
        plans = lists.recognise(_page(path, expected["url"], expected.get("kind", "column")))
    if expected.get("mechanism") is None:
        assert plans == [], path
        return
    assert plans, f"no mechanism recognised {path}"
    assert {p.mechanism for p in plans} == {expected["mechanism"]}, path
    assert mechanism == expected["mechanism"], "an example lives in the folder of its mechanism"
    plan = plans[expected.get("plan", 0)]
    if "plans" in expected:
        assert len(plans) == expected["plans"], path
    if "list_url" in expected:
        assert plan.url == expected["list_url"], path
    _check(plan.found, expected, path)
    for key, value in expected.get("state", {}).items():
        assert plan.state.get(key) == value, (path, key)
    module = lists.mechanism(plan.mechanism)
    made = list(plan.found.fetches)
    for step in expected.get("failures", []):
        fetch = _fetch_of(made, step["fetch"])
        found = module.failed(plan, fetch, step["outcome"])
        _check(found, step, f"{path}: failure of {fetch.url}")
        made += found.fetches
    for step in expected.get("answers", []):
        fetch = _fetch_of(made, step["fetch"])
        answer = _page(os.path.join(os.path.dirname(path), step["file"]), step.get("answer_url", fetch.url), fetch.kind)
        found = module.read(plan, fetch, answer)
        _check(found, step, f"{path}: answer {step['file']}")
        made += found.fetches
    if "fallback" in expected:
        fetches, note = module.fallback(plan)
        _check_fetches(fetches[:len(expected["fallback"]["fetches"])], expected["fallback"]["fetches"], f"{path}: fallback")
        assert len(fetches) == expected["fallback"]["count"], f"{path}: fallback"
