"""Engine benchmarks, each as a ratio against a named peer measured in the same run.

1. One-sector experiment (CAN-JPN agreement) on gegravity's 30-country sample:
   tradewar's solve vs gegravity's own OneSectorGE build+simulate.   target >= 20x
2. Caliendo-Parro NAFTA (31 x 40), both steps, vs the plain numpy transcription of CP's
   published algorithm (benchmarks/cp_numpy_reference.py).          target <= 0.2 s warm, >= 10x
3. A batch of 256 tariff scenarios on the real ICIO 2022 baseline (81 x 28):
   seconds per solve, solve_batch in chunks vs one at a time.       target <= 50 ms per solve

Run: python benchmarks/bench_engine.py [--json benchmarks/results/engine.json]
Timings are the best of several repeats (the machine has 2 cores and may be shared).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

from _timing import best_of
from tradewar.data._paths import default_data_dir
from tradewar.data._validation import load_cp2015
from tradewar.model import Economy, solve, solve_batch

HERE = Path(__file__).resolve().parent


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module




def bench_gegravity(data_dir: Path) -> dict:
    peer = _load("gegravity_peer")
    peer_seconds = best_of(lambda: peer.run_gegravity(data_dir), repeat=3)
    b = peer.run_gegravity(data_dir).baseline
    n = len(b.countries)
    d_hat = (b.cost_change ** (1.0 / (1.0 - b.sigma)))[:, :, None]

    def ours() -> None:
        economy = Economy(
            countries=b.countries, sectors=("manufacturing",), flows=b.flows[:, :, None],
            tariffs=np.zeros((n, n, 1)), theta=np.array([b.sigma - 1.0]), va_share=np.ones((n, 1)),
            input_share=np.zeros((n, 1, 1)), final_share=np.ones((n, 1)),
        )
        solve(economy, trade_cost_hat=d_hat, deficits="proportional")

    ours_seconds = best_of(ours, repeat=20)
    return {"peer": "gegravity OneSectorGE build+simulate", "peer_seconds": peer_seconds,
            "tradewar_seconds": ours_seconds, "ratio": peer_seconds / ours_seconds, "target_ratio": 20}


def bench_cp(data_dir: Path) -> dict:
    ref = _load("cp_numpy_reference")
    peer_seconds = best_of(lambda: ref.nafta_reference(data_dir), repeat=2)
    data = load_cp2015(data_dir)

    def ours() -> None:
        # a fresh economy each time so the purge step (CP's first solve) is timed too
        e = data.economy
        fresh = Economy(countries=e.countries, sectors=e.sectors, flows=e.flows, tariffs=e.tariffs,
                        theta=e.theta, va_share=e.va_share, input_share=e.input_share,
                        final_share=e.final_share, deficit=e.deficit, value_added=e.value_added)
        solve(fresh, data.tariffs_counterfactual, deficits="zero")

    ours()
    ours_seconds = best_of(ours, repeat=5)
    return {"peer": "plain numpy transcription of CP's algorithm", "peer_seconds": peer_seconds,
            "tradewar_seconds": ours_seconds, "ratio": peer_seconds / ours_seconds,
            "target_ratio": 10, "target_seconds": 0.2}


def bench_batch() -> dict:
    from tradewar.data import load_baseline

    economy = load_baseline("icio", 2022, "IS").economy
    rng = np.random.default_rng(0)
    n = economy.n_countries
    scenarios = 256
    taus = np.empty((scenarios,) + economy.tariffs.shape)
    for b in range(scenarios):  # each scenario: a random importer raises tariffs on a random partner
        tau = economy.tariffs.copy()
        imp, exp = rng.choice(n, 2, replace=False)
        tau[imp, exp, :27] += rng.uniform(0.1, 1.5)
        tau[exp, imp, :27] += rng.uniform(0.0, 1.2)
        taus[b] = tau
    solve(economy, taus[0])
    start = time.perf_counter()
    one = [solve(economy, taus[b]) for b in range(32)]
    one_at_a_time = (time.perf_counter() - start) / 32
    out = {}
    for chunk in (4, 16):
        start = time.perf_counter()
        results = []
        for k in range(0, scenarios, chunk):
            results += solve_batch(economy, taus[k:k + chunk])
        out[chunk] = (time.perf_counter() - start) / scenarios
    assert all(r.diagnostics.converged for r in results)
    assert np.allclose(results[0].welfare_pct, one[0].welfare_pct, atol=1e-9)
    best_chunk = min(out, key=out.get)
    from tradewar.run import solve_tariff_scenarios

    parallel = {}
    for backend in ("numpy", "jax"):
        solve_tariff_scenarios(economy, taus[:8], chunk_size=4, workers=2, backend=backend)  # warm the pool
        start = time.perf_counter()
        outcome = solve_tariff_scenarios(economy, taus, chunk_size=8, workers=2, backend=backend)
        parallel[backend] = (time.perf_counter() - start) / scenarios
        assert outcome.frame.converged.all()
    return {
        "two_processes_seconds_per_solve": parallel,"scenarios": scenarios, "one_at_a_time_seconds_per_solve": one_at_a_time,
            "batch_seconds_per_solve": {str(k): v for k, v in out.items()},
            "best_chunk": best_chunk, "ratio_batch_vs_one": one_at_a_time / out[best_chunk],
            "target_seconds_per_solve": 0.05}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    data_dir = default_data_dir()
    results = {"machine": f"{platform.machine()}, {platform.python_version()}"}
    results["gegravity_one_sector"] = bench_gegravity(data_dir)
    results["cp2015_nafta"] = bench_cp(data_dir)
    results["batch_icio2022"] = bench_batch()
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
