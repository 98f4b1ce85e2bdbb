"""Optimal import tariffs of one country given everyone else's tariffs (a best response).

Country ``c`` chooses its import tariffs ``tau'[c, i, j]`` (row ``c`` of the ``[importer,
exporter, sector]`` array) to maximise its welfare, the log change in real income
``log(I'_c / I_c) - sum_j alpha[c, j] log P_hat[c, j]`` (Caliendo & Parro 2015), holding every
other tariff fixed. The tariffs are parameterised (``by``):

* ``uniform``: one rate on every affected partner and sector;
* ``partner``: one rate per partner (all affected sectors);
* ``sector``: one rate per sector (all affected partners);
* ``partner_sector``: one rate per (partner, sector).

The objective's exact gradient comes from :func:`tradewar.model._gradient.welfare_gradient`
(implicit differentiation through the equilibrium) chained to the parameters: the derivative
with respect to a parameter is the sum of ``d W / d tau'[c, i, j]`` over the entries it sets.
The optimiser is L-BFGS-B with box bounds; the first-order conditions are reported as the
projected gradient (zero in the interior, zero when the gradient points out of an active bound).

For an economy without input-output linkages (``beta = 1``), Lashkaripour (2021) gives the
optimal *uniform* tariff on all imports in closed form,
``t_c = 1 / eps_bar_c`` with ``eps_bar_c = sum_k sum_{n != c} chi'[c, n, k] theta_k
(1 - pi'[n, c, k])`` where ``chi'[c, n, k]`` is the share of ``n``'s purchases in sector ``k``
in ``c``'s exports (tariff-exclusive) and ``pi'[n, c, k]`` the share of ``c`` in ``n``'s spending
on ``k``, both at the new equilibrium (:func:`lashkaripour_optimal_tariff`). The tests check
that the gradient-based optimum satisfies it.

References
----------
Caliendo, L. and F. Parro (2015), "Estimates of the Trade and Welfare Effects of NAFTA",
*Review of Economic Studies* 82(1).
Ossa, R. (2014), "Trade Wars and Trade Talks with Data", *American Economic Review* 104(12).
Lashkaripour, A. (2021), "The cost of a global tariff war: A sufficient statistics approach",
*Journal of International Economics* 131.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd
import scipy.optimize

from ..errors import NonConvergenceError, UnknownSectorError, UserInputError, check_choice
from ..model import Economy, Equilibrium, solve
from ..model._gradient import welfare_gradient
from ..options import DEFICIT_CLOSURES

__all__ = [
    "OPTIMAL_BY",
    "OptimalBy",
    "OptimalTariffResult",
    "lashkaripour_optimal_tariff",
    "optimal_retaliation",
    "optimal_retaliation_rule",
    "optimal_tariffs",
]

#: How a country's import tariffs are parameterised when optimised.
OptimalBy = Literal["uniform", "partner", "sector", "partner_sector"]
OPTIMAL_BY: tuple[str, ...] = get_args(OptimalBy)

#: Default bounds on the optimised tariffs (fractions): no import subsidies, at most 500 %.
DEFAULT_BOUNDS = (0.0, 5.0)

#: Tolerance of the equilibrium solves inside the optimiser (tighter than the engine's
#: default so that the objective's noise stays far below the first-order conditions).
SOLVE_TOL = 1e-12

#: A parameter within this distance of a bound counts as at the bound.
_AT_BOUND = 1e-9

#: Objectives (log real income) closer than this are tied: below it the solver's rounding
#: noise decides, so the smaller first-order condition is preferred.
_TIE = 1e-12


@dataclass(frozen=True, eq=False)
class TariffParameters:
    """The map from a parameter vector ``x`` (P,) to the full tariff array (N, N, J).

    ``tau'[country, i, j] = x[param_of[i, j]]`` where ``param_of[i, j] >= 0``; every other
    entry is ``base[n, i, j]``. ``index`` labels the parameters (pandas Index, or a
    MultiIndex (partner, sector) for ``partner_sector``).
    """

    country: int
    by: str
    param_of: np.ndarray
    index: pd.Index
    base: np.ndarray

    @property
    def size(self) -> int:
        return len(self.index)

    def tariffs(self, x: np.ndarray) -> np.ndarray:
        """The full (N, N, J) tariff array for parameters ``x``."""
        tau = np.array(self.base, copy=True)
        set_ = self.param_of >= 0
        tau[self.country][set_] = np.asarray(x, dtype=np.float64)[self.param_of[set_]]
        return tau

    def chain(self, gradient: np.ndarray) -> np.ndarray:
        """d objective / d x from d objective / d tau' (N, N, J): sums over each parameter's entries."""
        set_ = self.param_of >= 0
        return np.bincount(self.param_of[set_], weights=gradient[self.country][set_],
                           minlength=self.size)

    def values(self, tariffs: np.ndarray) -> np.ndarray:
        """The mean of the tariffs each parameter sets, in ``tariffs`` (N, N, J): a starting point."""
        set_ = self.param_of >= 0
        row = tariffs[self.country][set_]
        total = np.bincount(self.param_of[set_], weights=row, minlength=self.size)
        count = np.bincount(self.param_of[set_], minlength=self.size)
        return total / count


def _sector_mask(economy: Economy, sectors: Any) -> np.ndarray:
    j = economy.n_sectors
    if sectors is None or (isinstance(sectors, str) and sectors == "all"):
        return np.ones(j, dtype=bool)
    if isinstance(sectors, str) and sectors == "goods":
        from ..data._tariff_layer import goods_mask

        mask = goods_mask(economy.sectors)
        if not mask.any():
            raise UserInputError("sectors='goods': this economy has no goods sectors")
        return mask
    if isinstance(sectors, str):
        sectors = [sectors]
    arr = np.asarray(sectors)
    if arr.dtype == bool:
        if arr.shape != (j,):
            raise UserInputError(f"sectors: a boolean mask needs {j} entries (one per sector), got shape {arr.shape}")
        mask = arr.copy()
    else:
        mask = np.zeros(j, dtype=bool)
        for code in sectors:
            if str(code) not in economy.sectors:
                raise UnknownSectorError(code, economy.sectors, where="sectors")
            mask[economy.sectors.index(str(code))] = True
    if not mask.any():
        raise UserInputError("sectors: selects no sector; allowed: a non-empty list of sector codes or boolean mask")
    return mask


def _partners(economy: Economy, country: str, against: Sequence[str] | None) -> list[int]:
    c = economy.index_of(country)
    if against is None:
        return [i for i in range(economy.n_countries) if i != c]
    if isinstance(against, str):
        against = [against]
    idx: list[int] = []
    for code in against:
        i = economy.index_of(str(code))
        if i == c:
            raise UserInputError(f"against: {country} cannot set tariffs against itself; allowed: other countries")
        if i not in idx:
            idx.append(i)
    if not idx:
        raise UserInputError("against: empty list of partners; allowed: other countries' codes (default: all)")
    return idx


def tariff_parameters(economy: Economy, country: str, *, by: str = "uniform",
                      against: Sequence[str] | None = None, sectors: Any = None,
                      tariffs: np.ndarray | None = None) -> TariffParameters:
    """Build the parameterisation of ``country``'s import tariffs (see module docstring)."""
    check_choice("by", by, OPTIMAL_BY)
    c = economy.index_of(country)
    partners = _partners(economy, country, against)
    mask = _sector_mask(economy, sectors)
    sector_idx = np.flatnonzero(mask)
    n, j = economy.n_countries, economy.n_sectors
    param_of = -np.ones((n, j), dtype=np.int64)
    countries, names = economy.countries, economy.sectors
    if by == "uniform":
        param_of[np.ix_(np.asarray(partners, dtype=np.int64), sector_idx)] = 0
        index = pd.Index(["all"], name="tariff")
    elif by == "partner":
        for k, i in enumerate(partners):
            param_of[i, sector_idx] = k
        index = pd.Index([countries[i] for i in partners], name="partner")
    elif by == "sector":
        for k, s in enumerate(sector_idx):
            param_of[partners, s] = k
        index = pd.Index([names[s] for s in sector_idx], name="sector")
    else:
        pairs = [(i, s) for i in partners for s in sector_idx]
        for k, (i, s) in enumerate(pairs):
            param_of[i, s] = k
        index = pd.MultiIndex.from_tuples([(countries[i], names[s]) for i, s in pairs],
                                          names=["partner", "sector"])
    if tariffs is None:
        base = np.array(economy.tariffs, copy=True)
    else:
        from ..model._economy import check_tariffs

        base = np.array(check_tariffs("tariffs", tariffs, economy.countries, economy.sectors), copy=True)
    param_of.flags.writeable = False
    return TariffParameters(country=c, by=by, param_of=param_of, index=index, base=base)


