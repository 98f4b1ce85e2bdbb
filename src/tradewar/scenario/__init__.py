"""Scenarios: validated, declarative descriptions of policy changes (layer ``scenario``).

A scenario (TOML file or Python objects, one schema) lists tariff actions, agreements,
coalitions, deficit changes, a retaliation rule and optionally a dated ladder of steps.
:func:`run_scenario` compiles it on a baseline and solves one equilibrium per step.

>>> from tradewar.scenario import builtin_scenario, run_scenario      # doctest: +SKIP
>>> result = run_scenario(baseline, builtin_scenario("us-china-april-11"))  # doctest: +SKIP
>>> result.to_json()["countries"]["USA"]["welfare_pct"]                # doctest: +SKIP
"""

from ._compile import (
    CompiledScenario,
    CompiledStep,
    RetaliationContext,
    compile_tariffs,
    register_retaliation_rule,
)
from ._load import (
    builtin_names,
    builtin_scenario,
    load_scenario,
    resolve_scenario,
    scenario_from_dict,
    scenario_from_toml,
)
from ._run import ScenarioResult, run_scenario
from ._schema import Agreement, Coalition, DeficitChange, Scenario, Step, TariffAction

__all__ = [
    "Agreement",
    "Coalition",
    "CompiledScenario",
    "CompiledStep",
    "DeficitChange",
    "RetaliationContext",
    "Scenario",
    "ScenarioResult",
    "Step",
    "TariffAction",
    "builtin_names",
    "builtin_scenario",
    "compile_tariffs",
    "load_scenario",
    "register_retaliation_rule",
    "resolve_scenario",
    "run_scenario",
    "scenario_from_dict",
    "scenario_from_toml",
]
