"""Escalation game: backward induction on hand-made payoff tables, the break-even identity,
concession checks, JSON keys and the CLI on a stand-in baseline (a synthetic economy with real
codes, for the game logic only), plus the US–China case on the real g14 baseline (slow)."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import numpy as np
import pytest

from tradewar.analysis.escalation import (
    BY_THREAT_KEYS,
    ESCALATION_JSON_KEYS,
    OUTCOMES,
    break_even,
    check_concession,
    escalation_game,
    outcome_codes,
    solve_game,
    war_tariffs,
)
from tradewar.data import goods_mask
from tradewar.errors import UnknownCountryError, UnknownNameError, UserInputError
from tradewar.model import solve
from tradewar.scenario import DeficitChange, Scenario, TariffAction, compile_tariffs
from tradewar.testing import random_economy

COUNTRIES = ("USA", "CHN", "JPN", "KOR", "DEU", "FRA", "ROW")
SECTORS = ("A01", "C26", "C29", "SERV")
ALLIES = ["JPN", "KOR", "EU27"]


@dataclasses.dataclass(frozen=True)
class StandIn:
    """The attributes of :class:`tradewar.data.Baseline` the escalation game reads."""

    economy: Any
    dataset: str = "synthetic"
    year: int | None = None
    elasticity: str = "test"
    regions: str | None = None


def _standin(seed: int = 4, tariff_max: float = 0.15) -> StandIn:
    economy = random_economy(len(COUNTRIES), len(SECTORS), seed=seed, tariff_max=tariff_max)
    return StandIn(dataclasses.replace(economy, countries=COUNTRIES, sectors=SECTORS))


def _cut(**kwargs: Any) -> Scenario:
    """CHN sets its tariffs on US goods to zero (a concession), from the data's tariffs."""
    return Scenario(name="cut", start="baseline", tariff=[
        TariffAction(importer="CHN", exporter="USA", sectors="goods", set=0.0)], **kwargs)


@pytest.fixture(scope="module")
def standin() -> StandIn:
    return _standin()


@pytest.fixture(scope="module")
def result(standin: StandIn):
    return escalation_game(standin, demand=_cut(), allies=ALLIES, threats=(0.25, 0.5, 1.0),
                           threat=0.5, capitulation_cost=0.1, audience_cost=0.05)


# ------------------------------------------------------------ backward induction by hand
# leader_concede, target_concede, leader_war, target_war: d* = -0.25 + 1.5 = 1.25 when credible
# (c > 0.5), else d* = -0.25. Binary fractions, so every boundary is exact.
TABLE = (0.125, -0.25, -0.5, -1.5)


@pytest.mark.parametrize(("d", "c", "outcome", "credible", "d_star"), [
    (0.0, 1.0, "concede", True, 1.25),
    (1.25, 1.0, "concede", True, 1.25),                    # at d*: indifferent -> concede
    (1.25 + 1e-9, 1.0, "resist_war", True, 1.25),          # just above d*: resist, war
    (3.0, 0.5 + 1e-9, "resist_war", True, 1.25),           # c just above -W_L(war): credible
    (3.0, 0.5, "resist_back_down", False, -0.25),          # c at -W_L(war): backs down
    (0.0, 0.5, "resist_back_down", False, -0.25),          # not credible: resist even at d = 0
    (1.0, 0.0, "resist_back_down", False, -0.25),
])
def test_backward_induction_at_each_region_boundary(d, c, outcome, credible, d_star):
    sol = solve_game(*TABLE, capitulation_cost=d, audience_cost=c)
    assert (sol.outcome, sol.credible) == (outcome, credible)
    assert sol.d_star_pct == d_star
    expected = {"concede": (0.125, -0.25 - d), "resist_war": (-0.5, -1.5),
                "resist_back_down": (-c, 0.0)}[outcome]
    assert (sol.leader_payoff, sol.target_payoff) == expected


