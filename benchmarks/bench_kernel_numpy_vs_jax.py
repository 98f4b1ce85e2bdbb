"""Measure the equilibrium map G(z) — the solver's inner step — in numpy and in jitted JAX.

The numbers behind docs/design/solver.md: one implementation of the kernel
(tradewar.model._kernels), run through numpy and through jax.numpy (float64, CPU), for a
single scenario and a batch, on a synthetic 81 x 28 economy (the ICIO size).
Run: python benchmarks/bench_kernel_numpy_vs_jax.py
"""

from __future__ import annotations

import numpy as np

from _timing import best_of
from tradewar.model import _kernels as K
from tradewar.model._gradient import jax, jnp  # float64 JAX, configured there
from tradewar.model._solver import model_params
from tradewar.testing import random_economy


def main() -> None:
    economy = random_economy(81, 28, seed=0)
    n, j = economy.n_countries, economy.n_sectors
    params = model_params(economy)
    jparams = K.Params(*(jnp.asarray(a) for a in params))
    print(f"{'batch':>6} {'numpy ms/lane':>14} {'jax ms/lane':>12} {'jax/numpy':>10}")
    for batch in (1, 4, 16):
        rng = np.random.default_rng(batch)
        tau = economy.tariffs[None] + rng.uniform(0, 0.5, (batch,) + economy.tariffs.shape)
        d_hat = np.ones_like(tau)
        deficit = np.broadcast_to(economy.deficit, (batch, n)).copy()
        terms = K.scenario_terms(np, params, tau, d_hat, deficit, False)
        log_w = np.zeros((batch, n))
        log_P = np.zeros((batch, n, j))
        x = np.broadcast_to(economy.expenditure / economy.income[:, None], (batch, n, j)).copy()

        def numpy_step() -> None:
            K.fixed_point_map(np, params, terms, log_w, log_P, x)  # noqa: B023 (used within this iteration)

        jterms = K.scenario_terms(jnp, jparams, jnp.asarray(tau), jnp.asarray(d_hat), jnp.asarray(deficit), False)

        @jax.jit
        def jax_step(arrays, lw, lp, xx):
            t = K.Terms(*arrays, proportional=False)
            out = K.fixed_point_map(jnp, jparams, t, lw, lp, xx)
            return out[0], out[1], out[2]

        args = (tuple(jterms[:4]), jnp.asarray(log_w), jnp.asarray(log_P), jnp.asarray(x))
        jax.block_until_ready(jax_step(*args))

        def jax_run() -> None:
            jax.block_until_ready(jax_step(*args))  # noqa: B023 (used within this iteration)

        t_np = best_of(numpy_step, 20) / batch * 1e3
        t_jx = best_of(jax_run, 20) / batch * 1e3
        print(f"{batch:>6} {t_np:>14.3f} {t_jx:>12.3f} {t_jx / t_np:>10.2f}")


if __name__ == "__main__":
    main()
