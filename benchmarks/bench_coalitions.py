"""Benchmark of the coalition analysis and of uncertainty sweeps (ratios measured in one run).

On the real icio 2022 baseline aggregated to g14 (14 regions x 28 sectors, IO linkages):

1. all 1,024 coalitions of the ten allies (USA leader, CHN target, +50 points on goods, mirror
   retaliation, no US tariffs on allies) with ``coalition_analysis`` on the local process pool
   (2 workers) — target <= 60 s — against the same run serially (1 worker);
2. the chunk solves with the numpy and the jax backend of ``solve_batch`` (2 workers);
3. ``solve_batch`` of 64 coalition worlds in batches of 16 against ``solve`` one at a time;
4. a 1,000-draw sweep of ``us-china-april-11`` (+ the 8 published sets) on the local pool —
   target <= 60 s — and serially;
5. the same sweep on a Dask LocalCluster with 2 worker processes against 1 (1 thread each) —
   target >= 1.7x; the clusters are started and warmed up (workers import tradewar) before
   timing, and every backend must give the same frame, bit for bit.

Timings are the best of REPEAT rounds (backends interleaved within a round, so load from
other processes on a shared machine hits them alike); the load average is printed.

Run ``PYTHONPATH=src python benchmarks/bench_coalitions.py [REPEAT] [--json PATH]``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from _timing import metadata, write_result
from tradewar.analysis import sweep
from tradewar.analysis.coalitions import (
    BATCH,
    DEFAULT_ALLIES,
    coalition_analysis,
    coalition_game,
    world_tariffs,
)
from tradewar.data import load_baseline
from tradewar.model import solve, solve_batch


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"


def best(results: dict[str, float], label: str, seconds: float) -> None:
    results[label] = min(results.get(label, np.inf), seconds)
    print(f"  {label:<46} {seconds:7.2f} s", flush=True)


def coalitions(baseline, repeat: int) -> dict[str, float]:
    start = time.perf_counter()
    game = coalition_game(baseline, allies=DEFAULT_ALLIES, tariff=0.5, retaliation="mirror")
    compile_seconds = time.perf_counter() - start
    print(f"coalition game compiled in {compile_seconds:.2f} s (start point, status quo)")
    out: dict[str, float] = {"compile": compile_seconds}
    reference = None
    for round_ in range(repeat):
        print(f"round {round_ + 1} ({_load()})")
        for label, kwargs in (("1,024 coalitions, process pool (2), numpy", {"workers": 2}),
                              ("1,024 coalitions, serial, numpy", {"workers": 1}),
                              ("1,024 coalitions, process pool (2), jax", {"workers": 2, "backend": "jax"})):
            result = coalition_analysis(game=game, **kwargs)
            best(out, label, result.seconds)
            if "jax" in label:
                gap = np.abs(result.real_income_hat - reference).max()
                out["jax_vs_numpy_max_gap"] = float(gap)
            elif reference is None:
                reference = result.real_income_hat
            else:
                assert np.array_equal(result.real_income_hat, reference)
    print(f"  jax vs numpy: largest gap in real income hats {out['jax_vs_numpy_max_gap']:.1e}")
    return out


def batch_vs_single(baseline) -> dict[str, float]:
    game = coalition_game(baseline, allies=DEFAULT_ALLIES, tariff=0.5, retaliation="mirror")
    tariffs = np.stack([world_tariffs(game, mask, False) for mask in range(0, 1024, 16)])
    solve_batch(game.economy, tariffs[:2])  # warm-up
    begin = time.perf_counter()
    batch = [eq for s in range(0, len(tariffs), BATCH) for eq in solve_batch(game.economy, tariffs[s:s + BATCH])]
    t_batch = time.perf_counter() - begin
    begin = time.perf_counter()
    single = [solve(game.economy, t) for t in tariffs]
    t_single = time.perf_counter() - begin
    gap = max(np.abs(b.welfare_pct - s.welfare_pct).max() for b, s in zip(batch, single, strict=True))
    print(f"64 coalition worlds: solve_batch (batches of {BATCH}) {t_batch:.2f} s, one at a time "
          f"{t_single:.2f} s -> {t_single / t_batch:.2f}x (largest welfare gap {gap:.1e} pp)")
    return {"batch_seconds": t_batch, "single_seconds": t_single, "ratio": t_single / t_batch}


def sweeps(baseline, repeat: int, draws: int = 1000) -> dict[str, float]:
    from distributed import LocalCluster

    options = dict(processes=True, threads_per_worker=1, dashboard_address=":0", host="127.0.0.1")
    out: dict[str, float] = {}
    with LocalCluster(n_workers=1, **options) as one, LocalCluster(n_workers=2, **options) as two:
        for cluster in (one, two):  # warm-up: the workers import tradewar once
            sweep(baseline, "us-china-april-11", draws=4, seed=99, scheduler=cluster.scheduler_address)
        runs = {f"{draws}-draw sweep, serial": {"workers": 1},
                f"{draws}-draw sweep, process pool (2)": {"workers": 2},
                f"{draws}-draw sweep, dask LocalCluster, 1 worker": {"scheduler": one.scheduler_address},
                f"{draws}-draw sweep, dask LocalCluster, 2 workers": {"scheduler": two.scheduler_address}}
        reference = None
        for round_ in range(repeat):
            print(f"round {round_ + 1} ({_load()})")
            for label, kwargs in runs.items():
                result = sweep(baseline, "us-china-april-11", draws=draws, seed=2025, **kwargs)
                assert not len(result.failed_draws()), result.failed_draws().head()
                best(out, label, result.seconds)
                if reference is None:
                    reference = result.frame
                    out["chunks"] = result.chunks
                pd.testing.assert_frame_equal(result.frame, reference, check_exact=True)
    print("identical frames on every backend and round")
    return out


def main(argv: list[str]) -> None:
    path = None
    if "--json" in argv:
        k = argv.index("--json")
        path = argv[k + 1]
        argv = argv[:k] + argv[k + 2:]
    repeat = int(argv[0]) if argv else 2
    meta = metadata("benchmarks/bench_coalitions.py")
    baseline = load_baseline("icio", 2022, "IS", regions="g14")
    print(f"icio 2022 g14: {baseline.economy.n_countries} regions x {baseline.economy.n_sectors} "
          f"sectors; {_load()}")
    results = meta | {"repeats": repeat, "batch_vs_single": batch_vs_single(baseline),
               "coalitions": coalitions(baseline, repeat),
               "sweep": sweeps(baseline, repeat)}
    c, s = results["coalitions"], results["sweep"]
    pool = c["1,024 coalitions, process pool (2), numpy"]
    one = s["1000-draw sweep, dask LocalCluster, 1 worker"]
    two = s["1000-draw sweep, dask LocalCluster, 2 workers"]
    results["summary"] = {
        "coalitions_seconds": pool, "coalitions_target_seconds": 60.0,
        "coalitions_pool_vs_serial": c["1,024 coalitions, serial, numpy"] / pool,
        "coalitions_jax_over_numpy_seconds": c["1,024 coalitions, process pool (2), jax"] / pool,
        "sweep_seconds": s["1000-draw sweep, process pool (2)"], "sweep_target_seconds": 60.0,
        "sweep_pool_vs_serial": s["1000-draw sweep, serial"] / s["1000-draw sweep, process pool (2)"],
        "dask_2_vs_1_workers": one / two, "dask_target_ratio": 1.7,
        "batch_vs_single": results["batch_vs_single"]["ratio"],
        "machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}",
    }
    print("best of", repeat, "rounds:")
    for key, value in results["summary"].items():
        print(f"  {key:<28} {value if isinstance(value, str) else round(value, 2)}")
    write_result(Path(path) if path else None, results)


if __name__ == "__main__":
    main(sys.argv[1:])
