"""Running scenarios: one equilibrium per step (one batch), the JSON contract, the built-ins,
and the headline result on the real ICIO 2022 baseline."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import tradewar.scenario._run as run_module
from tradewar.errors import ScenarioError
from tradewar.scenario import (
    ScenarioResult,
    builtin_names,
    builtin_scenario,
    compile_tariffs,
    run_scenario,
    scenario_from_toml,
)

HEAD = 'name = "x"\nstart = "baseline"\n'
LADDER = HEAD + 'description = "a ladder"\nsources = ["made up"]\n' + "".join(
    f'[[step]]\ndate = {day}\nlabel = "{label}"\n'
    f'[[step.tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = {points}\n'
    for day, label, points in (("2025-02-04", "first", 0.1), ("2025-03-04", "second", 0.1),
                               ("2025-04-10", "third", 1.25))
)

CONTRACT_TOP = {"scenario", "description", "sources", "baseline", "closure", "countries",
                "bilateral", "sectors", "steps", "solver", "assumptions"}
CONTRACT_BASELINE = {"dataset", "year", "elasticity", "regions", "starting_tariffs", "horizon"}
CONTRACT_COUNTRY = {"welfare_pct", "real_wage_pct", "exports_pct", "imports_pct",
                    "tariff_revenue_musd", "real_income_change_musd", "welfare_decomposition_pct",
                    "terms_of_trade_pct", "volume_of_trade_pct", "price_index_pct",
                    "deficit_change_musd", "welfare_transfer_pct", "welfare_excl_transfer_pct"}
CONTRACT_BILATERAL = {"exporter", "importer", "before_musd", "after_musd", "change_pct",
                      "goods_before_musd", "goods_after_musd", "goods_change_pct"}
CONTRACT_SECTOR = {"country", "sector", "output_before_musd", "output_after_musd", "output_pct",
                   "exports_before_musd", "exports_after_musd", "exports_pct"}
CONTRACT_STEP = {"label", "date", "countries", "solver"}
CONTRACT_SOLVER = {"converged", "iterations", "max_residual", "seconds", "plausible", "plausibility_issues"}


def test_ladder_one_result_per_step_in_order_from_one_batch(standin, monkeypatch) -> None:
    calls = []
    original = run_module.solve_batch

    def counting(*args, **kwargs):
        calls.append(np.asarray(args[1]).shape)
        return original(*args, **kwargs)

    monkeypatch.setattr(run_module, "solve_batch", counting)
    result = run_scenario(standin, scenario_from_toml(LADDER))
    assert len(calls) == 1 and calls[0][0] == 3
    assert [label for label, _, _ in result.steps] == ["first", "second", "third"]
    assert [str(day) for _, day, _ in result.steps] == ["2025-02-04", "2025-03-04", "2025-04-10"]
    welfare_china = [eq.welfare_pct[1] for _, _, eq in result.steps]
    assert welfare_china[0] > welfare_china[1] > welfare_china[2]  # escalation hurts more
    assert result.final is result.steps[-1][2]
    assert all(eq.diagnostics.converged for _, _, eq in result.steps)


def test_to_json_follows_the_contract(standin) -> None:
    result = run_scenario(standin, scenario_from_toml(LADDER))
    out = result.to_json()
    json.dumps(out, allow_nan=False)  # plain JSON
    assert set(out) == CONTRACT_TOP
    assert set(out["baseline"]) == CONTRACT_BASELINE
    assert out["baseline"]["dataset"] == "icio" and out["baseline"]["regions"] is None
    assert out["scenario"] == "x" and out["description"] == "a ladder" and out["sources"] == ["made up"]
    assert out["closure"] == "fixed"
    assert set(out["countries"]) == set(standin.economy.countries)
    for values in out["countries"].values():
        assert set(values) == CONTRACT_COUNTRY
    assert out["bilateral"] and all(set(r) == CONTRACT_BILATERAL for r in out["bilateral"])
    assert {("CHN", "USA"), ("USA", "CHN")} <= {(r["exporter"], r["importer"]) for r in out["bilateral"]}
    assert all(set(r) == CONTRACT_SECTOR for r in out["sectors"])
    assert {r["country"] for r in out["sectors"]} == {"USA", "CHN"}
    assert len(out["sectors"]) == 2 * len(standin.economy.sectors)
    assert [s["label"] for s in out["steps"]] == ["first", "second", "third"]
    for step in out["steps"]:
        assert set(step) == CONTRACT_STEP and set(step["solver"]) == CONTRACT_SOLVER
        assert set(step["countries"]["USA"]) == {"welfare_pct"}
    assert set(out["solver"]) == CONTRACT_SOLVER and out["solver"]["converged"] is True
    assert out["assumptions"][0] == "deficits fixed in numeraire units (world value added)"
    assert out["countries"]["CHN"]["welfare_pct"] == pytest.approx(out["steps"][-1]["countries"]["CHN"]["welfare_pct"])


def test_single_scenario_has_one_step_and_frames(standin) -> None:
    result = run_scenario(standin, scenario_from_toml(HEAD + '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = 0.5\n'))
    out = result.to_json()
    assert len(out["steps"]) == 1 and out["steps"][0]["label"] == "x" and out["steps"][0]["date"] is None
    frame = result.countries_frame()
    assert isinstance(frame, pd.DataFrame) and list(frame.index) == list(standin.economy.countries)
    assert frame.loc["CHN", "welfare_pct"] == pytest.approx(out["countries"]["CHN"]["welfare_pct"])
    assert len(result.steps_frame()) == len(standin.economy.countries)
    assert isinstance(result, ScenarioResult)


def test_deficit_scenario_runs_with_given_closure(standin) -> None:
    result = run_scenario(standin, scenario_from_toml(HEAD + '[[deficit]]\ncountry = "CHN"\nscale = 0\n'))
    final = result.final
    assert result.closure == "given" and result.to_json()["closure"] == "given"
    assert final.deficit[1] == pytest.approx(0.0, abs=1e-6)
    assert abs(final.deficit.sum()) < 1e-6 * standin.economy.value_added.sum()


@pytest.mark.parametrize("name", builtin_names())
def test_every_builtin_loads_compiles_and_runs_on_a_standin(name, standin, data_dir) -> None:
    scenario = builtin_scenario(name)
    assert scenario.name == name
    assert scenario.description.strip() and scenario.sources
    # built-ins that name ICIO sector codes (export controls, NTB) say why on a baseline without them
    codes = {code for group in (scenario, *scenario.step) for action in group.export_tax
             if isinstance(action.sectors, list) for code in action.sectors}
    if not codes <= set(standin.economy.sectors):
        with pytest.raises(ScenarioError, match="unknown sector"):
            compile_tariffs(scenario, standin, data_dir=data_dir)
        return
    compiled = compile_tariffs(scenario, standin, data_dir=data_dir)
    assert compiled.steps and all(np.isfinite(s.tariffs).all() for s in compiled.steps)
    assert all((s.tariffs > -1).all() for s in compiled.steps)
    changed = any(not np.allclose(s.tariffs, compiled.start_economy.tariffs) for s in compiled.steps)
    assert changed or compiled.deficits_new is not None or bool(compiled.solve_kwargs())
    result = run_scenario(standin, scenario, data_dir=data_dir)
    assert result.to_json()["solver"]["converged"] is True


def test_us_china_ladder_builtin_steps(standin, data_dir) -> None:
    result = run_scenario(standin, "us-china-ladder-2025", data_dir=data_dir)
    dates = [day for _, day, _ in result.steps]
    assert dates == sorted(dates) and len(dates) == 11
    assert str(dates[0]) == "2025-02-04" and str(dates[-1]) == "2025-11-10"
    start = result.compiled.start_economy.tariffs
    us_layer = [s.tariffs[0, 1, 0] - start[0, 1, 0] for s in result.compiled.steps]
    # the US layer on China as in force at each date (issue 11: effective dates, carve-outs)
    from tradewar.data import hand_layer_rates

    sectors = tuple(standin.economy.sectors)
    for k in (0, 4, 6, 9, 10):
        expected = hand_layer_rates("us-china-2025", dates[k], sectors)[0]
        assert us_layer[k] == pytest.approx(expected), dates[k]
    assert us_layer[0] == pytest.approx(0.10) and us_layer[4] < 0.35 < us_layer[6]


@pytest.fixture(scope="module")
def icio_2022():
    from tradewar.data import load_baseline

    return load_baseline("icio", 2022, "IS")


@pytest.mark.slow
def test_us_china_april_11_on_the_real_icio_2022_baseline(icio_2022) -> None:
    result = run_scenario(icio_2022, "us-china-april-11")
    out = result.to_json()
    assert out["solver"]["converged"] is True
    assert out["baseline"] == {"dataset": "icio", "year": 2022, "elasticity": "IS", "regions": None,
                               "starting_tariffs": "in force on 2025-01-01 (ICIO MFN + 2018-19 war layer)",
                               "horizon": "long"}
    assert out["countries"]["USA"]["welfare_pct"] < 0
    assert out["countries"]["CHN"]["welfare_pct"] < 0
    pairs = {(r["exporter"], r["importer"]): r for r in out["bilateral"]}
    assert pairs[("CHN", "USA")]["change_pct"] < -50
    assert pairs[("USA", "CHN")]["change_pct"] < -50
    assert pairs[("CHN", "USA")]["before_musd"] == pytest.approx(532152.2, rel=1e-4)
