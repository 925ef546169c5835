"""How many extraction workers may run at once: every one of them, except while the reactor
(downloads, link finding, storage) is busy on a machine whose cores the workers would all take.

On two cores, two workers reading PDFs and the reactor are three processes for two cores: the
downloader gets two thirds of one and falls behind. One worker fewer while the reactor is busy,
and all of them once it is not (the downloads are done, or the network is what it waits on), lets
the downloads finish sooner without slowing the reading that follows them.
"""

import asyncio
import os
import time
from dataclasses import dataclass, field

WINDOW = 0.1  # seconds between two looks at the reactor
BUSY_SHARE = 0.75  # of a window's wall time spent in the reactor thread's own CPU
LATE = 0.02  # seconds a look may come late before the reactor counts as busy (starved by other processes)


def usable_cores():
    """The cores this process may run on (its CPU affinity, which a container or ``taskset``
    narrows), not the machine's count."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # no affinity call on this system
        return os.cpu_count() or 1


@dataclass
class ReactorLoad:
    """Whether the reactor thread was busy over the last window: by the CPU time it used, or by
    how late its own timer fired (a reactor starved by other processes uses little CPU but
    answers late). ``sample`` must run on the reactor thread."""

    window: float = WINDOW
    busy: bool = False
    _cpu: float = field(default_factory=time.thread_time)
    _wall: float = field(default_factory=time.monotonic)

    def sample(self):
        cpu, wall = time.thread_time(), time.monotonic()
        elapsed = wall - self._wall
        if elapsed > 0:
            self.busy = (cpu - self._cpu) / elapsed >= BUSY_SHARE or elapsed - self.window >= LATE
        self._cpu, self._wall = cpu, wall
        return self.busy


class WorkerGate:
    """An asyncio gate in front of a pool of ``workers`` processes: ``async with gate:`` waits
    until fewer jobs run than may run now (:meth:`limit`)."""

    def __init__(self, workers, cores=None, load=None):
        self.workers = max(1, workers)
        cores = cores or usable_cores()
        # One worker is held back only where the workers would otherwise take every core.
        self.held_back = 1 if self.workers >= cores and self.workers > 1 else 0
        self.load = load or ReactorLoad()
        self.running = 0
        self.waiting = []

    def limit(self):
        return self.workers - (self.held_back if self.load.busy else 0)

    def tick(self):
        """A look at the reactor (call every ``load.window`` seconds, on the reactor thread);
        jobs held back start as soon as it is no longer busy."""
        self.load.sample()
        self._dispatch()

    async def __aenter__(self):
        if self.running < self.limit() and not self.waiting:
            self.running += 1
        else:
            turn = asyncio.get_running_loop().create_future()
            self.waiting.append(turn)
            try:
                await turn
            except asyncio.CancelledError:
                if turn in self.waiting:
                    self.waiting.remove(turn)
                elif not turn.cancelled():
                    self._release()
                raise
        return self

    async def __aexit__(self, *exc):
        self._release()

    def _release(self):
        self.running -= 1
        self._dispatch()

    def _dispatch(self):
        while self.waiting and self.running < self.limit():
            turn = self.waiting.pop(0)
            if not turn.done():
                self.running += 1
                turn.set_result(None)
