"""Tests of the calibrated baselines on the real data in ../shared/data.

Every dataset-year must be an exact equilibrium of the engine (a zero shock returns every hat
= 1); the reconciliation steps must be recorded; regions, the cache and option validation are
checked too. The cache lives in a temporary directory (TRADEWAR_CACHE_DIR).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from tradewar.data import (
    Adjustment,
    Baseline,
    aggregate,
    build_all,
    build_baseline,
    cache_dir,
    default_data_dir,
    load_baseline,
    read_cube,
    region_mapping,
)
from tradewar.data._cache import CACHE_DIR_ENV, CacheWarning
from tradewar.data._reconcile import read_wiod16_groups
from tradewar.errors import DataSourceError, UnknownNameError, UserInputError
from tradewar.model import solve
from tradewar.options import ELASTICITY_SETS, YEARS

ALL_YEARS = [(d, y) for d in ("icio", "wiod", "wiot2011") for y in YEARS[d]]


@pytest.fixture(scope="session")
def data_dir() -> Path:
    try:
        return default_data_dir()
    except DataSourceError as exc:  # CI always has ../shared/data: missing data is a failure
        pytest.fail(f"real data not available: {exc}")


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory, data_dir):
    """A cache directory for the whole session, filled by build_all."""
    path = tmp_path_factory.mktemp("tradewar-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(CACHE_DIR_ENV, str(path))
        calls: list[tuple[int, int, str, int, float]] = []
        timings = build_all(data_dir, progress=lambda *args: calls.append(args))
        yield path, timings, calls


@pytest.fixture
def cached(session_cache, monkeypatch):
    path, _, _ = session_cache
    monkeypatch.setenv(CACHE_DIR_ENV, str(path))
    return path


@pytest.fixture
def icio2022(cached) -> Baseline:
    return load_baseline("icio", 2022)


def _check_equilibrium_conditions(baseline: Baseline) -> None:
    """The baseline conditions, checked independently of the solver."""
    e = baseline.economy
    scale = e.expenditure.sum()
    np.testing.assert_allclose(e.va_share + e.input_share.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(e.final_share.sum(axis=1), 1.0, atol=1e-12)
    assert (e.final_share >= 0).all() and (e.input_share >= 0).all() and (e.va_share >= 0).all()
    # goods market: X = gamma Y + alpha I
    implied = np.einsum("njk,nk->nj", e.input_share, e.output) + e.final_share * e.income[:, None]
    assert np.abs(e.expenditure - implied).max() <= 1e-10 * scale
    # trade balance: imports - exports = D, deficits sum to zero
    np.testing.assert_allclose(e.imports - e.exports, e.deficit, atol=1e-9 * scale)
    assert abs(e.deficit.sum()) <= 1e-9 * scale


# --- every dataset-year is an exact equilibrium ------------------------------------------


@pytest.mark.parametrize(("dataset", "year"), ALL_YEARS)
def test_zero_shock_is_exact(cached, dataset, year):
    baseline = load_baseline(dataset, year, "IS")
    assert (baseline.dataset, baseline.year, baseline.elasticity) == (dataset, year, "IS")
    _check_equilibrium_conditions(baseline)
    eq = solve(baseline.economy)
    assert eq.diagnostics.converged
    assert np.abs(eq.w_hat - 1.0).max() <= 1e-10
    assert np.abs(eq.P_hat - 1.0).max() <= 1e-10
    assert eq.diagnostics.max_residual <= 1e-10
    assert len(baseline.sources) >= 3 and all(len(v) == 64 for v in baseline.sources.values())
    assert baseline.gdp_musd.shape == (baseline.economy.n_countries,)
    assert np.isfinite(baseline.gdp_musd).all() and (baseline.gdp_musd > 0).all()


def test_build_all_covers_every_year(session_cache):
    _, timings, calls = session_cache
    assert [(d, y) for d, y, _ in timings] == ALL_YEARS
    assert [c[:2] for c in calls] == [(k, len(ALL_YEARS)) for k in range(1, len(ALL_YEARS) + 1)]
    # build times are reported, never asserted (speed lives in benchmarks/bench_baseline.py)
    assert all(seconds > 0 for _, _, seconds in timings)


# --- icio 2022 ----------------------------------------------------------------------------


def test_icio2022_sectors_and_labels(icio2022):
    e = icio2022.economy
    assert (e.n_countries, e.n_sectors) == (81, 28)
    assert e.sectors[-1] == "SERV" and "Services (aggregate)" not in e.sectors
    assert icio2022.sector_labels["SERV"] == "Services (aggregate)"
    assert set(icio2022.sector_labels) == set(e.sectors)
    assert (e.tariffs[:, :, -1] == 0).all()


def test_icio2022_us_imports_from_china_equal_the_cube(icio2022, data_dir):
    e = icio2022.economy
    usa, chn = e.index_of("USA"), e.index_of("CHN")
    cube = read_cube(data_dir, "icio", 2022)
    assert e.flows[usa, chn].sum() == pytest.approx(cube.flows[usa, chn].sum(), rel=1e-12)
    assert e.flows[usa, chn].sum() == pytest.approx(532_152, rel=1e-3)
    np.testing.assert_array_equal(e.flows, cube.flows)  # flows are never changed
    assert e.deficit[usa] == pytest.approx(962_008, rel=1e-3)


def test_icio2022_adjustments_recorded(icio2022):
    adjustments = icio2022.adjustments
    assert adjustments and all(isinstance(a, Adjustment) for a in adjustments)
    table = icio2022.adjustments_table()
    assert list(table.columns) == ["step", "country", "sector", "detail", "amount_musd", "factor"]
    assert len(table) == len(adjustments)
    scaled = table[table["step"] == "input row scaled"]
    # WIOD-2011 input shares on ICIO-2022 flows: negative final demand, fixed row by row
    assert len(scaled) > 0
    assert ((scaled["factor"] > 0) & (scaled["factor"] < 1)).all()
    assert (scaled["amount_musd"] > 0).all()
    assert not scaled.duplicated(["country", "sector"]).any()
    borrowed = set(table.loc[table["step"] == "borrowed structure: ROW", "country"])
    assert {"VNM", "HRV", "CHE", "SAU"} <= borrowed and "USA" not in borrowed
    services = table[table["step"] == "services tariffs set to 0"]
    assert len(services) == 1 and services["amount_musd"].iloc[0] > 0
    summary = icio2022.summary()
    json.dumps(summary)  # JSON-ready
    assert summary["n_countries"] == 81 and summary["n_sectors"] == 28
    assert summary["years"] == {"flows": 2022, "tariffs": 2021, "io_structure": 2011, "gdp": 2022}
    steps = summary["adjustments"]
    assert steps["input row scaled"]["count"] == len(scaled)
    assert steps["input row scaled"]["amount_musd"] == pytest.approx(scaled["amount_musd"].sum())
    assert summary["n_adjustments"] == len(adjustments)
    assert summary["total_trade_musd"] < summary["world_output_musd"]
    assert "icio 2022" in icio2022.description and "81" in icio2022.description


def test_final_demand_floor_after_scaling(icio2022):
    e = icio2022.economy
    final = e.expenditure - np.einsum("nkj,nj->nk", e.input_share, e.output)
    assert (final >= 0.99e-6 * e.expenditure).all()


def test_gdp(icio2022):
    e = icio2022.economy
    gdp = dict(zip(e.countries, icio2022.gdp_musd, strict=True))
    assert 2.0e7 <= gdp["USA"] <= 2.3e7  # millions of constant-2015 USD
    assert gdp["ROW"] > 0
    assert any(a.step == "gdp: ROW as world residual" for a in icio2022.adjustments)


def test_every_elasticity_set_shares_one_calibration(cached):
    base = load_baseline("icio", 2022, "IS")
    for name in ELASTICITY_SETS:
        other = load_baseline("icio", 2022, name)
        assert other.elasticity == name
        np.testing.assert_array_equal(other.economy.theta, base.elasticities[name])
        np.testing.assert_array_equal(other.economy.final_share, base.economy.final_share)
        np.testing.assert_array_equal(base.with_elasticity(name).economy.theta, other.economy.theta)


# --- WIOD-2016 sectors --------------------------------------------------------------------


def test_wiod_sector_columns_named_by_their_flows(cached, data_dir):
    """The cube's stored names of columns 5-12 do not describe their flows (see
    concordance_wiod16_groups.csv): the column stored as 'Coke and refined petroleum' holds
    paper and printing, like ICIO's C17_18; tariffs follow the stored names."""
    table = read_wiod16_groups()
    wiod = read_cube(data_dir, "wiod", 2014)
    icio = read_cube(data_dir, "icio", 2014)
    assert tuple(table["cube_label"]) == wiod.sectors
    usa_w, usa_i = wiod.countries.index("USA"), icio.countries.index("USA")
    paper = wiod.flows[:, usa_w, 5].sum()  # output of the column stored as "Coke ..."
    assert paper == pytest.approx(icio.flows[:, usa_i, icio.sectors.index("C17_18")].sum(), rel=0.1)
    baseline = load_baseline("wiod", 2014)
    assert baseline.economy.sectors == tuple(f"W{k:02d}" for k in range(1, 17))
    assert baseline.sector_labels["W06"].startswith("Paper and printing")
    assert baseline.sector_labels["W07"].startswith("Coke and refined petroleum")
    tau = baseline.economy.tariffs
    np.testing.assert_array_equal(tau[:, :, 6], wiod.tariffs[:, :, 5])  # coke <- "Coke ..."
    np.testing.assert_array_equal(tau[:, :, 5], wiod.tariffs[:, :, 4])  # paper <- "Wood, paper..."
    np.testing.assert_allclose(tau[:, :, 10], 0.5 * (wiod.tariffs[:, :, 8] + wiod.tariffs[:, :, 9]))
    cp = baseline.with_elasticity("CP").economy.theta
    assert cp[6] == pytest.approx(64.85)  # Caliendo-Parro's petroleum elasticity on coke
    steps = [a for a in baseline.adjustments if a.step == "tariffs from relabelled column"]
    assert [a.sector for a in steps] == ["W06", "W07", "W08", "W09", "W10", "W11", "W12"]


