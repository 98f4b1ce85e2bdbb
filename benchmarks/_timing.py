"""The one timing helper of the benchmarks, and the metadata every result file carries.

Timings are wall-clock seconds, the best of ``repeat`` calls: the machine has 2 cores and is
often shared, so the minimum is the least disturbed measurement. Each result file records the
load average before and after the run (``os.getloadavg``) so a reader can tell a quiet run from
a busy one; ratios whose two sides are measured in the same run, interleaved, are the figures
to trust on a busy machine.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    """Fastest wall-clock seconds of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def interleaved(ours: Callable[[], object], peer: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    """Best-of-``repeat`` seconds of ``ours`` and ``peer``, timed alternately (ours, peer, ours, …)
    so that a change in the machine's load falls on both sides alike."""
    t_ours, t_peer = [], []
    for _ in range(repeat):
        for fn, sink in ((ours, t_ours), (peer, t_peer)):
            start = time.perf_counter()
            fn()
            sink.append(time.perf_counter() - start)
    return min(t_ours), min(t_peer)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def metadata(script: str) -> dict[str, Any]:
    """Date (UTC), machine, commit and load average at the start of a benchmark run."""
    import numpy as np

    dirty = _git("status", "--porcelain", "--", "src", "benchmarks")
    return {
        "script": script,
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {"cpu": _cpu_model(), "cpus": os.cpu_count(), "system": platform.platform(),
                    "python": platform.python_version(), "numpy": np.__version__},
        "commit": _git("rev-parse", "HEAD") or "unknown",
        "uncommitted_changes_in_src_or_benchmarks": bool(dirty),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }


def write_result(path: Path | None, results: dict[str, Any]) -> None:
    """Print ``results`` (with the closing load average added) and write it to ``path``."""
    results["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(results, indent=2) + "\n"
    print(text)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
