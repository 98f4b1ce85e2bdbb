"""The API's response models against the result contract: every key of a real run's JSON
(``ScenarioResult.to_json()``, what ``tradewar run --json`` writes) is documented by the
OpenAPI models, and the models document no key the run does not have."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from tradewar.data import load_baseline
from tradewar.scenario import (
    BILATERAL_KEYS,
    COUNTRY_KEYS,
    EMPLOYMENT_KEYS,
    SECTOR_KEYS,
    SOLVER_KEYS,
    builtin_scenario,
    run_scenario,
)
from tradewar.web._models import (
    BilateralRow,
    CountryResult,
    RunOut,
    SectorRow,
    SolverInfo,
    StepResult,
)


@pytest.fixture(scope="module")
def run_json(data_dir) -> dict[str, Any]:
    baseline = load_baseline("icio", None, "IS", regions="g14", data_dir=data_dir)
    return run_scenario(baseline, builtin_scenario("us-china-ladder-2025"),
                        data_dir=data_dir).to_json()


def fields(model: type[BaseModel]) -> set[str]:
    return set(model.model_fields)


def test_run_model_has_every_top_level_key(run_json) -> None:
    assert fields(RunOut) == set(run_json)


def test_row_models_have_every_key_of_their_tables(run_json) -> None:
    assert all(fields(CountryResult) - set(EMPLOYMENT_KEYS) == set(row) for row in run_json["countries"].values())
    assert run_json["bilateral"] and run_json["sectors"]
    assert all(fields(BilateralRow) == set(row) for row in run_json["bilateral"])
    assert all(fields(SectorRow) == set(row) for row in run_json["sectors"])
    assert fields(SolverInfo) == set(run_json["solver"])
    assert len(run_json["steps"]) > 1
    for step in run_json["steps"]:
        assert fields(StepResult) == set(step)
        assert fields(SolverInfo) == set(step["solver"])


def test_the_models_validate_the_run_unchanged(run_json) -> None:
    assert RunOut.model_validate(run_json).model_dump(exclude_unset=True) == run_json


def test_row_models_are_the_contracts_key_lists() -> None:
    assert list(CountryResult.model_fields) == list(COUNTRY_KEYS) + list(EMPLOYMENT_KEYS)
    assert list(BilateralRow.model_fields) == list(BILATERAL_KEYS)
    assert list(SectorRow.model_fields) == list(SECTOR_KEYS)
    assert set(SOLVER_KEYS) <= set(SolverInfo.model_fields)


def test_elastic_labour_runs_carry_the_employment_keys(data_dir) -> None:
    """With labour_supply > 0 a run has exactly the documented keys plus the employment ones."""
    baseline = load_baseline("icio", None, "IS", regions="g14", data_dir=data_dir)
    elastic = run_scenario(baseline, builtin_scenario("us-china-april-11"), data_dir=data_dir,
                           labour_supply=0.5).to_json()
    assert all(fields(CountryResult) == set(row) for row in elastic["countries"].values())
