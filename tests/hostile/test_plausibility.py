"""Absurd equilibria are flagged, never reported as plain results (issue 14 item 4)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tradewar.data import load_baseline
from tradewar.model import (
    MAX_TRADE_FACTOR,
    MAX_WELFARE_CHANGE_PCT,
    check_plausibility,
    plausibility_issues,
    solve,
)
from tradewar.scenario import run_scenario, scenario_from_toml

from .conftest import run_cli

COUNTRIES = ("AAA", "BBB", "CCC")
WORLD_1000 = 'name = "world-1000"\n[[tariff]]\nimporter = "ALL"\nexporter = "ALL"\nadd = 10.0\n'


def _issues(welfare=(1.0, -2.0, 0.5), imports=(1.0, 1.2, 0.3), exports=(1.0, 0.9, 1.1),
            income=(10.0, 20.0, 30.0), spend=((5.0, 5.0), (10.0, 10.0), (15.0, 15.0))) -> list[str]:
    return plausibility_issues(COUNTRIES, np.array(welfare), np.array(imports), np.array(exports),
                               np.array(income), np.array(spend))


def test_an_ordinary_equilibrium_has_no_issue() -> None:
    assert _issues() == []


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"welfare": (1.0, MAX_WELFARE_CHANGE_PCT + 10, 0.5)}, "BBB +60 %"),
    ({"welfare": (-(MAX_WELFARE_CHANGE_PCT + 1), 0.0, 0.0)}, "AAA -51 %"),
    ({"imports": (1.0, MAX_TRADE_FACTOR + 1, 1.0)}, "imports multiplied"),
    ({"exports": (7.0, 1.0, 1.0)}, "AAA ×7.0"),
    ({"income": (10.0, -1.0, 30.0)}, "negative income or spending: BBB"),
    ({"spend": ((5.0, 5.0), (10.0, 10.0), (-15.0, 1.0))}, "CCC"),
    ({"welfare": (np.nan, 0.0, 0.0)}, "not finite for AAA"),
])
def test_each_absurdity_is_named(kwargs, fragment: str) -> None:
    issues = _issues(**kwargs)
    assert len(issues) == 1 and fragment in issues[0]


def test_the_bounds_themselves_are_plausible() -> None:
    # just inside the bounds: no issue (the bounds are strict)
    assert _issues(welfare=(MAX_WELFARE_CHANGE_PCT, -MAX_WELFARE_CHANGE_PCT, 0.0),
                   imports=(MAX_TRADE_FACTOR, 1.0, 1.0)) == []


def test_zero_shock_is_plausible_on_real_data() -> None:
    economy = load_baseline("icio", 2022, regions="g14").economy
    eq = solve(economy)
    assert eq.diagnostics.plausible and eq.diagnostics.plausibility_issues == ()
    assert check_plausibility(eq) == []
    assert eq.diagnostics.as_dict()["plausible"] is True


def test_tariffs_of_1000_percent_everywhere_are_flagged() -> None:
    # the issue's example: ICIO, proportional closure; small open economies gain hundreds of %
    baseline = load_baseline("icio", 2022)
    result = run_scenario(baseline, scenario_from_toml(WORLD_1000, source="test"), deficits="proportional")
    eq = result.final
    diag = eq.diagnostics
    assert diag.converged and not diag.plausible
    assert any("welfare changes beyond" in issue for issue in diag.plausibility_issues)
    # every country named in the welfare issue is in fact beyond the bound
    welfare_issue = next(i for i in diag.plausibility_issues if "welfare" in i)
    worst = np.abs(eq.welfare_pct)
    named = [c for c in eq.reference.countries if f"{c} " in welfare_issue.split(":", 1)[1]]
    assert named and all(worst[eq.reference.index_of(c)] > MAX_WELFARE_CHANGE_PCT for c in named)
    assert diag.as_dict()["plausibility_issues"] == list(diag.plausibility_issues)


def test_cli_warns_about_an_implausible_equilibrium(tmp_path: Path, capsys) -> None:
    path = tmp_path / "w.toml"
    path.write_text(WORLD_1000)
    code, _, err = run_cli(["run", str(path), "--deficits", "proportional"], capsys)
    assert code == 0
    assert "warning: implausible equilibrium in 'world-1000'" in err and "welfare changes beyond" in err


def test_cli_ordinary_run_has_no_plausibility_warning(capsys) -> None:
    code, _, err = run_cli(["run", "us-china-april-11", "--regions", "g14"], capsys)
    assert code == 0 and "implausible" not in err
