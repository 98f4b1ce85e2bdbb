"""Elastic labour supply as an option of the Caliendo-Parro engine (ILMS 2025's employment
margin, usable by every analysis): checked against the ILMS configuration where both nest, and
for the engine's contract properties with employment elastic."""

from __future__ import annotations

import numpy as np
import pytest

from tradewar.analysis.ilms import (
    IlmsOptions,
    calibrate,
    liberation_day_tariffs,
    with_reciprocal_retaliation,
)
from tradewar.data import default_data_dir, load_baseline
from tradewar.data.ilms2025 import load_ilms2025
from tradewar.errors import InvalidArrayError
from tradewar.model import Economy, economy_after, solve
from tradewar.testing import random_economy

from .ilms_reference import solve_ilms_reference


def test_engine_labour_supply_equals_ilms_employment_margin() -> None:
    """ILMS with nu = 0, phi = 1, psi = 0 and a lump-sum rebate (solved by the independent
    reference solver) is the one-sector engine with `labour_supply = kappa`: employment (w_hat/P_hat)^kappa, value added w_hat L_hat wL, and
    ILMS's welfare with the disutility of work. Reciprocal retaliation of Liberation Day on
    their 194-economy data, kappa = 0.5: all three agree to 1e-8 points."""
    data = load_ilms2025(default_data_dir())
    econ = calibrate(data, structure="eaton-kortum")
    tariffs = with_reciprocal_retaliation(liberation_day_tariffs(data), econ)
    ilms = solve_ilms_reference(econ, tariffs, IlmsOptions(labour_supply_elasticity=0.5, scale_elasticity=0.0,
                                                 revenue="lump-sum"))
    n = len(econ.countries)
    economy = Economy(countries=econ.countries, sectors=("goods",), flows=np.asarray(econ.flows)[:, :, None],
                      tariffs=np.zeros((n, n, 1)), theta=np.array([4.0]), va_share=np.ones((n, 1)),
                      input_share=np.zeros((n, 1, 1)), final_share=np.ones((n, 1)))
    eq = solve(economy, tariffs[:, :, None], labour_supply=0.5)
    assert np.abs(eq.employment_pct - ilms.employment_pct).max() < 1e-8
    assert np.abs(eq.welfare_utility_pct - ilms.welfare_pct).max() < 1e-8
    assert np.abs(eq.welfare_pct - ilms.real_income_pct).max() < 1e-8
    assert eq.employment_pct[econ.index_of("USA")] < -0.3        # the US loses jobs in the tariff war


def test_fixed_employment_is_the_default_and_changes_nothing() -> None:
    economy = random_economy(5, 3, seed=2)
    t = np.array(economy.tariffs) + 0.1
    base = solve(economy, t)
    zero = solve(economy, t, labour_supply=0.0)
    assert np.array_equal(base.w_hat, zero.w_hat) and np.array_equal(base.flows, zero.flows)
    assert np.array_equal(base.employment_hat, np.ones(5))
    assert np.array_equal(base.welfare_utility_pct, base.welfare_pct)
    assert "employment_pct" not in base.countries_table().columns


@pytest.mark.parametrize("closure", ["fixed", "zero", "proportional"])
def test_contract_properties_with_elastic_employment(closure: str) -> None:
    """Zero shock -> every hat 1 (employment too); markets clear at the solution with value
    added w_hat L_hat wL; employment responds in the real-wage direction; the equilibrium as a
    new baseline (economy_after) is an exact equilibrium again."""
    economy = random_economy(6, 4, seed=5)
    if closure == "zero":
        steady = solve(economy, deficits="zero", labour_supply=0.7)
        assert steady.purge is not None and np.allclose(steady.employment_hat, 1.0, atol=1e-10)
    else:
        steady = solve(economy, deficits=closure, labour_supply=0.7)
        assert np.allclose(steady.w_hat, 1.0, atol=1e-10) and np.allclose(steady.employment_hat, 1.0, atol=1e-10)
    t = np.array(economy.tariffs)
    t[0, 1:] += 0.4
    eq = solve(economy, t, deficits=closure, labour_supply=0.7)
    assert eq.diagnostics.max_residual < 1e-8
    real_wage = eq.w_hat / eq.price_index_hat
    assert np.allclose(eq.employment_hat, real_wage ** 0.7, rtol=1e-12)
    va = eq.w_hat * eq.employment_hat * eq.reference.value_added
    assert va == pytest.approx((eq.reference.va_share * eq.output).sum(axis=1), rel=1e-8)
    assert va.sum() == pytest.approx(eq.reference.value_added.sum(), rel=1e-10)   # numeraire
    table = eq.countries_table()
    assert {"employment_pct", "welfare_utility_pct"} <= set(table.columns)
    if closure != "zero":
        again = solve(economy_after(eq), t, deficits="fixed", labour_supply=0.7)
        assert np.allclose(again.w_hat, 1.0, atol=1e-9)


@pytest.mark.slow
def test_employment_effects_on_real_data() -> None:
    """ICIO 2022 (g14 regions), +50 points of tariffs both ways between the US and China,
    kappa = 0.5: the solve converges, both lose real wages and therefore jobs
    (L_hat = (w_hat/P_hat)^0.5 exactly), and the labour market clears with value added
    w_hat L_hat wL."""
    economy = load_baseline("icio", 2022, "IS", regions="g14").economy
    t = np.array(economy.tariffs)
    us, cn = economy.index_of("USA"), economy.index_of("CHN")
    t[us, cn] += 0.5
    t[cn, us] += 0.5
    eq = solve(economy, t, labour_supply=0.5)
    fixed = solve(economy, t)
    for k in (us, cn):
        assert eq.employment_pct[k] < 0 and eq.real_wage_pct[k] < 0 and eq.welfare_pct[k] < 0
        assert fixed.employment_pct[k] == 0.0
    va = eq.w_hat * eq.employment_hat * economy.value_added
    assert va == pytest.approx((economy.va_share * eq.output).sum(axis=1), rel=1e-8)


