"""Every option value of tradewar as a ``Literal`` type, in one place.

Each ``Literal`` has a tuple of its values beside it (``get_args``), for CLI choices, web
enums and error messages, so an option is spelled once. Validated at the public entry point
(the CLI, the web API, ``run_scenario``, each analysis) with
:func:`tradewar.errors.check_choice`, which lists the allowed values.
"""

from __future__ import annotations

from typing import Literal, get_args

#: How trade deficits D'[n] are set in a counterfactual (see docs/model.md, "Closures").
#: ``fixed``: D' = D in numeraire units (world value added is the numeraire).
#: ``zero``: Caliendo-Parro's two-step: purge deficits at baseline tariffs, then compare.
#: ``proportional``: each country's expenditure/output ratio fixed (gegravity's E/Y), up to a
#: common factor that keeps the world's deficits summing to zero.
#: ``given``: new deficits supplied by the caller (they must sum to zero).
DeficitClosure = Literal["fixed", "zero", "proportional", "given"]
DEFICIT_CLOSURES: tuple[str, ...] = get_args(DeficitClosure)
#: The closures a user may request without giving new deficits (``given`` needs them).
RequestClosure = Literal["fixed", "zero", "proportional"]
REQUEST_CLOSURES: tuple[str, ...] = get_args(RequestClosure)

Dataset = Literal["icio", "wiod", "wiot2011"]
DATASETS: tuple[str, ...] = get_args(Dataset)

ElasticitySet = Literal["IS", "U4", "CP", "BSY", "GYY", "Shap", "FGO", "LL"]
ELASTICITY_SETS: tuple[str, ...] = get_args(ElasticitySet)

YEARS: dict[str, tuple[int, ...]] = {
    "icio": tuple(range(2011, 2023)),
    "wiod": tuple(range(2000, 2015)),
    "wiot2011": (2011,),
}
DEFAULT_YEAR: dict[str, int] = {"icio": 2022, "wiod": 2014, "wiot2011": 2011}

#: Named region mappings of ``--regions`` (a TOML file is also accepted by the CLI).
RegionsName = Literal["g14", "blocs"]
REGIONS_NAMES: tuple[str, ...] = get_args(RegionsName)

#: Where a scenario (or an analysis) starts: the tariffs in force on 2025-01-01 (the dataset's
#: MFN/preferential tariffs plus the 2018-19 US-China war layer) or the dataset's own.
Start = Literal["in-force-2025", "baseline"]
STARTS: tuple[str, ...] = get_args(Start)

#: A choice of sectors: every sector, or the goods sectors (every sector but services); a
#: list of sector codes is the third form (:data:`tradewar.scenario.SectorSpec`).
SectorChoice = Literal["all", "goods"]
SECTOR_CHOICES: tuple[str, ...] = get_args(SectorChoice)

#: How an economy hit by a tariff answers: ``none``; ``mirror`` (the same points on the
#: importer's goods, sector by sector); ``optimal`` (its best response, computed by the strategy
#: layer ``tradewar.analysis``, which the scenario layer never imports).
Retaliation = Literal["none", "mirror", "optimal"]
RETALIATIONS: tuple[str, ...] = get_args(Retaliation)

#: How a country's optimised import tariffs are parameterised.
OptimalBy = Literal["uniform", "partner", "sector", "partner_sector"]
OPTIMAL_BY: tuple[str, ...] = get_args(OptimalBy)

#: The Nash tariff war: one rate per player (``uniform``) or one per sector.
NashBy = Literal["uniform", "sector"]
NASH_BY: tuple[str, ...] = get_args(NashBy)
NashMethod = Literal["auto", "best_response", "simultaneous", "lashkaripour", "closed_form"]
NASH_METHODS: tuple[str, ...] = get_args(NashMethod)
NashTargets = Literal["all", "players"]
NASH_TARGETS: tuple[str, ...] = get_args(NashTargets)

#: Trade talks: the cooperative rule.
TalksMethod = Literal["equal_gains"]
TALKS_METHODS: tuple[str, ...] = get_args(TalksMethod)

#: Where batches of solves run (the run layer).
Backend = Literal["serial", "processes", "dask"]
BACKENDS: tuple[str, ...] = get_args(Backend)

#: Horizon of a counterfactual: ``long`` (the elasticity set as published, long-run) or
#: ``short`` (about one year: θ scaled by Boehm–Levchenko–Pandalai-Nayar's 0.76 / 2.0;
#: :func:`tradewar.data.with_horizon`).
Horizon = Literal["short", "long"]
HORIZONS: tuple[str, ...] = get_args(Horizon)
#: The horizons a comparison may ask for: one of :data:`Horizon`, or ``both`` (every scenario at
#: the long and the short horizon, side by side: ``tradewar compare --horizon both``).
CompareHorizon = Literal["short", "long", "both"]
COMPARE_HORIZONS: tuple[str, ...] = get_args(CompareHorizon)

#: An agreement's depth: ``tariffs`` (tariffs among members to zero) or ``deep`` (also lower
#: non-tariff trade costs; see tradewar.scenario, [[agreement]] depth).
AgreementDepth = Literal["tariffs", "deep"]
AGREEMENT_DEPTHS: tuple[str, ...] = get_args(AgreementDepth)
#: Who keeps the rents of an export tax: the ``exporter`` (revenue) or nobody (``lost``).
ExportTaxRents = Literal["exporter", "lost"]
EXPORT_TAX_RENTS: tuple[str, ...] = get_args(ExportTaxRents)

#: ILMS (2025) configuration (tradewar.analysis.ilms): what the government does with tariff
#: revenue, and the model's structure (``eaton-kortum``: nu = 0, phi = 1).
IlmsRevenue = Literal["income-tax", "lump-sum"]
ILMS_REVENUE: tuple[str, ...] = get_args(IlmsRevenue)
IlmsStructure = Literal["ilms", "eaton-kortum"]
ILMS_STRUCTURES: tuple[str, ...] = get_args(IlmsStructure)

#: How the target of the escalation game resists a carried-out threat: with tariffs (its
#: retaliation rule), with export controls (a ban of its exports in the control sectors), or both.
ResistWith = Literal["tariffs", "export_controls", "both"]
RESIST_WITH: tuple[str, ...] = get_args(ResistWith)
