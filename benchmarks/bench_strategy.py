"""Strategy benchmarks.

1. The tariffwar configuration (81 x 28 ICIO 2022 and 44 x 16 WIOD 2014, every country playing):
   tradewar's joint closed-form fixed point vs tariffwar under GNU Octave, both measured in
   this run, interleaved (ours, peer, ours, peer, ...), equal repeats.       target >= 10x (ICIO)
   Same work on both sides: data loaded before the timer; timed = deficit purge + Nash solve +
   welfare (tariffwar's stages as timed by benchmarks/peers/tariffwar_shims/tw_reference_run.m).
   The peer needs GNU Octave and a tariffwar checkout (TARIFFWAR_DIR, default
   /work/peers/tariffwar; see benchmarks/peers/run_tariffwar.sh). If either is missing or the
   run fails, the row says FAIL with the reason -- no stored time is ever substituted.
2. tradewar's full model (input-output linkages), 14 regions x 28 sectors, uniform tariffs,
   exact best responses with the deviation check: our time only (no peer solves this model).
                                                                                  target <= 60 s
3. By-sector Nash tariffs for Ossa's 7 regions x 28 sectors: our time only. Ossa (2014) reports
   about 96 minutes for 7 x 33 with his MATLAB code -- a published figure from another machine
   and model size, quoted for scale, not a ratio.

Run: python benchmarks/bench_strategy.py [--json benchmarks/results/strategy.json] [--repeat 3]
     [--skip-sector]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from _timing import metadata, write_result
from tradewar.analysis import closed_form_nash, nash_tariffs, tariffwar_economy
from tradewar.data import load_baseline

HERE = Path(__file__).resolve().parent


def run_peer_once(dataset: str, year: int, work_dir: Path) -> dict[str, Any]:
    """One tariffwar run under Octave (one timed repetition). Raises RuntimeError on failure."""
    checkout = Path(os.environ.get("TARIFFWAR_DIR", "/work/peers/tariffwar"))
    if not shutil.which("octave-cli"):
        raise RuntimeError("GNU Octave not installed (apt-get install -y octave)")
    if not (checkout / "+tariffwar").is_dir():
        raise RuntimeError(f"no tariffwar checkout at {checkout} (set TARIFFWAR_DIR)")
    env = dict(os.environ, NREP="1", WORK_DIR=str(work_dir), TIMING_JSON=str(work_dir / "timing.json"))
    done = subprocess.run(["bash", str(HERE / "peers" / "run_tariffwar.sh"), str(checkout), dataset, str(year)],
                          capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"run_tariffwar.sh exited {done.returncode}: {done.stderr.strip()[-300:]}")
    timing = json.loads((work_dir / "timing.json").read_text())
    details = timing["details"][f"{dataset}{year}"]
    return {"seconds": float(details["solve_seconds_min"]), "octave": timing["octave"],
            "tariffwar_commit": timing["commit"], "nash_exitflag": details["nash_exitflag"],
            "blas": details["blas"]}


def bench_tariffwar(dataset: str, year: int, repeat: int) -> dict[str, Any]:
    economy = tariffwar_economy(dataset, year, "IS")   # loading: outside the timer
    closed_form_nash(economy)                           # warm-up (imports, first allocation)
    ours, peer, failure, info = [], [], None, {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            start = time.perf_counter()
            closed_form_nash(economy)
            ours.append(time.perf_counter() - start)
            if failure is None:
                try:
                    info = run_peer_once(dataset, year, Path(tmp))
                    peer.append(info.pop("seconds"))
                except RuntimeError as exc:
                    failure = str(exc)
    row: dict[str, Any] = {"peer": "tariffwar (MATLAB, Lashkaripour) under GNU Octave",
                           "repeats": repeat, "tradewar_seconds": min(ours), "tradewar_all": ours}
    if failure is not None:
        row |= {"status": "FAIL", "reason": failure, "peer_seconds": None, "ratio": None}
    else:
        row |= {"status": "measured in this run", "peer_seconds": min(peer), "peer_all": peer,
                "ratio": min(peer) / min(ours)} | info
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-sector", action="store_true")
    args = parser.parse_args()
    results: dict[str, Any] = metadata("benchmarks/bench_strategy.py")
    for dataset, year in (("icio", 2022), ("wiod", 2014)):
        results[f"tariffwar_{dataset}{year}"] = bench_tariffwar(dataset, year, args.repeat)
        results[f"tariffwar_{dataset}{year}"]["target_ratio"] = 10 if dataset == "icio" else None
        print(results[f"tariffwar_{dataset}{year}"], flush=True)
    g14 = load_baseline("icio", 2022, "IS", regions="g14").economy
    nash_tariffs(g14, by="uniform")  # compile the gradient once; the warm time is reported
    start = time.perf_counter()
    war = nash_tariffs(g14, by="uniform")
    results["full_model_g14_uniform"] = {"peer": None, "seconds": time.perf_counter() - start,
                                         "converged": war.converged, "iterations": war.iterations,
                                         "target_seconds": 60}
    print(results["full_model_g14_uniform"], flush=True)
    if not args.skip_sector:
        ossa = load_baseline("icio", 2022, "IS", regions="ossa7").economy
        start = time.perf_counter()
        war = nash_tariffs(ossa, by="sector")
        results["by_sector_ossa7"] = {"peer": "Ossa (2014) MATLAB, 7 x 33, as reported (not run here)",
                                      "seconds": time.perf_counter() - start, "converged": war.converged,
                                      "iterations": war.iterations, "ossa_2014_reported_minutes": 96}
        print(results["by_sector_ossa7"], flush=True)
    write_result(args.json, results)


if __name__ == "__main__":
    main()
