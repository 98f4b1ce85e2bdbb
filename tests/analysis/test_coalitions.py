"""Coalitions: enumeration, leverage, Shapley values, stability and reliability.

The numerics run on a small synthetic economy (``random_economy``, start = its own tariffs);
the end-to-end checks on the real icio 2022 g14 baseline are marked slow.
"""

from __future__ import annotations

import json
import math
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from tradewar.analysis.coalitions import (
    COALITION_JSON_KEYS,
    COALITION_ROW_KEYS,
    CoalitionResult,
    coalition_analysis,
    coalition_game,
    leverage,
    min_reliability,
    shapley_values,
    stable_coalitions,
    world_tariffs,
    worlds,
)
from tradewar.errors import UnknownCountryError, UserInputError
from tradewar.scenario import scenario_from_dict
from tradewar.testing import random_economy

ALLIES = ["C02", "C03", "C04", "C05"]


@pytest.fixture(scope="module")
def baseline():
    return SimpleNamespace(economy=random_economy(7, 4, seed=11))


def _leader_tariffs(points: float = 0.25):
    return scenario_from_dict({"name": "leader tariffs allies", "start": "baseline", "tariff": [
        {"importer": "C00", "exporter": ALLIES, "sectors": "all", "add": points}]})


@pytest.fixture(scope="module")
def plain(baseline) -> CoalitionResult:
    return coalition_analysis(baseline, leader="C00", target="C01", allies=ALLIES, tariff=0.4,
                              sectors="all", start="baseline", workers=1)


def _tariffed(baseline, points: float) -> CoalitionResult:
    """A small tariff on the target, no retaliation, and the leader's tariffs on the allies:
    relief is worth joining for some allies, at some reliability."""
    return coalition_analysis(baseline, leader="C00", target="C01", allies=ALLIES, tariff=0.1,
                              sectors="all", start="baseline", workers=1, reliability=0.5,
                              retaliation="none", us_tariffs_on_allies=_leader_tariffs(points))


@pytest.fixture(scope="module")
def tariffed(baseline) -> CoalitionResult:
    return _tariffed(baseline, 0.5)


# ---- enumeration and tariffs ----

def test_every_coalition_is_enumerated(plain, tariffed):
    n = len(ALLIES)
    assert len(worlds(plain.game)) == 2 ** n
    assert len(worlds(tariffed.game)) == 1 + 2 * (2 ** n - 1)  # the leader alone has no relief
    table = plain.table()
    assert len(table) == 2 ** n
    assert sorted(table["mask"]) == list(range(2 ** n))
    assert list(table["size"]) == sorted(table["size"])
    assert all(row[0] == "C00" for row in table["members"])
    assert table["members"].iloc[0] == ["C00"] and table["members"].iloc[-1] == ["C00"] + ALLIES
    assert not plain.failed and np.isfinite(plain.real_income_hat).all()


def test_world_tariffs_follow_the_definitions(baseline):
    game = coalition_game(baseline, leader="C00", target="C01", allies=ALLIES, tariff=0.4,
                          sectors="all", start="baseline", us_tariffs_on_allies=_leader_tariffs())
    base = game.economy.tariffs
    mask = 0b0101  # C02 and C04
    for relieved in (False, True):
        tau = world_tariffs(game, mask, relieved)
        delta = tau - base
        members = [0, 2, 4]
        for m in members:
            np.testing.assert_allclose(delta[m, 1], 0.4)      # members tariff the target
            np.testing.assert_allclose(delta[1, m], 0.4)      # mirror: the target answers
        assert np.abs(delta[1, [3, 5, 6]]).max() == 0.0       # not on outsiders
        relief = delta[0, [2, 4]]
        if relieved:                                          # back to the start for members
            np.testing.assert_allclose(relief, -0.25)
        else:
            assert np.abs(relief).max() == 0.0
        assert np.abs(delta[0, [3, 5]]).max() == 0.0          # outsiders keep theirs
    # the status quo carries the leader's tariffs on every ally
    np.testing.assert_allclose(base[0, 2:6] - game.start.economy.tariffs[0, 2:6], 0.25)


# ---- leverage ----

def test_leverage_definition():
    assert leverage(10.0, 4.0) == (2.5, False)
    assert leverage(-2.0, 4.0) == (-0.5, False)               # the target gains: negative
    assert leverage(10.0, 0.0) == (math.inf, True)            # the coalition loses nothing
    assert leverage(10.0, -3.0) == (math.inf, True)
    value, gains = leverage(-1.0, -1.0)
    assert math.isnan(value) and gains


