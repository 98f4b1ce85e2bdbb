"""ILMS (2025) as a named configuration: Ignatenko, Lashkaripour, Macedoni & Simonovska,
"Making America Great Again? The Economic Impacts of Liberation Day Tariffs", JIE 157 (2025).

The one-sector model with endogenous labour supply (κ), scale economies (ψ), flexible tariff
pass-through (φ), the buyer's share of value added (ν) and deficits fixed as a share of world
GDP, calibrated to their 194-economy data (:func:`calibrate`), solved on tradewar's engine as a
configuration of it (:func:`engine_economy` + :func:`engine_options` -> :func:`tradewar.model.solve`;
:func:`solve_ilms`), with their scenarios (:mod:`._scenarios`) and their published tables
(:func:`reproduce_ilms2025`).
See docs/model.md ("ILMS configuration") and docs/validation.md.
"""

from ._model import (
    ILMS_REVENUE,
    ILMS_STRUCTURES,
    IlmsEconomy,
    IlmsEquilibrium,
    IlmsOptions,
    calibrate,
    engine_economy,
    engine_options,
    passthrough,
    solve_ilms,
)
from ._reproduce import (
    ILMS_FEDERAL_BUDGET_SHARE,
    ILMS_PUBLISHED,
    KNOWN_DIFFERENCES,
    UNBALANCED_TRANSFERS,
    Ilms2025Reproduction,
    authors_balanced_transfers,
    balanced_transfers,
    reproduce_ilms2025,
)
from ._scenarios import (
    LIBERATION_DAY_FLOOR,
    formula_optimal_tariff,
    liberation_day_tariffs,
    numerical_optimal_tariff,
    optimal_retaliation_tariff,
    uniform_tariffs,
    with_optimal_retaliation,
    with_reciprocal_retaliation,
)

__all__ = [
    "ILMS_FEDERAL_BUDGET_SHARE",
    "ILMS_PUBLISHED",
    "ILMS_REVENUE",
    "ILMS_STRUCTURES",
    "KNOWN_DIFFERENCES",
    "UNBALANCED_TRANSFERS",
    "LIBERATION_DAY_FLOOR",
    "Ilms2025Reproduction",
    "IlmsEconomy",
    "IlmsEquilibrium",
    "IlmsOptions",
    "authors_balanced_transfers",
    "balanced_transfers",
    "calibrate",
    "engine_economy",
    "engine_options",
    "formula_optimal_tariff",
    "liberation_day_tariffs",
    "numerical_optimal_tariff",
    "optimal_retaliation_tariff",
    "passthrough",
    "reproduce_ilms2025",
    "solve_ilms",
    "uniform_tariffs",
    "with_optimal_retaliation",
    "with_reciprocal_retaliation",
]
