"""TaskPool on a real Dask LocalCluster (loopback, 2 worker processes): the same API as the
local pool — results and progress come back, a task's exception is re-raised, time limits and
cancellation release the task, priorities and the queue bound hold."""

from __future__ import annotations

import os
import time
from concurrent.futures import CancelledError

import pytest

from tradewar.run import QueueFull, TaskPool, TaskTimeout

from ._tasks import broken_task, echo_task, sleep_task

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dask_pool(cluster):
    pool = TaskPool(slots=2, max_queue=2, scheduler=cluster.scheduler_address)
    assert pool.backend == "dask"
    yield pool
    pool.close()


def test_result_and_progress_come_back_from_a_dask_worker(dask_pool) -> None:
    seen: list[tuple[int, int, str]] = []
    task = dask_pool.submit(echo_task, {"x": 1}, time_limit=60,
                            on_progress=lambda *a: seen.append(a))
    result = task.result(timeout=120)
    assert result["echo"] == {"x": 1} and result["pid"] != os.getpid()
    deadline = time.monotonic() + 30  # events travel through the scheduler
    while len(seen) < 3:
        if time.monotonic() > deadline:  # a hang guard
            pytest.fail(f"progress events so far: {seen}")
        time.sleep(0.05)
    assert seen == [(1, 3, "step 1"), (2, 3, "step 2"), (3, 3, "step 3")]
    assert task.poll().status == "done"


def test_exceptions_time_limits_and_cancel(dask_pool) -> None:
    with pytest.raises(ZeroDivisionError, match="a bug"):
        dask_pool.submit(broken_task, None, time_limit=60).result(timeout=120)
    with pytest.raises(TaskTimeout):
        dask_pool.submit(sleep_task, 5, time_limit=0.5).result(timeout=60)
    running = dask_pool.submit(sleep_task, 5, time_limit=60)
    deadline = time.monotonic() + 30
    while running.poll().status != "running":
        if time.monotonic() > deadline:  # a hang guard
            pytest.fail("timed out waiting")
        time.sleep(0.02)
    running.cancel()
    with pytest.raises(CancelledError):
        running.result(timeout=10)
    assert dask_pool.submit(sleep_task, 0.01, time_limit=60).result(timeout=60) == 0.01


def test_queue_bound_on_dask(dask_pool) -> None:
    busy = [dask_pool.submit(sleep_task, 1.0, time_limit=60) for _ in range(2)]
    deadline = time.monotonic() + 30
    while dask_pool.stats()["queued"] != 0:
        if time.monotonic() > deadline:  # a hang guard
            pytest.fail("timed out waiting")
        time.sleep(0.02)
    waiting = [dask_pool.submit(sleep_task, 0.01, time_limit=60) for _ in range(2)]
    with pytest.raises(QueueFull):
        dask_pool.submit(sleep_task, 0.01, time_limit=60)
    for task in busy + waiting:
        task.result(timeout=60)
