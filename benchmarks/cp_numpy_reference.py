"""Reference peer: a plain numpy transcription of Caliendo & Parro's (2015) algorithm.

This is the yardstick the tradewar engine is benchmarked against (speed and results). It is a
straightforward transcription of the solution method of Caliendo and Parro (2015, Review of
Economic Studies 82(1), Appendix; their MATLAB code ``equilibrium_LC.m`` / ``PH.m`` /
``expenditure.m``), written as an economist would write it in numpy: vectorised over
countries and sectors, plain loops over the algorithm's iterations, no acceleration.

Exact hat algebra (x̂ = x'/x; ``[n, i, j]`` = [importer, exporter, sector]):

* cost of inputs      ĉ[i,j] = ŵ[i]^β[i,j] · Π_k P̂[i,k]^γ[i,k,j]
* price index         P̂[n,j] = (Σ_i π[n,i,j] (κ̂[n,i,j] ĉ[i,j])^(−θ_j))^(−1/θ_j)
* trade shares        π'[n,i,j] = π[n,i,j] (κ̂[n,i,j] ĉ[i,j] / P̂[n,j])^(−θ_j)
* expenditure         X'[n,j] = Σ_k γ[n,j,k] Y'[n,k] + α[n,j] I'[n],
                      Y'[i,k] = Σ_n π'[n,i,k] X'[n,k] / (1 + τ'[n,i,k]),
                      I'[n] = ŵ[n] wL[n] + Σ_{i,j} τ'[n,i,j] π'[n,i,j] X'[n,j] / (1 + τ'[n,i,j]) + D'[n]
* trade balance       imports'[n] − exports'[n] = D'[n]  (equivalently ŵ wL = Σ_j β Y')

with κ̂ = (1 + τ') / (1 + τ) · d̂. Structure of the algorithm (as in CP's MATLAB code):

1. outer loop on wages: given ŵ, solve prices (inner loop 2), trade shares and
   expenditure (inner loop 3), then update ŵ with the trade-balance excess demand,
   ``ŵ ← ŵ · (1 + vfactor · ZW / VA)`` with ZW = exports − imports + D' (producer prices)
   and VA = wL; ŵ is renormalised so that world value added Σ ŵ wL = Σ wL (the numeraire of
   the R package cp2015). Stops when max_n |ZW_n| / VA_n < tol.
2. inner loop on prices: iterate (ĉ, P̂) to a fixed point (tolerance tol/1000).
3. inner loop on expenditure: iterate the linear system for X' to a fixed point
   (relative tolerance tol/1000).

The NAFTA experiment (section 5.1, zero aggregate deficits) runs two steps from the same
factual data, exactly as the R package cp2015 (paulofelipe/cp2015) does: a *baseline* with the
1993 tariffs and D' = 0 and a *counterfactual* with the NAFTA tariffs and D' = 0; results are
ratios counterfactual / baseline. Welfare is CP's decomposition (terms of trade + volume of
trade; the technical-efficiency term is zero here), as in the R package's ``compute_results``;
real wages are ŵ / P̂ − 1 with P̂ = Π_j P̂_j^α_j.

Independent of the tradewar engine on purpose; it only borrows the data loader.
Run: ``PYTHONPATH=src python benchmarks/cp_numpy_reference.py [DATA_DIR]``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

NAFTA = ("MEX", "CAN", "USA")


def _prices(w, kappa, pi0, theta, beta, gamma, p_start, tol, max_iter):
    """Inner loop: (ĉ, P̂) given ŵ. Returns c_hat (N,J), P_hat (N,J), iterations."""
    log_w = np.log(w)[:, None]
    p_hat = p_start.copy()
    it = 0
    while it < max_iter:
        it += 1
        log_c = beta * log_w + np.einsum("nkj,nk->nj", gamma, np.log(p_hat))
        c_hat = np.exp(log_c)
        # P̂[n,j] = (Σ_i π[n,i,j] (κ̂[n,i,j] ĉ[i,j])^(−θ_j))^(−1/θ_j)
        terms = pi0 * (kappa * c_hat[None, :, :]) ** (-theta)
        p_new = terms.sum(axis=1) ** (-1.0 / theta)
        gap = np.max(np.abs(p_new - p_hat))
        p_hat = p_new
        if gap < tol:
            break
    if gap >= tol:
        raise RuntimeError(f"price loop did not converge in {max_iter} iterations (gap {gap:.3g})")
    log_c = beta * log_w + np.einsum("nkj,nk->nj", gamma, np.log(p_hat))
    return np.exp(log_c), p_hat, it


def _expenditure(w, pi_new, tau_new, gamma, alpha, wl, deficit, x_start, tol, max_iter):
    """Inner loop: X' solving its linear system by fixed-point iteration. Returns X', iterations."""
    net = pi_new / (1.0 + tau_new)  # tariff-exclusive share of n's spending paid to i
    tariff_share = (pi_new * tau_new / (1.0 + tau_new)).sum(axis=1)  # [n, j]
    x = x_start.copy()
    it = 0
    while it < max_iter:
        it += 1
        y = np.einsum("nij,nj->ij", net, x)  # gross output Y'[i, j]
        income = w * wl + (tariff_share * x).sum(axis=1) + deficit
        x_new = np.einsum("njk,nk->nj", gamma, y) + alpha * income[:, None]
        gap = np.max(np.abs(x_new - x)) / np.max(np.abs(x_new))
        x = x_new
        if gap < tol:
            break
    if gap >= tol:
        raise RuntimeError(f"expenditure loop did not converge in {max_iter} iterations (gap {gap:.3g})")
    return x, it


def solve_cp_reference(
    pi: np.ndarray,
    tariffs: np.ndarray,
    theta: np.ndarray,
    va_share: np.ndarray,
    input_share: np.ndarray,
    final_share: np.ndarray,
    value_added: np.ndarray,
    expenditure: np.ndarray,
    tariffs_new: np.ndarray,
    deficit_new: np.ndarray,
    trade_cost_hat: np.ndarray | None = None,
    tol: float = 1e-7,
    vfactor: float = 0.3,
    max_outer: int = 20_000,
    max_inner: int = 10_000,
) -> dict[str, np.ndarray | int | float]:
    """Solve the CP (2015) counterfactual equilibrium by exact hat algebra.

    Args:
        pi: (N, N, J) baseline trade shares π[n, i, j] of tariff-inclusive spending.
        tariffs: (N, N, J) baseline tariffs τ (fractions).
        theta: (J,) trade elasticities.
        va_share: (N, J) β; input_share: (N, J, J) γ[n, k, j]; final_share: (N, J) α.
        value_added: (N,) wL, millions of USD.
        expenditure: (N, J) baseline X (start value of the expenditure loop).
        tariffs_new: (N, N, J) counterfactual tariffs τ'.
        deficit_new: (N,) counterfactual deficits D' (0 for CP's zero-deficit runs).
        trade_cost_hat: (N, N, J) iceberg-cost changes d̂ (default ones).
        tol: outer tolerance on max_n |ZW_n| / wL_n (inner loops use tol / 1000).
        vfactor: step of the wage update.

    Returns:
        dict with ``w_hat`` (N,), ``P_hat`` (N, J), ``c_hat`` (N, J), ``pi_new`` (N, N, J),
        ``X_new`` (N, J), ``income_new`` (N,), ``iterations`` (outer), ``price_iterations``
        and ``expenditure_iterations`` (totals over the run), ``max_excess`` (final criterion).
    """
    theta = np.asarray(theta, dtype=float)
    n_c, _, n_s = pi.shape
    d_hat = np.ones_like(pi) if trade_cost_hat is None else trade_cost_hat
    kappa = (1.0 + tariffs_new) / (1.0 + tariffs) * d_hat
    wl = np.asarray(value_added, dtype=float)
    deficit = np.asarray(deficit_new, dtype=float)
    inner_tol = tol * 1e-3

    w = np.ones(n_c)
    p_hat = np.ones((n_c, n_s))
    x = np.asarray(expenditure, dtype=float).copy()
    price_its = exp_its = 0
    outer = 0
    while outer < max_outer:
        outer += 1
        c_hat, p_hat, k = _prices(w, kappa, pi, theta, va_share, input_share, p_hat, inner_tol, max_inner)
        price_its += k
        pi_new = pi * (kappa * c_hat[None, :, :] / p_hat[:, None, :]) ** (-theta)
        x, k = _expenditure(w, pi_new, tariffs_new, input_share, final_share, wl, deficit, x,
                            inner_tol, max_inner)
        exp_its += k
        # trade balance at producer prices: ZW = exports − imports + D'
        sales = np.einsum("nij,nj->i", pi_new / (1.0 + tariffs_new), x)  # Σ_j Y'[i, j]
        purchases = (pi_new / (1.0 + tariffs_new) * x[:, None, :]).sum(axis=(1, 2))
        zw = sales - purchases + deficit
        excess = np.max(np.abs(zw) / wl)
        if excess < tol:
            break
        w = w * (1.0 + vfactor * zw / wl)
        w = w * wl.sum() / (w * wl).sum()  # numeraire: world value added unchanged
    if excess >= tol:
        raise RuntimeError(f"wage loop did not converge in {max_outer} iterations (excess {excess:.3g})")

    tariff_revenue = (pi_new * tariffs_new / (1.0 + tariffs_new) * x[:, None, :]).sum(axis=(1, 2))
    return {
        "w_hat": w,
        "P_hat": p_hat,
        "c_hat": c_hat,
        "pi_new": pi_new,
        "X_new": x,
        "income_new": w * wl + tariff_revenue + deficit,
        "iterations": outer,
        "price_iterations": price_its,
        "expenditure_iterations": exp_its,
        "max_excess": float(excess),
    }


def welfare_decomposition(bln: dict, cfl: dict, tau_bln, tau_cfl, d_bln, d_cfl, alpha):
    """CP's welfare decomposition (R package cp2015 ``compute_results``), in percent.

    With M[n,i,j] = X[n,j] π[n,i,j] / (1 + τ[n,i,j]) (imports of n from i, producer prices):

    * tot_n = Σ_{p,j} [M_bln[p,n,j] (ĉ[n,j] − 1) − M_bln[n,p,j] (ĉ[p,j] − 1)] / I_bln[n]
    * vot_n = Σ_{i,j} τ_bln[n,i,j] M_bln[n,i,j] (M_cfl/M_bln − ĉ[i,j]) / I_bln[n]
    * tech_n = −Σ_{i,j} M_bln (1 + τ_bln) (d_cfl/d_bln − 1) / I_bln[n]

    with ĉ = c_cfl / c_bln and I_bln the baseline-run income. Also returns the real wage
    change ŵ/P̂ − 1 with P̂ = Π_j (P_cfl/P_bln)^α.
    """
    c_hat = cfl["c_hat"] / bln["c_hat"]
    m_bln = bln["X_new"][:, None, :] * bln["pi_new"] / (1.0 + tau_bln)
    m_cfl = cfl["X_new"][:, None, :] * cfl["pi_new"] / (1.0 + tau_cfl)
    income = bln["income_new"]
    exports_term = np.einsum("pnj,nj->n", m_bln, c_hat - 1.0)  # Σ_p,j M[p,n,j] (ĉ[n,j] − 1)
    imports_term = np.einsum("npj,pj->n", m_bln, c_hat - 1.0)  # Σ_p,j M[n,p,j] (ĉ[p,j] − 1)
    tot = (exports_term - imports_term) / income * 100.0
    growth = np.divide(m_cfl, m_bln, out=np.zeros_like(m_bln), where=m_bln > 0)
    vot = (tau_bln * m_bln * (growth - c_hat[None, :, :])).sum(axis=(1, 2)) / income * 100.0
    tech = -(m_bln * (1.0 + tau_bln) * (d_cfl / d_bln - 1.0)).sum(axis=(1, 2)) / income * 100.0
    w_hat = cfl["w_hat"] / bln["w_hat"]
    p_index = np.prod((cfl["P_hat"] / bln["P_hat"]) ** alpha, axis=1)
    return {
        "tot": tot, "vot": vot, "tech": tech, "welfare": tot + vot + tech,
        "real_wage": (w_hat / p_index - 1.0) * 100.0, "w_hat": w_hat, "P_hat": p_index,
    }


def nafta_reference(data_dir: str | Path, tol: float = 1e-7) -> dict:
    """Run CP's NAFTA experiment (zero aggregate deficits) with the reference solver.

    Uses CP's own inputs (``trade_shares``, raw ``gamma``/``beta``, factual X) from
    :func:`tradewar.data._validation.load_cp2015`. Returns per-country arrays (``welfare``,
    ``tot``, ``vot``, ``tech``, ``real_wage``, percent) plus ``countries``, ``nafta`` (dict
    ISO3 → (welfare, real wage)), ``seconds`` (both solves) and the iteration counts.
    """
    from tradewar.data._validation import load_cp2015

    data = load_cp2015(data_dir)
    eco = data.economy
    common = dict(
        pi=data.trade_shares, tariffs=np.asarray(eco.tariffs), theta=np.asarray(eco.theta),
        va_share=data.va_share_raw, input_share=data.input_share_raw,
        final_share=np.asarray(eco.final_share), value_added=np.asarray(eco.value_added),
        expenditure=data.expenditure, tol=tol,
    )
    zero = np.zeros(eco.n_countries)
    start = time.perf_counter()
    bln = solve_cp_reference(tariffs_new=data.tariffs_baseline, deficit_new=zero,
                             trade_cost_hat=data.trade_cost_hat_baseline, **common)
    cfl = solve_cp_reference(tariffs_new=data.tariffs_counterfactual, deficit_new=zero,
                             trade_cost_hat=data.trade_cost_hat_counterfactual, **common)
    seconds = time.perf_counter() - start
    res = welfare_decomposition(bln, cfl, data.tariffs_baseline, data.tariffs_counterfactual,
                                data.trade_cost_hat_baseline, data.trade_cost_hat_counterfactual,
                                np.asarray(eco.final_share))
    countries = eco.countries
    res.update(
        countries=countries,
        nafta={c: (float(res["welfare"][countries.index(c)]),
                   float(res["real_wage"][countries.index(c)])) for c in NAFTA},
        seconds=seconds,
        iterations={"baseline": bln["iterations"], "counterfactual": cfl["iterations"]},
        inner_iterations={
            "baseline": (bln["price_iterations"], bln["expenditure_iterations"]),
            "counterfactual": (cfl["price_iterations"], cfl["expenditure_iterations"]),
        },
        published_welfare=data.published_welfare,
        published_real_wage=data.published_real_wage,
    )
    return res


def main(argv: list[str]) -> int:
    data_dir = argv[1] if len(argv) > 1 else str(Path(__file__).resolve().parents[2] / "shared" / "data")
    res = nafta_reference(data_dir)
    print("Caliendo-Parro (2015) NAFTA tariff reductions, zero aggregate deficits — numpy reference")
    print(f"{'':5}{'welfare %':>11}{'published':>11}{'real wage %':>13}{'published':>11}"
          f"{'ToT':>8}{'VoT':>8}")
    ok = True
    for c in NAFTA:
        k = res["countries"].index(c)
        wel, rw = res["welfare"][k], res["real_wage"][k]
        pw, pr = res["published_welfare"][c], res["published_real_wage"][c]
        ok &= abs(wel - pw) <= 0.01 and abs(rw - pr) <= 0.01
        print(f"{c:5}{wel:11.4f}{pw:11.2f}{rw:13.4f}{pr:11.2f}{res['tot'][k]:8.3f}{res['vot'][k]:8.3f}")
    print(f"outer (wage) iterations: {res['iterations']}; inner (price, expenditure) totals: "
          f"{res['inner_iterations']}")
    print(f"seconds (baseline + counterfactual solves): {res['seconds']:.2f}")
    print("reproduces published numbers within 0.01:", "yes" if ok else "NO")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
