"""The lanes of a :class:`~tradewar.run.TaskPool`: a local worker process, or a Dask slot.

A lane runs one task at a time and answers ``(value or exception, raised, retry)``. The local
lane owns a persistent ``spawn``ed process (it keeps what its tasks cache, e.g. baselines) and
replaces it when it dies, overruns its time limit or is cancelled. The Dask lane submits the
task to the cluster (priority and retries passed on), relays progress through the scheduler's
event log and releases the task at its deadline or on cancel — Dask cannot stop a running
task, so its thread finishes on the worker and its result is dropped.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import multiprocessing.connection
import pickle
import signal
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import CancelledError
from typing import Any

from ..errors import TradewarError
from ._cluster import connect
from ._env import heap_for_arrays, sigint_blocked, single_threaded_blas
from ._pool import Lane, PoolClosed, TaskContext, TaskFailed, TaskHandle, TaskTimeout, WorkerDied

log = logging.getLogger("tradewar.run")

#: Seconds between checks for a deadline, a cancel or a closed pool while a task runs.
_TICK = 0.2


def make_lanes(scheduler: str | None, preload: tuple[str, ...]) -> Callable[[], Lane]:
    """A factory of lanes: local processes, or slots on the Dask cluster at ``scheduler``."""
    if scheduler is None:
        return lambda: ProcessLane(preload)
    shared = _SharedClient(scheduler)
    return lambda: DaskLane(shared)


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling (it is sent to the server), else a :class:`TaskFailed`
    with its type and message."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return TaskFailed(f"{type(exc).__name__}: {exc}")
    return exc


# ---------------------------------------------------------------------------------------------
# local worker processes
# ---------------------------------------------------------------------------------------------
def _process_main(conn: Any, preload: tuple[str, ...]) -> None:
    """Loop of a worker process: receive ``(fn, params)``, send ``("progress", d, t, m)`` and
    then ``("done", value)`` or ``("raised", exception)``; ``None`` stops it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    heap_for_arrays()
    for module in preload:
        importlib.import_module(module)
    conn.send(("ready",))
    ctx = TaskContext(lambda d, t, m: _send_progress(conn, d, t, m))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        fn, params = message
        try:
            value = fn(params, ctx)
        except Exception as exc:  # every failure is reported; the worker keeps serving
            if not isinstance(exc, TradewarError):
                traceback.print_exc()
            answer: tuple[str, Any] = ("raised", _portable(exc))
        else:
            answer = ("done", value)
        try:
            conn.send(answer)
        except (OSError, EOFError):  # the parent is gone (stopped, or killed): so are we
            return
        except Exception as exc:  # a value that cannot be pickled
            conn.send(("raised", TaskFailed(f"the task's result cannot be sent back ({exc})")))


def _send_progress(conn: Any, done: int, total: int, message: str) -> None:
    try:
        conn.send(("progress", done, total, message))
    except (OSError, EOFError):  # the parent is gone: stop the work at once
        raise SystemExit(0) from None


