"""Scenarios: validated, declarative descriptions of policy changes (layer ``scenario``).

A scenario (TOML file or Python objects, one schema) lists tariff actions, agreements (tariff-only
or deep), non-tariff trade-cost changes, export taxes and controls, coalitions, deficit changes,
a retaliation rule and optionally a dated ladder of steps.
:func:`run_scenario` compiles it on a baseline and solves one equilibrium per step.

The tariff algebra (:func:`select_economies`, :func:`select_sectors`, :func:`add_points`,
:func:`set_rates`, :func:`mirror`, :func:`agree`, :func:`starting_point`) is the one place
where a tariff action's meaning is written; the compiler and every analysis use it.

>>> from tradewar.scenario import builtin_scenario, run_scenario      # doctest: +SKIP
>>> result = run_scenario(baseline, builtin_scenario("us-china-april-11"))  # doctest: +SKIP
>>> result.to_json()["countries"]["USA"]["welfare_pct"]                # doctest: +SKIP
"""

from ._algebra import (
    ALL,
    EconomySelection,
    SectorSpec,
    add_points,
    agree,
    allowed_names,
    economy_mask,
    expand_name,
    first_invalid,
    mirror,
    select_economies,
    select_sectors,
    set_rates,
)
from ._compile import CompiledScenario, CompiledStep, compile_tariffs
from ._layers import LayerQuotes, layer_rates
from ._load import (
    builtin_names,
    builtin_scenario,
    load_scenario,
    resolve_scenario,
    scenario_from_dict,
    scenario_from_toml,
)
from ._messages import describe_error
from ._nontariff import (
    DEEP_AGREEMENT_EFFECT,
    DEEP_AGREEMENT_SOURCE,
    NonTariffArrays,
    ban_exports,
    deep_agreement_factor,
    deep_trade_costs,
    scale_trade_costs,
    set_export_tax,
)
from ._retaliation import (
    RetaliationContext,
    RetaliationRule,
    register_retaliation_rule,
    registered_rule,
)
from ._run import (
    BILATERAL_KEYS,
    COUNTRY_KEYS,
    EMPLOYMENT_KEYS,
    SECTOR_KEYS,
    SOLVER_KEYS,
    ScenarioResult,
    run_scenario,
)
from ._schema import (
    Agreement,
    Coalition,
    DeficitChange,
    ExistingAgreement,
    ExportTaxAction,
    Scenario,
    Step,
    TariffAction,
    TradeCostAction,
)
from ._start import StartingPoint, recalibrated_economy, starting_point

__all__ = [
    "BILATERAL_KEYS",
    "COUNTRY_KEYS",
    "EMPLOYMENT_KEYS",
    "SECTOR_KEYS",
    "SOLVER_KEYS",
    "ALL",
    "DEEP_AGREEMENT_EFFECT",
    "DEEP_AGREEMENT_SOURCE",
    "ExistingAgreement",
    "ExportTaxAction",
    "NonTariffArrays",
    "TradeCostAction",
    "ban_exports",
    "deep_agreement_factor",
    "deep_trade_costs",
    "scale_trade_costs",
    "set_export_tax",
    "Agreement",
    "Coalition",
    "CompiledScenario",
    "CompiledStep",
    "DeficitChange",
    "EconomySelection",
    "LayerQuotes",
    "RetaliationContext",
    "RetaliationRule",
    "Scenario",
    "ScenarioResult",
    "SectorSpec",
    "StartingPoint",
    "Step",
    "TariffAction",
    "add_points",
    "agree",
    "allowed_names",
    "builtin_names",
    "builtin_scenario",
    "compile_tariffs",
    "describe_error",
    "economy_mask",
    "expand_name",
    "first_invalid",
    "layer_rates",
    "load_scenario",
    "mirror",
    "recalibrated_economy",
    "register_retaliation_rule",
    "registered_rule",
    "resolve_scenario",
    "run_scenario",
    "scenario_from_dict",
    "scenario_from_toml",
    "select_economies",
    "select_sectors",
    "set_rates",
    "starting_point",
]
