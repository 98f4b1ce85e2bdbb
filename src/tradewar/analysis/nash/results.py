"""The outcome of a tariff war (:class:`NashResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ...model import Equilibrium


@dataclass(frozen=True, eq=False)
class NashResult:
    """Outcome of a tariff war.

    Attributes
    ----------
    converged : bool
        True only if the iteration converged AND the check passed (no player gains from
        re-optimising, tariffs move by less than ``check_tol``). Otherwise the fields below
        describe the last iterate, which is NOT an equilibrium.
    method : str
        ``best_response``, ``lashkaripour`` (closed-form start + best responses) or
        ``closed_form``.
    players : tuple of str
    by : str
        ``uniform`` or ``sector``.
    tariffs : pandas.Series or pandas.DataFrame
        Nash tariffs (fractions): a Series indexed by player (uniform) or a DataFrame player ×
        sector.
    tariff_array : array (N, N, J)
        Every tariff at the Nash equilibrium (``[importer, exporter, sector]``).
    welfare_pct : pandas.Series
        Welfare change of every country vs the economy (percent change in real income).
    world_trade_pct : float
        Change in world trade (exports at producer prices, in numeraire units), percent.
    bilateral : pandas.DataFrame
        Total trade of each ordered pair before and after (``exporter``, ``importer``,
        ``before_musd``, ``after_musd``, ``change_pct``).
    check : dict or None
        ``max_gain_from_deviation_pct`` (percentage points of real income a player gains by
        re-optimising at the candidate), ``max_tariff_change``, and per player
        ``gain_from_deviation_pct`` and ``tariff_change``. None if the iteration failed.
    iterations : int
        Rounds of best responses plus closed-form iterations.
    trace : tuple of dict
        Per round: ``stage`` (``closed_form`` or ``best_response``), ``round``,
        ``max_change``, ``seconds``, ``evaluations``.
    message : str
    equilibrium : Equilibrium
        The equilibrium at the reported (or last) tariffs.
    """

    converged: bool
    method: str
    players: tuple[str, ...]
    by: str
    tariffs: pd.Series | pd.DataFrame
    tariff_array: np.ndarray
    welfare_pct: pd.Series
    world_trade_pct: float
    bilateral: pd.DataFrame
    check: dict[str, Any] | None
    iterations: int
    trace: tuple[dict[str, Any], ...]
    seconds: float
    bounds: tuple[float, float]
    targets: str
    tol: float
    message: str
    equilibrium: Equilibrium = field(repr=False)

    @property
    def closure(self) -> str:
        return self.equilibrium.closure

    # ---- the result contract (tradewar.results.Result) ----
    def tables(self) -> dict[str, pd.DataFrame]:
        """The single source of the numbers (:class:`tradewar.results.Result`).

        ``tariffs``: ``player, sector, tariff`` (``sector = "all"`` for uniform tariffs;
        fractions); ``welfare``: ``country, welfare_pct``; ``bilateral``: ``exporter, importer,
        before_musd, after_musd, change_pct``; ``check``: ``player, gain_from_deviation_pct,
        tariff_change`` (empty when the iteration failed). When not converged these describe
        the last iterate, which is NOT an equilibrium."""
        if isinstance(self.tariffs, pd.DataFrame):
            frame = self.tariffs
            tariffs = pd.DataFrame(
                [{"player": str(p), "sector": str(s), "tariff": float(v)}
                 for p, row in frame.iterrows() for s, v in row.items()],
                columns=["player", "sector", "tariff"])
        else:
            tariffs = pd.DataFrame({"player": [str(p) for p in self.tariffs.index], "sector": "all",
                                    "tariff": self.tariffs.to_numpy(dtype=np.float64)})
        welfare = pd.DataFrame({"country": [str(k) for k in self.welfare_pct.index],
                                "welfare_pct": self.welfare_pct.to_numpy(dtype=np.float64)})
        check = self.check or {}
        gains, changes = check.get("gain_from_deviation_pct", {}), check.get("tariff_change", {})
        check_frame = pd.DataFrame({"player": list(gains), "gain_from_deviation_pct": list(gains.values()),
                                    "tariff_change": [changes.get(p) for p in gains]},
                                   columns=["player", "gain_from_deviation_pct", "tariff_change"])
        return {"tariffs": tariffs, "welfare": welfare, "bilateral": self.bilateral.copy(), "check": check_frame}

    def diagnostics(self) -> dict[str, Any]:
        """Converged (and checked), rounds, the check's largest gain from deviating, seconds."""
        check = self.check or {}
        return {"converged": bool(self.converged), "iterations": int(self.iterations),
                "max_gain_from_deviation_pct": check.get("max_gain_from_deviation_pct"),
                "max_tariff_change": check.get("max_tariff_change"), "method": self.method,
                "seconds": float(self.seconds), "message": self.message, "closure": self.closure}

    def tariffs_json(self) -> dict[str, Any]:
        """Tariffs as plain JSON: ``{player: t}`` or ``{player: {sector: t}}`` (fractions)."""
        rows = self.tables()["tariffs"]
        if isinstance(self.tariffs, pd.DataFrame):
            out: dict[str, Any] = {}
            for p, s, v in zip(rows["player"], rows["sector"], rows["tariff"], strict=True):
                out.setdefault(p, {})[s] = float(v)
            return out
        return {p: float(v) for p, v in zip(rows["player"], rows["tariff"], strict=True)}

    def to_json(self) -> dict[str, Any]:
        """Stable keys: ``converged``, ``method``, ``by``, ``players``, ``tariffs``,
        ``welfare_pct``, ``check``, ``iterations``, ``trace``, ``trade_change_pct``
        (``{"world": …, "pairs": [{exporter, importer, before_musd, after_musd,
        change_pct}]}``), ``closure``, ``bounds``, ``seconds``, ``message``. When not
        converged, ``tariffs``, ``welfare_pct`` and ``trade_change_pct`` are null and the last
        iterate is under ``last_iterate_tariffs``: it is not an equilibrium."""
        out: dict[str, Any] = {
            "converged": bool(self.converged),
            "method": self.method,
            "by": self.by,
            "players": list(self.players),
            "targets": self.targets,
            "tariffs": None,
            "welfare_pct": None,
            "check": _jsonable(self.check),
            "iterations": int(self.iterations),
            "trace": [_jsonable(t) for t in self.trace],
            "trade_change_pct": None,
            "closure": self.closure,
            "bounds": [float(b) for b in self.bounds],
            "tol": float(self.tol),
            "seconds": float(self.seconds),
            "message": self.message,
        }
        if self.converged:
            tables = self.tables()
            welfare = tables["welfare"]
            out["tariffs"] = self.tariffs_json()
            out["welfare_pct"] = {k: float(v) for k, v in zip(welfare["country"], welfare["welfare_pct"], strict=True)}
            out["trade_change_pct"] = {
                "world": float(self.world_trade_pct),
                "pairs": [{k: (float(v) if isinstance(v, (float, np.floating)) else str(v))
                           for k, v in row.items()} for row in tables["bilateral"].to_dict("records")],
            }
        else:
            out["last_iterate_tariffs"] = self.tariffs_json()
        return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return float(value)
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    return value
