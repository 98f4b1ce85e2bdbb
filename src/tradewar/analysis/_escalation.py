"""Escalation game: a leader demands a concession and threatens a tariff; the target concedes or
resists; the leader carries out the threat or backs down (docs/escalation.md has the reading).

The game (perfect information, solved backwards — subgame-perfect equilibrium)::

    target ── concede ─────────────────────────────► (W_L(concede), W_T(concede) - d)
          └── resist ── leader ── carry out (war) ──► (W_L(war),     W_T(war))
                               └── back down ───────► (-c,           0)

Payoffs are percent changes of real income (:attr:`tradewar.model.Equilibrium.welfare_pct`)
from the **status quo**: the starting economy of the demand scenario (by default the tariffs in
force on 2025-01-01, :func:`tradewar.scenario.compile_tariffs`). ``d`` is the target's
non-economic *cost of capitulation* and ``c`` the leader's *audience cost* of backing down,
both in % of real income.

* **concede**: the equilibrium of the demand scenario (its last step; its deficit closure).
* **war**: the leader — and the allies, when given — add ``threat`` points on the target's
  goods; the target answers (``retaliation``): ``none``; ``mirror`` (default: the same points
  on each threatener's goods); ``optimal`` (its uniform best response on the goods of the
  threateners, :func:`tradewar.analysis._optimal.optimal_retaliation`). Deficits ``fixed``.
* **back down**: the status quo.

Backward induction (ties go to the less escalatory move):

* the leader carries out the threat iff ``W_L(war) > -c``: the threat is **credible** iff
  ``c > -W_L(war)`` (``credible_if_c_above_pct``);
* the target resists iff ``W_T(resist) > W_T(concede) - d``, where ``W_T(resist)`` is
  ``W_T(war)`` for a credible threat and ``0`` otherwise, i.e. iff ``d > d*`` with the
  **break-even cost of capitulation** ``d* = W_T(concede) - W_T(war)`` (credible) or
  ``d* = W_T(concede)`` (not credible: resisting costs nothing). ``d*`` may be negative: the
  target then resists even when capitulating costs it no dignity at all.

Outcome: ``concede`` if ``d <= d*``; else ``resist_war`` if credible, ``resist_back_down`` if
not. Each threat level costs one war equilibrium (all threat levels, with and without allies
and with each ally alone, in one :func:`tradewar.model.solve_batch`) and the demand one more:
the grids over ``d``, ``c`` and the threat are then pure arithmetic.

References
----------
Fearon, J. D. (1994), "Domestic political audiences and the escalation of international
disputes", *American Political Science Review* 88(3).
Schelling, T. C. (1960), *The Strategy of Conflict*, Harvard University Press.
Caliendo, L. and F. Parro (2015), *Review of Economic Studies* 82(1).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from ..data._tariff_layer import goods_mask
from ..errors import NonConvergenceError, UserInputError, check_choice
from ..model import Economy, Equilibrium, solve, solve_batch
from ._coalitions import ally_groups

__all__ = [
    "BY_THREAT_KEYS",
    "DEFAULT_THREATS",
    "ESCALATION_JSON_KEYS",
    "OUTCOMES",
    "RETALIATION_CHOICES",
    "EscalationResult",
    "GameSolution",
    "WarOutcome",
    "break_even",
    "check_concession",
    "default_demand",
    "escalation_game",
    "solve_game",
]

Outcome = Literal["concede", "resist_war", "resist_back_down"]
#: The three outcomes, in the order of their codes (0, 1, 2) in grids and charts.
OUTCOMES: tuple[str, ...] = get_args(Outcome)
Retaliation = Literal["none", "mirror", "optimal"]
RETALIATION_CHOICES: tuple[str, ...] = get_args(Retaliation)
#: Threat levels of the grid (fractions: 1.0 = +100 points); the headline threat is added.
DEFAULT_THREATS: tuple[float, ...] = (0.1, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
#: Costs of capitulation d (% of real income) of the grid: 0 to 5 by 0.1.
DEFAULT_D_GRID: tuple[float, ...] = tuple(round(0.1 * k, 10) for k in range(51))
#: Audience costs c (% of real income) of the grid: 0 to 2 by 0.1.
DEFAULT_C_GRID: tuple[float, ...] = tuple(round(0.1 * k, 10) for k in range(21))
#: Default costs for the headline outcome (% of real income): illustrative, see the docs.
DEFAULT_CAPITULATION_COST = 1.0
DEFAULT_AUDIENCE_COST = 1.0
#: Keys of :meth:`EscalationResult.to_json` (stable contract) and of each ``by_threat`` row.
ESCALATION_JSON_KEYS: tuple[str, ...] = (
    "leader", "target", "threat", "allies", "demand", "payoffs", "credible", "d_star_pct",
    "outcome", "by_threat", "allies_effect", "grid")
BY_THREAT_KEYS: tuple[str, ...] = (
    "threat", "d_star_pct", "credible_if_c_above_pct", "credible", "d_star_if_credible_pct",
    "leader_war_pct", "target_war_pct", "outcome", "without_allies")
#: A demand must move the target's tariffs or deficit by more than this to count.
_CONCESSION_TOL = 1e-9
_SCHEMA = "escalation-1"

ProgressCallback = Callable[[int, int], Any]


# ---------------------------------------------------------------------------------------------
# the game: pure functions of payoffs
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GameSolution:
    """The subgame-perfect outcome of one game (payoffs in % of real income).

    ``leader_payoff`` and ``target_payoff`` are the game payoffs at the outcome (including
    ``-d`` for a concession and ``-c`` for backing down)."""

    outcome: str
    credible: bool
    d_star_pct: float
    leader_payoff: float
    target_payoff: float


def break_even(target_concede: Any, target_war: Any, leader_war: Any, audience_cost: Any) -> Any:
    """The break-even cost of capitulation ``d*`` (arrays broadcast).

    ``d* = W_T(concede) - W_T(war)`` where the threat is credible (``W_L(war) > -c``), else
    ``d* = W_T(concede) - 0``. The target resists iff ``d > d*``.
    """
    credible = np.asarray(leader_war) > -np.asarray(audience_cost)
    resist = np.where(credible, target_war, 0.0)
    return np.asarray(target_concede) - resist


def solve_game(leader_concede: float, target_concede: float, leader_war: float,
               target_war: float, capitulation_cost: float, audience_cost: float) -> GameSolution:
    """Solve the escalation game backwards for one payoff table.

    Parameters
    ----------
    leader_concede, target_concede : float
        Welfare (% real income) of leader and target when the target concedes.
    leader_war, target_war : float
        Welfare when the threat is carried out (and the target retaliates).
    capitulation_cost : float
        ``d``: the target's non-economic cost of conceding (% of real income).
    audience_cost : float
        ``c``: the leader's cost of backing down from its threat (% of real income).

    The leader carries out the threat iff ``leader_war > -c`` (a tie backs down); the target
    resists iff its payoff from resisting exceeds ``target_concede - d`` (a tie concedes).
    """
    values = (leader_concede, target_concede, leader_war, target_war, capitulation_cost,
              audience_cost)
    if not all(math.isfinite(float(v)) for v in values):
        raise UserInputError(f"payoffs and costs must be finite numbers; got {values}")
    d, c = float(capitulation_cost), float(audience_cost)
    credible = bool(leader_war > -c)
    d_star = float(break_even(target_concede, target_war, leader_war, c))
    if d <= d_star:
        return GameSolution("concede", credible, d_star, float(leader_concede),
                            float(target_concede) - d)
    if credible:
        return GameSolution("resist_war", credible, d_star, float(leader_war), float(target_war))
    return GameSolution("resist_back_down", credible, d_star, -c, 0.0)


def outcome_codes(target_concede: Any, target_war: Any, leader_war: Any, d: Any, c: Any) -> np.ndarray:
    """Codes (indices into :data:`OUTCOMES`) of the outcome, arrays broadcast."""
    credible = np.asarray(leader_war) > -np.asarray(c)
    d_star = break_even(target_concede, target_war, leader_war, c)
    return np.where(np.asarray(d) <= d_star, 0, np.where(credible, 1, 2)).astype(np.int64)


# ---------------------------------------------------------------------------------------------
# the demand
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Concession:
    """What a demand asks of the target, measured on the compiled arrays.

    ``tariff_change_points``: change of the target's tariffs on imports from the leader,
    averaged over the sectors the demand changes with the status-quo imports of the target
    from the leader as weights (percentage points; negative = a cut).
    ``deficit_change_musd``: change of the target's trade deficit (imports - exports, millions
    USD; positive = its surplus shrinks)."""

    tariff_change_points: float
    deficit_change_musd: float
    tariff_cut: bool
    surplus_cut: bool


def check_concession(compiled: Any, leader: str, target: str, name: str = "demand") -> Concession:
    """Check that a compiled demand (:class:`tradewar.scenario.CompiledScenario`) is a concession
    by ``target`` to ``leader``: it lowers the target's tariffs on imports from the leader
    (trade-weighted over the sectors it changes) or shrinks the target's surplus (its deficit
    rises), and does neither the opposite.

    Raises
    ------
    UserInputError
        The demand is not a concession; the message says what it does and what was expected.
    """
    start: Economy = compiled.start_economy
    t, ld = start.index_of(target), start.index_of(leader)
    before = np.asarray(start.tariffs)[t, ld]
    after = np.asarray(compiled.steps[-1].tariffs)[t, ld]
    moved = np.abs(after - before) > _CONCESSION_TOL
    change, n_moved = 0.0, int(moved.sum())
    if n_moved:  # trade-weighted over the sectors the demand changes (sign: over every sector)
        weights = np.asarray(start.flows)[t, ld, moved]
        if weights.sum() <= 0:
            weights = np.ones_like(weights)
        change = float(((after - before)[moved] * weights).sum() / weights.sum())
    deficit_change = 0.0
    deficits_new = compiled.deficits_new
    if deficits_new is not None:
        deficit_change = float(np.asarray(deficits_new)[t] - np.asarray(start.deficit)[t])
        if abs(deficit_change) <= _CONCESSION_TOL * float(np.abs(np.asarray(start.value_added, dtype=float)).sum()):
            deficit_change = 0.0
    tariff_cut, tariff_rise = change < -_CONCESSION_TOL, change > _CONCESSION_TOL
    surplus_cut, surplus_rise = deficit_change > 0.0, deficit_change < 0.0
    if (tariff_cut or surplus_cut) and not (tariff_rise or surplus_rise):
        return Concession(100.0 * change, deficit_change, tariff_cut, surplus_cut)
    does = []
    does.append(f"changes {target}'s tariffs on imports from {leader} by {100.0 * change:+.3g} "
                f"points (trade-weighted over the {n_moved} sectors it changes)" if change else f"leaves {target}'s tariffs on imports "
                f"from {leader} unchanged")
    does.append(f"changes {target}'s trade deficit by {deficit_change:+,.0f} million USD"
                if deficit_change else f"leaves {target}'s trade balance unchanged")
    raise UserInputError(
        f"demand {name!r} is not a concession by {target} to {leader}: it " + " and ".join(does)
        + f"; expected: a scenario that lowers {target}'s tariffs on imports from {leader} or shrinks "
        f"{target}'s trade surplus (raises its deficit), and does neither the opposite — e.g. the "
        "default demand (omit it) or the built-in 'rebalance-china'")


def default_demand(baseline: Any, leader: str, target: str, *, start: str = "in-force-2025",
                   data_dir: Any = None) -> tuple[Any, Any]:
    """The default demand and its compilation: ``(Scenario, CompiledScenario)``.

    The target cuts its tariffs on the leader's goods to the dataset's MFN/preferential level,
    sector by sector (for the US and China: China removes its 2018–19 retaliation, in force on
    2025-01-01). Where the status quo is already at that level (every pair but US–China), the
    target cuts them to zero instead.
    """
    from ..scenario import Scenario, TariffAction, compile_tariffs

    economy: Economy = baseline.economy
    t, ld = economy.index_of(target), economy.index_of(leader)
    goods = goods_mask(economy.sectors)
    sectors = [s for s, g in zip(economy.sectors, goods, strict=True) if g] or list(economy.sectors)

    def build(level: str) -> Any:
        actions = []
        for code in sectors:
            rate = float(economy.tariffs[t, ld, economy.sectors.index(code)]) if level == "mfn" else 0.0
            actions.append(TariffAction(importer=target, exporter=leader, sectors=[code], set=rate))
        what = ("to the dataset's MFN/preferential level (removing any retaliation layer in "
                "force)" if level == "mfn" else "to zero")
        return Scenario(
            name=f"{target.lower()}-cuts-tariffs-on-{leader.lower()}",
            description=f"{target} cuts its tariffs on {leader}'s goods {what}, sector by sector, "
            "from the status quo (the default demand of the escalation game).",
            start=start, retaliation="none", tariff=actions)  # type: ignore[arg-type]

    scenario = build("mfn")
    compiled = compile_tariffs(scenario, baseline, data_dir=data_dir)
    try:
        check_concession(compiled, leader, target, scenario.name)
    except UserInputError:
        scenario = build("zero")
        compiled = compile_tariffs(scenario, baseline, data_dir=data_dir)
        try:
            check_concession(compiled, leader, target, scenario.name)
        except UserInputError:
            raise UserInputError(
                f"demand: no default concession of {target} to {leader}: its tariffs on "
                f"{leader}'s goods are already zero in the status quo; allowed: give a demand "
                "(a built-in such as 'rebalance-china', or a TOML file) that lowers its tariffs "
                "on the leader or shrinks its surplus") from None
    return scenario, compiled


# ---------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------
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


def _num(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


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
    deficits: str = "fixed"
    start: str = ""
    info: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    solves: int = 0
    seconds: float = 0.0

    # ---- the game at a point ----
    def _war(self, threat: float | None, with_allies: bool = True) -> WarOutcome:
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
        w = war if war is not None else self._war(threat)
        return solve_game(self.concede_leader_pct, self.concede_target_pct, w.leader_pct,
                          w.target_pct, self.capitulation_cost_pct if d is None else d,
                          self.audience_cost_pct if c is None else c)

    def d_star(self, c: float | None = None, threat: float | None = None,
               with_allies: bool = True) -> float:
        """Break-even cost of capitulation ``d*`` at audience cost ``c`` (default: headline)."""
        w = self._war(threat, with_allies)
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

    # ---- JSON ----
    def to_json(self) -> dict[str, Any]:
        """Plain JSON; keys :data:`ESCALATION_JSON_KEYS` first (stable contract), then
        ``settings``, ``welfare_pct``, ``allies_detail``, ``baseline``, ``solver``, ``notes``."""
        sol = self.solution()
        war = self._war(None)
        d, c = self.capitulation_cost_pct, self.audience_cost_pct
        by_threat = []
        for w, a in zip(self.war, self.war_alone, strict=True):
            s, s_alone = self.solution(war=w), self.solution(war=a)
            by_threat.append({
                "threat": w.threat,
                "d_star_pct": _num(s.d_star_pct),
                "credible_if_c_above_pct": _num(-w.leader_pct),
                "credible": s.credible,
                "d_star_if_credible_pct": _num(self.concede_target_pct - w.target_pct),
                "leader_war_pct": _num(w.leader_pct),
                "target_war_pct": _num(w.target_pct),
                "outcome": s.outcome,
                "without_allies": {
                    "d_star_pct": _num(s_alone.d_star_pct),
                    "credible_if_c_above_pct": _num(-a.leader_pct),
                    "credible": s_alone.credible,
                    "d_star_if_credible_pct": _num(self.concede_target_pct - a.target_pct),
                    "leader_war_pct": _num(a.leader_pct),
                    "target_war_pct": _num(a.target_pct),
                    "outcome": s_alone.outcome,
                },
            })
        cs = np.asarray(self.c_grid)
        lw = np.array([w.leader_pct for w in self.war])
        tw = np.array([w.target_pct for w in self.war])
        credible_grid = lw[None, :] > -cs[:, None]
        dstar_grid = break_even(self.concede_target_pct, tw[None, :], lw[None, :], cs[:, None])
        codes = self.outcome_grid()
        detail = {}
        for name, w in [("none", self._war(None, False)), ("all", war)] + list(self.war_by_ally.items()):
            s = self.solution(war=w)
            detail[name] = {"threateners": list(w.threateners), "leader_war_pct": _num(w.leader_pct),
                            "target_war_pct": _num(w.target_pct), "credible": s.credible,
                            "credible_if_c_above_pct": _num(-w.leader_pct),
                            "d_star_pct": _num(s.d_star_pct),
                            "d_star_if_credible_pct": _num(self.concede_target_pct - w.target_pct),
                            "outcome": s.outcome,
                            "welfare_pct": {k: _num(v) for k, v in w.welfare_pct.items()}}
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
                         "status_quo": self.start, "sectors": "goods"},
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

    # ---- charts ----
    def figures(self, c: float | None = None) -> list[tuple[str, Any]]:
        """(heading, plotly figure) pairs: outcome regions over (d, threat) at audience cost
        ``c`` (default: the headline), ``d*`` against the threat with and without allies, and
        outcome regions over (d, c) at the headline threat."""
        import plotly.graph_objects as go

        c = self.audience_cost_pct if c is None else float(c)
        colours = ["#2ca02c", "#d62728", "#ff7f0e"]  # concede, resist_war, resist_back_down
        scale = []
        for k, colour in enumerate(colours):
            scale += [[k / 3, colour], [(k + 1) / 3, colour]]
        labels = {"concede": f"{self.target} concedes", "resist_war":
                  f"{self.target} resists, {self.leader} carries out the threat",
                  "resist_back_down": f"{self.target} resists, {self.leader} backs down"}
        colorbar = {"tickvals": [1 / 3, 1, 5 / 3], "ticktext": [labels[o] for o in OUTCOMES],
                    "title": "outcome"}
        who = " + ".join((self.leader,) + self.allies)
        codes = self.outcome_grid(c)
        fig1 = go.Figure(go.Heatmap(
            x=list(self.d_grid), y=[100 * t for t in self.threats], z=codes, zmin=0, zmax=2,
            colorscale=scale, colorbar=colorbar,
            customdata=[[labels[OUTCOMES[k]] for k in row] for row in codes],
            hovertemplate="d = %{x:.2f} %<br>threat = +%{y:.0f} points<br>%{customdata}<extra></extra>"))
        dstars = [self.solution(c=c, war=w).d_star_pct for w in self.war]
        fig1.add_scatter(x=dstars, y=[100 * t for t in self.threats], mode="lines+markers",
                         name="break-even d*", line={"color": "black"})
        fig1.update_layout(xaxis_title=f"cost of capitulation d for {self.target} (% of real income)",
                           yaxis_title=f"threat (points on {self.target}'s goods)",
                           xaxis_range=[min(self.d_grid), max(self.d_grid)], height=480,
                           legend={"orientation": "h", "y": -0.2})
        fig2 = go.Figure()
        series = [(f"{who}", self.war, "solid")]
        if self.allies:
            series.append((f"{self.leader} alone", self.war_alone, "solid"))
        for name, wars, _ in series:
            fig2.add_scatter(x=[100 * w.threat for w in wars],
                             y=[self.solution(c=c, war=w).d_star_pct for w in wars],
                             mode="lines+markers", name=f"d*, {name} (c = {c:g} %)")
            fig2.add_scatter(x=[100 * w.threat for w in wars],
                             y=[self.concede_target_pct - w.target_pct for w in wars],
                             mode="lines", line={"dash": "dot"}, name=f"d* if credible, {name}")
        fig2.update_layout(xaxis_title="threat (points added)",
                           yaxis_title=f"d* (% of {self.target}'s real income)", height=480,
                           legend={"orientation": "h", "y": -0.25})
        war = self._war(None)
        cs = np.asarray(self.c_grid)
        codes_c = outcome_codes(self.concede_target_pct, war.target_pct, war.leader_pct,
                                np.asarray(self.d_grid)[None, :], cs[:, None])
        fig3 = go.Figure(go.Heatmap(
            x=list(self.d_grid), y=list(cs), z=codes_c, zmin=0, zmax=2, colorscale=scale,
            colorbar=colorbar, customdata=[[labels[OUTCOMES[k]] for k in row] for row in codes_c],
            hovertemplate="d = %{x:.2f} %<br>c = %{y:.2f} %<br>%{customdata}<extra></extra>"))
        fig3.update_layout(xaxis_title=f"cost of capitulation d for {self.target} (% of real income)",
                           yaxis_title=f"audience cost c for {self.leader} (%)", height=420)
        return [
            (f"Outcome over (d, threat) at audience cost c = {c:g} % (threat by {who})", fig1),
            ("Break-even cost of capitulation d* against the threat", fig2),
            (f"Outcome over (d, c) at the threat +{100 * self.threat:.0f} points", fig3),
        ]

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


# ---------------------------------------------------------------------------------------------
# orchestration
# ---------------------------------------------------------------------------------------------
def _number(name: str, value: Any, *, lower: float | None = None, strict: bool = False,
            allowed: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise UserInputError(f"{name}: {value!r} is not a number; allowed: {allowed}") from None
    if not math.isfinite(out) or (lower is not None and (out <= lower if strict else out < lower)):
        raise UserInputError(f"{name}: {value!r}; allowed: {allowed}")
    return out


def _grid(name: str, values: Sequence[Any], *, lower: float, strict: bool, allowed: str) -> tuple[float, ...]:
    if isinstance(values, str | bytes) or not len(values):
        raise UserInputError(f"{name}: {values!r}; allowed: a non-empty list of {allowed}")
    return tuple(sorted({_number(name, v, lower=lower, strict=strict, allowed=allowed) for v in values}))


def _demand(spec: Any, baseline: Any, leader: str, target: str, start: str,
            data_dir: Any) -> tuple[Any, Any, Concession]:
    from ..scenario import compile_tariffs, resolve_scenario

    if spec is None or (isinstance(spec, str) and spec.strip().lower() in ("", "default")):
        scenario, compiled = default_demand(baseline, leader, target, start=start, data_dir=data_dir)
    else:
        scenario = resolve_scenario(spec)
        compiled = compile_tariffs(scenario, baseline, data_dir=data_dir)
    if compiled.closure == "zero":
        raise UserInputError(f"demand {scenario.name!r}: closure 'zero' measures welfare from an "
                             "economy with deficits purged, not from the status quo; allowed: "
                             "'fixed', 'proportional' or 'given' (deficit changes)")
    return scenario, compiled, check_concession(compiled, leader, target, scenario.name)


def _war_tariffs(economy: Economy, threat: float, threateners: Sequence[int], target: int,
                 goods: np.ndarray, retaliation: str) -> np.ndarray:
    """Tariffs after the threat is carried out (with ``mirror``, including the answer)."""
    tau = np.array(economy.tariffs, copy=True)
    cols = np.flatnonzero(goods)
    rows = np.asarray(threateners, dtype=np.int64)
    tgt = np.array([target], dtype=np.int64)
    tau[np.ix_(rows, tgt, cols)] += threat
    if retaliation == "mirror":
        tau[np.ix_(tgt, rows, cols)] += threat
    return tau


def escalation_game(
    baseline: Any,
    *,
    leader: str = "USA",
    target: str = "CHN",
    threat: float = 1.45,
    demand: Any = None,
    allies: Sequence[str] = (),
    retaliation: str = "mirror",
    capitulation_cost: float = DEFAULT_CAPITULATION_COST,
    audience_cost: float = DEFAULT_AUDIENCE_COST,
    threats: Sequence[float] = DEFAULT_THREATS,
    d_grid: Sequence[float] = DEFAULT_D_GRID,
    c_grid: Sequence[float] = DEFAULT_C_GRID,
    deficits: str = "fixed",
    start: str = "in-force-2025",
    data_dir: Any = None,
    progress: ProgressCallback | None = None,
) -> EscalationResult:
    """Solve the escalation game on ``baseline`` (a :class:`tradewar.data.Baseline`, or anything
    with ``.economy``; ``.dataset``, ``.year``… are used when present).

    Parameters
    ----------
    leader, target : str
        Economy codes of the baseline.
    threat : float
        Points the leader (and each ally) adds on the target's goods if it carries out the
        threat (fraction: 1.45 = +145 points); > 0.
    demand : None | "default" | built-in name | TOML path | Scenario
        The concession asked of the target. Default: :func:`default_demand` (the target cuts its
        tariffs on the leader's goods to the MFN level). Its starting point is the status quo.
    allies : list of str
        Economy codes or bloc names (acting as one) joining the threat.
    retaliation : {"none", "mirror", "optimal"}
        The target's answer to a carried-out threat. ``optimal`` solves a best response per
        war (about 10 s each on the g14 regions).
    capitulation_cost, audience_cost : float
        ``d`` and ``c`` (% of real income, >= 0) of the headline outcome.
    threats, d_grid, c_grid : lists of float
        Grids of threat levels (the headline threat is added), of ``d`` and of ``c``.
    deficits : {"fixed", "proportional"}
        Deficit closure of the war equilibria (the demand keeps its own closure; with deficit
        changes it is ``given``).
    start : {"in-force-2025", "baseline"}
        Starting point of the default demand (a given demand carries its own).
    progress : callable, optional
        ``progress(done, total)`` after each war for ``optimal`` retaliation.

    Raises
    ------
    UserInputError
        Unknown codes, the leader as target or ally, a threat that is not a positive number, a
        negative cost, an unknown option, a demand that is not a concession.
    NonConvergenceError
        An equilibrium did not converge.
    """
    begin = time.perf_counter()
    check_choice("retaliation", retaliation, RETALIATION_CHOICES)
    check_choice("deficits", deficits, ("fixed", "proportional"))
    check_choice("start", start, ("in-force-2025", "baseline"))
    economy0: Economy = baseline.economy
    ld, tg = economy0.index_of(leader), economy0.index_of(target)
    if ld == tg:
        raise UserInputError(f"leader and target are both {leader}; allowed: two different economies")
    threat = _number("threat", threat, lower=0.0, strict=True,
                     allowed="a positive number of points as a fraction (1.45 = +145 points)")
    d = _number("capitulation cost", capitulation_cost, lower=0.0,
                allowed="a number >= 0 (% of real income)")
    c = _number("audience cost", audience_cost, lower=0.0, allowed="a number >= 0 (% of real income)")
    grid_t = _grid("threats", threats, lower=0.0, strict=True, allowed="positive numbers (fractions)")
    grid_t = tuple(sorted(set(grid_t) | {threat}))
    grid_d = _grid("d_grid", d_grid, lower=0.0, strict=False, allowed="numbers >= 0 (% of real income)")
    grid_c = _grid("c_grid", c_grid, lower=0.0, strict=False, allowed="numbers >= 0 (% of real income)")
    allies = [allies] if isinstance(allies, str) else list(allies)
    groups = ally_groups(economy0, allies, ld, tg)

    scenario, compiled, concession = _demand(demand, baseline, leader, target, start, data_dir)
    economy: Economy = compiled.start_economy
    countries = economy.countries
    goods = goods_mask(economy.sectors)
    if not goods.any():
        goods = np.ones(economy.n_sectors, dtype=bool)

    # the demand
    closure = compiled.closure or deficits
    concede = solve(economy, compiled.steps[-1].tariffs, deficits=closure,
                    deficits_new=compiled.deficits_new)

    # every war, deduplicated, in one batch
    everyone = (ld,) + tuple(e for g in groups for e in g)
    lanes: dict[tuple[float, tuple[int, ...]], int] = {}
    order: list[tuple[float, tuple[int, ...]]] = []

    def lane(t: float, members: tuple[int, ...]) -> tuple[float, tuple[int, ...]]:
        key = (t, tuple(sorted(members)))
        if key not in lanes:
            lanes[key] = len(order)
            order.append(key)
        return key

    keys_all = [lane(t, everyone) for t in grid_t]
    keys_alone = [lane(t, (ld,)) for t in grid_t]
    keys_ally = {a: lane(threat, (ld,) + g) for a, g in zip(allies, groups, strict=True)}
    tariffs = []
    for k, (t, members) in enumerate(order):
        tau = _war_tariffs(economy, t, members, tg, goods, retaliation)
        if retaliation == "optimal":
            from ._optimal import optimal_retaliation

            tau = optimal_retaliation(economy, tau, target, [countries[m] for m in members],
                                      by="uniform", sectors=goods, deficits=deficits)
            if progress is not None:
                progress(k + 1, len(order))
        tariffs.append(tau)
    eqs = solve_batch(economy, np.stack(tariffs), deficits=deficits)
    for (t, members), eq in zip(order, eqs, strict=True):
        _raise_if_failed(eq, f"the war with +{100 * t:g} points by "
                         + " + ".join(countries[m] for m in members))

    def outcome(key: tuple[float, tuple[int, ...]]) -> WarOutcome:
        eq = eqs[lanes[key]]
        w = eq.welfare_pct
        names = tuple(countries[m] for m in key[1])
        return WarOutcome(threat=key[0], threateners=names, leader_pct=float(w[ld]),
                          target_pct=float(w[tg]),
                          welfare_pct={n: float(v) for n, v in zip(countries, w, strict=True)},
                          iterations=eq.diagnostics.iterations,
                          max_residual=eq.diagnostics.max_residual)

    wconcede = concede.welfare_pct
    info = {key: getattr(baseline, key, None) for key in ("dataset", "year", "elasticity", "regions")}
    notes = list(compiled.notes) + [
        f"status quo: the starting point of the demand ({compiled.starting_tariffs}); every "
        "payoff is a change from it",
        f"threat: {' + '.join((leader,) + tuple(allies))} add the threat on {target}'s goods "
        f"sectors; retaliation '{retaliation}'; war equilibria with deficits '{deficits}', the "
        f"demand with closure '{closure}'",
    ]
    if len(scenario.step) > 1:
        notes.append(f"demand {scenario.name!r} is a ladder: its last step is the concession")
    demand_info = {
        "name": scenario.name,
        "description": " ".join(scenario.description.split()),
        "source": scenario.source or ("default_demand" if demand is None or str(demand).strip().lower() in ("", "default") else "python"),
        "tariff_change_points": concession.tariff_change_points,
        "deficit_change_musd": concession.deficit_change_musd,
        "closure": closure,
    }
    return EscalationResult(
        leader=leader, target=target, threat=threat, allies=tuple(allies), demand=demand_info,
        retaliation=retaliation, capitulation_cost_pct=d, audience_cost_pct=c,
        concede_leader_pct=float(wconcede[ld]), concede_target_pct=float(wconcede[tg]),
        concede_welfare_pct={n: float(v) for n, v in zip(countries, wconcede, strict=True)},
        threats=grid_t, war=tuple(outcome(k) for k in keys_all),
        war_alone=tuple(outcome(k) for k in keys_alone),
        war_by_ally={a: outcome(k) for a, k in keys_ally.items()},
        d_grid=grid_d, c_grid=grid_c, deficits=deficits, start=compiled.starting_tariffs,
        info=info, notes=tuple(dict.fromkeys(notes)), solves=len(order) + 1,
        seconds=time.perf_counter() - begin)


def _raise_if_failed(eq: Equilibrium, what: str) -> None:
    diag = eq.diagnostics
    if not diag.converged:
        raise NonConvergenceError(
            f"equilibrium did not converge for {what} after {diag.iterations} iterations "
            f"(largest residual {diag.max_residual:.2e}); {diag.message or 'try a smaller threat'}",
            diagnostics=diag)
