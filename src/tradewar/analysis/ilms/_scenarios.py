"""The ILMS (2025) scenarios as tariff matrices ``t[importer, exporter]`` (fractions).

Each function follows the authors' ``code/analysis/main_baseline.m`` / ``main_regional.m``
line by line (cited in the docstrings); the baseline has no tariffs.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar

from ...data.ilms2025 import Ilms2025Data
from ...errors import UnknownNameError
from ._model import IlmsEconomy, IlmsOptions, passthrough, solve_ilms

__all__ = [
    "LIBERATION_DAY_FLOOR",
    "formula_optimal_tariff",
    "liberation_day_tariffs",
    "numerical_optimal_tariff",
    "optimal_retaliation_tariff",
    "uniform_tariffs",
    "with_optimal_retaliation",
    "with_reciprocal_retaliation",
]

#: Minimum US tariff of the 2 April 2025 order (EO 14257, the 10 % baseline rate); the authors
#: apply it as ``max(0.1, t)``.
LIBERATION_DAY_FLOOR = 0.10


def liberation_day_tariffs(data: Ilms2025Data, home: str = "USA") -> np.ndarray:
    """US tariffs of 2 April 2025 on every partner, floored at 10 % (``t_ji(:,id_US)``)."""
    h = data.index_of(home)
    n = len(data.countries)
    t = np.zeros((n, n))
    t[h, :] = np.maximum(LIBERATION_DAY_FLOOR, np.asarray(data.us_tariff))
    t[h, h] = 0.0
    return t


def _delta(flows: np.ndarray, nu: np.ndarray, size: np.ndarray) -> np.ndarray:
    """δ_i = Σ_{n≠i} X[n,i](1−ν_n)(1−λ[n,i]) / ((1−ν_i)(size_i − X[i,i])), (N,)."""
    k = flows.shape[0]
    shares = flows / flows.sum(axis=1, keepdims=True)
    off = 1.0 - np.eye(k)
    num = (flows * (1 - nu)[:, None] * off * (1 - shares)).sum(axis=0)
    return num / ((1 - nu) * (size - np.diag(flows)))


def formula_optimal_tariff(econ: IlmsEconomy, options: IlmsOptions, home: str = "USA",
                           denominator: str = "gdp") -> float:
    """The authors' closed form of the unilaterally optimal uniform tariff (fraction).

    t* = 1 / ((1 + ε δ_h) φ_h − 1), δ_h as in :func:`_delta`. ``denominator="gdp"`` uses
    GDP − domestic sales (their ``Y_i`` line, used for Table 2 case 4; gives the published 19 %);
    ``"expenditure"`` uses spending − domestic sales, i.e. imports (their ``E_i`` line, used for
    Table 1 case 3 and Table 3; gives 21.8 %).
    """
    sizes = {"gdp": econ.gdp, "expenditure": econ.expenditure}
    if denominator not in sizes:
        raise UnknownNameError("denominator", denominator, sizes)
    h = econ.index_of(home)
    delta = _delta(np.asarray(econ.flows), np.asarray(econ.nu), sizes[denominator])
    phi = passthrough(econ, options)
    return float(1.0 / ((1 + delta[h] * options.trade_elasticity) * phi[h] - 1))


def optimal_retaliation_tariff(econ: IlmsEconomy, options: IlmsOptions, home: str = "USA") -> float:
    """Uniform tariff every partner puts on the US under "optimal retaliation" (fraction).

    The world is aggregated to (rest of the world, US) and the same closed form is applied to
    the rest of the world, with GDP in δ (``main_baseline.m``, "optimal retaliation").
    """
    h = econ.index_of(home)
    n = len(econ.countries)
    agg = np.zeros((2, n))
    agg[0, :] = 1.0
    agg[0, h] = 0.0
    agg[1, h] = 1.0
    flows = agg @ np.asarray(econ.flows) @ agg.T
    gdp = agg @ np.asarray(econ.gdp)
    others = [k for k in range(n) if k != h]
    nu_pair = np.array([econ.nu[others[0]], econ.nu[h]])
    delta = _delta(flows, nu_pair, gdp)
    phi = passthrough(econ, options)
    return float(1.0 / ((1 + delta[0] * options.trade_elasticity) * phi[others[0]] - 1))


def with_reciprocal_retaliation(tariffs: np.ndarray, econ: IlmsEconomy, home: str = "USA") -> np.ndarray:
    """Every partner sets on US goods the tariff the US sets on its goods (``t(US,:) = t(:,US)'``)."""
    h = econ.index_of(home)
    t = np.array(tariffs, dtype=np.float64)
    t[:, h] = t[h, :]
    t[h, h] = 0.0
    return t


def with_optimal_retaliation(tariffs: np.ndarray, econ: IlmsEconomy, options: IlmsOptions,
                             home: str = "USA") -> np.ndarray:
    """Every partner sets :func:`optimal_retaliation_tariff` on US goods."""
    h = econ.index_of(home)
    t = np.array(tariffs, dtype=np.float64)
    t[:, h] = optimal_retaliation_tariff(econ, options, home)
    t[h, h] = 0.0
    return t


def uniform_tariffs(econ: IlmsEconomy, rate: float, home: str = "USA") -> np.ndarray:
    """The home country's uniform tariff ``rate`` on every partner, nobody else's."""
    h = econ.index_of(home)
    n = len(econ.countries)
    t = np.zeros((n, n))
    t[h, :] = rate
    t[h, h] = 0.0
    return t


def numerical_optimal_tariff(econ: IlmsEconomy, options: IlmsOptions, home: str = "USA",
                             bounds: tuple[float, float] = (0.0, 0.6)) -> tuple[float, float]:
    """Uniform home tariff that maximises home welfare in the full model (no retaliation).

    Brent's bounded search on the exact equilibrium (tolerance 1e-4 in the rate). Returns
    (rate as a fraction, home welfare change in percent). Not in the authors' code: a check of
    their closed form, which is a sufficient-statistics formula.
    """
    h = econ.index_of(home)

    def loss(rate: float) -> float:
        return -float(solve_ilms(econ, uniform_tariffs(econ, rate, home), options).welfare_pct[h])

    res = minimize_scalar(loss, bounds=bounds, method="bounded", options={"xatol": 1e-4})
    return float(res.x), float(-res.fun)
