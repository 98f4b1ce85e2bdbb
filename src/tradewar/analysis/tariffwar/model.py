"""tariffwar's Nash system solved as one fixed point (:func:`closed_form_nash`)."""

from __future__ import annotations

import time

import numpy as np

from ...errors import NonConvergenceError
from ...model import Economy, anderson_solve, economy_after, model_params, purged_economy, solve
from ...model import kernels as K
from ..optimal import export_demand_elasticities
from .results import ClosedFormNash

#: The cap of tariffwar: eps_bar is floored at 1, so no Nash tariff exceeds 100 %.
EPSILON_FLOOR = 1.0


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
