"""The game theory of coalitions: pure functions of payoff tables (no solves).

Leverage, Shapley values (Shapley 1953), stable coalitions (d'Aspremont et al. 1983) and the
least reliability at which an ally stays; the reading is in docs/coalitions.md.
"""

from __future__ import annotations

import math

import numpy as np

from ...errors import UserInputError

#: A player deviates only for a gain above this (percentage points of its real income).
STABILITY_TOL = 1e-8


def leverage(target_loss: float, coalition_loss: float) -> tuple[float, bool]:
    """``(leverage, coalition_gains)``: the target's loss per unit lost by the coalition.

    When the coalition loses nothing (``coalition_loss <= 0``) the ratio is no price:
    ``(inf, True)`` if the target loses, ``(nan, True)`` otherwise (both ``null`` in JSON)."""
    if not (math.isfinite(target_loss) and math.isfinite(coalition_loss)):
        return math.nan, False
    if coalition_loss <= 0.0:
        return (math.inf if target_loss > 0.0 else math.nan), True
    return target_loss / coalition_loss, False


def _popcount(masks: np.ndarray) -> np.ndarray:
    return np.array([bin(int(m)).count("1") for m in masks], dtype=int)


def shapley_values(values: np.ndarray) -> np.ndarray:
    """Shapley values of the ``n`` players of a game with ``values[mask]`` (2^n,).

    ``phi_k = sum_{S not containing k} |S|! (n - |S| - 1)! / n! (v(S + k) - v(S))``; they
    sum to ``v(all) - v(none)``."""
    values = np.asarray(values, dtype=np.float64)
    n = int(round(math.log2(len(values))))
    if 2 ** n != len(values):
        raise UserInputError(f"values: {len(values)} entries; allowed: 2^n (one per coalition)")
    masks = np.arange(2 ** n)
    size = _popcount(masks)
    weight = np.array([math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n)
                       if s < n else 0.0 for s in size])
    out = np.zeros(n)
    for k in range(n):
        without = (masks >> k & 1) == 0
        out[k] = (weight[without] * (values[masks[without] | 1 << k] - values[without])).sum()
    return out


def stable_coalitions(payoff: np.ndarray, tol: float = STABILITY_TOL) -> list[int]:
    """Masks of the stable coalitions of a payoff table ``payoff[mask, k]`` (2^n, n).

    Internally stable: every member ``k`` has ``payoff[S, k] >= payoff[S - k, k] - tol``;
    externally stable: every outsider has ``payoff[S, k] >= payoff[S + k, k] - tol``."""
    payoff = np.asarray(payoff, dtype=np.float64)
    size, n = payoff.shape
    out = []
    for mask in range(size):
        ok = True
        for k in range(n):
            other = mask ^ (1 << k)
            if not payoff[other, k] <= payoff[mask, k] + tol:
                ok = False
                break
        if ok:
            out.append(mask)
    return out


def min_reliability(stay_relief: np.ndarray, stay_no_relief: np.ndarray,
                    tol: float = STABILITY_TOL) -> np.ndarray:
    """Least ``p`` in [0, 1] with ``p a + (1 - p) b >= -tol`` (``a = stay_relief``, ``b =
    stay_no_relief``: the gain from staying in the grand coalition when relief is / is not
    given); ``nan`` when no ``p`` qualifies. The gain is linear in ``p``, so this is exact."""
    a = np.asarray(stay_relief, dtype=np.float64)
    b = np.asarray(stay_no_relief, dtype=np.float64)
    out = np.full(a.shape, np.nan)
    for k in range(a.size):
        if not (np.isfinite(a[k]) and np.isfinite(b[k])):
            continue
        if b[k] >= -tol:
            out[k] = 0.0
        elif a[k] >= -tol:
            out[k] = min(1.0, max(0.0, (-tol - b[k]) / (a[k] - b[k])))
    return out
