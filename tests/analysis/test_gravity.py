"""PPML gravity with exporter and importer fixed effects (tradewar.analysis.gravity).

References: gegravity's documented example (github.com/USITC-Gravity-Group/gegravity,
examples/examples_OneSectorGE.py) prints the PPML estimates of its sample — PTA 0.4711383
(s.e. 0.1076578) — computed with gme; gme itself (installed with gegravity, the test extra) is
the peer. Synthetic data only to test the numerics (exact recovery, demeaning = dummies).
"""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pandas as pd
import pytest

from tradewar.analysis.gravity import (
    GEGRAVITY_COVARIATES,
    GEGRAVITY_PUBLISHED_PTA,
    deep_agreement_effect,
    demean,
    estimate_gravity,
    gegravity_sample,
    ppml,
)
from tradewar.errors import InvalidArrayError

#: gegravity's example output (variable, coefficient, standard error), as published.
PUBLISHED = {
    "lndist": (-0.3898623, 0.0729915),
    "contiguity": (0.891577, 0.1327354),
    "common_language": (0.0326249, 0.0840702),
    "pta": (0.4711383, 0.1076578),
    "international": (-3.412584, 0.2151235),
}


@pytest.fixture(scope="module")
def estimate():
    return deep_agreement_effect()


def test_reproduces_gegravity_published_pta_coefficient(estimate) -> None:
    assert estimate.coef("pta") == pytest.approx(0.4711, abs=1e-4)
    assert estimate.coef("pta") == pytest.approx(GEGRAVITY_PUBLISHED_PTA[0], abs=1e-6)
    table = estimate.tables()["coefficients"].set_index("covariate")
    for name, (coef, se) in PUBLISHED.items():
        # published values carry 7 significant digits
        assert table.loc[name, "coef"] == pytest.approx(coef, rel=2e-6, abs=1e-7), name
        assert table.loc[name, "se"] == pytest.approx(se, rel=5e-6), name
    assert estimate.n_obs == 900 and estimate.diagnostics()["converged"]


def test_equals_gme_peer(estimate) -> None:
    import gme

    frame = gegravity_sample()
    with contextlib.redirect_stdout(io.StringIO()):
        data = gme.EstimationData(frame, imp_var_name="importer", exp_var_name="exporter",
                                  year_var_name="year", trade_var_name="trade")
        model = gme.EstimationModel(data, lhs_var="trade", rhs_var=list(GEGRAVITY_COVARIATES),
                                    fixed_effects=[["exporter"], ["importer"]])
        model.estimate()
    theirs = model.results_dict["all"]
    for name in GEGRAVITY_COVARIATES:
        assert estimate.coef(name) == pytest.approx(float(theirs.params[name]), rel=1e-7, abs=1e-9), name


def _synthetic(seed: int, zeros: bool = False):
    rng = np.random.default_rng(seed)
    n = 12
    grid_e, grid_m = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    exp_, imp_ = grid_e.ravel(), grid_m.ravel()
    x = np.column_stack([rng.normal(size=n * n), rng.integers(0, 2, n * n)])
    beta = np.array([-0.8, 0.45])
    eta = x @ beta + rng.normal(size=n)[exp_] + rng.normal(size=n)[imp_]
    y = np.exp(eta)
    if zeros:
        y = rng.poisson(y * 20.0) / 20.0
    return y, x, exp_, imp_, beta


def test_recovers_coefficients_of_an_exact_gravity_model() -> None:
    """Data generated exactly by exp(x b + a_i + c_n): PPML recovers b to machine precision."""
    y, x, e, m, beta = _synthetic(1)
    fit = ppml(y, x, [e, m])
    np.testing.assert_allclose(fit.coef, beta, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fit.fitted, y, rtol=1e-8)


def test_alternating_projections_equal_the_dummy_regression() -> None:
    rng = np.random.default_rng(2)
    y, x, e, m, _ = _synthetic(3, zeros=True)
    w = rng.uniform(0.5, 2.0, len(y))
    dummies = np.column_stack([np.eye(12)[e], np.eye(12)[m][:, 1:]])
    values = np.column_stack([y, x])
    sw = np.sqrt(w)[:, None]
    coef, *_ = np.linalg.lstsq(dummies * sw, values * sw, rcond=None)
    np.testing.assert_allclose(demean(values, [e, m], w), values - dummies @ coef, atol=1e-9)


def test_poisson_score_is_zero_and_all_zero_groups_are_dropped() -> None:
    y, x, e, m, _ = _synthetic(4, zeros=True)
    y[e == 5] = 0.0                           # exporter 5 sells nothing: its effect is -inf
    fit = ppml(y, x, [e, m])
    assert fit.used.sum() == len(y) - 12 and not fit.used[e == 5].any()
    resid = y[fit.used] - fit.fitted
    # first-order conditions of Poisson ML: residuals orthogonal to x and to every dummy
    np.testing.assert_allclose(x[fit.used].T @ resid, 0.0, atol=1e-6 * y.sum())
    np.testing.assert_allclose(np.bincount(m[fit.used], weights=resid), 0.0, atol=1e-6 * y.sum())


def test_bad_gravity_data_is_named() -> None:
    frame = gegravity_sample()
    with pytest.raises(InvalidArrayError, match=r"missing columns \['rta'\]"):
        estimate_gravity(frame, ["lndist", "rta"])
    bad = frame.assign(trade=frame.trade.where(frame.index != 3, -1.0))
    with pytest.raises(InvalidArrayError, match="must be >= 0"):
        estimate_gravity(bad, ["lndist"])
    with pytest.raises(InvalidArrayError, match="no covariate 'rta'"):
        deep_agreement_effect().coef("rta")


def test_tables_are_the_single_source(estimate) -> None:
    tables = estimate.tables()
    assert set(tables) == {"coefficients", "fit"}
    assert list(tables["coefficients"].covariate) == list(GEGRAVITY_COVARIATES)
    payload = estimate.to_json()
    assert payload["coefficients"][3]["covariate"] == "pta"
    assert isinstance(tables["fit"], pd.DataFrame) and bool(tables["fit"].converged[0])


def test_the_scenario_layer_uses_this_estimate(estimate) -> None:
    """Deep agreements (tradewar.scenario) use our estimate; the scenario layer cannot import
    the analysis layer, so it holds the number and this test ties the two together."""
    from tradewar.scenario import DEEP_AGREEMENT_EFFECT

    assert DEEP_AGREEMENT_EFFECT == pytest.approx(estimate.coef("pta"), abs=1e-7)
