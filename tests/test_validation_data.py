"""Validation datasets (CP2015, gegravity sample), the numpy CP reference and the exact
one-sector solver used as test oracles."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.reference.yotov_exact import acr_check, acr_welfare, solve_endowment
from tradewar.data._paths import default_data_dir
from tradewar.data._validation import (
    CP2015_PUBLISHED_REAL_WAGE,
    CP2015_PUBLISHED_WELFARE,
    load_cp2015,
    load_gegravity_sample,
)
from tradewar.model._economy import Economy

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load_benchmark(name: str):
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def data_dir() -> Path:
    return default_data_dir()


@pytest.fixture(scope="module")
def cp(data_dir):
    return load_cp2015(data_dir)


# ---------------------------------------------------------------- CP2015 data


def test_cp2015_dimensions_and_labels(cp):
    eco = cp.economy
    assert isinstance(eco, Economy)
    assert (eco.n_countries, eco.n_sectors) == (31, 40)
    assert eco.flows.shape == (31, 31, 40)
    for code in ("MEX", "CAN", "USA", "ROW", "DEU", "GBR"):
        assert code in eco.countries
    assert cp.region_names[eco.countries.index("MEX")] == "Mexico"
    assert eco.sectors[0] == "Agriculture" and "Auto" in eco.sectors


def test_cp2015_shares_valid(cp):
    eco = cp.economy
    np.testing.assert_allclose(eco.input_share.sum(axis=1) + eco.va_share, 1.0, atol=1e-12)
    np.testing.assert_allclose(eco.final_share.sum(axis=1), 1.0, atol=1e-12)
    assert (eco.input_share >= 0).all() and (eco.va_share >= 0).all()
    np.testing.assert_allclose(cp.trade_shares.sum(axis=1), 1.0, atol=1e-12)
    assert abs(eco.deficit.sum()) < 1e-9
    # CP's raw shares: one negative input (Canada, Other -> Basic metals), recorded in notes
    assert (cp.input_share_raw < 0).sum() == 1
    assert any("negative" in n or "set to 0" in n for n in eco.notes)
    # units: millions of USD (US value added 1993 ≈ 6.4 trillion USD)
    assert 5e6 < eco.value_added[eco.countries.index("USA")] < 8e6


def test_cp2015_tariff_scenarios(cp):
    eco = cp.economy
    np.testing.assert_array_equal(cp.tariffs_baseline, eco.tariffs)
    changed = np.argwhere(cp.tariffs_counterfactual != cp.tariffs_baseline)
    nafta = {eco.countries.index(c) for c in ("MEX", "CAN", "USA")}
    assert len(changed) > 0
    assert all(n in nafta and i in nafta and n != i for n, i, _ in changed)
    assert (cp.tariffs_counterfactual <= cp.tariffs_baseline).all()
    np.testing.assert_array_equal(cp.trade_cost_hat_baseline, 1.0)
    np.testing.assert_array_equal(cp.trade_cost_hat_counterfactual, 1.0)


def test_cp2015_published_constants(cp):
    # the hand-entered published figures are compared with the README's Validation section in
    # tests/test_readme.py (not with a copy of themselves); here: the loader carries them
    assert set(CP2015_PUBLISHED_WELFARE) == set(CP2015_PUBLISHED_REAL_WAGE) == {"MEX", "CAN", "USA"}
    assert cp.published_welfare == CP2015_PUBLISHED_WELFARE
    assert cp.published_real_wage == CP2015_PUBLISHED_REAL_WAGE
    assert "Caliendo" in cp.citation and "Parro" in cp.citation


# ---------------------------------------------------------------- gegravity sample


def test_gegravity_sample_loads(data_dir):
    g = load_gegravity_sample(data_dir)
    assert len(g.countries) == 30 and g.year == 2006
    assert g.trade.shape == (30, 30)
    assert (g.output > 0).all() and (g.expenditure > 0).all()
    usa, can = g.countries.index("USA"), g.countries.index("CAN")
    assert g.trade[usa, can] == 214830.0  # US imports from Canada, millions of USD
    assert set(g.covariates) == {"pta", "contiguity", "common_language", "lndist", "international"}
    np.testing.assert_array_equal(np.diag(g.covariates["international"]), 0)


# ---------------------------------------------------------------- CP numpy reference


def test_numpy_reference_reproduces_published_cp(data_dir):
    ref = _load_benchmark("cp_numpy_reference")
    res = ref.nafta_reference(data_dir)
    for code in ("MEX", "CAN", "USA"):
        welfare, real_wage = res["nafta"][code]
        assert abs(welfare - CP2015_PUBLISHED_WELFARE[code]) <= 0.005, (code, welfare)
        assert abs(real_wage - CP2015_PUBLISHED_REAL_WAGE[code]) <= 0.005, (code, real_wage)


# ---------------------------------------------------------------- exact one-sector solver


def _toy(n: int = 4, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 10.0, size=(n, n))
    return x + np.diag(rng.uniform(50.0, 100.0, size=n))


def test_yotov_zero_shock_returns_ones():
    x = _toy()
    res = solve_endowment(x, sigma=5.0)
    for arr in (res.price_hat, res.imr_hat, res.omr_hat, res.expenditure_hat, res.welfare, res.real_gdp):
        np.testing.assert_allclose(arr, 1.0, atol=1e-12)
    assert res.scale == pytest.approx(1.0, abs=1e-14)
    np.testing.assert_allclose(res.flows_new, x, rtol=1e-12)


def test_yotov_symmetric_two_country():
    x = np.array([[100.0, 20.0], [20.0, 100.0]])
    shock = np.array([[1.0, 1.3], [1.3, 1.0]])  # lower trade costs both ways
    res = solve_endowment(x, sigma=4.0, cost_change=shock)
    assert res.residual < 1e-13
    assert res.price_hat[0] == pytest.approx(res.price_hat[1], rel=1e-13)
    assert res.welfare[0] == pytest.approx(res.welfare[1], rel=1e-13)
    assert res.welfare[0] > 1.0  # both gain
    np.testing.assert_allclose(res.flows_new, res.flows_new.T, rtol=1e-12)
    # ACR: Ŵ = (π̂_nn)^(-1/(σ-1)) with balanced trade
    own = np.diag(res.flows_new) / res.flows_new.sum(axis=1) / (np.diag(x) / x.sum(axis=1))
    np.testing.assert_allclose(res.welfare, own ** (-1.0 / 3.0), rtol=1e-12)


def test_yotov_equilibrium_conditions_and_acr():
    x = _toy(5, seed=3)
    x[0, 1] *= 3.0  # unbalanced trade: φ ≠ 1
    shock = np.ones((5, 5))
    shock[0, 2] = shock[2, 0] = 1.6
    shock[1, 3] = 0.7
    res = solve_endowment(x, sigma=5.0, cost_change=shock)
    y_new = x.sum(axis=0) * res.price_hat
    e_new = x.sum(axis=1) * res.expenditure_hat
    np.testing.assert_allclose(res.flows_new.sum(axis=0), y_new, rtol=1e-12)
    np.testing.assert_allclose(res.flows_new.sum(axis=1), e_new, rtol=1e-12)
    assert e_new.sum() == pytest.approx(y_new.sum(), rel=1e-12)
    phi = x.sum(axis=1) / x.sum(axis=0)
    np.testing.assert_allclose(e_new / y_new, phi * res.scale, rtol=1e-12)
    assert acr_check(x, res, 5.0, shock) < 1e-12
    # normalisation does not change welfare
    alt = solve_endowment(x, sigma=5.0, cost_change=shock, reference=2)
    np.testing.assert_allclose(alt.welfare, res.welfare, rtol=1e-11)
    assert acr_welfare(x, x, 5.0) == pytest.approx(np.ones(5))


# ---------------------------------------------------------------- gegravity peer


@pytest.mark.filterwarnings("ignore::Warning:gegravity.OneSectorGE")
def test_gegravity_reference_csv_and_exact_solver(data_dir):
    peer = _load_benchmark("gegravity_peer")
    run = peer.run_gegravity(data_dir)
    ref = peer.read_reference()
    assert list(ref.index) == list(run.results.index)
    np.testing.assert_allclose(run.results.to_numpy(), ref[run.results.columns].to_numpy(),
                               rtol=1e-8, atol=1e-9)
    b = run.baseline
    np.testing.assert_allclose(b.flows.sum(axis=1), b.expenditure, rtol=1e-7)
    k = b.countries.index("DEU")
    exact = solve_endowment(b.flows, b.sigma, b.cost_change, reference=k)
    welfare = 100 * (exact.welfare - 1)
    can, jpn, usa = (b.countries.index(c) for c in ("CAN", "JPN", "USA"))
    # gegravity's full GE keeps baseline shares in its MR equations: close, not exact
    assert welfare[can] == pytest.approx(ref.loc["CAN", "welfare change (percent)"], abs=0.02)
    assert welfare[jpn] == pytest.approx(ref.loc["JPN", "welfare change (percent)"], abs=0.005)
    assert welfare[usa] == pytest.approx(ref.loc["USA", "welfare change (percent)"], abs=0.005)
