"""Baseline options shared by every command that runs the model."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import check_choice
from ..options import DATASETS, ELASTICITY_SETS

if TYPE_CHECKING:
    from ..data import Baseline

DatasetOption = Annotated[str, typer.Option("--dataset", help=f"Source data: {', '.join(DATASETS)}.")]
YearOption = Annotated[int | None, typer.Option("--year", help="Year (default: the latest of the dataset).",
                                                show_default=False)]
ElasticityOption = Annotated[str, typer.Option("--elasticity", help=f"Trade elasticities: {', '.join(ELASTICITY_SETS)}.")]
RegionsOption = Annotated[str | None, typer.Option(
    "--regions", help="Aggregate to regions: 'g14', 'blocs' or a TOML file of your own.", show_default=False)]


HorizonOption = Annotated[str, typer.Option(
    "--horizon", help="short (about one year: every theta x 0.38, Boehm-Levchenko-Pandalai-Nayar "
    "2023) or long (the elasticity set as published).")]

LabourSupplyOption = Annotated[float, typer.Option(
    "--labour-supply", help="Elasticity of employment to the real wage (0-10; 0 = fixed employment, "
    "ILMS 2025 use 0.5): tables and JSON then add employment_pct and welfare_utility_pct.")]


def check_labour_supply_option(value: float) -> float:
    """``--labour-supply`` as a float in [0, 10]; else UserInputError naming the option (exit 2)."""
    from ..errors import InvalidArrayError, UserInputError
    from ..model import check_labour_supply

    try:
        return check_labour_supply(value)
    except InvalidArrayError as exc:
        raise UserInputError(f"--labour-supply: {exc}") from None


def check_baseline_options(dataset: str, elasticity: str) -> None:
    """Refuse an unknown dataset or elasticity set (message lists the allowed values)."""
    check_choice("dataset", dataset, DATASETS)
    check_choice("elasticity set", elasticity, ELASTICITY_SETS)


def baseline_from_options(dataset: str, year: int | None, elasticity: str, regions: str | None,
                          data_dir: Path | None, horizon: str = "long") -> Baseline:
    """Validate the options (messages list the allowed values) and load the baseline, with the
    trade elasticities of ``horizon`` (``short`` | ``long``)."""
    from ..data import load_baseline, with_horizon
    from ..errors import check_choice
    from ..options import HORIZONS

    check_baseline_options(dataset, elasticity)
    check_choice("horizon", horizon, HORIZONS)
    return with_horizon(load_baseline(dataset, year, elasticity, regions=regions, data_dir=data_dir),
                        horizon)
