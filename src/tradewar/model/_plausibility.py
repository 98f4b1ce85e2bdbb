"""Plausibility guard: is a solved equilibrium economically believable?

A converged equilibrium is an exact solution of the model, but the model's data make some
solutions absurd — +1000 % tariffs everywhere under the proportional closure give small
open economies (São Tomé, Cambodia) real-income gains of +260 % and imports multiplied
tenfold. Such results are **flagged, not refused**: ``Equilibrium.diagnostics`` carries
``plausible`` and ``plausibility_issues``, the JSON ``solver`` block reports them and the CLI
prints a warning. Refusing would break the strategy analyses, whose searches visit extreme
tariffs on purpose, and the numbers remain the model's exact answer; flagging tells a reader
not to quote them (docs/guarantees.md).

Pure function on arrays: no I/O, no pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ._results import Equilibrium

__all__ = ["MAX_TRADE_FACTOR", "MAX_WELFARE_CHANGE_PCT", "check_plausibility",
           "plausibility_issues"]

#: A change in real income beyond ±50 % of the starting point (percent) is not believable
#: for a tariff or trade-cost shock: the largest published tariff-war losses (Ossa 2014's Nash
#: war, autarky gains of Costinot-Rodríguez-Clare 2014) are of the order of 10-40 %.
MAX_WELFARE_CHANGE_PCT = 50.0
#: A country's total imports or exports multiplied by more than 5 (ratio new/old).
MAX_TRADE_FACTOR = 5.0
#: At most this many countries are named in one issue.
_NAMED = 4


def _worst(values: np.ndarray, mask: np.ndarray, countries: tuple[str, ...], fmt: str) -> str:
    idx = np.flatnonzero(mask)
    idx = idx[np.argsort(-np.abs(values[idx]))]
    shown = ", ".join(fmt.format(c=countries[k], v=values[k]) for k in idx[:_NAMED])
    more = f" and {len(idx) - _NAMED} more" if len(idx) > _NAMED else ""
    return shown + more


def plausibility_issues(countries: tuple[str, ...], welfare_pct: np.ndarray,
                        imports_factor: np.ndarray, exports_factor: np.ndarray,
                        income: np.ndarray, expenditure: np.ndarray) -> list[str]:
    """Reasons an equilibrium is economically absurd (empty list: plausible).

    Parameters
    ----------
    countries : the N economy codes.
    welfare_pct : (N,) exact change in real income, percent.
    imports_factor, exports_factor : (N,) new / old total imports and exports (ratios).
    income : (N,) new income, millions USD.
    expenditure : (N, J) new spending, millions USD.
    """
    issues: list[str] = []
    welfare = np.asarray(welfare_pct, dtype=float)
    if not np.all(np.isfinite(welfare)):
        issues.append("welfare is not finite for "
                      + _worst(np.nan_to_num(welfare), ~np.isfinite(welfare), countries, "{c}"))
    big = np.isfinite(welfare) & (np.abs(welfare) > MAX_WELFARE_CHANGE_PCT)
    if big.any():
        issues.append(f"welfare changes beyond ±{MAX_WELFARE_CHANGE_PCT:g} % of real income: "
                      + _worst(welfare, big, countries, "{c} {v:+.0f} %"))
    for label, factor in (("imports", imports_factor), ("exports", exports_factor)):
        f = np.asarray(factor, dtype=float)
        many = np.isfinite(f) & (f > MAX_TRADE_FACTOR)
        if many.any():
            issues.append(f"{label} multiplied more than {MAX_TRADE_FACTOR:g} times: "
                          + _worst(f, many, countries, "{c} ×{v:.1f}"))
    inc = np.asarray(income, dtype=float)
    spend = np.asarray(expenditure, dtype=float).sum(axis=-1)
    negative = (inc < 0) | (spend < 0)
    if negative.any():
        issues.append("negative income or spending: " + _worst(np.minimum(inc, spend), negative,
                                                               countries, "{c} {v:,.0f} million USD"))
    return issues


def check_plausibility(eq: Equilibrium) -> list[str]:
    """:func:`plausibility_issues` of an :class:`~tradewar.model.Equilibrium`."""
    ref = eq.reference
    with np.errstate(divide="ignore", invalid="ignore"):
        imports = np.where(ref.imports > 0, eq.imports / np.where(ref.imports > 0, ref.imports, 1.0), 1.0)
        exports = np.where(ref.exports > 0, eq.exports / np.where(ref.exports > 0, ref.exports, 1.0), 1.0)
        welfare = eq.welfare_pct
    return plausibility_issues(tuple(ref.countries), welfare, imports, exports, eq.income,
                               eq.expenditure)
