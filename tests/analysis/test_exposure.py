"""Tests of the exposure measures (tradewar.analysis.exposure).

Identities and a hand-worked example on synthetic economies; plausibility bands and the
China/US asymmetry on the real data (WIOD 2013 table of 2011 read directly; icio 2022 and
wiod 2014 through ``tradewar.data.load_baseline``). The bands are broad on purpose: they are
checks against the published orders of magnitude, not fits to them.
"""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from tradewar.analysis.exposure import (
    EXPOSURE_COLUMNS,
    SERIES_EXTRA_COLUMNS,
    exposure_series,
    exposure_table,
    true_split_value_added_absorbed,
    value_added_absorbed,
)
from tradewar.errors import UnknownCountryError, UnknownNameError
from tradewar.model import Economy
from tradewar.testing import random_economy

# --- identities on synthetic economies ------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_value_added_absorbed_rows_sum_to_value_added(seed: int) -> None:
    """Σ over absorbing countries (including the producer itself) = the producer's value added,
    with tariffs (up to 15 %) and input-output linkages."""
    economy = random_economy(7, 4, seed=seed)
    absorbed = value_added_absorbed(economy)
    assert absorbed.shape == (7, 7)
    assert (absorbed >= 0).all()
    np.testing.assert_allclose(absorbed.sum(axis=1), economy.value_added, rtol=1e-12)


def test_value_added_absorbed_columns_sum_to_final_demand_without_tariffs() -> None:
    """Without tariffs, world value added = world final demand, and what each country absorbs
    (the column sums) is its final demand, income I = wL + D."""
    economy = random_economy(6, 3, seed=4, tariff_max=0.0)
    absorbed = value_added_absorbed(economy)
    np.testing.assert_allclose(absorbed.sum(axis=0), economy.income, rtol=1e-12)


def test_without_intermediates_value_added_absorbed_is_gross_trade() -> None:
    """One-factor production (beta = 1): no re-exports of value added, so VA of i absorbed by
    n is simply n's purchases from i."""
    economy = random_economy(5, 2, seed=3, input_output=False)
    absorbed = value_added_absorbed(economy)
    np.testing.assert_allclose(absorbed, economy.flows.sum(axis=2).T, rtol=1e-12)


def _two_by_one() -> Economy:
    return Economy(
        countries=("A", "B"),
        sectors=("S",),
        # M[n, i]: A buys 60 from itself and 20 from B; B buys 40 from A and 80 from itself
        flows=np.array([[[60.0], [20.0]], [[40.0], [80.0]]]),
        tariffs=np.zeros((2, 2, 1)),
        theta=np.array([4.0]),
        va_share=np.array([[0.5], [0.5]]),
        input_share=np.array([[[0.5]], [[0.5]]]),
        final_share=np.array([[1.0], [1.0]]),
    )


def test_two_country_one_sector_by_hand() -> None:
    """Worked example.

    Output Y_A = 60 + 40 = 100, Y_B = 20 + 80 = 100; absorption X_A = 80, X_B = 120.
    beta = gamma = 1/2, so intermediate use is 50 in each country: the intermediate share of
    absorption is s_A = 50/80 = 5/8, s_B = 50/120 = 5/12.
    A[i, n] = M[n, i] gamma / X_n:  A = [[60/160, 40/240], [20/160, 80/240]]
                                      = [[3/8, 1/6], [1/8, 1/3]]   (columns sum to 1/2).
    F[i, n] = M[n, i] (1 − s_n):    F = [[60·3/8, 40·7/12], [20·3/8, 80·7/12]]
                                      = [[45/2, 70/3], [15/2, 140/3]].
    I − A = [[5/8, −1/6], [−1/8, 2/3]], det = 5/12 − 1/48 = 19/48,
    L = (48/19) [[2/3, 1/6], [1/8, 5/8]] = [[32, 8], [6, 30]] / 19.
    VA[A → A] = 1/2 (32·45/2 + 8·15/2)/19  = 390/19
    VA[A → B] = 1/2 (32·70/3 + 8·140/3)/19 = 560/19
    VA[B → A] = 1/2 (6·45/2 + 30·15/2)/19  = 180/19
    VA[B → B] = 1/2 (6·70/3 + 30·140/3)/19 = 770/19
    Rows sum to 950/19 = 50 = value added of each. As % of GDP (50): A's value added absorbed
    by B is 560/19/50 = 58.95 %, while A's gross exports to B are 40/50 = 80 %.
    """
    economy = _two_by_one()
    expected = np.array([[390, 560], [180, 770]], dtype=float) / 19.0
    np.testing.assert_allclose(value_added_absorbed(economy), expected, rtol=1e-13)

    table = exposure_table(economy, year=2011, dataset="hand")
    a_to_b = table.set_index(["exporter", "partner"]).loc[("A", "B")]
    assert a_to_b["gross_exports_pct_gdp"] == pytest.approx(80.0)
    assert a_to_b["value_added_absorbed_pct_gdp"] == pytest.approx(
        float(Fraction(560, 19) / 50 * 100)
    )
    assert a_to_b["partner_share_of_exports_pct"] == pytest.approx(100.0)
    b_to_a = table.set_index(["exporter", "partner"]).loc[("B", "A")]
    assert b_to_a["gross_exports_pct_gdp"] == pytest.approx(40.0)
    assert b_to_a["value_added_absorbed_pct_gdp"] == pytest.approx(float(Fraction(180, 19) * 2))


