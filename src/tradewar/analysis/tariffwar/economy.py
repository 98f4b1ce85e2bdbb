"""The economy exactly as tariffwar prepares it (:func:`tariffwar_economy`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...data import default_data_dir, read_cube
from ...errors import check_choice
from ...model import Economy, economy_from_io
from ...options import ELASTICITY_SETS


def tariffwar_economy(dataset: str = "wiod", year: int = 2014, elasticity: str = "IS", *,
                      data_dir: str | Path | None = None) -> Economy:
    """The economy exactly as tariffwar prepares it (before its deficit purge).

    Flows (millions USD) of the cube are tariffwar's tariff-inclusive spending X; producer-price
    flows are ``X / (1 + t)``; value-added share 1, no intermediate inputs; final-demand shares
    are spending shares; deficits as in the flows.
    """
    check_choice("elasticity set", elasticity, ELASTICITY_SETS)
    cube = read_cube(data_dir or default_data_dir(), dataset, year)
    spending = np.array(cube.flows, copy=True)
    n, j = spending.shape[0], spending.shape[2]
    if dataset == "icio":
        idx = np.arange(n)
        spending[idx, idx, :] += 1.0
    tariffs = np.array(cube.tariffs, copy=True)
    flows = spending / (1.0 + tariffs)
    return economy_from_io(cube.countries, cube.sectors, flows, tariffs, cube.elasticities[elasticity],
                           np.ones((n, j)), np.zeros((n, j, j)),
                           notes=(f"tariffwar configuration of {dataset} {year} ({elasticity})",))
