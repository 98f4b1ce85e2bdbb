"""Non-tariff scenarios in the analyses built on repeated solves (issue 12): a sweep over
elasticity sets re-compiles a deep agreement per theta (its iceberg cut exp(-beta/theta_j)
depends on theta) and so equals a run on a baseline with those elasticities; a demand or a
leader's tariff list that holds non-tariff actions is refused rather than silently dropped."""

from __future__ import annotations

import pytest

from tradewar.analysis import coalition_game, escalation_game, sweep
from tradewar.data import load_baseline
from tradewar.errors import UnknownSectorError, UserInputError
from tradewar.scenario import run_scenario, scenario_from_toml


@pytest.fixture(scope="module")
def g14():
    return load_baseline(regions="g14")


def test_sweep_of_a_deep_agreement_equals_runs_at_each_elasticity_set(g14) -> None:
    result = sweep(g14, "ttip-deep", elasticities=["IS", "CP"], draws=0)
    rows = result.tables()["draws"]
    for name in ("IS", "CP"):
        row = rows[rows["elasticity_set"] == name].iloc[0]
        direct = run_scenario(load_baseline(regions="g14", elasticity=name), "ttip-deep").final
        k = direct.reference.index_of("USA")
        assert row["welfare_pct.USA"] == pytest.approx(direct.welfare_pct[k], rel=1e-8, abs=1e-10), name


DEEP = scenario_from_toml('''
name = "deep-demand"
start = "baseline"
[[agreement]]
members = ["USA", "CHN"]
depth = "deep"
''')


def test_a_demand_with_non_tariff_actions_is_refused(g14) -> None:
    with pytest.raises(UserInputError, match="demand 'deep-demand': holds non-tariff actions"):
        escalation_game(g14, demand=DEEP, threats=(1.45,))


def test_leader_tariffs_on_allies_with_non_tariff_actions_are_refused(g14) -> None:
    with pytest.raises(UserInputError, match="us_tariffs_on_allies.*non-tariff"):
        coalition_game(g14, allies=["JPN", "KOR"], us_tariffs_on_allies=DEEP)


def test_coalition_export_controls_are_solved_with_the_ban(g14) -> None:
    """Allies ban their exports of electronics (C26) to the target besides the tariff: each
    world is the engine's equilibrium with those flows blocked, and the ban raises the target's
    loss (leverage) over the tariff-only game."""
    import numpy as np

    from tradewar.analysis import coalition_analysis
    from tradewar.analysis.coalitions.model import world_blocked, world_tariffs
    from tradewar.model import solve

    options = {"allies": ["JPN", "EU27"], "tariff": 0.5, "retaliation": "none", "start": "baseline"}
    plain = coalition_analysis(g14, **options)
    banned = coalition_analysis(g14, ban_sectors=["C26"], **options)
    game = banned.game
    full = 2 ** game.n - 1
    blocked = world_blocked(game, full)
    assert blocked is not None
    direct = solve(game.economy, world_tariffs(game, full, False), blocked=blocked)
    np.testing.assert_allclose(banned.real_income_hat[full, 0], direct.real_income_hat, rtol=1e-10)
    c26 = game.economy.sector_index("C26")
    assert (direct.flows[game.target, game.member_economies(full), c26] == 0.0).all()
    assert banned.target_loss_musd()[full] > plain.target_loss_musd()[full]
    assert any("export controls" in n for n in game.notes)
    with pytest.raises(UnknownSectorError, match="RARE"):
        coalition_analysis(g14, ban_sectors=["RARE"], **options)
