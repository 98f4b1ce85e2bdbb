"""Where work runs: local processes by default, a Dask cluster when given its address.

Two entry points, one for each shape of work:

- :func:`run_chunks` runs a module-level ``task(shared, chunk)`` over chunks of a batch, sends
  ``shared`` (e.g. the baseline) to each worker once, checkpoints every finished chunk so an
  interrupted run resumes, retries failing chunks and reports the ones that still fail.
- :class:`TaskPool` runs single tasks ``fn(params, ctx)`` (a web request, a job) on a bounded,
  prioritised pool: :meth:`TaskPool.submit` gives a :class:`TaskHandle` to ``poll``,
  ``cancel`` or wait on; time limits, retries of dead workers and cancellation live there.
"""

from ._checkpoint import fingerprint
from ._chunks import chunk, spawn_seeds, suggest_chunk_size
from ._cluster import CONNECT_TIMEOUT, SchedulerUnreachableError, connect
from ._pool import (
    INTERACTIVE,
    LONG,
    QUICK,
    PoolClosed,
    QueueFull,
    TaskContext,
    TaskFailed,
    TaskHandle,
    TaskPool,
    TaskState,
    TaskTimeout,
    WorkerDied,
)
from ._runner import RunInterrupted, RunOutcome, run_chunks
from ._tasks import solve_tariff_chunk, solve_tariff_scenarios

__all__ = [
    "CONNECT_TIMEOUT",
    "INTERACTIVE",
    "LONG",
    "QUICK",
    "PoolClosed",
    "QueueFull",
    "RunInterrupted",
    "RunOutcome",
    "SchedulerUnreachableError",
    "chunk",
    "connect",
    "fingerprint",
    "run_chunks",
    "solve_tariff_chunk",
    "solve_tariff_scenarios",
    "spawn_seeds",
    "suggest_chunk_size",
    "TaskContext",
    "TaskFailed",
    "TaskHandle",
    "TaskPool",
    "TaskState",
    "TaskTimeout",
    "WorkerDied",
]
