"""Benchmark of the run layer: the same sweep serially, on the local process pool, and on a
Dask LocalCluster with 1 and with 2 worker processes (1 thread each), plus ``solve_batch``
of one chunk against solving its scenarios one at a time.

Workload: 1,000 equilibria of a random 14 x 28 economy (``tradewar.testing.random_economy``,
seed 1), each with seeded random tariffs in [0, 0.3] on foreign flows (``spawn_seeds``), in
chunks of 50 scenarios solved by one ``solve_batch`` call. Every backend must give the same
frame (checked exactly). Cluster start-up is not timed, and each cluster runs a 2-chunk
warm-up first (workers import tradewar once); the process pool is timed from scratch (its
start-up, ~1-2 s of imports on spawn, is part of every local run).

Run ``PYTHONPATH=src python benchmarks/bench_cluster.py [N_SCENARIOS] [CHUNK] [REPEAT] [--json PATH]``
(best of REPEAT=2 interleaved rounds; the load average is printed, since other processes
on a shared machine distort timings).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from _timing import metadata, write_result
from tradewar.model import solve, solve_batch
from tradewar.run import chunk, run_chunks, spawn_seeds
from tradewar.testing import random_economy


def scenario_tariffs(economy, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    tariffs = rng.uniform(0.0, 0.3, economy.tariffs.shape)
    idx = np.arange(tariffs.shape[0])
    tariffs[idx, idx, :] = 0.0
    return tariffs


def solve_chunk(economy, items):
    """items: list of (scenario, seed) -> one row per scenario and country, plus the CPU
    seconds the chunk took (on its first row; a diagnostic, left out of the comparisons)."""
    cpu = time.process_time()
    tariffs = np.stack([scenario_tariffs(economy, seed) for _, seed in items])
    rows = []
    for (scenario, _), eq in zip(items, solve_batch(economy, tariffs), strict=True):
        for n, country in enumerate(economy.countries):
            rows.append({"scenario": scenario, "country": country,
                         "welfare_pct": float(eq.welfare_pct[n]),
                         "converged": bool(eq.diagnostics.converged), "cpu_s": 0.0})
    rows[0]["cpu_s"] = time.process_time() - cpu
    return rows


def timed(label: str, processes: int, **kwargs) -> tuple[float, pd.DataFrame]:
    """Seconds of one run, and its frame; prints the share of its processes' CPU capacity the
    chunks actually got (low on a machine shared with other work)."""
    out = run_chunks(solve_chunk, ECONOMY, CHUNKS, progress=False, **kwargs)
    assert out.ok and out.frame["converged"].all(), out.failed
    share = out.frame["cpu_s"].sum() / (out.seconds * processes)
    print(f"  {label:<32} {out.seconds:7.2f} s   (chunks got {share:4.0%} of {processes} CPU)",
          flush=True)
    return out.seconds, out.frame.drop(columns="cpu_s")


_PEER: dict = {}


def _peer_init(economy) -> None:
    _PEER["economy"] = economy


def _peer_chunk(items):
    return solve_chunk(_PEER["economy"], items)


def bare_pool(pool: ProcessPoolExecutor) -> float:
    """Peer: the stdlib pool alone (warm, no checkpoints, no Arrow), the ceiling for 2 local
    processes on this machine as loaded right now."""
    start = time.perf_counter()
    rows = [row for part in pool.map(_peer_chunk, CHUNKS) for row in part]
    seconds = time.perf_counter() - start
    assert all(row["converged"] for row in rows)
    print(f"  {'peer: bare ProcessPoolExecutor(2)':<32} {seconds:7.2f} s", flush=True)
    return seconds


def measure(repeat: int) -> dict[str, float]:
    """Best of ``repeat`` rounds; the backends alternate within a round, so that load from
    other processes on the machine hits them alike."""
    from distributed import LocalCluster

    options = dict(processes=True, threads_per_worker=1, dashboard_address=None,
                   host="127.0.0.1")
    best: dict[str, float] = {}
    # the peer pool starts (and imports) before distributed changes this process's environment
    peer = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_peer_init, initargs=(ECONOMY,))
    list(peer.map(_peer_chunk, CHUNKS[:4]))
    with peer, LocalCluster(n_workers=1, **options) as one, \
            LocalCluster(n_workers=2, **options) as two:
        runs = {"serial (workers=1)": (1, {"workers": 1}),
                "local process pool, 2 workers": (2, {"workers": 2}),
                "dask LocalCluster, 1 worker": (1, {"scheduler": one.scheduler_address}),
                "dask LocalCluster, 2 workers": (2, {"scheduler": two.scheduler_address})}
        for cluster in (one, two):  # warm-up: workers import tradewar once
            run_chunks(solve_chunk, ECONOMY, CHUNKS[:2], scheduler=cluster.scheduler_address,
                       progress=False)
        reference = None
        for round_ in range(repeat):
            print(f"round {round_ + 1} (load average {os.getloadavg()[0]:.1f})")
            for label, (processes, kwargs) in runs.items():
                seconds, frame = timed(label, processes, **kwargs)
                if reference is None:
                    reference = frame
                pd.testing.assert_frame_equal(frame, reference, check_exact=True)
                best[label] = min(best.get(label, np.inf), seconds)
            label = "peer: bare ProcessPoolExecutor(2)"
            best[label] = min(best.get(label, np.inf), bare_pool(peer))
    print("identical frames on every backend and round")
    return best


def batch_vs_single(items) -> dict[str, float]:
    tariffs = np.stack([scenario_tariffs(ECONOMY, seed) for _, seed in items])
    solve_batch(ECONOMY, tariffs[:2])  # warm-up
    start = time.perf_counter()
    batch = solve_batch(ECONOMY, tariffs)
    t_batch = time.perf_counter() - start
    start = time.perf_counter()
    single = [solve(ECONOMY, t) for t in tariffs]
    t_single = time.perf_counter() - start
    gap = max(np.abs(b.welfare_pct - s.welfare_pct).max() for b, s in zip(batch, single, strict=True))
    print(f"one chunk of {len(items)}: solve_batch {t_batch:.2f} s, one at a time {t_single:.2f} s "
          f"-> {t_single / t_batch:.2f}x (max welfare gap {gap:.1e} pp)")
    return {"batch_seconds": t_batch, "single_seconds": t_single, "ratio": t_single / t_batch}


if __name__ == "__main__":
    json_path = None
    if "--json" in sys.argv:
        k = sys.argv.index("--json")
        json_path = Path(sys.argv[k + 1])
        del sys.argv[k:k + 2]
    results = metadata("benchmarks/bench_cluster.py")
    n_scenarios = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    ECONOMY = random_economy(14, 28, seed=1)
    CHUNKS = chunk(list(enumerate(spawn_seeds(7, n_scenarios))), size)
    print(f"{n_scenarios} equilibria of a 14 x 28 economy in {len(CHUNKS)} chunks of {size}; "
          f"{os.cpu_count()} CPUs")
    results["batch_vs_single"] = batch_vs_single(CHUNKS[0])
    best = measure(repeat)
    print("best of", repeat, "rounds:")
    for label, seconds in best.items():
        print(f"  {label:<32} {seconds:7.2f} s")
    serial, pool = best["serial (workers=1)"], best["local process pool, 2 workers"]
    one, two = best["dask LocalCluster, 1 worker"], best["dask LocalCluster, 2 workers"]
    print(f"speed-up, dask 2 workers vs 1 worker: {one / two:.2f}x")
    print(f"speed-up, process pool (2) vs serial: {serial / pool:.2f}x")
    print(f"speed-up, dask 2 workers vs serial:   {serial / two:.2f}x")
    print(f"ceiling, bare 2-process pool vs serial: {serial / best['peer: bare ProcessPoolExecutor(2)']:.2f}x"
          f"  (load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    results |= {"workload": f"{n_scenarios} equilibria of random_economy(14, 28, seed=1), chunks of {size}",
                "repeats": repeat, "best_seconds": best, "dask_2_vs_1_workers": one / two,
                "pool_vs_serial": serial / pool, "dask_target_ratio": 1.7}
    write_result(json_path, results)