class ProcessLane(Lane):
    """One persistent worker process (started at once; replaced whenever it must go)."""

    _ctx = multiprocessing.get_context("spawn")

    def __init__(self, preload: tuple[str, ...]):
        self.preload = preload
        self.process, self.conn = self._spawn()

    def _spawn(self) -> tuple[Any, Any]:
        """Start a worker and wait until it has imported ``preload`` (at most 120 s)."""
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_process_main, args=(child, self.preload),
                                    name="tradewar-worker", daemon=True)
        with sigint_blocked(), single_threaded_blas():  # Ctrl-C is the parent's; 1 BLAS thread
            process.start()
        child.close()
        ready = multiprocessing.connection.wait([parent, process.sentinel], timeout=120)
        try:
            if parent in ready and parent.recv() == ("ready",):
                return process, parent
        except (EOFError, OSError):
            pass
        log.error("a worker process did not start (exit code %s)", process.exitcode)
        return process, parent  # a dead worker: the next task finds it dead and respawns

    def close(self, kill: bool) -> None:
        process, conn = self.process, self.conn
        if not kill:
            try:
                conn.send(None)
            except (OSError, ValueError):
                kill = True
            process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
        conn.close()

    def _replace(self) -> None:
        self.close(kill=True)
        self.process, self.conn = self._spawn()

    def execute(self, task: TaskHandle, closed: Callable[[], bool]) -> tuple[Any, bool, bool]:
        if not self.process.is_alive():
            self._replace()
        outcome, raised, retry, replace = self._talk(task, closed)
        if replace:
            self._replace()
        return outcome, raised, retry

    def _talk(self, task: TaskHandle, closed: Callable[[], bool]
              ) -> tuple[Any, bool, bool, bool]:
        """(value or exception, raised, retry, replace the worker)."""
        process, conn = self.process, self.conn
        try:
            conn.send((task.fn, task.params))
        except (OSError, ValueError) as exc:
            return WorkerDied(f"could not reach the worker process ({exc})"), True, True, True
        except Exception as exc:  # e.g. a function that cannot be pickled
            log.error("cannot send a task to a worker: %r", exc)
            return TaskFailed(f"the task cannot be sent to a worker ({type(exc).__name__})"), \
                True, False, False
        deadline = time.monotonic() + task.time_limit
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return TaskTimeout(task.time_limit), True, False, True
            if task.cancel_requested.is_set():
                return CancelledError("cancelled"), True, False, True
            if closed():
                return PoolClosed("the pool was closed"), True, False, True
            ready = multiprocessing.connection.wait([conn, process.sentinel],
                                                    timeout=min(remaining, _TICK))
            if not ready:
                continue
            message = None
            if conn in ready:
                try:
                    message = conn.recv()
                except (EOFError, OSError):
                    message = None
            if message is None:
                process.join(timeout=1)
                return WorkerDied(f"the worker process died during the computation (exit code "
                                  f"{process.exitcode}); see the server log",
                                  process.exitcode), True, True, True
            if message[0] == "progress":
                task.progress(*message[1:])
            elif message[0] == "done":
                return message[1], False, False, False
            else:
                return message[1], True, False, False


# ---------------------------------------------------------------------------------------------
# Dask
# ---------------------------------------------------------------------------------------------
class _SharedClient:
    """One ``distributed.Client`` for every lane of a pool, connected at first use."""

    def __init__(self, address: str):
        self.address = address
        self._client: Any = None
        self._lock = threading.Lock()
        self.users = 0

    def get(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = connect(self.address)
            return self._client

    def release(self) -> None:
        with self._lock:
            self.users -= 1
            if self.users <= 0 and self._client is not None:
                client, self._client = self._client, None
                try:
                    client.close()
                except Exception:  # pragma: no cover - closing a lost connection
                    log.warning("closing the Dask client failed", exc_info=True)


def _dask_call(fn: Callable[[Any, TaskContext], Any], params: Any, topic: str) -> Any:
    """A task on a Dask worker: progress goes to the scheduler's event log under ``topic``."""
    from distributed import get_worker

    heap_for_arrays()
    worker = get_worker()
    return fn(params, TaskContext(lambda d, t, m: worker.log_event(topic, (d, t, m))))


class DaskLane(Lane):
    """A slot on a Dask cluster (the pool's ``slots`` bound how many tasks it holds there)."""

    def __init__(self, shared: _SharedClient):
        self.shared = shared
        with shared._lock:
            shared.users += 1

    def close(self, kill: bool) -> None:
        self.shared.release()

    def execute(self, task: TaskHandle, closed: Callable[[], bool]) -> tuple[Any, bool, bool]:
        try:
            client = self.shared.get()
        except Exception as exc:
            return exc, True, False
        topic = f"tradewar-progress-{uuid.uuid4().hex}"
        client.subscribe_topic(topic, lambda event: task.progress(*event[1]))
        future = client.submit(_dask_call, task.fn, task.params, topic, pure=False,
                               key=f"tradewar-task-{uuid.uuid4().hex}",
                               priority=-task.priority, retries=task.retries)
        finished = threading.Event()
        future.add_done_callback(lambda _: finished.set())
        deadline = time.monotonic() + task.time_limit
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return TaskTimeout(task.time_limit), True, False
                if task.cancel_requested.is_set():
                    return CancelledError("cancelled"), True, False
                if closed():
                    return PoolClosed("the pool was closed"), True, False
                if not finished.wait(timeout=min(remaining, _TICK)):
                    continue
                if future.status == "finished":
                    return future.result(), False, False
                if future.status != "error":  # cancelled or lost on the cluster
                    return WorkerDied(f"the computation was {future.status} on the Dask "
                                      "cluster"), True, False
                error = future.exception()
                if type(error).__name__ == "KilledWorker":
                    return WorkerDied(f"the Dask workers running the computation died "
                                      f"({error})"), True, False
                return error, True, False
        finally:
            if not future.done():
                future.cancel()
            future.release()
            client.unsubscribe_topic(topic)
