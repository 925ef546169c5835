import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
SAMPLES = os.path.join(ROOT, "tests", "samples")
GOLDEN = os.path.join(ROOT, "tests", "golden")


def free_port():
    """A TCP port on 127.0.0.1 nobody listens on now, for a server a test starts."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url, tries=100):
    """Poll ``url`` until a server answers (a started subprocess takes a moment to listen)."""
    import time
    import urllib.request

    for _ in range(tries):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
