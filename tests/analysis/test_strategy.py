"""Optimal tariffs, Nash tariff wars and trade talks on synthetic economies.

Three economy shapes only (2×2, 3×2, 4×2): every new shape costs one JAX compilation of the
welfare gradient (~5 s on these machines).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from tradewar.analysis import nash_tariffs, trade_talks
from tradewar.analysis.optimal import (
    lashkaripour_optimal_tariff,
    optimal_retaliation,
    optimal_retaliation_rule,
    optimal_tariffs,
    tariff_parameters,
)
from tradewar.errors import (
    UnknownCountryError,
    UnknownNameError,
    UnknownSectorError,
    UserInputError,
)
from tradewar.model import Economy, economy_from_io, solve, solve_batch
from tradewar.testing import random_economy


def _economy(n: int, j: int, seed: int, *, io: bool = False, free_trade: bool = False) -> Economy:
    return random_economy(n, j, seed=seed, input_output=io, balanced=True,
                          tariff_max=0.0 if free_trade else 0.15)


def _log_welfare(economy: Economy, tariffs: np.ndarray, country: str) -> np.ndarray:
    """Log real income of ``country`` at each of a batch of tariff arrays (B, N, N, J)."""
    i = economy.index_of(country)
    return np.array([np.log(eq.real_income_hat[i])
                     for eq in solve_batch(economy, tariffs, tol=1e-13, raise_on_failure=True)])


def _symmetric_two_country() -> Economy:
    """Two identical countries: identical domestic sales, identical exports both ways."""
    flows = np.empty((2, 2, 2))
    flows[0, 0] = flows[1, 1] = [10.0, 8.0]
    flows[0, 1] = flows[1, 0] = [2.0, 3.0]
    return economy_from_io(["AAA", "BBB"], ["S1", "S2"], flows, np.full((2, 2, 2), 0.0),
                           np.array([4.0, 6.0]), np.ones((2, 2)), np.zeros((2, 2, 2)))


# ---------------------------------------------------------------- (a) the closed form
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_closed_form_is_the_best_response_where_it_is_exact(seed: int) -> None:
    """Lashkaripour (2021): t = 1/eps_bar. Exact in this engine for two countries whose
    partner is at free trade (any sectors, any starting tariffs of the optimiser): every
    gradient-based best response satisfies it to 1e-6 (in fact ~1e-10)."""
    economy = _economy(2, 2, seed, free_trade=True)
    tariffs = economy.tariffs.copy()
    tariffs[0, 1, :] = [0.3, 0.1]  # the optimiser's own starting tariffs do not matter
    for country in economy.countries:
        res = optimal_tariffs(economy, country, tariffs=tariffs if country == "C00" else None)
        closed = lashkaripour_optimal_tariff(res.equilibrium, country)
        assert res.tariffs["all"] == pytest.approx(closed, abs=1e-6)


def test_closed_form_exact_with_symmetric_third_countries() -> None:
    flows = np.empty((3, 3, 2))
    flows[:, :, 0] = [[5.0, 0.4, 0.4], [0.4, 9.0, 1.0], [0.4, 1.0, 9.0]]
    flows[:, :, 1] = [[4.0, 0.7, 0.7], [0.7, 6.0, 0.5], [0.7, 0.5, 6.0]]
    economy = economy_from_io(["HOM", "FO1", "FO2"], ["S1", "S2"], flows, np.zeros((3, 3, 2)),
                              np.array([3.0, 7.0]), np.ones((3, 2)), np.zeros((3, 2, 2)))
    res = optimal_tariffs(economy, "HOM")
    assert res.tariffs["all"] == pytest.approx(lashkaripour_optimal_tariff(res.equilibrium, "HOM"), abs=1e-6)


@pytest.mark.parametrize("seed", [4, 5])
def test_closed_form_is_only_an_approximation_in_general(seed: int) -> None:
    """With partners' tariffs and asymmetric third countries the closed form ignores the
    tariff's effect on partners' tariff revenue and third countries' wages: the exact
    optimum differs from 1/eps_bar by more than 1e-6 and is strictly better (checked with
    plain solves, no gradients)."""
    economy = _economy(3, 2, seed)
    country = "C00"
    res = optimal_tariffs(economy, country)
    t = res.tariffs["all"]
    closed = lashkaripour_optimal_tariff(res.equilibrium, country)
    assert abs(t - closed) > 1e-6
    params = tariff_parameters(economy, country)
    x = closed
    for _ in range(30):  # the closed form's own fixed point
        x = lashkaripour_optimal_tariff(solve(economy, params.tariffs(np.array([x]))), country)
    w = _log_welfare(economy, np.stack([params.tariffs(np.array([t])), params.tariffs(np.array([x]))]), country)
    assert w[0] > w[1]


# --------------------------------------------------------- (b) no better point nearby
def _probe_points(x: np.ndarray, lower: float, upper: float, rng: np.random.Generator) -> np.ndarray:
    points = []
    for k in range(x.size):
        for d in (-0.05, -0.01, 0.01, 0.05):
            y = x.copy()
            y[k] += d
            points.append(y)
    points.extend(x + rng.normal(0.0, 0.02, (12, x.size)))
    return np.clip(np.array(points), lower, upper)


@pytest.mark.parametrize("shape,io,by,country", [
    ((3, 2), False, "uniform", "C01"),
    ((3, 2), True, "uniform", "C02"),
    ((4, 2), True, "uniform", "C00"),
    ((4, 2), False, "partner", "C03"),
    ((4, 2), True, "partner", "C01"),
])
def test_no_better_point_around_the_optimum(shape: tuple[int, int], io: bool, by: str, country: str) -> None:
    economy = _economy(*shape, seed=11, io=io)
    res = optimal_tariffs(economy, country, by=by)
    assert res.converged and res.max_foc <= 1e-8
    params = tariff_parameters(economy, country, by=by)
    x = res.tariffs.to_numpy()
    probes = _probe_points(x, *res.bounds, np.random.default_rng(3))
    batch = np.stack([params.tariffs(x)] + [params.tariffs(p) for p in probes])
    w = _log_welfare(economy, batch, country)
    assert w[1:].max() <= w[0] + 1e-12
    assert w[0] == pytest.approx(res.objective, abs=1e-10)


# ------------------------------------------------------------------------ (c) symmetry
@pytest.mark.parametrize("by", ["uniform", "sector"])
def test_symmetric_countries_have_symmetric_nash_tariffs(by: str) -> None:
    economy = _symmetric_two_country()
    nash = nash_tariffs(economy, by=by)
    assert nash.converged
    tariffs = nash.tariffs.to_numpy()  # within the Nash tolerance (1e-6 on tariffs)
    np.testing.assert_allclose(tariffs[0], tariffs[1], atol=1e-6)
    assert nash.welfare_pct["AAA"] == pytest.approx(nash.welfare_pct["BBB"], abs=1e-6)
    assert nash.welfare_pct["AAA"] < 0  # a tariff war hurts both
    assert nash.world_trade_pct < 0


# --------------------------------------------------------- (d) Nash by brute force
def test_nash_agrees_with_grid_best_responses() -> None:
    economy = _economy(2, 2, seed=7, io=True)
    grid = np.round(np.arange(0.0, 1.0 + 1e-9, 0.01), 2)
    t = {c: 0.0 for c in economy.countries}

    def tariffs_of(values: dict[str, float]) -> np.ndarray:
        tau = economy.tariffs
        for c, v in values.items():
            tau = tariff_parameters(economy, c, tariffs=tau).tariffs(np.array([v]))
        return tau

    for _ in range(30):
        old = dict(t)
        for c in economy.countries:
            batch = np.stack([tariffs_of({**t, c: g}) for g in grid])
            t[c] = float(grid[int(np.argmax(_log_welfare(economy, batch, c)))])
        if t == old:
            break
    nash = nash_tariffs(economy, method="best_response")
    assert nash.converged
    for c in economy.countries:
        assert nash.tariffs[c] == pytest.approx(t[c], abs=0.01 + 1e-9)


# ------------------------------------------------------- (e) FOCs, bounds, errors, paths
def test_first_order_conditions_vanish_at_interior_optima() -> None:
    economy = _economy(4, 2, seed=2, io=True)
    for by in ("uniform", "sector", "partner_sector"):
        res = optimal_tariffs(economy, "C02", by=by)
        assert res.converged
        x = res.tariffs.to_numpy()
        interior = (x > 1e-6) & (x < 5 - 1e-6)
        assert np.abs(res.gradient.to_numpy()[interior]).max() <= 1e-8
        assert res.max_foc <= 1e-8
        assert res.welfare_gain_pct > 0


def test_bounds_are_respected_and_foc_sign_correct_at_a_bound() -> None:
    economy = _economy(4, 2, seed=2, io=True)
    res = optimal_tariffs(economy, "C01", by="partner", bounds=(0.0, 0.16))
    x = res.tariffs.to_numpy()
    assert (x >= 0.0).all() and (x <= 0.16 + 1e-12).all()
    at_upper = x >= 0.16 - 1e-9
    assert at_upper.any()
    assert (res.gradient.to_numpy()[at_upper] >= 0).all()       # would like more, cannot
    assert (res.foc.to_numpy()[at_upper] == 0).all()
    assert res.tariff_array[1, 0, :] == pytest.approx(res.tariffs["C00"])


def test_against_and_sectors_only_change_the_chosen_tariffs() -> None:
    economy = _economy(4, 2, seed=2, io=True)
    res = optimal_tariffs(economy, "C00", against=["C02", "C03"], sectors=["S01"])
    changed = res.tariff_array != economy.tariffs
    expected = np.zeros_like(changed)
    expected[0, 2:, 1] = True
    assert not (changed & ~expected).any()
    assert res.tariff_array[0, 2, 1] == res.tariff_array[0, 3, 1] == res.tariffs["all"]


def test_bad_input_gives_clear_errors() -> None:
    economy = _economy(4, 2, seed=2)
    with pytest.raises(UnknownCountryError, match="allowed: C00, C01, C02, C03"):
        optimal_tariffs(economy, "USA")
    with pytest.raises(UnknownCountryError):
        optimal_tariffs(economy, "C00", against=["XXX"])
    with pytest.raises(UserInputError, match="against itself"):
        optimal_tariffs(economy, "C00", against=["C01", "C00"])
    with pytest.raises(UserInputError, match="exclude the current tariff"):
        optimal_tariffs(economy, "C00", bounds=(0.5, 1.0))
    with pytest.raises(UserInputError, match="-100 %"):
        optimal_tariffs(economy, "C00", bounds=(-1.0, 1.0))
    with pytest.raises(UserInputError, match="exceeds upper"):
        optimal_tariffs(economy, "C00", bounds=(0.3, 0.2))
    with pytest.raises(UnknownNameError, match="partner_sector"):
        optimal_tariffs(economy, "C00", by="country")
    with pytest.raises(UnknownSectorError):
        optimal_tariffs(economy, "C00", sectors=["SERV"])
    with pytest.raises(UnknownNameError, match="closed_form"):
        nash_tariffs(economy, method="newton")
    with pytest.raises(UserInputError, match="input-output"):
        nash_tariffs(_economy(4, 2, seed=2, io=True), method="lashkaripour")
    io_eq = solve(_economy(4, 2, seed=2, io=True))
    with pytest.raises(UserInputError, match="input-output"):
        lashkaripour_optimal_tariff(io_eq, "C00")


def test_fast_path_and_best_responses_give_the_same_nash() -> None:
    economy = _economy(4, 2, seed=9)
    fast = nash_tariffs(economy)  # auto: closed-form start + simultaneous conditions
    slow = nash_tariffs(economy, method="best_response")
    assert fast.method == "lashkaripour" and slow.method == "best_response"
    assert fast.converged and slow.converged
    np.testing.assert_allclose(fast.tariffs.to_numpy(), slow.tariffs.to_numpy(), atol=1e-5)
    np.testing.assert_allclose(fast.welfare_pct.to_numpy(), slow.welfare_pct.to_numpy(), atol=1e-5)
    for res in (fast, slow):
        assert res.check is not None
        assert res.check["max_gain_from_deviation_pct"] <= 1e-6
        assert res.check["max_tariff_change"] <= 1e-5


def test_closed_form_nash_is_reported_as_not_an_equilibrium_when_it_is_not() -> None:
    economy = _economy(4, 2, seed=9)
    res = nash_tariffs(economy, method="closed_form")
    assert not res.converged
    assert res.check is not None and res.check["max_tariff_change"] > 1e-5
    assert "NOT a Nash equilibrium" in res.message
    assert res.to_json()["tariffs"] is None


def test_non_convergence_returns_a_trace_not_an_equilibrium() -> None:
    economy = _economy(4, 2, seed=9, io=True)
    res = nash_tariffs(economy, method="best_response", max_rounds=1)
    assert not res.converged
    assert len(res.trace) == 1 and res.trace[0]["max_change"] > 1e-6
    out = res.to_json()
    assert out["converged"] is False
    assert out["tariffs"] is None and out["welfare_pct"] is None and out["check"] is None
    assert out["trace"][0]["round"] == 1
    assert set(out["last_iterate_tariffs"]) == set(economy.countries)


def test_nash_json_has_the_stable_keys() -> None:
    economy = _economy(3, 2, seed=1, io=True)
    res = nash_tariffs(economy, by="sector")
    assert res.converged and res.method == "best_response"
    out = res.to_json()
    for key in ("converged", "tariffs", "welfare_pct", "check", "iterations", "trace", "trade_change_pct"):
        assert key in out
    assert set(out["tariffs"]) == set(economy.countries)
    assert set(out["tariffs"]["C00"]) == set(economy.sectors)
    assert set(out["check"]) >= {"max_gain_from_deviation_pct", "max_tariff_change"}
    assert out["trade_change_pct"]["world"] < 0
    assert {"exporter", "importer", "change_pct"} <= set(out["trade_change_pct"]["pairs"][0])


def test_nash_among_a_subset_of_players() -> None:
    economy = _economy(4, 2, seed=9, io=True)
    res = nash_tariffs(economy, ["C00", "C02"], targets="players")
    assert res.converged and res.method == "simultaneous"
    changed = np.argwhere(res.tariff_array != economy.tariffs)
    assert {(int(a), int(b)) for a, b, _ in changed} == {(0, 2), (2, 0)}


# ------------------------------------------------------------------------- talks
def test_trade_talks_give_every_player_the_same_gain_over_nash() -> None:
    economy = _economy(3, 2, seed=1, io=True)
    nash = nash_tariffs(economy)
    talks = trade_talks(economy, nash)
    assert talks.converged
    gains = talks.welfare_vs_nash_pct[list(talks.players)]
    assert (gains > 0).all()
    assert talks.common_gain_pct == pytest.approx(gains.min())
    interior = talks.tariffs.to_numpy() > 1e-6   # players not held at the zero-tariff bound
    if interior.sum() >= 1:
        bound_free = gains.to_numpy()[interior]
        np.testing.assert_allclose(bound_free, gains.min(), atol=1e-6)
    assert (talks.tariffs.to_numpy() < nash.tariffs.to_numpy() + 1e-9).all()
    assert talks.world_trade_pct > nash.world_trade_pct
    assert set(talks.to_json()) >= {"tariffs", "welfare_pct", "welfare_vs_nash_pct", "common_gain_pct"}
    with pytest.raises(UserInputError, match="did not converge"):
        trade_talks(economy, nash_tariffs(economy, method="best_response", max_rounds=1))


# -------------------------------------------------------------------- retaliation
def test_optimal_retaliation_changes_only_the_targets_tariffs_on_the_aggressor() -> None:
    economy = _economy(4, 2, seed=2, io=True)
    after = economy.tariffs.copy()
    after[0, 1, :] += 0.5                                     # C00 hits C01
    retaliated = optimal_retaliation(economy, after, "C01", ["C00"])
    changed = retaliated != after
    assert changed[1, 0, :].all() and changed.sum() == economy.n_sectors
    best = optimal_tariffs(economy, "C01", against=["C00"], tariffs=after)
    np.testing.assert_allclose(retaliated, best.tariff_array)
    assert retaliated[1, 0, 0] == retaliated[1, 0, 1] > 0


def test_optimal_retaliation_rule_answers_every_aggressor_in_goods_sectors() -> None:
    """The scenario adapter: C01 and C02 are hit by C00; C03 lowers a tariff (no answer)."""
    economy = _economy(4, 2, seed=2, io=True)
    before = economy.tariffs.copy()
    after = before.copy()
    after[0, 1, :] += 0.5
    after[0, 2, :] += 0.3
    after[3, 1, :] = 0.0
    goods = np.array([True, False])
    context = SimpleNamespace(economy=economy, before=before, after=after, goods=goods,
                              touched=frozenset({(0, 1), (0, 2), (3, 1)}), scenario=None, label="")
    new = optimal_retaliation_rule(context)
    changed = {tuple(int(v) for v in idx) for idx in np.argwhere(new != after)}
    assert changed == {(1, 0, 0), (2, 0, 0)}
    expected = optimal_retaliation(economy, after, "C01", ["C00"], sectors=goods)
    assert new[1, 0, 0] == pytest.approx(expected[1, 0, 0])
