"""Non-tariff instruments in the engine: iceberg trade costs, export taxes, export bans.

Analytic identities on synthetic economies (tradewar.testing):

* ACR (Arkolakis, Costinot & Rodríguez-Clare 2012): one sector, no intermediates, no tariffs,
  an iceberg shock -> W_hat = lambda_hat_nn^(-1/theta) exactly, and the engine equals the
  independent exact endowment solution of Yotov et al. (2016) (tests/reference/yotov_exact.py);
* Lerner symmetry: with balanced trade, an export tax t on all of i's exports and an import
  tariff raising all of i's import wedges by the factor (1 + t), revenue to i in both, give the
  same real allocation (trade shares) and the same welfare for every country;
* a prohibitive export control (``blocked``) drives the controlled flows to exactly zero and is
  the limit of ever higher export taxes.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.reference.yotov_exact import solve_endowment
from tradewar.errors import InvalidArrayError
from tradewar.model import economy_after, solve, solve_batch
from tradewar.model._gradient import welfare_gradient
from tradewar.testing import random_economy


def _iceberg(n: int, seed: int) -> np.ndarray:
    d_hat = np.random.default_rng(seed).uniform(0.7, 1.4, (n, n, 1))
    np.fill_diagonal(d_hat[:, :, 0], 1.0)
    return d_hat


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_iceberg_shock_satisfies_acr_and_the_exact_endowment_solution(seed: int) -> None:
    n = 8
    economy = random_economy(n, 1, seed=seed, input_output=False, tariff_max=0.0, balanced=True)
    d_hat = _iceberg(n, seed)
    eq = solve(economy, trade_cost_hat=d_hat, deficits="fixed", tol=1e-13)
    idx = np.arange(n)
    theta = float(economy.theta[0])
    lam_hat = eq.pi[idx, idx, 0] / economy.trade_shares[idx, idx, 0]
    np.testing.assert_allclose(eq.real_income_hat, lam_hat ** (-1.0 / theta), rtol=1e-10)
    # the same experiment in Yotov et al.'s endowment economy: t_hat^(1-sigma) = d_hat^(-theta)
    exact = solve_endowment(economy.flows[:, :, 0], theta + 1.0, d_hat[:, :, 0] ** (-theta), tol=1e-14)
    np.testing.assert_allclose(eq.real_income_hat, exact.welfare, rtol=0, atol=1e-10)
    np.testing.assert_allclose(eq.flows[:, :, 0], exact.flows_new * (eq.flows.sum() / exact.flows_new.sum()),
                               rtol=1e-9)


def _lerner_pair(seed: int, country: int, t: float, tariff_max: float = 0.15):
    economy = random_economy(5, 3, seed=seed, balanced=True, tariff_max=tariff_max)
    assert np.abs(np.asarray(economy.deficit)).max() < 1e-9 * np.asarray(economy.value_added).sum()
    n = economy.n_countries
    others = np.arange(n) != country
    tariffs = economy.tariffs.copy()
    tariffs[country, others, :] = (1.0 + tariffs[country, others, :]) * (1.0 + t) - 1.0
    export_tax = np.zeros_like(economy.tariffs)
    export_tax[others, country, :] = t
    by_tariff = solve(economy, tariffs, deficits="fixed", tol=1e-13)
    by_export_tax = solve(economy, economy.tariffs, export_tax=export_tax, deficits="fixed", tol=1e-13)
    return economy, by_tariff, by_export_tax


@pytest.mark.parametrize(("seed", "country", "t", "tariff_max"),
                         [(4, 0, 0.25, 0.15), (12, 2, 0.6, 0.15), (21, 4, -0.2, 0.15), (7, 1, 0.3, 0.0)])
def test_lerner_symmetry_export_tax_equals_import_tariff(seed: int, country: int, t: float,
                                                         tariff_max: float) -> None:
    """With no tariffs before (tariff_max = 0) the import tariff is exactly t; with tariffs
    before, it raises every import wedge of the country by the factor (1 + t)."""
    economy, a, b = _lerner_pair(seed, country, t, tariff_max)
    # same real allocation: every trade share, every welfare and real wage change
    np.testing.assert_allclose(b.pi, a.pi, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(b.welfare_pct, a.welfare_pct, rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(b.real_wage_pct, a.real_wage_pct, rtol=1e-8, atol=1e-9)
    # same quantities produced: output deflated by the producer's own cost change
    np.testing.assert_allclose(b.output / b.c_hat, a.output / a.c_hat, rtol=1e-8)
    # the policy moves something (the test is not vacuous) and the revenue is the country's
    assert abs(a.welfare_pct[country]) > 1e-3
    assert b.export_tax_revenue is not None and b.export_tax_revenue[country] * np.sign(t) > 0
    np.testing.assert_allclose(np.delete(b.export_tax_revenue, country), 0.0, atol=1e-12)


def test_export_tax_revenue_and_market_clearing() -> None:
    economy = random_economy(6, 3, seed=5)
    export_tax = np.zeros_like(economy.tariffs)
    export_tax[:, 1, :2] = 0.3
    export_tax[1, 1, :] = 0.0
    eq = solve(economy, export_tax=export_tax)
    ref = eq.reference
    assert eq.export_tax_revenue is not None
    np.testing.assert_allclose(eq.export_tax_revenue, (export_tax * eq.flows).sum(axis=(0, 2)), rtol=1e-10)
    # the importer's tariff is levied on the tax-inclusive price
    np.testing.assert_allclose(eq.tariff_revenue, (eq.tariffs * (1 + export_tax) * eq.flows).sum(axis=(1, 2)),
                               rtol=1e-10)
    np.testing.assert_allclose(eq.income, eq.w_hat * ref.value_added + eq.tariff_revenue + eq.export_tax_revenue
                               + eq.deficit, rtol=1e-10)
    # labour market: value added from producer revenue only
    np.testing.assert_allclose((ref.va_share * eq.output).sum(axis=1), eq.w_hat * ref.value_added, rtol=1e-9)
    # trade balance at world (tax-inclusive, tariff-exclusive) prices
    world = eq.flows * (1 + export_tax)
    idx = np.arange(ref.n_countries)
    world[idx, idx, :] = 0.0
    np.testing.assert_allclose(world.sum(axis=(1, 2)) - world.sum(axis=(0, 2)), eq.deficit,
                               atol=1e-8 * np.asarray(ref.value_added).sum())
    assert "export_tax_revenue_musd" in eq.countries_table().columns


def test_zero_export_tax_and_no_ban_change_nothing() -> None:
    economy = random_economy(6, 3, seed=6)
    tau = economy.tariffs + 0.2
    plain = solve(economy, tau)
    zero = solve(economy, tau, export_tax=np.zeros_like(tau), blocked=np.zeros(tau.shape, dtype=bool))
    np.testing.assert_allclose(zero.welfare_pct, plain.welfare_pct, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(zero.flows, plain.flows, rtol=1e-12)
    assert "export_tax_revenue_musd" not in plain.countries_table().columns


def test_prohibitive_export_control_zeroes_the_flows_and_is_the_high_tax_limit() -> None:
    economy = random_economy(6, 3, seed=8)
    blocked = np.zeros(economy.tariffs.shape, dtype=bool)
    blocked[:, 2, 1] = True          # country 2 bans exports of sector 1 to everybody
    blocked[2, 2, 1] = False
    banned = solve(economy, blocked=blocked)
    assert (banned.flows[blocked] == 0.0).all() and (banned.pi[blocked] == 0.0).all()
    assert (banned.flows[~blocked] > 0).all()
    assert banned.flows[2, 2, 1] > economy.flows[2, 2, 1]      # sold at home instead
    gaps = []
    for t in (0.2, 1.0, 10.0, 1e3):
        taxed = solve(economy, export_tax=np.where(blocked, t, 0.0))
        gaps.append(np.abs(taxed.welfare_pct - banned.welfare_pct).max())
    # the gap shrinks like (1 + t)^(-theta_j) (theta = 5.7 for this sector)
    assert gaps[0] > gaps[1] > gaps[2] > 0 and gaps[2] < 1e-4 and gaps[3] < 1e-12


def test_batch_jax_and_gradient_carry_export_instruments() -> None:
    economy = random_economy(5, 2, seed=9)
    taxes = np.zeros((2,) + economy.tariffs.shape)
    taxes[0, :, 0, :] = 0.2
    taxes[1, :, 3, 1] = 0.5
    idx = np.arange(5)
    taxes[:, idx, idx, :] = 0.0
    batch = solve_batch(economy, export_tax=taxes, raise_on_failure=True)
    for b in range(2):
        one = solve(economy, export_tax=taxes[b])
        np.testing.assert_allclose(batch[b].welfare_pct, one.welfare_pct, rtol=1e-10, atol=1e-12)
        jx = solve(economy, export_tax=taxes[b], backend="jax")
        np.testing.assert_allclose(jx.welfare_pct, one.welfare_pct, rtol=1e-9, atol=1e-11)
    # exact tariff gradient at an equilibrium with export taxes, against central differences
    tau = economy.tariffs + 0.1
    eq = solve(economy, tau, export_tax=taxes[0], tol=1e-13)
    grad = welfare_gradient(eq, np.eye(5)[1]).gradient
    h = 1e-5
    for cell in ((1, 0, 0), (0, 1, 1), (3, 0, 1)):
        up, down = tau.copy(), tau.copy()
        up[cell] += h
        down[cell] -= h
        f_up = np.log(solve(economy, up, export_tax=taxes[0], tol=1e-13).real_income_hat[1])
        f_down = np.log(solve(economy, down, export_tax=taxes[0], tol=1e-13).real_income_hat[1])
        assert grad[cell] == pytest.approx((f_up - f_down) / (2 * h), rel=1e-5, abs=1e-9)


def test_bad_export_instruments_are_named() -> None:
    economy = random_economy(4, 2, seed=10)
    bad = np.zeros_like(economy.tariffs)
    bad[0, 1, 0] = -1.0
    with pytest.raises(InvalidArrayError, match=r"export_tax\[scenario 0\]\[importer=.*exporter=.*must exceed -1"):
        solve(economy, export_tax=bad)
    nan = np.zeros_like(economy.tariffs)
    nan[1, 0, 1] = np.nan
    with pytest.raises(InvalidArrayError, match="export_tax.*finite"):
        solve(economy, export_tax=nan)
    own = np.zeros(economy.tariffs.shape, dtype=bool)
    own[2, 2, 0] = True
    with pytest.raises(InvalidArrayError, match="blocked.*two different economies"):
        solve(economy, blocked=own)
    with pytest.raises(InvalidArrayError, match="blocked: expected a boolean"):
        solve(economy, blocked=np.zeros_like(economy.tariffs))
    taxed = solve(economy, export_tax=np.full(economy.tariffs.shape, 0.1))
    with pytest.raises(InvalidArrayError, match="economy_after"):
        economy_after(taxed)