def _check_bounds(bounds: Sequence[float], params: TariffParameters, economy: Economy) -> tuple[float, float]:
    """Validate ``(lower, upper)``: finite, ``-1 < lower <= upper``, containing the starting
    tariffs the parameters set."""
    countries, sectors = economy.countries, economy.sectors
    try:
        lower, upper = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise UserInputError(f"bounds: expected (lower, upper) tariff fractions, got {bounds!r}") from None
    if not (np.isfinite(lower) and np.isfinite(upper)):
        raise UserInputError(f"bounds: ({lower}, {upper}) must be finite fractions (0.25 = 25 %)")
    if lower <= -1.0:
        raise UserInputError(f"bounds: lower bound {lower:g} is a tariff of -100 % or less; allowed: > -1")
    if lower > upper:
        raise UserInputError(f"bounds: lower {lower:g} exceeds upper {upper:g}")
    set_ = params.param_of >= 0
    current = params.base[params.country][set_]
    tol = 1e-12
    if current.min() < lower - tol or current.max() > upper + tol:
        flat = np.argwhere(set_)
        bad = int(np.argmax((current < lower - tol) | (current > upper + tol)))
        i, s = flat[bad]
        raise UserInputError(
            f"bounds: ({lower:g}, {upper:g}) exclude the current tariff of "
            f"{countries[params.country]} on {countries[i]} in sector {sectors[s]} ({current[bad]:.6g}); "
            "allowed: bounds that contain the starting tariffs"
        )
    return lower, upper


