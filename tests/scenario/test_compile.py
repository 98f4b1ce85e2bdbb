"""Compiling scenarios into tariff arrays on a stand-in baseline (synthetic flows, real codes)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from tradewar.data._tariff_layer import hand_entered
from tradewar.errors import ScenarioError
from tradewar.model import solve
from tradewar.scenario import compile_tariffs, scenario_from_toml

from .conftest import COUNTRIES, SECTORS, make_standin

HEAD = 'name = "x"\nstart = "baseline"\n'
C = {c: k for k, c in enumerate(COUNTRIES)}
S = {s: k for k, s in enumerate(SECTORS)}
GOODS = [S[s] for s in SECTORS if s != "SERV"]


def compiled(standin, body: str, head: str = HEAD):
    scenario = scenario_from_toml(head + body)
    result = compile_tariffs(scenario, standin)
    return result, np.asarray(result.start_economy.tariffs), result.steps[-1].tariffs


def test_set_versus_add(standin) -> None:
    result, start, tau = compiled(standin, (
        '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nsectors = ["C26"]\nset = 0.30\n'
        '[[tariff]]\nimporter = "USA"\nexporter = "VNM"\nsectors = ["C26"]\nadd = 0.30\n'))
    us, cn, vn, c26 = C["USA"], C["CHN"], C["VNM"], S["C26"]
    assert tau[us, cn, c26] == pytest.approx(0.30)
    assert tau[us, vn, c26] == pytest.approx(start[us, vn, c26] + 0.30)
    changed = np.argwhere(~np.isclose(tau, start))
    assert {tuple(x) for x in changed} <= {(us, cn, c26), (us, vn, c26)}
    assert result.start_method == "data" and result.deficits_new is None


def test_goods_excludes_services_and_all_includes_them(standin) -> None:
    _, start, tau = compiled(standin, '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = 0.5\n')
    us, cn, sv = C["USA"], C["CHN"], S["SERV"]
    np.testing.assert_allclose(tau[us, cn, GOODS], start[us, cn, GOODS] + 0.5)
    assert tau[us, cn, sv] == start[us, cn, sv]
    _, start, tau = compiled(standin, '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nsectors = "all"\nadd = 0.5\n')
    assert tau[us, cn, sv] == pytest.approx(start[us, cn, sv] + 0.5)


def test_bloc_and_all_expand(standin) -> None:
    result, start, tau = compiled(standin, '[[tariff]]\nimporter = "EU27"\nexporter = "ALL"\nadd = 0.1\n')
    for importer in ("DEU", "FRA"):
        for exporter in COUNTRIES:
            diff = tau[C[importer], C[exporter], GOODS] - start[C[importer], C[exporter], GOODS]
            np.testing.assert_allclose(diff, 0.0 if exporter == importer else 0.1)
    assert np.allclose(tau[C["USA"]], start[C["USA"]])
    assert any("bloc EU27" in n and "left out" in n for n in result.notes)


def test_region_of_an_aggregated_baseline_is_matched_by_name() -> None:
    countries = ("USA", "CHN", "EU27", "JPN", "ROW")
    standin = make_standin(countries, SECTORS, regions="g14")
    result, start, tau = compiled(standin, '[[tariff]]\nimporter = "USA"\nexporter = "EU27"\nadd = 0.2\n')
    np.testing.assert_allclose(tau[0, 2, GOODS] - start[0, 2, GOODS], 0.2)
    assert result.main_countries == ("USA", "EU27")


def test_agreement_zeroes_tariffs_among_members_goods_and_services(standin) -> None:
    _, start, tau = compiled(standin, '[[agreement]]\nmembers = ["USA", "EU27"]\n')
    members = [C["USA"], C["DEU"], C["FRA"]]
    for m in members:
        for e in members:
            assert (tau[m, e] == 0).all()
    assert np.allclose(tau[C["USA"], C["CHN"]], start[C["USA"], C["CHN"]])
    assert np.allclose(tau[C["CHN"], C["USA"]], start[C["CHN"], C["USA"]])


def test_coalition_each_member_adds_on_the_target(standin) -> None:
    _, start, tau = compiled(standin, (
        '[[coalition]]\nmembers = ["USA", "JPN", "EU27"]\ntarget = "CHN"\ntariff = 1.45\n'))
    for member in ("USA", "JPN", "DEU", "FRA"):
        np.testing.assert_allclose(tau[C[member], C["CHN"], GOODS] - start[C[member], C["CHN"], GOODS], 1.45)
    assert np.allclose(tau[C["CHN"]], start[C["CHN"]])  # no retaliation by default


def test_mirror_retaliation(standin) -> None:
    head = HEAD + 'retaliation = "mirror"\n'
    _, start, tau = compiled(standin, (
        '[[tariff]]\nimporter = "USA"\nexporter = ["CHN", "CAN"]\nsectors = ["C26", "SERV"]\nadd = 0.25\n'), head)
    for exporter in ("CHN", "CAN"):
        back = tau[C[exporter], C["USA"]] - start[C[exporter], C["USA"]]
        assert back[S["C26"]] == pytest.approx(0.25)
        assert back[S["SERV"]] == 0.0  # mirror hits goods only
        assert np.allclose(np.delete(back, S["C26"]), 0.0)
    # a coalition's target mirrors on every member
    _, start, tau = compiled(standin, '[[coalition]]\nmembers = ["USA", "JPN"]\ntarget = "CHN"\ntariff = 1.0\n', head)
    for member in ("USA", "JPN"):
        np.testing.assert_allclose(tau[C["CHN"], C[member], GOODS] - start[C["CHN"], C[member], GOODS], 1.0)


def test_no_mirror_when_the_reverse_pair_is_explicit(standin) -> None:
    head = HEAD + 'retaliation = "mirror"\n'
    _, start, tau = compiled(standin, (
        '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = 1.45\n'
        '[[tariff]]\nimporter = "CHN"\nexporter = "USA"\nadd = 1.25\n'), head)
    np.testing.assert_allclose(tau[C["CHN"], C["USA"], GOODS] - start[C["CHN"], C["USA"], GOODS], 1.25)


def test_ladder_is_cumulative_and_layer_references_track_levels(standin) -> None:
    body = ""
    days = ["2025-02-10", "2025-03-10", "2025-04-10", "2025-04-12", "2025-05-14"]
    for day in days:
        body += (f'[[step]]\ndate = {day}\nlabel = "{day}"\n'
                 f'[[step.tariff]]\nimporter = "CHN"\nexporter = "USA"\nadd = "china-2025:{day}"\n'
                 f'[[step.tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = 0.1\n')
    result, start, _ = compiled(standin, body)
    assert [s.label for s in result.steps] == days
    hand = hand_entered()
    icio = hand.china_on_usa_level(date(2025, 5, 14))
    for k, (step, day) in enumerate(zip(result.steps, days, strict=True)):
        level = hand.china_on_usa_level(date.fromisoformat(day))
        index = {code: i for i, code in enumerate(("A01", "A02", "A03", "B05", "B06"))}
        china = step.tariffs[C["CHN"], C["USA"]] - start[C["CHN"], C["USA"]]
        assert china[S["A01"]] == pytest.approx(level[index["A01"]])
        assert china[S["B06"]] == pytest.approx(level[index["B06"]])
        us = step.tariffs[C["USA"], C["CHN"], GOODS] - start[C["USA"], C["CHN"], GOODS]
        np.testing.assert_allclose(us, 0.1 * (k + 1))  # plain numbers stack
    assert icio[0] == pytest.approx(0.1 + 0.125)  # truce: 10 % plus the March farm tariff


def test_deficits_sum_to_zero_and_others_adjust_with_value_added(standin) -> None:
    result, _, _ = compiled(standin, (
        '[[deficit]]\ncountry = "CHN"\nscale = 0\n[[deficit]]\ncountry = "USA"\nset = 1.0\n'))
    economy = result.start_economy
    new = result.deficits_new
    assert result.closure == "given"
    assert new[C["CHN"]] == pytest.approx(0.0, abs=1e-9)
    assert new[C["USA"]] == pytest.approx(1.0)
    assert abs(new.sum()) < 1e-9 * economy.value_added.sum()
    others = [k for k in range(len(COUNTRIES)) if COUNTRIES[k] not in ("CHN", "USA")]
    change = new[others] - economy.deficit[others]
    share = economy.value_added[others] / economy.value_added[others].sum()
    np.testing.assert_allclose(change / change.sum(), share)


def test_start_in_force_is_an_exact_equilibrium_with_the_war_layer(standin, data_dir) -> None:
    scenario = scenario_from_toml('name = "x"\n[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = 0.0\n')
    result = compile_tariffs(scenario, standin, data_dir=data_dir)
    start = result.start_economy
    base = standin.economy
    assert result.start_method == "recalibrated"
    assert "2018-19 war layer" in result.starting_tariffs
    assert (start.tariffs >= base.tariffs - 1e-12).all()
    us, cn = C["USA"], C["CHN"]
    flows = base.flows[cn, us, GOODS]
    assert (start.tariffs[cn, us, GOODS] * flows).sum() / flows.sum() == pytest.approx(0.212)
    assert start.tariffs[us, cn, S["SERV"]] == base.tariffs[us, cn, S["SERV"]]
    assert np.array_equal(start.flows, base.flows)
    eq = solve(start)  # no shock from the recalibrated start: nothing moves
    np.testing.assert_allclose(eq.w_hat, 1.0, atol=1e-8)
    np.testing.assert_allclose(eq.welfare_pct, 0.0, atol=1e-6)


def test_start_in_force_before_2020_is_reached_by_a_solve(data_dir) -> None:
    standin = make_standin(year=2014, dataset="wiod")
    scenario = scenario_from_toml('name = "x"\n[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = 0.1\n')
    result = compile_tariffs(scenario, standin, data_dir=data_dir)
    assert result.start_method == "counterfactual"
    assert "WIOD MFN" in result.starting_tariffs
    assert not np.allclose(result.start_economy.flows, standin.economy.flows)


def test_us_layer_reference_gives_each_exporter_its_own_rate(standin, data_dir) -> None:
    result, start, tau = compiled(standin, (
        '[[tariff]]\nimporter = "USA"\nexporter = ["CHN", "VNM", "DEU"]\nadd = "us-2025:2025-04-05"\n'))
    us = C["USA"]
    china = tau[us, C["CHN"]] - start[us, C["CHN"]]
    vietnam = tau[us, C["VNM"]] - start[us, C["VNM"]]
    germany = tau[us, C["DEU"]] - start[us, C["DEU"]]
    assert china[S["SERV"]] == 0.0
    # effective dates: on 5 April only the 10 % baseline (20 % fentanyl before); Annex I from 9 April
    assert 0.2 < china[GOODS].mean() < 0.4 and 0.0 < vietnam[GOODS].mean() < 0.2
    assert 0.05 < germany[GOODS].mean() < 0.4  # the EU row applies to its members
    assert any("tariffs2025/country-by-time.csv" in n for n in result.notes)


def test_economy_absent_from_a_dataset_is_left_out_of_lists_with_a_note() -> None:
    standin = make_standin(("USA", "CHN", "JPN", "ROW"), SECTORS)
    result, start, tau = compiled(standin, (
        '[[coalition]]\nmembers = ["USA", "VNM", "JPN"]\ntarget = "CHN"\ntariff = 0.5\n'))
    assert any("VNM is not an economy of this baseline" in n for n in result.notes)
    np.testing.assert_allclose(tau[2, 1, GOODS] - start[2, 1, GOODS], 0.5)
    with pytest.raises(ScenarioError, match="VNM is not an economy of this baseline"):
        compiled(standin, '[[tariff]]\nimporter = "VNM"\nexporter = "CHN"\nadd = 0.1\n')
    with pytest.raises(ScenarioError, match="unknown country 'VMN'"):
        compiled(standin, '[[tariff]]\nimporter = ["USA", "VMN"]\nexporter = "CHN"\nadd = 0.1\n')
    regions = make_standin(("USA", "CHN", "EU27", "ROW"), SECTORS, regions="g14")
    with pytest.raises(ScenarioError, match="DEU is part of region EU27"):
        compiled(regions, '[[tariff]]\nimporter = ["USA", "DEU"]\nexporter = "CHN"\nadd = 0.1\n')