def test_wiot2011(cached, data_dir):
    baseline = load_baseline("wiot2011")
    e = baseline.economy
    assert (e.n_countries, e.n_sectors) == (41, 35)
    assert e.sectors == tuple(f"c{k}" for k in range(1, 36))
    assert baseline.sector_labels["c12"].startswith("27t28")
    assert (e.tariffs[:, :, 16:] == 0).all()
    clipped = [a for a in baseline.adjustments if a.step == "negative final demand clipped"]
    assert sum(a.amount_musd for a in clipped) == pytest.approx(170_065)
    assert e.output.sum() == pytest.approx(141.8e6, rel=0.01)


# --- regions ------------------------------------------------------------------------------


def _imports_from_outside(baseline: Baseline, mapping: dict[str, str]) -> dict[str, float]:
    e = baseline.economy
    region = np.array([mapping[c] for c in e.countries])
    out: dict[str, float] = {}
    for r in dict.fromkeys(mapping.values()):
        inside = region == r
        out[r] = float(e.flows[np.ix_(inside, ~inside)].sum())
    return out


def test_g14_aggregation_is_exact_and_preserves_trade(icio2022, cached):
    regional = load_baseline("icio", 2022, regions="g14")
    e = regional.economy
    assert regional.regions == "g14"
    assert e.countries == ("USA", "CHN", "EU27", "GBR", "JPN", "KOR", "IND", "VNM", "TWN", "CAN",
                           "MEX", "AUS", "BRA", "ROW")
    _check_equilibrium_conditions(regional)
    eq = solve(e)
    assert np.abs(eq.w_hat - 1.0).max() <= 1e-10 and np.abs(eq.P_hat - 1.0).max() <= 1e-10
    base = icio2022.economy
    assert e.flows.sum() == pytest.approx(base.flows.sum(), rel=1e-12)
    mapping = region_mapping("g14", base.countries)
    outside = _imports_from_outside(icio2022, mapping)
    for r, region in enumerate(e.countries):
        assert e.imports[r] == pytest.approx(outside[region], rel=1e-12), region
    # tariff revenue on flows from outside the region is preserved by flow weighting
    region = np.array([mapping[c] for c in base.countries])
    for r, name in enumerate(e.countries):
        inside = region == name
        revenue = (base.tariffs * base.flows)[np.ix_(inside, ~inside)].sum()
        assert e.tariff_revenue[r] == pytest.approx(revenue, rel=1e-10)
    assert regional.gdp_musd.sum() == pytest.approx(icio2022.gdp_musd.sum(), rel=1e-12)
    removed = {a.country: a.amount_musd for a in regional.adjustments
               if a.step == "within-region tariffs removed"}
    assert "EU27" not in removed  # a customs union: no tariffs among members in the data
    assert removed["ROW"] == pytest.approx(
        (base.tariffs * base.flows)[np.ix_(region == "ROW", region == "ROW")].sum())
    assert (e.tariffs[np.arange(14), np.arange(14), :] == 0).all()


