"""Ready-made tasks for :func:`run_chunks`: batches of tariff scenarios on one baseline."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..model import Economy, solve_batch
from ._chunks import chunk
from ._runner import RunOutcome, run_chunks


def solve_tariff_chunk(economy: Economy, chunk_: tuple[int, np.ndarray, str]) -> list[dict[str, Any]]:
    """Solve a chunk of tariff scenarios in one :func:`solve_batch` call; one row per scenario
    and country: ``scenario`` (index), ``country``, ``welfare_pct``, ``converged``."""
    first, tariffs, backend = chunk_
    rows = []
    for k, eq in enumerate(solve_batch(economy, tariffs, backend=backend)):
        converged = bool(eq.diagnostics.converged)
        welfare = eq.welfare_pct if converged else np.full(economy.n_countries, np.nan)
        rows += [{"scenario": first + k, "country": c, "welfare_pct": float(w), "converged": converged}
                 for c, w in zip(economy.countries, welfare, strict=True)]
    return rows


def solve_tariff_scenarios(economy: Economy, tariffs: np.ndarray, *, chunk_size: int = 8,
                           workers: int | None = None, scheduler: str | None = None,
                           backend: str = "numpy", progress: Any = False) -> RunOutcome:
    """Solve B tariff scenarios (B, N, N, J) on ``economy`` in chunks, across processes or a
    Dask cluster; the frame has one row per scenario and country (non-converged scenarios are
    rows with ``converged`` False and NaN welfare, never dropped)."""
    starts = [c[0] for c in chunk(range(len(tariffs)), chunk_size)]
    chunks = [(s, np.asarray(tariffs[s:s + chunk_size]), backend) for s in starts]
    return run_chunks(solve_tariff_chunk, economy, chunks, workers=workers, scheduler=scheduler,
                      progress=progress, description="solving scenarios")
