"""Single tasks on a bounded pool: submit, poll, cancel — locally or on a Dask cluster.

:class:`TaskPool` runs one module-level ``fn(params, ctx)`` per task on ``slots`` lanes: each
lane is a persistent worker process of this machine (``spawn``ed, so nothing is forked from a
threaded server) or, given a scheduler address, a slot on a Dask cluster. The pool is the one
place that decides when a task runs (a priority queue of at most ``max_queue`` waiting tasks;
lower priority first, first in first out within one; tasks of priority :data:`LONG` or more
never hold the last free slot), how long it may run (``time_limit``: a local worker still busy
at the deadline is killed and replaced; on Dask the task is released), how it is retried
(``retries``: a task whose worker died runs again on a fresh one) and how it is cancelled
(:meth:`TaskHandle.cancel`: a waiting task leaves the queue, a running one is stopped).

A task reports progress with ``ctx.progress(done, total, message)``; the handle's
:meth:`~TaskHandle.poll` shows it, ``on_progress`` receives it. Its return value (or the
exception it raised) comes back through ``handle.future``. Failures of the pool itself are the
exceptions below; a cancelled task's future raises :class:`concurrent.futures.CancelledError`.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import TradewarError

__all__ = [
    "INTERACTIVE",
    "LONG",
    "QUICK",
    "PoolClosed",
    "QueueFull",
    "TaskContext",
    "TaskFailed",
    "TaskHandle",
    "TaskPool",
    "TaskState",
    "TaskTimeout",
    "WorkerDied",
]

#: Priorities: interactive requests, quick tasks, long tasks (never on the last free slot).
INTERACTIVE, QUICK, LONG = 0, 1, 2

TaskStatus = Literal["queued", "running", "done", "failed", "cancelled"]


class TaskFailed(TradewarError, RuntimeError):
    """A task the pool could not run to its end (the subclasses say why)."""


class QueueFull(TaskFailed):
    """``max_queue`` tasks already wait; ``retry_after`` seconds is about one round."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after

    def __reduce__(self) -> Any:
        return type(self), (str(self), self.retry_after)


class PoolClosed(TaskFailed):
    """The pool was closed before (or while) the task ran."""


class TaskTimeout(TaskFailed):
    """The task ran longer than its ``time_limit`` (seconds) and was stopped."""

    def __init__(self, time_limit: float):
        super().__init__(f"the task took longer than its time limit of {time_limit:g} s "
                         "and was stopped")
        self.time_limit = time_limit

    def __reduce__(self) -> Any:
        return type(self), (self.time_limit,)


class WorkerDied(TaskFailed):
    """The worker running the task died (``exit_code``: the process's, if known)."""

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        self.exit_code = exit_code

    def __reduce__(self) -> Any:
        return type(self), (str(self), self.exit_code)


class TaskContext:
    """What a task function gets besides its parameters: a way to report progress."""

    def __init__(self, report: Callable[[int, int, str], None]):
        self._report = report

    def progress(self, done: int, total: int, message: str = "") -> None:
        """Report progress (``done`` of ``total`` units; ``message`` at most 300 characters)."""
        self._report(int(done), int(total), str(message)[:300])


@dataclass(frozen=True)
class TaskState:
    """A task's state as :meth:`TaskHandle.poll` sees it."""

    status: TaskStatus
    done: int
    total: int
    message: str


@dataclass(eq=False)
class TaskHandle:
    """One submitted task: ``future`` gets ``fn``'s return value (or its exception)."""

    fn: Callable[[Any, TaskContext], Any]
    params: Any
    time_limit: float
    priority: int
    retries: int = 0
    future: Future[Any] = field(default_factory=Future)
    on_start: Callable[[], None] | None = None
    on_progress: Callable[[int, int, str], None] | None = None
    cancel_requested: threading.Event = field(default_factory=threading.Event)
    done: int = 0
    total: int = 0
    message: str = ""
    seq: int = 0  # submission order (first in, first out within a priority)
    waiting: bool = True  # counted in the pool's queue length
    pool: TaskPool | None = None

    def progress(self, done: int, total: int, message: str) -> None:
        self.done, self.total, self.message = done, total, message
        if self.on_progress is not None:
            self.on_progress(done, total, message)

    def poll(self) -> TaskState:
        """Status and the last progress reported (never blocks)."""
        f = self.future
        if f.cancelled() or (f.done() and isinstance(f.exception(), CancelledError)):
            status: TaskStatus = "cancelled"
        elif f.done():
            status = "failed" if f.exception() is not None else "done"
        else:
            status = "running" if f.running() else "queued"
        return TaskState(status, self.done, self.total, self.message)

    def cancel(self) -> None:
        """Cancel: a waiting task leaves the queue at once, a running one is stopped."""
        if self.pool is not None:
            self.pool.cancel(self)

    def result(self, timeout: float | None = None) -> Any:
        return self.future.result(timeout)


