"""Exact welfare gradients (implicit differentiation through the equilibrium) against central
finite differences of the converged solver."""

from __future__ import annotations

import numpy as np
import pytest

from tradewar.model import solve
from tradewar.model._gradient import welfare_gradient
from tradewar.testing import random_economy


@pytest.mark.parametrize("closure", ["fixed", "proportional", "zero"])
def test_gradient_matches_central_differences(closure: str) -> None:
    economy = random_economy(5, 3, seed=21)
    tau = economy.tariffs.copy()
    tau[0, 1, :] += 0.4
    tau[1, 0, :] += 0.3
    weights = np.array([1.0, 0.5, 0.0, 0.0, -0.2])
    grad = welfare_gradient(solve(economy, tau, deficits=closure), weights)
    assert grad.adjoint_residual < 1e-10

    def objective(t: np.ndarray) -> float:
        eq = solve(economy, t, deficits=closure, tol=1e-14)
        return float((weights * np.log(eq.real_income_hat)).sum())

    h = 1e-5
    for index in [(0, 1, 0), (0, 2, 2), (1, 0, 1), (3, 4, 0), (2, 0, 2)]:
        up, down = tau.copy(), tau.copy()
        up[index] += h
        down[index] -= h
        fd = (objective(up) - objective(down)) / (2 * h)
        assert grad.gradient[index] == pytest.approx(fd, rel=1e-5, abs=1e-9), index
