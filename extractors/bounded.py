"""Run a parser on untrusted bytes in a child process with a time limit and a memory cap.

A PDF whose object graph loops, a zip bomb or a decompression bomb must end with a clear
error, not a hung or exhausted machine.
"""

import multiprocessing
import resource
import traceback

TIME_LIMIT = 120  # seconds
MEMORY_LIMIT = 2 * 1024**3  # bytes of address space the parser may add to what the process holds


class LimitExceeded(ValueError):
    """The parser ran out of time or memory."""


def _address_space():
    """Bytes of address space this process maps now (a forked child starts with its parent's)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def die_with_parent():
    """Ask Linux to kill this (child) process when its parent dies: a crawl killed by SIGKILL
    must not leave parsers and extraction workers running on their own."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: nothing to ask
        pass


PR_SET_PDEATHSIG = 1


def _child(conn, fn, args, memory):
    die_with_parent()
    try:
        # The cap bounds what the parser adds: a parent that mapped a lot (threads, a browser
        # driver, libraries) must not leave the parser no room.
        cap = _address_space() + memory
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        conn.send(("ok", fn(*args)))
    except MemoryError:
        conn.send(("error", LimitExceeded(f"needed more than {memory // 1024**2} MB of memory")))
    except Exception as error:  # noqa: BLE001 - sent back to the parent as it is
        try:
            conn.send(("error", error))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled
            conn.send(("error", ValueError(traceback.format_exception_only(type(error), error)[-1].strip())))
    finally:
        conn.close()


def run_bounded(fn, *args, timeout=None, memory=None):
    """``fn(*args)`` in a forked child; its result, its exception, or :class:`LimitExceeded`."""
    timeout = timeout or TIME_LIMIT
    memory = memory or MEMORY_LIMIT
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, fn, args, memory), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise LimitExceeded(f"gave up after {timeout} s")
        try:
            status, value = parent.recv()
        except EOFError as error:
            raise LimitExceeded("the parser died (out of memory or crashed)") from error
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        parent.close()
    if status == "error":
        raise value
    return value