def test_exposure_table_layout() -> None:
    economy = random_economy(5, 3, seed=5)
    table = exposure_table(economy)
    assert tuple(table.columns) == EXPOSURE_COLUMNS
    assert len(table) == 5 * 4
    assert (table["exporter"] != table["partner"]).all()
    assert not table.duplicated(["exporter", "partner"]).any()
    assert table["year"].isna().all() and table["dataset"].isna().all()
    shares = table.groupby("exporter")["partner_share_of_exports_pct"].sum()
    np.testing.assert_allclose(shares.to_numpy(), 100.0, rtol=1e-12)
    # exporter-major order, as in economy.countries
    assert list(table["exporter"].unique()) == list(economy.countries)

    baseline = SimpleNamespace(economy=economy, year=2014, dataset="wiod")
    from_baseline = exposure_table(baseline)
    assert (from_baseline["year"] == 2014).all() and (from_baseline["dataset"] == "wiod").all()
    overridden = exposure_table(baseline, year=2000, dataset="icio")
    assert (overridden["year"] == 2000).all() and (overridden["dataset"] == "icio").all()
    pd.testing.assert_frame_equal(
        from_baseline.iloc[:, 4:], table.iloc[:, 4:], check_exact=False, rtol=1e-12
    )
    with pytest.raises(TypeError, match="Baseline"):
        exposure_table(np.zeros(3))


def _fake_loader(calls: list[tuple[str, int]]):
    def load(dataset: str, year: int) -> SimpleNamespace:
        calls.append((dataset, year))
        economy = random_economy(4, 2, seed=year)
        gdp = 1.1 * np.asarray(economy.value_added)
        return SimpleNamespace(economy=economy, year=year, dataset=dataset, gdp_musd=gdp)

    return load


def test_exposure_series_with_a_loader() -> None:
    calls: list[tuple[str, int]] = []
    series = exposure_series("C00", "C01", [2011, 2014], loader=_fake_loader(calls))
    assert tuple(series.columns) == EXPOSURE_COLUMNS + SERIES_EXTRA_COLUMNS
    # wiod covers 2011 and 2014, icio 2011 and 2014: four rows, wiod first
    assert calls == [("wiod", 2011), ("wiod", 2014), ("icio", 2011), ("icio", 2014)]
    assert list(series["dataset"]) == ["wiod", "wiod", "icio", "icio"]
    table = exposure_table(random_economy(4, 2, seed=2014))
    row = table[(table.exporter == "C00") & (table.partner == "C01")].iloc[0]
    got = series[(series.dataset == "wiod") & (series.year == 2014)].iloc[0]
    for column in EXPOSURE_COLUMNS[4:]:
        assert got[column] == pytest.approx(row[column], rel=1e-12)
    assert got["gross_exports_pct_wdi_gdp"] == pytest.approx(row["gross_exports_pct_gdp"] / 1.1)

    calls.clear()
    only_wiod = exposure_series("C00", "C01", [2005], loader=_fake_loader(calls))
    assert calls == [("wiod", 2005)] and len(only_wiod) == 1


def test_exposure_series_bad_input() -> None:
    loader = _fake_loader([])
    with pytest.raises(UnknownNameError, match="year"):
        exposure_series("C00", "C01", [1990], loader=loader)
    with pytest.raises(UnknownNameError, match="dataset"):
        exposure_series("C00", "C01", [2011], datasets=("tiva",), loader=loader)
    with pytest.raises(UnknownCountryError, match="XXX"):
        exposure_series("XXX", "C01", [2011], loader=loader)
    with pytest.raises(UnknownNameError, match="partner"):
        exposure_series("C00", "C00", [2011], loader=loader)