def test_leverage_in_the_table(plain):
    table = plain.table()
    ratio = table.target_loss_musd / table.coalition_loss_musd
    finite = ~table.coalition_gains
    np.testing.assert_allclose(table.leverage[finite], ratio[finite], rtol=1e-12)
    econ = plain.game.economy
    change = (plain.real_income_hat[:, 0] - 1.0) * econ.income
    grand = 2 ** len(ALLIES) - 1
    assert table.target_loss_musd.iloc[-1] == pytest.approx(-change[grand, 1], rel=1e-12)
    assert table.coalition_loss_musd.iloc[-1] == pytest.approx(-change[grand, [0, 2, 3, 4, 5]].sum(),
                                                               rel=1e-12)


def test_coalition_gains_are_null_in_json(plain):
    gains = np.full_like(plain.real_income_hat, 1.01)  # everyone gains 1 %...
    gains[:, :, 1] = 0.99                              # ...but the target
    result = CoalitionResult(plain.game, 1.0, gains, plain.errors)
    rows = result.to_json()["coalitions"]
    assert all(r["leverage"] is None and r["coalition_gains"] for r in rows)
    assert all(math.isinf(v) for v in result.table().leverage)


# ---- Shapley ----

def test_shapley_values_of_known_games():
    # additive game: each player's value is its own contribution
    own = np.array([1.0, 2.0, 4.0])
    v = np.array([sum(own[k] for k in range(3) if m >> k & 1) for m in range(8)])
    np.testing.assert_allclose(shapley_values(v), own)
    # glove game: player 0 holds a left glove, players 1 and 2 a right glove each
    v = np.array([1.0 if (m & 1) and (m & 6) else 0.0 for m in range(8)])
    np.testing.assert_allclose(shapley_values(v), [2 / 3, 1 / 6, 1 / 6])
    with pytest.raises(UserInputError):
        shapley_values(np.zeros(6))


def test_shapley_efficiency_synthetic(plain, tariffed):
    for result in (plain, tariffed):
        loss = result.target_loss_musd()
        total = result.shapley()["shapley_musd"].sum()
        assert total == pytest.approx(loss[-1] - loss[0], rel=1e-10)
        pct = result.shapley()["shapley_pct"].sum()
        assert pct == pytest.approx(total / result.game.economy.income[1] * 100, rel=1e-12)


# ---- stability and reliability ----

def test_stability_on_a_hand_made_payoff_table():
    # two players A (bit 0) and B (bit 1); payoff[mask, player]
    payoff = np.array([
        [0.0, 0.0],    # {}      : A would join ({A} gives it 1)            -> unstable
        [1.0, 2.0],    # {A}     : A stays (1 >= 0), B stays out (2 >= 1.5) -> stable
        [-1.0, -1.0],  # {B}     : B leaves (-1 < 0)                        -> unstable
        [0.5, 1.5],    # {A, B}  : B leaves (1.5 < 2)                       -> unstable
    ])
    assert stable_coalitions(payoff) == [1]
    payoff[3, 1] = 2.0  # B now indifferent inside {A, B}: ties do not break stability
    assert stable_coalitions(payoff) == [1, 3]
    payoff[1, 1] = 2.0 + 1e-3  # B strictly prefers staying out again
    assert stable_coalitions(payoff) == [1]
    assert stable_coalitions(np.zeros((8, 3))) == list(range(8))  # nobody ever gains


def test_min_reliability_closed_form_and_monotonic():
    relief = np.array([1.0, 1.0, -1.0, 0.5, 2.0])
    no_relief = np.array([0.5, -1.0, -2.0, -0.5, -1.0])
    p = min_reliability(relief, no_relief, tol=0.0)
    np.testing.assert_allclose(p[[0, 1, 3, 4]], [0.0, 0.5, 0.5, 1 / 3])
    assert np.isnan(p[2])
    for k in (1, 3, 4):
        for q in np.linspace(0, 1, 41):
            gain = q * relief[k] + (1 - q) * no_relief[k]
            assert (gain >= 0) == (q >= p[k] - 1e-12)
    # more relief -> a lower (never higher) least reliability
    previous = 1.0
    for extra in np.linspace(0, 3, 13):
        now = min_reliability(relief + extra, no_relief, tol=0.0)[1]
        assert now <= previous + 1e-15
        previous = now