@pytest.mark.parametrize("value", [-0.1, float("nan"), 11.0, "much"])
def test_labour_supply_out_of_range_is_refused(value: object) -> None:
    economy = random_economy(3, 2, seed=1)
    with pytest.raises(InvalidArrayError, match="labour_supply"):
        solve(economy, labour_supply=value)  # type: ignore[arg-type]


@pytest.mark.parametrize("closure", ["fixed", "zero", "proportional"])
def test_exact_gradient_with_elastic_employment(closure: str) -> None:
    """The implicit-function gradient (model/_gradient.py) carries kappa: it equals a central
    finite difference of log real income with employment elastic (relative 1e-5)."""
    from tradewar.model import welfare_gradient

    economy = random_economy(5, 3, seed=2)
    t = np.array(economy.tariffs) + 0.1
    eq = solve(economy, t, deficits=closure, labour_supply=0.5)
    grad = welfare_gradient(eq, np.eye(5)[0]).gradient
    h = 1e-5
    up, down = t.copy(), t.copy()
    up[0, 1, 2] += h
    down[0, 1, 2] -= h

    def f(tt: np.ndarray) -> float:
        return float(np.log(solve(economy, tt, deficits=closure, labour_supply=0.5).real_income_hat[0]))

    assert grad[0, 1, 2] == pytest.approx((f(up) - f(down)) / (2 * h), rel=1e-5)


# ---- labour supply as an option of every scenario run (issue 13 §1) ----

def _g14():
    return load_baseline("icio", 2022, "IS", regions="g14")


def test_run_scenario_with_fixed_employment_is_the_default_bit_for_bit() -> None:
    """labour_supply=0 is the default path: the same JSON, number for number and key for key
    (no employment keys), as a run without the option."""
    from tradewar.scenario import COUNTRY_KEYS, run_scenario

    baseline = _g14()
    default = run_scenario(baseline, "us-china-april-11").to_json()
    zero = run_scenario(baseline, "us-china-april-11", labour_supply=0.0).to_json()
    for payload in (default, zero):
        payload["solver"].pop("seconds")
        for step in payload["steps"]:
            step["solver"].pop("seconds")
    assert zero == default
    assert list(default["countries"]["USA"]) == list(COUNTRY_KEYS)
    assert "labour_supply" not in default["baseline"]


def test_run_scenario_employment_follows_the_real_wage() -> None:
    """With kappa > 0 every country reports employment, and the model's own identities hold on
    real data: L_hat = (w_hat/P_hat)^kappa, so employment moves in the direction of the real wage
    (sign(L_hat - 1) = sign(w_hat/P_hat - 1)) and by kappa times its log change; the labour
    market clears with value added w_hat L_hat wL; the welfare split stays exact; and ILMS's
    welfare net of the disutility of work is delta Ihat/Phat + (1-delta) w_hat L_hat/Phat."""
    from tradewar.scenario import COUNTRY_KEYS, EMPLOYMENT_KEYS, run_scenario

    kappa = 0.5
    result = run_scenario(_g14(), "us-china-april-11", labour_supply=kappa)
    out = result.to_json()
    assert out["baseline"]["labour_supply"] == kappa
    eq = result.final
    economy = eq.reference
    real_wage = eq.w_hat / eq.price_index_hat
    for k, code in enumerate(economy.countries):
        row = out["countries"][code]
        assert list(row) == list(COUNTRY_KEYS) + list(EMPLOYMENT_KEYS)
        assert np.sign(row["employment_pct"]) == np.sign(row["real_wage_pct"]) != 0
        assert np.log1p(row["employment_pct"] / 100) == pytest.approx(kappa * np.log(real_wage[k]), rel=1e-10)
        assert row["welfare_pct"] == pytest.approx(row["welfare_transfer_pct"] + row["welfare_excl_transfer_pct"],
                                                   abs=1e-12)
    us, cn = economy.index_of("USA"), economy.index_of("CHN")
    assert eq.employment_pct[us] < 0 and eq.employment_pct[cn] < 0       # both lose jobs in the war
    va = eq.w_hat * eq.employment_hat * economy.value_added
    assert va == pytest.approx((economy.va_share * eq.output).sum(axis=1), rel=1e-8)
    assert va.sum() == pytest.approx(economy.value_added.sum(), rel=1e-10)  # the numeraire
    delta = economy.income / (economy.income - kappa / (1 + kappa) * economy.value_added)
    utility = delta * eq.real_income_hat + (1 - delta) * real_wage * eq.employment_hat
    assert eq.welfare_utility_pct == pytest.approx(100 * (utility - 1), abs=1e-10)
    tables = result.tables()
    assert {"employment_pct", "welfare_utility_pct"} <= set(tables["countries"].columns)


def test_run_scenario_refuses_labour_supply_out_of_range() -> None:
    from tradewar.scenario import run_scenario

    for value in (-0.5, 10.5, float("nan")):
        with pytest.raises(InvalidArrayError, match="labour_supply"):
            run_scenario(_g14(), "us-china-april-11", labour_supply=value)
