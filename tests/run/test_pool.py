"""The run layer's task pool on its own (local worker processes): results and progress come
back from a worker process, a crash or an overrun kills only that worker (replaced at once),
retries after a crash, priorities, the queue bound, cancel and close. The Dask lane is tested
against a real cluster in test_cluster.py."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import CancelledError
from typing import Any

import pytest

from tradewar.run import (
    INTERACTIVE,
    LONG,
    PoolClosed,
    QueueFull,
    TaskFailed,
    TaskPool,
    TaskTimeout,
    WorkerDied,
)


def echo(params: Any, ctx: Any) -> dict[str, Any]:
    for k in range(3):
        ctx.progress(k + 1, 3, f"step {k + 1}")
    return {"echo": params, "pid": os.getpid()}


def crash(params: Any, ctx: Any) -> None:
    os._exit(3)


def sleep(seconds: float, ctx: Any) -> float:
    time.sleep(seconds)
    return seconds


def broken(params: Any, ctx: Any) -> None:
    raise ZeroDivisionError("a bug")


class Unpicklable(Exception):
    def __init__(self, a: int, b: int):
        super().__init__(f"{a} and {b}")


def raises_unpicklable(params: Any, ctx: Any) -> None:
    raise Unpicklable(1, 2)


def crash_once(marker: str, ctx: Any) -> int:
    """Dies the first time (leaving ``marker``), succeeds on the retry."""
    if not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(4)
    return os.getpid()


@pytest.fixture(scope="module")
def pool():
    pool = TaskPool(slots=1, max_queue=2)
    yield pool
    pool.close()


def test_result_progress_and_the_same_worker_is_reused(pool: TaskPool) -> None:
    seen: list[tuple[int, int, str]] = []
    started: list[bool] = []
    task = pool.submit(echo, {"x": 1}, time_limit=60, on_progress=lambda *a: seen.append(a),
                       on_start=lambda: started.append(True))
    result = task.future.result(timeout=120)
    assert result["echo"] == {"x": 1} and started == [True]
    assert seen == [(1, 3, "step 1"), (2, 3, "step 2"), (3, 3, "step 3")]
    state = task.poll()
    assert (state.status, state.done, state.total, state.message) == ("done", 3, 3, "step 3")
    again = pool.submit(echo, None, time_limit=60).future.result(timeout=60)
    assert again["pid"] == result["pid"] != os.getpid()


def test_crash_and_overrun_replace_the_worker(pool: TaskPool) -> None:
    first = pool.submit(echo, None, time_limit=60).future.result(timeout=60)
    with pytest.raises(WorkerDied) as crashed:
        pool.submit(crash, None, time_limit=60).future.result(timeout=60)
    assert crashed.value.exit_code == 3 and "exit code 3" in str(crashed.value)
    with pytest.raises(TaskTimeout) as slow:
        pool.submit(sleep, 30, time_limit=0.5).future.result(timeout=60)
    assert slow.value.time_limit == 0.5 and "0.5 s" in str(slow.value)
    bug = pool.submit(broken, None, time_limit=60)
    with pytest.raises(ZeroDivisionError, match="a bug"):  # the task's own exception
        bug.future.result(timeout=60)
    assert bug.poll().status == "failed"
    with pytest.raises(TaskFailed, match="Unpicklable: 1 and 2"):
        pool.submit(raises_unpicklable, None, time_limit=60).future.result(timeout=60)
    after = pool.submit(echo, None, time_limit=60).future.result(timeout=120)
    assert after["pid"] != first["pid"]  # a new worker


def test_a_task_whose_worker_died_is_retried(pool: TaskPool, tmp_path) -> None:
    marker = str(tmp_path / "crashed-once")
    pid = pool.submit(crash_once, marker, time_limit=60, retries=1).future.result(timeout=120)
    assert os.path.exists(marker) and pid != os.getpid()
    os.unlink(marker)
    with pytest.raises(WorkerDied):  # no retry asked: the death is the answer
        pool.submit(crash_once, marker, time_limit=60).future.result(timeout=120)


def _occupy(pool: TaskPool, seconds: float) -> Any:
    """Submit a long task and return once THIS task runs (a task of an earlier test may still
    be counted as running, so the pool's counters alone are not enough)."""
    started = threading.Event()
    task = pool.submit(sleep, seconds, time_limit=60, on_start=started.set)
    assert started.wait(timeout=60)
    deadline = time.monotonic() + 60
    while pool.stats()["queued"] != 0:
        if time.monotonic() > deadline:  # a hang guard
            pytest.fail("timed out waiting")
        time.sleep(0.01)
    return task


def test_queue_bound_and_priority(pool: TaskPool) -> None:
    running = _occupy(pool, 1.0)
    order: list[str] = []
    pool.submit(sleep, 0.01, time_limit=60, priority=1, on_start=lambda: order.append("job"))
    high = pool.submit(sleep, 0.01, time_limit=60, priority=0, on_start=lambda: order.append("run"))
    with pytest.raises(QueueFull) as full:
        pool.submit(sleep, 0.01, time_limit=60)
    assert full.value.retry_after >= 1 and "at most 2 may wait" in str(full.value)
    running.future.result(timeout=60)
    high.future.result(timeout=60)
    deadline = time.monotonic() + 60
    while len(order) < 2:
        if time.monotonic() > deadline:  # a hang guard
            pytest.fail("timed out waiting")
        time.sleep(0.01)
    assert order == ["run", "job"]  # submitted later, run first


def test_cancel_a_waiting_and_a_running_task(pool: TaskPool) -> None:
    running = _occupy(pool, 30)
    assert running.poll().status == "running"
    waiting = pool.submit(sleep, 0.01, time_limit=60)
    assert waiting.poll().status == "queued"
    waiting.cancel()
    assert waiting.future.cancelled() and pool.stats()["queued"] == 0  # left the queue at once
    assert waiting.poll().status == "cancelled"
    running.cancel()
    with pytest.raises(CancelledError):
        running.future.result(timeout=10)  # the worker was stopped, not waited for
    assert running.poll().status == "cancelled"
    assert pool.submit(sleep, 0.01, time_limit=60).future.result(timeout=120) == 0.01


def test_closed_pool_refuses_work() -> None:
    pool = TaskPool(slots=1, max_queue=1)
    pool.close()
    with pytest.raises(PoolClosed):
        pool.submit(echo, None, time_limit=1)


def test_long_jobs_leave_a_worker_for_interactive_runs() -> None:
    pool = TaskPool(slots=2, max_queue=8)
    try:
        assert pool.stats()["long_slots"] == 1
        warm = [pool.submit(sleep, 0.01, time_limit=60) for _ in range(2)]
        for task in warm:
            task.future.result(timeout=120)  # both workers up
        order: list[str] = []
        long1 = pool.submit(sleep, 60.0, time_limit=120, priority=LONG,
                            on_start=lambda: order.append("long1"))
        long2 = pool.submit(sleep, 0.01, time_limit=60, priority=LONG,
                            on_start=lambda: order.append("long2"))
        time.sleep(0.3)
        assert order == ["long1"] and pool.stats()["queued"] == 1  # long2 waits: one slot
        quick = pool.submit(sleep, 0.01, time_limit=60, priority=INTERACTIVE,
                            on_start=lambda: order.append("run"))
        quick.future.result(timeout=50)
        assert not long1.future.done()  # the run was not queued behind the long job
        assert order == ["long1", "run"] and not long2.future.done()  # long2 still waits
        long1.cancel()  # frees the long slot
        long2.future.result(timeout=30)
        assert order == ["long1", "run", "long2"]
    finally:
        pool.close()
    with pytest.raises(PoolClosed):
        pool.submit(sleep, 0.01, time_limit=1)


def test_close_stops_running_and_waiting_tasks_promptly() -> None:
    pool = TaskPool(slots=1, max_queue=4)
    running = pool.submit(sleep, 60, time_limit=120, priority=LONG)
    waiting = pool.submit(sleep, 60, time_limit=120, priority=LONG)
    deadline = time.monotonic() + 60
    while pool.stats()["running"] == 0:
        if time.monotonic() > deadline:  # a hang guard
            pytest.fail("timed out waiting")
        time.sleep(0.02)
    pool.close()
    assert running.future.done() and waiting.future.done()  # stopped, not waited for (60 s)
    for task in (running, waiting):
        with pytest.raises(PoolClosed):
            task.future.result(timeout=5)
    assert not any(t.is_alive() for t in pool._threads)
