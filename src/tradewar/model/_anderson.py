"""Batched Anderson acceleration (type II) of a fixed-point map, with a safeguard.

Each batch lane keeps its own history; the least-squares step is solved per lane through
the (regularised) normal equations of size ``memory``. A lane whose residual grows by more
than ``restart_growth`` drops its history and takes a damped plain step. References: Walker &
Ni (2011), "Anderson acceleration for fixed-point iterations", SIAM J. Numer. Anal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FixedPointOutcome:
    """State at exit; ``converged[b]``, ``iterations[b]`` and ``residual[b]`` per lane."""

    state: np.ndarray
    converged: np.ndarray
    iterations: np.ndarray
    residual: np.ndarray


def anderson_solve(
    step: Callable[[np.ndarray], np.ndarray],
    x0: np.ndarray,
    *,
    tol: float,
    max_iter: int,
    memory: int = 6,
    damping: float = 1.0,
    restart_growth: float = 1e3,
) -> FixedPointOutcome:
    """Solve ``x = step(x)`` for a batch ``x`` of shape (B, D) to ``max|step(x) - x| <= tol``.

    ``step`` must accept and return (B, D) arrays; converged lanes keep being passed (their
    state is frozen) so the map stays vectorised.
    """
    x = np.array(x0, dtype=np.float64, copy=True)
    batch, dim = x.shape
    hist_dx = np.zeros((memory, batch, dim))
    hist_df = np.zeros((memory, batch, dim))
    count = np.zeros(batch, dtype=int)
    iterations = np.zeros(batch, dtype=int)
    converged = np.zeros(batch, dtype=bool)
    best = np.full(batch, np.inf)
    prev_x: np.ndarray | None = None
    prev_f: np.ndarray | None = None
    residual = np.full(batch, np.inf)
    x_good = x.copy()
    bad_prev: np.ndarray = np.zeros(batch, dtype=bool)
    for _ in range(max_iter):
        g = step(x)
        f = g - x
        bad = ~np.isfinite(f).all(axis=1)
        x_good[~bad] = x[~bad]
        residual = np.where(bad, np.inf, np.abs(f).max(axis=1))
        newly = (residual <= tol) & ~converged
        converged |= newly
        if converged.all():
            break
        active = ~converged
        iterations[active] += 1
        if prev_x is not None and prev_f is not None:
            slot_dx = x - prev_x
            slot_df = f - prev_f
            hist_dx = np.roll(hist_dx, 1, axis=0)
            hist_df = np.roll(hist_df, 1, axis=0)
            hist_dx[0] = slot_dx
            hist_df[0] = slot_df
            count = np.minimum(count + 1, memory)
            count[bad_prev] = 0
        restart = (residual > restart_growth * best) | bad
        best = np.minimum(best, residual)
        count[restart] = 0
        prev_x, prev_f = x.copy(), np.where(np.isfinite(f), f, 0.0)
        bad_prev = np.asarray(bad, dtype=bool)
        x_next = x + damping * f
        use = (count > 0) & active & ~restart
        if use.any():
            with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
                x_next = _accelerate(x, f, x_next, hist_dx, hist_df, count, use, memory, damping)
        # a lane whose map value is not finite steps back half-way towards its last good state
        if bad.any():
            x_next[bad] = 0.5 * (x[bad] + x_good[bad])
        x = np.where(converged[:, None], x, x_next)
    return FixedPointOutcome(state=x, converged=converged, iterations=iterations, residual=residual)


def _accelerate(x: np.ndarray, f: np.ndarray, x_next: np.ndarray, hist_dx: np.ndarray,
                hist_df: np.ndarray, count: np.ndarray, use: np.ndarray, memory: int,
                damping: float) -> np.ndarray:
    """The Anderson step for the lanes in ``use`` (others keep ``x_next``); a lane whose
    accelerated state is not finite keeps its plain step (so arithmetic on diverged history
    is harmless and its floating-point warnings are silenced by the caller)."""
    x_next = x_next.copy()
    m = memory
    mask = (np.arange(m)[:, None] < count[None, :]).astype(float)       # (m, B)
    dF = hist_df * mask[:, :, None]
    dX = hist_dx * mask[:, :, None]
    gram = np.einsum("mbd,pbd->bmp", dF, dF)
    rhs = np.einsum("mbd,bd->bm", dF, f)
    scale = np.maximum(np.einsum("bmm->bm", gram).max(axis=1), 1e-300)
    gram = gram + (1e-12 * scale)[:, None, None] * np.eye(m)[None]
    inactive = 1.0 - mask.T                                              # (B, m)
    gram = gram + inactive[:, :, None] * np.eye(m)[None]
    gamma = np.linalg.solve(gram, rhs[..., None])[..., 0] * mask.T
    accel = x + damping * f - np.einsum("bm,mbd->bd", gamma, dX + damping * dF)
    ok = np.isfinite(accel).all(axis=1)
    choose = use & ok
    x_next[choose] = accel[choose]
    return x_next
