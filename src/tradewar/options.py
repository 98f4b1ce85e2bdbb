"""Every option value of tradewar as a ``Literal`` type, in one place.

Validated at the boundary (CLI, scenario schema, web API) with
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

#: Horizon of a counterfactual: ``long`` (the elasticity set as published, long-run) or
#: ``short`` (about one year: θ scaled by Boehm–Levchenko–Pandalai-Nayar's 0.76 / 2.0;
#: :func:`tradewar.data.with_horizon`).
Horizon = Literal["short", "long"]
HORIZONS: tuple[str, ...] = get_args(Horizon)
