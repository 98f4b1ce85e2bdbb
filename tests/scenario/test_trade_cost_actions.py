"""Beyond tariffs in the scenario language (issue 12): ``[[trade_cost]]``, ``[[export_tax]]``
(taxes, bans, rents) and ``[[agreement]] depth = "deep"``.

The pure array functions are checked against their definitions; compiled scenarios against
direct engine solves with the same arrays; bad entries give the same clear errors as tariffs
(key path, allowed values); the built-ins run on the real ICIO baseline.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tradewar.data import load_baseline
from tradewar.errors import ScenarioError
from tradewar.model import solve
from tradewar.scenario import (
    DEEP_AGREEMENT_EFFECT,
    ban_exports,
    builtin_names,
    compile_tariffs,
    deep_agreement_factor,
    deep_trade_costs,
    run_scenario,
    scale_trade_costs,
    scenario_from_toml,
)


@pytest.fixture(scope="module")
def baseline():
    return load_baseline()


@pytest.fixture(scope="module")
def small():
    return load_baseline(regions="g14")


# ---- pure functions ------------------------------------------------------------------------
def test_trade_costs_compose_multiplicatively_off_the_diagonal() -> None:
    d = np.ones((3, 3, 2))
    every = np.array([True, True])
    once = scale_trade_costs(d, [0, 1], [0, 1, 2], np.array([True, False]), 0.9)
    twice = scale_trade_costs(once, [0], [1], every, 0.5)
    assert twice[0, 1, 0] == pytest.approx(0.45) and twice[0, 1, 1] == pytest.approx(0.5)
    assert once[0, 0, 0] == 1.0 and once[1, 1, 0] == 1.0          # domestic sales untouched
    assert once[2, 0, 0] == 1.0 and once[0, 2, 1] == 1.0          # importer 2, sector 1 untouched
    assert d.max() == 1.0                                          # input not mutated


def test_deep_agreement_raises_member_trade_by_exp_beta_in_every_sector() -> None:
    theta = np.array([1.29, 4.0, 7.62])
    factor = deep_agreement_factor(theta, 0.4711)
    np.testing.assert_allclose(factor ** (-theta), math.exp(0.4711), rtol=1e-12)
    d = deep_trade_costs(np.ones((4, 4, 3)), [0, 1, 2], theta, 0.4711, excluded=[(1, 0)])
    np.testing.assert_allclose(d[0, 2], factor)
    np.testing.assert_allclose(d[2, 1], factor)
    assert (d[0, 1] == 1.0).all() and (d[1, 0] == 1.0).all()       # existing pair, both ways
    assert (d[3] == 1.0).all() and (d[:, 3] == 1.0).all()          # non-member
    assert (d[[0, 1, 2], [0, 1, 2]] == 1.0).all()


def test_bans_are_boolean_and_never_domestic() -> None:
    blocked = ban_exports(np.zeros((3, 3, 2), dtype=bool), [0, 1, 2], [1], np.array([False, True]))
    assert blocked.dtype == bool and blocked[:, 1, 1].tolist() == [True, False, True]
    assert not blocked[:, :, 0].any()


# ---- compiled scenarios equal direct solves -------------------------------------------------
def _toml(body: str) -> str:
    return 'name = "t"\nstart = "baseline"\n' + body


def test_trade_cost_action_compiles_to_iceberg_factors_and_solves_like_the_engine(small) -> None:
    sc = scenario_from_toml(_toml('''
[[trade_cost]]
importer = "USA"
exporter = "CHN"
sectors = ["C26", "C27"]
ave = 0.10
[[trade_cost]]
importer = "CHN"
exporter = "USA"
sectors = "all"
factor = 0.97
'''))
    compiled = compile_tariffs(sc, small)
    economy = compiled.start_economy
    us, cn = economy.index_of("USA"), economy.index_of("CHN")
    expected = np.ones(economy.tariffs.shape)
    for code in ("C26", "C27"):
        expected[us, cn, economy.sector_index(code)] = 1.10
    expected[cn, us, :] = 0.97
    kwargs = compiled.solve_kwargs()
    np.testing.assert_allclose(kwargs["trade_cost_hat"][0], expected, rtol=1e-15)
    np.testing.assert_array_equal(compiled.tariffs[0], economy.tariffs)
    result = run_scenario(small, sc)
    direct = solve(economy, economy.tariffs, trade_cost_hat=expected)
    np.testing.assert_allclose(result.final.welfare_pct, direct.welfare_pct, rtol=1e-10, atol=1e-12)
    assert result.final.welfare_pct[us] < 0 < 1 + result.final.welfare_pct[cn]


def test_export_tax_rents_and_bans(small) -> None:
    sc = scenario_from_toml(_toml('''
[[export_tax]]
exporter = "CHN"
destination = "USA"
sectors = ["C24B"]
rate = 0.25
[[export_tax]]
exporter = "CHN"
destination = ["JPN", "KOR"]
sectors = ["C24B"]
rate = 0.25
rents = "lost"
[[export_tax]]
exporter = "CHN"
destination = "EU27"
sectors = ["B07"]
prohibitive = true
'''))
    compiled = compile_tariffs(sc, small)
    e = compiled.start_economy
    cn, us, jp = e.index_of("CHN"), e.index_of("USA"), e.index_of("JPN")
    c24b, b07 = e.sector_index("C24B"), e.sector_index("B07")
    kw = compiled.solve_kwargs()
    tax, ice, ban = kw["export_tax"][0], kw["trade_cost_hat"][0], kw["blocked"][0]
    assert tax[us, cn, c24b] == 0.25 and np.count_nonzero(tax) == 1       # revenue to China
    assert ice[jp, cn, c24b] == 1.25 and np.count_nonzero(ice != 1.0) == 2  # rents lost
    eu = e.index_of("EU27")
    assert ban[eu, cn, b07] and np.count_nonzero(ban) == 1
    result = run_scenario(small, sc)
    eq = result.final
    assert eq.flows[eu, cn, b07] == 0.0
    assert eq.export_tax_revenue is not None and eq.export_tax_revenue[cn] > 0
    direct = solve(e, e.tariffs, trade_cost_hat=ice, export_tax=tax, blocked=ban)
    np.testing.assert_allclose(eq.welfare_pct, direct.welfare_pct, rtol=1e-10, atol=1e-12)


def test_a_ladder_bans_then_lifts(small) -> None:
    sc = scenario_from_toml(_toml('''
[[step]]
date = 2025-04-04
label = "licences"
[[step.export_tax]]
exporter = "CHN"
sectors = ["C24B"]
rate = 0.2
rents = "lost"
[[step]]
date = 2025-10-09
label = "ban"
[[step.export_tax]]
exporter = "CHN"
destination = "USA"
sectors = ["C24B"]
prohibitive = true
[[step]]
date = 2025-11-10
label = "lifted"
[[step.export_tax]]
exporter = "CHN"
destination = "USA"
sectors = ["C24B"]
lift = true
'''))
    result = run_scenario(small, sc)
    e = result.compiled.start_economy
    cn, us, c24b = e.index_of("CHN"), e.index_of("USA"), e.sector_index("C24B")
    flows = [eq.flows[us, cn, c24b] for _, _, eq in result.steps]
    assert flows[1] == 0.0 and flows[0] > 0 and flows[2] == pytest.approx(flows[0], rel=1e-9)


def test_deep_agreement_excludes_existing_pairs_by_data_year(small) -> None:
    body = '''
[[agreement]]
members = ["USA", "JPN", "KOR"]
depth = "deep"
existing = [{ pair = ["USA", "KOR"], since = 2012, source = "KORUS FTA, in force 15 March 2012" },
            { pair = ["JPN", "KOR"], since = 2030, source = "hypothetical: not yet in force" }]
'''
    compiled = compile_tariffs(scenario_from_toml(_toml(body)), small)
    e = compiled.start_economy
    us, jp, kr = e.index_of("USA"), e.index_of("JPN"), e.index_of("KOR")
    d = compiled.solve_kwargs()["trade_cost_hat"][0]
    factor = deep_agreement_factor(e.theta, DEEP_AGREEMENT_EFFECT)
    np.testing.assert_allclose(d[us, jp], factor)
    np.testing.assert_allclose(d[kr, jp], factor)                  # in force only from 2030
    assert (d[us, kr] == 1.0).all() and (d[kr, us] == 1.0).all()
    assert any("deep" in n and "0.4711" in n for n in compiled.notes)
    user = compile_tariffs(scenario_from_toml(_toml('''
[[agreement]]
members = ["USA", "JPN"]
depth = "deep"
effect = 0.28
effect_source = "Head & Mayer (2014), Handbook of International Economics vol. 4, Table 4"
''')), small)
    np.testing.assert_allclose(user.solve_kwargs()["trade_cost_hat"][0][us, jp],
                               deep_agreement_factor(e.theta, 0.28))


def test_tariff_only_scenarios_call_the_engine_as_before(small) -> None:
    compiled = compile_tariffs(scenario_from_toml(_toml('''
[[agreement]]
members = ["USA", "JPN"]
''')), small)
    assert compiled.solve_kwargs() == {}


# ---- errors: the same clear messages as tariffs ---------------------------------------------
@pytest.mark.parametrize(("body", "match"), [
    ('[[trade_cost]]\nimporter = "USA"\nexporter = "CHN"\nave = -1.2\n', r"trade_cost\[0\]\.ave.*> -1"),
    ('[[trade_cost]]\nimporter = "USA"\nexporter = "CHN"\nfactor = 0\n', r"trade_cost\[0\]\.factor.*> 0"),
    ('[[trade_cost]]\nimporter = "USA"\nexporter = "CHN"\nave = 0.1\nfactor = 1.1\n', r"both of `ave` and `factor`"),
    ('[[trade_cost]]\nimporter = "USA"\nexporter = "CHN"\n', r"neither of `ave` and `factor`"),
    ('[[trade_cost]]\nimporter = "USA"\nexportr = "CHN"\nave = 0.1\n', r"unknown key 'exportr'.*did you mean 'exporter'"),
    ('[[export_tax]]\nexporter = "CHN"\nrate = 0.1\nrents = "state"\n', r"export_tax\[0\]\.rents.*'exporter'"),
    ('[[export_tax]]\nexporter = "CHN"\nrate = 0.1\nprohibitive = true\n', r"exactly one of `rate`"),
    ('[[export_tax]]\nexporter = "CHN"\nprohibitive = "yes"\n', r"prohibitive.*true"),
    ('[[export_tax]]\nexporter = "CHN"\nrate = -1\n', r"export_tax\[0\]\.rate.*> -1"),
    ('[[agreement]]\nmembers = ["USA", "JPN"]\ndepth = "shallow"\n', r"agreement\[0\]\.depth.*'tariffs'"),
    ('[[agreement]]\nmembers = ["USA", "JPN"]\ndepth = "deep"\neffect = 0.3\n', r"effect_source"),
    ('[[agreement]]\nmembers = ["USA", "JPN"]\neffect = 0.3\neffect_source = "x"\n', r"depth = 'deep'"),
])
def test_bad_entries_name_the_key_and_the_allowed_values(body: str, match: str) -> None:
    with pytest.raises(ScenarioError, match=match):
        scenario_from_toml(_toml(body))


@pytest.mark.parametrize(("body", "match"), [
    ('[[trade_cost]]\nimporter = "USA"\nexporter = "XXX"\nave = 0.1\n', r"trade_cost\[0\]\.exporter: unknown country 'XXX'; allowed:"),
    ('[[export_tax]]\nexporter = "CHN"\nsectors = ["RARE"]\nrate = 0.1\n', r"export_tax\[0\]\.sectors\[0\]: unknown sector 'RARE'; allowed:"),
    ('[[export_tax]]\nexporter = "CHN"\ndestination = "CHN"\nrate = 0.1\n', r"export_tax\[0\]\.destination: no flow"),
    ('[[agreement]]\nmembers = ["USA", "JPN"]\ndepth = "deep"\nexisting = [{ pair = ["USA", "KOR"], since = 2012, source = "KORUS" }]\n',
     r"not a pair of members"),
])
def test_bad_entries_on_the_baseline_name_the_key(small, body: str, match: str) -> None:
    with pytest.raises(ScenarioError, match=match):
        compile_tariffs(scenario_from_toml(_toml(body)), small)


# ---- built-ins -----------------------------------------------------------------------------
NEW_BUILTINS = ("tpp-deep", "cptpp-deep", "ttip-deep", "usmca", "usmca-deep", "china-export-controls-2025")


def test_new_builtins_are_listed() -> None:
    assert set(NEW_BUILTINS) <= set(builtin_names())


def test_deep_agreements_add_to_tariff_only_ones(baseline) -> None:
    for shallow, deep, member in (("tpp", "tpp-deep", "USA"), ("ttip", "ttip-deep", "USA"),
                                  ("ttip", "ttip-deep", "DEU"), ("usmca", "usmca-deep", "MEX")):
        a, b = run_scenario(baseline, shallow), run_scenario(baseline, deep)
        k = a.final.reference.index_of(member)
        np.testing.assert_array_equal(a.final.tariffs, b.final.tariffs)   # same tariff part
        assert b.final.welfare_pct[k] > a.final.welfare_pct[k] + 0.05, (deep, member)


def test_china_export_controls_builtin(baseline) -> None:
    result = run_scenario(baseline, "china-export-controls-2025")
    assert [label[:10] for label, _, _ in result.steps] == ["2025-04-04", "2025-10-09", "2025-11-10"]
    e = result.compiled.start_economy
    cn, us = e.index_of("CHN"), e.index_of("USA")
    cols = [e.sector_index("B07"), e.sector_index("C24B")]
    flows = [eq.flows[us, cn, cols] for _, _, eq in result.steps]
    assert (flows[1] == 0.0).all() and (flows[0] > 0).all() and (flows[2] > 0).all()
    np.testing.assert_allclose(flows[2], flows[0], rtol=1e-9)              # ban lifted, licences stay
    china = [eq.welfare_pct[cn] for _, _, eq in result.steps]
    assert china[0] < 0                                                     # the rents are lost


def test_a_coalition_can_add_export_controls_on_its_target(small) -> None:
    sc = scenario_from_toml(_toml('''
[[coalition]]
members = ["USA", "JPN", "EU27"]
target = "CHN"
tariff = 0.0
ban_sectors = ["C26"]
'''))
    result = run_scenario(small, sc)
    e = result.compiled.start_economy
    cn, c26 = e.index_of("CHN"), e.sector_index("C26")
    members = [e.index_of(c) for c in ("USA", "JPN", "EU27")]
    assert (result.final.flows[cn, members, c26] == 0.0).all()
    assert (result.final.flows[cn, e.index_of("KOR"), c26] > e.flows[cn, e.index_of("KOR"), c26])
    assert result.final.welfare_pct[cn] < 0


def test_a_deep_agreement_repeated_in_a_later_step_cuts_once(small) -> None:
    sc = scenario_from_toml(_toml('''
[[agreement]]
members = ["USA", "JPN"]
depth = "deep"
[[step]]
date = 2025-01-01
label = "again"
[[step.agreement]]
members = ["USA", "JPN"]
depth = "deep"
[[step]]
date = 2025-06-01
label = "deeper"
[[step.agreement]]
members = ["USA", "JPN"]
depth = "deep"
effect = 0.8
effect_source = "a test value"
'''))
    compiled = compile_tariffs(sc, small)
    e = compiled.start_economy
    us, jp = e.index_of("USA"), e.index_of("JPN")
    d = compiled.solve_kwargs()["trade_cost_hat"]
    np.testing.assert_allclose(d[0][us, jp], deep_agreement_factor(e.theta, DEEP_AGREEMENT_EFFECT))
    np.testing.assert_allclose(d[1][us, jp], deep_agreement_factor(e.theta, 0.8))


# ---- the web API takes the same tables (one schema) -----------------------------------------
def test_web_runs_non_tariff_actions_and_names_bad_entries() -> None:
    from fastapi.testclient import TestClient

    from tradewar.data import default_data_dir
    from tradewar.web import create_app

    app = create_app(data_dir=str(default_data_dir()), allowed_hosts=("testserver",))
    inline = {"name": "web-ntb", "start": "baseline",
              "trade_cost": [{"importer": "USA", "exporter": "CHN", "sectors": ["C26"], "ave": 0.1}],
              "export_tax": [{"exporter": "CHN", "destination": "USA", "sectors": ["C24B"],
                              "prohibitive": True}]}
    with TestClient(app) as client:
        ok = client.post("/api/run", json={"scenario": inline, "regions": "g14"})
        assert ok.status_code == 200, ok.text
        direct = run_scenario(load_baseline(regions="g14"), scenario_from_toml(_toml('''
[[trade_cost]]
importer = "USA"
exporter = "CHN"
sectors = ["C26"]
ave = 0.1
[[export_tax]]
exporter = "CHN"
destination = "USA"
sectors = ["C24B"]
prohibitive = true
''')))
        k = direct.final.reference.index_of("USA")
        assert ok.json()["countries"]["USA"]["welfare_pct"] == pytest.approx(direct.final.welfare_pct[k], rel=1e-9)
        bad = dict(inline, export_tax=[{"exporter": "CHN", "rate": 0.1, "rents": "state"}])
        refused = client.post("/api/run", json={"scenario": bad, "regions": "g14"})
        assert refused.status_code == 422
        (error,) = refused.json()["detail"]
        assert error["loc"][-2:] == [0, "rents"] and "allowed: 'exporter'" in error["msg"]
