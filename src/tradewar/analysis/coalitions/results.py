"""The result of a coalition analysis: every world solved, and what follows from it.

:class:`CoalitionResult` implements the result contract (:class:`tradewar.results.Result`):
``tables()`` (``coalitions``, ``shapley``, ``min_reliability``, ``stable``) is the single
source, ``to_json()`` derives from it. Figures: :func:`tradewar.report.coalition_figures`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from ...results import json_number as _num
from .game import leverage, min_reliability, shapley_values, stable_coalitions
from .model import worlds
from .spec import CoalitionGame

#: Keys of :meth:`CoalitionResult.to_json` and of each of its coalitions (stable contract).
COALITION_JSON_KEYS: tuple[str, ...] = ("coalitions", "shapley", "stable", "min_reliability")
COALITION_ROW_KEYS: tuple[str, ...] = ("members", "target_welfare_pct", "target_loss_musd",
                                       "coalition_loss_musd", "leverage", "members_welfare_pct")
#: Columns of ``tables()["coalitions"]``: the keys of each ``to_json()["coalitions"]`` row.
COALITION_TABLE_COLUMNS: tuple[str, ...] = (
    "members", "target_welfare_pct", "target_loss_musd", "coalition_loss_musd", "leverage",
    "members_welfare_pct", "coalition_gains", "size", "error")
#: Reliabilities at which the stable coalitions are listed.
RELIABILITY_GRID: tuple[float, ...] = tuple(round(0.05 * k, 2) for k in range(21))


@dataclass(frozen=True, eq=False)
class CoalitionResult:
    """Every coalition's worlds, solved, and what follows from them at ``reliability``.

    ``real_income_hat[mask, relief, economy]`` (2^n, 2, N) is the change in real income from
    the status quo in world (coalition ``mask``, relief kept = 1 / not = 0); without tariffs
    of the leader on the allies both slices are equal. ``errors[mask]`` is "" for a coalition
    whose worlds converged."""

    game: CoalitionGame
    reliability: float
    real_income_hat: np.ndarray
    errors: tuple[str, ...]
    seconds: float = 0.0
    backend: str = "serial"
    resumed_chunks: int = 0

    # ---- payoffs ----
    def _income(self) -> np.ndarray:
        return np.asarray(self.game.economy.income, dtype=np.float64)

    def change_musd(self, p: float | None = None) -> np.ndarray:
        """Expected real-income change (2^n, N), millions USD, at reliability ``p``."""
        p = self.reliability if p is None else p
        x = (self.real_income_hat - 1.0) * self._income()
        return p * x[:, 1] + (1.0 - p) * x[:, 0]

    def player_payoffs(self, p: float | None = None, relief: int | None = None) -> np.ndarray:
        """Allies' welfare (2^n, n), % of their real income, expected at ``p`` (or in one
        relief state)."""
        income = self._income()
        usd = (self.real_income_hat - 1.0) * income
        if relief is None:
            p = self.reliability if p is None else p
            usd = p * usd[:, 1] + (1.0 - p) * usd[:, 0]
        else:
            usd = usd[:, relief]
        return np.stack([usd[:, list(g)].sum(axis=1) / income[list(g)].sum() * 100.0
                         for g in self.game.groups], axis=1)

    def target_loss_musd(self) -> np.ndarray:
        return -self.change_musd()[:, self.game.target]

    def coalition_loss_musd(self) -> np.ndarray:
        change = self.change_musd()
        return np.array([-change[m, self.game.member_economies(m)].sum()
                         for m in range(len(change))])

    @property
    def failed(self) -> list[int]:
        return [m for m, e in enumerate(self.errors) if e]

    def _order(self) -> list[int]:
        n = self.game.n
        return [sum(1 << k for k in combo) for size in range(n + 1)
                for combo in combinations(range(n), size)]

    # ---- tables ----
    def table(self) -> pd.DataFrame:
        """One row per coalition (by size, then in the allies' order)."""
        g, income = self.game, self._income()
        change = self.change_musd()
        t_loss, c_loss = self.target_loss_musd(), self.coalition_loss_musd()
        players = self.player_payoffs()
        rows = []
        for m in self._order():
            lev, gains = leverage(t_loss[m], c_loss[m])
            welfare = {g.countries[g.leader]: change[m, g.leader] / income[g.leader] * 100.0}
            welfare |= {a: players[m, k] for k, a in enumerate(g.allies) if m >> k & 1}
            rows.append({"mask": m, "members": g.members(m), "size": bin(m).count("1"),
                         "target_welfare_pct": -t_loss[m] / income[g.target] * 100.0,
                         "target_loss_musd": t_loss[m], "coalition_loss_musd": c_loss[m],
                         "leverage": lev, "coalition_gains": gains,
                         "members_welfare_pct": welfare, "error": self.errors[m]})
        return pd.DataFrame(rows)

    def shapley(self) -> pd.DataFrame:
        """Each ally's Shapley value: contribution to the target's loss, USD and % (points of
        the target's real income)."""
        musd = shapley_values(self.target_loss_musd())
        pct = musd / self._income()[self.game.target] * 100.0
        return pd.DataFrame({"shapley_musd": musd, "shapley_pct": pct},
                            index=pd.Index(self.game.allies, name="ally"))

    def stable(self, p: float | None = None) -> list[int]:
        """Masks of the stable coalitions at reliability ``p`` (default: the result's)."""
        if self.failed:
            return []
        return stable_coalitions(self.player_payoffs(p))

    def min_reliability(self) -> pd.Series:
        """Least reliability at which each ally stays in the grand coalition (NaN: never)."""
        full = 2 ** self.game.n - 1
        stay = []
        for relief in (1, 0):
            pay = self.player_payoffs(relief=relief)
            stay.append(np.array([pay[full, k] - pay[full ^ (1 << k), k]
                                  for k in range(self.game.n)]))
        return pd.Series(min_reliability(stay[0], stay[1]), index=pd.Index(self.game.allies, name="ally"),
                         name="min_reliability")

    def stable_by_reliability(self, grid: Sequence[float] = RELIABILITY_GRID) -> dict[float, list[int]]:
        return {float(p): self.stable(p) for p in grid}

    # ---- the result contract (tradewar.results.Result) ----
    def tables(self) -> dict[str, pd.DataFrame]:
        """The single source of the numbers (:class:`tradewar.results.Result`).

        ``coalitions``: one row per coalition (columns :data:`COALITION_TABLE_COLUMNS`, the
        keys of each ``to_json()["coalitions"]`` row); ``shapley``: ``ally, shapley_musd,
        shapley_pct``; ``min_reliability``: ``ally, min_reliability``; ``stable``: one row per
        reliability of :data:`RELIABILITY_GRID` (``reliability, stable``: the member lists of
        the stable coalitions). NaN where a coalition failed."""
        g = self.game
        ok = not self.failed
        index = pd.Index(g.allies, name="ally")
        nan = pd.Series(np.nan, index=index)
        shapley = self.shapley() if ok else pd.DataFrame({"shapley_musd": nan, "shapley_pct": nan})
        mr = self.min_reliability() if ok else nan.rename("min_reliability")
        stable = pd.DataFrame({"reliability": list(self.stable_by_reliability()),
                               "stable": [[g.members(m) for m in masks]
                                          for masks in self.stable_by_reliability().values()]})
        return {
            "coalitions": self.table()[list(COALITION_TABLE_COLUMNS)],
            "shapley": shapley.reset_index(),
            "min_reliability": mr.rename("min_reliability").reset_index(),
            "stable": stable,
        }

    def diagnostics(self) -> dict[str, Any]:
        """Worlds solved, failed coalitions (and their errors), seconds, backend, resumed chunks."""
        return {"converged": not self.failed, "worlds": len(worlds(self.game)),
                "failed_coalitions": len(self.failed),
                "errors": {" + ".join(self.game.members(m)): self.errors[m] for m in self.failed},
                "seconds": self.seconds, "backend": self.backend,
                "resumed_chunks": self.resumed_chunks}

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (keys :data:`COALITION_JSON_KEYS` first; NaN and inf as null), derived
        from :meth:`tables`."""
        g = self.game
        tables = self.tables()
        shapley = tables["shapley"].set_index("ally")
        mr = tables["min_reliability"].set_index("ally")["min_reliability"]
        return {
            "coalitions": [{
                "members": list(row.members),
                "target_welfare_pct": _num(row.target_welfare_pct),
                "target_loss_musd": _num(row.target_loss_musd),
                "coalition_loss_musd": _num(row.coalition_loss_musd),
                "leverage": _num(row.leverage),
                "members_welfare_pct": {k: _num(v) for k, v in row.members_welfare_pct.items()},
                "coalition_gains": bool(row.coalition_gains),
                "size": int(row.size),
                "error": row.error or None,
            } for row in tables["coalitions"].itertuples()],
            "shapley": {a: _num(shapley.loc[a, "shapley_musd"]) for a in g.allies},
            "stable": [g.members(m) for m in self.stable()],
            "min_reliability": {a: _num(mr[a]) for a in g.allies},
            "shapley_pct": {a: _num(shapley.loc[a, "shapley_pct"]) for a in g.allies},
            "stable_by_reliability": [{"reliability": float(row.reliability), "stable": list(row.stable)}
                                      for row in tables["stable"].itertuples()],
            "leader": g.countries[g.leader],
            "target": g.countries[g.target],
            "allies": list(g.allies),
            "settings": {"tariff": g.tariff, "sectors": [s for s, b in zip(g.economy.sectors, g.sectors, strict=True) if b],
                         "retaliation": g.retaliation, "us_tariffs_on_allies": g.us_tariffs_on_allies,
                         "reliability": self.reliability, "deficits": g.deficits,
                         "start": g.start.text},
            "baseline": dict(g.info),
            "solver": {"worlds": len(worlds(g)),
                       "failed_coalitions": len(self.failed), "seconds": self.seconds,
                       "backend": self.backend, "resumed_chunks": self.resumed_chunks},
            "notes": list(g.notes) + [DEFINITIONS],
        }



DEFINITIONS = (
    "leverage = target's real-income loss (USD) per USD of real income lost by the coalition "
    "(leader + members), expected over relief kept with probability p; null with "
    "coalition_gains = true when the coalition loses nothing; Shapley values: average marginal "
    "contribution of each ally to the target's loss; stable: no member gains by leaving, no "
    "outsider by joining (payoffs p W(relief) + (1-p) W(no relief)); min_reliability: least p "
    "at which an ally stays in the grand coalition (null: never). See docs/coalitions.md.")
