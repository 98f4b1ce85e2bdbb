"""Optimal import tariffs of one country given everyone else's (:func:`optimal_tariffs`)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.optimize

from ...errors import NonConvergenceError, UserInputError, check_choice
from ...model import Economy
from ...options import DEFICIT_CLOSURES, DeficitClosure
from .objective import FirstOrderConditionsMet, Objective, polish_scalar
from .params import DEFAULT_BOUNDS, check_bounds, projected_gradient, tariff_parameters
from .results import OptimalTariffResult


def optimal_tariffs(
    economy: Economy,
    country: str,
    *,
    against: Sequence[str] | None = None,
    by: str = "uniform",
    sectors: Any = None,
    bounds: Sequence[float] = DEFAULT_BOUNDS,
    start: Any = None,
    tariffs: np.ndarray | None = None,
    deficits: DeficitClosure = "zero",
    tol: float = 1e-8,
    max_iter: int = 200,
    raise_on_failure: bool = True,
) -> OptimalTariffResult:
    """Maximise ``country``'s welfare over its import tariffs, everyone else's fixed.

    Parameters
    ----------
    economy : Economy
        The baseline; welfare is measured against it.
    country : str
        The optimising economy (a code in ``economy.countries``).
    against : list of str, optional
        Partners whose goods the optimised tariffs apply to (default: every other country).
        Tariffs on the other partners keep their values in ``tariffs``.
    by : {"uniform", "partner", "sector", "partner_sector"}
        Parameterisation of the optimised tariffs.
    sectors : "all", "goods", list of str or bool array (J,), optional
        Sectors the optimised tariffs apply to (default: all); ``"goods"`` = every sector but
        services (:func:`tradewar.data._tariff_layer.goods_mask`).
    bounds : (lower, upper)
        Bounds on every optimised tariff (fractions; default (0, 5) = 0 to 500 %). They must
        contain the starting tariffs and ``lower > -1``.
    start : float or array (P,), optional
        Starting parameter values (default: the mean of the tariffs each parameter sets).
    tariffs : array (N, N, J), optional
        Everyone's tariffs before the country re-optimises (default: the economy's).
    deficits : {"fixed", "zero", "proportional", "given"}
        Deficit closure of every solve (``given`` is not supported here).
    tol : float
        Tolerance on the first-order conditions (largest absolute projected gradient of the
        log real income, per unit of tariff fraction).
    max_iter : int
        Iterations of L-BFGS-B per attempt (up to three attempts, each restarted from the best
        point so far).
    raise_on_failure : bool
        Raise :class:`~tradewar.errors.NonConvergenceError` (with the trace) if the first-order
        conditions are not met (default); otherwise return with ``converged=False``.

    Returns
    -------
    OptimalTariffResult
    """
    start_time = time.perf_counter()
    check_choice("deficits", deficits, [d for d in DEFICIT_CLOSURES if d != "given"])
    params = tariff_parameters(economy, country, by=by, against=against, sectors=sectors, tariffs=tariffs)
    lower, upper = check_bounds(bounds, params, economy)
    if not (np.isfinite(tol) and tol > 0):
        raise UserInputError(f"tol: {tol!r}; allowed: a positive number")
    if start is None:
        x0 = params.values(params.base)
    else:
        x0 = np.broadcast_to(np.asarray(start, dtype=np.float64), (params.size,)).copy()
        if not np.isfinite(x0).all():
            raise UserInputError("start: must be finite tariff fractions")
    x0 = np.clip(x0, lower, upper)
    objective = Objective(economy, params, deficits, lower, upper)
    iterations = 0
    x = x0
    max_foc = np.inf
    messages = []
    objective.stop_below = 0.1 * tol
    counter = [0]

    def count(_xk: np.ndarray) -> None:
        counter[0] += 1

    for _attempt in range(1 if params.size == 1 else 3):
        try:
            res = scipy.optimize.minimize(
                objective, x, jac=True, method="L-BFGS-B", bounds=[(lower, upper)] * params.size,
                callback=count,
                options={"maxiter": max_iter, "gtol": 0.1 * tol, "ftol": 1e-16, "maxls": 50,
                         "maxcor": 20},
            )
            messages.append(str(res.message))
        except FirstOrderConditionsMet:
            messages.append("first-order conditions met")
        iterations = counter[0]
        assert objective.best is not None
        x = objective.best[1]
        max_foc = float(np.abs(projected_gradient(x, objective.best[2], lower, upper)).max())
        if max_foc <= tol:
            break
    if max_foc > tol and params.size == 1:
        max_foc = polish_scalar(objective, tol)
    assert objective.best is not None
    value, x, g, eq = objective.best
    pg = projected_gradient(x, g, lower, upper)
    converged = max_foc <= tol
    if not converged and raise_on_failure:
        raise NonConvergenceError(
            f"optimal tariffs of {country} (by {by}) did not converge: largest first-order "
            f"condition {max_foc:.3e} > tol {tol:.1e} after {iterations} iterations and "
            f"{len(objective.trace)} evaluations (L-BFGS-B: {'; '.join(messages)})",
            diagnostics=tuple(objective.trace),
        )
    return OptimalTariffResult(
        country=country, by=by,
        tariffs=pd.Series(x, index=params.index, name="tariff"),
        tariff_array=params.tariffs(x),
        welfare_pct=pd.Series(eq.welfare_pct, index=pd.Index(economy.countries, name="country"),
                              name="welfare_pct"),
        gradient=pd.Series(g, index=params.index, name="gradient"),
        foc=pd.Series(pg, index=params.index, name="foc"),
        max_foc=max_foc, objective=value, iterations=iterations,
        evaluations=len(objective.trace), seconds=time.perf_counter() - start_time,
        converged=converged, bounds=(lower, upper), equilibrium=eq, trace=tuple(objective.trace),
    )
