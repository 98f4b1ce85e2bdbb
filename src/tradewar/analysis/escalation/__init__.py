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
  threateners, :func:`tradewar.analysis.optimal_retaliation`). Deficits ``fixed``.
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

The package: ``spec`` (options and their checks), ``game`` (pure backward induction),
``demand`` (the concession, checked on compiled arrays), ``model`` (war tariffs and the solves;
new kinds of threat go in :func:`~tradewar.analysis.escalation.model.war_tariffs`), ``results``
(:class:`EscalationResult`).
"""

from ...options import Retaliation
from .demand import Concession, Demand, check_concession, default_demand, resolve_demand
from .game import OUTCOMES, GameSolution, Outcome, break_even, outcome_codes, solve_game
from .model import escalation_game, war_export_controls, war_tariffs
from .results import BY_THREAT_KEYS, DEFINITIONS, ESCALATION_JSON_KEYS, EscalationResult, WarOutcome
from .spec import (
    DEFAULT_AUDIENCE_COST,
    DEFAULT_C_GRID,
    DEFAULT_CAPITULATION_COST,
    DEFAULT_CONTROL_SECTORS,
    DEFAULT_D_GRID,
    DEFAULT_THREATS,
    RESIST_WITH_CHOICES,
    RETALIATION_CHOICES,
    ResistWith,
)

__all__ = [
    "BY_THREAT_KEYS",
    "DEFAULT_AUDIENCE_COST",
    "DEFAULT_CAPITULATION_COST",
    "DEFAULT_CONTROL_SECTORS",
    "DEFAULT_C_GRID",
    "DEFAULT_D_GRID",
    "DEFAULT_THREATS",
    "DEFINITIONS",
    "ESCALATION_JSON_KEYS",
    "OUTCOMES",
    "RESIST_WITH_CHOICES",
    "RETALIATION_CHOICES",
    "Concession",
    "Demand",
    "EscalationResult",
    "GameSolution",
    "Outcome",
    "ResistWith",
    "Retaliation",
    "WarOutcome",
    "break_even",
    "check_concession",
    "default_demand",
    "escalation_game",
    "outcome_codes",
    "resolve_demand",
    "solve_game",
    "war_export_controls",
    "war_tariffs",
]
