"""The configuration of tariffwar (Lashkaripour's MATLAB Nash solver), as an option.

tariffwar computes global Nash tariffs in a multi-sector Armington economy: no input-output
linkages, flows of the trade cube read as tariff-inclusive spending (ICIO: 1 added to every
domestic flow), applied tariffs kept in every sector (services included), deficits first purged
at the applied tariffs, one uniform tariff per country on all partners and sectors, revenue
rebated, welfare = real income relative to the purged economy, and the Nash condition written
as Lashkaripour's (2021) closed form ``t_i = 1 / max(eps_bar_i, 1)`` for every country at once.
This module builds that economy from the same cube and solves that system with tradewar's
engine: the equilibrium map and the closed form are iterated as ONE fixed point (Anderson
accelerated), so the whole Nash costs about as much as a few equilibrium solves.

The closed form is the exact best response only in special cases of the exact model (see
``tests/analysis/test_strategy.py``); :func:`tradewar.analysis.nash_tariffs` reports the gap
(each country's gain from re-optimising) when asked to check this point.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..data._cubes import read_cube
from ..data._paths import default_data_dir
from ..errors import NonConvergenceError, check_choice
from ..model import Economy, Equilibrium, economy_after, economy_from_io, purged_economy, solve
from ..model import _kernels as K
from ..model._anderson import anderson_solve
from ..model._solver import model_params
from ..options import ELASTICITY_SETS
from ._optimal import export_demand_elasticities

#: The cap of tariffwar: eps_bar is floored at 1, so no Nash tariff exceeds 100 %.
EPSILON_FLOOR = 1.0


def tariffwar_economy(dataset: str = "wiod", year: int = 2014, elasticity: str = "IS", *,
                      data_dir: str | Path | None = None) -> Economy:
    """The economy exactly as tariffwar prepares it (before its deficit purge).

    Flows (millions USD) of the cube are tariffwar's tariff-inclusive spending X; producer-price
    flows are ``X / (1 + t)``; value-added share 1, no intermediate inputs; final-demand shares
    are spending shares; deficits as in the flows.
    """
    check_choice("elasticity set", elasticity, ELASTICITY_SETS)
    cube = read_cube(data_dir or default_data_dir(), dataset, year)
    spending = np.array(cube.flows, copy=True)
    n, j = spending.shape[0], spending.shape[2]
    if dataset == "icio":
        idx = np.arange(n)
        spending[idx, idx, :] += 1.0
    tariffs = np.array(cube.tariffs, copy=True)
    flows = spending / (1.0 + tariffs)
    return economy_from_io(cube.countries, cube.sectors, flows, tariffs, cube.elasticities[elasticity],
                           np.ones((n, j)), np.zeros((n, j, j)),
                           notes=(f"tariffwar configuration of {dataset} {year} ({elasticity})",))


@dataclass(frozen=True)
class ClosedFormNash:
    """Nash tariffs of the closed-form system (tariffwar's definition).

    ``tariffs`` (N,) uniform tariff of each country (fraction); ``equilibrium`` at those
    tariffs relative to the purged economy; ``welfare_pct`` (N,); ``max_condition_residual``:
    largest |t - 1/max(eps_bar, 1)|; ``iterations``; ``seconds`` (purge included).
    """

    countries: tuple[str, ...]
    tariffs: np.ndarray
    equilibrium: Equilibrium
    max_condition_residual: float
    iterations: int
    seconds: float

    @property
    def welfare_pct(self) -> np.ndarray:
        return self.equilibrium.welfare_pct

    def to_json(self) -> dict[str, Any]:
        return {
            "converged": bool(self.equilibrium.diagnostics.converged),
            "method": "closed_form_joint",
            "tariffs": {c: float(t) for c, t in zip(self.countries, self.tariffs, strict=True)},
            "welfare_pct": {c: float(w) for c, w in zip(self.countries, self.welfare_pct, strict=True)},
            "mean_tariff": float(self.tariffs.mean()),
            "max_condition_residual": self.max_condition_residual,
            "iterations": self.iterations,
            "seconds": self.seconds,
        }


def _uniform(t: np.ndarray, n: int, j: int) -> np.ndarray:
    tariffs = np.repeat(np.repeat(t[:, None, None], n, axis=1), j, axis=2)
    idx = np.arange(n)
    tariffs[idx, idx, :] = 0.0
    return tariffs


def closed_form_nash(economy: Economy, *, tol: float = 1e-10, max_iter: int = 2000) -> ClosedFormNash:
    """Solve tariffwar's Nash system on ``economy`` (deficits purged first, as tariffwar does).

    One fixed point over (equilibrium state, tariffs): each pass evaluates the equilibrium map
    at the current tariffs and sets every tariff to ``1 / max(eps_bar, 1)`` at the current
    trade shares; at the fixed point both the equilibrium and the closed-form conditions hold.
    """
    start = time.perf_counter()
    reference = economy_after(purged_economy(economy))
    n, j = reference.n_countries, reference.n_sectors
    params = model_params(reference)
    deficit = np.zeros((1, n))
    ones = np.ones((1, n, n, j))

    def unpack(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        b = z.shape[0]
        return (z[:, :n], z[:, n:n + n * j].reshape(b, n, j),
                z[:, n + n * j:n + 2 * n * j].reshape(b, n, j), z[:, n + 2 * n * j:])

    def step(z: np.ndarray) -> np.ndarray:
        log_w, log_P, x, t = unpack(z)
        terms = K.scenario_terms(np, params, _uniform(t[0], n, j)[None], ones, deficit, False)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            lw, lp, xn, ev = K.fixed_point_map(np, params, terms, log_w, log_P, x)
            pi, sales = K.bilateral(np, terms, ev["log_c"], log_P, ev["X"], params.theta)
            eps = export_demand_elasticities(pi[0], sales[0], reference.theta)
        t_new = 1.0 / np.maximum(eps, EPSILON_FLOOR)
        return np.concatenate([lw, lp.reshape(1, -1), np.maximum(xn, 0.0).reshape(1, -1), t_new[None]], axis=1)

    t0 = np.full(n, 0.25)
    x0 = reference.expenditure / reference.income[:, None]
    z0 = np.concatenate([np.zeros(n), np.zeros(n * j), x0.ravel(), t0])[None]
    outcome = anderson_solve(step, z0, tol=tol, max_iter=max_iter)
    tariffs = unpack(outcome.state)[3][0]
    eq = solve(reference, _uniform(tariffs, n, j), deficits="fixed")
    eps = export_demand_elasticities(eq.pi, eq.flows, reference.theta)
    residual = float(np.abs(tariffs - 1.0 / np.maximum(eps, EPSILON_FLOOR)).max())
    if not outcome.converged[0] or residual > 1e-7:
        raise NonConvergenceError(
            f"closed-form Nash system did not converge after {int(outcome.iterations[0])} passes "
            f"(largest tariff-condition residual {residual:.2e})", eq.diagnostics)
    return ClosedFormNash(countries=reference.countries, tariffs=tariffs, equilibrium=eq,
                          max_condition_residual=residual, iterations=int(outcome.iterations[0]),
                          seconds=time.perf_counter() - start)
