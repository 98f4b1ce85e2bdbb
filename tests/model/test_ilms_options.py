"""The engine's optional elements from ILMS (2025) — scale economies psi, tariff pass-through
phi_n, the buyer's share nu_n of value added and tariff revenue replacing an income tax —
checked against their defining equations (docs/model.md), on synthetic economies (numerics only).
The ILMS configuration on real data is checked in tests/analysis/test_ilms_engine.py."""

from __future__ import annotations

import numpy as np
import pytest

from tradewar.errors import InvalidArrayError, UnknownNameError
from tradewar.model import Economy, economy_after, solve
from tradewar.testing import random_economy


def nu_economy(n: int = 5, j: int = 2, seed: int = 4) -> tuple[Economy, np.ndarray]:
    """A no-input-output economy whose value added includes the buyer's share nu (an exact
    equilibrium: va_i = sum_n (1-nu_n) M[n,i] + nu_i sum_k M[i,k], D = purchases - va)."""
    base = random_economy(n, j, seed=seed, input_output=False)
    nu = np.random.default_rng(seed).uniform(0.05, 0.3, n)
    flows = base.flows.sum(axis=2)
    va = ((1 - nu)[:, None] * flows).sum(axis=0) + nu * flows.sum(axis=1)
    economy = Economy(countries=base.countries, sectors=base.sectors, flows=base.flows, tariffs=base.tariffs,
                      theta=base.theta, va_share=base.va_share, input_share=base.input_share,
                      final_share=base.final_share, deficit=flows.sum(axis=1) - va, value_added=va)
    return economy, nu


def every_option(economy: Economy, nu: np.ndarray) -> dict:
    phi = np.linspace(0.7, 1.45, economy.n_countries)
    return {"labour_supply": 0.5, "scale_elasticity": 0.15, "passthrough": phi, "buyer_share": nu,
            "revenue_use": "income-tax"}


def shocked(economy: Economy) -> np.ndarray:
    t = np.array(economy.tariffs)
    t[0, 1:, :] += 0.3
    t[1:, 0, :] += 0.2
    return t


def test_zero_shock_leaves_every_hat_at_one_with_every_option() -> None:
    economy, nu = nu_economy()
    eq = solve(economy, **every_option(economy, nu))
    for hat in (eq.w_hat, eq.P_hat, eq.employment_hat, eq.income / economy.income):
        assert np.allclose(hat, 1.0, atol=1e-10)
    assert np.allclose(eq.pi, economy.trade_shares, atol=1e-12)
    assert "labour_supply" in eq.diagnostics.residuals


def test_neutral_values_are_the_standard_model() -> None:
    """phi = 1 and nu = 0 are the standard model (to rounding); with fixed employment scale
    economies and the income-tax variant have nothing to act on and are left out (bit for bit)."""
    io = random_economy(5, 3, seed=2)
    t = shocked(io)
    base = solve(io, t)
    full = solve(io, t, passthrough=np.ones(5))
    assert np.allclose(full.w_hat, base.w_hat, rtol=1e-12) and np.allclose(full.flows, base.flows, rtol=1e-10)
    idle = solve(io, t, scale_elasticity=0.3, revenue_use="income-tax")
    assert np.array_equal(idle.w_hat, base.w_hat) and np.array_equal(idle.flows, base.flows)
    plain = random_economy(5, 2, seed=3, input_output=False)
    t = shocked(plain)
    assert np.allclose(solve(plain, t, buyer_share=np.zeros(5)).w_hat, solve(plain, t).w_hat, rtol=1e-12)


