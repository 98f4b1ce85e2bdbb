"""Baseline benchmarks: building the ICIO 2022 baseline from the source files vs loading it from
the cache (the cache is the peer the build is measured against, in the same run).

1. build icio 2022 from sources (read the cube, the WIOD 2013 table, concordance, GDP;
   calibrate and reconcile), each repeat in a fresh Python process so that no in-process
   cache of a source file helps (imports excluded from the timer; the operating system's file
   cache is warm after the first repeat).                          target <= 10 s
2. load icio 2022 from the on-disk cache (checksums of the sources, npz + JSON, economy
   construction), also in a fresh process each repeat.            target <= 0.5 s
3. with --all: build_all (every year of every dataset, 28 baselines), in a fresh process.

Run: python benchmarks/bench_baseline.py [--all] [--json benchmarks/results/baseline.json]
Timings are the best of several repeats; the cache is written to a temporary directory.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import best_of, metadata, write_result
from tradewar.data import load_baseline
from tradewar.data._cache import CACHE_DIR_ENV
from tradewar.data._paths import default_data_dir

BUILD_TARGET = 10.0


def _fresh_process(statement: str, data_dir: Path) -> float:
    """Seconds of ``statement`` run in a new interpreter (imports before the timer)."""
    code = ("import time\nfrom pathlib import Path\nfrom tradewar.data import build_all, build_baseline, load_baseline\n"
            f"DATA = Path({str(data_dir)!r})\nstart = time.perf_counter()\n{statement}\n"
            "print(time.perf_counter() - start)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env=dict(os.environ))
    return float(done.stdout.strip().splitlines()[-1])


def build_all_jobs() -> list[tuple[str, int]]:
    from tradewar.options import DATASETS, YEARS

    return [(d, y) for d in DATASETS for y in YEARS[d]]
LOAD_TARGET = 0.5




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="also time build_all (28 baselines)")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data_dir = default_data_dir()
    results: dict[str, object] = metadata("benchmarks/bench_baseline.py") | {"repeats": args.repeat}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ[CACHE_DIR_ENV] = tmp

        build_seconds = min(_fresh_process("build_baseline('icio', 2022, data_dir=DATA)", data_dir)
                            for _ in range(args.repeat))
        load_baseline("icio", 2022, data_dir=data_dir)  # fill the cache
        # the same conditions on both sides: a fresh process, imports untimed, equal repeats
        load_seconds = min(_fresh_process("load_baseline('icio', 2022, data_dir=DATA)", data_dir)
                           for _ in range(args.repeat))
        regions_seconds = best_of(
            lambda: load_baseline("icio", 2022, data_dir=data_dir, regions="g14"), args.repeat)
        results.update({
            "build_icio2022_seconds": build_seconds,
            "build_target_seconds": BUILD_TARGET,
            "cache_load_icio2022_seconds": load_seconds,
            "cache_load_target_seconds": LOAD_TARGET,
            "cache_load_g14_seconds": regions_seconds,
            "build_over_load": build_seconds / load_seconds,
        })
        print(f"build icio 2022 from sources: {build_seconds:8.3f} s   (target <= {BUILD_TARGET} s)"
              f"  {'OK' if build_seconds <= BUILD_TARGET else 'MISSED'}")
        print(f"load icio 2022 from cache:    {load_seconds:8.3f} s   (target <= {LOAD_TARGET} s)"
              f"  {'OK' if load_seconds <= LOAD_TARGET else 'MISSED'}")
        print(f"load + aggregate to g14:      {regions_seconds:8.3f} s")
        print(f"build / load:                 {build_seconds / load_seconds:8.1f} x")
        if args.all:
            total = _fresh_process("build_all(DATA)", data_dir)
            results["build_all_seconds"] = total
            results["build_all_count"] = len(build_all_jobs())
            print(f"build_all ({results['build_all_count']} baselines):   {total:8.3f} s")
    write_result(args.json, results)


if __name__ == "__main__":
    main()
