"""Independent plain solver of the Caliendo–Parro (2015) counterfactual in exact hat algebra.

Written from the paper — Caliendo, L. and F. Parro (2015), "Estimates of the Trade and Welfare
Effects of NAFTA", Review of Economic Studies 82(1), 1–44, section 3.3, equations (10)–(15),
"equilibrium in relative changes" — and not from the tradewar engine (``src/tradewar/model``)
nor from ``benchmarks/cp_numpy_reference.py``. It is a test oracle: plain numpy loops, a
standard root finder (scipy's MINPACK ``hybr``) on the wages, nothing vectorised over
scenarios, nothing accelerated. It takes plain arrays only.

Notation (indices n importer, i exporter, j and k sectors; x̂ = x'/x):

* (10) unit costs        ĉ[i,j] = ŵ[i]^β[i,j] · Π_k P̂[i,k]^γ[i,k,j]
* (11) price index       P̂[n,j] = (Σ_i π[n,i,j] (κ̂[n,i,j] ĉ[i,j])^(−θ_j))^(−1/θ_j)
* (12) trade shares      π'[n,i,j] = π[n,i,j] (κ̂[n,i,j] ĉ[i,j] / P̂[n,j])^(−θ_j)
* (13) expenditure       X'[n,j] = Σ_k γ[n,j,k] Σ_i π'[i,n,k] X'[i,k] / (1+τ'[i,n,k]) + α[n,j] I'[n]
* (14) income            I'[n] = ŵ[n] wL[n] + Σ_{i,j} τ'[n,i,j] π'[n,i,j] X'[n,j] / (1+τ'[n,i,j]) + D'[n]
* (15) trade balance     Σ_{i,j} π'[n,i,j] X'[n,j] / (1+τ'[n,i,j]) − D'[n]
                           = Σ_{i,j} π'[i,n,j] X'[i,j] / (1+τ'[i,n,j])

κ̂ = (1+τ')/(1+τ) · d̂ (tariff and iceberg-cost changes); γ[i,k,j] is the share of input k in the
cost of sector j in country i; β = 1 − Σ_k γ. Given (13)–(14), condition (15) is equivalent to
labour-market clearing ŵ[i] wL[i] = Σ_j β[i,j] Y'[i,j] with Y'[i,j] = Σ_n π'[n,i,j] X'[n,j] /
(1+τ'[n,i,j]); by Walras' law one of the N conditions is redundant, and its place is taken by
the numeraire: world value added unchanged, Σ_i ŵ[i] wL[i] = Σ_i wL[i].

Procedure: for given wages, (10)–(11) are iterated to a fixed point in log P̂ (a contraction,
since Σ_k γ < 1), then (12), then the linear system (13)–(14) for X' is iterated to a fixed
point (also a contraction: the intermediate and tariff-revenue shares are below one). The N
wage equations (labour-market clearing for N−1 countries, plus the numeraire) are solved for
log ŵ by ``scipy.optimize.root(method="hybr")``. Welfare is the change in real income
Î[n] / Π_j P̂[n,j]^α[n,j] (the exact measure; CP's own decomposition is not computed here).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import root


def _prices(log_w: np.ndarray, kappa_theta: np.ndarray, pi: np.ndarray, theta: np.ndarray,
            beta: np.ndarray, gamma: np.ndarray, log_p: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Fixed point of (10)–(11) for given log wages: returns (log ĉ, log P̂), both (N, J)."""
    for _ in range(100_000):
        log_c = beta * log_w[:, None] + np.einsum("ikj,ik->ij", gamma, log_p)
        # Σ_i π[n,i,j] κ̂^(−θ) ĉ[i,j]^(−θ)
        total = (pi * kappa_theta * np.exp(-theta * log_c)[None, :, :]).sum(axis=1)
        new = -np.log(total) / theta
        gap = np.max(np.abs(new - log_p))
        log_p = new
        if gap < tol:
            log_c = beta * log_w[:, None] + np.einsum("ikj,ik->ij", gamma, log_p)
            return log_c, log_p
    raise RuntimeError(f"price fixed point did not converge (gap {gap:.3g})")


def _expenditure(w_l: np.ndarray, pi_new: np.ndarray, tau_new: np.ndarray, gamma: np.ndarray,
                 alpha: np.ndarray, deficit_new: np.ndarray, x: np.ndarray, tol: float) -> np.ndarray:
    """Fixed point of the linear system (13)–(14) for X' (N, J), given new wages bill w_l (N,)."""
    paid = pi_new / (1.0 + tau_new)                         # share of n's spending received by i
    revenue_share = (pi_new * tau_new / (1.0 + tau_new)).sum(axis=1)   # (N, J)
    for _ in range(100_000):
        sales = np.einsum("nij,nj->ij", paid, x)            # Y'[i, j]
        income = w_l + (revenue_share * x).sum(axis=1) + deficit_new
        new = np.einsum("njk,nk->nj", gamma, sales) + alpha * income[:, None]
        gap = np.max(np.abs(new - x)) / np.max(np.abs(new))
        x = new
        if gap < tol:
            return x
    raise RuntimeError(f"expenditure fixed point did not converge (gap {gap:.3g})")