class Lane(ABC):
    """Where one slot of a pool runs its tasks (a worker process, or a slot on a cluster)."""

    @abstractmethod
    def execute(self, task: TaskHandle, closed: Callable[[], bool]) -> tuple[Any, bool, bool]:
        """Run ``task``; return (value or exception, whether it raised, whether to retry)."""

    @abstractmethod
    def close(self, kill: bool) -> None:
        """Release the slot (``kill``: stop a task still running)."""


class TaskPool:
    """``slots`` lanes fed from a priority queue of at most ``max_queue`` tasks.

    Parameters
    ----------
    slots : int
        Tasks at once (local worker processes, or concurrent tasks on the cluster).
    max_queue : int
        Tasks that may wait; :meth:`submit` raises :class:`QueueFull` beyond that.
    scheduler : str, optional
        ``tcp://HOST:PORT`` of a Dask scheduler: tasks run there. ``None`` or ``"local"``: on
        this machine, in worker processes (the environment variable is not consulted: a
        server states its backend explicitly).
    long_slots : int, optional
        Slots tasks of priority :data:`LONG` or more may hold (default ``slots - 1``, >= 1).
    preload : sequence of str
        Modules every local worker imports before it accepts work (so a time limit counts
        work only, not start-up).

    Started lazily (first submission) or by :meth:`start`; :meth:`close` stops every lane.
    """

    def __init__(self, slots: int = 2, max_queue: int = 32, *, scheduler: str | None = None,
                 long_slots: int | None = None, preload: Sequence[str] = ()):
        if slots < 1 or max_queue < 0:
            raise ValueError("slots must be >= 1 and max_queue >= 0")
        from ._lanes import make_lanes

        self.slots = slots
        self.max_queue = max_queue
        self.long_slots = max(1, slots - 1) if long_slots is None else max(1, long_slots)
        address = (scheduler or "").strip()
        self.scheduler = None if address.lower() in ("", "local") else address
        self.backend: Literal["processes", "dask"] = "dask" if self.scheduler else "processes"
        self._new_lane = make_lanes(self.scheduler, tuple(preload))
        self._queue: queue.PriorityQueue[tuple[int, int, TaskHandle | None]] = (
            queue.PriorityQueue())
        self._lock = threading.Lock()
        self._changed = threading.Condition()
        self._seq = self._queued = self._busy = self._long_busy = 0
        self._threads: list[threading.Thread] = []
        self._closed = False
        self._mean_seconds = 1.0
        self.completed = 0
        self.failed = 0

    # ---- lifecycle ----
    def start(self) -> None:
        with self._lock:
            if self._threads or self._closed:
                return
            for k in range(self.slots):
                thread = threading.Thread(target=self._runner, name=f"tradewar-lane-{k}",
                                          daemon=True)
                thread.start()
                self._threads.append(thread)

    def close(self) -> None:
        """Fail the waiting tasks (:class:`PoolClosed`) and stop every lane (running tasks
        are stopped, not waited for)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            threads = list(self._threads)
        while True:
            try:
                _, _, task = self._queue.get_nowait()
            except queue.Empty:
                break
            if task is not None and task.future.set_running_or_notify_cancel():
                task.future.set_exception(PoolClosed("the pool was closed"))
        for _ in threads:
            self._queue.put((-1, 0, None))  # before any task
        with self._changed:
            self._changed.notify_all()
        for thread in threads:
            thread.join(timeout=10)

    @property
    def closed(self) -> bool:
        return self._closed

    # ---- submission ----
    def retry_after(self) -> int:
        """Seconds a refused caller should wait (about one round of the queue)."""
        waiting = self._queued + self._busy
        return int(min(60, max(1, math.ceil(self._mean_seconds * waiting / self.slots))))

    def submit(self, fn: Callable[[Any, TaskContext], Any], params: Any, *, time_limit: float,
               priority: int = QUICK, retries: int = 0,
               on_start: Callable[[], None] | None = None,
               on_progress: Callable[[int, int, str], None] | None = None) -> TaskHandle:
        """Queue ``fn(params, ctx)`` (``fn`` at module level: it is sent by reference).

        ``retries``: times the task runs again when its worker dies (a task that raises is
        not retried: its exception is the answer). Raises :class:`QueueFull` when
        ``max_queue`` tasks already wait and :class:`PoolClosed` after :meth:`close`.
        """
        self.start()
        task = TaskHandle(fn, params, float(time_limit), priority, max(0, int(retries)),
                          on_start=on_start, on_progress=on_progress, pool=self)
        with self._lock:
            if self._closed:
                raise PoolClosed("the pool was closed")
            if self._queued >= self.max_queue:
                raise QueueFull(
                    f"too many computations waiting ({self._queued} queued, {self._busy} "
                    f"running, at most {self.max_queue} may wait); retry later",
                    self.retry_after())
            self._queued += 1
            self._seq += 1
            task.seq = self._seq
        self._put(task)
        return task

    def cancel(self, task: TaskHandle) -> None:
        """Cancel a waiting task (it leaves the queue at once) or stop a running one."""
        task.cancel_requested.set()
        if task.future.cancel():  # succeeds only while it waits
            self._leave_queue(task)

    def stats(self) -> dict[str, Any]:
        return {"workers": self.slots, "running": self._busy, "queued": self._queued,
                "max_queue": self.max_queue, "long_slots": self.long_slots,
                "completed": self.completed, "failed": self.failed,
                "mean_seconds": round(self._mean_seconds, 3)}

    # ---- internals ----
    def _put(self, task: TaskHandle) -> None:
        self._queue.put((task.priority, task.seq, task))
        with self._changed:
            self._changed.notify_all()

    def _leave_queue(self, task: TaskHandle) -> None:
        with self._lock:
            if task.waiting:
                task.waiting = False
                self._queued -= 1

    def _finish_long(self) -> None:
        with self._lock:
            self._long_busy -= 1
        with self._changed:
            self._changed.notify_all()

    def _take_long_slot(self, task: TaskHandle) -> bool | None:
        """For a long task: True if it got a long slot, None if it must wait (requeued)."""
        with self._lock:
            if self._long_busy < self.long_slots:
                self._long_busy += 1
                return True
        with self._changed:  # back in line; wake up when something changes
            self._queue.put((task.priority, task.seq, task))
            self._changed.wait(timeout=0.5)
        return None

    def _runner(self) -> None:
        lane = self._new_lane()
        try:
            while True:
                _, _, task = self._queue.get()
                if task is None:
                    return
                if self._closed:  # put back by a runner after close() emptied the queue
                    if task.future.set_running_or_notify_cancel():
                        task.future.set_exception(PoolClosed("the pool was closed"))
                    continue
                long = False  # holds one of the long_slots
                if task.priority >= LONG and not task.future.cancelled():
                    if self._take_long_slot(task) is None:
                        continue
                    long = True
                self._leave_queue(task)
                if task.cancel_requested.is_set() or not task.future.set_running_or_notify_cancel():
                    if long:
                        self._finish_long()
                    continue
                self._run(lane, task, long)
        finally:
            lane.close(kill=self._closed)

    def _run(self, lane: Lane, task: TaskHandle, long: bool) -> None:
        with self._lock:
            self._busy += 1
        started = time.monotonic()
        try:
            if task.on_start is not None:
                task.on_start()
            attempts = 0
            while True:
                outcome, raised, retry = lane.execute(task, lambda: self._closed)
                if not (retry and attempts < task.retries and not self._closed):
                    break
                attempts += 1
        finally:
            with self._lock:
                self._busy -= 1
            if long:
                self._finish_long()
        seconds = time.monotonic() - started
        self._mean_seconds = 0.8 * self._mean_seconds + 0.2 * seconds
        if raised:
            self.failed += 1
            task.future.set_exception(outcome)
        else:
            self.completed += 1
            task.future.set_result(outcome)