def projected_gradient(x: np.ndarray, gradient: np.ndarray, lower: float, upper: float) -> np.ndarray:
    """First-order conditions of a maximisation under box bounds.

    Equal to ``gradient`` for interior parameters; at the lower bound only a positive gradient
    (raising the tariff would pay) violates optimality, at the upper bound only a negative one.
    """
    pg = np.array(gradient, dtype=np.float64, copy=True)
    at_lower = x <= lower + _AT_BOUND
    at_upper = x >= upper - _AT_BOUND
    pg[at_lower] = np.maximum(pg[at_lower], 0.0)
    pg[at_upper] = np.minimum(pg[at_upper], 0.0)
    if lower == upper:
        pg[:] = 0.0
    return pg


@dataclass(frozen=True, eq=False)
class OptimalTariffResult:
    """A country's optimal import tariffs given everyone else's.

    Attributes
    ----------
    country : str
    by : str
        Parameterisation (``uniform``, ``partner``, ``sector``, ``partner_sector``).
    tariffs : pandas.Series
        The optimal parameter values (fractions), labelled by ``tariff`` ("all"),
        ``partner``, ``sector`` or (``partner``, ``sector``).
    tariff_array : array (N, N, J)
        Every tariff at the optimum (``[importer, exporter, sector]``, fractions).
    welfare_pct : pandas.Series
        Every country's welfare at the optimum vs the economy (percent change in real income;
        with ``deficits="zero"``, vs the economy with deficits purged, Caliendo-Parro's
        first step).
    gradient : pandas.Series
        ``d log(real income of country) / d parameter`` at the optimum (per unit of fraction).
    foc : pandas.Series
        Projected gradient: 0 in the interior at an optimum, 0 at a bound when the gradient
        points outwards; ``max_foc`` is its largest absolute value.
    objective : float
        Log change in the country's real income at the optimum.
    iterations, evaluations : int
        L-BFGS-B iterations, and equilibrium solves with gradients.
    seconds : float
    converged : bool
        ``max_foc <= tol``.
    bounds : (float, float)
    equilibrium : Equilibrium
        The equilibrium at the optimum.
    trace : tuple of dict
        One entry per evaluation: ``x`` (list), ``objective``, ``max_foc``.
    """

    country: str
    by: str
    tariffs: pd.Series
    tariff_array: np.ndarray
    welfare_pct: pd.Series
    gradient: pd.Series
    foc: pd.Series
    max_foc: float
    objective: float
    iterations: int
    evaluations: int
    seconds: float
    converged: bool
    bounds: tuple[float, float]
    equilibrium: Equilibrium = field(repr=False)
    trace: tuple[dict[str, Any], ...] = field(default=(), repr=False)

    @property
    def welfare_gain_pct(self) -> float:
        """The optimising country's own welfare change vs the economy (percent)."""
        return float(self.welfare_pct[self.country])

    def to_json(self) -> dict[str, Any]:
        """Plain-JSON summary (tariffs as fractions, welfare in percent)."""
        if isinstance(self.tariffs.index, pd.MultiIndex):
            tariffs: dict[str, Any] = {}
            for (partner, sector), value in self.tariffs.items():
                tariffs.setdefault(str(partner), {})[str(sector)] = float(value)
        else:
            tariffs = {str(k): float(v) for k, v in self.tariffs.items()}
        return {
            "country": self.country,
            "by": self.by,
            "converged": bool(self.converged),
            "tariffs": tariffs,
            "welfare_pct": {str(k): float(v) for k, v in self.welfare_pct.items()},
            "max_foc": float(self.max_foc),
            "iterations": int(self.iterations),
            "evaluations": int(self.evaluations),
            "seconds": float(self.seconds),
            "bounds": [float(b) for b in self.bounds],
            "closure": self.equilibrium.closure,
        }


