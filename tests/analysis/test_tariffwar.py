"""Reference test: tradewar configured as tariffwar reproduces tariffwar's Nash tariffs.

tariffwar (Lashkaripour's MATLAB package, commit 9863698) was run under GNU Octave 7.3 by
benchmarks/peers/run_tariffwar.sh; its outputs are tests/reference/tariffwar_*.csv (see
tests/reference/tariffwar_README.md). The issue's headline figures for WIOD 2014: mean 38.58 %,
USA 41.15 %, CHN 39.15 %, DEU 53.99 %, BRA 81.35 % (max), RUS 14.85 % (min); welfare USA
-0.620 %, CHN -0.387 %.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tradewar.analysis import closed_form_nash, tariffwar_economy

REFERENCE = Path(__file__).resolve().parents[1] / "reference"


@functools.cache
def _run(dataset: str, year: int):
    result = closed_form_nash(tariffwar_economy(dataset, year, "IS"))
    reference = pd.read_csv(REFERENCE / f"tariffwar_{dataset}{year}.csv").set_index("country")
    ours = pd.DataFrame({"nash_tariff": result.tariffs, "welfare_pct": result.welfare_pct},
                        index=pd.Index(result.countries, name="country"))
    return result, ours.loc[reference.index], reference


@pytest.mark.parametrize(("dataset", "year"), [("wiod", 2014), ("icio", 2022)])
def test_every_nash_tariff_and_welfare_equals_tariffwar(dataset: str, year: int) -> None:
    result, ours, reference = _run(dataset, year)
    assert result.max_condition_residual < 1e-8
    # tariffwar's fsolve stops at FOC residuals of 5e-10 (WIOD) / 2e-12 (ICIO). The README's
    # claim, asserted here: Nash tariffs to 1e-9; welfare (percent) to 1e-8 points, the
    # precision of the reference CSV (8 decimals: its rounding alone is up to 5e-9).
    np.testing.assert_allclose(ours.nash_tariff, reference.nash_tariff, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ours.welfare_pct, reference.welfare_pct, rtol=0, atol=1e-8)


def test_headline_figures_of_the_issue_wiod2014() -> None:
    _, ours, _ = _run("wiod", 2014)
    t = ours.nash_tariff * 100
    assert t.mean() == pytest.approx(38.58, abs=0.005)
    assert t["USA"] == pytest.approx(41.15, abs=0.005)
    assert t["CHN"] == pytest.approx(39.15, abs=0.005)
    assert t["DEU"] == pytest.approx(53.99, abs=0.005)
    assert t.idxmax() == "BRA" and t.max() == pytest.approx(81.35, abs=0.005)
    assert t.idxmin() == "RUS" and t.min() == pytest.approx(14.85, abs=0.005)
    assert ours.welfare_pct["USA"] == pytest.approx(-0.620, abs=0.0005)
    assert ours.welfare_pct["CHN"] == pytest.approx(-0.387, abs=0.0005)
