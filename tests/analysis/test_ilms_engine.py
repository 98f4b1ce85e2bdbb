"""The ILMS (2025) configuration runs on tradewar's engine: every scenario of the reproduced
tables solved both ways — by the engine (tradewar.analysis.ilms.solve_ilms -> tradewar.model.solve
with the ILMS options) and by the independent stand-alone solver of the authors' equations
(tests/analysis/ilms_reference.py, MINPACK hybrid Powell on their 3N conditions) — must agree."""

from __future__ import annotations

import numpy as np
import pytest

from tradewar.analysis.ilms import (
    IlmsOptions,
    balanced_transfers,
    calibrate,
    engine_economy,
    engine_options,
    liberation_day_tariffs,
    solve_ilms,
)
from tradewar.analysis.ilms._reproduce import _scenarios
from tradewar.data import default_data_dir
from tradewar.data.ilms2025 import load_ilms2025

from .ilms_reference import solve_ilms_reference

#: Relative agreement of levels (hats, flows) between the two solvers: both stop at residuals of
#: ~1e-9 (reference) and ~1e-11 (engine) of each country's GDP.
REL = 1e-8


@pytest.fixture(scope="module")
def setting():
    data = load_ilms2025(default_data_dir())
    econ = calibrate(data)
    econ_ek = calibrate(data, structure="eaton-kortum")
    base = IlmsOptions()
    lib = liberation_day_tariffs(data)
    n = len(econ.countries)
    cases = [(key, econ, t, base, None) for key, t in _scenarios(data, econ, base).items()]
    cases += [("lump_sum", econ, lib, IlmsOptions(revenue="lump-sum"), None),
              ("passthrough", econ, lib, IlmsOptions(firm_passthrough=0.25), None),
              ("epsilon8", econ, lib, IlmsOptions(trade_elasticity=8.0), None),
              ("eaton_kortum", econ_ek, lib, base, None),
              ("balanced_start", econ, np.zeros((n, n)), base, balanced_transfers(econ)),
              ("balanced_liberation", econ, lib, base, balanced_transfers(econ)),
              ("fixed_employment_ek", econ_ek, lib, IlmsOptions(labour_supply_elasticity=0.0), None)]
    return cases


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float((np.abs(a - b) / np.maximum(np.abs(b), 1e-300)).max())


def test_every_ilms_scenario_agrees_with_the_independent_solver(setting) -> None:
    """Wages, spending, employment, prices (both in the authors' numeraire), welfare
    (Ŵ = δÊ/P̂ + (1−δ)ŵL̂/P̂) and every bilateral flow agree to 1e-8 relative in each of the
    19 scenarios; percent measures built on them (deficit, trade/GDP, revenue) follow."""
    worst = 0.0
    for key, econ, tariffs, options, deficit in setting:
        ours = solve_ilms(econ, tariffs, options, deficit=deficit)
        ref = solve_ilms_reference(econ, tariffs, options, deficit=deficit)
        for name in ("w_hat", "E_hat", "L_hat", "P_hat"):
            gap = _rel(getattr(ours, name), getattr(ref, name))
            worst = max(worst, gap)
            assert gap < REL, (key, name, gap)
        assert _rel(1 + ours.welfare_pct / 100, 1 + ref.welfare_pct / 100) < REL, key
        assert _rel(1 + ours.real_income_pct / 100, 1 + ref.real_income_pct / 100) < REL, key
        big = ref.flows_new > 1e-6 * ref.flows_new.max()
        assert _rel(ours.flows_new[big], ref.flows_new[big]) < REL, key
        assert np.abs(ours.revenue_share - ref.revenue_share).max() < REL, key
        for name in ("exports_gdp_pct", "imports_gdp_pct", "employment_pct", "price_pct"):
            assert np.abs(getattr(ours, name) - getattr(ref, name)).max() < 1e-6, (key, name)
        assert abs(ours.world_trade_gdp_pct - ref.world_trade_gdp_pct) < 1e-6, key
        assert ours.converged and ours.max_residual < 1e-9
    assert worst > 0.0                                 # two computations, not one


def test_the_engine_is_configured_not_forked(setting) -> None:
    """solve_ilms is tradewar.model.solve on engine_economy with engine_options: the same call
    made directly gives the same real results bit for bit."""
    from tradewar.model import solve

    key, econ, tariffs, options, _ = setting[0]
    eq = solve(engine_economy(econ, options), tariffs[:, :, None], **engine_options(econ, options))
    ours = solve_ilms(econ, tariffs, options)
    assert np.array_equal(ours.welfare_pct, eq.welfare_utility_pct)
    assert np.array_equal(ours.L_hat, eq.employment_hat)
    kwargs = engine_options(econ, options)
    assert kwargs["labour_supply"] == 0.5 and kwargs["revenue_use"] == "income-tax"
    assert kwargs["buyer_share"] is not None and (kwargs["passthrough"] > 1).all()   # ILMS's phi > 1