def test_min_reliability_and_stability_on_the_game(plain, tariffed):
    p_star = tariffed.min_reliability()
    assert ((p_star > 0) & (p_star < 1)).sum() >= 2 and p_star.isna().sum() >= 1
    full = 2 ** len(ALLIES) - 1
    for k, ally in enumerate(ALLIES):
        def gain(q: float, k: int = k) -> float:
            pay = tariffed.player_payoffs(q)
            return pay[full, k] - pay[full ^ (1 << k), k]
        if np.isnan(p_star[ally]):
            assert gain(1.0) < 0 and gain(0.0) < 0
        elif p_star[ally] > 0:
            assert gain(p_star[ally]) == pytest.approx(0.0, abs=1e-7)
            assert gain(max(0.0, p_star[ally] - 0.05)) < 0 <= gain(min(1.0, p_star[ally] + 0.05))
    # the stable coalitions at p follow from the payoff table at p
    for q, masks in tariffed.stable_by_reliability().items():
        assert masks == stable_coalitions(tariffed.player_payoffs(q))
    # without tariffs on allies, reliability changes nothing
    np.testing.assert_array_equal(plain.player_payoffs(0.0), plain.player_payoffs(1.0))
    assert plain.stable(0.0) == plain.stable(1.0)


def test_min_reliability_falls_as_the_relief_grows(baseline, tariffed):
    larger = _tariffed(baseline, 1.0).min_reliability()
    smaller = tariffed.min_reliability()
    finite = smaller.notna()
    assert finite.sum() >= 2
    assert (larger[finite] < smaller[finite]).all()


# ---- JSON ----

def test_json_keys_are_stable(tariffed):
    payload = tariffed.to_json()
    assert tuple(payload)[:4] == COALITION_JSON_KEYS
    json.dumps(payload, allow_nan=False)
    assert len(payload["coalitions"]) == 2 ** len(ALLIES)
    for row in payload["coalitions"]:
        assert tuple(row)[:6] == COALITION_ROW_KEYS
        assert list(row["members_welfare_pct"]) == row["members"]
    assert list(payload["shapley"]) == ALLIES and list(payload["min_reliability"]) == ALLIES
    assert all(isinstance(c, list) and c[0] == "C00" for c in payload["stable"])
    assert payload["settings"]["reliability"] == 0.5


# ---- bad input ----

@pytest.mark.parametrize(("options", "message"), [
    ({"allies": ["C02", "C00"]}, "C00 is the leader"),
    ({"allies": ["C01", "C02"]}, "C01 is the target"),
    ({"allies": ["C02", "C02"]}, "named twice"),
    ({"target": "C00"}, "leader and target"),
    ({"retaliation": "nuclear"}, "allowed"),
    ({"tariff": math.nan}, "finite"),
    ({"tariff": -2.0}, "-100 %"),
    ({"sectors": ["S09"]}, "S09"),
])
def test_bad_options_are_user_errors(baseline, options, message):
    kwargs = {"leader": "C00", "target": "C01", "allies": ALLIES, "start": "baseline"} | options
    with pytest.raises(UserInputError, match=message):
        coalition_game(baseline, **kwargs)


def test_unknown_ally_lists_the_allowed_codes(baseline):
    with pytest.raises(UnknownCountryError, match="allowed: .*C06"):
        coalition_game(baseline, leader="C00", target="C01", allies=["ZZZ"], start="baseline")


def test_reliability_must_be_a_probability(plain):
    with pytest.raises(UserInputError, match=r"\[0, 1\]"):
        coalition_analysis(game=plain.game, reliability=1.5)


def test_more_than_16_allies_need_force_with_an_estimate():
    economy = random_economy(19, 2, seed=2)
    game = coalition_game(SimpleNamespace(economy=economy), leader="C00", target="C01",
                          allies=[f"C{k:02d}" for k in range(2, 19)], start="baseline")
    with pytest.raises(UserInputError, match=r"17 allies make 131,072 coalitions.*ms per "
                       r"coalition measured.*--force"):
        coalition_analysis(game=game, workers=1)


# ---- optimal retaliation and checkpoints ----

def test_optimal_retaliation_answers_the_members(baseline):
    result = coalition_analysis(baseline, leader="C00", target="C01", allies=["C02"], tariff=0.4,
                                sectors="all", start="baseline", retaliation="optimal", workers=1)
    assert not result.failed
    mirror = coalition_analysis(baseline, leader="C00", target="C01", allies=["C02"], tariff=0.4,
                                sectors="all", start="baseline", retaliation="mirror", workers=1)
    none = coalition_analysis(baseline, leader="C00", target="C01", allies=["C02"], tariff=0.4,
                              sectors="all", start="baseline", retaliation="none", workers=1)
    target = [r.real_income_hat[:, 0, 1] for r in (result, mirror, none)]
    assert np.isfinite(target[0]).all()
    assert np.abs(target[0] - target[1]).max() > 1e-6 and np.abs(target[0] - target[2]).max() > 1e-6


