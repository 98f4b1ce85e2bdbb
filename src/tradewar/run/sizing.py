"""Run sizing: rough a-priori costs of solves, to size chunks and choose serial or parallel.

These numbers only decide *how* work is run (chunk sizes, whether to start worker
processes, the estimate in a refusal message); they never enter a result. Moved here from
the coalition and sweep analyses (issue 10) so every batch sizes its work in one place.
"""

from __future__ import annotations

import math
import os
from typing import Protocol

__all__ = [
    "SERIAL_BELOW",
    "available_cpus",
    "draws_per_chunk",
    "duration_text",
    "local_workers",
    "seconds_per_solve",
]

#: Below this many estimated seconds of work, a local run stays in this process: starting
#: worker processes (2-4 s of imports each) would cost more than it saves.
SERIAL_BELOW = 10.0


class _Sized(Protocol):
    @property
    def n_countries(self) -> int: ...

    @property
    def n_sectors(self) -> int: ...


def seconds_per_solve(economy: _Sized, batched: bool = True) -> float:
    """A rough a-priori estimate of one equilibrium solve, seconds (4 ms at 14 x 28 in a
    batch, measured 4-10 ms; three times that alone), to size chunks and choose between serial and
    parallel runs, never to compute results."""
    return (1.0 if batched else 3.0) * 7e-7 * economy.n_countries ** 2 * economy.n_sectors


def local_workers(workers: int | None, scheduler: str | None, seconds: float) -> int | None:
    """``workers`` as given, or 1 for a local run estimated below :data:`SERIAL_BELOW`
    (``None``: let the run layer choose)."""
    address = scheduler if scheduler is not None else os.environ.get("DASK_SCHEDULER_ADDRESS", "")
    if workers is not None or address.strip().lower() not in ("", "local"):
        return workers
    return 1 if seconds < SERIAL_BELOW else None


def draws_per_chunk(economy: _Sized, per_draw: float) -> int:
    """Draws of a sweep per chunk, from the problem size only (never from the number of
    workers, so that every backend solves the same chunks): about 0.25 s of work, 1 to 50
    draws. ``per_draw`` is the number of solves one draw costs."""
    seconds = seconds_per_solve(economy, batched=False) * per_draw
    return int(min(50, max(1, math.ceil(0.25 / seconds))))


def available_cpus() -> int:
    """CPUs this process may use (its affinity where the OS reports it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def duration_text(seconds: float) -> str:
    """A duration for people: ``"40 s"``, ``"12 min"``, ``"3.5 h"``, ``"2.1 days"``."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"
