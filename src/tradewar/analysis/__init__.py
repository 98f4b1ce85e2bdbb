"""Analyses built on the baseline and on repeated solves (exposure, strategy, coalitions…).

Each analysis is a small package with the same skeleton (pure maths, solves, a frozen result
with ``tables()``): ``exposure``, ``optimal``, ``nash``, ``talks``, ``tariffwar``,
``coalitions``, ``escalation``, ``uncertainty``, ``validation``, ``gravity`` (PPML estimates);
``start`` is the shared
starting point. This curated namespace is the public API; names load lazily (importing
``tradewar.analysis`` does not import JAX or SciPy until an analysis is used).

Importing it registers the scenario retaliation rule ``"optimal"`` (a best response, computed
here, above the scenario language) with :func:`tradewar.scenario.register_retaliation_rule`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..scenario import register_retaliation_rule

if TYPE_CHECKING:
    from .coalitions import (
        COALITION_JSON_KEYS,
        COALITION_PRESETS,
        DEFAULT_ALLIES,
        MAX_ALLIES,
        CoalitionGame,
        CoalitionResult,
        ally_groups,
        coalition_analysis,
        coalition_game,
        leverage,
        min_reliability,
        shapley_values,
        stable_coalitions,
        world_tariffs,
        worlds,
    )
    from .escalation import (
        DEFAULT_AUDIENCE_COST,
        DEFAULT_CAPITULATION_COST,
        ESCALATION_JSON_KEYS,
        OUTCOMES,
        RETALIATION_CHOICES,
        EscalationResult,
        GameSolution,
        WarOutcome,
        break_even,
        check_concession,
        default_demand,
        escalation_game,
        outcome_codes,
        solve_game,
    )
    from .exposure import (
        EXPOSURE_COLUMNS,
        ExposureResult,
        TrueSplitComparison,
        exposure_map,
        exposure_series,
        exposure_table,
        true_split_value_added_absorbed,
        value_added_absorbed,
    )
    from .gravity import GravityEstimate, deep_agreement_effect, estimate_gravity
    from .nash import (
        NASH_BY,
        NASH_METHODS,
        NashResult,
        nash_tariffs,
    )
    from .optimal import (
        OPTIMAL_BY,
        OptimalTariffResult,
        lashkaripour_optimal_tariff,
        optimal_retaliation,
        optimal_retaliation_rule,
        optimal_tariffs,
    )
    from .start import (
        StartPoint,
        start_point,
    )
    from .talks import (
        TALKS_METHODS,
        TalksResult,
        trade_talks,
    )
    from .tariffwar import (
        ClosedFormNash,
        closed_form_nash,
        tariffwar_economy,
    )
    from .uncertainty import (
        SIGMA,
        SWEEP_JSON_KEYS,
        Draw,
        SweepResult,
        elasticity_draws,
        sweep,
    )
    from .validation import (
        NAFTA,
        NaftaReproduction,
        cp2015_nafta,
        max_gap_to_published,
    )

#: Public name -> the subpackage that defines it.
_WHERE: dict[str, str] = {
    "COALITION_JSON_KEYS": "coalitions",
    "COALITION_PRESETS": "coalitions",
    "DEFAULT_ALLIES": "coalitions",
    "MAX_ALLIES": "coalitions",
    "CoalitionGame": "coalitions",
    "CoalitionResult": "coalitions",
    "coalition_analysis": "coalitions",
    "coalition_game": "coalitions",
    "leverage": "coalitions",
    "min_reliability": "coalitions",
    "shapley_values": "coalitions",
    "stable_coalitions": "coalitions",
    "world_tariffs": "coalitions",
    "worlds": "coalitions",
    "ally_groups": "coalitions",
    "StartPoint": "start",
    "start_point": "start",
    "ESCALATION_JSON_KEYS": "escalation",
    "DEFAULT_AUDIENCE_COST": "escalation",
    "DEFAULT_CAPITULATION_COST": "escalation",
    "RETALIATION_CHOICES": "escalation",
    "OUTCOMES": "escalation",
    "EscalationResult": "escalation",
    "GameSolution": "escalation",
    "WarOutcome": "escalation",
    "break_even": "escalation",
    "check_concession": "escalation",
    "default_demand": "escalation",
    "escalation_game": "escalation",
    "outcome_codes": "escalation",
    "solve_game": "escalation",
    "EXPOSURE_COLUMNS": "exposure",
    "ExposureResult": "exposure",
    "TrueSplitComparison": "exposure",
    "exposure_map": "exposure",
    "exposure_series": "exposure",
    "exposure_table": "exposure",
    "true_split_value_added_absorbed": "exposure",
    "value_added_absorbed": "exposure",
    "NASH_BY": "nash",
    "NASH_METHODS": "nash",
    "NashResult": "nash",
    "nash_tariffs": "nash",
    "OPTIMAL_BY": "optimal",
    "OptimalTariffResult": "optimal",
    "lashkaripour_optimal_tariff": "optimal",
    "optimal_retaliation": "optimal",
    "optimal_retaliation_rule": "optimal",
    "optimal_tariffs": "optimal",
    "TALKS_METHODS": "talks",
    "TalksResult": "talks",
    "trade_talks": "talks",
    "ClosedFormNash": "tariffwar",
    "closed_form_nash": "tariffwar",
    "tariffwar_economy": "tariffwar",
    "SIGMA": "uncertainty",
    "SWEEP_JSON_KEYS": "uncertainty",
    "Draw": "uncertainty",
    "SweepResult": "uncertainty",
    "elasticity_draws": "uncertainty",
    "sweep": "uncertainty",
    "NAFTA": "validation",
    "NaftaReproduction": "validation",
    "cp2015_nafta": "validation",
    "max_gap_to_published": "validation",
    "GravityEstimate": "gravity",
    "deep_agreement_effect": "gravity",
    "estimate_gravity": "gravity",
}

__all__ = [
    "GravityEstimate",
    "deep_agreement_effect",
    "estimate_gravity",
    "COALITION_JSON_KEYS",
    "COALITION_PRESETS",
    "DEFAULT_ALLIES",
    "MAX_ALLIES",
    "CoalitionGame",
    "CoalitionResult",
    "coalition_analysis",
    "coalition_game",
    "leverage",
    "min_reliability",
    "shapley_values",
    "stable_coalitions",
    "world_tariffs",
    "worlds",
    "ally_groups",
    "StartPoint",
    "start_point",
    "ESCALATION_JSON_KEYS",
    "DEFAULT_AUDIENCE_COST",
    "DEFAULT_CAPITULATION_COST",
    "RETALIATION_CHOICES",
    "OUTCOMES",
    "EscalationResult",
    "GameSolution",
    "WarOutcome",
    "break_even",
    "check_concession",
    "default_demand",
    "escalation_game",
    "outcome_codes",
    "solve_game",
    "EXPOSURE_COLUMNS",
    "ExposureResult",
    "TrueSplitComparison",
    "exposure_map",
    "exposure_series",
    "exposure_table",
    "true_split_value_added_absorbed",
    "value_added_absorbed",
    "NASH_BY",
    "NASH_METHODS",
    "NashResult",
    "nash_tariffs",
    "OPTIMAL_BY",
    "OptimalTariffResult",
    "lashkaripour_optimal_tariff",
    "optimal_retaliation",
    "optimal_retaliation_rule",
    "optimal_tariffs",
    "TALKS_METHODS",
    "TalksResult",
    "trade_talks",
    "ClosedFormNash",
    "closed_form_nash",
    "tariffwar_economy",
    "SIGMA",
    "SWEEP_JSON_KEYS",
    "Draw",
    "SweepResult",
    "elasticity_draws",
    "sweep",
    "NAFTA",
    "NaftaReproduction",
    "cp2015_nafta",
    "max_gap_to_published",
]


def _optimal_rule(context: Any) -> Any:
    """The ``"optimal"`` retaliation rule, loaded when first applied."""
    from .optimal import optimal_retaliation_rule

    return optimal_retaliation_rule(context)


register_retaliation_rule("optimal", _optimal_rule)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'tradewar.analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
