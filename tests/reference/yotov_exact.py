"""Independent exact solver of the one-sector endowment (Armington) economy.

Written from the economics of Yotov, Piermartini, Monteiro & Larch (2016), *An Advanced Guide
to Trade Policy Analysis: The Structural Gravity Model* (WTO/UNCTAD), chapter 2 ("full
endowment general equilibrium"), not from any package's code. It is the test oracle for the
one-sector case of the tradewar engine and for the gegravity peer.

Model (levels). Country i is endowed with Q_i of its own variety, sold at factory-gate price
p_i, so its output is Y_i = p_i Q_i. With CES preferences (elasticity σ) and bilateral trade
costs t_ni, importer n's spending on i's variety is

    X[n, i] = (β_i p_i t_ni / P_n)^(1−σ) E_n,     P_n^(1−σ) = Σ_i (β_i p_i t_ni)^(1−σ).

In structural-gravity form (Anderson–van Wincoop), with Y = Σ_i Y_i,
X[n, i] = (E_n Y_i / Y) (t_ni / (P_n Π_i))^(1−σ), the inward multilateral resistance (IMR)
P_n^(1−σ) = Σ_i (t_ni/Π_i)^(1−σ) Y_i/Y and the outward multilateral resistance (OMR)
Π_i^(1−σ) = Σ_n (t_ni/P_n)^(1−σ) E_n/Y. Markets clear: Y_i = Σ_n X[n, i].

Closure. Each country's expenditure/output ratio φ_n = E_n / Y_n is fixed up to one common
factor s that keeps world expenditure equal to world output:

    E'_n = φ_n Y'_n s,     s = Σ_n Y'_n / Σ_n φ_n Y'_n.

(With balanced trade, φ ≡ 1 and s = 1.)

Counterfactual in changes (x̂ = x'/x). The baseline is the given flow matrix X (which is an
equilibrium by construction: Y_i = Σ_n X[n,i], E_n = Σ_i X[n,i]), so the unobserved levels of
β_i, Q_i and t_ni cancel and only ``cost_change`` = t̂_ni^(1−σ) is needed:

    IMR:  P̂_n^(1−σ) = Σ_i π[n,i] t̂_ni^(1−σ) p̂_i^(1−σ),            π[n,i] = X[n,i] / E_n
    OMR:  Π̂_i^(1−σ) = Σ_n (X[n,i] / Y_i) t̂_ni^(1−σ) Ê_n P̂_n^(σ−1) / Ŷ
    factory-gate prices (market clearing, Ŷ_i = p̂_i):   p̂_i^σ = Π̂_i^(1−σ) Ŷ

with Ŷ = Σ_i p̂_i Y_i / Σ_i Y_i and Ê_n = φ_n p̂_n Y_n s / E_n (= p̂_n s for the default φ = E/Y). The procedure iterates exactly as in the
Advanced Guide: given the factory-gate prices, update output and expenditure, compute the
multilateral resistances, and solve the factory-gate price equation for new prices; repeat
until the market-clearing residual max_i |Σ_n X'[n,i] / Y'_i − 1| is below ``tol`` (1e-13).
Prices are normalised after every step (by default world output is unchanged, Ŷ = 1; or the
IMR of a reference country is held at 1). Nothing reported as welfare depends on the
normalisation.

Welfare, precisely: the change in real expenditure (real consumption) of country n,

    Ŵ_n = Ê_n / P̂_n = s · p̂_n / P̂_n,

i.e. the Arkolakis–Costinot–Rodríguez-Clare welfare change with the closure's common factor s.
p̂_n / P̂_n is the change in real GDP (real output Y_n/P_n); so Ŵ_n equals the real-GDP change
times s, and exactly equals it when s = 1 (e.g. when every φ_n = 1). gegravity's "welfare
statistic" is its 1/Ŵ (with s ≡ 1). ACR: p̂_n/P̂_n = (π̂[n,n] / t̂_nn^(1−σ))^(1/(1−σ)), which
:func:`acr_welfare` and :func:`acr_check` verify.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class EndowmentResult:
    """Solution of :func:`solve_endowment` (arrays indexed by country; flows ``[importer, exporter]``).

    Attributes:
        price_hat: factory-gate price changes p̂ (= output changes Ŷ_i).
        imr_hat: IMR changes P̂ (consumer price index changes).
        omr_hat: OMR changes Π̂.
        expenditure_hat: Ê = φ p̂ Y s / E (= p̂ s for the default φ).
        scale: the common factor s of the closure.
        welfare: Ŵ = Ê / P̂ (ratio; percent change is 100 (Ŵ − 1)).
        real_gdp: p̂ / P̂ (ratio).
        flows_new: X' (N, N) ``[importer, exporter]``.
        iterations: iterations of the factory-gate price loop.
        residual: final max market-clearing residual.
    """

    price_hat: np.ndarray
    imr_hat: np.ndarray
    omr_hat: np.ndarray
    expenditure_hat: np.ndarray
    scale: float
    welfare: np.ndarray
    real_gdp: np.ndarray
    flows_new: np.ndarray
    iterations: int
    residual: float


def solve_endowment(
    flows: np.ndarray,
    sigma: float,
    cost_change: np.ndarray | None = None,
    phi: np.ndarray | None = None,
    *,
    reference: int | None = None,
    tol: float = 1e-13,
    max_iter: int = 100_000,
) -> EndowmentResult:
    """Solve the full-endowment Armington counterfactual (Yotov et al. 2016, ch. 2).

    Args:
        flows: (N, N) baseline flows ``X[importer, exporter]``, domestic sales on the diagonal.
        sigma: elasticity of substitution (> 1); the trade elasticity is σ − 1.
        cost_change: (N, N) ``t̂^(1−σ)[importer, exporter]`` (> 0; > 1 means lower costs).
            Default: no change.
        phi: (N,) expenditure/output ratios held fixed (up to the common factor s).
            Default: the baseline's ``E_n / Y_n``.
        reference: normalisation: ``None`` keeps world output unchanged; an index keeps that
            country's IMR (price index) unchanged.
        tol: convergence tolerance on the market-clearing residual.

    Raises:
        ValueError: bad inputs; RuntimeError: no convergence within ``max_iter``.
    """
    x = np.asarray(flows, dtype=float)
    n = x.shape[0]
    if x.shape != (n, n) or (x < 0).any() or not np.isfinite(x).all():
        raise ValueError("flows must be a finite non-negative square matrix [importer, exporter]")
    if sigma <= 1:
        raise ValueError("sigma must exceed 1")
    tau = np.ones((n, n)) if cost_change is None else np.asarray(cost_change, dtype=float)
    if tau.shape != (n, n) or (tau <= 0).any():
        raise ValueError("cost_change must be a positive (N, N) matrix")
    expenditure = x.sum(axis=1)  # E_n (importer)
    output = x.sum(axis=0)  # Y_i (exporter)
    if (expenditure <= 0).any() or (output <= 0).any():
        raise ValueError("every country must buy and sell something")
    phi = expenditure / output if phi is None else np.asarray(phi, dtype=float)
    pi = x / expenditure[:, None]  # π[n, i]
    sales_share = x / output[None, :]  # X[n, i] / Y_i
    world_output = output.sum()
    one_minus = 1.0 - sigma

    p = np.ones(n)
    residual = np.inf
    it = 0
    while it < max_iter:
        it += 1
        y_new = p * output
        s = y_new.sum() / (phi * y_new).sum()
        e_hat = phi * y_new * s / expenditure  # = p̂ s when φ is the baseline E/Y
        y_world_hat = y_new.sum() / world_output
        imr = (pi * tau * p[None, :] ** one_minus).sum(axis=1)  # P̂^(1−σ)
        omr = (sales_share * tau * (e_hat / imr)[:, None]).sum(axis=0) / y_world_hat  # Π̂^(1−σ)
        demand = p**one_minus * omr * y_world_hat  # Σ_n X'[n,i] / Y_i
        residual = float(np.max(np.abs(demand / p - 1.0)))
        if residual < tol:
            break
        p = (omr * y_world_hat) ** (1.0 / sigma)  # factory-gate price equation
        if reference is None:
            p = p * world_output / (p * output).sum()
        else:
            p_index = (pi[reference] * tau[reference] * p**one_minus).sum() ** (1.0 / one_minus)
            p = p / p_index
    if residual >= tol:
        raise RuntimeError(f"no convergence in {max_iter} iterations (residual {residual:.3g})")

    p_index = imr ** (1.0 / one_minus)
    flows_new = x * tau * p[None, :] ** one_minus / imr[:, None] * e_hat[:, None]
    return EndowmentResult(
        price_hat=p,
        imr_hat=p_index,
        omr_hat=omr ** (1.0 / one_minus),
        expenditure_hat=e_hat,
        scale=float(s),
        welfare=e_hat / p_index,
        real_gdp=p / p_index,
        flows_new=flows_new,
        iterations=it,
        residual=residual,
    )


def acr_welfare(
    flows_old: np.ndarray,
    flows_new: np.ndarray,
    sigma: float,
    cost_change: np.ndarray | None = None,
    scale: float = 1.0,
) -> np.ndarray:
    """ACR welfare change from domestic shares: ``s · (π̂_nn / t̂_nn^(1−σ))^(1/(1−σ))``.

    ``π_nn = X[n, n] / Σ_i X[n, i]``; with ``scale`` = 1 and no change in domestic costs this is
    Arkolakis, Costinot & Rodríguez-Clare's (2012) ``π̂_nn^(−1/ε)``, ε = σ − 1.
    """
    old = np.asarray(flows_old, dtype=float)
    new = np.asarray(flows_new, dtype=float)
    own_old = np.diag(old) / old.sum(axis=1)
    own_new = np.diag(new) / new.sum(axis=1)
    own_cost = np.ones(old.shape[0]) if cost_change is None else np.diag(np.asarray(cost_change, dtype=float))
    return scale * (own_new / own_old / own_cost) ** (1.0 / (1.0 - sigma))


def acr_check(flows: np.ndarray, result: EndowmentResult, sigma: float,
              cost_change: np.ndarray | None = None) -> float:
    """Max |Ŵ_solver − Ŵ_ACR| over countries (should be ~1e-13 at a converged solution)."""
    acr = acr_welfare(flows, result.flows_new, sigma, cost_change, result.scale)
    return float(np.max(np.abs(acr - result.welfare)))