def test_equilibrium_conditions_hold_with_every_option() -> None:
    """At the solution, checked from the returned arrays and not from the solver's residuals:
    employment L = (tau_hat w/P)^kappa with tau_hat = (1 - R/va)/(1 - R'/va'); costs
    c = w L^(-psi); shares pi' = pi ((1+t')/(1+t))^(-theta phi_n) c^(-theta) / S; prices
    P = S^(-1/theta) (I_hat/w)^(1-phi); value added w L wL = sum (1-nu_n) M'[n,i] + nu_i
    purchases_i; income I' = w L wL + R' + D; world value added unchanged."""
    economy, nu = nu_economy()
    opts = every_option(economy, nu)
    t = shocked(economy)
    eq = solve(economy, t, **opts)
    kappa, psi, phi = opts["labour_supply"], opts["scale_elasticity"], opts["passthrough"]
    va0 = np.asarray(economy.value_added)
    va_new = eq.w_hat * eq.employment_hat * va0
    tau_hat = (1 - economy.tariff_revenue / va0) / (1 - eq.tariff_revenue / va_new)
    assert eq.employment_hat == pytest.approx((tau_hat * eq.w_hat / eq.price_index_hat) ** kappa, rel=1e-10)
    cost = eq.w_hat * eq.employment_hat ** -psi
    assert eq.c_hat[:, 0] == pytest.approx(cost, rel=1e-12)
    theta = economy.theta
    ratio = (1 + t) / (1 + economy.tariffs)
    raw = economy.trade_shares * ratio ** (-theta * phi[:, None, None]) * (cost[None, :, None] ** -theta)
    S = raw.sum(axis=1)
    assert eq.pi == pytest.approx(raw / S[:, None, :], rel=1e-9, abs=1e-14)
    income_hat = eq.income / economy.income
    price = S ** (-1 / theta) * ((income_hat / eq.w_hat) ** (1 - phi))[:, None]
    assert eq.P_hat == pytest.approx(price, rel=1e-9)
    flows = eq.flows.sum(axis=2)
    implied = ((1 - nu)[:, None] * flows).sum(axis=0) + nu * flows.sum(axis=1)
    assert va_new == pytest.approx(implied, rel=1e-9)
    assert eq.income == pytest.approx(va_new + eq.tariff_revenue + eq.deficit, rel=1e-12)
    assert eq.tariff_revenue == pytest.approx((t * eq.flows).sum(axis=(1, 2)), rel=1e-9)
    assert va_new.sum() == pytest.approx(va0.sum(), rel=1e-11)
    assert eq.income_tax_rate == pytest.approx(eq.tariff_revenue / va_new, rel=1e-12)
    delta = economy.income / (economy.income - kappa / (1 + kappa) * (1 - eq.income_tax_rate) * va0)
    expected = delta * eq.real_income_hat + (1 - delta) * eq.w_hat * eq.employment_hat / eq.price_index_hat
    assert eq.welfare_utility_pct == pytest.approx(100 * (expected - 1), abs=1e-10)


def test_lower_passthrough_dampens_the_trade_response() -> None:
    """A tariff with pass-through phi < 1 moves the importer's shares less: US-style tariff of
    country 0 on everyone; the share of its own producers rises less with phi = 0.5 than 1."""
    economy = random_economy(4, 2, seed=7, input_output=False)
    t = np.array(economy.tariffs)
    t[0, 1:, :] += 0.5
    own = [solve(economy, t, passthrough=np.full(4, phi)).pi[0, 0] for phi in (0.5, 1.0, 1.4)]
    gain = [o - economy.trade_shares[0, 0] for o in own]
    assert (0 < gain[0]).all() and (gain[0] < gain[1]).all() and (gain[1] < gain[2]).all()


def test_economy_after_is_an_equilibrium_again_with_every_option() -> None:
    economy, nu = nu_economy()
    opts = every_option(economy, nu)
    t = shocked(economy)
    eq = solve(economy, t, **opts)
    again = solve(economy_after(eq), t, **opts)
    assert np.allclose(again.w_hat, 1.0, atol=1e-9) and np.allclose(again.employment_hat, 1.0, atol=1e-9)
    assert np.allclose(again.P_hat, 1.0, atol=1e-9)


