"""Asking for something that has no effect is said, not silently run (issue 14 item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_cli


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_exposure_of_an_economy_to_itself_is_refused(capsys) -> None:
    code, _, err = run_cli(["exposure", "CHN", "--partner", "CHN"], capsys)
    assert code == 2 and "--partner CHN" in err and "itself" in err


def test_exposure_years_clipped_to_the_data_are_noted(capsys) -> None:
    code, out, err = run_cli(["exposure", "CHN", "--partner", "USA", "--years", "1998-2001", "--json"], capsys)
    assert code == 0
    err = _flat(err)
    assert "note: --years 1998-2001: no data for 1998-1999; showing 2000-2001" in err
    import json

    assert {row["year"] for row in json.loads(out)} == {2000, 2001}


@pytest.mark.parametrize(("years", "fragment"), [("2030-1990", "empty range"), ("1990-1995", "no data"),
                                                 ("twenty", "not a year range")])
def test_exposure_years_without_data_are_refused(capsys, years: str, fragment: str) -> None:
    code, _, err = run_cli(["exposure", "CHN", "--partner", "USA", "--years", years], capsys)
    assert code == 2 and fragment in _flat(err) and "allowed" in err


def test_escalation_target_equal_to_leader_is_refused(capsys) -> None:
    code, _, err = run_cli(["escalation", "--leader", "USA", "--target", "USA"], capsys)
    assert code == 2 and "--target USA" in err


def test_escalation_leader_among_its_allies_is_refused(capsys) -> None:
    code, _, err = run_cli(["escalation", "--allies", "JPN,USA"], capsys)
    assert code == 2 and "--allies" in err and "leader" in err


def test_layer_date_before_the_first_action_is_refused(tmp_path: Path, capsys) -> None:
    path = tmp_path / "old.toml"
    path.write_text('name = "x"\n[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = "us-2025:1990-01-01"\n')
    code, _, err = run_cli(["run", str(path), "--regions", "g14", "--json", str(tmp_path / "o.json")], capsys)
    assert code == 2 and "1990-01-01" in err and "2025-01-01" in err
    assert not (tmp_path / "o.json").exists()


@pytest.mark.parametrize(("body", "field", "fragment"), [
    ('[[tariff]]\nimporter = "USA"\nexporter = "USA"\nadd = 0.1\n', "tariff[0].exporter", "same economy"),
    ('[[tariff]]\nimporter = ["USA"]\nexporter = ["USA"]\nset = 0.3\n', "tariff[0].exporter", "same economy"),
    ('[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nsectors = []\nadd = 0.1\n', "tariff[0].sectors", "empty list"),
    ('[[coalition]]\nmembers = ["USA"]\ntarget = "USA"\ntariff = 0.5\n', "coalition[0].target", "same economy"),
    ('[[coalition]]\nmembers = ["USA", "JPN"]\ntarget = "CHN"\nsectors = []\ntariff = 0.5\n',
     "coalition[0].sectors", "empty list"),
])
def test_actions_without_effect_are_refused(tmp_path: Path, capsys, body: str, field: str, fragment: str) -> None:
    path = tmp_path / "noop.toml"
    path.write_text('name = "noop"\n' + body)
    out = tmp_path / "o.json"
    code, _, err = run_cli(["run", str(path), "--regions", "g14", "--json", str(out)], capsys)
    assert code == 2 and "Traceback" not in err
    assert field in err and fragment in err and "allowed" in err
    assert not out.exists()


def test_an_own_tariff_inside_a_wider_action_is_fine(tmp_path: Path, capsys) -> None:
    # USA and CHN on USA and CHN: the own cells are skipped, the cross tariffs are real
    path = tmp_path / "pair.toml"
    path.write_text('name = "pair"\n[[tariff]]\nimporter = ["USA", "CHN"]\nexporter = ["USA", "CHN"]\nadd = 0.1\n')
    code, _, err = run_cli(["run", str(path), "--regions", "g14"], capsys)
    assert code == 0, err