def test_checkpoint_resumes_identically(plain, tmp_path):
    first = coalition_analysis(game=plain.game, workers=1, checkpoint_dir=tmp_path)
    again = coalition_analysis(game=plain.game, workers=1, checkpoint_dir=tmp_path)
    assert first.resumed_chunks == 0 and again.resumed_chunks >= 1
    np.testing.assert_array_equal(first.real_income_hat, again.real_income_hat)
    np.testing.assert_array_equal(first.real_income_hat, plain.real_income_hat)


# ---- the real baseline (icio 2022, g14) ----

@pytest.fixture(scope="module")
def g14():
    from tradewar.data import load_baseline

    return load_baseline("icio", 2022, "IS", regions="g14")


@pytest.mark.slow
def test_g14_shapley_efficiency_and_scenario_engine_agree(g14):
    from tradewar.scenario import run_scenario

    allies = ["JPN", "EU27", "KOR"]
    result = coalition_analysis(g14, allies=allies, tariff=0.5, workers=1)
    loss = result.target_loss_musd()
    assert result.shapley()["shapley_musd"].sum() == pytest.approx(loss[-1] - loss[0], rel=1e-10)
    assert loss[-1] > loss[0] > 0  # more members, more damage to China
    # the grand coalition is the scenario language's [[coalition]] with mirror retaliation
    scenario = scenario_from_dict({"name": "front", "retaliation": "mirror", "coalition": [
        {"members": ["USA"] + allies, "target": "CHN", "tariff": 0.5, "sectors": "goods"}]})
    eq = run_scenario(g14, scenario).final
    np.testing.assert_allclose(result.real_income_hat[-1, 0], eq.real_income_hat, rtol=1e-9)


@pytest.mark.slow
def test_g14_america_first_preset_relieves_members(g14):
    result = coalition_analysis(g14, allies=["CAN", "MEX"], us_tariffs_on_allies="america-first",
                                workers=1, reliability=1.0)
    game = result.game
    assert game.ally_tariffs is not None and game.us_tariffs_on_allies == "america-first"
    can = game.countries.index("CAN")
    assert game.ally_tariffs[game.leader, can].max() > 0.05  # the 2025 tariffs on Canada
    # relief is a gain for a member: its welfare with relief beats without
    assert result.real_income_hat[1, 1, can] > result.real_income_hat[1, 0, can]


# ---- CLI ----

@pytest.fixture
def cli():
    from tradewar.cli import _coalitions
    from tradewar.cli._app import app, main

    names = {c.name for c in app.registered_commands}
    if "coalitions" not in names:  # until the app registers them
        app.command("coalitions")(_coalitions.coalitions)
        app.command("sweep")(_coalitions.sweep)
    return main


def _exit_code(main, argv) -> int:
    with pytest.raises(SystemExit) as info:
        main(argv)
    return int(info.value.code)


@pytest.mark.slow
@pytest.mark.parametrize(("argv", "message"), [
    (["--allies", "JPN,USA"], "USA is the leader"),
    (["--allies", "CHN,JPN"], "CHN is the target"),
    (["--allies", "JPN,XXX"], "unknown country 'XXX'"),
    (["--reliability", "2"], "reliability"),
    (["--preset", "america-first", "--us-tariffs-on-allies", "none"], "one or the other"),
    (["--scheduler", "tcp://127.0.0.1:1", "--allies", "JPN", "--checkpoint", "none"], "cannot reach"),
])
def test_cli_errors_exit_2(cli, capsys, argv, message):
    assert _exit_code(cli, ["coalitions", *argv]) == 2
    err = capsys.readouterr().err
    assert message in " ".join(err.split()) and "Traceback" not in err


@pytest.mark.slow
def test_cli_too_many_allies_exit_2(cli, capsys):
    allies = "JPN,KOR,IND,VNM,DEU,FRA,ITA,ESP,NLD,GBR,CAN,MEX,AUS,TWN,BRA,IDN,THA"
    assert _exit_code(cli, ["coalitions", "--regions", "none", "--allies", allies]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "17 allies make 131,072 coalitions" in err and "--force" in err


@pytest.mark.slow
def test_cli_json(cli, capsys, tmp_path):
    chart = tmp_path / "c.html"
    code = _exit_code(cli, ["coalitions", "--allies", "JPN,KOR", "--json", "--workers", "1",
                            "--checkpoint", str(tmp_path / "ck"), "--chart", str(chart)])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert tuple(payload)[:4] == COALITION_JSON_KEYS
    assert [c["members"] for c in payload["coalitions"]] == [
        ["USA"], ["USA", "JPN"], ["USA", "KOR"], ["USA", "JPN", "KOR"]]
    assert chart.read_text().count("plotly") > 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
