"""Figures of the analyses (report layer): they draw what the results hold."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from tradewar.analysis import coalition_analysis, exposure_table
from tradewar.report import coalition_figures, exposure_figures, write_figures
from tradewar.testing import random_economy


def test_exposure_figures_draw_each_pair_and_dataset(tmp_path):
    economy = random_economy(4, 3, seed=2)
    frames = [exposure_table(economy, year=y, dataset="synthetic") for y in (2020, 2021)]
    frame = pd.concat(frames, ignore_index=True)
    frame = frame[(frame.exporter == "C00") & (frame.partner == "C01")]
    [(heading, fig)] = exposure_figures(frame)
    assert heading == "exposure over time" and len(fig.data) == 2
    np.testing.assert_array_equal(fig.data[0].y, frame.value_added_absorbed_pct_gdp.to_numpy())
    assert list(fig.data[1].x) == [2020, 2021]
    path = write_figures(tmp_path / "exposure.html", "exposure", [(heading, fig)])
    assert "value added (synthetic)" in path.read_text()


def test_coalition_figures_follow_the_result():
    baseline = SimpleNamespace(economy=random_economy(7, 4, seed=11))
    result = coalition_analysis(baseline, leader="C00", target="C01", tariff=0.4, sectors="all",
                                allies=["C02", "C03", "C04", "C05"], start="baseline", workers=1)
    figures = coalition_figures(result)
    assert [h for h, _ in figures][0] == "Leverage over C01 by coalition size"
    assert len(figures) == 4  # leverage, Shapley, stability vs p, least reliability
    shapley = figures[1][1].data[0]
    np.testing.assert_allclose(sorted(shapley.x), sorted(result.shapley().shapley_musd / 1e3))
