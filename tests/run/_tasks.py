"""Module-level tasks for the run tests (tasks must be picklable, so not defined in tests)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import numpy as np

from tradewar.model import solve_batch


def random_tariffs(economy, seed: int) -> np.ndarray:
    """Seeded random tariffs in [0, 0.5] on every foreign flow (own tariffs stay zero)."""
    rng = np.random.default_rng(seed)
    tariffs = rng.uniform(0.0, 0.5, economy.tariffs.shape)
    idx = np.arange(tariffs.shape[0])
    tariffs[idx, idx, :] = 0.0
    return tariffs


def solve_task(economy, items):
    """items: list of (draw, seed); one row per draw and country."""
    tariffs = np.stack([random_tariffs(economy, seed) for _, seed in items])
    rows = []
    for (draw, seed), eq in zip(items, solve_batch(economy, tariffs), strict=True):
        for n, country in enumerate(economy.countries):
            rows.append({"draw": draw, "seed": seed, "country": country,
                         "welfare_pct": float(eq.welfare_pct[n]),
                         "real_wage_pct": float(eq.real_wage_pct[n]),
                         "converged": bool(eq.diagnostics.converged),
                         "iterations": int(eq.diagnostics.iterations)})
    return rows


def _mark(directory: str, name: str) -> int:
    """Leave a marker file; return how many markers the directory holds now."""
    Path(directory, f"{name}-{uuid.uuid4().hex}").touch()
    return len(os.listdir(directory))


def counting_task(shared, index):
    """Counts calls with marker files in ``shared['calls']``; stops like Ctrl-C on call
    ``shared['stop_at']``; chunk ``shared['fail']`` always raises; ``shared['flaky']`` raises
    on its first call only."""
    calls = _mark(shared["calls"], f"call-{index:03d}")
    if shared.get("stop_at") is not None and calls >= shared["stop_at"]:
        raise KeyboardInterrupt
    if index == shared.get("fail"):
        raise ValueError(f"chunk {index} is broken")
    if index == shared.get("flaky"):
        marker = Path(shared["calls"]).with_name(f"flaky-{index}")
        if not marker.exists():
            marker.touch()
            raise RuntimeError("transient failure")
    if index == shared.get("bad_type"):
        return {"not": "rows"}
    return [{"chunk": index, "square": index * index, "label": f"c{index}"}]


def slow_task(shared, index):
    import time

    time.sleep(shared["sleep"])
    return [{"chunk": index}]


def dying_task(shared, index):
    """Kills its own worker process the first time it runs chunk ``shared['victim']`` (every
    time with ``shared['always']``)."""
    if index == shared["victim"]:
        marker = Path(shared["marker"])
        if shared.get("always") or not marker.exists():
            marker.touch()
            os._exit(1)
    return [{"chunk": index}]


# ---- single tasks for TaskPool: fn(params, ctx) ----

def echo_task(params, ctx):
    """Reports three steps of progress, returns its parameters and the worker's pid."""
    for k in range(3):
        ctx.progress(k + 1, 3, f"step {k + 1}")
    return {"echo": params, "pid": os.getpid()}


def sleep_task(seconds, ctx):
    import time

    time.sleep(seconds)
    return seconds


def broken_task(params, ctx):
    raise ZeroDivisionError("a bug")