def test_a_concession_that_pays_is_made_without_a_credible_threat():
    # the target gains 0.5 % from conceding: it concedes up to d* = 0.5 even if the threat is empty
    assert solve_game(0.0, 0.5, -1.0, -2.0, 0.5, 0.0).outcome == "concede"
    assert solve_game(0.0, 0.5, -1.0, -2.0, 0.5 + 1e-9, 0.0).outcome == "resist_back_down"
    # a war the leader gains from is credible at any audience cost
    sol = solve_game(0.0, 0.5, 0.25, -2.0, 2.5, 0.0)
    assert sol.credible and sol.d_star_pct == 2.5 and sol.outcome == "concede"
    assert solve_game(0.0, 0.5, 0.25, -2.0, 2.5 + 1e-9, 0.0).outcome == "resist_war"


def test_vectorised_outcomes_agree_with_the_game():
    rng = np.random.default_rng(0)
    for _ in range(300):
        lc, tc, lw, tw = rng.normal(0.0, 1.0, 4)
        d, c = rng.uniform(0.0, 3.0), rng.uniform(0.0, 2.0)
        sol = solve_game(lc, tc, lw, tw, d, c)
        assert OUTCOMES[int(outcome_codes(tc, tw, lw, d, c))] == sol.outcome
        assert float(break_even(tc, tw, lw, c)) == sol.d_star_pct


def test_game_rejects_non_finite_payoffs():
    with pytest.raises(UserInputError, match="finite"):
        solve_game(0.0, math.nan, -1.0, -1.0, 1.0, 1.0)


# ------------------------------------------------------------ the game on an economy
def test_d_star_is_concession_minus_war_payoff_exactly(result, standin):
    war = result.war_at(None)
    assert result.d_star(c=10.0) == result.concede_target_pct - war.target_pct
    js = result.to_json()
    credible = js["credible"]
    assert credible == (war.leader_pct > -result.audience_cost_pct)
    expected = result.concede_target_pct - (war.target_pct if credible else 0.0)
    assert js["d_star_pct"] == expected
    for row in js["by_threat"]:
        assert row["d_star_if_credible_pct"] == result.concede_target_pct - row["target_war_pct"]
        assert row["credible_if_c_above_pct"] == -row["leader_war_pct"]


def test_payoffs_are_the_engines_welfare(result, standin):
    """Recompute the concession and the headline war independently with solve()."""
    economy = standin.economy
    compiled = compile_tariffs(_cut(), standin)
    concede = solve(economy, compiled.steps[-1].tariffs)
    us, cn = economy.index_of("USA"), economy.index_of("CHN")
    assert result.concede_target_pct == pytest.approx(concede.welfare_pct[cn], abs=1e-10)
    assert result.concede_leader_pct == pytest.approx(concede.welfare_pct[us], abs=1e-10)
    tau = np.array(economy.tariffs, copy=True)
    goods = goods_mask(SECTORS)
    members = [economy.index_of(c) for c in ("USA", "JPN", "KOR", "DEU", "FRA")]
    for m in members:
        tau[m, cn, goods] += 0.5
        tau[cn, m, goods] += 0.5
    war = solve(economy, tau)
    assert result.war_at(0.5).target_pct == pytest.approx(war.welfare_pct[cn], abs=1e-10)
    assert result.war_at(0.5).leader_pct == pytest.approx(war.welfare_pct[us], abs=1e-10)


def test_mirror_hits_every_threatener_in_goods_only(standin):
    economy = standin.economy
    cn = economy.index_of("CHN")
    threateners = [economy.index_of("USA"), economy.index_of("DEU")]
    goods = goods_mask(SECTORS)
    tau = war_tariffs(economy, 0.7, threateners, cn, goods, "mirror")
    delta = tau - economy.tariffs
    for m in threateners:
        np.testing.assert_allclose(delta[m, cn], 0.7 * goods)
        np.testing.assert_allclose(delta[cn, m], 0.7 * goods)
    assert np.count_nonzero(delta) == 4 * goods.sum()
    none = war_tariffs(economy, 0.7, threateners, cn, goods, "none")
    assert np.count_nonzero(none - economy.tariffs) == 2 * goods.sum()


