"""The closed-form optimal uniform tariff of Lashkaripour (2021), for economies without
input-output linkages (``1 / eps_bar``)."""

from __future__ import annotations

import numpy as np

from ...errors import UserInputError
from ...model import Economy, Equilibrium


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