def test_blocs_mapping(icio2022):
    mapping = region_mapping("blocs", icio2022.economy.countries)
    regions = list(dict.fromkeys(mapping.values()))
    assert regions == ["EU27", "USMCA", "CPTPP11", "ASEAN", "CHN", "IND", "JPN", "KOR", "GBR",
                       "BRA", "RUS", "ROW"]
    assert mapping["MEX"] == mapping["CAN"] == mapping["USA"] == "USMCA"
    assert mapping["JPN"] == "JPN" and mapping["VNM"] == "CPTPP11" and mapping["THA"] == "ASEAN"
    assert mapping["DEU"] == "EU27" and mapping["CHE"] == "ROW"
    economy, adjustments = aggregate(icio2022.economy, mapping, "blocs")
    assert economy.n_countries == 12 and adjustments
    assert solve(economy).diagnostics.converged


def test_toml_regions(icio2022, tmp_path):
    countries = icio2022.economy.countries
    good = tmp_path / "good.toml"
    good.write_text('rest = "OTHERS"\n[regions]\nNAFTA = ["USA", "CAN", "MEX"]\nCHN = ["CHN", "HKG"]\n')
    mapping = region_mapping(good, countries)
    assert mapping["USA"] == "NAFTA" and mapping["HKG"] == "CHN" and mapping["DEU"] == "OTHERS"
    inside = tmp_path / "inside.toml"
    inside.write_text('[regions]\nNAFTA = ["USA", "CAN", "MEX"]\nrest = "ROW"\n')
    assert region_mapping(inside, countries)["FRA"] == "ROW"


