"""Poisson pseudo-maximum likelihood (PPML) with high-dimensional fixed effects, in numpy.

Santos Silva & Tenreyro (2006) estimate the gravity equation in levels,
``E[x_ni | .] = exp(z_ni' b + a_i + c_n)``, by Poisson pseudo-ML; exporter (``a_i``) and
importer (``c_n``) fixed effects absorb the multilateral resistances (Anderson & van Wincoop
2003; Yotov et al. 2016, ch. 1). The estimator here is the one of Correia, Guimarães & Zylkin
(2020) and pyfixest's ``fepois``: iteratively re-weighted least squares whose weighted
regression partials the fixed effects out by alternating projections (weighted group
demeaning, repeated until the demeaned variables stop moving), so no dummy matrix is built.

Pure numerics: arrays in, a frozen :class:`PPMLFit` out. Standard errors are the
cluster-robust sandwich with the small-sample factor G/(G-1) (G clusters; by default every
observation is its own cluster, i.e. heteroskedasticity-robust). With one observation per
country pair this is the "clustered by pair" error of the gravity literature and reproduces
the standard errors gegravity publishes for its example (computed with gme) to 6 digits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...errors import InvalidArrayError, NonConvergenceError

#: Convergence of the IRLS loop: relative change of the deviance.
DEVIANCE_TOL = 1e-10
#: Convergence of the alternating projections: largest change of a demeaned variable, relative
#: to its scale.
DEMEAN_TOL = 1e-12
MAX_IRLS = 200
MAX_DEMEAN = 10_000


@dataclass(frozen=True, slots=True)
class PPMLFit:
    """A PPML fit with fixed effects.

    coef (K,) slopes; se (K,) robust standard errors; vcov (K, K); fitted (n_used,) fitted
    means of the observations used; used (n,) bool, observations kept (those in a fixed-effect
    group whose outcomes are all zero are dropped: their effect is -inf); deviance;
    iterations (IRLS steps); converged.
    """

    coef: np.ndarray
    se: np.ndarray
    vcov: np.ndarray
    fitted: np.ndarray
    used: np.ndarray
    deviance: float
    iterations: int
    converged: bool
    n_fixed_effects: int


def _group_codes(groups: np.ndarray) -> np.ndarray:
    _, codes = np.unique(np.asarray(groups), return_inverse=True)
    return codes.ravel()


def demean(values: np.ndarray, groups: list[np.ndarray], weights: np.ndarray, *,
           tol: float = DEMEAN_TOL, max_iter: int = MAX_DEMEAN) -> np.ndarray:
    """Weighted residuals of ``values`` (n, m) on the dummies of every factor in ``groups``.

    Alternating projections (the method of Gaure 2013 and pyfixest/fixest): subtract the
    weighted group means of one factor after the other until nothing changes; the limit is the
    residual of the weighted least-squares regression on all the dummies at once.
    """
    out = np.array(values, dtype=np.float64, copy=True)
    sums = [np.bincount(g, weights=weights) for g in groups]
    scale = np.maximum(np.abs(out).max(axis=0), 1e-300)
    for _ in range(max_iter):
        previous = out.copy()
        for g, s in zip(groups, sums, strict=True):
            means = np.stack([np.bincount(g, weights=weights * out[:, c]) for c in range(out.shape[1])], axis=1)
            out -= means[g] / s[g, None]
        if (np.abs(out - previous).max(axis=0) / scale).max() < tol:
            return out
    raise NonConvergenceError(f"fixed-effect demeaning did not converge in {max_iter} alternating projections")


def _drop_all_zero_groups(y: np.ndarray, groups: list[np.ndarray]) -> np.ndarray:
    keep = np.ones(len(y), dtype=bool)
    changed = True
    while changed:
        changed = False
        for g in groups:
            total = np.bincount(g[keep], weights=y[keep], minlength=g.max() + 1)
            drop = keep & (total[g] <= 0)
            if drop.any():
                keep &= ~drop
                changed = True
    return keep


def ppml(y: np.ndarray, x: np.ndarray, fixed_effects: list[np.ndarray], *,
         cluster: np.ndarray | None = None, tol: float = DEVIANCE_TOL,
         max_iter: int = MAX_IRLS) -> PPMLFit:
    """Fit ``E[y] = exp(x b + sum of fixed effects)`` by Poisson pseudo-ML.

    Parameters
    ----------
    y : array (n,)
        Outcome (trade flows, any unit; >= 0, zeros allowed).
    x : array (n, K)
        Covariates (no constant: the fixed effects absorb it).
    fixed_effects : list of arrays (n,)
        One label array per factor (e.g. exporter codes, importer codes).
    cluster : array (n,), optional
        Cluster labels for the standard errors (e.g. country pairs); default: each observation.

    Raises :class:`InvalidArrayError` for negative or non-finite data and
    :class:`NonConvergenceError` if IRLS does not converge.
    """
    y = np.asarray(y, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if y.ndim != 1 or x.shape[0] != y.shape[0]:
        raise InvalidArrayError(f"ppml: y must be (n,) and x (n, K); got {y.shape} and {x.shape}")
    if not (np.isfinite(y).all() and np.isfinite(x).all()):
        raise InvalidArrayError("ppml: y and x must be finite numbers (no NaN or inf)")
    if (y < 0).any():
        raise InvalidArrayError("ppml: y (trade flows) must be >= 0")
    if not fixed_effects:
        raise InvalidArrayError("ppml: give at least one fixed-effect factor (e.g. exporter and importer)")
    codes = [_group_codes(g) for g in fixed_effects]
    used = _drop_all_zero_groups(y, codes)
    y_u, x_u = y[used], x[used]
    codes_u = [_group_codes(g[used]) for g in codes]
    k = x_u.shape[1]
    mu = 0.5 * (y_u + y_u.mean())
    eta = np.log(mu)
    deviance = np.inf
    converged = False
    beta = np.zeros(k)
    it = 0
    for step in range(1, max_iter + 1):
        it = step
        z = eta + (y_u - mu) / mu
        stacked = demean(np.column_stack([z, x_u]), codes_u, mu)
        z_t, x_t = stacked[:, 0], stacked[:, 1:]
        xw = x_t * mu[:, None]
        beta = np.linalg.solve(x_t.T @ xw, xw.T @ z_t)
        resid = z_t - x_t @ beta
        eta = z - resid
        mu = np.exp(eta)
        with np.errstate(divide="ignore", invalid="ignore"):
            term = np.where(y_u > 0, y_u * np.log(y_u / mu), 0.0)
        new_dev = float(2.0 * (term - (y_u - mu)).sum())
        if abs(new_dev - deviance) / max(abs(new_dev), 0.1) < tol:
            deviance = new_dev
            converged = True
            break
        deviance = new_dev
    if not converged:
        raise NonConvergenceError(f"PPML did not converge in {max_iter} IRLS steps (deviance {deviance:.6g})")
    # cluster-robust sandwich at the solution, with the fixed effects partialled out
    x_t = demean(x_u, codes_u, mu)
    bread = np.linalg.inv(x_t.T @ (x_t * mu[:, None]))
    score = x_t * (y_u - mu)[:, None]
    if cluster is not None:
        labels = _group_codes(np.asarray(cluster)[used])
        score = np.stack([np.bincount(labels, weights=score[:, c]) for c in range(k)], axis=1)
    g = score.shape[0]
    n_fe = sum(int(c.max()) + 1 for c in codes_u) - (len(codes_u) - 1)
    vcov = g / max(g - 1, 1) * bread @ (score.T @ score) @ bread
    return PPMLFit(coef=beta, se=np.sqrt(np.diag(vcov)), vcov=vcov, fitted=mu, used=used,
                   deviance=deviance, iterations=it, converged=converged, n_fixed_effects=n_fe)
