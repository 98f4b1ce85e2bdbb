"""The README proves itself: its figures are read from README.md and checked.

* Worked example: every printed figure of the ``tradewar run NAME`` block equals a fresh run at
  the printed precision (half a unit of the last printed digit), and the headline welfare and
  US–China trade figures also equal an INDEPENDENT solver (tests/reference/cp_plain.py, written
  from Caliendo & Parro's equations, not from src/tradewar/model) fed the compiled arrays.
* Performance: the table equals what benchmarks/readme_table.py renders from the committed
  result files (benchmarks/results/*.json), row by row.
* Validation: the published figures the README quotes are the ones the tests compare with
  (Caliendo & Parro's constants; tariffwar's own output file, not ours).
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tests.reference.cp_plain import solve_cp
from tradewar.data import load_baseline
from tradewar.scenario import run_scenario

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
NUMBER = r"[-+−]?[\d,]*\.?\d+"


def _float(text: str) -> float:
    return float(text.replace("−", "-").replace(",", "").replace("+", ""))


def _half_unit(text: str) -> float:
    """Half a unit of the last printed digit of ``text`` (e.g. '-0.59' -> 0.005)."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10.0 ** -decimals + 1e-9


def _readme_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_bench_readme_table", ROOT / "benchmarks" / "readme_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------ the worked example

def _example_block() -> str:
    match = re.search(r"## A worked example\n```console\n(.*?)```", README, re.S)
    assert match, "README has no worked-example console block"
    return match.group(1)


