"""Exact derivatives of welfare with respect to tariffs, by implicit differentiation.

At an equilibrium ``z* = G(z*; tau')`` (the map of :mod:`tradewar.model._kernels`), welfare
``W(z*, tau')`` has the total derivative

    dW/dtau' = dW/dtau' |_z  +  lambda^T dF/dtau',   with  (dF/dz)^T lambda = -(dW/dz)^T,

where ``F = G - z`` (the implicit function theorem). The partial derivatives are reverse-mode
automatic derivatives of the SAME kernels the numpy solver iterates (run through
``jax.numpy`` in float64), and the adjoint system is solved matrix-free by GMRES. No finite
differences anywhere. See docs/design/solver.md for the measurements behind this choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from ..errors import InvalidArrayError, NonConvergenceError
from . import _kernels as K
from ._jax import jax, jnp
from ._results import Equilibrium
from ._solver import model_params


@dataclass(frozen=True)
class WelfareGradient:
    """Welfare and its exact gradient at an equilibrium.

    ``objective``: ``sum_n weights[n] * log(real income hat of n)``;
    ``gradient[n, i, j]``: d objective / d tau'[n, i, j] (per unit of the tariff fraction);
    ``adjoint_residual``: relative residual of the adjoint linear solve (should be ~1e-10).
    """

    objective: float
    gradient: np.ndarray
    adjoint_residual: float


def _state(eq: Equilibrium) -> np.ndarray:
    ref = eq.reference
    x = eq.expenditure / ref.income[:, None]
    return np.concatenate([np.log(eq.w_hat), np.log(eq.P_hat).ravel(), x.ravel()])


@partial(jax.jit, static_argnames=("proportional", "n", "j"))
def _objective_and_gradient(params: K.Params, z: Any, tariffs: Any, d_hat: Any, deficit: Any,
                            weights: Any, proportional: bool, n: int, j: int,
                            export_tax: Any = None, blocked: Any = None) -> tuple[Any, Any, Any]:
    def unpack(zz: Any) -> tuple[Any, Any, Any]:
        return zz[None, :n], zz[n:n + n * j].reshape(1, n, j), zz[n + n * j:].reshape(1, n, j)

    export_b = None if export_tax is None else export_tax[None]
    blocked_b = None if blocked is None else blocked[None]

    def terms_of(tau: Any) -> K.Terms:
        return K.scenario_terms(jnp, params, tau[None], d_hat[None], deficit[None], proportional,
                                export_tax=export_b, blocked=blocked_b)

    def residual(zz: Any, tau: Any) -> Any:
        lw, lP, xn, _ = K.fixed_point_map(jnp, params, terms_of(tau), *unpack(zz))
        return jnp.concatenate([lw[0], lP[0].ravel(), xn[0].ravel()]) - zz

    def objective(zz: Any, tau: Any) -> Any:
        log_w, log_P, x = unpack(zz)
        ev = K.evaluate(jnp, params, terms_of(tau), log_w, log_P, x)
        log_real_income = jnp.log(ev["income"][0] / params.income0) - (params.alpha * log_P[0]).sum(axis=1)
        return (weights * log_real_income).sum()

    value, (grad_z, grad_tau) = jax.value_and_grad(objective, argnums=(0, 1))(z, tariffs)
    _, vjp_z = jax.vjp(lambda zz: residual(zz, tariffs), z)
    lam, _ = jax.scipy.sparse.linalg.gmres(lambda v: vjp_z(v)[0], -grad_z, tol=1e-13, atol=0.0,
                                           restart=80, maxiter=40, solve_method="incremental")
    check = vjp_z(lam)[0] + grad_z
    rel = jnp.abs(check).max() / jnp.maximum(jnp.abs(grad_z).max(), 1e-300)
    _, vjp_tau = jax.vjp(lambda tau: residual(z, tau), tariffs)
    return value, grad_tau + vjp_tau(lam)[0], rel


def welfare_gradient(eq: Equilibrium, weights: Any) -> WelfareGradient:
    """Exact gradient of ``sum_n weights[n] log(real income_n)`` with respect to new tariffs.

    Parameters
    ----------
    eq : Equilibrium
        A converged equilibrium (from :func:`tradewar.model.solve`); its closure must be
        ``fixed``, ``given``, ``proportional`` or ``zero`` (derivatives are then taken
        relative to the purged economy, deficits held at zero).
    weights : array (N,)
        Weight of each country's log real-income change (e.g. a unit vector for one country).

    Returns
    -------
    WelfareGradient with ``gradient`` of shape (N, N, J) (per unit of tariff fraction).
    """
    if not eq.diagnostics.converged:
        raise NonConvergenceError("welfare_gradient needs a converged equilibrium", eq.diagnostics)
    if eq.model_options.used:
        raise InvalidArrayError(
            f"welfare_gradient: exact gradients cover the standard model and labour_supply, not "
            f"{', '.join(eq.model_options.used)} (ILMS options); allowed: an equilibrium solved without them")
    ref = eq.reference
    n, j = ref.n_countries, ref.n_sectors
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (n,) or not np.isfinite(w).all():
        raise InvalidArrayError(f"weights: expected {n} finite numbers (one per country), got shape {w.shape}")
    params = K.Params(*(None if a is None else jnp.asarray(a) for a in model_params(ref, eq.labour_supply)))
    proportional = eq.closure == "proportional"
    deficit = np.zeros(n) if proportional else np.asarray(eq.deficit)
    value, grad, rel = _objective_and_gradient(
        params, jnp.asarray(_state(eq)), jnp.asarray(eq.tariffs), jnp.asarray(eq.trade_cost_hat),
        jnp.asarray(deficit), jnp.asarray(w), proportional, n, j,
        None if eq.export_tax is None else jnp.asarray(eq.export_tax),
        None if eq.blocked is None else jnp.asarray(eq.blocked))
    rel = float(rel)
    if not np.isfinite(rel) or rel > 1e-7:
        raise NonConvergenceError(f"adjoint solve for the welfare gradient did not converge (relative residual {rel:.2e})")
    return WelfareGradient(objective=float(value), gradient=np.asarray(grad), adjoint_residual=rel)
