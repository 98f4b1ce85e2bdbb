"""`tradewar run/compare --labour-supply K`: elastic employment from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tradewar.cli import main


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out = capsys.readouterr()
    return int(info.value.code or 0), out.out, out.err


def test_run_with_labour_supply_reports_employment(tmp_path: Path, capsys) -> None:
    """The JSON carries kappa and each country's employment change, which moves with the real
    wage by the elasticity: log(1 + employment) = kappa log(1 + real wage)."""
    path = tmp_path / "r.json"
    code, out, _ = run_cli(["run", "us-china-april-11", "--regions", "g14", "--labour-supply", "0.8",
                            "--json", str(path)], capsys)
    assert code == 0 and "employment" in out
    payload = json.loads(path.read_text())
    assert payload["baseline"]["labour_supply"] == 0.8
    for row in payload["countries"].values():
        assert np.log1p(row["employment_pct"] / 100) == pytest.approx(0.8 * np.log1p(row["real_wage_pct"] / 100),
                                                                      rel=1e-10)
    assert payload["countries"]["USA"]["employment_pct"] < 0


def test_compare_with_labour_supply_shows_employment(capsys) -> None:
    code, out, _ = run_cli(["compare", "us-china-april-11", "geneva-truce", "--regions", "g14",
                            "--labour-supply", "0.5"], capsys)
    assert code == 0 and "employment (%" in out


@pytest.mark.parametrize("command", ["run", "compare"])
@pytest.mark.parametrize("value", ["-0.5", "11", "nan", "inf"])
def test_labour_supply_out_of_range_exits_2_and_writes_nothing(tmp_path: Path, capsys, command: str,
                                                               value: str) -> None:
    path = tmp_path / "out.json"
    names = ["us-china-april-11"] if command == "run" else ["us-china-april-11", "geneva-truce"]
    code, _, err = run_cli([command, *names, "--regions", "g14", "--labour-supply", value, "--json", str(path)],
                           capsys)
    assert code == 2
    assert "--labour-supply" in err and "[0, 10]" in err and "Traceback" not in err
    assert not path.exists()