def test_a_handful_of_solves_and_the_grid(result):
    # 3 threats x (with allies, alone) + 3 allies alone at the headline + the concession
    assert result.solves == 3 * 2 + 3 + 1
    grid = result.to_json()["grid"]
    assert grid["threat"] == [0.25, 0.5, 1.0]
    assert len(grid["d_pct"]) == 51 and grid["d_pct"][0] == 0.0 and grid["d_pct"][-1] == 5.0
    assert len(grid["c_pct"]) == 21 and grid["c_pct"][-1] == 2.0
    for t, row in enumerate(grid["outcome_at_c"]["outcome"]):
        for k, d in enumerate(grid["d_pct"]):
            assert row[k] == result.solution(d=d, threat=grid["threat"][t]).outcome
    for ci, c in enumerate(grid["c_pct"]):
        for t, threat in enumerate(grid["threat"]):
            sol = result.solution(c=c, threat=threat)
            assert grid["credible"][ci][t] == sol.credible
            assert grid["d_star_pct"][ci][t] == sol.d_star_pct


def test_json_keys_are_stable(result):
    js = result.to_json()
    assert tuple(js)[:len(ESCALATION_JSON_KEYS)] == ESCALATION_JSON_KEYS
    assert set(js["payoffs"]) == {"concede", "war", "back_down"}
    for node in js["payoffs"].values():
        assert set(node) == {"leader", "target"}
    assert js["outcome"] in OUTCOMES
    assert js["allies"] == ALLIES and js["threat"] == 0.5
    for row in js["by_threat"]:
        assert tuple(row) == BY_THREAT_KEYS
    assert list(js["allies_effect"]) == ["none", "all"] + ALLIES
    assert js["allies_effect"]["all"] == js["d_star_pct"]
    assert {"name", "description", "tariff_change_points", "deficit_change_musd"} <= set(js["demand"])
    assert js["demand"]["tariff_change_points"] < 0
    json.dumps(js, allow_nan=False)


def test_allies_effect_is_the_d_star_of_each_threat(result):
    eff = result.allies_effect()
    c = result.audience_cost_pct
    for ally, war in result.war_by_ally.items():
        assert war.threateners[0] == "USA" and len(war.threateners) == (3 if ally == "EU27" else 2)
        assert eff[ally] == float(break_even(result.concede_target_pct, war.target_pct,
                                             war.leader_pct, c))
    assert eff["none"] == result.d_star(with_allies=False)


def test_without_allies_with_and_without_are_the_same(standin):
    res = escalation_game(standin, demand=_cut(), threats=(0.5,), threat=0.5)
    assert res.war == res.war_alone and res.solves == 2
    assert list(res.allies_effect()) == ["none", "all"]
    assert res.allies_effect()["none"] == res.allies_effect()["all"]


def test_figures_and_chart(result, tmp_path):
    from tradewar.report import escalation_figures, write_figures

    figures = escalation_figures(result)
    assert len(figures) == 3
    heat = figures[0][1].data[0]
    assert np.asarray(heat.z).shape == (3, 51)
    path = write_figures(tmp_path / "escalation.html", "escalation", figures, result.chart_notes())
    assert "Break-even cost of capitulation" in path.read_text()


# ------------------------------------------------------------ demands
def test_default_demand_cuts_the_targets_tariffs(standin):
    res = escalation_game(standin, threats=(0.5,), threat=0.5, start="baseline")
    # start = the data's tariffs: already at the "MFN" level, so the default cuts them to zero
    assert res.demand["name"] == "chn-cuts-tariffs-on-usa"
    assert "to zero" in res.demand["description"]
    assert res.demand["tariff_change_points"] < 0 and res.demand["deficit_change_musd"] == 0.0


@pytest.mark.parametrize(("scenario", "match"), [
    (Scenario(name="raise", start="baseline",
              tariff=[TariffAction(importer="CHN", exporter="USA", add=0.1)]),
     r"not a concession by CHN to USA: it changes CHN's tariffs on imports from USA by \+10 points \(trade-weighted over the 3 sectors"),
    (Scenario(name="elsewhere", start="baseline",
              tariff=[TariffAction(importer="JPN", exporter="KOR", add=-0.05)]),
     "leaves CHN's tariffs on imports from USA unchanged and leaves CHN's trade balance unchanged"),
    (Scenario(name="us-cuts", start="baseline",
              tariff=[TariffAction(importer="USA", exporter="CHN", set=0.0)]),
     "not a concession"),
])
def test_a_demand_that_is_not_a_concession_raises(standin, scenario, match):
    with pytest.raises(UserInputError, match=match) as info:
        escalation_game(standin, demand=scenario, threats=(0.5,), threat=0.5)
    assert "expected: a scenario that lowers CHN's tariffs on imports from USA" in str(info.value)


