"""The fault farm: hostile HTTP behaviours served on 127.0.0.1, one path each (issue 14).

Each behaviour is what a broken or hostile server really does: bodies that never end or arrive
a byte at a time, compression bombs, redirect loops, resets, a Content-Length that lies, 5xx on
everything, a robots.txt of many megabytes, pages that announce absurd totals, pages of 100,000
links, calendars that go on for ever. A crawl of them must end in bounded time, memory and disk,
with every failure recorded and the genuine reports beside them archived.
"""

import socket
import struct
import time
import zlib
from functools import lru_cache

from .server import Response, Site, html
from .sites import generated_body, page

AGENCY = "某县{}局"
PROSE = "<p>" + "本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，做好政府信息公开工作。" * 6 + "</p>"


def title(name, year):
    return f"{AGENCY.format(name)}{year}年政府信息公开工作年度报告"


def report_page(name, year, seed):
    return page(title(name, year), f"<h1>{title(name, year)}</h1>" + generated_body(seed, year))


# -- raw answers -------------------------------------------------------------------------------
def _head(handler, status=200, headers=()):
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in headers]
    handler.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))


def endless(handler):
    """A chunked body that never ends (a misconfigured proxy, a log streamed as a page)."""
    _head(handler, headers=[("Content-Type", "text/html; charset=utf-8"), ("Transfer-Encoding", "chunked")])
    chunk = ("<p>" + "政府信息公开" * 2000 + "</p>").encode()
    frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    while True:
        handler.wfile.write(frame)


def trickle(handler):
    """Headers at once, then a byte every half second: a slow-loris answer."""
    _head(handler, headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "100000")])
    handler.wfile.flush()
    while True:
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.5)


@lru_cache(maxsize=1)
def bomb_bytes(size=512 * 1024 * 1024):
    """``size`` bytes of zeros, gzip-compressed to about a thousandth of that."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    parts = [packer.compress(block) for _ in range(size >> 20)]
    return b"".join(parts) + packer.flush()


def bomb(request):
    return Response(200, bomb_bytes(), [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")])


def reset(handler):
    """The connection reset before any answer (RST, as a firewall drops it)."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()


def lying_length(body, content_type="text/html; charset=utf-8"):
    """Content-Length says the whole body, the connection closes after part of it."""
    def stream(handler):
        _head(handler, headers=[("Content-Type", content_type), ("Content-Length", str(len(body)))])
        handler.wfile.write(body[: len(body) * 2 // 5])
        handler.wfile.flush()
    return stream


def huge_length(handler):
    """A Content-Length of a terabyte, announced before a small body."""
    _head(handler, headers=[("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(10 ** 12))])
    handler.wfile.write(b"<html><body>" + b"x" * 1000)


# -- the sites -----------------------------------------------------------------------------------
HOSTILE = {
    # path: (agency name, year, behaviour); the behaviour is a Response or a stream(handler)
    "/art/good.html": ("甲", 2023, None),
    "/art/endless.html": ("乙", 2022, endless),
    "/art/trickle.html": ("丙", 2021, trickle),
    "/art/bomb.html": ("丁", 2020, bomb),
    "/art/loop.html": ("戊", 2024, "loop"),
    "/art/reset.html": ("己", 2019, reset),
    "/art/short.html": ("庚", 2022, "short"),
    "/art/huge.html": ("辛", 2021, huge_length),
}


class HostileSite(Site):
    """One host serving every per-page hostile behaviour beside one good report; ``truncate``
    switches the good report's page to a lying Content-Length (a later crawl's answer)."""

    def __init__(self):
        super().__init__("hostile", self.route_request)
        self.truncate = False
        self.home = page("某县人民政府", "".join(
            f'<li><a href="{path}">{title(name, year)}</a></li>' for path, (name, year, _) in HOSTILE.items()))

    def route_request(self, request):
        if request.path in ("/", "/index.html"):
            return html(self.home)
        if request.path == "/robots.txt":
            return html("User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        entry = HOSTILE.get(request.path)
        if entry is None:
            return html("<html><body>404</body></html>", 404)
        name, year, behaviour = entry
        body = report_page(name, year, seed=year).encode("utf-8")
        if behaviour is None:
            return Response(200, body, [("Content-Type", "text/html; charset=utf-8")], stream=lying_length(body) if self.truncate else None)
        if behaviour == "loop":
            hop = int(request.q("hop", "0")) + 1
            return Response(302, b"", [("Location", f"{request.path}?hop={hop}")])
        if behaviour == "short":
            return Response(stream=lying_length(body))
        if behaviour is bomb:
            return bomb(request)
        return Response(stream=behaviour)


def storm_site(status=500):
    """Every page, robots.txt aside, answers ``status``: a site that is down."""
    home = page("某县人民政府", "".join(f'<li><a href="/art/{n}.html">{title(n, 2023)}</a></li>' for n in range(60)))

    def route(request):
        if request.path == "/robots.txt":
            return html("User-agent: *\nAllow: /\n", content_type="text/plain")
        if request.path == "/":
            return html(home)
        return html("<html><body>Internal Server Error</body></html>", status)
    return Site("storm", route)


def huge_robots_site(megabytes=24):
    """A robots.txt of many megabytes (generated rules) in front of one good report."""
    rules = "".join(f"Disallow: /generated/{n}/\n" for n in range(megabytes * 1024 * 1024 // 24))
    robots = ("User-agent: *\n" + rules).encode()
    home = page("某县人民政府", f'<li><a href="/art/good.html">{title("甲", 2023)}</a></li>')

    def route(request):
        if request.path == "/robots.txt":
            return Response(200, robots, [("Content-Type", "text/plain")])
        if request.path == "/":
            return html(home)
        if request.path == "/art/good.html":
            return html(report_page("甲", 2023, 2023))
        return html("<html><body>404</body></html>", 404)
    return Site("robots", route)


def many_links_site(links=100_000):
    """A home page of ``links`` report-titled links, each answering a small page."""
    home = page("某县人民政府", "".join(f'<a href="/art/{n}.html">{title(n, 2023)}</a>' for n in range(links)))

    def route(request):
        if request.path == "/":
            return html(home)
        if request.path == "/robots.txt":
            return html("", 404)
        return html(page(title(request.path, 2023), PROSE))
    return Site("links", route)


def calendar_site():
    """A 年报 column whose every page links the next month's page, for ever (a calendar widget)."""
    def calendar(y, m):
        nm, ny = (m % 12 + 1, y + (m == 12))
        return (f'<ul class="list"><li><a href="/art/{y}{m:02d}.html">{title(f"{y}{m}", 2023)}</a></li></ul>'
                f'<a href="/gknb/{ny}-{nm:02d}.html">下一页</a>')

    def route(request):
        if request.path == "/":
            return html(page("某县人民政府", '<a href="/gknb/2024-01.html">政府信息公开年报</a>'))
        if request.path.startswith("/gknb/"):
            y, m = request.path[6:-5].split("-")
            return html(page("政府信息公开年报", calendar(int(y), int(m)), meta={"ColumnName": "政府信息公开年报"}))
        if request.path.startswith("/art/"):
            return html(page(title(request.path[5:-5], 2023), PROSE))
        return html("", 404)
    return Site("calendar", route)
