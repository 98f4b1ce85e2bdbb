"""How a country's import tariffs are parameterised when optimised (:class:`TariffParameters`),
and the checks of bounds and first-order conditions shared by optimal tariffs, Nash and talks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...errors import UserInputError, check_choice
from ...model import Economy
from ...options import OPTIMAL_BY

#: How a country's import tariffs are parameterised when optimised.

#: Default bounds on the optimised tariffs (fractions): no import subsidies, at most 500 %.
DEFAULT_BOUNDS = (0.0, 5.0)


#: A parameter within this distance of a bound counts as at the bound.
_AT_BOUND = 1e-9


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
    """Boolean (J,) mask of ``sectors`` (tariff algebra :func:`tradewar.scenario.select_sectors`:
    None/"all", "goods", codes, a comma string, or a boolean mask)."""
    from ...scenario import select_sectors

    if sectors is not None and not isinstance(sectors, str):
        arr = np.asarray(sectors)
        if arr.dtype == bool:
            sectors = arr
    return select_sectors(economy.sectors, sectors, where="sectors")


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
        from ...model import check_tariffs

        base = np.array(check_tariffs("tariffs", tariffs, economy.countries, economy.sectors), copy=True)
    param_of.flags.writeable = False
    return TariffParameters(country=c, by=by, param_of=param_of, index=index, base=base)


def check_bounds(bounds: Sequence[float], params: TariffParameters, economy: Economy) -> tuple[float, float]:
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
