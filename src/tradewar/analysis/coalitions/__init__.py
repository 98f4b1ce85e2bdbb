"""Coalitions against a target: leverage, Shapley values, stability and US reliability.

A *leader* (always a member) and a coalition ``S`` of *allies* each add ``tariff`` points on
the *target*'s goods; the target answers (``retaliation``): ``none``; ``mirror`` (the same
points on each member's goods); or ``optimal`` (its best response against the members,
:func:`tradewar.analysis.optimal_retaliation`). The leader may tariff the allies
(``us_tariffs_on_allies``, e.g. its 2025 tariffs of the built-in scenario ``america-first``);
members are promised relief from them, a promise kept with probability ``p`` (reliability).

Definitions (docs/coalitions.md has the reading):

* **Status quo**: the tariffs in force on 2025-01-01 plus the leader's tariffs on *every*
  ally, no coalition. Every change below is measured from it (the economy of the game is this
  equilibrium), in % of real income and in millions of USD ``(I_hat / P_hat - 1) I``.
* **Worlds**: coalition ``S`` with relief (members' tariffs from the leader back to the
  start) and without. A country's **payoff** in ``S`` is the expected welfare
  ``p W(S, relief) + (1 - p) W(S, no relief)``.
* **Target loss** ``L_t(S)``: minus the target's expected real-income change (USD).
  **Coalition loss** ``L_c(S)``: minus the summed expected changes of the leader and the
  members. **Leverage** = ``L_t / L_c`` when ``L_c > 0``; when the coalition loses nothing
  (``L_c <= 0``) the ratio is not a price: leverage is ``inf`` (``nan`` if the target does
  not lose either), ``null`` in JSON, and ``coalition_gains`` is true.
* **Shapley value** of ally ``k``: its average marginal contribution to ``L_t`` over all
  orders in which the allies join (the leader is always in); they sum to
  ``L_t(all allies) - L_t(leader alone)`` (efficiency).
* **Stable coalition** (d'Aspremont et al. 1983): no member gains by leaving (its payoff in
  ``S`` is at least its payoff in ``S - {k}``) and no outsider gains by joining.
* **Least reliability** of ally ``k``: the smallest ``p`` in [0, 1] at which its payoff in
  the grand coalition is at least its payoff in the grand coalition without it. Both payoffs
  are linear in ``p``, so it is found exactly; ``None`` if no ``p`` makes it stay.

The package: ``spec`` (the compiled game and option values), ``compile`` (validation and
compilation), ``game`` (pure game theory), ``model`` (world tariffs and solves), ``results``
(:class:`CoalitionResult`), ``analysis`` (orchestration through the run layer).

References
----------
d'Aspremont, C., A. Jacquemin, J. J. Gabszewicz and J. A. Weymark (1983), "On the stability
of collusive price leadership", *Canadian Journal of Economics* 16(1).
Shapley, L. S. (1953), "A value for n-person games", *Contributions to the Theory of Games* II.
Caliendo, L. and F. Parro (2015), *Review of Economic Studies* 82(1).
"""

from ...options import Retaliation
from .analysis import check_size, coalition_analysis, seconds_per_coalition
from .compile import ally_groups, coalition_game
from .game import STABILITY_TOL, leverage, min_reliability, shapley_values, stable_coalitions
from .model import (
    BATCH,
    CHUNK,
    WorldsJob,
    answer_tariffs,
    solve_kwargs,
    solve_worlds,
    world_tariffs,
    worlds,
)
from .results import (
    COALITION_JSON_KEYS,
    COALITION_ROW_KEYS,
    COALITION_TABLE_COLUMNS,
    DEFINITIONS,
    RELIABILITY_GRID,
    CoalitionResult,
)
from .spec import (
    COALITION_PRESETS,
    DEFAULT_ALLIES,
    MAX_ALLIES,
    RETALIATION_CHOICES,
    CoalitionGame,
    status_quo,
)

__all__ = [
    "BATCH",
    "CHUNK",
    "COALITION_JSON_KEYS",
    "COALITION_PRESETS",
    "COALITION_ROW_KEYS",
    "COALITION_TABLE_COLUMNS",
    "DEFAULT_ALLIES",
    "DEFINITIONS",
    "MAX_ALLIES",
    "RELIABILITY_GRID",
    "RETALIATION_CHOICES",
    "STABILITY_TOL",
    "CoalitionGame",
    "CoalitionResult",
    "Retaliation",
    "WorldsJob",
    "ally_groups",
    "answer_tariffs",
    "check_size",
    "coalition_analysis",
    "coalition_game",
    "leverage",
    "min_reliability",
    "seconds_per_coalition",
    "shapley_values",
    "solve_kwargs",
    "solve_worlds",
    "stable_coalitions",
    "status_quo",
    "world_tariffs",
    "worlds",
]
