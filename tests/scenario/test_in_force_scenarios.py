"""Built-in scenarios of what was in force (issue 11), on the real ICIO 2022 baseline.

The rates are checked against the in-force layers (tested against the tracker and the orders in
tests/data/test_in_force.py); here: that each built-in applies them at its own date, that the
named statutory comparison differs from what was in force in the way carve-outs imply, and that
the short-run horizon scales θ as documented and dampens the trade response."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

from tradewar.data import (
    ICIO_GOODS,
    SHORT_RUN_FACTOR,
    in_force_dates,
    load_baseline,
    tariffs_in_force,
    with_horizon,
)
from tradewar.scenario import run_scenario


@pytest.fixture(scope="module")
def baseline():
    return load_baseline("icio", 2022, "IS")


@pytest.fixture(scope="module")
def runs(baseline):
    names = ("us-china-april-11", "us-china-statutory-145", "liberation-day", "america-first",
             "geneva-truce", "in-force")
    return {n: run_scenario(baseline, n) for n in names}


def _index(result, code: str) -> int:
    return list(result.final.reference.countries).index(code)


def _added(result, importer: str, exporter: str) -> np.ndarray:
    eq = result.final
    i, j = _index(result, importer), _index(result, exporter)
    return np.asarray(eq.tariffs)[i, j] - np.asarray(eq.reference.tariffs)[i, j]


def _trade_change(result, exporter: str, importer: str, goods: np.ndarray) -> float:
    eq = result.final
    i, j = _index(result, importer), _index(result, exporter)
    before = np.asarray(eq.reference.flows)[i, j][goods].sum()
    return float(np.asarray(eq.flows)[i, j][goods].sum() / before - 1.0)


def test_april_11_applies_the_carve_outs_of_that_day(runs, baseline) -> None:
    sectors = list(baseline.economy.sectors)
    c26, c13 = sectors.index("C26"), sectors.index("C13T15")
    us = _added(runs["us-china-april-11"], "USA", "CHN")
    layer = tariffs_in_force("USA", "CHN", "2025-04-11")
    np.testing.assert_allclose(us[:27], layer.increase, atol=1e-12)
    assert us[c26] < us[c13] - 0.4 and us[-1] == 0.0  # electronics carve-out; no services
    cn = _added(runs["us-china-april-11"], "CHN", "USA")
    assert cn[sectors.index("C21")] == pytest.approx(0.84)  # 125 % only from 12 April
    stat = _added(runs["us-china-statutory-145"], "USA", "CHN")
    np.testing.assert_allclose(stat[:27], 1.45)
    np.testing.assert_allclose(_added(runs["us-china-statutory-145"], "CHN", "USA")[:27], 1.25)


def test_statutory_comparison_cuts_trade_more_than_what_was_in_force(runs, baseline) -> None:
    goods = np.array([not s.startswith("Serv") for s in baseline.economy.sectors])
    in_force = _trade_change(runs["us-china-april-11"], "CHN", "USA", goods)
    statutory = _trade_change(runs["us-china-statutory-145"], "CHN", "USA", goods)
    assert statutory < in_force < -0.3


def test_liberation_day_is_the_annex_i_day_and_america_first_7_august(runs, baseline) -> None:
    vnm = _added(runs["liberation-day"], "USA", "VNM")[:27]
    layer = tariffs_in_force("USA", "VNM", "2025-04-09")
    np.testing.assert_allclose(vnm, layer.increase, atol=1e-12)
    india = _added(runs["america-first"], "USA", "IND")[:27]
    np.testing.assert_allclose(india, tariffs_in_force("USA", "IND", "2025-08-07").increase,
                               atol=1e-12)
    assert (tariffs_in_force("USA", "IND", "2025-08-27").increase > india + 0.1).any()
    # Canada retaliates as it did on 7 August; the EU does not (its countermeasures suspended)
    canada = _added(runs["america-first"], "CAN", "USA")[:27]
    np.testing.assert_allclose(canada, tariffs_in_force("CAN", "USA", "2025-08-07").increase, atol=1e-12)
    assert canada[ICIO_GOODS.index("C29")] > 0.1        # its 25 % on US vehicles (9 April 2025)
    assert _added(runs["america-first"], "DEU", "USA").max() == 0.0


def test_in_force_latest_quotes_every_layer_at_the_last_step(runs) -> None:
    last = in_force_dates()[-1]
    result = runs["in-force"]
    np.testing.assert_allclose(_added(result, "USA", "CHN")[:27],
                               tariffs_in_force("USA", "CHN", last).increase, atol=1e-12)
    np.testing.assert_allclose(_added(result, "CHN", "USA")[:27],
                               tariffs_in_force("CHN", "USA", last).increase, atol=1e-12)
    canada = _added(result, "CAN", "USA")[:27]        # after 1 September 2025: metals and vehicles
    np.testing.assert_allclose(canada, tariffs_in_force("CAN", "USA", last).increase, atol=1e-12)
    kept = {ICIO_GOODS.index(c) for c in ("C24A", "C24B", "C25", "C29")}
    assert all(canada[k] == 0.0 for k in range(27) if k not in kept) and canada[sorted(kept)].min() > 0


def test_short_horizon_scales_theta_and_dampens_trade(baseline) -> None:
    short = with_horizon(baseline, "short")
    np.testing.assert_allclose(short.economy.theta, baseline.economy.theta * 0.76 / 2.0)
    assert SHORT_RUN_FACTOR == pytest.approx(0.38)
    assert with_horizon(baseline, "long") is baseline
    goods = np.array([not s.startswith("Serv") for s in baseline.economy.sectors])
    long_fall = _trade_change(run_scenario(baseline, "geneva-truce"), "CHN", "USA", goods)
    short_fall = _trade_change(run_scenario(short, "geneva-truce"), "CHN", "USA", goods)
    assert long_fall < short_fall < 0.0


def test_cli_run_in_force_with_a_date(tmp_path, capsys) -> None:
    from tradewar.cli import main

    out = tmp_path / "run.json"
    with pytest.raises(SystemExit) as done:
        main(["run", "in-force", "--date", "2025-05-14", "--horizon", "short", "--json", str(out)])
    assert done.value.code in (0, None)
    payload = json.loads(out.read_text())
    assert "2025-05-14" in json.dumps(payload)
    for argv in (["run", "in-force", "--date", "2024-12-31"], ["run", "geneva-truce", "--date", "2025-05-14"],
                 ["run", "in-force", "--horizon", "medium"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
    capsys.readouterr()


def test_timeline_builtin_has_every_dated_step_and_its_chart(baseline, tmp_path) -> None:
    from tradewar.report.tariff_charts import timeline_figures

    result = run_scenario(baseline, "timeline")
    days = [day for _, day, _ in result.steps]
    assert days == list(in_force_dates())
    assert all(eq.diagnostics.converged for _, _, eq in result.steps)
    (_, welfare), (_, trade) = timeline_figures(result)
    usa = next(t for t in welfare.data if t.name == "USA")
    assert len(usa.y) == len(days)
    assert usa.y[-1] == pytest.approx(result.countries_frame().welfare_pct["USA"])
    china_to_us = next(t for t in trade.data if t.name.startswith("China"))
    peak = days.index(date(2025, 4, 12))
    truce = days.index(date(2025, 5, 14))
    assert china_to_us.y[peak] < china_to_us.y[truce] < 0  # the truce undoes part of the collapse
    # the last step is the in-force built-in at the latest date
    final = run_scenario(baseline, "in-force").countries_frame().welfare_pct
    assert final["CHN"] == pytest.approx(result.countries_frame().welfare_pct["CHN"], abs=1e-9)


def test_eu_countermeasures_only_as_a_named_what_if(baseline, runs) -> None:
    whatif = run_scenario(baseline, "eu-countermeasures-whatif")
    assert "never in force" in whatif.scenario.description
    np.testing.assert_allclose(_added(whatif, "DEU", "USA")[:27], 0.07)
    np.testing.assert_allclose(_added(whatif, "USA", "DEU"), _added(runs["america-first"], "USA", "DEU"))
    assert _added(runs["in-force"], "FRA", "USA").max() == 0.0  # never in force


def test_cli_compare_both_horizons(tmp_path, capsys) -> None:
    from tradewar.cli import main

    out = tmp_path / "compare.json"
    with pytest.raises(SystemExit) as done:
        main(["compare", "geneva-truce", "us-china-april-11", "--horizon", "both", "--json", str(out)])
    assert done.value.code in (0, None)
    runs = json.loads(out.read_text())
    assert [(r["scenario"], r["horizon"]) for r in runs] == [
        ("geneva-truce (long run)", "long"), ("geneva-truce (short run)", "short"),
        ("us-china-april-11 (long run)", "long"), ("us-china-april-11 (short run)", "short")]
    # one year: less trade diversion, so China loses more and the US less than in the long run
    long_run, short_run = runs[2]["countries"], runs[3]["countries"]
    assert short_run["CHN"]["welfare_pct"] < long_run["CHN"]["welfare_pct"]
    assert short_run["USA"]["welfare_pct"] > long_run["USA"]["welfare_pct"]
    capsys.readouterr()
