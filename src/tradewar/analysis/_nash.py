"""Nash tariff war: every player's tariffs are a best response to everyone else's.

Best responses (Gauss–Seidel): players re-optimise in turn (:func:`optimal_tariffs`, exact
gradients), each given the latest tariffs of the others, until the largest change of any
tariff over a round is below ``tol``. Then the equilibrium is CHECKED: every player
re-optimises once more at the candidate, and the largest welfare gain from deviating and the
largest tariff change are reported; only a candidate that passes is reported as converged.

Fast path (economies without input-output linkages, uniform tariffs on all partners and all
sectors): Lashkaripour (2021) gives the optimal uniform tariff in closed form, ``t_i = 1 /
eps_bar_i`` (:func:`~tradewar.analysis._optimal.lashkaripour_optimal_tariff`), and the Nash
tariffs of all players solve the fixed point ``t <- 1 / eps_bar(eq(t))`` — one equilibrium solve
per iteration for all players at once (this is how ``tariffwar`` computes Nash for 81
economies). In this engine the closed form is the exact best response only in special cases
(two countries with the partner at free trade; symmetric third countries): in general it
ignores the tariff's effect on partners' tariff revenue and on third countries' wages, and is
off by a few tariff points. ``method="lashkaripour"`` therefore uses the closed-form fixed
point as the starting point of the best-response iteration (which then needs few rounds), and
``method="closed_form"`` returns the closed-form fixed point itself, with the check showing
how far it is from a Nash equilibrium (``converged`` only if the check passes).

References
----------
Ossa, R. (2014), "Trade Wars and Trade Talks with Data", *American Economic Review* 104(12).
Lashkaripour, A. (2021), "The cost of a global tariff war: A sufficient statistics approach",
*Journal of International Economics* 131.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from ..errors import NonConvergenceError, UserInputError, check_choice
from ..model import Economy, Equilibrium, solve
from ..model._gradient import welfare_gradient
from ..options import DEFICIT_CLOSURES
from ._optimal import (
    DEFAULT_BOUNDS,
    SOLVE_TOL,
    TariffParameters,
    _check_bounds,
    has_input_output,
    lashkaripour_optimal_tariff,
    optimal_tariffs,
    projected_gradient,
    tariff_parameters,
)

__all__ = ["NASH_BY", "NASH_METHODS", "NashBy", "NashMethod", "NashResult", "nash_tariffs",
           "trade_change_pct"]

#: Parameterisation of each player's tariffs in the war.
NashBy = Literal["uniform", "sector"]
NASH_BY: tuple[str, ...] = get_args(NashBy)
#: ``auto``: ``lashkaripour`` where the closed form applies, else ``best_response``.
NashMethod = Literal["auto", "best_response", "simultaneous", "lashkaripour", "closed_form"]
NASH_METHODS: tuple[str, ...] = get_args(NashMethod)
#: Whom each player's tariffs hit: every other country, or only the other players.
NashTargets = Literal["all", "players"]
NASH_TARGETS: tuple[str, ...] = get_args(NashTargets)


@dataclass(frozen=True, eq=False)
class NashResult:
    """Outcome of a tariff war.

    Attributes
    ----------
    converged : bool
        True only if the iteration converged AND the check passed (no player gains from
        re-optimising, tariffs move by less than ``check_tol``). Otherwise the fields below
        describe the last iterate, which is NOT an equilibrium.
    method : str
        ``best_response``, ``lashkaripour`` (closed-form start + best responses) or
        ``closed_form``.
    players : tuple of str
    by : str
        ``uniform`` or ``sector``.
    tariffs : pandas.Series or pandas.DataFrame
        Nash tariffs (fractions): a Series indexed by player (uniform) or a DataFrame player ×
        sector.
    tariff_array : array (N, N, J)
        Every tariff at the Nash equilibrium (``[importer, exporter, sector]``).
    welfare_pct : pandas.Series
        Welfare change of every country vs the economy (percent change in real income).
    world_trade_pct : float
        Change in world trade (exports at producer prices, in numeraire units), percent.
    bilateral : pandas.DataFrame
        Total trade of each ordered pair before and after (``exporter``, ``importer``,
        ``before_musd``, ``after_musd``, ``change_pct``).
    check : dict or None
        ``max_gain_from_deviation_pct`` (percentage points of real income a player gains by
        re-optimising at the candidate), ``max_tariff_change``, and per player
        ``gain_from_deviation_pct`` and ``tariff_change``. None if the iteration failed.
    iterations : int
        Rounds of best responses plus closed-form iterations.
    trace : tuple of dict
        Per round: ``stage`` (``closed_form`` or ``best_response``), ``round``,
        ``max_change``, ``seconds``, ``evaluations``.
    message : str
    equilibrium : Equilibrium
        The equilibrium at the reported (or last) tariffs.
    """

    converged: bool
    method: str
    players: tuple[str, ...]
    by: str
    tariffs: pd.Series | pd.DataFrame
    tariff_array: np.ndarray
    welfare_pct: pd.Series
    world_trade_pct: float
    bilateral: pd.DataFrame
    check: dict[str, Any] | None
    iterations: int
    trace: tuple[dict[str, Any], ...]
    seconds: float
    bounds: tuple[float, float]
    targets: str
    tol: float
    message: str
    equilibrium: Equilibrium = field(repr=False)

    @property
    def closure(self) -> str:
        return self.equilibrium.closure

    def tariffs_json(self) -> dict[str, Any]:
        """Tariffs as plain JSON: ``{player: t}`` or ``{player: {sector: t}}`` (fractions)."""
        if isinstance(self.tariffs, pd.DataFrame):
            return {str(p): {str(s): float(v) for s, v in row.items()}
                    for p, row in self.tariffs.iterrows()}
        return {str(p): float(v) for p, v in self.tariffs.items()}

    def to_json(self) -> dict[str, Any]:
        """Stable keys: ``converged``, ``method``, ``by``, ``players``, ``tariffs``,
        ``welfare_pct``, ``check``, ``iterations``, ``trace``, ``trade_change_pct``
        (``{"world": …, "pairs": [{exporter, importer, before_musd, after_musd,
        change_pct}]}``), ``closure``, ``bounds``, ``seconds``, ``message``. When not
        converged, ``tariffs``, ``welfare_pct`` and ``trade_change_pct`` are null and the last
        iterate is under ``last_iterate_tariffs``: it is not an equilibrium."""
        out: dict[str, Any] = {
            "converged": bool(self.converged),
            "method": self.method,
            "by": self.by,
            "players": list(self.players),
            "targets": self.targets,
            "tariffs": None,
            "welfare_pct": None,
            "check": _jsonable(self.check),
            "iterations": int(self.iterations),
            "trace": [_jsonable(t) for t in self.trace],
            "trade_change_pct": None,
            "closure": self.closure,
            "bounds": [float(b) for b in self.bounds],
            "tol": float(self.tol),
            "seconds": float(self.seconds),
            "message": self.message,
        }
        if self.converged:
            out["tariffs"] = self.tariffs_json()
            out["welfare_pct"] = {str(k): float(v) for k, v in self.welfare_pct.items()}
            out["trade_change_pct"] = {
                "world": float(self.world_trade_pct),
                "pairs": [{k: (float(v) if isinstance(v, (float, np.floating)) else str(v))
                           for k, v in row.items()} for row in self.bilateral.to_dict("records")],
            }
        else:
            out["last_iterate_tariffs"] = self.tariffs_json()
        return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return float(value)
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    return value


def trade_change_pct(eq: Equilibrium) -> tuple[float, pd.DataFrame]:
    """World trade change (percent; exports at producer prices, numeraire units) and the
    bilateral table of :meth:`Equilibrium.bilateral_table`."""
    ref = eq.reference
    world = (float(eq.exports.sum()) / float(ref.exports.sum()) - 1.0) * 100.0
    return world, eq.bilateral_table()


class _War:
    """The players, their tariff parameterisations and the current tariff array."""

    def __init__(self, economy: Economy, players: list[str], by: str, targets: str,
                 bounds: tuple[float, float]):
        self.economy = economy
        self.players = players
        self.by = by
        self.bounds = bounds
        self.against: dict[str, list[str] | None] = {}
        self.params: dict[str, TariffParameters] = {}
        current = np.array(economy.tariffs, copy=True)
        self.x: dict[str, np.ndarray] = {}
        for p in players:
            against = None if targets == "all" else [q for q in players if q != p]
            self.against[p] = against
            params = tariff_parameters(economy, p, by=by, against=against, tariffs=current)
            x = np.clip(params.values(current), *bounds)
            current = params.tariffs(x)
            self.params[p] = params
            self.x[p] = x
        self.current = current

    def tariffs_for(self, values: dict[str, np.ndarray]) -> np.ndarray:
        tau = np.array(self.current, copy=True)
        for p in self.players:
            tau = dataclasses.replace(self.params[p], base=tau).tariffs(values[p])
        return tau

    def set(self, values: dict[str, np.ndarray]) -> None:
        self.current = self.tariffs_for(values)
        self.x = {p: np.array(v, copy=True) for p, v in values.items()}

    def labelled(self) -> pd.Series | pd.DataFrame:
        if self.by == "uniform":
            return pd.Series({p: float(self.x[p][0]) for p in self.players}, name="tariff",
                             dtype=float).rename_axis("player")
        p0 = self.players[0]
        return pd.DataFrame([self.x[p] for p in self.players],
                            index=pd.Index(self.players, name="player"),
                            columns=pd.Index(self.params[p0].index, name="sector"))


def _best_response(war: _War, p: str, deficits: str, foc_tol: float) -> Any:
    return optimal_tariffs(
        war.economy, p, against=war.against[p], by=war.by, bounds=war.bounds, start=war.x[p],
        tariffs=war.current, deficits=deficits, tol=foc_tol, raise_on_failure=False,
    )


def nash_tariffs(
    economy: Economy,
    players: Sequence[str] | None = None,
    *,
    by: str = "uniform",
    targets: str = "all",
    bounds: Sequence[float] = DEFAULT_BOUNDS,
    deficits: str = "zero",
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
    bounds_t = _validated_bounds(bounds)
    war = _War(economy, players_list, by, targets, bounds_t)
    for p in players_list:
        _check_bounds(bounds_t, dataclasses.replace(war.params[p], base=war.current), economy)

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
            iterated, rounds = _closed_form(war, deficits, tol, max_rounds, trace)
            if not iterated:
                message = f"closed-form fixed point did not converge in {max_rounds} iterations"
        if method in ("lashkaripour", "simultaneous"):
            start_x = dict(war.x)
            iterated, n = _simultaneous(war, deficits, foc_tol, max_rounds, trace)
            rounds += n
            if not iterated:  # fall back on best responses from where the last stage began
                war.set(start_x)
                message = "simultaneous first-order conditions did not converge; best responses used"
        if method == "best_response" or (method != "closed_form" and not iterated):
            iterated, n = _gauss_seidel(war, deficits, tol, max_rounds, foc_tol, trace)
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
            check = _check(war, eq, deficits, foc_tol)
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


def _validated_bounds(bounds: Sequence[float]) -> tuple[float, float]:
    try:
        lower, upper = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise UserInputError(f"bounds: expected (lower, upper) tariff fractions, got {bounds!r}") from None
    if not (np.isfinite(lower) and np.isfinite(upper)) or lower <= -1.0 or lower > upper:
        raise UserInputError(f"bounds: ({lower}, {upper}); allowed: finite fractions with -1 < lower <= upper")
    return lower, upper


def _closed_form(war: _War, deficits: str, tol: float, max_rounds: int,
                 trace: list[dict[str, Any]]) -> tuple[bool, int]:
    """Iterate ``t <- t + d (1/eps_bar(eq(t)) - t)`` for all players at once (damping ``d``
    halves whenever the largest change grows)."""
    lower, upper = war.bounds
    x = np.array([war.x[p][0] for p in war.players])
    damping, previous = 1.0, np.inf
    for it in range(1, max_rounds + 1):
        t0 = time.perf_counter()
        eq = solve(war.economy, war.tariffs_for({p: x[k:k + 1] for k, p in enumerate(war.players)}),
                   deficits=deficits, tol=SOLVE_TOL)
        target = np.clip([lashkaripour_optimal_tariff(eq, p) for p in war.players], lower, upper)
        change = float(np.abs(target - x).max())
        trace.append({"stage": "closed_form", "round": it, "max_change": change,
                      "seconds": time.perf_counter() - t0, "evaluations": 1, "damping": damping})
        if change < tol:
            war.set({p: target[k:k + 1] for k, p in enumerate(war.players)})
            return True, it
        if change > previous:
            damping = max(0.5 * damping, 0.05)
        previous = change
        x = x + damping * (target - x)
    war.set({p: x[k:k + 1] for k, p in enumerate(war.players)})
    return False, max_rounds


def _simultaneous(war: _War, deficits: str, foc_tol: float, max_rounds: int,
                  trace: list[dict[str, Any]]) -> tuple[bool, int]:
    """Solve every player's first-order condition at once (uniform tariffs).

    Each iteration costs one equilibrium and one exact gradient per player: player ``p``
    takes the Newton step ``-g_p / h_p`` on its own condition ``g_p = d log W_p / d t_p``,
    with the curvature ``h_p`` estimated by the secant of its last two iterates (a diagonal
    Broyden method; steps capped at 0.1, curvatures kept negative). Converged when every
    projected condition is below ``foc_tol / 10``, i.e. every player is at an optimum of its
    own tariff given the others': a Nash equilibrium, which :func:`_check` then verifies by
    re-optimising.
    """
    lower, upper = war.bounds
    players = war.players
    rows = [war.economy.index_of(p) for p in players]
    n = war.economy.n_countries
    x = np.array([war.x[p][0] for p in players])
    h = -np.ones(len(players))
    previous: tuple[np.ndarray, np.ndarray] | None = None
    for it in range(1, max_rounds + 1):
        t0 = time.perf_counter()
        values = {p: x[k:k + 1] for k, p in enumerate(players)}
        tau = war.tariffs_for(values)
        eq = solve(war.economy, tau, deficits=deficits, tol=SOLVE_TOL)
        g = np.empty(len(players))
        for k, (p, row) in enumerate(zip(players, rows, strict=True)):
            weights = np.zeros(n)
            weights[row] = 1.0
            grad = welfare_gradient(eq, weights).gradient
            g[k] = dataclasses.replace(war.params[p], base=tau).chain(grad)[0]
        pg = projected_gradient(x, g, lower, upper)
        if previous is not None:
            dx, dg = x - previous[0], g - previous[1]
            moved = np.abs(dx) > 1e-13
            secant = np.where(moved, dg / np.where(moved, dx, 1.0), h)
            h = np.where(secant < 0, np.clip(secant, -1e4, -1e-4), h)
        step = np.clip(-g / h, -0.1, 0.1)
        new = np.clip(x + step, lower, upper)
        trace.append({"stage": "simultaneous", "round": it, "max_foc": float(np.abs(pg).max()),
                      "max_change": float(np.abs(new - x).max()),
                      "seconds": time.perf_counter() - t0, "evaluations": 1})
        if np.abs(pg).max() <= 0.1 * foc_tol:
            war.set(values)
            return True, it
        previous = (x, g)
        x = new
    war.set({p: x[k:k + 1] for k, p in enumerate(players)})
    return False, max_rounds


def _gauss_seidel(war: _War, deficits: str, tol: float, max_rounds: int, foc_tol: float,
                  trace: list[dict[str, Any]]) -> tuple[bool, int]:
    for r in range(1, max_rounds + 1):
        t0 = time.perf_counter()
        largest, evaluations, unconverged = 0.0, 0, []
        for p in war.players:
            res = _best_response(war, p, deficits, foc_tol)
            new = res.tariffs.to_numpy()
            largest = max(largest, float(np.abs(new - war.x[p]).max()))
            evaluations += res.evaluations
            if not res.converged:
                unconverged.append(p)
            war.x[p] = new
            war.current = res.tariff_array
        trace.append({"stage": "best_response", "round": r, "max_change": largest,
                      "seconds": time.perf_counter() - t0, "evaluations": evaluations,
                      "unconverged": unconverged})
        if largest < tol and not unconverged:
            return True, r
    return False, max_rounds


def _check(war: _War, eq: Equilibrium, deficits: str, foc_tol: float) -> dict[str, Any]:
    """Each player's gain from re-optimising at the candidate, and its tariff change."""
    countries = war.economy.countries
    gains, changes, focs, ok = {}, {}, {}, True
    t0 = time.perf_counter()
    for p in war.players:
        res = _best_response(war, p, deficits, foc_tol)
        i = countries.index(p)
        gains[p] = float(res.welfare_pct.iloc[i] - eq.welfare_pct[i])
        changes[p] = float(np.abs(res.tariffs.to_numpy() - war.x[p]).max())
        focs[p] = float(res.trace[0]["max_foc"])
        ok = ok and res.converged
    return {
        "max_gain_from_deviation_pct": max(gains.values()),
        "max_tariff_change": max(changes.values()),
        "gain_from_deviation_pct": gains,
        "tariff_change": changes,
        "max_foc_at_candidate": max(focs.values()),
        "best_responses_converged": ok,
        "seconds": time.perf_counter() - t0,
    }