def test_toml_regions_omitting_a_country(icio2022, tmp_path):
    path = tmp_path / "omit.toml"
    listed = [c for c in icio2022.economy.countries if c != "FRA"]
    path.write_text("[regions]\nALL = [" + ", ".join(f'"{c}"' for c in listed) + "]\n")
    with pytest.raises(UserInputError, match="FRA") as info:
        region_mapping(path, icio2022.economy.countries)
    assert str(path) in str(info.value)


def test_toml_regions_listing_a_country_twice(icio2022, tmp_path):
    path = tmp_path / "twice.toml"
    path.write_text('rest = "ROW"\n[regions]\nA = ["USA", "DEU"]\nB = ["JPN", "DEU"]\n')
    with pytest.raises(UserInputError, match="DEU") as info:
        region_mapping(path, icio2022.economy.countries)
    assert str(path) in str(info.value)


def test_region_mapping_errors(icio2022, tmp_path):
    countries = icio2022.economy.countries
    clash = tmp_path / "clash.toml"
    clash.write_text('rest = "ROW"\n[regions]\nJPN = ["KOR"]\n')
    with pytest.raises(UserInputError, match="JPN"):
        region_mapping(clash, countries)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('rest = "ROW"\n[regions]\nX = ["ATL"]\n')
    with pytest.raises(UnknownNameError, match="ATL"):
        region_mapping(unknown, countries)
    with pytest.raises(UnknownNameError, match="g14"):
        region_mapping("g15", countries)
    with pytest.raises(UserInputError, match="nothere.toml"):
        region_mapping(tmp_path / "nothere.toml", countries)
    bad = tmp_path / "bad.toml"
    bad.write_text("[regions\n")
    with pytest.raises(UserInputError, match="bad.toml"):
        region_mapping(bad, countries)


