"""The 2018–19 US–China layer in force at the end of 2019 (tradewar.data.tariffs_end_2019) and
what it changes in the ex-post test against the 2025-01-01 stand-in.

The published references are PIIE's trade-weighted averages (Bown, "US-China Trade War
Tariffs: An Up-to-Date Chart", version of 19 December 2019: US 21.0 %, China 21.1 %; pre-war
3.1 % and 8.0 %), typed here from the chart, not read from our file."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from tradewar.analysis.expost import EXPOST_LAYERS, trade_war_2018
from tradewar.data import (
    END_2019,
    goods_mask,
    layer_2019_tables,
    load_baseline,
    tariffs_end_2019,
)
from tradewar.data._layer_2019 import LAYER_2019_FILE, read_layer_2019
from tradewar.errors import DataSourceError, UnknownNameError, UserInputError

PIIE_END_2019 = {("USA", "CHN"): 0.210, ("CHN", "USA"): 0.211}   # chart of 19 December 2019
PIIE_BEFORE = {("USA", "CHN"): 0.031, ("CHN", "USA"): 0.080}     # Jan 2017 / early 2018


@pytest.fixture(scope="module")
def economy():
    return load_baseline("icio", 2017, "IS").economy


def _goods_average(tariffs: np.ndarray, economy, importer: str, exporter: str) -> float:
    c = list(economy.countries)
    n, i = c.index(importer), c.index(exporter)
    w = np.asarray(economy.flows)[n, i] * goods_mask(economy.sectors)
    return float((tariffs[n, i] * w).sum() / w.sum())


def test_the_source_reproduces_piie_at_its_own_2017_weights() -> None:
    """The sector source (Waugh's tracker, statutory rates by NAICS industry, 2017 HS6 weights)
    is independent of PIIE: its trade-weighted increase from December 2017 to December 2019 is
    within 1 point of PIIE's on both sides, and its US level within 0.5 point of PIIE's 21.0 %."""
    tables = layer_2019_tables()
    assert tables.in_force == END_2019
    us, cn = "us_on_china", "china_on_us"
    assert tables.source_average(us, "increase") == pytest.approx(0.210 - 0.031, abs=0.01)
    assert tables.source_average(cn, "increase") == pytest.approx(0.211 - 0.080, abs=0.01)
    assert tables.source_average(us, "rate_2019_12") == pytest.approx(0.210, abs=0.005)
    # the PIIE figures the file holds are the chart's
    for side, pair in (("us_on_china", ("USA", "CHN")), ("china_on_us", ("CHN", "USA"))):
        assert tables.piie[side]["end_2019"][0] == PIIE_END_2019[pair]
        assert tables.piie[side]["before"][0] == PIIE_BEFORE[pair]
        assert all(src.strip() for _, _, src in tables.piie[side].values())
        assert all(row.source.strip() for row in tables.rows[side])


def test_layer_reproduces_the_published_averages_at_2017_weights(economy) -> None:
    layer = tariffs_end_2019(economy)
    for (importer, exporter), published in PIIE_END_2019.items():
        assert _goods_average(layer.tariffs, economy, importer, exporter) == pytest.approx(published, abs=1e-9)
    rows = layer.averages.set_index(["importer", "exporter"])
    assert rows.loc[("USA", "CHN"), "after"] == pytest.approx(0.210, abs=1e-9)
    # the baseline's own pre-war averages are higher than PIIE's (specific-duty equivalents), so
    # the level target adds less than PIIE's increase; the 'increase' target adds exactly it
    increase = tariffs_end_2019(economy, target="increase")
    for pair in PIIE_END_2019:
        before = _goods_average(np.asarray(economy.tariffs), economy, *pair)
        added = _goods_average(increase.tariffs, economy, *pair) - before
        assert added == pytest.approx(PIIE_END_2019[pair] - PIIE_BEFORE[pair], abs=1e-9)
        assert _goods_average(layer.tariffs, economy, *pair) - before < added


def test_layer_never_lowers_a_tariff_and_touches_only_the_two_sides_goods(economy) -> None:
    layer = tariffs_end_2019(economy)
    base = np.asarray(economy.tariffs)
    c = list(economy.countries)
    us, cn = c.index("USA"), c.index("CHN")
    goods = goods_mask(economy.sectors)
    assert np.all(layer.tariffs >= base - 1e-15)
    assert np.all(np.isfinite(layer.tariffs))
    changed = np.argwhere(np.abs(layer.tariffs - base) > 0)
    assert {(int(n), int(i)) for n, i, _ in changed} == {(us, cn), (cn, us)}
    assert np.array_equal(layer.tariffs[..., ~goods], base[..., ~goods])     # services unchanged
    for side in ("us_on_china", "china_on_us"):
        increase, weight = layer_2019_tables().sector_increase(side)
        assert np.all(increase >= 0) and np.all(weight >= 0)


def test_sector_pattern_is_the_statutory_one(economy) -> None:
    """What was (not) in force at the end of 2019 shows by sector: China's extra tariff on US
    cars was suspended (no increase in C29), soybeans and farm goods carried its highest tiers;
    US list 4B (mobile phones, laptops, toys) never applied, so electronics and other
    manufacturing carry the lowest US increases of the large US import sectors."""
    layer = tariffs_end_2019(economy)
    base = np.asarray(economy.tariffs)
    c, s = list(economy.countries), list(economy.sectors)
    us, cn = c.index("USA"), c.index("CHN")
    added_cn = layer.tariffs[cn, us] - base[cn, us]
    added_us = layer.tariffs[us, cn] - base[us, cn]
    assert added_cn[s.index("C29")] == 0.0
    assert added_cn[s.index("A01")] > 1.5 * float(np.mean(added_cn[goods_mask(s)]))
    list_4b = [s.index(code) for code in ("C26", "C31T33")]          # phones, laptops; toys
    others = [s.index(code) for code in ("C27", "C28", "C13T15", "C25", "C22")]
    assert max(added_us[k] for k in list_4b) < min(added_us[k] for k in others)


def test_bad_input_is_refused(economy, tmp_path: Path) -> None:
    with pytest.raises(UnknownNameError, match="target"):
        tariffs_end_2019(economy, target="average")
    no_china = SimpleNamespace(countries=("USA", "MEX"), sectors=economy.sectors,
                               flows=np.ones((2, 2, len(economy.sectors))),
                               tariffs=np.zeros((2, 2, len(economy.sectors))))
    with pytest.raises(UserInputError, match="CHN"):
        tariffs_end_2019(no_china)
    text = LAYER_2019_FILE.read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('icio = ["C26"]', 'icio = ["C99"]', 1), encoding="utf-8")
    with pytest.raises(DataSourceError, match="C99"):
        read_layer_2019(bad)
    bad.write_text(text.replace("rate_2019_12 = 0.266705", "rate_2019_12 = 26.6705", 1), encoding="utf-8")
    with pytest.raises(DataSourceError, match="rate_2019_12"):
        read_layer_2019(bad)
    first_source = text.index('source = "tradewar-tracker')
    end = text.index("\n", first_source)
    bad.write_text(text[:first_source] + 'source = ""' + text[end:], encoding="utf-8")
    with pytest.raises(DataSourceError, match="empty source"):
        read_layer_2019(bad)


@pytest.mark.slow
def test_the_two_layers_isolate_the_cause() -> None:
    """The 2025-01-01 stand-in raises US tariffs on every partner (2024 effective rates incl.
    Section 232) while the end-2019 layer is bilateral: the stand-in predicts less diversion to
    Vietnam. The observed side does not depend on the layer."""
    new, old = (trade_war_2018(layer=k) for k in ("end-2019", "2025-01-01"))
    assert set(EXPOST_LAYERS) == {"end-2019", "2025-01-01"}
    key = ["flow", "horizon", "year"]
    a, b = new.aggregate.set_index(key), old.aggregate.set_index(key)
    assert np.array_equal(a.observed.to_numpy(), b.observed.to_numpy())
    for horizon in ("long", "short"):
        assert a.loc[("US imports from Vietnam", horizon, 2019), "predicted"] > \
            1.5 * b.loc[("US imports from Vietnam", horizon, 2019), "predicted"] > 0
    t_new = new.tariffs.set_index(["importer", "exporter"])
    t_old = old.tariffs.set_index(["importer", "exporter"])
    assert t_new.loc[("USA", "CHN"), "after"] == pytest.approx(0.210, abs=1e-9)
    assert t_old.loc[("USA", "CHN"), "after"] == pytest.approx(0.208, abs=1e-9)
    assert new.layer == "end-2019" and old.layer == "2025-01-01"
