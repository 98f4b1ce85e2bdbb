"""Solve counterfactual equilibria: one scenario or a batch on one baseline.

The solver iterates the equilibrium map of :mod:`tradewar.model._kernels` with batched
Anderson acceleration (numpy, float64). Single solves raise
:class:`~tradewar.errors.NonConvergenceError`; batch solves return every lane with its own
diagnostics (``raise_on_failure=False``) so sweeps can record failures as rows.
"""

from __future__ import annotations

import time
import weakref
from typing import Any

import numpy as np

from ..errors import InvalidArrayError, UnknownNameError, raise_if_failed
from ..options import DEFICIT_CLOSURES
from . import _kernels as K
from ._anderson import FixedPointOutcome, anderson_solve
from ._economy import Economy, check_array, check_tariffs
from ._options import STANDARD, LabourMarketOptions, check_model_options
from ._plausibility import check_plausibility
from ._results import Equilibrium, SolverDiagnostics

#: Default convergence tolerance on the largest change of the state (log prices, expenditure
#: in units of baseline income) between iterations.
DEFAULT_TOL = 1e-11
DEFAULT_MAX_ITER = 5000
#: How the equilibrium map is executed: the same kernel through numpy or jitted JAX
#: (docs/design/solver.md has the measurements).
BACKENDS = ("numpy", "jax")

_PURGED: weakref.WeakKeyDictionary[Economy, Equilibrium] = weakref.WeakKeyDictionary()


def model_params(economy: Economy, labour_supply: float = 0.0,
                 options: LabourMarketOptions = STANDARD) -> K.Params:
    """The baseline constants of the equilibrium map (plain numpy arrays); ``labour_supply``
    is the elasticity kappa of employment to the real wage (0: fixed employment); ``options``
    the checked optional elements (:func:`check_model_options`). Scale economies and the
    income-tax variant act through employment: with fixed employment they are left out."""
    va0 = np.asarray(economy.value_added)
    deficit0 = np.asarray(economy.deficit)
    elastic = labour_supply != 0
    return K.Params(
        pi0=economy.trade_shares, theta=economy.theta, beta=economy.va_share,
        gamma=economy.input_share, alpha=economy.final_share, va0=va0,
        income0=economy.income, phi=(va0 + deficit0) / va0, tariffs0=economy.tariffs,
        kappa=None if labour_supply == 0 else np.float64(labour_supply),
        scale=np.float64(options.scale_elasticity) if elastic and options.scale_elasticity != 0 else None,
        income_tax=economy.tariff_revenue / va0 if elastic and options.revenue_use == "income-tax" else None,
        passthrough=options.passthrough, buyer_share=options.buyer_share,
    )


#: Largest labour-supply elasticity accepted (estimates of the Frisch elasticity lie in 0-4).
MAX_LABOUR_SUPPLY = 10.0


def check_labour_supply(value: Any) -> float:
    """``value`` as a float in [0, MAX_LABOUR_SUPPLY]; else InvalidArrayError naming the option."""
    try:
        kappa = float(value)
    except (TypeError, ValueError):
        kappa = float("nan")
    if not np.isfinite(kappa) or not 0.0 <= kappa <= MAX_LABOUR_SUPPLY:
        raise InvalidArrayError(
            f"labour_supply is {value!r}; allowed: a number in [0, {MAX_LABOUR_SUPPLY:g}] (the elasticity of "
            "employment to the real wage; 0 = fixed employment, ILMS 2025 use 0.5)")
    return kappa


def _as_batch(name: str, values: Any, economy: Economy, default: np.ndarray) -> np.ndarray:
    if values is None:
        return default[None]
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 3:
        arr = arr[None]
    if arr.ndim != 4:
        raise InvalidArrayError(f"{name}: expected shape (N, N, J) or (B, N, N, J), got {arr.shape}")
    for b in range(arr.shape[0]):
        if name == "tariffs":
            check_tariffs(f"{name}[scenario {b}]", arr[b], economy.countries, economy.sectors)
        else:
            axes = (("importer", economy.countries), ("exporter", economy.countries), ("sector", economy.sectors))
            check_array(f"{name}[scenario {b}]", arr[b], default.shape, axes, lower=0.0,
                        lower_inclusive=False, allowed="(trade-cost change factors, 1 = no change)")
    return arr