def test_surplus_demands(standin):
    economy = standin.economy
    deficit = float(economy.deficit[economy.index_of("CHN")])
    shrink, grow = (0.5, 2.0) if deficit < 0 else (2.0, 0.5)
    good = Scenario(name="rebalance", start="baseline", deficit=[DeficitChange(country="CHN", scale=shrink)])
    compiled = compile_tariffs(good, standin)
    concession = check_concession(compiled, "USA", "CHN")
    assert concession.surplus_cut and not concession.tariff_cut
    assert concession.deficit_change_musd == pytest.approx(abs(deficit) * 0.5, rel=1e-9)
    res = escalation_game(standin, demand=good, threats=(0.5,), threat=0.5)
    assert res.demand["closure"] == "given"
    bad = Scenario(name="more-surplus", start="baseline", deficit=[DeficitChange(country="CHN", scale=grow)])
    with pytest.raises(UserInputError, match="changes CHN's trade deficit by -"):
        escalation_game(standin, demand=bad, threats=(0.5,), threat=0.5)


def test_a_demand_can_be_a_builtin_name_and_errors_list_them(standin):
    with pytest.raises(UserInputError, match="neither a built-in nor an existing TOML file"):
        escalation_game(standin, demand="no-such-demand", threats=(0.5,))


# ------------------------------------------------------------ bad input
@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"allies": ["XYZ"]}, UnknownCountryError, "unknown country 'XYZ' in allies"),
    ({"allies": ["USA"]}, UserInputError, "allies: USA is .* the leader"),
    ({"allies": ["JPN", "JPN"]}, UserInputError, "named twice"),
    ({"target": "USA"}, UserInputError, "leader and target are both USA"),
    ({"leader": "ABC"}, UnknownCountryError, "unknown country 'ABC'"),
    ({"threat": 0.0}, UserInputError, "threat: 0.0; allowed: a positive number"),
    ({"threat": math.inf}, UserInputError, "threat"),
    ({"threat": "lots"}, UserInputError, "threat: 'lots' is not a number"),
    ({"capitulation_cost": -1.0}, UserInputError, "capitulation cost: -1.0; allowed: a number >= 0"),
    ({"audience_cost": math.nan}, UserInputError, "audience cost"),
    ({"retaliation": "nuclear"}, UnknownNameError, "unknown retaliation 'nuclear'.*mirror"),
    ({"threats": []}, UserInputError, "threats: .*non-empty"),
    ({"deficits": "zero"}, UnknownNameError, "unknown deficits 'zero'"),
])
def test_bad_input_is_a_clear_error(standin, kwargs, error, match):
    with pytest.raises(error, match=match):
        escalation_game(standin, **({"demand": _cut(), "threats": (0.5,), "threat": 0.5} | kwargs))


# ------------------------------------------------------------ CLI
@pytest.fixture
def cli(monkeypatch, standin):
    import typer

    from tradewar.cli import _escalation as module

    monkeypatch.setattr(module, "baseline_from_options", lambda *args, **kwargs: standin)
    app = typer.Typer(pretty_exceptions_enable=False)
    app.command("escalation")(module.escalation)
    app.callback()(lambda: None)
    return app


def test_cli_json_and_table(cli, tmp_path):
    from typer.testing import CliRunner

    toml = tmp_path / "cut.toml"
    toml.write_text('name = "cut"\nstart = "baseline"\n[[tariff]]\nimporter = "CHN"\n'
                    'exporter = "USA"\nset = 0.0\n')
    runner = CliRunner()
    out = runner.invoke(cli, ["escalation", "--demand", str(toml), "--threat", "0.5",
                              "--allies", "JPN,EU27", "--json", "--chart", str(tmp_path / "c.html")])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout[:out.stdout.rindex("}") + 1])
    assert tuple(payload)[:len(ESCALATION_JSON_KEYS)] == ESCALATION_JSON_KEYS
    assert payload["allies"] == ["JPN", "EU27"] and (tmp_path / "c.html").is_file()
    out = runner.invoke(cli, ["escalation", "--demand", str(toml), "--allies", "JPN",
                              "--audience-cost", "0", "--capitulation-cost", "2"])
    assert out.exit_code == 0, out.output
    assert "break-even cost of capitulation" in out.stdout and "USA + JPN" in out.stdout


