"""The extraction workers' gate: one worker held back while the reactor is busy on a machine the
workers would fill, every worker once it is not."""

import asyncio
import time

import pytest

from crawler.cpu_share import ReactorLoad, WorkerGate


class Load:
    def __init__(self, busy):
        self.busy = busy

    def sample(self):
        return self.busy


async def _run_jobs(gate, count, seen, release):
    async def job():
        async with gate:
            seen.append(gate.running)
            await release.wait()
    return [asyncio.ensure_future(job()) for _ in range(count)]


def test_a_busy_reactor_on_two_cores_keeps_one_of_two_workers_back_until_it_is_idle():
    async def main():
        load = Load(busy=True)
        gate, seen, release = WorkerGate(2, cores=2, load=load), [], asyncio.Event()
        jobs = await _run_jobs(gate, 3, seen, release)
        await asyncio.sleep(0.01)
        assert gate.running == 1 and len(gate.waiting) == 2
        load.busy = False
        gate.tick()
        await asyncio.sleep(0.01)
        assert gate.running == 2 and len(gate.waiting) == 1
        release.set()
        await asyncio.gather(*jobs)
        assert gate.running == 0 and not gate.waiting and max(seen) == 2
    asyncio.run(main())


@pytest.mark.parametrize("workers, cores", [(2, 4), (1, 1)], ids=["fewer workers than cores", "a single worker"])
def test_workers_with_a_core_to_spare_or_alone_all_run_however_busy_the_reactor(workers, cores):
    async def main():
        gate, seen, release = WorkerGate(workers, cores=cores, load=Load(busy=True)), [], asyncio.Event()
        jobs = await _run_jobs(gate, workers + 1, seen, release)
        await asyncio.sleep(0.01)
        assert gate.running == workers and len(gate.waiting) == 1
        release.set()
        await asyncio.gather(*jobs)
        assert gate.running == 0 and max(seen) == workers
    asyncio.run(main())


def test_a_cancelled_job_gives_its_place_back_waiting_or_running():
    async def main():
        load = Load(busy=True)
        gate, seen, release = WorkerGate(2, cores=2, load=load), [], asyncio.Event()
        first, waiting = await _run_jobs(gate, 2, seen, release)
        await asyncio.sleep(0.01)
        waiting.cancel()
        first.cancel()
        await asyncio.gather(first, waiting, return_exceptions=True)
        assert gate.running == 0 and not gate.waiting
        later = await _run_jobs(gate, 1, seen, release)
        await asyncio.sleep(0.01)
        assert gate.running == 1
        release.set()
        await asyncio.gather(*later)
    asyncio.run(main())


def test_the_reactor_counts_busy_when_it_spends_the_window_computing_or_answers_late_and_idle_when_it_waits():
    load = ReactorLoad(window=0.05)
    time.sleep(0.05)
    assert load.sample() is False  # waited, on time
    end = time.monotonic() + 0.05
    while time.monotonic() < end:
        pass
    assert load.sample() is True  # computed the whole window
    time.sleep(0.05)
    assert load.sample() is False
    time.sleep(0.2)
    assert load.sample() is True  # its look came 150 ms late: something kept it from running