def _export_batch(export_tax: Any, blocked: Any, economy: Economy, batch: int
                  ) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Checked export taxes (fractions > -1) and export bans (bool), (B, N, N, J) or None."""
    shape = (batch,) + economy.tariffs.shape
    axes = (("importer", economy.countries), ("exporter", economy.countries), ("sector", economy.sectors))
    tax = None
    if export_tax is not None:
        arr = np.asarray(export_tax, dtype=np.float64)
        arr = arr[None] if arr.ndim == 3 else arr
        if arr.ndim != 4:
            raise InvalidArrayError(f"export_tax: expected shape (N, N, J) or (B, N, N, J), got {arr.shape}")
        for b in range(arr.shape[0]):
            check_array(f"export_tax[scenario {b}]", arr[b], economy.tariffs.shape, axes, lower=-1.0,
                        lower_inclusive=False,
                        allowed="(export taxes are fractions of the producer price: 0.25 = 25 %, must exceed -1)")
        tax = np.broadcast_to(arr, shape).copy()
    ban = None
    if blocked is not None:
        arr_b = np.asarray(blocked)
        if arr_b.dtype != np.bool_:
            raise InvalidArrayError(f"blocked: expected a boolean array (True = flow prohibited), got dtype {arr_b.dtype}")
        arr_b = arr_b[None] if arr_b.ndim == 3 else arr_b
        if arr_b.ndim != 4 or arr_b.shape[1:] != economy.tariffs.shape:
            raise InvalidArrayError(f"blocked: expected shape (N, N, J) or (B, N, N, J), got {arr_b.shape}")
        idx = np.arange(economy.n_countries)
        if arr_b[:, idx, idx, :].any():
            b, k, s_ = (int(v) for v in np.argwhere(arr_b[:, idx, idx, :])[0])
            raise InvalidArrayError(
                f"blocked[scenario {b}][importer={economy.countries[k]}, exporter={economy.countries[k]}, "
                f"sector={economy.sectors[s_]}] is True; allowed: only flows between two different economies")
        ban = np.broadcast_to(arr_b, shape).copy()
    return tax, ban


def _deficits(economy: Economy, closure: str, deficits_new: Any, batch: int) -> tuple[np.ndarray, bool]:
    n = economy.n_countries
    if closure == "fixed":
        return np.broadcast_to(np.asarray(economy.deficit), (batch, n)).copy(), False
    if closure == "proportional":
        return np.zeros((batch, n)), True
    if closure == "zero":
        return np.zeros((batch, n)), False
    if closure == "given":
        if deficits_new is None:
            raise InvalidArrayError("deficits_new: required with deficits='given' (an (N,) array of new deficits, millions USD, summing to 0)")
        arr = np.asarray(deficits_new, dtype=np.float64)
        arr = np.broadcast_to(arr, (batch, n)).copy() if arr.ndim == 1 else arr
        for b in range(batch):
            check_array(f"deficits_new[scenario {b}]", arr[b], (n,), (("country", economy.countries),),
                        allowed="(millions of USD)")
        total = np.abs(arr.sum(axis=1)).max()
        if total > 1e-8 * np.asarray(economy.value_added).sum():
            raise InvalidArrayError(f"deficits_new: sums to {total:.6g} million USD; allowed: 0 (world deficits net out)")
        return arr, False
    raise UnknownNameError("deficit closure", closure, DEFICIT_CLOSURES)


def solve_batch(
    economy: Economy,
    tariffs: Any = None,
    *,
    trade_cost_hat: Any = None,
    deficits: str = "fixed",
    deficits_new: Any = None,
    tol: float = DEFAULT_TOL,
    max_iter: int = DEFAULT_MAX_ITER,
    raise_on_failure: bool = False,
    backend: str = "numpy",
    export_tax: Any = None,
    blocked: Any = None,
    labour_supply: float = 0.0,
    scale_elasticity: float = 0.0,
    passthrough: Any = None,
    buyer_share: Any = None,
    revenue_use: str = "lump-sum",
) -> list[Equilibrium]:
    """Solve B scenarios on one baseline in one vectorised iteration.

    Parameters
    ----------
    economy : Economy
        The baseline.
    tariffs : array (B, N, N, J) or (N, N, J), optional
        New tariffs (fractions); default: baseline tariffs.
    trade_cost_hat : array like ``tariffs``, optional
        Changes in non-tariff (iceberg) trade costs ``d_hat``; default 1.
    deficits : {"fixed", "zero", "proportional", "given"}
        Deficit closure (see :data:`tradewar.options.DeficitClosure`).
    deficits_new : array (N,) or (B, N), optional
        New deficits in millions USD for ``deficits="given"``.
    raise_on_failure : bool
        Raise :class:`NonConvergenceError` if any lane fails (default: report per lane).
    backend : {"numpy", "jax"}
        Execute the equilibrium map with numpy or jitted JAX (same kernel, same results to
        rounding; JAX pays ~1 s of compilation per shape, then runs each step faster).
    export_tax : array like ``tariffs``, optional
        New export taxes ``t'[n, i, j]`` of exporter i on its sales to n (fractions of the
        producer price, > -1; baseline 0); the revenue accrues to the exporter i. Default: none
        (the computation is skipped: results identical to a tariff-only solve).
    blocked : bool array like ``tariffs``, optional
        Flows prohibited outright (an export ban / prohibitive export control): their trade
        shares are exactly zero. No rents arise (nothing is sold). Off-diagonal cells only.
    labour_supply : float
        Elasticity kappa of employment to the real wage, ``L_hat = (w_hat / P_hat)^kappa``
        (0, the default: fixed employment; ILMS 2025 use 0.5). Value added becomes
        ``w_hat L_hat wL``; results gain ``employment_pct`` and ``welfare_utility_pct``.
    scale_elasticity, passthrough, buyer_share, revenue_use
        The optional elements of ILMS (2025) (:class:`LabourMarketOptions`; docs/model.md):
        scale economies psi (costs x L_hat^(-psi)), each importer's tariff pass-through phi_n,
        the buyer's share nu_n of every purchase in value added (no intermediate inputs), and
        tariff revenue cutting an income tax (``income-tax``) instead of a lump-sum rebate.
        Defaults: the standard model, bit-for-bit. ``psi`` and ``income-tax`` act through
        employment (no effect with ``labour_supply = 0``) and make employment part of the
        solver's state; they need ``backend="numpy"``.

    Returns
    -------
    list of Equilibrium, one per scenario, each with its diagnostics.
    """
    if deficits not in DEFICIT_CLOSURES:
        raise UnknownNameError("deficit closure", deficits, DEFICIT_CLOSURES)
    kappa = check_labour_supply(labour_supply)
    options = check_model_options(economy, scale_elasticity=scale_elasticity, passthrough=passthrough,
                                  buyer_share=buyer_share, revenue_use=revenue_use)
    tariffs_b = _as_batch("tariffs", tariffs, economy, economy.tariffs)
    batch = tariffs_b.shape[0]
    d_hat_b = _as_batch("trade_cost_hat", trade_cost_hat, economy, np.ones_like(economy.tariffs))
    if d_hat_b.shape[0] != batch:
        d_hat_b = np.broadcast_to(d_hat_b, tariffs_b.shape)
    if export_tax is not None or blocked is not None:
        lens = {len(a) if np.ndim(a) == 4 else 1 for a in (export_tax, blocked) if a is not None}
        if batch == 1 and max(lens) > 1:
            batch = max(lens)
            tariffs_b = np.broadcast_to(tariffs_b, (batch,) + tariffs_b.shape[1:])
            d_hat_b = np.broadcast_to(d_hat_b, tariffs_b.shape)
    export_b, blocked_b = _export_batch(export_tax, blocked, economy, batch)
    purge = None
    reference = economy
    if deficits == "zero":
        purge = purged_economy(economy, tol=tol, max_iter=max_iter, labour_supply=kappa,
                               **_option_kwargs(options))
        reference = economy_after(purge)
        if options.buyer_share is not None:  # the purged economy's value added is its GDP with nu
            options = check_model_options(reference, **_option_kwargs(options))
    deficit_b, proportional = _deficits(reference, deficits, deficits_new, batch)
    results = _solve_lanes(reference, tariffs_b, d_hat_b, deficit_b, proportional, deficits, tol, max_iter,
                           backend, export_b, blocked_b, kappa, options)
    if purge is not None:
        results = [_with_purge(r, purge) for r in results]
    if raise_on_failure:
        for b, res in enumerate(results):
            _raise_if_failed(res, f"scenario {b}")
    return results


def solve(
    economy: Economy,
    tariffs: Any = None,
    *,
    trade_cost_hat: Any = None,
    deficits: str = "fixed",
    deficits_new: Any = None,
    tol: float = DEFAULT_TOL,
    max_iter: int = DEFAULT_MAX_ITER,
    backend: str = "numpy",
    export_tax: Any = None,
    blocked: Any = None,
    labour_supply: float = 0.0,
    scale_elasticity: float = 0.0,
    passthrough: Any = None,
    buyer_share: Any = None,
    revenue_use: str = "lump-sum",
) -> Equilibrium:
    """Solve one counterfactual; raises :class:`NonConvergenceError` if it does not converge.

    See :func:`solve_batch` for the parameters. ``tariffs`` is (N, N, J).
    """
    for name, arr in (("tariffs", tariffs), ("export_tax", export_tax), ("blocked", blocked)):
        if arr is not None and np.asarray(arr).ndim != 3:
            raise InvalidArrayError(f"{name}: expected shape (N, N, J) for a single solve, got {np.asarray(arr).shape}")
    (result,) = solve_batch(economy, tariffs, trade_cost_hat=trade_cost_hat, deficits=deficits,
                            deficits_new=deficits_new, tol=tol, max_iter=max_iter,
                            raise_on_failure=True, backend=backend, export_tax=export_tax,
                            blocked=blocked, labour_supply=labour_supply, scale_elasticity=scale_elasticity,
                            passthrough=passthrough, buyer_share=buyer_share, revenue_use=revenue_use)
    return result


def _option_kwargs(options: LabourMarketOptions) -> dict[str, Any]:
    return {"scale_elasticity": options.scale_elasticity, "passthrough": options.passthrough,
            "buyer_share": options.buyer_share, "revenue_use": options.revenue_use}


def purged_economy(economy: Economy, *, tol: float = DEFAULT_TOL, max_iter: int = DEFAULT_MAX_ITER,
                   labour_supply: float = 0.0, scale_elasticity: float = 0.0, passthrough: Any = None,
                   buyer_share: Any = None, revenue_use: str = "lump-sum") -> Equilibrium:
    """Caliendo-Parro's first step: the equilibrium with every deficit set to zero at the
    baseline tariffs (cached per economy for the standard model with fixed employment)."""
    kappa = check_labour_supply(labour_supply)
    options = check_model_options(economy, scale_elasticity=scale_elasticity, passthrough=passthrough,
                                  buyer_share=buyer_share, revenue_use=revenue_use)
    standard = kappa == 0.0 and not options.used
    cached = _PURGED.get(economy) if standard else None
    if cached is not None:
        return cached
    n = economy.n_countries
    (res,) = _solve_lanes(economy, economy.tariffs[None], np.ones_like(economy.tariffs)[None],
                          np.zeros((1, n)), False, "given", tol, max_iter, kappa=kappa, options=options)
    _raise_if_failed(res, "deficit purge (closure 'zero', step 1)")
    if standard:
        _PURGED[economy] = res
    return res


def economy_after(eq: Equilibrium) -> Economy:
    """The counterfactual equilibrium as a new baseline :class:`Economy` (levels, millions USD).

    Exact by construction when ``eq`` converged: flows ``pi' X' / (1 + tau')``, value added
    ``w_hat wL``, deficits ``D'``; structural shares are unchanged.
    """
    ref = eq.reference
    if eq.export_tax is not None or eq.blocked is not None:
        raise InvalidArrayError(
            "economy_after: an equilibrium with export taxes or export bans cannot become a new "
            "baseline (an Economy holds no export taxes, and banned flows could never resume); "
            "solve every step relative to the original baseline instead")
    return Economy(
        countries=ref.countries, sectors=ref.sectors, flows=eq.flows, tariffs=eq.tariffs,
        theta=ref.theta, va_share=ref.va_share, input_share=ref.input_share,
        final_share=ref.final_share, deficit=eq.deficit - eq.deficit.sum() / ref.n_countries,
        value_added=eq.w_hat * eq.employment_hat * ref.value_added,
        notes=ref.notes + (f"equilibrium after a counterfactual (closure {eq.closure})",),
    )


def _with_purge(res: Equilibrium, purge: Equilibrium) -> Equilibrium:
    from dataclasses import replace

    return replace(res, purge=purge)


def _raise_if_failed(res: Equilibrium, what: str) -> None:
    raise_if_failed(res, what)  # the one implementation (tradewar.errors)


def _pack(log_w: np.ndarray, log_P: np.ndarray, x: np.ndarray, log_L: np.ndarray | None = None) -> np.ndarray:
    b = log_w.shape[0]
    blocks = [log_w, log_P.reshape(b, -1), x.reshape(b, -1)]
    return np.concatenate(blocks if log_L is None else [*blocks, log_L], axis=1)


def _unpack(z: np.ndarray, n: int, j: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    b = z.shape[0]
    return z[:, :n], z[:, n:n + n * j].reshape(b, n, j), z[:, n + n * j:n + 2 * n * j].reshape(b, n, j)


def _labour_block(z: np.ndarray, n: int, j: int) -> np.ndarray:
    """log L_hat, the block after the expenditure block (employment in the state)."""
    return z[:, n + 2 * n * j:]


#: Bilateral cells (lanes x N x N x J) iterated together: larger passes leave the CPU cache and
#: run slower per lane (measured: 81 x 28 solves 44 ms one at a time, 77 ms per lane in fours;
#: docs/design/solver.md), so big economies are solved lane by lane, small ones vectorised.
CELLS_PER_PASS = 200_000


#: Damping of the second and third attempt for lanes that did not converge with full steps
#: (large shocks can make the undamped accelerated map overshoot into non-finite prices).
RETRY_DAMPING = (0.5, 0.2)


def _merge(first: FixedPointOutcome, retry: FixedPointOutcome) -> FixedPointOutcome:
    """Lanes converged in ``first`` keep it (bit-for-bit); the others take ``retry``."""
    keep = first.converged
    return FixedPointOutcome(
        state=np.where(keep[:, None], first.state, retry.state),
        converged=keep | retry.converged,
        iterations=np.where(keep, first.iterations, first.iterations + retry.iterations),
        residual=np.where(keep, first.residual, retry.residual))


def _solve_lanes(economy: Economy, tariffs_b: np.ndarray, d_hat_b: np.ndarray, deficit_b: np.ndarray,
                 proportional: bool, closure: str, tol: float, max_iter: int,
                 backend: str = "numpy", export_b: np.ndarray | None = None,
                 blocked_b: np.ndarray | None = None, kappa: float = 0.0,
                 options: LabourMarketOptions = STANDARD) -> list[Equilibrium]:
    cells = economy.n_countries ** 2 * economy.n_sectors
    per_pass = max(1, CELLS_PER_PASS // cells)
    if tariffs_b.shape[0] > per_pass:
        out: list[Equilibrium] = []
        for k in range(0, tariffs_b.shape[0], per_pass):
            part = slice(k, k + per_pass)
            out += _solve_pass(economy, tariffs_b[part], d_hat_b[part], deficit_b[part], proportional,
                               closure, tol, max_iter, backend,
                               None if export_b is None else export_b[part],
                               None if blocked_b is None else blocked_b[part], kappa, options)
        return out
    return _solve_pass(economy, tariffs_b, d_hat_b, deficit_b, proportional, closure, tol, max_iter, backend,
                       export_b, blocked_b, kappa, options)


def _solve_pass(economy: Economy, tariffs_b: np.ndarray, d_hat_b: np.ndarray, deficit_b: np.ndarray,
                proportional: bool, closure: str, tol: float, max_iter: int,
                backend: str, export_b: np.ndarray | None = None,
                blocked_b: np.ndarray | None = None, kappa: float = 0.0,
                options: LabourMarketOptions = STANDARD) -> list[Equilibrium]:
    start = time.perf_counter()
    n, j = economy.n_countries, economy.n_sectors
    batch = tariffs_b.shape[0]
    params = model_params(economy, kappa, options)
    terms = K.scenario_terms(np, params, tariffs_b, d_hat_b, deficit_b, proportional,
                             export_tax=export_b, blocked=blocked_b)
    labour_state = K.has_labour_state(params)

    def numpy_step(z: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if labour_state:
                log_w, log_P, x, ev = K.fixed_point_map(np, params, terms, *_unpack(z, n, j),
                                                        _labour_block(z, n, j))
                return _pack(log_w, log_P, np.maximum(x, 0.0), ev["log_L_new"])
            log_w, log_P, x, _ = K.fixed_point_map(np, params, terms, *_unpack(z, n, j))
            x = np.maximum(x, 0.0)
        return _pack(log_w, log_P, x)

    if backend == "jax" and labour_state:
        raise InvalidArrayError("backend 'jax': scale_elasticity and revenue_use='income-tax' (employment in the "
                                "solver's state) run on the numpy backend only; allowed: backend='numpy'")
    if backend == "jax":
        from ._jax import jitted_step

        step = jitted_step(params, terms, n, j)
    elif backend == "numpy":
        step = numpy_step
    else:
        raise UnknownNameError("solver backend", backend, BACKENDS)

    x0 = economy.expenditure / economy.income[:, None]
    z0 = _pack(np.zeros((batch, n)), np.zeros((batch, n, j)), np.broadcast_to(x0, (batch, n, j)),
               np.zeros((batch, n)) if labour_state else None)
    outcome = anderson_solve(step, z0, tol=tol, max_iter=max_iter)
    for damping in RETRY_DAMPING:
        if outcome.converged.all():
            break
        outcome = _merge(outcome, anderson_solve(step, z0, tol=tol, max_iter=max_iter, damping=damping))
    log_w, log_P, x = _unpack(outcome.state, n, j)
    log_L = _labour_block(outcome.state, n, j) if labour_state else None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        ev = K.evaluate(np, params, terms, log_w, log_P, x, log_L)
        residuals = K.condition_residuals(np, params, ev, log_P)
        # shares are normalised by the CES sum S (= P_hat^(-theta) without pass-through)
        pi_new, sales = K.bilateral(np, terms, ev["log_c"], log_P if params.passthrough is None else ev["log_S"],
                                    ev["X"], params.theta)
    seconds = (time.perf_counter() - start) / batch
    results = []
    for b in range(batch):
        res_b = {k: float(v[b]) for k, v in residuals.items()}
        finite = all(np.isfinite(v) for v in res_b.values())
        # spending cannot be negative: an income below zero, or expenditure implied below zero
        # beyond rounding, means the closure admits no equilibrium here
        floor = -1e-9 * params.income0[:, None]
        negative = bool((ev["income"][b] < 0).any() or (ev["X_implied"][b] < floor).any())
        converged = (bool(outcome.converged[b]) and finite and not negative
                     and max(res_b.values()) <= max(1e3 * tol, 1e-8))
        message = ""
        if negative:
            k = int(np.argwhere(ev["income"][b] < 0)[0][0]) if (ev["income"][b] < 0).any() else \
                int(np.argwhere(ev["X_implied"][b] < floor)[0][0])
            message = (f"no equilibrium with this deficit closure: spending of {economy.countries[k]} would have to "
                       f"turn negative (its fixed surplus exceeds its income after the shock); use deficits="
                       f"'proportional' or 'zero'")
        diag = SolverDiagnostics(converged=converged, iterations=int(outcome.iterations[b]),
                                 residuals=res_b, seconds=seconds, message=message)
        results.append(Equilibrium(
            reference=economy, closure=closure, tariffs=tariffs_b[b], trade_cost_hat=d_hat_b[b],
            w_hat=np.exp(log_w[b]), P_hat=np.exp(log_P[b]), c_hat=np.exp(ev["log_c"][b]),
            pi=pi_new[b], expenditure=ev["X"][b], flows=sales[b],
            income=ev["income"][b], tariff_revenue=ev["revenue"][b], deficit=np.asarray(ev["deficit"])[b],
            diagnostics=diag,
            export_tax=None if export_b is None else export_b[b],
            export_tax_revenue=None if export_b is None else ev["export_revenue"][b],
            blocked=None if blocked_b is None else blocked_b[b],
            labour_supply=kappa,
            employment=None if log_L is None else np.exp(log_L[b]),
            income_tax_rate=None if ev["tax_rate"] is None else ev["tax_rate"][b],
            model_options=options,
        ))
    # HOSTILE (issue 14): flag economically absurd solutions (docs/guarantees.md); numbers unchanged
    return [_with_plausibility(r) for r in results]


def _with_plausibility(res: Equilibrium) -> Equilibrium:
    from dataclasses import replace

    if not res.diagnostics.converged:
        return res
    issues = tuple(check_plausibility(res))
    return replace(res, diagnostics=replace(res.diagnostics, plausibility_issues=issues)) if issues else res
