"""JAX, configured once for tradewar: CPU, float64. Imported lazily (it costs ~1 s)."""

from __future__ import annotations

import os
from functools import partial
from typing import Any

os.environ.setdefault("JAX_PLATFORMS", "cpu")
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

jax.config.update("jax_enable_x64", True)

from . import _kernels as K  # noqa: E402

__all__ = ["jax", "jnp", "jitted_step"]


@partial(jax.jit, static_argnames=("proportional", "n", "j"))
def _step(params: K.Params, arrays: tuple[Any, Any, Any, Any], shifted_export: Any, z: Any,
          proportional: bool, n: int, j: int) -> Any:
    terms = K.Terms(*arrays, proportional=proportional, shifted_export=shifted_export)
    b = z.shape[0]
    log_w, log_P, x = z[:, :n], z[:, n:n + n * j].reshape(b, n, j), z[:, n + n * j:].reshape(b, n, j)
    lw, lp, xn, _ = K.fixed_point_map(jnp, params, terms, log_w, log_P, x)
    return jnp.concatenate([lw, lp.reshape(b, -1), jnp.maximum(xn, 0.0).reshape(b, -1)], axis=1)


def jitted_step(params: K.Params, terms: K.Terms, n: int, j: int) -> Any:
    """The equilibrium map G as a jitted function of the packed state (numpy in, numpy out)."""
    jparams = K.Params(*(None if a is None else jnp.asarray(a) for a in params))
    arrays = tuple(jnp.asarray(a) for a in terms[:4])
    export = None if terms.shifted_export is None else jnp.asarray(terms.shifted_export)

    def step(z: Any) -> Any:
        return jax.device_get(_step(jparams, arrays, export, jnp.asarray(z), terms.proportional, n, j))

    return step
