"""How close is one solve at 81 x 28 to what this machine can do? (docs/design/solver.md)

For the headline scenario on the ICIO 2022 baseline (81 economies x 28 sectors):

1. the solve: seconds, passes of the equilibrium map G (iterations), seconds per pass, and
   the Anderson bookkeeping per pass (solve time / passes minus one pass of G);
2. one pass of G alone, at the converged state (numpy, as the solver runs it), timed as
   many passes back to back as the solve makes (so both are exposed alike to a busy machine);
3. the floor: the same array passes with no logic -- exactly the operations one pass of G
   cannot avoid, on arrays of the same shapes, with nothing else:
   * three batched matrix-vector products over the bilateral arrays [sector, importer,
     exporter] (price index, sales, tariff revenue): 3 x N^2 J doubles read;
   * two input-output contractions with gamma (N x J x J): unit costs, intermediate demand;
   * the powers: one exp and one log over N x J (c_hat^-theta and log P_hat); no N^2 J power
     is taken inside the loop (pi0 kappa^-theta is a per-scenario constant);
   and the memory floor of the bytes moved (the same arrays read once, no arithmetic); each
   floor is timed like G, as many calls back to back as the solve makes passes;
4. Newton with the exact Jacobian of F(z) = G(z) - z (n = N + 2NJ = 4,617 unknowns):
   * one Jacobian-vector product through JAX forward mode (jitted), measured in a batch of 64
     columns; the dense Jacobian needs n columns, so its cost is n/64 batches (extrapolated
     linearly: stated, not measured whole -- the full vmap would need n x N^2 J doubles = 6.8 GB);
   * one dense LU solve of the n x n system (numpy / LAPACK), measured;
   * a Newton solve needs k steps (quadratic convergence from the baseline: k = 4-6 is
     typical); reported per step and for k = 5.

This benchmark reaches into the engine's private modules (``tradewar.model._kernels``,
``_solver.model_params``) on purpose: it measures internals, it is not a use of them.

Run: python benchmarks/bench_solver_floor.py [--json benchmarks/results/solver_floor.json]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from _timing import best_of, metadata, write_result
from tradewar.data import load_baseline
from tradewar.model import _kernels as K
from tradewar.model import solve
from tradewar.model._solver import model_params
from tradewar.scenario import run_scenario

SCENARIO = "us-china-april-11"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    results: dict[str, Any] = metadata("benchmarks/bench_solver_floor.py")
    baseline = load_baseline("icio", 2022, "IS")
    compiled = run_scenario(baseline, SCENARIO).compiled
    economy, tau = compiled.start_economy, compiled.tariffs[-1]
    n, j = economy.n_countries, economy.n_sectors
    size = n + 2 * n * j

    # 1. the solve
    eq = solve(economy, tau)
    passes = eq.diagnostics.iterations
    solve_seconds = best_of(lambda: solve(economy, tau), args.repeat // 4)

    # 2. one pass of G at the converged state
    params = model_params(economy)
    terms = K.scenario_terms(np, params, tau[None], np.ones((1, n, n, j)), np.asarray(economy.deficit)[None], False)
    log_w = np.log(eq.w_hat)[None]
    log_p = np.log(eq.P_hat)[None]
    x = (eq.expenditure / economy.income[:, None])[None]

    def passes_of_g() -> None:   # as many passes of G as the solve makes, back to back
        for _ in range(passes):
            K.fixed_point_map(np, params, terms, log_w, log_p, x)

    pass_seconds = best_of(passes_of_g, args.repeat // 4) / passes

    # 3. the floor: the same array passes, no logic
    a1, a2, a3 = terms.shifted, terms.shifted_net, terms.shifted_tax          # (1, J, N, N)
    v = np.ascontiguousarray(np.transpose(np.exp(-params.theta * log_p), (0, 2, 1)))   # (1, J, N)
    gamma = params.gamma
    nj = log_p

    def floor() -> None:
        np.einsum("ikj,bik->bij", gamma, nj)
        e = np.exp(nj)
        (a1 @ v[..., None])
        (v[..., None, :] @ a2)
        (a3 @ v[..., None])
        np.log(e)
        np.einsum("njk,bnk->bnj", gamma, nj)

    def times_passes(fn: Any) -> float:   # seconds per call, over `passes` calls back to back
        def run() -> None:
            for _ in range(passes):
                fn()
        return best_of(run, args.repeat // 4) / passes

    floor_seconds = times_passes(floor)
    matvec_seconds = times_passes(lambda: (a1 @ v[..., None], v[..., None, :] @ a2, a3 @ v[..., None]))
    powers_seconds = times_passes(lambda: np.log(np.exp(nj)))
    bytes_moved = 3 * a1.nbytes + 2 * gamma.nbytes
    read_seconds = times_passes(lambda: (a1.sum(), a2.sum(), a3.sum(), gamma.sum(), gamma.sum()))

    # 4. Newton with the exact Jacobian
    from tradewar.model._jax import jax, jnp  # configures float64 on CPU

    jparams = K.Params(*(None if a is None else jnp.asarray(a) for a in params))
    jterms = K.Terms(*(jnp.asarray(a) for a in terms[:4]), proportional=False)

    def residual(z: Any) -> Any:
        lw, lp, xx = z[:n][None], z[n:n + n * j].reshape(1, n, j), z[n + n * j:].reshape(1, n, j)
        gw, gp, gx, _ = K.fixed_point_map(jnp, jparams, jterms, lw, lp, xx)
        return jnp.concatenate([gw[0], gp.reshape(-1), gx.reshape(-1)]) - z

    z_star = jnp.concatenate([log_w[0], log_p.reshape(-1), x.reshape(-1)])
    cols = 64
    basis = jnp.eye(size)[:cols]
    jvp_batch = jax.jit(jax.vmap(lambda t: jax.jvp(residual, (z_star,), (t,))[1]))
    jvp_batch(basis).block_until_ready()
    jvp64_seconds = best_of(lambda: jvp_batch(basis).block_until_ready(), 5)
    jacobian_seconds = jvp64_seconds * size / cols
    rng = np.random.default_rng(0)
    dense = np.eye(size) + 0.01 * rng.standard_normal((size, size))
    rhs = rng.standard_normal(size)
    lu_seconds = best_of(lambda: np.linalg.solve(dense, rhs), 3)
    newton_step = jacobian_seconds + lu_seconds + pass_seconds

    results |= {
        "scenario": SCENARIO, "dataset": "icio 2022, IS elasticities", "countries": n, "sectors": j,
        "unknowns": size,
        "solve": {"seconds": solve_seconds, "passes": passes, "seconds_per_pass": solve_seconds / passes,
                  "anderson_overhead_per_pass": solve_seconds / passes - pass_seconds,
                  "max_residual": eq.diagnostics.max_residual},
        "map_pass_seconds": pass_seconds,
        "floor": {"same_passes_no_logic_seconds": floor_seconds, "three_matvecs_seconds": matvec_seconds,
                  "powers_seconds": powers_seconds, "powers_per_pass": 2 * n * j,
                  "bytes_moved_per_pass": bytes_moved, "read_once_seconds": read_seconds,
                  "in_cache_bandwidth_gb_s": bytes_moved / read_seconds / 1e9,
                  "map_over_floor": pass_seconds / floor_seconds},
        "newton": {"method": "exact Jacobian by JAX forward mode (64 columns measured, extrapolated "
                             "linearly to all columns) + dense LU (measured)",
                   "jvp_64_columns_seconds": jvp64_seconds, "jacobian_seconds": jacobian_seconds,
                   "lu_solve_seconds": lu_seconds, "step_seconds": newton_step,
                   "five_steps_seconds": 5 * newton_step,
                   "five_steps_over_anderson_solve": 5 * newton_step / solve_seconds,
                   "anderson_passes_per_newton_step_time": newton_step / (solve_seconds / passes)},
    }
    write_result(args.json, results)


if __name__ == "__main__":
    main()