@functools.cache
def _example() -> dict[str, Any]:
    block = _example_block()
    name = re.search(r"^\$ tradewar run (\S+)\s*$", block, re.M)
    assert name, "the worked example does not start with `$ tradewar run NAME`"
    rows, pairs = {}, {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        if len(cells) == 7 and re.fullmatch(r"[A-Z]{3}", cells[0]):
            rows[cells[0]] = cells[1:]
        elif len(cells) == 4 and re.fullmatch(r"[A-Z]{3} → [A-Z]{3}", cells[0]):
            pairs[tuple(cells[0].split(" → "))] = cells[1:]
    for exp, imp, before, after, change in re.findall(
            rf"([A-Z]{{3}}) → ([A-Z]{{3}})\s+({NUMBER}) →\s+({NUMBER})\s+\(({NUMBER}) %\)", block):
        pairs[(exp, imp)] = [before, after, change]
    iterations = re.search(r"converged in (\d+) iterations", block)
    assert rows and pairs and iterations, "the worked example lost its rows, flows or solver line"
    return {"name": name.group(1), "rows": rows, "pairs": pairs, "iterations": int(iterations.group(1))}


@pytest.fixture(scope="module")
def fresh():
    """A fresh run of the README's scenario, as `tradewar run NAME` does (ICIO, latest year, IS)."""
    return run_scenario(load_baseline("icio", 2022, "IS"), _example()["name"])


def test_every_figure_of_the_worked_example_equals_a_fresh_run(fresh) -> None:
    countries = fresh.countries_frame()
    columns = [("welfare_pct", 1.0), ("real_income_change_musd", 1e-3), ("real_wage_pct", 1.0),
               ("exports_pct", 1.0), ("imports_pct", 1.0), ("tariff_revenue_musd", 1e-3)]
    for code, printed in _example()["rows"].items():
        for (column, scale), text in zip(columns, printed, strict=True):
            value = countries.loc[code, column] * scale
            assert abs(value - _float(text)) <= _half_unit(text), (code, column, text, value)
    bilateral = fresh.final.bilateral_table().set_index(["exporter", "importer"])
    for pair, (before, after, change) in _example()["pairs"].items():
        row = bilateral.loc[pair]
        for value, text in ((row.before_musd / 1e3, before), (row.after_musd / 1e3, after), (row.change_pct, change)):
            assert abs(value - _float(text)) <= _half_unit(text), (pair, text, value)
    assert fresh.final.diagnostics.converged
    assert fresh.final.diagnostics.iterations == _example()["iterations"]


@pytest.fixture(scope="module")
def oracle(fresh) -> dict[str, Any]:
    """The independent solver on the compiled arrays of the same run (closure: fixed deficits)."""
    assert fresh.closure == "fixed"
    e = fresh.compiled.start_economy
    return solve_cp(e.flows, e.tariffs, fresh.compiled.tariffs[-1], e.theta, e.input_share,
                    e.final_share, np.asarray(e.deficit))


def _pair_change(flows_before: np.ndarray, flows_after: np.ndarray, countries: tuple[str, ...],
                 exporter: str, importer: str) -> float:
    i, n = countries.index(exporter), countries.index(importer)
    return float((flows_after[n, i].sum() / flows_before[n, i].sum() - 1.0) * 100.0)


def test_headline_welfare_and_us_china_trade_equal_an_independent_solver(fresh, oracle) -> None:
    e = fresh.compiled.start_economy
    eq = fresh.final
    assert oracle["max_residual"] < 1e-9
    for code in ("USA", "CHN"):
        k = e.countries.index(code)
        # both solvers converge to ~1e-12; 1e-6 points leaves room for their different paths
        assert eq.welfare_pct[k] == pytest.approx(oracle["welfare_pct"][k], abs=1e-6), code
    for exporter, importer in (("CHN", "USA"), ("USA", "CHN")):
        ours = _pair_change(e.flows, eq.flows, e.countries, exporter, importer)
        theirs = _pair_change(e.flows, oracle["flows_new"], e.countries, exporter, importer)
        assert ours == pytest.approx(theirs, abs=1e-6), (exporter, importer)


def test_the_readme_headline_figures_equal_the_independent_solver(oracle, fresh) -> None:
    """The README's printed headline (welfare of the US and China, US–China trade) against the
    oracle directly -- not against our own output."""
    e = fresh.compiled.start_economy
    example = _example()
    for code in ("USA", "CHN"):
        text = example["rows"][code][0]
        assert abs(oracle["welfare_pct"][e.countries.index(code)] - _float(text)) <= _half_unit(text), code
    for (exporter, importer), (_, _, change) in example["pairs"].items():
        if {exporter, importer} == {"USA", "CHN"}:
            value = _pair_change(e.flows, oracle["flows_new"], e.countries, exporter, importer)
            assert abs(value - _float(change)) <= _half_unit(change), (exporter, importer)
    assert ("CHN", "USA") in example["pairs"], "the README's example must show CHN → USA"


def _after_example() -> str:
    return " ".join(README.split("## A worked example", 1)[1].split("```", 2)[2].split("```python", 1)[0].split())


def _us_china(result) -> tuple[float, float, float]:
    frame = result.countries_frame()
    bilateral = result.final.bilateral_table().set_index(["exporter", "importer"])
    return (frame.loc["USA", "welfare_pct"], frame.loc["CHN", "welfare_pct"],
            bilateral.loc[("CHN", "USA"), "change_pct"])


@pytest.mark.parametrize(("pattern", "scenario", "horizon"), [
    (rf"`us-china-statutory-145`.*?costs more: US ({NUMBER}) %, China ({NUMBER}) %, CHN → USA ({NUMBER}) %",
     "us-china-statutory-145", "long"),
    (rf"`--horizon short`.*?costs the US ({NUMBER}) %, China ({NUMBER}) %, CHN → USA ({NUMBER}) %",
     None, "short"),
])
def test_the_comparisons_under_the_worked_example_equal_fresh_runs(pattern: str, scenario: str | None,
                                                                    horizon: str) -> None:
    """The sentences after the example (the statutory 145/125 comparison; the one-year horizon):
    checked at their printed precision whenever the README prints them."""
    from tradewar.data import with_horizon

    match = re.search(pattern, _after_example())
    if match is None:   # the sentence is not in the README: nothing is claimed, nothing to check
        assert scenario is None or f"`{scenario}`" not in _after_example()
        return
    baseline = with_horizon(load_baseline("icio", 2022, "IS"), horizon)
    result = run_scenario(baseline, scenario or _example()["name"])
    for value, text in zip(_us_china(result), match.groups(), strict=True):
        assert abs(value - _float(text)) <= _half_unit(text), (scenario, horizon, text, value)


def test_the_headline_us_tariff_on_china_is_the_trackers(fresh) -> None:
    """The compiled real-data tariffs of the README's run against the tracker's published panel
    (../shared/data/tariffs2025/country-by-time.csv, read here directly): the US increase on
    Chinese goods, weighted by 2024 US imports by sector (the tracker's own data-hs2 weights),
    equals the tracker's trade-weighted effective tariff on the scenario's date."""
    from tradewar.data import default_data_dir, us_tariff_schedule

    scenario = fresh.scenario
    day = max(t.date for t in scenario.tariff if t.importer == "USA" and t.exporter == "CHN")
    panel = pd.read_csv(default_data_dir() / "tariffs2025" / "country-by-time.csv", parse_dates=["date"])
    rows = panel[(panel.country_name == "CHINA") & (panel.date <= pd.Timestamp(day))]
    published = rows.sort_values("date").iloc[-1]["effective tariff"] / 100.0
    e = fresh.compiled.start_economy
    usa, chn = e.countries.index("USA"), e.countries.index("CHN")
    schedule = us_tariff_schedule()
    goods = [e.sectors.index(code) for code in schedule.sectors]
    increase = (fresh.compiled.tariffs[-1] - e.tariffs)[usa, chn, goods]
    weights = schedule.import_weights("CHN")
    assert float((increase * weights).sum() / weights.sum()) == pytest.approx(published, abs=1e-6)
    assert "in force on 2025-01-01" in _example_block() and "in force on 2025-01-01" in fresh.baseline_info["starting_tariffs"]


# ------------------------------------------------------------------ performance

def test_the_performance_table_equals_the_result_files() -> None:
    module = _readme_module()
    printed = module.parse_readme_table(README)
    expected = module.rows()
    assert len(printed) == len(expected), "rows missing or extra: run benchmarks/readme_table.py --write"
    for got, want in zip(printed, expected, strict=True):
        assert got == want


def test_every_result_file_says_when_where_and_from_which_commit() -> None:
    for path in sorted((ROOT / "benchmarks" / "results").glob("*.json")):
        data = pd.read_json(path, typ="series")
        for key in ("script", "date", "machine", "commit", "loadavg_start", "loadavg_end"):
            assert key in data, (path.name, key)
        assert re.fullmatch(r"[0-9a-f]{40}", str(data["commit"])), path.name
        assert (ROOT / str(data["script"])).is_file(), (path.name, data["script"])


# ------------------------------------------------------------------ validation

def _validation() -> str:
    return README.split("## Validation", 1)[1].split("\n## ", 1)[0]


def test_the_quoted_caliendo_parro_figures_are_the_ones_the_tests_use() -> None:
    from tradewar.data._validation import CP2015_PUBLISHED_REAL_WAGE, CP2015_PUBLISHED_WELFARE

    text = " ".join(_validation().split())
    welfare = re.search(rf"welfare MEX ({NUMBER}) / CAN ({NUMBER}) / USA ({NUMBER}) %", text)
    wages = re.search(rf"real wages ({NUMBER}) / ({NUMBER}) / ({NUMBER}) %", text)
    assert welfare and wages
    for k, code in enumerate(("MEX", "CAN", "USA")):
        assert _float(welfare.group(k + 1)) == CP2015_PUBLISHED_WELFARE[code]
        assert _float(wages.group(k + 1)) == CP2015_PUBLISHED_REAL_WAGE[code]
    assert "±0.005" in text   # the tolerance of tests/model/test_published.py


def test_the_quoted_tariffwar_figures_are_tariffwars_own_output() -> None:
    text = " ".join(_validation().split())
    quoted = re.search(rf"WIOD 2014: mean ({NUMBER}) %, USA ({NUMBER}) %, BRA ({NUMBER}) %, RUS ({NUMBER}) %; "
                       rf"welfare USA ({NUMBER}) %, CHN ({NUMBER}) %", text)
    assert quoted
    peer = pd.read_csv(ROOT / "tests" / "reference" / "tariffwar_wiod2014.csv").set_index("country")
    tariff = peer.nash_tariff * 100
    figures = [tariff.mean(), tariff["USA"], tariff["BRA"], tariff["RUS"],
               peer.welfare_pct["USA"], peer.welfare_pct["CHN"]]
    for value, printed in zip(figures, quoted.groups(), strict=True):
        assert abs(value - _float(printed)) <= _half_unit(printed), (printed, value)
    assert tariff.idxmax() == "BRA" and tariff.idxmin() == "RUS"


def test_the_quoted_ilms_figures_are_the_reproductions() -> None:
    """The README's ILMS sentence: the optimal tariff, the count reproduced, the transfers."""
    from tradewar.analysis.ilms import reproduce_ilms2025
    from tradewar.data import default_data_dir

    text = " ".join(_validation().split())
    quoted = re.search(rf"rounds to their ({NUMBER}) % \(({NUMBER}) %\), and (\d+) of their (\d+) published "
                       rf"figures are reproduced within ±0.05 points; the other (\d+) .*? sum to ({NUMBER}) bn USD",
                       text)
    assert quoted, "the ILMS sentence of the README"
    rep = reproduce_ilms2025(default_data_dir())
    optimum = rep.optimal_tariff["formula, GDP in delta (Table 2 case 4)"]
    assert round(optimum) == int(quoted.group(1))
    assert abs(optimum - _float(quoted.group(2))) <= _half_unit(quoted.group(2))
    figures = rep.figures
    assert int(figures["match"].sum()) == int(quoted.group(3)) and len(figures) == int(quoted.group(4))
    assert int((~figures["match"]).sum()) == int(quoted.group(5)) and rep.all_accounted
    assert "572.6 bn USD" in " ".join(figures.loc[~figures["match"], "cause"]) and quoted.group(6) == "572.6"
