"""Baseline options shared by every command that runs the model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..data import Baseline, load_baseline
from ..errors import check_choice
from ..options import DATASETS, ELASTICITY_SETS

DatasetOption = Annotated[str, typer.Option("--dataset", help=f"Source data: {', '.join(DATASETS)}.")]
YearOption = Annotated[int | None, typer.Option("--year", help="Year (default: the latest of the dataset).",
                                                show_default=False)]
ElasticityOption = Annotated[str, typer.Option("--elasticity", help=f"Trade elasticities: {', '.join(ELASTICITY_SETS)}.")]
RegionsOption = Annotated[str | None, typer.Option(
    "--regions", help="Aggregate to regions: 'g14', 'blocs' or a TOML file of your own.", show_default=False)]


def baseline_from_options(dataset: str, year: int | None, elasticity: str, regions: str | None,
                          data_dir: Path | None) -> Baseline:
    """Validate the options (messages list the allowed values) and load the baseline."""
    check_choice("dataset", dataset, DATASETS)
    check_choice("elasticity set", elasticity, ELASTICITY_SETS)
    return load_baseline(dataset, year, elasticity, regions=regions, data_dir=data_dir)
