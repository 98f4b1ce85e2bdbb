"""The cases of the refactoring guard and how each is run and compared.

This is a refactoring guard: it GUARDS BEHAVIOUR, IT VALIDATES NOTHING. The golden files were
produced by the code as it was before issue 10's restructuring (see ``make_golden.py``); a
mismatch means behaviour changed, not that either version is right.

Every case runs the ``tradewar`` CLI in-process (``tradewar.cli.main``) exactly as a user
would, and keeps its JSON (or, for ``csv``, the CSV files of one run).

Comparison (:func:`compare`):

* every key of the golden is present (new keys are allowed);
* lists have the same length and are compared element by element;
* numbers are equal to 1e-12, relative OR absolute
  (``math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)``);
* booleans, None and identifier-like strings (no whitespace: codes, names, dates) are equal;
  prose strings (with whitespace: descriptions, notes, assumptions) need only be present, so
  rewording a message does not break the guard;
* keys in :data:`VOLATILE` (wall-clock timings, checkpoint paths and reuse) are only
  checked for presence.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import sys
import tempfile
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).resolve().parent / "golden"
REL = 1e-12
ABS = 1e-12
#: Keys whose values vary from run to run, not with behaviour: presence only. ``seconds``: wall
#: time; ``checkpoint``: where the run layer keeps finished chunks (a path hashing the job's
#: module); ``resumed_chunks``: how many chunks a previous run had left in the cache.
VOLATILE = frozenset({"seconds", "checkpoint", "resumed_chunks"})

#: The built-in scenarios at the time the goldens were recorded (``tradewar scenarios``).
SCENARIOS = (
    "allied-front", "america-first", "china-surrounded", "cptpp", "geneva-truce",
    "liberation-day", "rebalance-china", "tpp", "ttip", "us-china-april-11",
    "us-china-ladder-2025",
)

#: case name -> (CLI arguments, how the output is read: "stdout", "json-file" or "csv-dir").
CASES: dict[str, tuple[tuple[str, ...], str]] = {
    **{f"run-{name}": (("run", name, "--json", "{out}"), "json-file") for name in SCENARIOS},
    "csv-us-china-april-11": (("run", "us-china-april-11", "--csv", "{out}"), "csv-dir"),
    "exposure-CHN-USA": (("exposure", "CHN", "--partner", "USA", "--json"), "stdout"),
    "optimal-USA": (("optimal", "USA", "--json"), "stdout"),
    "nash-g14": (("nash", "--regions", "g14", "--json"), "stdout"),
    "talks-g14": (("talks", "--regions", "g14", "--json"), "stdout"),
    "coalitions-allied-front": (("coalitions", "--preset", "allied-front", "--workers", "1",
                                 "--json"), "stdout"),
    "coalitions-america-first": (("coalitions", "--preset", "america-first", "--workers", "1",
                                  "--json"), "stdout"),
    "escalation": (("escalation", "--json"), "stdout"),
    "sweep-seeded": (("sweep", "us-china-april-11", "--elasticities", "IS,CP", "--draws", "2",
                      "--seed", "7", "--workers", "1", "--json"), "stdout"),
}

#: Cases that take more than a few seconds (marked ``slow``; they still run in CI).
SLOW = frozenset({"optimal-USA", "nash-g14", "talks-g14", "coalitions-allied-front",
                  "coalitions-america-first", "escalation"})


def golden_path(case: str) -> Path:
    return GOLDEN / f"{case}.json.gz"


def run_case(case: str) -> Any:
    """Run one case on the ``tradewar`` package importable now; return its JSON payload
    (``csv-dir``: ``{file name: list of row dicts, as strings}``)."""
    from tradewar.cli import main

    argv, kind = CASES[case]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / ("out" if kind == "csv-dir" else "out.json")
        args = [a.replace("{out}", str(out)) for a in argv]
        buffer = io.StringIO()
        code: object = 0
        with contextlib.redirect_stdout(buffer):
            try:
                main(args)
            except SystemExit as exc:
                code = exc.code
        if code not in (0, None):
            raise AssertionError(f"tradewar {' '.join(args)} exited with {code}")
        if kind == "stdout":
            return json.loads(buffer.getvalue())
        if kind == "json-file":
            return json.loads(out.read_text(encoding="utf-8"))
        return {p.name: list(csv.DictReader(p.open(encoding="utf-8", newline="")))
                for p in sorted(out.glob("*.csv"))}


def _number(text: Any) -> float | None:
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, int | float):
        return float(text)
    try:
        return float(text)
    except ValueError:
        return None


def compare(golden: Any, current: Any, path: str = "$") -> list[str]:
    """Every difference between ``golden`` and ``current`` (rules in the module docstring)."""
    if isinstance(golden, dict):
        if not isinstance(current, dict):
            return [f"{path}: expected an object, got {type(current).__name__}"]
        out: list[str] = []
        for key, value in golden.items():
            if key not in current:
                out.append(f"{path}.{key}: missing")
            elif key not in VOLATILE:
                out.extend(compare(value, current[key], f"{path}.{key}"))
        return out
    if isinstance(golden, list):
        if not isinstance(current, list) or len(current) != len(golden):
            size = len(current) if isinstance(current, list) else type(current).__name__
            return [f"{path}: expected a list of {len(golden)}, got {size}"]
        return [d for k, (g, c) in enumerate(zip(golden, current, strict=True))
                for d in compare(g, c, f"{path}[{k}]")]
    if isinstance(golden, bool) or golden is None:
        return [] if current is golden else [f"{path}: {golden!r} != {current!r}"]
    if isinstance(golden, int | float):
        value = _number(current) if not isinstance(current, str) else None
        if value is None:
            return [f"{path}: expected a number, got {current!r}"]
        a, b = float(golden), value
        if math.isnan(a) and math.isnan(b):
            return []
        return [] if math.isclose(a, b, rel_tol=REL, abs_tol=ABS) else [
            f"{path}: {a!r} != {b!r} (rel {abs(a - b) / max(abs(a), abs(b)):.2e})"]
    if isinstance(golden, str):
        if not isinstance(current, str):
            return [f"{path}: expected a string, got {current!r}"]
        g, c = _number(golden), _number(current)
        if g is not None and c is not None:  # a CSV cell
            return compare(g, c, path)
        if any(ch.isspace() for ch in golden):
            return []  # prose: presence only
        return [] if golden == current else [f"{path}: {golden!r} != {current!r}"]
    return [] if golden == current else [f"{path}: {golden!r} != {current!r}"]


def python_version() -> str:
    return sys.version.split()[0]
