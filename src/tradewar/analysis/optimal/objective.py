"""The objective of an optimal-tariff problem: a country's log real income and its exact gradient
(:func:`tradewar.model.welfare_gradient`, implicit differentiation), memoised for L-BFGS-B, and
the polish of one-parameter problems."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import NonConvergenceError
from ...model import Economy, Equilibrium, solve, welfare_gradient
from ...options import DeficitClosure
from .params import TariffParameters, projected_gradient

#: Tolerance of the equilibrium solves inside the optimiser (tighter than the engine's
#: default so that the objective's noise stays far below the first-order conditions).
SOLVE_TOL = 1e-12


#: Objectives (log real income) closer than this are tied: below it the solver's rounding
#: noise decides, so the smaller first-order condition is preferred.
_TIE = 1e-12


class Objective:
    """Negative log real income of one country and its exact gradient in the parameters,
    memoised on the last parameter vector (L-BFGS-B asks for both at each point)."""

    def __init__(self, economy: Economy, params: TariffParameters, deficits: DeficitClosure, lower: float, upper: float):
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
            raise FirstOrderConditionsMet
        return -value, -g


class FirstOrderConditionsMet(Exception):
    """Raised by the objective to stop L-BFGS-B as soon as the first-order conditions hold
    (its own line search would otherwise keep probing the objective's rounding noise)."""


def polish_scalar(objective: Objective, tol: float, max_evaluations: int = 60) -> float:
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
