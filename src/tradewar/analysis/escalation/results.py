"""The result of the escalation game (:class:`EscalationResult`): the solved wars and demand,
and the game at every point of the grids (pure arithmetic on the payoffs).

It implements the result contract (:class:`tradewar.results.Result`): ``tables()``
(``by_threat``, ``allies_effect``, ``welfare``) is the single source of the tabular numbers;
``to_json()`` derives from it and from the grids. Figures:
:func:`tradewar.report.escalation_figures`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ...errors import UserInputError
from ...options import DeficitClosure
from ...results import json_number as _num
from .game import OUTCOMES, GameSolution, break_even, outcome_codes, solve_game

#: Keys of a war in ``by_threat`` and ``allies_detail`` (and columns of ``tables()``).
WAR_ROW_KEYS: tuple[str, ...] = ("d_star_pct", "credible_if_c_above_pct", "credible",
                                 "d_star_if_credible_pct", "leader_war_pct", "target_war_pct",
                                 "outcome")
#: Keys of :meth:`EscalationResult.to_json` (stable contract) and of each ``by_threat`` row.


ESCALATION_JSON_KEYS: tuple[str, ...] = (
    "leader", "target", "threat", "allies", "demand", "payoffs", "credible", "d_star_pct",
    "outcome", "by_threat", "allies_effect", "grid")
BY_THREAT_KEYS: tuple[str, ...] = (
    "threat", "d_star_pct", "credible_if_c_above_pct", "credible", "d_star_if_credible_pct",
    "leader_war_pct", "target_war_pct", "outcome", "without_allies")
#: A demand must move the target's tariffs or deficit by more than this to count.


_SCHEMA = "escalation-1"


@dataclass(frozen=True)
class WarOutcome:
    """One carried-out threat: who threatens, how much, and the welfare of each economy."""

    threat: float
    threateners: tuple[str, ...]
    leader_pct: float
    target_pct: float
    welfare_pct: dict[str, float]
    iterations: int
    max_residual: float



@dataclass(frozen=True, eq=False)
class EscalationResult:
    """The escalation game solved on a baseline (all welfare in % of real income from the
    status quo).

    Attributes
    ----------
    leader, target : str
    threat : float
        The headline threat (points added, fraction: 1.45 = +145 points).
    allies : tuple of str
        Allies joining the threat (each adds the same points on the target).
    demand : dict
        ``name``, ``description``, ``source``, ``tariff_change_points``,
        ``deficit_change_musd``, ``closure`` of the demand.
    retaliation : str
    capitulation_cost_pct, audience_cost_pct : float
        ``d`` and ``c`` of the headline outcome.
    concede_leader_pct, concede_target_pct : float
        Welfare when the target concedes.
    threats : tuple of float
        The threat grid (includes the headline threat).
    war : tuple of WarOutcome
        The war at each threat of the grid, leader and allies threatening.
    war_alone : tuple of WarOutcome
        The same with the leader alone (equal to ``war`` without allies).
    war_by_ally : dict
        Ally -> the war at the headline threat with the leader and that ally only.
    d_grid, c_grid : tuple of float
    """

    leader: str
    target: str
    threat: float
    allies: tuple[str, ...]
    demand: dict[str, Any]
    retaliation: str
    capitulation_cost_pct: float
    audience_cost_pct: float
    concede_leader_pct: float
    concede_target_pct: float
    concede_welfare_pct: dict[str, float]
    threats: tuple[float, ...]
    war: tuple[WarOutcome, ...]
    war_alone: tuple[WarOutcome, ...]
    war_by_ally: dict[str, WarOutcome]
    d_grid: tuple[float, ...]
    c_grid: tuple[float, ...]
    deficits: DeficitClosure = "fixed"
    start: str = ""
    info: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    solves: int = 0
    seconds: float = 0.0
    #: How the target resists: "tariffs" (``retaliation``), "export_controls" or "both"; the
    #: sectors of its export ban (empty with "tariffs").
    resist_with: str = "tariffs"
    control_sectors: tuple[str, ...] = ()

    # ---- the game at a point ----
    def war_at(self, threat: float | None, with_allies: bool = True) -> WarOutcome:
        threat = self.threat if threat is None else float(threat)
        wars = self.war if with_allies else self.war_alone
        for w in wars:
            if abs(w.threat - threat) < 1e-12:
                return w
        raise UserInputError(f"threat {threat:g} is not in the solved grid; allowed: "
                             + ", ".join(f"{t:g}" for t in self.threats))

    def solution(self, d: float | None = None, c: float | None = None, threat: float | None = None,
                 war: WarOutcome | None = None) -> GameSolution:
        """The subgame-perfect outcome at ``d``, ``c`` (default: the headline costs) and
        ``threat`` (default: the headline threat; a point of the grid), or against a given
        ``war`` outcome."""
        w = war if war is not None else self.war_at(threat)
        return solve_game(self.concede_leader_pct, self.concede_target_pct, w.leader_pct,
                          w.target_pct, self.capitulation_cost_pct if d is None else d,
                          self.audience_cost_pct if c is None else c)

    def d_star(self, c: float | None = None, threat: float | None = None,
               with_allies: bool = True) -> float:
        """Break-even cost of capitulation ``d*`` at audience cost ``c`` (default: headline)."""
        w = self.war_at(threat, with_allies)
        c = self.audience_cost_pct if c is None else c
        return float(break_even(self.concede_target_pct, w.target_pct, w.leader_pct, c))

    def allies_effect(self) -> dict[str, float]:
        """``d*`` at the headline threat and ``c``: leader alone (``none``), with every ally
        (``all``), and with each ally alone."""
        c = self.audience_cost_pct
        out = {"none": self.d_star(with_allies=False), "all": self.d_star()}
        for ally, w in self.war_by_ally.items():
            out[ally] = float(break_even(self.concede_target_pct, w.target_pct, w.leader_pct, c))
        return out

    def outcome_grid(self, c: float | None = None, with_allies: bool = True) -> np.ndarray:
        """Outcome codes (:data:`OUTCOMES`) over (threat, d) at audience cost ``c``,
        shape (len(threats), len(d_grid))."""
        c = self.audience_cost_pct if c is None else float(c)
        wars = self.war if with_allies else self.war_alone
        lw = np.array([w.leader_pct for w in wars])[:, None]
        tw = np.array([w.target_pct for w in wars])[:, None]
        return outcome_codes(self.concede_target_pct, tw, lw, np.asarray(self.d_grid)[None, :], c)

    def table(self) -> pd.DataFrame:
        """One row per threat of the grid: war payoffs, credibility threshold, ``d*``."""
        rows = []
        for w, a in zip(self.war, self.war_alone, strict=True):
            sol = self.solution(war=w)
            rows.append({
                "threat": w.threat, "leader_war_pct": w.leader_pct, "target_war_pct": w.target_pct,
                "credible_if_c_above_pct": -w.leader_pct, "credible": sol.credible,
                "d_star_pct": sol.d_star_pct,
                "d_star_if_credible_pct": self.concede_target_pct - w.target_pct,
                "outcome": sol.outcome,
                "d_star_without_allies_pct": self.solution(war=a).d_star_pct,
                "target_war_without_allies_pct": a.target_pct,
            })
        return pd.DataFrame(rows)

    # ---- the result contract (tradewar.results.Result) ----
    def _war_row(self, w: WarOutcome) -> dict[str, Any]:
        s = self.solution(war=w)
        return {"d_star_pct": s.d_star_pct, "credible_if_c_above_pct": -w.leader_pct,
                "credible": s.credible, "d_star_if_credible_pct": self.concede_target_pct - w.target_pct,
                "leader_war_pct": w.leader_pct, "target_war_pct": w.target_pct, "outcome": s.outcome}

    def _detail(self) -> list[tuple[str, WarOutcome]]:
        return [("none", self.war_at(None, False)), ("all", self.war_at(None))] + list(self.war_by_ally.items())

    def tables(self) -> dict[str, pd.DataFrame]:
        """The single source of the numbers (:class:`tradewar.results.Result`), % of real income.

        ``by_threat``: one row per threat of the grid (``threat``, :data:`WAR_ROW_KEYS`, and the
        same with the leader alone as ``without_allies.<key>``); ``allies``: the headline threat
        by ``none`` (leader alone), ``all`` and each ally with the leader (``threateners``,
        :data:`WAR_ROW_KEYS`); ``welfare``: every economy's welfare in each of those wars and
        when the target concedes (``world, country, welfare_pct``)."""
        by_threat = [{"threat": w.threat} | self._war_row(w)
                     | {f"without_allies.{k}": v for k, v in self._war_row(a).items()}
                     for w, a in zip(self.war, self.war_alone, strict=True)]
        allies = [{"name": name, "threateners": list(w.threateners)} | self._war_row(w)
                  for name, w in self._detail()]
        welfare = [{"world": "concede", "country": k, "welfare_pct": v}
                   for k, v in self.concede_welfare_pct.items()]
        welfare += [{"world": name, "country": k, "welfare_pct": v}
                    for name, w in self._detail() for k, v in w.welfare_pct.items()]
        return {"by_threat": pd.DataFrame(by_threat), "allies": pd.DataFrame(allies),
                "welfare": pd.DataFrame(welfare, columns=["world", "country", "welfare_pct"])}

    def diagnostics(self) -> dict[str, Any]:
        """Equilibria solved (wars and the demand), the largest residual, seconds."""
        residual = max([w.max_residual for w in self.war + self.war_alone]
                       + [w.max_residual for w in self.war_by_ally.values()])
        return {"converged": True, "solves": self.solves, "max_residual": residual,
                "iterations": max(w.iterations for w in self.war + self.war_alone),
                "seconds": self.seconds}

    def to_json(self) -> dict[str, Any]:
        """Plain JSON; keys :data:`ESCALATION_JSON_KEYS` first (stable contract), then
        ``settings``, ``welfare_pct``, ``allies_detail``, ``baseline``, ``solver``, ``notes``;
        ``by_threat`` and ``allies_detail`` derive from :meth:`tables`."""
        sol = self.solution()
        war = self.war_at(None)
        d, c = self.capitulation_cost_pct, self.audience_cost_pct
        tables = self.tables()

        def war_json(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
            out: dict[str, Any] = {}
            for key in WAR_ROW_KEYS:
                value = row[prefix + key]
                out[key] = (bool(value) if key == "credible" else str(value) if key == "outcome"
                            else _num(value))
            return out

        by_threat = [{"threat": float(row["threat"])} | war_json(row)
                     | {"without_allies": war_json(row, "without_allies.")}
                     for row in tables["by_threat"].to_dict("records")]
        welfare = tables["welfare"]
        detail = {}
        for row in tables["allies"].to_dict("records"):
            rows = welfare[welfare["world"] == row["name"]]
            detail[str(row["name"])] = ({"threateners": list(row["threateners"])} | war_json(row)
                                        | {"welfare_pct": {str(k): _num(v) for k, v in
                                                           zip(rows["country"], rows["welfare_pct"], strict=True)}})
        cs = np.asarray(self.c_grid)
        lw = np.array([w.leader_pct for w in self.war])
        tw = np.array([w.target_pct for w in self.war])
        credible_grid = lw[None, :] > -cs[:, None]
        dstar_grid = break_even(self.concede_target_pct, tw[None, :], lw[None, :], cs[:, None])
        codes = self.outcome_grid()
        residual = max([w.max_residual for w in self.war + self.war_alone]
                       + [w.max_residual for w in self.war_by_ally.values()])
        return {
            "leader": self.leader,
            "target": self.target,
            "threat": self.threat,
            "allies": list(self.allies),
            "demand": dict(self.demand),
            "payoffs": {
                "concede": {"leader": _num(self.concede_leader_pct),
                            "target": _num(self.concede_target_pct - d)},
                "war": {"leader": _num(war.leader_pct), "target": _num(war.target_pct)},
                "back_down": {"leader": _num(-c), "target": 0.0},
            },
            "credible": sol.credible,
            "d_star_pct": _num(sol.d_star_pct),
            "outcome": sol.outcome,
            "by_threat": by_threat,
            "allies_effect": {k: _num(v) for k, v in self.allies_effect().items()},
            "grid": {
                "d_pct": list(self.d_grid),
                "c_pct": list(self.c_grid),
                "threat": list(self.threats),
                "outcome_codes": list(OUTCOMES),
                "outcome_at_c": {"c_pct": c, "outcome": [[OUTCOMES[k] for k in row] for row in codes]},
                "credible": credible_grid.tolist(),
                "d_star_pct": [[_num(v) for v in row] for row in dstar_grid],
                "layout": "outcome_at_c.outcome[threat][d]; credible[c][threat]; "
                          "d_star_pct[c][threat]; outcome = concede if d <= d_star, else "
                          "resist_war if credible, else resist_back_down",
            },
            "settings": {"capitulation_cost_pct": d, "audience_cost_pct": c,
                         "retaliation": self.retaliation, "deficits": self.deficits,
                         "status_quo": self.start, "sectors": "goods"}
            | ({"resist_with": self.resist_with, "control_sectors": list(self.control_sectors)}
               if self.resist_with != "tariffs" else {}),
            "welfare_pct": {
                "concede": {"leader": _num(self.concede_leader_pct),
                            "target": _num(self.concede_target_pct),
                            "all": {k: _num(v) for k, v in self.concede_welfare_pct.items()}},
                "war": {"leader": _num(war.leader_pct), "target": _num(war.target_pct),
                        "all": {k: _num(v) for k, v in war.welfare_pct.items()}},
                "back_down": {"leader": 0.0, "target": 0.0},
            },
            "d_star_if_credible_pct": _num(self.concede_target_pct - war.target_pct),
            "credible_if_c_above_pct": _num(-war.leader_pct),
            "allies_detail": detail,
            "baseline": dict(self.info),
            "solver": {"solves": self.solves, "converged": True, "max_residual": _num(residual),
                       "seconds": self.seconds},
            "schema": _SCHEMA,
            "notes": list(self.notes) + [DEFINITIONS],
        }

    def chart_notes(self) -> list[str]:
        return [f"Status quo: {self.start}. Demand: {self.demand.get('name')} — "
                f"{self.demand.get('description', '')}", f"Retaliation: {self.retaliation}.",
                DEFINITIONS]


DEFINITIONS = (
    "Payoffs in % of real income from the status quo. Target concedes: W_T(concede) - d; leader "
    "W_L(concede). Target resists: the leader carries out the threat iff W_L(war) > -c "
    "(credible iff c > credible_if_c_above_pct = -W_L(war)), else backs down (leader -c, target "
    "0). The target resists iff d > d* with d* = W_T(concede) - W_T(war) for a credible threat, "
    "W_T(concede) otherwise (ties: concede, back down). See docs/escalation.md.")