# --- the true-split machinery on a synthetic world input-output table ----------------------


def _synthetic_table(seed: int, proportional: bool) -> SimpleNamespace:
    """A balanced world IO table. With ``proportional`` every importer splits imports of each
    sector between intermediate and final use in the same proportions from every source."""
    rng = np.random.default_rng(seed)
    n, j = 4, 3
    flows = rng.uniform(1.0, 5.0, (n, n, j))  # M[n, i, k]
    flows[np.arange(n), np.arange(n)] += 20.0  # home bias keeps value added positive
    absorption = flows.sum(axis=1)  # X[n, k]
    use = 0.4 * absorption[:, :, None] * rng.dirichlet(np.ones(j), (n, j))  # U[n, k, j]
    if proportional:
        inter = np.einsum("nik,nkj->iknj", flows / absorption[:, None, :], use)
    else:
        weights = rng.uniform(0.6, 1.4, (n, n, j))  # source-specific intermediate intensity
        share = flows * weights / (flows * weights).sum(axis=1, keepdims=True)
        inter = np.einsum("nik,nkj->iknj", share, use)
    final = flows.transpose(1, 2, 0) - inter.sum(axis=3)  # [i, k, n]
    assert (final > 0).all()
    final4 = np.stack([0.7 * final, 0.3 * final], axis=3)  # two final-demand categories
    output = flows.sum(axis=0)
    assert (output - inter.sum(axis=(0, 1)) > 0).all()
    return SimpleNamespace(
        year=2011, countries=("P", "Q", "R", "S"), intermediate=inter, final=final4,
        output=output, value_added=output - inter.sum(axis=(0, 1)),
    )


def test_true_split_equals_proportional_when_the_table_is_proportional() -> None:
    comparison = true_split_value_added_absorbed(_synthetic_table(0, proportional=True))
    np.testing.assert_allclose(comparison.true_split, comparison.proportional, rtol=1e-12)
    np.testing.assert_allclose(comparison.true_split.sum(axis=1), comparison.value_added, rtol=1e-12)


def test_true_split_differs_but_both_sum_to_value_added() -> None:
    comparison = true_split_value_added_absorbed(_synthetic_table(1, proportional=False))
    for absorbed in (comparison.true_split, comparison.proportional):
        np.testing.assert_allclose(absorbed.sum(axis=1), comparison.value_added, rtol=1e-12)
    assert np.abs(comparison.true_split - comparison.proportional).max() > 1e-3
    table = comparison.table()
    assert len(table) == 12
    np.testing.assert_allclose(
        table["difference_pp"],
        table["value_added_absorbed_pct_gdp_proportional"] - table["value_added_absorbed_pct_gdp_true"],
    )


def test_proportional_wiot_path_matches_the_economy_path() -> None:
    """The same proportional split computed from an Economy (no tariffs) and from a table."""
    economy = random_economy(4, 3, seed=8, tariff_max=0.0)
    flows = np.asarray(economy.flows)
    x = economy.expenditure
    use = economy.input_share * economy.output[:, None, :]  # U[n, k, j]
    inter = np.einsum("nik,nkj->iknj", flows / x[:, None, :], use)
    final = flows.transpose(1, 2, 0) - inter.sum(axis=3)
    table = SimpleNamespace(
        year=2011, countries=economy.countries, intermediate=inter, final=final[..., None],
    )
    comparison = true_split_value_added_absorbed(table)
    np.testing.assert_allclose(comparison.proportional, value_added_absorbed(economy), rtol=1e-11)
    np.testing.assert_allclose(comparison.value_added, economy.value_added, rtol=1e-11)


# --- real data ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wiot_comparison():
    from tradewar.data._sources import default_data_dir, read_wiot2011

    data_dir = default_data_dir()
    return true_split_value_added_absorbed(read_wiot2011(data_dir))


