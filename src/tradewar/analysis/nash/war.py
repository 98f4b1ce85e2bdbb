"""The players of a tariff war: their tariff parameterisations, the current tariffs, and one
player's best response (:func:`tradewar.analysis.optimal_tariffs`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...errors import UserInputError
from ...model import Economy, Equilibrium
from ...options import DeficitClosure
from ..optimal import TariffParameters, optimal_tariffs, tariff_parameters


def trade_change_pct(eq: Equilibrium) -> tuple[float, pd.DataFrame]:
    """World trade change (percent; exports at producer prices, numeraire units) and the
    bilateral table of :meth:`Equilibrium.bilateral_table`."""
    ref = eq.reference
    world = (float(eq.exports.sum()) / float(ref.exports.sum()) - 1.0) * 100.0
    return world, eq.bilateral_table()


class War:
    """The players, their tariff parameterisations and the current tariff array."""

    def __init__(self, economy: Economy, players: list[str], by: str, targets: str,
                 bounds: tuple[float, float]):
        self.economy = economy
        self.players = players
        self.by = by
        self.bounds = bounds
        self.against: dict[str, list[str] | None] = {}
        self.params: dict[str, TariffParameters] = {}
        current = np.array(economy.tariffs, copy=True)
        self.x: dict[str, np.ndarray] = {}
        for p in players:
            against = None if targets == "all" else [q for q in players if q != p]
            self.against[p] = against
            params = tariff_parameters(economy, p, by=by, against=against, tariffs=current)
            x = np.clip(params.values(current), *bounds)
            current = params.tariffs(x)
            self.params[p] = params
            self.x[p] = x
        self.current = current

    def tariffs_for(self, values: dict[str, np.ndarray]) -> np.ndarray:
        tau = np.array(self.current, copy=True)
        for p in self.players:
            tau = dataclasses.replace(self.params[p], base=tau).tariffs(values[p])
        return tau

    def set(self, values: dict[str, np.ndarray]) -> None:
        self.current = self.tariffs_for(values)
        self.x = {p: np.array(v, copy=True) for p, v in values.items()}

    def labelled(self) -> pd.Series | pd.DataFrame:
        if self.by == "uniform":
            return pd.Series({p: float(self.x[p][0]) for p in self.players}, name="tariff",
                             dtype=float).rename_axis("player")
        p0 = self.players[0]
        return pd.DataFrame([self.x[p] for p in self.players],
                            index=pd.Index(self.players, name="player"),
                            columns=pd.Index(self.params[p0].index, name="sector"))


def best_response(war: War, p: str, deficits: DeficitClosure, foc_tol: float) -> Any:
    return optimal_tariffs(
        war.economy, p, against=war.against[p], by=war.by, bounds=war.bounds, start=war.x[p],
        tariffs=war.current, deficits=deficits, tol=foc_tol, raise_on_failure=False,
    )


def validated_bounds(bounds: Sequence[float]) -> tuple[float, float]:
    try:
        lower, upper = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise UserInputError(f"bounds: expected (lower, upper) tariff fractions, got {bounds!r}") from None
    if not (np.isfinite(lower) and np.isfinite(upper)) or lower <= -1.0 or lower > upper:
        raise UserInputError(f"bounds: ({lower}, {upper}); allowed: finite fractions with -1 < lower <= upper")
    return lower, upper