@pytest.mark.parametrize("closure", ["zero", "proportional"])
def test_other_closures_take_the_options(closure: str) -> None:
    economy, nu = nu_economy()
    eq = solve(economy, shocked(economy), deficits=closure, **every_option(economy, nu))
    assert eq.diagnostics.converged and eq.diagnostics.max_residual < 1e-8


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"scale_elasticity": -0.1}, "scale_elasticity"), ({"scale_elasticity": float("nan")}, "scale_elasticity"),
    ({"scale_elasticity": 1.5}, "scale_elasticity"), ({"passthrough": np.ones(3)}, "passthrough"),
    ({"passthrough": np.zeros(5)}, "passthrough"), ({"passthrough": np.full(5, np.nan)}, "passthrough"),
    ({"passthrough": np.full(5, 12.0)}, "passthrough"), ({"buyer_share": np.full(5, 1.0)}, "buyer_share"),
    ({"buyer_share": np.full(5, -0.1)}, "buyer_share"), ({"buyer_share": np.full(5, 0.2)}, "buyer_share"),
])
def test_bad_options_name_the_field(kwargs: dict, field: str) -> None:
    economy, _ = nu_economy()            # its value added is consistent with its own nu, not 0.2
    with pytest.raises(InvalidArrayError, match=field):
        solve(economy, **kwargs)


def test_buyer_share_needs_an_economy_without_intermediates_and_revenue_use_is_a_choice() -> None:
    io = random_economy(5, 3, seed=2)
    with pytest.raises(InvalidArrayError, match="buyer_share: needs an economy without intermediate inputs"):
        solve(io, buyer_share=np.zeros(5))
    with pytest.raises(UnknownNameError, match="revenue_use"):
        solve(io, revenue_use="helicopter")


def test_jax_backend_and_gradient() -> None:
    """phi and nu run on the JAX backend too (same kernel, same answer); employment in the state
    (psi, income tax) is numpy-only and says so; exact gradients refuse the ILMS options."""
    from tradewar.model import welfare_gradient

    economy, nu = nu_economy()
    t = shocked(economy)
    phi = np.linspace(0.8, 1.3, 5)
    a = solve(economy, t, passthrough=phi, buyer_share=nu, labour_supply=0.5)
    b = solve(economy, t, passthrough=phi, buyer_share=nu, labour_supply=0.5, backend="jax")
    assert np.allclose(a.w_hat, b.w_hat, rtol=1e-10) and np.allclose(a.P_hat, b.P_hat, rtol=1e-10)
    with pytest.raises(InvalidArrayError, match="backend 'jax'"):
        solve(economy, t, labour_supply=0.5, scale_elasticity=0.1, backend="jax")
    with pytest.raises(InvalidArrayError, match="welfare_gradient.*passthrough"):
        welfare_gradient(a, np.eye(5)[0])


def test_scale_economies_and_income_tax_with_input_output_links() -> None:
    """The general options work with intermediate inputs and many sectors: at the solution
    c = w^beta prod_k P^gamma L^(-psi), L = (tau_hat w/P)^kappa, and the labour market clears
    with value added w L wL = sum_j beta Y'."""
    economy = random_economy(5, 3, seed=6)
    t = shocked(economy)
    eq = solve(economy, t, labour_supply=0.4, scale_elasticity=0.1, revenue_use="income-tax",
               passthrough=np.linspace(0.8, 1.3, 5))
    assert eq.diagnostics.converged
    log_c = (economy.va_share * np.log(eq.w_hat)[:, None]
             + np.einsum("ikj,ik->ij", economy.input_share, np.log(eq.P_hat))
             - 0.1 * np.log(eq.employment_hat)[:, None])
    assert np.log(eq.c_hat) == pytest.approx(log_c, abs=1e-12)
    va0 = np.asarray(economy.value_added)
    va_new = eq.w_hat * eq.employment_hat * va0
    tau_hat = (1 - economy.tariff_revenue / va0) / (1 - eq.tariff_revenue / va_new)
    assert eq.employment_hat == pytest.approx((tau_hat * eq.w_hat / eq.price_index_hat) ** 0.4, rel=1e-10)
    assert va_new == pytest.approx((economy.va_share * eq.output).sum(axis=1), rel=1e-9)
