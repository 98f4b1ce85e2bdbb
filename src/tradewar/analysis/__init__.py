"""Analyses built on the baseline and on repeated solves (exposure, strategy, coalitions…)."""

from ._escalation import (
    ESCALATION_JSON_KEYS,
    EscalationResult,
    GameSolution,
    WarOutcome,
    break_even,
    check_concession,
    default_demand,
    escalation_game,
    solve_game,
)
from ._exposure import (
    EXPOSURE_COLUMNS,
    TrueSplitComparison,
    exposure_series,
    exposure_table,
    true_split_value_added_absorbed,
    value_added_absorbed,
)
from ._nash import NASH_BY, NASH_METHODS, NashResult, nash_tariffs
from ._optimal import (
    OPTIMAL_BY,
    OptimalTariffResult,
    lashkaripour_optimal_tariff,
    optimal_retaliation,
    optimal_retaliation_rule,
    optimal_tariffs,
)
from ._talks import TALKS_METHODS, TalksResult, trade_talks
from ._tariffwar import ClosedFormNash, closed_form_nash, tariffwar_economy

__all__ = [
    "ESCALATION_JSON_KEYS",
    "EscalationResult",
    "GameSolution",
    "WarOutcome",
    "break_even",
    "check_concession",
    "default_demand",
    "escalation_game",
    "solve_game",
    "EXPOSURE_COLUMNS",
    "NASH_BY",
    "NASH_METHODS",
    "OPTIMAL_BY",
    "TALKS_METHODS",
    "ClosedFormNash",
    "NashResult",
    "OptimalTariffResult",
    "TalksResult",
    "TrueSplitComparison",
    "closed_form_nash",
    "exposure_series",
    "exposure_table",
    "lashkaripour_optimal_tariff",
    "nash_tariffs",
    "optimal_retaliation",
    "optimal_retaliation_rule",
    "optimal_tariffs",
    "tariffwar_economy",
    "trade_talks",
    "true_split_value_added_absorbed",
    "value_added_absorbed",
]
