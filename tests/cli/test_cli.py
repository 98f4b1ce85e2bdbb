"""The command line end to end: stable JSON keys, exit codes, nothing written on error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tradewar.cli import main


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out = capsys.readouterr()
    return int(info.value.code or 0), out.out, out.err


def test_run_writes_json_csv_and_report(tmp_path: Path, capsys) -> None:
    code, _, _ = run_cli(["run", "us-china-april-11", "--regions", "g14", "--json", str(tmp_path / "r.json"),
                          "--csv", str(tmp_path / "csv"), "--report", str(tmp_path / "r.html")], capsys)
    assert code == 0
    payload = json.loads((tmp_path / "r.json").read_text())
    for key in ("scenario", "baseline", "countries", "solver", "bilateral"):
        assert key in payload
    assert set(payload["countries"]["USA"]) >= {"welfare_pct", "real_wage_pct", "exports_pct", "imports_pct",
                                                "tariff_revenue_musd"}
    assert set(payload["bilateral"][0]) == {"exporter", "importer", "before_musd", "after_musd", "change_pct",
                                            "goods_before_musd", "goods_after_musd", "goods_change_pct"}
    assert payload["solver"]["converged"] is True
    assert payload["countries"]["USA"]["welfare_pct"] < 0 and payload["countries"]["CHN"]["welfare_pct"] < 0
    assert {p.name for p in (tmp_path / "csv").iterdir()} == {"countries.csv", "bilateral.csv", "sectors.csv", "steps.csv"}
    assert (tmp_path / "r.html").stat().st_size > 1_000_000


@pytest.mark.parametrize(("toml", "fragment"), [
    ('name = "x"\n[[tariff]]\nimporter = "USA"\nexporter = "XXX"\nadd = 0.1\n', "XXX"),
    ('name = "x"\n[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = 0.1\nset = 0.2\n', "set"),
    ('name = "x"\n[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = -1.5\n', "-100"),
    ('name = "x"\n[[tarif]]\nimporter = "USA"\n', "tarif"),
])
def test_bad_scenario_file_exits_2_and_writes_nothing(tmp_path: Path, capsys, toml: str, fragment: str) -> None:
    scenario = tmp_path / "bad.toml"
    scenario.write_text(toml)
    code, _, err = run_cli(["run", str(scenario), "--regions", "g14", "--json", str(tmp_path / "out.json")], capsys)
    assert code == 2
    assert fragment in err and "Traceback" not in err
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("args", [
    ["run", "no-such-scenario"],
    ["run", "us-china-april-11", "--dataset", "nope"],
    ["run", "us-china-april-11", "--elasticity", "XX"],
    ["run", "us-china-april-11", "--deficits", "balanced"],
    ["optimal", "XXX"],
    ["nash", "--players", "USA,ZZZ"],
    ["exposure", "CHN", "--partner", "QQQ"],
    ["data", "info", "--year", "1990"],
])
def test_user_errors_exit_2_with_one_clear_line(capsys, args: list[str]) -> None:
    code, _, err = run_cli(args, capsys)
    assert code == 2
    assert "allowed" in err and "Traceback" not in err


def test_nash_json_keys_are_stable(capsys) -> None:
    code, out, _ = run_cli(["nash", "--regions", "g14", "--json"], capsys)
    assert code == 0
    payload = json.loads(out)
    assert {"converged", "tariffs", "welfare_pct", "check", "iterations"} <= set(payload)
    assert set(payload["check"]) >= {"max_gain_from_deviation_pct", "max_tariff_change"}
    assert payload["converged"] is True
    assert all(0.0 <= t <= 5.0 for t in payload["tariffs"].values())


def test_nash_tariffwar_configuration_from_the_cli(capsys) -> None:
    code, out, _ = run_cli(["nash", "--config", "tariffwar", "--dataset", "wiod", "--year", "2014", "--json"], capsys)
    assert code == 0
    payload = json.loads(out)
    assert payload["tariffs"]["BRA"] == pytest.approx(0.8135, abs=5e-5)


def test_optimal_and_talks_json(capsys) -> None:
    code, out, _ = run_cli(["optimal", "USA", "--regions", "g14", "--json"], capsys)
    assert code == 0
    payload = json.loads(out)
    assert payload["converged"] is True
    # an interior optimum: the first-order condition holds, inside the bounds, and the US gains
    # from its optimal tariff when nobody retaliates (a terms-of-trade gain, Johnson 1953)
    low, high = payload["bounds"]
    assert low < payload["tariffs"]["all"] < high
    assert abs(payload["max_foc"]) < 1e-6
    assert payload["welfare_pct"]["USA"] > 0
    assert sum(w < 0 for c, w in payload["welfare_pct"].items() if c != "USA") >= 10
    code, out, _ = run_cli(["talks", "--players", "USA,CHN,EU27", "--regions", "g14", "--json"], capsys)
    assert code == 0
    talks = json.loads(out)
    assert talks["converged"] is True
    # equal gains over Nash for every player, and the three reported welfare figures agree:
    # (1 + talks) = (1 + nash) (1 + talks vs nash), all in percent
    gains = [talks["welfare_vs_nash_pct"][p] for p in talks["players"]]
    assert min(gains) > 0 and max(gains) - min(gains) < 1e-8
    assert talks["common_gain_pct"] == pytest.approx(gains[0], abs=1e-8)
    for p in talks["players"]:
        combined = (1 + talks["nash_welfare_pct"][p] / 100) * (1 + talks["welfare_vs_nash_pct"][p] / 100)
        assert 1 + talks["welfare_pct"][p] / 100 == pytest.approx(combined, rel=1e-12)


def test_exposure_json_rows(capsys) -> None:
    code, out, _ = run_cli(["exposure", "CHN", "--partner", "USA", "--json"], capsys)
    assert code == 0
    rows = json.loads(out)
    assert {tuple(sorted(r)) for r in rows} == {tuple(sorted(
        ["exporter", "partner", "year", "dataset", "gross_exports_pct_gdp", "value_added_absorbed_pct_gdp",
         "partner_share_of_exports_pct"]))}
    china = next(r for r in rows if r["exporter"] == "CHN")
    usa = next(r for r in rows if r["exporter"] == "USA")
    assert china["value_added_absorbed_pct_gdp"] > 2 * usa["value_added_absorbed_pct_gdp"]
