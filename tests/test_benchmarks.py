"""Behaviour of the benchmark scripts that the README's figures depend on (not their speed).

A peer that cannot run must make its row say FAIL -- never a stored time -- and the generators
must not overwrite reference files unless asked.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"


def _load(name: str) -> ModuleType:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))   # the scripts import their helper `_timing`
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_missing_tariffwar_checkout_makes_the_row_fail(monkeypatch, tmp_path) -> None:
    strategy = _load("bench_strategy")
    monkeypatch.setenv("TARIFFWAR_DIR", str(tmp_path / "no-checkout"))
    row = strategy.bench_tariffwar("wiod", 2014, repeat=1)
    assert row["status"] == "FAIL" and row["peer_seconds"] is None and row["ratio"] is None
    assert "no tariffwar checkout" in row["reason"] or "Octave" in row["reason"]
    assert row["tradewar_seconds"] > 0
    assert not (BENCHMARKS / "peers" / "tariffwar_timing.json").exists()   # nothing stored to fall back on


def test_run_tariffwar_refuses_unknown_flags_and_never_writes_references_by_default() -> None:
    script = BENCHMARKS / "peers" / "run_tariffwar.sh"
    done = subprocess.run(["bash", str(script), "/nonexistent", "wiod", "2014", "--overwrite"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "--write-reference" in done.stderr
    text = script.read_text()
    copy = text.index('cp "$RAW_CSV" "$OUT_CSV"')
    guard = text.rindex("if [[ $WRITE_REFERENCE == 1 ]]", 0, copy)
    assert text.count('"$OUT_CSV"') == 2 and copy - guard < 120   # the only copy sits inside the guard


@pytest.mark.parametrize("name", ["engine", "strategy", "coalitions", "cluster", "baseline", "solver_floor",
                                  "web_load"])
def test_every_result_file_behind_the_readme_exists(name: str) -> None:
    assert (BENCHMARKS / "results" / f"{name}.json").is_file()