# --- options ------------------------------------------------------------------------------


def test_unknown_options_list_allowed_values(cached):
    with pytest.raises(UnknownNameError, match="icio, wiod, wiot2011"):
        load_baseline("gtap")
    with pytest.raises(UnknownNameError, match="2011, 2012") as info:
        build_baseline("icio", 2010)
    assert "2022" in str(info.value)
    with pytest.raises(UnknownNameError, match="2000"):
        load_baseline("wiod", 2015)
    with pytest.raises(UnknownNameError, match="BSY, CP, FGO, GYY, IS, LL, Shap, U4"):
        build_baseline("icio", 2022, "XX")


# --- cache --------------------------------------------------------------------------------


def test_cache_dir_env(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.delenv(CACHE_DIR_ENV)
    assert cache_dir() == Path.home() / ".cache" / "tradewar"


def test_cache_is_read_not_rebuilt_and_identical(monkeypatch, tmp_path, data_dir):
    import tradewar.data._cache as cache_module

    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    built = build_baseline("icio", 2022, data_dir=data_dir)
    load_baseline("icio", 2022, data_dir=data_dir)  # fills the cache
    assert len(list(tmp_path.glob("icio-2022-*.npz"))) == 1

    def no_rebuild(*args, **kwargs):
        raise AssertionError("the cached baseline was rebuilt from the sources")

    # behaviour, not speed (speed: benchmarks/bench_baseline.py): the second load reads the cache
    monkeypatch.setattr(cache_module, "calibrate", no_rebuild)
    loaded = load_baseline("icio", 2022, data_dir=data_dir)
    for name in ("flows", "tariffs", "theta", "va_share", "input_share", "final_share", "deficit",
                 "value_added"):
        np.testing.assert_array_equal(getattr(loaded.economy, name), getattr(built.economy, name))
    assert loaded.adjustments == built.adjustments
    assert loaded.sources == built.sources and loaded.sector_labels == built.sector_labels
    np.testing.assert_array_equal(loaded.gdp_musd, built.gdp_musd)


def test_corrupted_cache_is_rebuilt_with_a_warning(monkeypatch, tmp_path, data_dir):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    first = load_baseline("wiod", 2005, data_dir=data_dir)
    (npz,) = tmp_path.glob("wiod-2005-*.npz")
    npz.write_bytes(b"garbage" * 100)
    with pytest.warns(CacheWarning, match="rebuilding"):
        again = load_baseline("wiod", 2005, data_dir=data_dir)
    np.testing.assert_array_equal(again.economy.input_share, first.economy.input_share)
    (sidecar,) = tmp_path.glob("wiod-2005-*.json")
    sidecar.write_text("{not json")
    with pytest.warns(CacheWarning):
        load_baseline("wiod", 2005, data_dir=data_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_baseline("wiod", 2005, data_dir=data_dir)  # repaired


def test_no_cache(monkeypatch, tmp_path, data_dir):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    load_baseline("wiod", 2003, data_dir=data_dir, cache=False)
    assert not list(tmp_path.iterdir())


def test_gdp_falls_back_to_value_added(data_dir):
    from tradewar.data._baseline import _gdp

    gdp, adjustments = _gdp(("USA", "XXX", "ROW"), 2022, np.array([1.0, 123.0, 5.0]), data_dir)
    assert gdp[1] == 123.0 and gdp[2] > 0
    steps = {a.step: a for a in adjustments}
    assert steps["gdp: value added used"].country == "XXX"
    assert "gdp: ROW as world residual" in steps