def test_wiot2011_true_split_vs_proportional(wiot_comparison) -> None:
    comp = wiot_comparison
    chn, usa = comp.countries.index("CHN"), comp.countries.index("USA")
    for absorbed in (comp.true_split, comp.proportional):
        np.testing.assert_allclose(absorbed.sum(axis=1), comp.value_added, rtol=1e-9)
    table = comp.table().set_index(["exporter", "partner"])
    c2u, u2c = table.loc[("CHN", "USA")], table.loc[("USA", "CHN")]
    # WIOD 2011: China's value added absorbed by US final demand ≈ 4-5 % of China's GDP,
    # US value added absorbed by China ≈ 1 %; gross exports a bit above each.
    assert 3.0 < c2u["value_added_absorbed_pct_gdp_true"] < 6.5
    assert 0.5 < u2c["value_added_absorbed_pct_gdp_true"] < 2.0
    assert c2u["value_added_absorbed_pct_gdp_true"] > 3 * u2c["value_added_absorbed_pct_gdp_true"]
    # the proportionality assumption moves these two figures by less than 5 % of their value
    assert abs(c2u["difference_pct"]) < 5.0 and abs(u2c["difference_pct"]) < 5.0
    # and across all sizeable pairs (true figure > 1 % of GDP) by less than 0.3 pp at the median
    sizeable = table[table["value_added_absorbed_pct_gdp_true"] > 1.0]
    assert sizeable["difference_pp"].abs().median() < 0.3
    assert comp.value_added[chn] == pytest.approx(7.39e6, rel=0.05)  # China's GDP 2011, million USD
    assert comp.value_added[usa] == pytest.approx(15.2e6, rel=0.05)


def _load_baseline():
    from tradewar.data import load_baseline

    return load_baseline


@pytest.fixture(scope="module", params=[("icio", 2022), ("wiod", 2014)], ids=lambda p: f"{p[0]}{p[1]}")
def real_baseline(request):
    load_baseline = _load_baseline()
    return load_baseline(request.param[0], request.param[1])


def test_value_added_identity_on_real_data(real_baseline) -> None:
    economy = real_baseline.economy
    absorbed = value_added_absorbed(economy)
    np.testing.assert_allclose(absorbed.sum(axis=1), economy.value_added, rtol=1e-9)
    assert absorbed.min() > -1e-6 * economy.value_added.max()


def test_china_us_exposure_is_plausible_and_asymmetric(real_baseline) -> None:
    """Published: China's gross exports to the US ≈ 2.3-2.9 % of China's GDP (2022-24); US
    final demand absorbs ≈ 2.8-3.1 % of China's value added (OECD TiVA; WIOD 2014); ≈ 0.7 % of
    US GDP depends on Chinese final demand (WIOD 2014). Broad bands, not the published values."""
    table = exposure_table(real_baseline).set_index(["exporter", "partner"])
    c2u, u2c = table.loc[("CHN", "USA")], table.loc[("USA", "CHN")]
    assert 1.5 < c2u["gross_exports_pct_gdp"] < 5.0
    assert 1.5 < c2u["value_added_absorbed_pct_gdp"] < 5.0
    assert 0.3 < u2c["gross_exports_pct_gdp"] < 2.0
    assert 0.3 < u2c["value_added_absorbed_pct_gdp"] < 1.5
    assert c2u["gross_exports_pct_gdp"] > 2 * u2c["gross_exports_pct_gdp"]
    assert c2u["value_added_absorbed_pct_gdp"] > 2 * u2c["value_added_absorbed_pct_gdp"]
    # the US takes 10-25 % of China's exports; China 3-15 % of the US's
    assert 10.0 < c2u["partner_share_of_exports_pct"] < 25.0
    assert 3.0 < u2c["partner_share_of_exports_pct"] < 15.0
    assert table.loc[("CHN", "USA"), "year"] == real_baseline.year


def test_wiot2011_baseline_agrees_with_the_true_split(wiot_comparison) -> None:
    """The whole pipeline (calibrated wiot2011 baseline: negative inventories clipped, tariffs
    from the WIOD-2016 cube, proportional split) lands within 5 % of the table's true split for
    China ↔ USA."""
    load_baseline = _load_baseline()
    baseline = load_baseline("wiot2011")
    table = exposure_table(baseline).set_index(["exporter", "partner"])
    truth = wiot_comparison.table().set_index(["exporter", "partner"])
    for pair in (("CHN", "USA"), ("USA", "CHN")):
        assert table.loc[pair, "value_added_absorbed_pct_gdp"] == pytest.approx(
            truth.loc[pair, "value_added_absorbed_pct_gdp_true"], rel=0.05
        )
        assert table.loc[pair, "gross_exports_pct_gdp"] == pytest.approx(
            truth.loc[pair, "gross_exports_pct_gdp"], rel=0.05
        )
