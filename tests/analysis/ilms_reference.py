"""The stand-alone ILMS (2025) solver, kept as the independent reference of the engine-backed
configuration (tradewar.analysis.ilms solves on tradewar.model since issue 13 §1).

This is the solver that reproduced the published tables before the ILMS configuration moved onto
the engine: the 3N equations of the authors' ``Balanced_Trade_EQ`` (``main_baseline.m``)
written out directly and solved by MINPACK's hybrid Powell method (scipy ``root``), with the
authors' numeraire (sum_n E_n (P_hat_n - 1) = 0) and their treatment of transfers (T held as a
share of world GDP; the last country's income equation replaced by the numeraire). It shares no
equilibrium code with tradewar.model: only the calibrated data (``IlmsEconomy``), the options
and the result type.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.optimize import root

from tradewar.analysis.ilms import IlmsEconomy, IlmsEquilibrium, IlmsOptions, passthrough
from tradewar.errors import InvalidArrayError, NonConvergenceError

#: Residual tolerance (every condition in units of the country's GDP or expenditure).
TOL = 1e-9


def _system(x: np.ndarray, econ: IlmsEconomy, t: np.ndarray, o: IlmsOptions, phi: np.ndarray,
            full: bool = False) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    n = len(econ.countries)
    w, e_hat, l_hat = np.abs(x[:n]), np.abs(x[n:2 * n]), np.abs(x[2 * n:])
    eps, E, Y, nu = o.trade_elasticity, econ.expenditure, econ.gdp, econ.nu
    aux = econ.shares * ((w / l_hat ** o.scale_elasticity) ** -eps)[None, :] * (1 + t) ** (-eps * phi[:, None])
    s = aux.sum(axis=1)
    lam = aux / s[:, None]
    gdp_new = w * l_hat * Y
    spend = E * e_hat
    price = (e_hat / w) ** (1 - phi) * s ** (-1 / eps)
    flows = lam * spend[:, None] / (1 + t)
    revenue = (lam * (t / (1 + t))).sum(axis=1) * spend
    if o.revenue == "income-tax":
        tax = revenue / gdp_new
        tax_hat = 1 / (1 - tax)
    else:
        tax = np.zeros(n)
        tax_hat = np.ones(n)
    income = ((1 - nu)[:, None] * flows).sum(axis=0) + nu * flows.sum(axis=1)
    e1 = (income - gdp_new) / Y
    e1[-1] = ((price - 1) * E).sum() / E.sum()
    e2 = (revenue + gdp_new + econ.deficit * gdp_new.sum() / Y.sum() - spend) / E
    e3 = l_hat - (tax_hat * w / price) ** o.labour_supply_elasticity
    out: dict[str, np.ndarray] = {}
    if full:
        out = {"w": w, "e_hat": e_hat, "l_hat": l_hat, "price": price, "flows": flows,
               "revenue": revenue, "tax": tax, "gdp_new": gdp_new}
    return np.concatenate([e1, e2, e3]), out


def solve_ilms_reference(econ: IlmsEconomy, tariffs: np.ndarray, options: IlmsOptions | None = None, *,
               deficit: np.ndarray | None = None) -> IlmsEquilibrium:
    """Solve the ILMS equilibrium for new tariffs ``tariffs[n, i]`` (fractions, > −1; baseline 0).

    ``deficit`` (N,), millions USD, replaces the baseline transfers T (held as a share of world
    GDP) — the authors' Table 10 "balanced trade" variant removes each country's imbalance with
    the US this way; default: the calibrated T.

    Uses a Powell hybrid root finder (MINPACK ``hybrd``, as MATLAB's ``fsolve`` in spirit) on
    the 3N conditions scaled to units of GDP/expenditure; raises
    :class:`~tradewar.errors.NonConvergenceError` if the largest residual exceeds 1e-9.
    """
    o = options or IlmsOptions()
    n = len(econ.countries)
    t = np.asarray(tariffs, dtype=np.float64)
    if t.shape != (n, n):
        raise InvalidArrayError(f"tariffs: shape {t.shape}; expected ({n}, {n}) = [importer, exporter]")
    if not np.isfinite(t).all() or (t <= -1).any():
        raise InvalidArrayError("tariffs: must be finite fractions above -1 (0.25 = 25 %)")
    phi = passthrough(econ, o)
    if deficit is not None:
        d = np.asarray(deficit, dtype=np.float64)
        if d.shape != (n,) or not np.isfinite(d).all():
            raise InvalidArrayError(f"deficit: expected {n} finite numbers (millions USD), got shape {d.shape}")
        from dataclasses import replace

        econ = replace(econ, deficit=d)
    start = time.perf_counter()
    sol = root(lambda x: _system(x, econ, t, o, phi)[0], np.ones(3 * n), method="hybr",
               options={"xtol": 1e-13, "maxfev": 200 * (3 * n + 1)})
    resid, q = _system(sol.x, econ, t, o, phi, full=True)
    max_res = float(np.abs(resid).max())
    if max_res > TOL:
        raise NonConvergenceError(f"ILMS equilibrium did not converge (largest residual {max_res:.2e} > {TOL:g}; "
                                  f"{sol.message})")
    E, Y, k = econ.expenditure, econ.gdp, o.labour_supply_elasticity
    w, e_hat, l_hat, price, flows = q["w"], q["e_hat"], q["l_hat"], q["price"], q["flows"]
    delta = E / (E - k * (1 - q["tax"]) * Y / (1 + k))
    welfare = delta * e_hat / price + (1 - delta) * w * l_hat / price
    off = 1.0 - np.eye(n)
    base = econ.flows
    deficit0 = base.sum(axis=1) - base.sum(axis=0)
    deficit1 = flows.sum(axis=1) - flows.sum(axis=0)
    exports0, exports1 = (base * off).sum(axis=0) / Y, (flows * off).sum(axis=0) / q["gdp_new"]
    imports0, imports1 = (base * off).sum(axis=1) / Y, (flows * off).sum(axis=1) / q["gdp_new"]
    trade1 = (flows * (1 + t) * off).sum() / (base * off).sum()
    world_trade = 100 * (trade1 / (q["gdp_new"].sum() / Y.sum()) - 1)
    return IlmsEquilibrium(
        countries=econ.countries, tariffs=t, w_hat=w, E_hat=e_hat, L_hat=l_hat, P_hat=price,
        welfare_pct=100 * (welfare - 1), real_income_pct=100 * (e_hat / price - 1),
        deficit_change_pct=100 * (deficit1 - deficit0) / np.abs(deficit0),
        exports_gdp_pct=100 * (exports1 / exports0 - 1), imports_gdp_pct=100 * (imports1 / imports0 - 1),
        employment_pct=100 * (l_hat - 1), price_pct=100 * (price - 1), revenue_share=q["revenue"] / E,
        flows_new=flows, world_trade_gdp_pct=float(world_trade), converged=True, max_residual=max_res,
        evaluations=int(sol.nfev), seconds=time.perf_counter() - start,
    )
