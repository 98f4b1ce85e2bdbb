"""The escalation game as pure functions of payoffs (backward induction, no solves).

See the package docstring (:mod:`tradewar.analysis.escalation`) for the game tree and the
break-even cost of capitulation ``d*``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np

from ...errors import UserInputError

Outcome = Literal["concede", "resist_war", "resist_back_down"]
#: The three outcomes, in the order of their codes (0, 1, 2) in grids and charts.
OUTCOMES: tuple[str, ...] = get_args(Outcome)


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
