"""The escalation game's export-control option (issue 12): the target may resist a carried-out
threat with export controls instead of, or besides, tariffs. Each war must be exactly the
engine's equilibrium with the target's exports to the threateners banned in the control sectors
(checked by direct solves), and the default leaves the game unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from tradewar.analysis import escalation_game
from tradewar.analysis.escalation import (
    DEFAULT_CONTROL_SECTORS,
    default_demand,
    war_export_controls,
    war_tariffs,
)
from tradewar.data import goods_mask, load_baseline
from tradewar.errors import UnknownSectorError, UserInputError
from tradewar.model import solve


@pytest.fixture(scope="module")
def baseline():
    return load_baseline(regions="g14")


@pytest.fixture(scope="module")
def games(baseline):
    return {rw: escalation_game(baseline, resist_with=rw, threats=(1.45,))
            for rw in ("tariffs", "export_controls", "both")}


def _direct(baseline, retaliation: str, ban: bool) -> np.ndarray:
    compiled = default_demand(baseline, "USA", "CHN")
    economy = compiled.start_economy
    us, cn = economy.index_of("USA"), economy.index_of("CHN")
    tau = war_tariffs(economy, 1.45, (us,), cn, goods_mask(economy.sectors), retaliation)
    mask = np.isin(np.asarray(economy.sectors), DEFAULT_CONTROL_SECTORS)
    blocked = war_export_controls(economy, (us,), cn, mask) if ban else None
    eq = solve(economy, tau, blocked=blocked)
    if ban:
        assert (eq.flows[us, cn, mask] == 0.0).all() and (eq.flows[us, cn, ~mask] > 0).all()
    return eq.welfare_pct


@pytest.mark.parametrize(("resist", "retaliation", "ban"), [
    ("tariffs", "mirror", False), ("export_controls", "none", True), ("both", "mirror", True)])
def test_each_war_is_the_engine_equilibrium_with_the_ban(baseline, games, resist, retaliation, ban) -> None:
    game = games[resist]
    war = game.war_at(None)
    direct = _direct(baseline, retaliation, ban)
    countries = baseline.economy.countries
    np.testing.assert_allclose([war.welfare_pct[c] for c in countries], direct, rtol=1e-9, atol=1e-10)


def test_controls_change_the_payoffs_and_are_reported(games) -> None:
    tariffs, controls, both = games["tariffs"], games["export_controls"], games["both"]
    # the ban costs the leader something on top of the tariff war, and the target too
    assert both.war_at(None).leader_pct < tariffs.war_at(None).leader_pct
    assert controls.war_at(None).target_pct != pytest.approx(tariffs.war_at(None).target_pct, abs=1e-6)
    settings = controls.to_json()["settings"]
    assert settings["resist_with"] == "export_controls" and settings["control_sectors"] == ["B07", "C24B"]
    assert "resist_with" not in tariffs.to_json()["settings"]
    assert any("export controls" in n for n in controls.notes)


def test_bad_options_are_named(baseline) -> None:
    with pytest.raises(UserInputError, match="resist_with.*export_controls"):
        escalation_game(baseline, resist_with="embargo", threats=(1.45,))
    with pytest.raises(UnknownSectorError):
        escalation_game(baseline, resist_with="both", control_sectors=["RARE"], threats=(1.45,))


def test_cli_resist_with(monkeypatch, baseline) -> None:
    import json

    import typer
    from typer.testing import CliRunner

    from tradewar.cli import _escalation as module

    monkeypatch.setattr(module, "baseline_from_options", lambda *args, **kwargs: baseline)
    app = typer.Typer(pretty_exceptions_enable=False)
    app.command("escalation")(module.escalation)
    app.callback()(lambda: None)
    runner = CliRunner()
    out = runner.invoke(app, ["escalation", "--resist-with", "export_controls", "--json"])
    assert out.exit_code == 0, out.output
    payload = json.loads(out.stdout[:out.stdout.rindex("}") + 1])
    assert payload["settings"]["resist_with"] == "export_controls"
    assert payload["settings"]["control_sectors"] == list(DEFAULT_CONTROL_SECTORS)
    out = runner.invoke(app, ["escalation", "--resist-with", "both", "--control-sectors", "C26"])
    assert out.exit_code == 0 and "resists with both: a ban of CHN's exports of C26" in out.stdout
    for bad, message in ((["--resist-with", "embargo"], "allowed: both, export_controls, tariffs"),
                         (["--control-sectors", "RARE", "--resist-with", "both"], "unknown sector 'RARE'"),
                         (["--control-sectors", "B07,,C24B"], "--control-sectors")):
        out = runner.invoke(app, ["escalation", *bad])
        assert out.exit_code != 0 and message in (out.output + str(out.exception)), out.output
