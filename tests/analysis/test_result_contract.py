"""One result contract (issue 10): every result type implements :class:`tradewar.results.Result`
(``tables``, ``to_json``, ``diagnostics``) and its JSON derives from its tables — the same
keys and the same numbers. Small synthetic economies (unit tests of the interface)."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tradewar.analysis import (
    ExposureResult,
    closed_form_nash,
    coalition_analysis,
    escalation_game,
    nash_tariffs,
    optimal_tariffs,
    sweep,
    trade_talks,
)
from tradewar.analysis.coalitions import COALITION_TABLE_COLUMNS
from tradewar.analysis.escalation.results import WAR_ROW_KEYS
from tradewar.analysis.exposure import exposure
from tradewar.analysis.uncertainty.results import FAILED_KEYS, SUMMARY_KEYS
from tradewar.model import economy_from_io
from tradewar.results import Result, csv_texts, table_keys
from tradewar.scenario import (
    BILATERAL_KEYS,
    COUNTRY_KEYS,
    SECTOR_KEYS,
    run_scenario,
    scenario_from_dict,
)
from tradewar.testing import SyntheticBaseline, synthetic_baseline


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and (b is None or not math.isfinite(float(b)))
    return math.isclose(float(a), float(b), rel_tol=0.0, abs_tol=0.0)


@pytest.fixture(scope="module")
def baseline() -> SyntheticBaseline:
    return synthetic_baseline(5, 3, seed=4, sets_seed=0)


@pytest.fixture(scope="module")
def scenario():
    return scenario_from_dict({"name": "c00 and c01", "start": "baseline", "tariff": [
        {"importer": "C00", "exporter": "C01", "sectors": "all", "add": 0.5},
        {"importer": "C01", "exporter": "C00", "sectors": "all", "add": 0.3}]})


@pytest.fixture(scope="module")
def results(baseline, scenario) -> dict[str, Any]:
    economy = baseline.economy
    nash = nash_tariffs(economy, ["C00", "C01"], targets="players", deficits="fixed")
    armington = economy_from_io(economy.countries, economy.sectors, economy.flows, economy.tariffs,
                                economy.theta, np.ones((5, 3)), np.zeros((5, 3, 3)))
    return {
        "scenario": run_scenario(baseline, scenario),
        "exposure": exposure(economy),
        "optimal": optimal_tariffs(economy, "C00", by="partner", deficits="fixed"),
        "nash": nash,
        "talks": trade_talks(economy, nash),
        "tariffwar": closed_form_nash(armington),
        "coalitions": coalition_analysis(baseline, leader="C00", target="C01",
                                         allies=["C02", "C03"], start="baseline", workers=1),
        "escalation": escalation_game(
            dataclasses.replace(baseline, economy=economy), leader="C00", target="C01",
            threats=(0.5,), threat=0.5, start="baseline"),
        "sweep": sweep(baseline, scenario, draws=3, workers=1),
    }


KINDS = ("scenario", "exposure", "optimal", "nash", "talks", "tariffwar", "coalitions",
         "escalation", "sweep")


@pytest.mark.parametrize("kind", KINDS)
def test_every_result_implements_the_contract(results, kind):
    result = results[kind]
    assert isinstance(result, Result)
    tables = result.tables()
    assert tables and all(isinstance(f, pd.DataFrame) and len(f.columns) for f in tables.values())
    json.dumps(result.to_json(), allow_nan=False)  # plain JSON, no NaN
    assert isinstance(result.diagnostics()["converged"], bool)
    texts = csv_texts(result)  # one CSV per table, its header the table's columns
    assert set(texts) == {f"{name}.csv" for name in tables}
    for name, columns in table_keys(result).items():
        assert texts[f"{name}.csv"].splitlines()[0].split(",")[0] == columns[0]
    for name, frame in tables.items():  # tables() hands out copies: callers cannot change the result
        column = frame.columns[-1]
        frame[column] = "tampered"
        assert not (result.tables()[name][column].astype(str) == "tampered").any()


def test_scenario_json_derives_from_its_tables(results):
    result = results["scenario"]
    tables, out = result.tables(), result.to_json()
    countries = tables["countries"].set_index("country")
    assert list(out["countries"]) == list(countries.index)
    for code, row in out["countries"].items():
        assert list(row) == list(COUNTRY_KEYS)
        assert all(_close(row[k], countries.loc[code, COUNTRY_KEYS[k]]) for k in row)
    for key, columns in (("bilateral", BILATERAL_KEYS), ("sectors", SECTOR_KEYS)):
        assert tuple(tables[key].columns) == columns
        assert [list(r) for r in out[key]] == [list(columns)] * len(tables[key])
        assert len(out[key]) == len(tables[key]) > 0
    steps = tables["steps"]
    assert len(out["steps"]) == steps["step"].nunique()
    last = steps[steps["step"] == steps["step"].max()].set_index("country")["welfare_pct"]
    assert {c: v["welfare_pct"] for c, v in out["steps"][-1]["countries"].items()} == last.to_dict()
    # the countries table is computed once: later calls reuse it
    assert result.countries_frame().equals(countries)


def test_coalition_json_derives_from_its_tables(results):
    result = results["coalitions"]
    tables, out = result.tables(), result.to_json()
    assert tuple(tables["coalitions"].columns) == COALITION_TABLE_COLUMNS
    assert [tuple(r) for r in out["coalitions"]] == [COALITION_TABLE_COLUMNS] * len(tables["coalitions"])
    for row, (_, frame_row) in zip(out["coalitions"], tables["coalitions"].iterrows(), strict=True):
        assert _close(row["target_loss_musd"], frame_row["target_loss_musd"])
    shapley = tables["shapley"].set_index("ally")
    assert list(out["shapley"]) == list(shapley.index) == list(result.game.allies)
    assert all(_close(out["shapley"][a], shapley.loc[a, "shapley_musd"]) for a in shapley.index)
    assert list(out["min_reliability"]) == list(tables["min_reliability"]["ally"])
    assert [list(e) for e in out["stable_by_reliability"]] == [list(tables["stable"].columns)] * len(tables["stable"])


def test_escalation_json_derives_from_its_tables(results):
    result = results["escalation"]
    tables, out = result.tables(), result.to_json()
    by_threat = tables["by_threat"]
    flat = {c.split(".", 1)[0] for c in by_threat.columns}
    assert flat == {"threat", "without_allies", *WAR_ROW_KEYS}
    for row, (_, frame_row) in zip(out["by_threat"], by_threat.iterrows(), strict=True):
        assert set(row) == flat
        assert set(row["without_allies"]) == set(WAR_ROW_KEYS)
        assert _close(row["d_star_pct"], frame_row["d_star_pct"])
        assert _close(row["without_allies"]["target_war_pct"], frame_row["without_allies.target_war_pct"])
    assert list(out["allies_detail"]) == list(tables["allies"]["name"])
    for name, detail in out["allies_detail"].items():
        world = tables["welfare"][tables["welfare"]["world"] == name]
        assert detail["welfare_pct"] == dict(zip(world["country"], world["welfare_pct"], strict=True))
        assert set(detail) == (set(tables["allies"].columns) - {"name"}) | {"welfare_pct"}


def test_sweep_json_derives_from_its_tables(results):
    result = results["sweep"]
    tables, out = result.tables(), result.to_json()
    assert tuple(tables["summary"].columns) == ("value", *SUMMARY_KEYS)
    welfare = tables["summary"].set_index("value")
    for code, entry in out["summary"]["welfare_pct"].items():
        assert tuple(entry) == SUMMARY_KEYS
        assert _close(entry["median"], welfare.loc[f"welfare_pct.{code}", "median"])
    assert tuple(tables["failed"].columns) == FAILED_KEYS
    assert list(out["published"]) == list(tables["published"]["elasticity_set"])
    assert out["counts"]["total"] == len(tables["draws"])


@pytest.mark.parametrize("kind", ["optimal", "nash", "talks", "tariffwar"])
def test_strategy_json_derives_from_its_tables(results, kind):
    result = results[kind]
    tables, out = result.tables(), result.to_json()
    welfare = tables["welfare" if kind != "tariffwar" else "countries"]
    assert list(out["welfare_pct"]) == list(welfare["country"])
    assert all(_close(out["welfare_pct"][c], v) for c, v in zip(welfare["country"], welfare["welfare_pct"], strict=True))
    tariffs = tables["tariffs" if kind != "tariffwar" else "countries"]
    assert sum(len(v) if isinstance(v, dict) else 1 for v in out["tariffs"].values()) == len(tariffs)
    if kind == "nash":
        assert [tuple(p) for p in out["trade_change_pct"]["pairs"]] == [tuple(tables["bilateral"].columns)] * len(tables["bilateral"])


def test_exposure_json_derives_from_its_table(results):
    result: ExposureResult = results["exposure"]
    frame, out = result.tables()["exposure"], result.to_json()
    assert [list(r) for r in out["rows"]] == [list(frame.columns)] * len(frame)
    assert all(_close(r["value_added_absorbed_pct_gdp"], v)
               for r, v in zip(out["rows"], frame["value_added_absorbed_pct_gdp"], strict=True))
