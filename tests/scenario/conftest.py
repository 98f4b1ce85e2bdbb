"""Fixtures of the scenario tests: a stand-in baseline (a synthetic economy with real codes, for
the compile/run logic only) and the data directory (for the tariff layers)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tradewar.testing import random_economy

COUNTRIES = ("USA", "CHN", "DEU", "FRA", "JPN", "KOR", "IND", "VNM", "GBR", "CAN", "MEX", "AUS",
             "BRA", "ROW")
SECTORS = ("A01", "B06", "C10T12", "C26", "C29", "SERV")


@dataclasses.dataclass(frozen=True)
class StandIn:
    """The attributes of :class:`tradewar.data.Baseline` that the scenario layer reads."""

    economy: Any
    dataset: str = "icio"
    year: int | None = 2022
    elasticity: str = "IS"
    regions: str | None = None
    sector_labels: dict[str, str] = dataclasses.field(default_factory=dict)
    adjustments: tuple[Any, ...] = ()
    gdp_musd: Any = None


def make_standin(countries: tuple[str, ...] = COUNTRIES, sectors: tuple[str, ...] = SECTORS,
                 seed: int = 3, **kwargs: Any) -> StandIn:
    economy = random_economy(len(countries), len(sectors), seed=seed)
    economy = dataclasses.replace(economy, countries=countries, sectors=sectors)
    return StandIn(economy=economy, gdp_musd=np.asarray(economy.value_added), **kwargs)


@pytest.fixture
def standin() -> StandIn:
    return make_standin()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    from tradewar.data._paths import default_data_dir

    path = default_data_dir()
    assert (path / "tariffs2025" / "country-by-time.csv").is_file(), f"tariffs2025/ missing in {path}"
    return path
