"""The equilibrium conditions of Caliendo & Parro (2015) in changes, written once.

Every function takes the array namespace ``xp`` (``numpy`` or ``jax.numpy``) so that the same
kernel serves the fast numpy solver and the JAX implicit gradients (one implementation of each
kernel; see docs/design/solver.md). All arrays carry a leading batch axis ``b``.

Notation (Caliendo & Parro 2015, section 3; Dekle, Eaton & Kortum 2007):
``w_hat[b, n]`` wage (value-added price) change, ``P_hat[b, n, j]`` sectoral price-index
change, ``c_hat[b, i, j]`` input-bundle cost change, ``pi_new[b, n, i, j]`` new trade shares,
``X_new[b, n, j]`` new tariff-inclusive expenditure (millions of USD).

State vector of the fixed point: ``(log w_hat, log P_hat, X_new / I0[n])`` — logs keep prices
positive and make the state scale-free; expenditure is measured in units of each country's
baseline income ``I0`` so every component is O(1).
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Params(NamedTuple):
    """Baseline quantities the map needs (no batch axis unless stated).

    pi0 (N,N,J) baseline trade shares; theta (J,); beta (N,J); gamma (N,J,J) [n, input k,
    sector j]; alpha (N,J); va0 (N,) baseline value added; income0 (N,) baseline income;
    phi (N,) baseline expenditure/value-added ratio (proportional closure);
    tariffs0 (N,N,J); kappa (scalar or None) the labour-supply elasticity: employment
    L_hat = (w_hat / P_hat_cpi)^kappa; None (the default) = fixed employment, the standard
    model, whose code path is then exactly the one without the option.

    Optional elements of Ignatenko, Lashkaripour, Macedoni & Simonovska (2025), each None by
    default (and then skipped, so every result without them is bit-for-bit unchanged); the
    first two need kappa and make employment part of the state (:func:`has_labour_state`):

    * ``scale`` (scalar) psi, the scale elasticity: costs fall with employment,
      c_hat = w_hat^beta prod_k P_hat^gamma * L_hat^(-psi);
    * ``income_tax`` (N,) the baseline tariff revenue per unit of value added, R/va (0 for a
      baseline without tariffs): tariff revenue replaces an income tax, so the after-tax wage
      changes by tau_hat = (1 - R/va) / (1 - R'/va') and L_hat = (tau_hat w_hat /
      P_hat_cpi)^kappa (ILMS: tau_hat = 1 / (1 - R'/va'));
    * ``passthrough`` (N,) phi_n, the importer's tariff pass-through: the tariff ratio enters
      trade shares as ((1+tau')/(1+tau))^(-theta phi_n) and the price index becomes
      P_hat[n,j] = S[n,j]^(-1/theta_j) (I_hat_n / w_hat_n)^(1 - phi_n), S the CES sum that
      normalises the shares;
    * ``buyer_share`` (N,) nu_n, the share of every purchase of market n (at producer prices)
      that accrues as value added to the buyer n rather than to the seller: value added
      va_i = sum_{n,j} (1 - nu_n) M'[n,i,j] + nu_i sum_{k,j} M'[i,k,j] (economies without
      intermediate inputs, beta = 1).
    """

    pi0: Any
    theta: Any
    beta: Any
    gamma: Any
    alpha: Any
    va0: Any
    income0: Any
    phi: Any
    tariffs0: Any
    kappa: Any = None
    scale: Any = None
    income_tax: Any = None
    passthrough: Any = None
    buyer_share: Any = None


def has_labour_state(p: Params) -> bool:
    """Whether employment is part of the fixed-point state (log L_hat, (B, N) after the
    expenditure block): with scale economies or the income-tax variant, L_hat is no longer a
    closed-form function of wages and prices."""
    return p.kappa is not None and (p.scale is not None or p.income_tax is not None)


class Terms(NamedTuple):
    """Per-scenario constants, bilateral arrays laid out ``[b, j, n, i]`` (sector-major, so
    every sum over partners is a batched matrix-vector product).

    ``shifted = pi0 * (kappa_hat * d_hat)^(-theta)``; ``shifted_net = shifted / (1 + tau')``
    (the producer's part of spending); ``shifted_tax = shifted * tau' / (1 + tau')`` (the
    tariff's part); ``deficit[b, n]`` for the fixed/given closures; ``proportional`` flags the
    E/Y closure (python bool). With export taxes ``t'`` (``export_tax``), ``kappa_hat`` also
    carries ``(1 + t')``, ``shifted_net = shifted / ((1 + tau')(1 + t'))`` and
    ``shifted_export = shifted t' / ((1 + tau')(1 + t'))`` is the exporter's tax revenue per
    unit of the importer's spending; ``shifted_export`` is ``None`` without export taxes (and
    the computation is skipped, so tariff-only results are bit-for-bit unchanged)."""

    shifted: Any
    shifted_net: Any
    shifted_tax: Any
    deficit: Any
    proportional: bool
    shifted_export: Any = None


def scenario_terms(xp: Any, p: Params, tariffs_new: Any, trade_cost_hat: Any, deficit: Any,
                   proportional: bool, export_tax: Any = None, blocked: Any = None) -> Terms:
    """Constants of a batch of scenarios; ``tariffs_new`` and ``trade_cost_hat`` are
    ``[b, importer, exporter, sector]`` (B, N, N, J).

    ``export_tax`` (same layout, fractions > -1, baseline 0): tax of exporter i on its sales to
    n, levied on the producer price; the importer's tariff is levied on the tax-inclusive
    price, so the price n pays is ``(1 + tau')(1 + t') d c_i``. ``blocked`` (same layout,
    bool): flows prohibited outright (an export ban); their shares are exactly zero.
    """
    if p.passthrough is None:
        kappa_hat = (1.0 + tariffs_new) / (1.0 + p.tariffs0) * trade_cost_hat
        if export_tax is not None:
            kappa_hat = kappa_hat * (1.0 + export_tax)
        shifted = p.pi0 * kappa_hat ** (-p.theta)
    else:                   # the importer passes phi_n of the tariff through: ratio^(-theta phi_n)
        other = trade_cost_hat if export_tax is None else trade_cost_hat * (1.0 + export_tax)
        tariff_ratio = (1.0 + tariffs_new) / (1.0 + p.tariffs0)
        shifted = (p.pi0 * tariff_ratio ** (-p.theta * p.passthrough[:, None, None])
                   * other ** (-p.theta))
    if blocked is not None:
        shifted = xp.where(blocked, 0.0, shifted)
    net = 1.0 / (1.0 + tariffs_new)
    shifted = xp.transpose(shifted, (0, 3, 1, 2))
    net = xp.transpose(net, (0, 3, 1, 2))
    if export_tax is None:
        return Terms(shifted=shifted, shifted_net=shifted * net, shifted_tax=shifted * (1.0 - net),
                     deficit=deficit, proportional=proportional)
    export_net = xp.transpose(1.0 / (1.0 + export_tax), (0, 3, 1, 2))
    at_border = shifted * net                       # spending net of the tariff (tax-inclusive)
    return Terms(shifted=shifted, shifted_net=at_border * export_net, shifted_tax=shifted * (1.0 - net),
                 deficit=deficit, proportional=proportional,
                 shifted_export=at_border * (1.0 - export_net))


def input_cost(xp: Any, p: Params, log_w: Any, log_P: Any, log_L: Any = None) -> Any:
    """log c_hat[b,i,j] = beta log w_hat + sum_k gamma[i,k,j] log P_hat[i,k]
    (- psi log L_hat[b,i] with scale economies, ``p.scale``)."""
    log_c = p.beta * log_w[..., None] + xp.einsum("ikj,bik->bij", p.gamma, log_P)
    if p.scale is not None and log_L is not None:
        log_c = log_c - p.scale * log_L[..., None]
    return log_c


def _matvec(a: Any, v: Any) -> Any:
    """sum_i a[b, j, n, i] v[b, j, i] -> [b, j, n]."""
    return (a @ v[..., None])[..., 0]


def _vecmat(v: Any, a: Any) -> Any:
    """sum_n v[b, j, n] a[b, j, n, i] -> [b, j, i]."""
    return (v[..., None, :] @ a)[..., 0, :]


def evaluate(xp: Any, p: Params, t: Terms, log_w: Any, log_P: Any, x_scaled: Any,
             log_L: Any = None) -> dict[str, Any]:
    """One pass through the equilibrium conditions at a state; returns the derived quantities.

    ``log_L`` (B,N): employment, part of the state when :func:`has_labour_state`; the keys
    ``log_L`` and ``log_L_new`` (employment implied by labour supply at the state) and
    ``tax_rate`` (R'/va with ``income_tax``, else None) are then returned too; ``log_S``
    (B,N,J) is -log(S)/theta, the log of the CES index that normalises trade shares (equal to
    ``log_P_new`` without ``passthrough``).

    Keys: ``log_c`` (B,N,J); ``log_P_new`` (price-index condition); ``X`` (expenditure,
    millions USD); ``Y_new`` (output at producer prices, (B,N,J)); ``revenue`` (tariff revenue
    of the importer), ``export_revenue`` (export-tax revenue of the exporter), ``deficit``,
    ``income`` (= va + revenue + export_revenue + deficit), ``va`` (value added
    w_hat L_hat wL), ``labour`` (employment L_hat) and ``log_cpi`` (B,N; None with fixed
    employment); ``X_implied``
    (expenditure implied by the goods-market condition) and
    ``va_implied`` (value added implied by the labour-market condition). Bilateral results
    come from :func:`bilateral`.
    """
    state_labour = has_labour_state(p)
    log_c = input_cost(xp, p, log_w, log_P, log_L if state_labour else None)
    cost_term = xp.exp(-p.theta * log_c)                            # c_hat^(-theta), (B,N,J)
    cost_t = xp.transpose(cost_term, (0, 2, 1))                     # (B,J,i)
    price_t = _matvec(t.shifted, cost_t)                            # P_hat^(-theta), (B,J,n)
    log_P_new = -xp.log(xp.transpose(price_t, (0, 2, 1))) / p.theta
    log_S = log_P_new
    X = x_scaled * p.income0[:, None]
    demand_t = xp.transpose(X, (0, 2, 1)) / price_t                 # X'/P^(-theta), (B,J,n)
    Y_new = xp.transpose(_vecmat(demand_t, t.shifted_net) * cost_t, (0, 2, 1))
    revenue = (_matvec(t.shifted_tax, cost_t) * demand_t).sum(axis=1)
    log_L_new = tax_rate = None
    if p.kappa is None:                                             # fixed employment
        labour = log_cpi = None
        va = xp.exp(log_w) * p.va0
    elif state_labour:                    # employment in the state: L_hat' from labour supply
        log_cpi = (p.alpha * log_P).sum(axis=2)
        labour = xp.exp(log_L)
        va = xp.exp(log_w) * labour * p.va0
        log_real = log_w - log_cpi
        if p.income_tax is not None:      # revenue cuts the income tax: after-tax wage x tau_hat
            tax_rate = revenue / va
            log_real = log_real - (xp.log(1.0 - tax_rate) - xp.log(1.0 - p.income_tax))
        log_L_new = p.kappa * log_real
    else:                                 # elastic labour supply: L_hat = (w_hat / P_hat_cpi)^kappa
        log_cpi = (p.alpha * log_P).sum(axis=2)
        labour = xp.exp(p.kappa * (log_w - log_cpi))
        va = xp.exp(log_w) * labour * p.va0
    if t.shifted_export is None:
        export_revenue = xp.zeros_like(va)
    else:
        # export-tax revenue accrues to the exporter i: sum_{n,j} t'/(1+t') E'[n,i,j]/(1+tau')
        export_revenue = (_vecmat(demand_t, t.shifted_export) * cost_t).sum(axis=1)
    if t.proportional:
        # expenditure/value-added ratios phi fixed up to one world factor s (sum of D' = 0)
        s = va.sum(axis=1, keepdims=True) / (p.phi * va).sum(axis=1, keepdims=True)
        deficit = (p.phi * s - 1.0) * va
    else:
        deficit = t.deficit
    income = va + revenue + deficit
    if t.shifted_export is not None:
        income = income + export_revenue
    X_implied = xp.einsum("njk,bnk->bnj", p.gamma, Y_new) + p.alpha * income[:, :, None]
    if p.buyer_share is None:
        va_implied = (p.beta * Y_new).sum(axis=2)
    else:        # (1 - nu_n) of market n's purchases to the seller, nu_n to the buyer (beta = 1)
        keep_t = (1.0 - p.buyer_share)[None, None, :]
        sellers = (_vecmat(demand_t * keep_t, t.shifted_net) * cost_t).sum(axis=1)
        purchases = (_matvec(t.shifted_net, cost_t) * demand_t).sum(axis=1)
        va_implied = sellers + p.buyer_share * purchases
    if p.passthrough is not None:  # ILMS's price index: S^(-1/theta) (I_hat / w_hat)^(1 - phi)
        log_P_new = log_S + ((1.0 - p.passthrough) * (xp.log(income / p.income0) - log_w))[:, :, None]
    return {
        "log_c": log_c, "log_P_new": log_P_new, "X": X, "Y_new": Y_new, "revenue": revenue,
        "deficit": deficit, "income": income, "X_implied": X_implied, "va_implied": va_implied,
        "va": va, "export_revenue": export_revenue, "labour": labour, "log_cpi": log_cpi,
        "log_S": log_S, "log_L": log_L if state_labour else None, "log_L_new": log_L_new,
        "tax_rate": tax_rate,
    }


def bilateral(xp: Any, t: Terms, log_c: Any, log_P: Any, X: Any, theta: Any) -> tuple[Any, Any]:
    """New trade shares ``pi'[b,n,i,j]`` and flows at producer prices ``M'[b,n,i,j]``."""
    cost_t = xp.transpose(xp.exp(-theta * log_c), (0, 2, 1))       # (B,J,i)
    price_t = xp.transpose(xp.exp(-theta * log_P), (0, 2, 1))      # (B,J,n)
    pi_t = t.shifted * cost_t[:, :, None, :] / price_t[..., None]
    sales_t = t.shifted_net * cost_t[:, :, None, :] / price_t[..., None] * xp.transpose(X, (0, 2, 1))[..., None]
    return xp.transpose(pi_t, (0, 2, 3, 1)), xp.transpose(sales_t, (0, 2, 3, 1))


def fixed_point_map(xp: Any, p: Params, t: Terms, log_w: Any, log_P: Any, x_scaled: Any,
                    log_L: Any = None) -> tuple[Any, Any, Any, dict[str, Any]]:
    """G(z): the next state implied by the equilibrium conditions at state z.

    Wages follow the labour-market condition ``w_hat L_hat wL = sum_j beta Y'`` (with
    ``L_hat = (w_hat / P_hat_cpi)^kappa``: ``log w_hat = (log(va_implied / wL) + kappa log
    P_hat_cpi) / (1 + kappa)``) and are then normalised so world value added is unchanged (the
    numeraire). With employment in the state (:func:`has_labour_state`, ``log_L`` given) the
    next employment is ``ev["log_L_new"]`` (labour supply at the state) and wages follow
    ``log w_hat = log(va_implied / wL) - log L_hat'``.
    """
    ev = evaluate(xp, p, t, log_w, log_P, x_scaled, log_L)
    log_w_new = xp.log(ev["va_implied"] / p.va0)
    if ev["log_L_new"] is not None:
        log_w_new = log_w_new - ev["log_L_new"]
    elif p.kappa is not None:
        log_w_new = (log_w_new + p.kappa * ev["log_cpi"]) / (1.0 + p.kappa)
    world = xp.log(ev["va_implied"].sum(axis=1, keepdims=True) / p.va0.sum())
    log_w_new = log_w_new - world
    x_new = ev["X_implied"] / p.income0[:, None]
    return log_w_new, ev["log_P_new"], x_new, ev


def condition_residuals(xp: Any, p: Params, ev: dict[str, Any], log_P: Any) -> dict[str, Any]:
    """Largest violation of each equilibrium condition per scenario, (B,) each.

    price_index: |log P_hat - log P_hat(c_hat)|; goods_market: |X' - gamma Y' - alpha I'| in
    units of the country's baseline income; labour_market: |sum_j beta Y' - w_hat wL| in units
    of its baseline value added (equivalent to the trade-balance condition).
    """
    price = xp.abs(ev["log_P_new"] - log_P).max(axis=(1, 2))
    goods = (xp.abs(ev["X_implied"] - ev["X"]) / p.income0[:, None]).max(axis=(1, 2))
    labour = (xp.abs(ev["va_implied"] - ev["va"]) / p.va0).max(axis=1)
    out = {"price_index": price, "goods_market": goods, "labour_market": labour}
    if ev.get("log_L_new") is not None:   # employment in the state: |log L_hat - labour supply|
        out["labour_supply"] = xp.abs(ev["log_L_new"] - ev["log_L"]).max(axis=1)
    return out
