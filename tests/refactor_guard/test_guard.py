"""REFACTORING GUARD: it guards behaviour, it validates nothing.

Each case re-runs one ``tradewar`` command on the current code and compares its JSON (or CSV)
with the golden recorded from the code before issue 10's restructuring: every golden key must be
present and every number equal to 1e-12, relative or absolute (rules: ``_cases.py``). A
failure means behaviour changed. If the change is intended, re-record that case only and say
why in the commit (``make_golden.py --only CASE --why "..."``; see that script).
"""

from __future__ import annotations

import gzip
import json

import pytest

from ._cases import CASES, SLOW, compare, golden_path


def _param(case: str) -> object:
    return pytest.param(case, id=case, marks=[pytest.mark.slow] if case in SLOW else [])


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_behaviour_unchanged(case: str) -> None:
    from ._cases import run_case

    golden = json.loads(gzip.decompress(golden_path(case).read_bytes()))
    differences = compare(golden, run_case(case))
    shown = "\n".join(differences[:20])
    more = f"\n… and {len(differences) - 20} more" if len(differences) > 20 else ""
    assert not differences, (f"refactoring guard: {case} changed in {len(differences)} place(s) "
                             f"(tolerance 1e-12 rel/abs):\n{shown}{more}")


def test_compare_catches_differences() -> None:
    """The comparison itself can fail: a missing key, a changed number, a changed code."""
    golden = {"a": 1.0, "b": ["USA", 2], "c": "some prose", "seconds": 1.0}
    assert compare(golden, {"a": 1.0, "b": ["USA", 2], "c": "other words", "seconds": 9.0,
                            "new": 0}) == []
    assert compare(golden, {"a": 1.0 + 1e-9, "b": ["USA", 2], "c": "x y", "seconds": 1}) != []
    assert compare(golden, {"b": ["USA", 2], "c": "x y", "seconds": 1}) == ["$.a: missing"]
    assert compare(golden, {"a": 1.0, "b": ["CHN", 2], "c": "x y", "seconds": 1}) != []
    assert compare(golden, {"a": 1.0, "b": ["USA"], "c": "x y", "seconds": 1}) != []
    assert compare({"x": "0.5"}, {"x": "0.5000000000000001"}) == []
