"""Nash equilibrium of a tariff war (:func:`nash_tariffs`): orchestration and its check."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...errors import NonConvergenceError, UserInputError, check_choice
from ...model import Economy, solve
from ...options import (
    DEFICIT_CLOSURES,
    NASH_BY,
    NASH_METHODS,
    NASH_TARGETS,
    DeficitClosure,
)
from ..optimal import DEFAULT_BOUNDS, SOLVE_TOL, check_bounds, has_input_output
from .iterate import check_candidate, closed_form, gauss_seidel, simultaneous
from .results import NashResult
from .war import War, trade_change_pct, validated_bounds


def nash_tariffs(
    economy: Economy,
    players: Sequence[str] | None = None,
    *,
    by: str = "uniform",
    targets: str = "all",
    bounds: Sequence[float] = DEFAULT_BOUNDS,
    deficits: DeficitClosure = "zero",
    tol: float = 1e-6,
    max_rounds: int = 50,
    method: str = "auto",
    foc_tol: float = 1e-8,
    check_tol: float | None = None,
) -> NashResult:
    """Nash equilibrium of a tariff war among ``players``.

    Parameters
    ----------
    economy : Economy
        The baseline; welfare and trade changes are measured against it.
    players : list of str, optional
        Countries that set tariffs (default: all). Everyone else keeps the economy's tariffs.
    by : {"uniform", "sector"}
        One rate per player, or one rate per player and sector.
    targets : {"all", "players"}
        Whose goods each player's tariffs hit: every other country (default) or only the
        other players (tariffs on non-players stay at the economy's).
    bounds : (lower, upper)
        Bounds on every Nash tariff (fractions; default (0, 5)).
    deficits : {"zero", "fixed", "proportional"}
        Deficit closure (default "zero": purged first, as Ossa 2014 and tariffwar; welfare is then
        relative to the purged economy).
    tol : float
        Convergence: the largest change of any player's tariff over a round (fraction).
    max_rounds : int
        Rounds of best responses (and iterations of the closed form) before giving up.
    method : {"auto", "best_response", "lashkaripour", "closed_form"}
        See the module docstring; ``auto`` uses ``lashkaripour`` for economies without
        input-output linkages with uniform tariffs on all partners and sectors.
    foc_tol : float
        Tolerance on each best response's first-order conditions.
    check_tol : float, optional
        Largest tariff change allowed in the check (default ``10 * tol``). The check also
        requires the largest gain from deviating to be at most ``max(1e-6, 1000 * foc_tol)``
        percent of real income, and every re-optimisation to converge.

    Returns
    -------
    NashResult
        With ``converged=False`` (and the trace) if the iteration or the check failed;
        never raises for non-convergence.
    """
    start_time = time.perf_counter()
    check_choice("by", by, NASH_BY)
    check_choice("targets", targets, NASH_TARGETS)
    check_choice("method", method, NASH_METHODS)
    check_choice("deficits", deficits, [d for d in DEFICIT_CLOSURES if d != "given"])
    if players is None:
        players_list = list(economy.countries)
    else:
        players_list = [players] if isinstance(players, str) else list(dict.fromkeys(players))
        for p in players_list:
            economy.index_of(p)
    if len(players_list) < 1 or (targets == "players" and len(players_list) < 2):
        raise UserInputError("players: a tariff war needs at least two players (or one with targets='all')")
    if not (np.isfinite(tol) and tol > 0) or int(max_rounds) < 1:
        raise UserInputError(f"tol={tol!r}, max_rounds={max_rounds!r}; allowed: tol > 0, max_rounds >= 1")
    check_tol = 10.0 * tol if check_tol is None else float(check_tol)
    bounds_t = validated_bounds(bounds)
    war = War(economy, players_list, by, targets, bounds_t)
    for p in players_list:
        check_bounds(bounds_t, dataclasses.replace(war.params[p], base=war.current), economy)

    closed_form_applies = (by == "uniform" and not has_input_output(economy)
                           and (targets == "all" or len(players_list) == economy.n_countries))
    if method == "auto":
        method = ("lashkaripour" if closed_form_applies
                  else "simultaneous" if by == "uniform" else "best_response")
    elif method == "simultaneous" and by != "uniform":
        raise UserInputError("method='simultaneous' needs by='uniform'; allowed here: 'best_response' or 'auto'")
    elif method in ("lashkaripour", "closed_form") and not closed_form_applies:
        raise UserInputError(
            f"method={method!r}: the closed form of Lashkaripour (2021) needs an economy without "
            "input-output linkages and uniform tariffs on all partners (by='uniform', "
            "targets='all'); allowed here: 'best_response' or 'auto'"
        )

    trace: list[dict[str, Any]] = []
    iterated = False
    message = ""
    rounds = 0
    try:
        if method in ("lashkaripour", "closed_form"):
            iterated, rounds = closed_form(war, deficits, tol, max_rounds, trace)
            if not iterated:
                message = f"closed-form fixed point did not converge in {max_rounds} iterations"
        if method in ("lashkaripour", "simultaneous"):
            start_x = dict(war.x)
            iterated, n = simultaneous(war, deficits, foc_tol, max_rounds, trace)
            rounds += n
            if not iterated:  # fall back on best responses from where the last stage began
                war.set(start_x)
                message = "simultaneous first-order conditions did not converge; best responses used"
        if method == "best_response" or (method != "closed_form" and not iterated):
            iterated, n = gauss_seidel(war, deficits, tol, max_rounds, foc_tol, trace)
            rounds += n
            if not iterated:
                message = (f"best responses did not converge in {max_rounds} rounds (largest "
                           f"change in the last round {trace[-1]['max_change']:.3e} > tol {tol:.1e})")
    except NonConvergenceError as err:
        message = f"an equilibrium solve failed during the iteration: {err}"
        iterated = False

    eq = solve(economy, war.current, deficits=deficits, tol=SOLVE_TOL)
    check = None
    converged = False
    if iterated:
        try:
            check = check_candidate(war, eq, deficits, foc_tol)
        except NonConvergenceError as err:
            message = f"the check failed: {err}"
        else:
            gain_ok = check["max_gain_from_deviation_pct"] <= max(1e-6, 1e3 * foc_tol)
            change_ok = check["max_tariff_change"] <= check_tol
            converged = gain_ok and change_ok and check["best_responses_converged"]
            if converged:
                message = "Nash equilibrium: no player gains from re-optimising"
            else:
                message = (
                    "NOT a Nash equilibrium: re-optimising at the candidate gains up to "
                    f"{check['max_gain_from_deviation_pct']:.3g} % of real income and moves a tariff by "
                    f"{check['max_tariff_change']:.3g} (allowed {check_tol:.1e})"
                    + (" — the closed form is an approximation in this economy; use "
                       "method='lashkaripour' or 'best_response'" if method == "closed_form" else "")
                )
    world, bilateral = trade_change_pct(eq)
    return NashResult(
        converged=converged, method=method, players=tuple(players_list), by=by,
        tariffs=war.labelled(), tariff_array=np.array(war.current, copy=True),
        welfare_pct=pd.Series(eq.welfare_pct, index=pd.Index(economy.countries, name="country"),
                              name="welfare_pct"),
        world_trade_pct=world, bilateral=bilateral, check=check, iterations=rounds,
        trace=tuple(trace), seconds=time.perf_counter() - start_time, bounds=bounds_t,
        targets=targets, tol=tol, message=message, equilibrium=eq,
    )
