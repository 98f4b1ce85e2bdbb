"""Cooperative tariffs from trade talks (:class:`TalksResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ...model import Equilibrium

#: How the gains from talks are shared.


@dataclass(frozen=True, eq=False)
class TalksResult:
    """Cooperative tariffs from trade talks.

    Attributes
    ----------
    converged : bool
    players : tuple of str
    tariffs : pandas.Series
        Cooperative uniform tariff of each player (fractions).
    tariff_array : array (N, N, J)
    welfare_pct : pandas.Series
        Every country's welfare vs the economy (percent change in real income).
    welfare_vs_nash_pct : pandas.Series
        Every country's welfare vs the Nash equilibrium (percent): the gains from talks.
    nash_welfare_pct : pandas.Series
        Every country's welfare at Nash vs the economy (percent).
    common_gain_pct : float
        The smallest gain vs Nash among the players (percent): the maximised objective.
    gain_spread_pct : float
        Largest minus smallest player gain vs Nash (percentage points; ~0 = equal gains).
    world_trade_pct : float
        Change in world trade vs the economy (percent).
    iterations, evaluations : int
    seconds : float
    message : str
    equilibrium : Equilibrium
    """

    converged: bool
    method: str
    players: tuple[str, ...]
    tariffs: pd.Series
    tariff_array: np.ndarray
    welfare_pct: pd.Series
    welfare_vs_nash_pct: pd.Series
    nash_welfare_pct: pd.Series
    common_gain_pct: float
    gain_spread_pct: float
    world_trade_pct: float
    iterations: int
    evaluations: int
    seconds: float
    message: str
    equilibrium: Equilibrium = field(repr=False)

    # ---- the result contract (tradewar.results.Result) ----
    def tables(self) -> dict[str, pd.DataFrame]:
        """The single source of the numbers (:class:`tradewar.results.Result`): ``tariffs``
        (``player, tariff``: cooperative uniform tariffs, fractions) and ``welfare`` (``country,
        welfare_pct, welfare_vs_nash_pct, nash_welfare_pct``, percent)."""
        tariffs = pd.DataFrame({"player": [str(p) for p in self.tariffs.index],
                                "tariff": self.tariffs.to_numpy(dtype=np.float64)})
        welfare = pd.DataFrame({"welfare_pct": self.welfare_pct,
                                "welfare_vs_nash_pct": self.welfare_vs_nash_pct,
                                "nash_welfare_pct": self.nash_welfare_pct})
        welfare = welfare.rename_axis("country").reset_index()
        welfare["country"] = welfare["country"].astype(str)
        return {"tariffs": tariffs, "welfare": welfare}

    def diagnostics(self) -> dict[str, Any]:
        """Converged, iterations, evaluations, seconds, message, closure."""
        return {"converged": bool(self.converged), "iterations": int(self.iterations),
                "evaluations": int(self.evaluations), "seconds": float(self.seconds),
                "message": self.message, "closure": self.equilibrium.closure}

    def to_json(self) -> dict[str, Any]:
        """Stable keys: ``converged``, ``method``, ``players``, ``tariffs``, ``welfare_pct``,
        ``welfare_vs_nash_pct``, ``nash_welfare_pct``, ``common_gain_pct``,
        ``gain_spread_pct``, ``world_trade_pct``, ``iterations``, ``evaluations``,
        ``seconds``, ``message``, ``closure``."""
        tables = self.tables()
        welfare, tariffs = tables["welfare"], tables["tariffs"]

        def column(frame: pd.DataFrame, key: str, value: str) -> dict[str, float]:
            return {str(k): float(v) for k, v in zip(frame[key], frame[value], strict=True)}

        return {
            "converged": bool(self.converged), "method": self.method,
            "players": list(self.players), "tariffs": column(tariffs, "player", "tariff"),
            "welfare_pct": column(welfare, "country", "welfare_pct"),
            "welfare_vs_nash_pct": column(welfare, "country", "welfare_vs_nash_pct"),
            "nash_welfare_pct": column(welfare, "country", "nash_welfare_pct"),
            "common_gain_pct": float(self.common_gain_pct),
            "gain_spread_pct": float(self.gain_spread_pct),
            "world_trade_pct": float(self.world_trade_pct),
            "iterations": int(self.iterations), "evaluations": int(self.evaluations),
            "seconds": float(self.seconds), "message": self.message,
            "closure": self.equilibrium.closure,
        }