class _Objective:
    """Negative log real income of one country and its exact gradient in the parameters,
    memoised on the last parameter vector (L-BFGS-B asks for both at each point)."""

    def __init__(self, economy: Economy, params: TariffParameters, deficits: str, lower: float, upper: float):
        self.economy = economy
        self.params = params
        self.deficits = deficits
        self.lower, self.upper = lower, upper
        self.weights = np.zeros(economy.n_countries)
        self.weights[params.country] = 1.0
        self.trace: list[dict[str, Any]] = []
        self.stop_below: float | None = None
        self.best: tuple[float, np.ndarray, np.ndarray, Equilibrium] | None = None
        self._last: tuple[bytes, float, np.ndarray, Equilibrium] | None = None

    def evaluate(self, x: np.ndarray) -> tuple[float, np.ndarray, Equilibrium]:
        """Objective (log real income, to maximise), its gradient and the equilibrium at x."""
        x = np.clip(np.asarray(x, dtype=np.float64), self.lower, self.upper)
        key = x.tobytes()
        if self._last is not None and self._last[0] == key:
            return self._last[1], self._last[2], self._last[3]
        eq = solve(self.economy, self.params.tariffs(x), deficits=self.deficits, tol=SOLVE_TOL)
        grad = welfare_gradient(eq, self.weights)
        value = float(grad.objective)
        g = self.params.chain(grad.gradient)
        pg = projected_gradient(x, g, self.lower, self.upper)
        foc = float(np.abs(pg).max())
        self.trace.append({"x": x.tolist(), "objective": value, "max_foc": foc})
        if self.best is None or self._better(value, foc):
            self.best = (value, x.copy(), g, eq)
        self._last = (key, value, g, eq)
        return value, g, eq

    def _better(self, value: float, foc: float) -> bool:
        """A higher objective wins; within rounding noise (``_TIE``) the smaller first-order
        condition wins (the objective's last digits are noise, its gradient is not)."""
        assert self.best is not None
        best_value, best_x, best_g, _ = self.best
        if value > best_value + _TIE:
            return True
        best_foc = float(np.abs(projected_gradient(best_x, best_g, self.lower, self.upper)).max())
        return value >= best_value - _TIE and foc < best_foc

    def __call__(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        try:
            value, g, _ = self.evaluate(x)
        except NonConvergenceError as err:
            # no equilibrium at x (e.g. a fixed surplus exceeding income): a steep wall back
            # towards the best point, so that the line search shortens its step
            if self.best is None:
                raise NonConvergenceError(
                    f"optimal tariffs of {self.economy.countries[self.params.country]}: no "
                    f"equilibrium at the starting tariffs ({err})", err.diagnostics) from err
            x = np.asarray(x, dtype=np.float64)
            away = x - self.best[1]
            distance = float(np.linalg.norm(away)) or 1.0
            self.trace.append({"x": x.tolist(), "objective": float("nan"), "max_foc": float("nan"),
                               "failed": str(err).split(";")[0]})
            return -self.best[0] + 1.0 + 10.0 * distance, 10.0 * away / distance
        if self.stop_below is not None and self.trace[-1]["max_foc"] <= self.stop_below:
            raise _FirstOrderConditionsMet
        return -value, -g


class _FirstOrderConditionsMet(Exception):
    """Raised by the objective to stop L-BFGS-B as soon as the first-order conditions hold
    (its own line search would otherwise keep probing the objective's rounding noise)."""


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
    deficits: str = "zero",
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
    lower, upper = _check_bounds(bounds, params, economy)
    if not (np.isfinite(tol) and tol > 0):
        raise UserInputError(f"tol: {tol!r}; allowed: a positive number")
    if start is None:
        x0 = params.values(params.base)
    else:
        x0 = np.broadcast_to(np.asarray(start, dtype=np.float64), (params.size,)).copy()
        if not np.isfinite(x0).all():
            raise UserInputError("start: must be finite tariff fractions")
    x0 = np.clip(x0, lower, upper)
    objective = _Objective(economy, params, deficits, lower, upper)
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
        except _FirstOrderConditionsMet:
            messages.append("first-order conditions met")
        iterations = counter[0]
        assert objective.best is not None
        x = objective.best[1]
        max_foc = float(np.abs(projected_gradient(x, objective.best[2], lower, upper)).max())
        if max_foc <= tol:
            break
    if max_foc > tol and params.size == 1:
        max_foc = _polish_scalar(objective, tol)
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


def _polish_scalar(objective: _Objective, tol: float, max_evaluations: int = 60) -> float:
    """Root of the first-order condition of a one-parameter problem: bracket it by walking
    uphill, then safeguarded secant steps (bisection when a step leaves the bracket) on the
    exact gradient, until the projected gradient is below ``tol / 10``. Used where the
    objective's rounding noise stops L-BFGS-B before the gradient is below ``tol``. Leaves the
    point with the best objective (ties: smallest condition) in ``objective.best`` and returns
    its largest projected gradient."""
    assert objective.best is not None
    lower, upper = objective.lower, objective.upper

    def foc() -> float:
        assert objective.best is not None
        _, x_b, g_b, _ = objective.best
        return float(np.abs(projected_gradient(x_b, g_b, lower, upper)).max())

    def grad(t: float) -> float:
        return float(objective.evaluate(np.array([t]))[1][0])

    a = float(objective.best[1][0])
    ga = grad(a)
    step = 1e-6 * max(1.0, abs(a))
    b, gb = a, ga
    for _ in range(40):  # walk uphill until the gradient changes sign or a bound stops the walk
        b = min(upper, a + step) if ga > 0 else max(lower, a - step)
        gb = grad(b)
        if np.sign(gb) != np.sign(ga) or b in (lower, upper):
            break
        a, ga, step = b, gb, 4.0 * step
    if np.sign(gb) == np.sign(ga) or ga == 0.0 or gb == 0.0:
        return foc()
    # secant on the two latest points, kept inside the bracket [a, b] (bisection otherwise)
    (x0, g0), (x1, g1) = (a, ga), (b, gb)
    for _ in range(max_evaluations):
        if foc() <= 0.1 * tol or abs(b - a) < 1e-15:
            break
        t = x1 - g1 * (x1 - x0) / (g1 - g0) if g1 != g0 else 0.5 * (a + b)
        if not (min(a, b) < t < max(a, b)):
            t = 0.5 * (a + b)
        gt = grad(t)
        if np.sign(gt) == np.sign(ga):
            a, ga = t, gt
        else:
            b, gb = t, gt
        (x0, g0), (x1, g1) = (x1, g1), (t, gt)
    return foc()


def has_input_output(economy: Economy) -> bool:
    """True unless every sector uses only value added (``beta = 1``, ``gamma = 0``)."""
    return bool(np.abs(economy.va_share - 1.0).max() > 1e-12 or np.abs(economy.input_share).max() > 1e-12)


def export_demand_elasticities(pi: np.ndarray, flows: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """``eps_bar[c] = sum_k sum_{n != c} chi[c, n, k] theta_k (1 - pi[n, c, k])`` for every c, (N,).

    ``chi[c, n, k]``: share of c's tariff-exclusive exports going to n in sector k (from
    ``flows[n, c, k]``); ``pi[n, c, k]``: n's expenditure share on c in k. Lashkaripour (2021).
    """
    exports = np.array(flows, copy=True)
    idx = np.arange(exports.shape[0])
    exports[idx, idx, :] = 0.0
    total = exports.sum(axis=(0, 2))
    weighted = (exports * theta[None, None, :] * (1.0 - pi)).sum(axis=(0, 2))
    return np.divide(weighted, total, out=np.full_like(total, np.nan), where=total > 0)


def lashkaripour_epsilon(eq: Equilibrium, country: str) -> float:
    """``eps_bar`` of Lashkaripour (2021): the export-weighted elasticity of ``country``'s
    export demand, ``sum_k sum_{n != c} chi'[c, n, k] theta_k (1 - pi'[n, c, k])`` at ``eq``."""
    ref = eq.reference
    if has_input_output(ref):
        raise UserInputError(
            "lashkaripour_optimal_tariff: the closed form holds only without input-output "
            "linkages (va_share = 1, input_share = 0); use optimal_tariffs instead"
        )
    c = ref.index_of(country)
    value = export_demand_elasticities(eq.pi, eq.flows, ref.theta)[c]
    if not np.isfinite(value):
        raise UserInputError(f"lashkaripour_optimal_tariff: {country} exports nothing")
    return float(value)


def lashkaripour_optimal_tariff(eq: Equilibrium, country: str) -> float:
    """Optimal uniform import tariff of ``country`` in closed form, ``1 / eps_bar`` (fraction).

    Lashkaripour (2021, JIE), for multi-sector gravity economies without input-output
    linkages: the tariff applies to imports from every partner in every sector, revenue is
    rebated, welfare is real income. ``eq`` must be the equilibrium *at* that tariff (the
    formula is a fixed-point condition); at any other equilibrium it gives the next iterate of
    the fixed point ``t <- 1 / eps_bar(eq(t))``.
    """
    return 1.0 / lashkaripour_epsilon(eq, country)


def optimal_retaliation(
    economy: Economy,
    tariffs: np.ndarray,
    target: str,
    aggressors: Sequence[str],
    *,
    by: str = "uniform",
    sectors: Any = None,
    deficits: str = "fixed",
) -> np.ndarray:
    """Retaliation rule "optimal": ``target`` answers with its best response against ``aggressors``.

    ``target``'s tariffs on the aggressors (in ``sectors``, default all, parameterised by
    ``by``) are chosen to maximise its welfare given ``tariffs`` (everyone's tariffs after the
    aggressors' action); every other tariff is unchanged. Bounds are (0, 5), widened to
    contain the current tariffs.

    Signature ``fn(economy, tariffs, target, aggressors) -> tariffs``; for scenarios use the
    adapter :func:`optimal_retaliation_rule`.

    Returns
    -------
    array (N, N, J): the tariffs after the retaliation (fractions).
    """
    aggressors = [aggressors] if isinstance(aggressors, str) else list(aggressors)
    params = tariff_parameters(economy, target, by=by, against=aggressors, sectors=sectors,
                               tariffs=tariffs)
    set_ = params.param_of >= 0
    current = params.base[params.country][set_]
    bounds = (min(DEFAULT_BOUNDS[0], float(current.min())), max(DEFAULT_BOUNDS[1], float(current.max())))
    result = optimal_tariffs(economy, target, against=aggressors, by=by, sectors=sectors,
                             bounds=bounds, tariffs=params.base, deficits=deficits)
    return result.tariff_array


def optimal_retaliation_rule(context: Any) -> np.ndarray:
    """The scenario rule ``retaliation = "optimal"`` (register it with
    ``tradewar.scenario.register_retaliation_rule("optimal", optimal_retaliation_rule)``).

    ``context`` is a :class:`tradewar.scenario.RetaliationContext`. Every economy ``e`` whose
    goods an action taxed more (a touched pair (importer ``m``, exporter ``e``) with a higher
    tariff in some sector, unless the scenario itself sets the reverse pair ``(e, m)``)
    answers with its uniform best response against all such aggressors, in the goods sectors
    (``context.goods``), given the tariffs after the actions. The targets respond
    simultaneously (each given the others' post-action tariffs); deficits are fixed.
    """
    economy: Economy = context.economy
    before = np.asarray(context.before)
    after = np.asarray(context.after)
    touched = set(context.touched)
    aggressors: dict[int, list[int]] = {}
    for m, e in sorted(touched):
        if (e, m) in touched or m == e:
            continue
        if (after[m, e] > before[m, e] + 1e-12).any():
            aggressors.setdefault(e, []).append(m)
    goods = np.asarray(context.goods, dtype=bool)
    result = np.array(after, copy=True)
    for e, ms in aggressors.items():
        responded = optimal_retaliation(economy, after, economy.countries[e],
                                        [economy.countries[m] for m in ms], sectors=goods)
        result[e] = responded[e]
    return result
