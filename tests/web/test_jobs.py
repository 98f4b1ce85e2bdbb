"""The worker pool on its own: results and progress come back from a worker process, a crash
or an overrun kills only that worker (replaced at once), priorities, and the queue bound."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import CancelledError
from typing import Any

import pytest

from tradewar.errors import NonConvergenceError, ScenarioError
from tradewar.web import TaskError, WorkerPool
from tradewar.web._jobs import describe_failure


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


@pytest.fixture(scope="module")
def pool():
    pool = WorkerPool(size=1, max_queue=2)
    yield pool
    pool.close()


def test_result_progress_and_the_same_worker_is_reused(pool: WorkerPool) -> None:
    seen: list[tuple[int, int, str]] = []
    started: list[bool] = []
    task = pool.submit(echo, {"x": 1}, time_limit=60, on_progress=lambda *a: seen.append(a),
                       on_start=lambda: started.append(True))
    result, runs = task.future.result(timeout=120)
    assert result["echo"] == {"x": 1} and runs == [] and started == [True]
    assert seen == [(1, 3, "step 1"), (2, 3, "step 2"), (3, 3, "step 3")]
    again, _ = pool.submit(echo, None, time_limit=60).future.result(timeout=60)
    assert again["pid"] == result["pid"] != os.getpid()


def test_crash_and_overrun_replace_the_worker(pool: WorkerPool) -> None:
    first, _ = pool.submit(echo, None, time_limit=60).future.result(timeout=60)
    with pytest.raises(TaskError) as crashed:
        pool.submit(crash, None, time_limit=60).future.result(timeout=60)
    assert crashed.value.status == 500 and "exit code 3" in str(crashed.value.detail)
    with pytest.raises(TaskError) as slow:
        pool.submit(sleep, 30, time_limit=0.5).future.result(timeout=60)
    assert slow.value.status == 504 and "0.5 s" in str(slow.value.detail)
    with pytest.raises(TaskError) as bug:
        pool.submit(broken, None, time_limit=60).future.result(timeout=60)
    assert bug.value.status == 500 and "ZeroDivisionError" in str(bug.value.detail)
    after, _ = pool.submit(echo, None, time_limit=60).future.result(timeout=120)
    assert after["pid"] != first["pid"]  # a new worker


def _occupy(pool: WorkerPool, seconds: float) -> Any:
    """Submit a long task and return once THIS task runs (a task of an earlier test may still
    be counted as running, so the pool's counters alone are not enough)."""
    started = threading.Event()
    task = pool.submit(sleep, seconds, time_limit=60, on_start=started.set)
    assert started.wait(timeout=60)
    deadline = time.monotonic() + 60
    while pool.stats()["queued"] != 0:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return task


def test_queue_bound_and_priority(pool: WorkerPool) -> None:
    running = _occupy(pool, 1.0)
    order: list[str] = []
    pool.submit(sleep, 0.01, time_limit=60, priority=1, on_start=lambda: order.append("job"))
    high = pool.submit(sleep, 0.01, time_limit=60, priority=0, on_start=lambda: order.append("run"))
    with pytest.raises(TaskError) as full:
        pool.submit(sleep, 0.01, time_limit=60)
    assert full.value.status == 429 and int(full.value.headers["Retry-After"]) >= 1
    running.future.result(timeout=60)
    high.future.result(timeout=60)
    deadline = time.monotonic() + 60
    while len(order) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert order == ["run", "job"]  # submitted later, run first


def test_cancel_a_waiting_and_a_running_task(pool: WorkerPool) -> None:
    running = _occupy(pool, 30)
    waiting = pool.submit(sleep, 0.01, time_limit=60)
    pool.cancel(waiting)
    assert waiting.future.cancelled() and pool.stats()["queued"] == 0  # left the queue at once
    pool.cancel(running)
    with pytest.raises(CancelledError):
        running.future.result(timeout=10)  # the worker was stopped, not waited for
    assert pool.submit(sleep, 0.01, time_limit=60).future.result(timeout=120)[0] == 0.01


def test_closed_pool_refuses_work() -> None:
    pool = WorkerPool(size=1, max_queue=1)
    pool.close()
    with pytest.raises(TaskError) as closed:
        pool.submit(echo, None, time_limit=1)
    assert closed.value.status == 503


def test_failures_map_to_statuses() -> None:
    status, detail = describe_failure(ScenarioError(
        "scenario 'x': coalition[0].members[2]: unknown country 'ZZZ'; allowed: USA"))
    assert status == 422
    assert detail[0]["loc"] == ["body", "scenario", "coalition", 0, "members", 2]
    assert detail[0]["msg"].startswith("coalition[0].members[2]: unknown country 'ZZZ'")
    status, detail = describe_failure(ScenarioError("builtin:tpp: cannot recalibrate"))
    assert status == 422 and detail[0]["loc"] == ["body", "scenario"]
    status, detail = describe_failure(NonConvergenceError("did not converge"))
    assert status == 422 and detail[0]["type"] == "non_convergence_error"
    assert describe_failure(KeyError("x"))[0] == 500


def test_long_jobs_leave_a_worker_for_interactive_runs() -> None:
    from tradewar.web._jobs import INTERACTIVE, LONG_JOB

    pool = WorkerPool(size=2, max_queue=8)
    try:
        assert pool.stats()["long_slots"] == 1
        warm = [pool.submit(sleep, 0.01, time_limit=60) for _ in range(2)]
        for task in warm:
            task.future.result(timeout=120)  # both workers up
        order: list[str] = []
        long1 = pool.submit(sleep, 1.0, time_limit=60, priority=LONG_JOB,
                            on_start=lambda: order.append("long1"))
        long2 = pool.submit(sleep, 0.01, time_limit=60, priority=LONG_JOB,
                            on_start=lambda: order.append("long2"))
        time.sleep(0.3)
        assert order == ["long1"] and pool.stats()["queued"] == 1  # long2 waits: one slot
        started = time.monotonic()
        quick = pool.submit(sleep, 0.01, time_limit=60, priority=INTERACTIVE,
                            on_start=lambda: order.append("run"))
        quick.future.result(timeout=10)
        assert time.monotonic() - started < 0.9  # not behind long1
        long2.future.result(timeout=30)
        long1.future.result(timeout=30)
        assert order == ["long1", "run", "long2"]
    finally:
        pool.close()
    with pytest.raises(TaskError):
        pool.submit(sleep, 0.01, time_limit=1)


def test_close_stops_running_and_waiting_tasks_promptly() -> None:
    from tradewar.web._jobs import LONG_JOB

    pool = WorkerPool(size=1, max_queue=4)
    running = pool.submit(sleep, 60, time_limit=120, priority=LONG_JOB)
    waiting = pool.submit(sleep, 60, time_limit=120, priority=LONG_JOB)
    deadline = time.monotonic() + 60
    while pool.stats()["running"] == 0:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    started = time.monotonic()
    pool.close()
    assert time.monotonic() - started < 8
    for task in (running, waiting):
        with pytest.raises(TaskError) as stopped:
            task.future.result(timeout=5)
        assert stopped.value.status == 503
    assert not any(t.is_alive() for t in pool._threads)
