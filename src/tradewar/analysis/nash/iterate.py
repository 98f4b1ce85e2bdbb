"""The iterations of a tariff war: closed-form fixed point, simultaneous first-order
conditions, Gauss-Seidel best responses, and the check of a candidate."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import numpy as np

from ...model import Equilibrium, solve, welfare_gradient
from ...options import DeficitClosure
from ..optimal import SOLVE_TOL, lashkaripour_optimal_tariff, projected_gradient
from .war import War, best_response


def closed_form(war: War, deficits: DeficitClosure, tol: float, max_rounds: int,
                 trace: list[dict[str, Any]]) -> tuple[bool, int]:
    """Iterate ``t <- t + d (1/eps_bar(eq(t)) - t)`` for all players at once (damping ``d``
    halves whenever the largest change grows)."""
    lower, upper = war.bounds
    x = np.array([war.x[p][0] for p in war.players])
    damping, previous = 1.0, np.inf
    for it in range(1, max_rounds + 1):
        t0 = time.perf_counter()
        eq = solve(war.economy, war.tariffs_for({p: x[k:k + 1] for k, p in enumerate(war.players)}),
                   deficits=deficits, tol=SOLVE_TOL)
        target = np.clip([lashkaripour_optimal_tariff(eq, p) for p in war.players], lower, upper)
        change = float(np.abs(target - x).max())
        trace.append({"stage": "closed_form", "round": it, "max_change": change,
                      "seconds": time.perf_counter() - t0, "evaluations": 1, "damping": damping})
        if change < tol:
            war.set({p: target[k:k + 1] for k, p in enumerate(war.players)})
            return True, it
        if change > previous:
            damping = max(0.5 * damping, 0.05)
        previous = change
        x = x + damping * (target - x)
    war.set({p: x[k:k + 1] for k, p in enumerate(war.players)})
    return False, max_rounds


def simultaneous(war: War, deficits: DeficitClosure, foc_tol: float, max_rounds: int,
                  trace: list[dict[str, Any]]) -> tuple[bool, int]:
    """Solve every player's first-order condition at once (uniform tariffs).

    Each iteration costs one equilibrium and one exact gradient per player: player ``p``
    takes the Newton step ``-g_p / h_p`` on its own condition ``g_p = d log W_p / d t_p``,
    with the curvature ``h_p`` estimated by the secant of its last two iterates (a diagonal
    Broyden method; steps capped at 0.1, curvatures kept negative). Converged when every
    projected condition is below ``foc_tol / 10``, i.e. every player is at an optimum of its
    own tariff given the others': a Nash equilibrium, which :func:`check_candidate` then verifies by
    re-optimising.
    """
    lower, upper = war.bounds
    players = war.players
    rows = [war.economy.index_of(p) for p in players]
    n = war.economy.n_countries
    x = np.array([war.x[p][0] for p in players])
    h = -np.ones(len(players))
    previous: tuple[np.ndarray, np.ndarray] | None = None
    for it in range(1, max_rounds + 1):
        t0 = time.perf_counter()
        values = {p: x[k:k + 1] for k, p in enumerate(players)}
        tau = war.tariffs_for(values)
        eq = solve(war.economy, tau, deficits=deficits, tol=SOLVE_TOL)
        g = np.empty(len(players))
        for k, (p, row) in enumerate(zip(players, rows, strict=True)):
            weights = np.zeros(n)
            weights[row] = 1.0
            grad = welfare_gradient(eq, weights).gradient
            g[k] = dataclasses.replace(war.params[p], base=tau).chain(grad)[0]
        pg = projected_gradient(x, g, lower, upper)
        if previous is not None:
            dx, dg = x - previous[0], g - previous[1]
            moved = np.abs(dx) > 1e-13
            secant = np.where(moved, dg / np.where(moved, dx, 1.0), h)
            h = np.where(secant < 0, np.clip(secant, -1e4, -1e-4), h)
        step = np.clip(-g / h, -0.1, 0.1)
        new = np.clip(x + step, lower, upper)
        trace.append({"stage": "simultaneous", "round": it, "max_foc": float(np.abs(pg).max()),
                      "max_change": float(np.abs(new - x).max()),
                      "seconds": time.perf_counter() - t0, "evaluations": 1})
        if np.abs(pg).max() <= 0.1 * foc_tol:
            war.set(values)
            return True, it
        previous = (x, g)
        x = new
    war.set({p: x[k:k + 1] for k, p in enumerate(players)})
    return False, max_rounds


def gauss_seidel(war: War, deficits: DeficitClosure, tol: float, max_rounds: int, foc_tol: float,
                  trace: list[dict[str, Any]]) -> tuple[bool, int]:
    for r in range(1, max_rounds + 1):
        t0 = time.perf_counter()
        largest, evaluations, unconverged = 0.0, 0, []
        for p in war.players:
            res = best_response(war, p, deficits, foc_tol)
            new = res.tariffs.to_numpy()
            largest = max(largest, float(np.abs(new - war.x[p]).max()))
            evaluations += res.evaluations
            if not res.converged:
                unconverged.append(p)
            war.x[p] = new
            war.current = res.tariff_array
        trace.append({"stage": "best_response", "round": r, "max_change": largest,
                      "seconds": time.perf_counter() - t0, "evaluations": evaluations,
                      "unconverged": unconverged})
        if largest < tol and not unconverged:
            return True, r
    return False, max_rounds


def check_candidate(war: War, eq: Equilibrium, deficits: DeficitClosure, foc_tol: float) -> dict[str, Any]:
    """Each player's gain from re-optimising at the candidate, and its tariff change."""
    countries = war.economy.countries
    gains, changes, focs, ok = {}, {}, {}, True
    t0 = time.perf_counter()
    for p in war.players:
        res = best_response(war, p, deficits, foc_tol)
        i = countries.index(p)
        gains[p] = float(res.welfare_pct.iloc[i] - eq.welfare_pct[i])
        changes[p] = float(np.abs(res.tariffs.to_numpy() - war.x[p]).max())
        focs[p] = float(res.trace[0]["max_foc"])
        ok = ok and res.converged
    return {
        "max_gain_from_deviation_pct": max(gains.values()),
        "max_tariff_change": max(changes.values()),
        "gain_from_deviation_pct": gains,
        "tariff_change": changes,
        "max_foc_at_candidate": max(focs.values()),
        "best_responses_converged": ok,
        "seconds": time.perf_counter() - t0,
    }
