"""The README's promise about exit codes, through the real installed entry point.

README (Commands): "User errors print one clear line and exit with code 2; a solver that does
not converge says so and exits with 1." Each case runs ``tradewar`` as a separate process (the
console script installed beside this interpreter), so argument parsing, the error mapping of
``main()`` and the process exit status are all exercised -- no stand-in app, no patched loader.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

TRADEWAR = Path(sys.executable).with_name("tradewar")


def _tradewar(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert TRADEWAR.is_file(), f"{TRADEWAR} missing: install with scripts/setup.sh --test"
    return subprocess.run([str(TRADEWAR), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, check=False)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def test_a_run_exits_0_and_writes_its_json(tmp_path: Path) -> None:
    done = _tradewar("run", "us-china-april-11", "--regions", "g14", "--json", "r.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    payload = json.loads((tmp_path / "r.json").read_text())
    assert payload["solver"]["converged"] is True
    assert payload["countries"]["USA"]["welfare_pct"] < 0


def test_escalation_exits_0_on_real_data(tmp_path: Path) -> None:
    done = _tradewar("escalation", "--regions", "g14", "--allies", "JPN,EU27", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["solver"]["converged"] is True and payload["allies"] == ["JPN", "EU27"]
    assert payload["outcome"] in {"concede", "resist_war", "resist_back_down"}


@pytest.mark.parametrize(("args", "message"), [
    (["run", "no-such-scenario"], "no-such-scenario"),
    (["run", "us-china-april-11", "--elasticity", "XX"], "XX"),
    (["run", "us-china-april-11", "--dataset", "nope"], "nope"),
    (["escalation", "--allies", "JPN,,KOR", "--regions", "g14"], "empty code"),
    (["escalation", "--retaliation", "maybe", "--regions", "g14"], "maybe"),
    (["optimal", "XXX", "--regions", "g14"], "XXX"),
])
def test_user_errors_exit_2_with_one_clear_message(tmp_path: Path, args: list[str], message: str) -> None:
    done = _tradewar(*args, cwd=tmp_path)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    err = _one_line(done.stderr)
    assert message in err
    assert "Traceback" not in done.stderr + done.stdout


def test_a_solver_that_does_not_converge_says_so_and_exits_1(tmp_path: Path) -> None:
    # the US asked to run a surplus 40 times its deficit: more than its income, no equilibrium
    (tmp_path / "impossible.toml").write_text(
        'name = "impossible"\nstart = "baseline"\nclosure = "given"\n'
        '[[deficit]]\ncountry = "USA"\nscale = -40.0\nnote = "a surplus beyond US income"\n')
    done = _tradewar("run", "impossible.toml", "--regions", "g14", "--json", "out.json", cwd=tmp_path)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "not converge" in _one_line(done.stderr)
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out.json").exists()
