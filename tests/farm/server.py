"""A tiny HTTP server per imitation site, on 127.0.0.1, driven by a routing function."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: dict  # lower-case names
    body: bytes
    cookies: dict = field(default_factory=dict)

    def q(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: list = field(default_factory=list)
    delay: float = 0.0
    drop: bool = False  # close the connection without answering
    stream: object = None  # ``stream(handler)`` writes the whole answer itself (hostile behaviours)


def html(text, status=200, charset="utf-8", content_type=None, headers=None, encoding=None):
    """An HTML response; ``charset`` goes in the header (None: no charset), ``encoding`` encodes."""
    ctype = content_type or ("text/html" + (f"; charset={charset}" if charset else ""))
    data = text.encode(encoding or charset or "utf-8", errors="strict") if isinstance(text, str) else text
    return Response(status, data, [("Content-Type", ctype)] + list(headers or []))


class _Server(ThreadingHTTPServer):
    """A threading server with the listen backlog of a real web server (nginx: 511). The
    standard library's 5 makes the kernel drop the sixth simultaneous connection, which the
    client then retries a second later: a stall no real site has."""

    request_queue_size = 511
    daemon_threads = True


class Site:
    """One imitation host. ``route(request) -> Response`` is the site; requests are logged."""

    def __init__(self, name, route):
        self.name = name
        self.route = route
        self.log = []
        self.server = None
        self.lock = threading.Lock()

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self, port=0):
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                cookies = {}
                for chunk in (self.headers.get("Cookie") or "").split(";"):
                    if "=" in chunk:
                        k, v = chunk.strip().split("=", 1)
                        cookies[k] = v
                request = Request(self.command, parts.path, parse_qs(parts.query, keep_blank_values=True),
                                  {k.lower(): v for k, v in self.headers.items()}, body, cookies)
                with site.lock:
                    site.log.append((self.command, self.path, time.time()))
                response = site.route(request)
                if response.delay:
                    time.sleep(response.delay)
                if response.drop:
                    self.close_connection = True
                    return
                if response.stream is not None:
                    self.close_connection = True
                    try:
                        response.stream(self)
                    except OSError:  # the crawler hung up: what a hostile server expects
                        pass
                    return
                self.send_response(response.status)
                for k, v in response.headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.body)

            do_GET = do_POST = do_HEAD = _serve

        self.server = _Server(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def hits(self, predicate=lambda method, path: True):
        with self.lock:
            return [entry for entry in self.log if predicate(entry[0], entry[1])]
