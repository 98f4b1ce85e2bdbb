"""Batches of solves: local processes by default, a Dask cluster when given its address.

:func:`run_chunks` runs a module-level ``task(shared, chunk)`` over chunks of work, sends
``shared`` (e.g. the baseline) to each worker once, checkpoints every finished chunk so an
interrupted run resumes, retries failing chunks and reports the ones that still fail.
"""

from ._checkpoint import fingerprint
from ._runner import (
    CONNECT_TIMEOUT,
    RunInterrupted,
    RunOutcome,
    SchedulerUnreachableError,
    chunk,
    connect,
    run_chunks,
    spawn_seeds,
    suggest_chunk_size,
)
from ._tasks import solve_tariff_chunk, solve_tariff_scenarios

__all__ = [
    "CONNECT_TIMEOUT",
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
]
