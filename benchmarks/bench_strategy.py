"""Strategy benchmarks, as ratios against the named peer measured in the same run.

1. The tariffwar configuration (81 x 28 ICIO 2022 and 44 x 16 WIOD 2014, every country playing):
   tradewar's joint closed-form fixed point vs tariffwar under GNU Octave.   target >= 10x (ICIO)
   The peer is re-run here when GNU Octave and a tariffwar checkout are present
   (TARIFFWAR_DIR, default /work/peers/tariffwar; see benchmarks/peers/run_tariffwar.sh);
   otherwise the recorded timings of benchmarks/peers/tariffwar_timing.json are used and
   labelled as such.
2. tradewar's full model (input-output linkages), 14 regions x 28 sectors, uniform tariffs,
   exact best responses with the deviation check.                              target <= 60 s
3. By-sector Nash tariffs for Ossa's 7 regions x 28 sectors: the time is reported (Ossa's
   MATLAB code needed about 96 minutes for 7 x 33).

Run: python benchmarks/bench_strategy.py [--json benchmarks/results/strategy.json] [--skip-sector]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from _timing import best_of
from tradewar.analysis import closed_form_nash, nash_tariffs, tariffwar_economy
from tradewar.data import load_baseline

HERE = Path(__file__).resolve().parent


def peer_seconds(dataset: str, year: int) -> tuple[float, str]:
    checkout = Path(os.environ.get("TARIFFWAR_DIR", "/work/peers/tariffwar"))
    if shutil.which("octave") and checkout.is_dir():
        subprocess.run(["bash", str(HERE / "peers" / "run_tariffwar.sh"), str(checkout), dataset, str(year)],
                       check=True, capture_output=True)
        source = "measured in this run (GNU Octave)"
    else:
        source = "recorded (benchmarks/peers/tariffwar_timing.json)"
    timing = json.loads((HERE / "peers" / "tariffwar_timing.json").read_text())
    return float(timing[f"{dataset}{year}"]), source




def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path)
    parser.add_argument("--skip-sector", action="store_true")
    args = parser.parse_args()
    results: dict = {}
    for dataset, year in (("icio", 2022), ("wiod", 2014)):
        economy = tariffwar_economy(dataset, year, "IS")
        ours = best_of(lambda e=economy: closed_form_nash(e), 3)
        peer, source = peer_seconds(dataset, year)
        results[f"tariffwar_{dataset}{year}"] = {"tradewar_seconds": ours, "tariffwar_octave_seconds": peer,
                                                 "peer_timing": source, "ratio": peer / ours}
        print(results[f"tariffwar_{dataset}{year}"], flush=True)
    g14 = load_baseline("icio", 2022, "IS", regions="g14").economy
    nash_tariffs(g14, by="uniform")  # compile the gradient once; report the warm time too
    start = time.perf_counter()
    war = nash_tariffs(g14, by="uniform")
    results["full_model_g14_uniform"] = {"seconds": time.perf_counter() - start, "converged": war.converged,
                                         "iterations": war.iterations, "target_seconds": 60}
    print(results["full_model_g14_uniform"], flush=True)
    if not args.skip_sector:
        ossa = load_baseline("icio", 2022, "IS", regions="ossa7").economy
        start = time.perf_counter()
        war = nash_tariffs(ossa, by="sector")
        results["by_sector_ossa7"] = {"seconds": time.perf_counter() - start, "converged": war.converged,
                                      "iterations": war.iterations, "ossa_2014_matlab_minutes": 96}
        print(results["by_sector_ossa7"], flush=True)
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