def test_cli_user_errors(cli, tmp_path):
    from typer.testing import CliRunner

    toml = tmp_path / "raise.toml"
    toml.write_text('name = "raise"\nstart = "baseline"\n[[tariff]]\nimporter = "CHN"\n'
                    'exporter = "USA"\nadd = 0.1\n')
    runner = CliRunner()
    out = runner.invoke(cli, ["escalation", "--demand", str(toml)])
    assert isinstance(out.exception, UserInputError)   # main() maps it to exit code 2
    assert "'raise' is not a concession by CHN to USA" in str(out.exception)
    out = runner.invoke(cli, ["escalation", "--allies", "JPN,,KOR"])
    assert isinstance(out.exception, UserInputError) and "empty code" in str(out.exception)
    out = runner.invoke(cli, ["escalation", "--retaliation", "maybe"])
    assert isinstance(out.exception, UnknownNameError)
    out = runner.invoke(cli, ["escalation", "--chart", str(tmp_path / "missing" / "c.html")])
    assert isinstance(out.exception, UserInputError) and "--chart" in str(out.exception)


# ------------------------------------------------------------ optimal retaliation (slow: JAX)
@pytest.mark.slow
def test_optimal_retaliation_is_at_least_as_good_for_the_target_as_none():
    """From free trade, "none" (target keeps 0 on the threateners) is inside the best
    response's feasible set (a uniform rate in [0, 5]), so the target does at least as well."""
    standin = _standin(seed=5, tariff_max=0.0)
    cut = Scenario(name="cut", start="baseline", deficit=[DeficitChange(
        country="CHN", scale=0.5 if standin.economy.deficit[1] < 0 else 2.0)])
    common = {"demand": cut, "threats": (0.5,), "threat": 0.5, "allies": ["JPN"]}
    calls: list[tuple[int, int]] = []
    best = escalation_game(standin, retaliation="optimal", progress=lambda d, n: calls.append((d, n)),
                           **common)
    none = escalation_game(standin, retaliation="none", **common)
    assert calls[-1] == (2, 2)
    for b, n in zip(best.war + best.war_alone, none.war + none.war_alone, strict=True):
        assert b.target_pct >= n.target_pct - 1e-9


# ------------------------------------------------------------ the real case (slow)
ALL_ALLIES = ["JPN", "KOR", "EU27", "GBR", "CAN", "MEX", "AUS", "IND", "VNM", "TWN"]


@pytest.fixture(scope="module")
def g14():
    from tradewar.data import load_baseline

    return load_baseline("icio", 2022, "IS", regions="g14")


@pytest.mark.slow
def test_us_china_on_g14(g14):
    res = escalation_game(g14, allies=ALL_ALLIES)
    js = res.to_json()
    json.dumps(js, allow_nan=False)
    assert js["demand"]["name"] == "chn-cuts-tariffs-on-usa"
    # China removes its 2018-19 retaliation (about 13 points on US goods)
    assert -20.0 < js["demand"]["tariff_change_points"] < -5.0
    # larger threats lower China's war payoff, alone and with the allies
    for wars in (res.war, res.war_alone):
        target = [w.target_pct for w in wars]
        assert all(np.diff(target) < 0), target
        assert all(w.target_pct < 0 for w in wars)
    # allies joining the threat lower China's war payoff, so the break-even d* rises
    alone, allied = res.war_at(None, with_allies=False), res.war_at(None)
    assert allied.target_pct < alone.target_pct
    for c in (0.0, 0.5, 1.0, 2.0):
        assert res.d_star(c=c) >= res.d_star(c=c, with_allies=False) - 1e-12
    assert res.d_star(c=10.0) > res.d_star(c=10.0, with_allies=False) + 1.0
    effect = res.allies_effect()
    for ally in ALL_ALLIES:
        assert res.war_by_ally[ally].target_pct < alone.target_pct
        assert effect["none"] <= effect[ally] <= effect["all"]
    # the identity and the headline reading (c = 1 %: the US threat is credible)
    assert js["credible"] and js["d_star_pct"] == res.concede_target_pct - allied.target_pct
    assert 0.3 < effect["none"] < 1.0