def solve_cp(flows: np.ndarray, tariffs: np.ndarray, tariffs_new: np.ndarray, theta: np.ndarray,
             gamma: np.ndarray, alpha: np.ndarray, deficit_new: np.ndarray,
             trade_cost_hat: np.ndarray | None = None, tol: float = 1e-12) -> dict[str, Any]:
    """Counterfactual equilibrium of CP (2015) from baseline data.

    Args:
        flows: (N, N, J) baseline trade M[n, i, j] at producer prices, millions USD, importer
            first (domestic sales on the diagonal).
        tariffs, tariffs_new: (N, N, J) baseline and counterfactual tariffs τ, τ' (fractions).
        theta: (J,) trade elasticities θ_j.
        gamma: (N, J, J) input shares γ[i, k, j] (input k in sector j); β = 1 − Σ_k γ.
        alpha: (N, J) final-demand shares α[n, j].
        deficit_new: (N,) counterfactual deficits D' (millions USD, numeraire units).
        trade_cost_hat: (N, N, J) iceberg-cost changes d̂ (default: none).
        tol: tolerance of the wage equations (relative to value added).

    Returns:
        dict: ``w_hat`` (N,), ``P_hat`` (N, J), ``price_index_hat`` (N,), ``income`` and
        ``income_new`` (N,), ``real_income_hat`` (N,), ``welfare_pct`` (N,), ``flows_new``
        (N, N, J) producer prices, ``max_residual`` (largest |condition (15)| / wL).
    """
    flows = np.asarray(flows, dtype=float)
    theta = np.asarray(theta, dtype=float)
    n, _, n_s = flows.shape
    beta = 1.0 - gamma.sum(axis=1)
    spending = (1.0 + tariffs) * flows                      # E[n, i, j], tariff-inclusive
    x0 = spending.sum(axis=1)                                # X[n, j]
    pi = spending / x0[:, None, :]
    output = flows.sum(axis=0)                               # Y[i, j]
    w_l = (beta * output).sum(axis=1)                        # wL[i]
    income0 = w_l + (tariffs * flows).sum(axis=(1, 2)) + (flows.sum(axis=(1, 2)) - flows.sum(axis=(0, 2)))
    d_hat = np.ones_like(flows) if trade_cost_hat is None else trade_cost_hat
    kappa_theta = ((1.0 + tariffs_new) / (1.0 + tariffs) * d_hat) ** (-theta)
    inner = tol * 1e-3
    state = {"log_p": np.zeros((n, n_s)), "x": x0.copy()}

    def evaluate(log_w: np.ndarray) -> dict[str, np.ndarray]:
        log_c, log_p = _prices(log_w, kappa_theta, pi, theta, beta, gamma, state["log_p"], inner)
        pi_new = pi * kappa_theta * np.exp(-theta * (log_c[None, :, :] - log_p[:, None, :]))
        x = _expenditure(np.exp(log_w) * w_l, pi_new, tariffs_new, gamma, alpha, deficit_new,
                         state["x"], inner)
        state["log_p"], state["x"] = log_p, x
        sales = np.einsum("nij,nj->ij", pi_new / (1.0 + tariffs_new), x)
        return {"log_p": log_p, "pi_new": pi_new, "x": x, "sales": sales}

    def equations(log_w: np.ndarray) -> np.ndarray:
        out = evaluate(log_w)
        labour = ((beta * out["sales"]).sum(axis=1) - np.exp(log_w) * w_l) / w_l
        labour[-1] = np.log((np.exp(log_w) * w_l).sum() / w_l.sum())   # numeraire
        return labour

    found = root(equations, np.zeros(n), method="hybr", options={"xtol": tol})
    out = evaluate(found.x)
    w_hat = np.exp(found.x)
    flows_new = out["pi_new"] * out["x"][:, None, :] / (1.0 + tariffs_new)
    imports = flows_new.sum(axis=(1, 2))
    exports = flows_new.sum(axis=(0, 2))
    residual = np.abs(imports - exports - deficit_new) / w_l
    revenue = (tariffs_new * flows_new).sum(axis=(1, 2))
    income_new = w_hat * w_l + revenue + deficit_new
    p_hat = np.exp(out["log_p"])
    price_index_hat = np.exp((alpha * out["log_p"]).sum(axis=1))
    real_income_hat = income_new / income0 / price_index_hat
    if not found.success or residual.max() > 1e3 * tol:
        raise RuntimeError(f"CP wage equations not solved: {found.message} (residual {residual.max():.3g})")
    return {"w_hat": w_hat, "P_hat": p_hat, "price_index_hat": price_index_hat, "income": income0,
            "income_new": income_new, "real_income_hat": real_income_hat,
            "welfare_pct": (real_income_hat - 1.0) * 100.0, "flows_new": flows_new,
            "max_residual": float(residual.max())}
