"""Trade talks from the Nash tariff war (:func:`trade_talks`): the players' welfare and its
exact Jacobian, and the SLSQP problem of equal gains."""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pandas as pd
import scipy.optimize

from ...errors import NonConvergenceError, UserInputError, check_choice
from ...model import Economy, Equilibrium, solve, welfare_gradient
from ...options import TALKS_METHODS
from ..nash import NashResult, trade_change_pct
from ..optimal import SOLVE_TOL, TariffParameters, tariff_parameters
from .results import TalksResult


class Players:
    """Log real income of every player and its exact Jacobian in the players' uniform
    tariffs, memoised on the last tariff vector (SLSQP asks for values and Jacobians
    separately at the same point)."""

    def __init__(self, economy: Economy, nash: NashResult):
        self.economy = economy
        self.deficits = nash.closure
        self.players = list(nash.players)
        self.rows = [economy.index_of(p) for p in self.players]
        self.params: list[TariffParameters] = []
        base = np.array(nash.tariff_array, copy=True)
        for p in self.players:
            against = None if nash.targets == "all" else [q for q in self.players if q != p]
            self.params.append(tariff_parameters(economy, p, by="uniform", against=against, tariffs=base))
        self.base = base
        self.evaluations = 0
        self._key: bytes | None = None
        self._value: tuple[np.ndarray, np.ndarray, Equilibrium] | None = None

    def tariffs(self, t: np.ndarray) -> np.ndarray:
        tau = self.base
        for k, params in enumerate(self.params):
            tau = dataclasses.replace(params, base=tau).tariffs(t[k:k + 1])
        return tau

    def start(self) -> np.ndarray:
        return np.array([params.values(self.base)[0] for params in self.params])

    def evaluate(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, Equilibrium]:
        """(log W (P,), d log W_p / d t_q (P, P), equilibrium) at uniform tariffs ``t``."""
        key = np.asarray(t, dtype=np.float64).tobytes()
        if self._key == key and self._value is not None:
            return self._value
        eq = solve(self.economy, self.tariffs(np.asarray(t, dtype=np.float64)),
                   deficits=self.deficits, tol=SOLVE_TOL)
        n = self.economy.n_countries
        values = np.empty(len(self.players))
        jac = np.empty((len(self.players), len(self.players)))
        for a, row in enumerate(self.rows):
            weights = np.zeros(n)
            weights[row] = 1.0
            grad = welfare_gradient(eq, weights)
            values[a] = grad.objective
            jac[a] = [params.chain(grad.gradient)[0] for params in self.params]
        self.evaluations += 1
        self._key, self._value = key, (values, jac, eq)
        return self._value


def trade_talks(
    economy: Economy,
    nash: NashResult,
    *,
    method: str = "equal_gains",
    bounds: tuple[float, float] | None = None,
    tol: float = 1e-10,
    max_iter: int = 200,
) -> TalksResult:
    """Cooperative tariffs from the Nash equilibrium ``nash``: the largest common percentage
    welfare gain over Nash for every player (Ossa 2014).

    Parameters
    ----------
    economy : Economy
        The baseline ``nash`` was computed on.
    nash : NashResult
        A converged Nash equilibrium (:func:`nash_tariffs`); its players, targets, closure and
        bounds are used. Tariffs in the talks are uniform per player.
    method : {"equal_gains"}
        Maximise the smallest gain vs Nash (with equal gains at the optimum).
    bounds : (lower, upper), optional
        Bounds on the cooperative tariffs (default: the Nash bounds).
    tol : float
        SLSQP's tolerance on the objective (percent).
    max_iter : int

    Returns
    -------
    TalksResult
    """
    start_time = time.perf_counter()
    check_choice("method", method, TALKS_METHODS)
    if not isinstance(nash, NashResult):
        raise UserInputError("nash: expected the NashResult of nash_tariffs(economy, …)")
    if not nash.converged:
        raise UserInputError("nash: trade talks start from a Nash equilibrium, but this NashResult did "
                             f"not converge ({nash.message})")
    if nash.equilibrium.reference.countries != economy.countries:
        raise UserInputError("nash: computed on another economy (its countries differ)")
    if len(nash.players) < 2:
        raise UserInputError("nash: talks need at least two players")
    lower, upper = nash.bounds if bounds is None else (float(bounds[0]), float(bounds[1]))
    if not (-1.0 < lower <= upper):
        raise UserInputError(f"bounds: ({lower}, {upper}); allowed: -1 < lower <= upper")

    model = Players(economy, nash)
    nash_log = np.log(nash.equilibrium.real_income_hat[model.rows])
    t0 = np.clip(model.start(), lower, upper)
    # variables y = (t_1 … t_P, s); s and the constraints are in percent (100 × log points)
    p = len(model.players)

    def objective(y: np.ndarray) -> float:
        return -float(y[-1])

    def objective_jac(y: np.ndarray) -> np.ndarray:
        g = np.zeros(p + 1)
        g[-1] = -1.0
        return g

    def gains(y: np.ndarray) -> np.ndarray:
        values, _, _ = model.evaluate(y[:p])
        return 100.0 * (values - nash_log) - y[-1]

    def gains_jac(y: np.ndarray) -> np.ndarray:
        _, jac, _ = model.evaluate(y[:p])
        return np.hstack([100.0 * jac, -np.ones((p, 1))])

    values0, _, _ = model.evaluate(t0)
    s0 = float((100.0 * (values0 - nash_log)).min())
    y0 = np.append(t0, s0)
    try:
        res = scipy.optimize.minimize(
            objective, y0, jac=objective_jac, method="SLSQP",
            bounds=[(lower, upper)] * p + [(None, None)],
            constraints=[{"type": "ineq", "fun": gains, "jac": gains_jac}],
            options={"maxiter": max_iter, "ftol": tol},
        )
    except NonConvergenceError as err:
        raise NonConvergenceError(f"trade talks: an equilibrium solve failed ({err})", err.diagnostics) from err
    t = np.clip(res.x[:p], lower, upper)
    values, _, eq = model.evaluate(t)
    player_gains = 100.0 * (np.exp(values - nash_log) - 1.0)
    feasible = bool((100.0 * (values - nash_log) >= res.x[-1] - 1e-6).all())
    converged = bool(res.success) and feasible
    message = ("cooperative tariffs: every player gains at least "
               f"{player_gains.min():.4g} % over Nash" if converged
               else f"trade talks did not converge: {res.message}")
    ratio = eq.real_income_hat / nash.equilibrium.real_income_hat
    index = pd.Index(economy.countries, name="country")
    world, _ = trade_change_pct(eq)
    return TalksResult(
        converged=converged, method=method, players=tuple(model.players),
        tariffs=pd.Series(t, index=pd.Index(model.players, name="player"), name="tariff"),
        tariff_array=model.tariffs(t),
        welfare_pct=pd.Series(eq.welfare_pct, index=index, name="welfare_pct"),
        welfare_vs_nash_pct=pd.Series((ratio - 1.0) * 100.0, index=index, name="welfare_vs_nash_pct"),
        nash_welfare_pct=pd.Series(nash.equilibrium.welfare_pct, index=index, name="nash_welfare_pct"),
        common_gain_pct=float(player_gains.min()),
        gain_spread_pct=float(player_gains.max() - player_gains.min()),
        world_trade_pct=world, iterations=int(res.nit), evaluations=model.evaluations,
        seconds=time.perf_counter() - start_time, message=message, equilibrium=eq,
    )
