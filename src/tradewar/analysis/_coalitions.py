"""Coalitions against a target: leverage, Shapley values, stability and US reliability.

A *leader* (always a member) and a coalition ``S`` of *allies* each add ``tariff`` points on
the *target*'s goods; the target answers (``retaliation``): ``none``; ``mirror`` (the same
points on each member's goods); or ``optimal`` (its best response against the members,
:func:`tradewar.analysis._optimal.optimal_retaliation`). The leader may tariff the allies
(``us_tariffs_on_allies``, e.g. its 2025 tariffs of the built-in scenario ``america-first``);
members are promised relief from them, a promise kept with probability ``p`` (reliability).

Definitions (docs/coalitions.md has the reading):

* **Status quo**: the tariffs in force on 2025-01-01 plus the leader's tariffs on *every*
  ally, no coalition. Every change below is measured from it (the economy of the game is this
  equilibrium), in % of real income and in millions of USD ``(I_hat / P_hat - 1) I``.
* **Worlds**: coalition ``S`` with relief (members' tariffs from the leader back to the
  start) and without. A country's **payoff** in ``S`` is the expected welfare
  ``p W(S, relief) + (1 - p) W(S, no relief)``.
* **Target loss** ``L_t(S)``: minus the target's expected real-income change (USD).
  **Coalition loss** ``L_c(S)``: minus the summed expected changes of the leader and the
  members. **Leverage** = ``L_t / L_c`` when ``L_c > 0``; when the coalition loses nothing
  (``L_c <= 0``) the ratio is not a price: leverage is ``inf`` (``nan`` if the target does
  not lose either), ``null`` in JSON, and ``coalition_gains`` is true.
* **Shapley value** of ally ``k``: its average marginal contribution to ``L_t`` over all
  orders in which the allies join (the leader is always in); they sum to
  ``L_t(all allies) - L_t(leader alone)`` (efficiency).
* **Stable coalition** (d'Aspremont et al. 1983): no member gains by leaving (its payoff in
  ``S`` is at least its payoff in ``S - {k}``) and no outsider gains by joining.
* **Least reliability** of ally ``k``: the smallest ``p`` in [0, 1] at which its payoff in
  the grand coalition is at least its payoff in the grand coalition without it. Both payoffs
  are linear in ``p``, so it is found exactly; ``None`` if no ``p`` makes it stay.

References
----------
d'Aspremont, C., A. Jacquemin, J. J. Gabszewicz and J. A. Weymark (1983), "On the stability
of collusive price leadership", *Canadian Journal of Economics* 16(1).
Shapley, L. S. (1953), "A value for n-person games", *Contributions to the Theory of Games* II.
Caliendo, L. and F. Parro (2015), *Review of Economic Studies* 82(1).
"""

from __future__ import annotations

import dataclasses
import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any, Literal, cast, get_args

import numpy as np
import pandas as pd

from ..data._blocs import BLOCS
from ..data._tariff_layer import goods_mask, parse_layer_reference
from ..errors import (
    NonConvergenceError,
    TradewarError,
    UnknownCountryError,
    UnknownSectorError,
    UserInputError,
    check_choice,
)
from ..model import Economy, economy_after, solve, solve_batch
from ..options import DEFICIT_CLOSURES

#: The allies of the 2025 debate (Japan, Korea, India, Vietnam, the EU, the UK, Canada, Mexico,
#: Australia, Taiwan): the default players.
DEFAULT_ALLIES: tuple[str, ...] = ("JPN", "KOR", "IND", "VNM", "EU27", "GBR", "CAN", "MEX",
                                   "AUS", "TWN")
Retaliation = Literal["none", "mirror", "optimal"]
RETALIATION_CHOICES: tuple[str, ...] = get_args(Retaliation)
#: Named framings: the leader's tariffs on allies (``None``: none).
COALITION_PRESETS: dict[str, str | None] = {"allied-front": None, "america-first": "america-first"}
#: More allies than this need ``force=True`` (2^n coalitions).
MAX_ALLIES = 16
#: Keys of :meth:`CoalitionResult.to_json` and of each of its coalitions (stable contract).
COALITION_JSON_KEYS: tuple[str, ...] = ("coalitions", "shapley", "stable", "min_reliability")
COALITION_ROW_KEYS: tuple[str, ...] = ("members", "target_welfare_pct", "target_loss_musd",
                                       "coalition_loss_musd", "leverage", "members_welfare_pct")
#: A player deviates only for a gain above this (percentage points of its real income).
STABILITY_TOL = 1e-8
#: Reliabilities at which the stable coalitions are listed.
RELIABILITY_GRID: tuple[float, ...] = tuple(round(0.05 * k, 2) for k in range(21))
#: Worlds solved in one ``solve_batch`` call, and per chunk of work.
BATCH, CHUNK = 16, 32
#: Below this many estimated seconds of work, a local run stays in this process: starting
#: worker processes (2-4 s of imports each) would cost more than it saves.
SERIAL_BELOW = 10.0
_SCHEMA = "coalitions-1"


# ---------------------------------------------------------------------------------------------
# the starting point and the game
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class StartPoint:
    """Where analyses start: the economy at the tariffs in force (or the data's), and how to
    rebuild it for other trade elasticities (only a ``counterfactual`` start depends on them).

    ``raw`` is the data economy for a ``counterfactual`` start (reached by one solve)."""

    economy: Economy
    method: str
    text: str
    raw: Economy | None = None

    def at(self, theta: np.ndarray) -> Economy:
        """The starting economy with trade elasticities ``theta`` (J,)."""
        theta = np.asarray(theta, dtype=np.float64)
        if self.method == "counterfactual":
            assert self.raw is not None
            raw = dataclasses.replace(self.raw, theta=theta)
            return economy_after(solve(raw, self.economy.tariffs, deficits="fixed"))
        return dataclasses.replace(self.economy, theta=theta)


def start_point(baseline: Any, start: str = "in-force-2025", data_dir: Any = None) -> StartPoint:
    """The starting point of :func:`tradewar.scenario.compile_tariffs` for ``start``."""
    from ..scenario import Scenario, TariffAction, compile_tariffs

    check_choice("start", start, ("in-force-2025", "baseline"))
    economy: Economy = baseline.economy
    a, b = economy.countries[:2]
    probe = Scenario(name="start", start=cast(Literal["in-force-2025", "baseline"], start),
                     tariff=[TariffAction(importer=a, exporter=b, sectors="all", add=0.0)])
    compiled = compile_tariffs(probe, baseline, data_dir=data_dir)
    raw = economy if compiled.start_method == "counterfactual" else None
    return StartPoint(compiled.start_economy, compiled.start_method, compiled.starting_tariffs, raw)


@dataclass(frozen=True, eq=False)
class CoalitionGame:
    """A coalition game compiled to arrays (picklable; sent once to each worker).

    Attributes
    ----------
    economy : Economy
        The status quo (every change is measured from it).
    start : StartPoint
        The tariffs in force before the leader's tariffs on allies.
    leader, target : int
        Economy indices.
    allies : tuple of str
        Player names; ``groups[k]`` are the economy indices of ally ``k`` (a bloc acts as one).
    tariff : float
        Points each member adds on the target (fraction).
    sectors : (J,) bool
        Where members tariff the target; the ``mirror`` answer hits ``sectors & goods``.
    ally_tariffs : (N, N, J) array or None
        The leader's tariffs on the allies in the status quo (points added on the start, row
        ``leader``; members are relieved of them); ``None`` when there are none.
    """

    economy: Economy
    start: StartPoint
    leader: int
    target: int
    allies: tuple[str, ...]
    groups: tuple[tuple[int, ...], ...]
    tariff: float
    sectors: np.ndarray
    goods: np.ndarray
    retaliation: str
    ally_tariffs: np.ndarray | None
    deficits: str = "fixed"
    us_tariffs_on_allies: str = "none"
    notes: tuple[str, ...] = ()
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.allies)

    @property
    def countries(self) -> tuple[str, ...]:
        return self.economy.countries

    def members(self, mask: int) -> list[str]:
        """Names of the members of coalition ``mask`` (leader first, then allies in order)."""
        return [self.countries[self.leader]] + [a for k, a in enumerate(self.allies) if mask >> k & 1]

    def member_economies(self, mask: int) -> list[int]:
        return [self.leader] + [e for k, g in enumerate(self.groups) if mask >> k & 1 for e in g]

    def with_theta(self, theta: np.ndarray) -> CoalitionGame:
        """The same game with trade elasticities ``theta`` (the status quo is re-solved)."""
        start = self.start.at(theta)
        return dataclasses.replace(self, economy=_status_quo(start, self.ally_tariffs, self.deficits),
                                   start=dataclasses.replace(self.start, economy=start))


def _status_quo(start: Economy, relief: np.ndarray | None, deficits: str) -> Economy:
    if relief is None:
        return start
    eq = solve(start, start.tariffs + relief, deficits=deficits)
    return economy_after(eq)


def ally_groups(economy: Economy, allies: Sequence[str], leader: int, target: int) -> list[tuple[int, ...]]:
    """Each ally as the indices of the economies it stands for (a bloc such as EU27 expands to
    its members present); raises if an ally is unknown, is (or contains) the leader or the
    target, or overlaps another ally."""
    countries = economy.countries
    groups: list[tuple[int, ...]] = []
    seen: dict[int, str] = {}
    for ally in allies:
        if ally in countries:
            group: tuple[int, ...] = (countries.index(ally),)
        elif ally in BLOCS and any(c in countries for c in BLOCS[ally]):
            group = tuple(countries.index(c) for c in BLOCS[ally] if c in countries)
        else:
            raise UnknownCountryError(ally, list(countries) + [b for b in BLOCS if any(
                c in countries for c in BLOCS[b])], where="allies")
        for role, index in (("leader", leader), ("target", target)):
            if index in group:
                shown = ally if ally == countries[index] else f"{ally} (which contains {countries[index]})"
                raise UserInputError(f"allies: {shown} is the {role}; allowed: economies other "
                                     "than the leader and the target")
        for e in group:
            if e in seen:
                raise UserInputError(f"allies: {countries[e]} is named twice ({seen[e]} and "
                                     f"{ally}); allowed: each economy in one ally")
            seen[e] = ally
        groups.append(group)
    return groups


def _sector_mask(sectors: str | Sequence[str], economy: Economy) -> np.ndarray:
    if isinstance(sectors, str) and sectors in ("goods", "all"):
        return goods_mask(economy.sectors) if sectors == "goods" else np.ones(economy.n_sectors, bool)
    codes = [s.strip() for s in sectors.split(",")] if isinstance(sectors, str) else list(sectors)
    mask = np.zeros(economy.n_sectors, dtype=bool)
    for code in codes:
        if code not in economy.sectors:
            raise UnknownSectorError(code, list(economy.sectors) + ["goods", "all"], where="sectors")
        mask[economy.sectors.index(code)] = True
    if not mask.any():
        raise UserInputError("sectors: selects no sector; allowed: 'goods', 'all' or sector codes")
    return mask


def _leader_tariffs(spec: Any, baseline: Any, start: StartPoint, leader: int,
                    groups: list[tuple[int, ...]], data_dir: Any) -> tuple[np.ndarray | None, str]:
    """The leader's tariffs on the allies (points on the start), from a scenario or a layer."""
    from ..scenario import Scenario, TariffAction, compile_tariffs, resolve_scenario

    if spec is None or (isinstance(spec, str) and spec.strip().lower() in ("", "none")):
        return None, "none"
    economy = start.economy
    allies = [economy.countries[e] for g in groups for e in g]
    label = spec if isinstance(spec, str) else getattr(spec, "name", "scenario")
    if isinstance(spec, str) and ":" in spec and not Path(spec).exists():
        try:
            parse_layer_reference(spec)
        except (ValueError, TradewarError) as exc:
            raise UserInputError(f"us_tariffs_on_allies: {exc}") from None
        scenario = Scenario(name=f"{economy.countries[leader]} tariffs on allies",
                            tariff=[TariffAction(importer=economy.countries[leader],
                                                 exporter=allies, sectors="goods", add=spec)])
    else:
        scenario = resolve_scenario(spec)
    compiled = compile_tariffs(scenario, baseline, data_dir=data_dir)
    delta = compiled.tariffs[-1] - compiled.start_economy.tariffs
    relief = np.zeros_like(economy.tariffs)
    cols = [e for g in groups for e in g]
    relief[leader, cols, :] = delta[leader, cols, :]
    if not np.abs(relief).max() > 0:
        return None, f"{label} (no tariffs of the leader on the allies)"
    return relief, str(label)


def coalition_game(
    baseline: Any,
    *,
    leader: str = "USA",
    target: str = "CHN",
    allies: Sequence[str] = DEFAULT_ALLIES,
    tariff: float = 0.5,
    sectors: str | Sequence[str] = "goods",
    retaliation: str = "mirror",
    us_tariffs_on_allies: Any = None,
    start: str = "in-force-2025",
    deficits: str = "fixed",
    data_dir: Any = None,
) -> CoalitionGame:
    """Validate a coalition question and compile it on ``baseline`` (a
    :class:`tradewar.data.Baseline`, or anything with ``.economy``).

    Parameters
    ----------
    leader, target : str
        Economy codes of the baseline (the leader is in every coalition).
    allies : list of str
        The players: economy codes, or bloc names (EU27, ASEAN…) acting as one.
    tariff : float
        Points each member adds on the target's ``sectors`` (0.5 = +50 points).
    sectors : "goods" | "all" | list of sector codes
    retaliation : {"none", "mirror", "optimal"}
    us_tariffs_on_allies : None | "none" | scenario name, TOML path, Scenario | layer reference
        The leader's tariffs on the allies in the status quo: the points a scenario adds on
        them (e.g. ``"america-first"``) or a tariff layer (``"us-2025:2025-08-07"``).
    start : {"in-force-2025", "baseline"}
        Tariffs before anything: those in force on 2025-01-01 (as the built-in scenarios) or
        the dataset's.
    deficits : {"fixed", "zero", "proportional"}

    Raises
    ------
    UserInputError
        Unknown or repeated codes, an ally that is the leader or the target, a tariff that is
        not finite or would take a rate to -100 %, an unknown option value.
    """
    check_choice("retaliation", retaliation, RETALIATION_CHOICES)
    check_choice("deficits", deficits, [d for d in DEFICIT_CLOSURES if d != "given"])
    economy: Economy = baseline.economy
    lead, tgt = economy.index_of(leader), economy.index_of(target)
    if lead == tgt:
        raise UserInputError(f"leader and target are both {leader}; allowed: two economies")
    allies = [allies] if isinstance(allies, str) else list(allies)
    if not allies:
        raise UserInputError("allies: empty; allowed: one or more economy codes")
    groups = ally_groups(economy, allies, lead, tgt)
    try:
        tariff = float(tariff)
    except (TypeError, ValueError):
        raise UserInputError(f"tariff: {tariff!r}; allowed: a number (0.5 = +50 points)") from None
    if not math.isfinite(tariff):
        raise UserInputError(f"tariff: {tariff}; allowed: a finite number (0.5 = +50 points)")
    mask = _sector_mask(sectors, economy)
    point = start_point(baseline, start, data_dir)
    relief, label = _leader_tariffs(us_tariffs_on_allies, baseline, point, lead, groups, data_dir)
    members = [lead] + [e for g in groups for e in g]
    lowest = min(point.economy.tariffs[members][:, tgt][:, mask].min(),
                 point.economy.tariffs[tgt][members][:, mask].min())
    if lowest + tariff <= -1.0:
        raise UserInputError(f"tariff: {tariff:g} would take a tariff to {100 * (lowest + tariff):.0f} "
                             "%; allowed: rates above -100 %")
    status_quo = _status_quo(point.economy, relief, deficits)
    info = {key: getattr(baseline, key, None) for key in ("dataset", "year", "elasticity", "regions")}
    notes = [f"starting point: tariffs {point.text}",
             f"every change is measured from the status quo: that start plus the leader's tariffs "
             f"on every ally ({label}), no coalition"]
    return CoalitionGame(
        economy=status_quo, start=point, leader=lead, target=tgt, allies=tuple(allies),
        groups=tuple(groups), tariff=tariff, sectors=mask, goods=goods_mask(economy.sectors),
        retaliation=retaliation, ally_tariffs=relief, deficits=deficits, us_tariffs_on_allies=label,
        notes=tuple(notes), info=info)


# ---------------------------------------------------------------------------------------------
# worlds: tariffs and solves (the task run by the run layer)
# ---------------------------------------------------------------------------------------------
def world_tariffs(game: CoalitionGame, mask: int, relieved: bool) -> np.ndarray:
    """Tariffs (N, N, J) of coalition ``mask`` before an ``optimal`` answer (with ``mirror``,
    including it): members add ``tariff`` on the target; with ``relieved``, the leader's
    tariffs on the members return to the start; ``mirror``: the target adds the same points
    on each member's goods."""
    tau = np.array(game.economy.tariffs, copy=True)
    members = np.array(game.member_economies(mask))
    t, s = np.array([game.target]), game.sectors
    tau[np.ix_(members, t, np.flatnonzero(s))] += game.tariff
    if relieved and game.ally_tariffs is not None:
        allies = members[1:]
        tau[game.leader, allies, :] -= game.ally_tariffs[game.leader, allies, :]
    if game.retaliation == "mirror":
        tau[np.ix_(t, members, np.flatnonzero(s & game.goods))] += game.tariff
    return tau


def _answer(game: CoalitionGame, tau: np.ndarray, mask: int) -> np.ndarray:
    if game.retaliation != "optimal":
        return tau
    from ._optimal import optimal_retaliation

    countries = game.countries
    return optimal_retaliation(game.economy, tau, countries[game.target],
                               [countries[e] for e in game.member_economies(mask)],
                               sectors=game.sectors & game.goods, deficits=game.deficits)


@dataclass(frozen=True, eq=False)
class _Job:
    game: CoalitionGame
    backend: str = "numpy"
    tol: float | None = None
    max_iter: int | None = None
    schema: str = _SCHEMA


def _solve_kwargs(job: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"backend": job.backend}
    if job.tol is not None:
        out["tol"] = job.tol
    if job.max_iter is not None:
        out["max_iter"] = job.max_iter
    return out


def solve_worlds(job: _Job, items: Sequence[tuple[int, int]]) -> list[dict[str, Any]]:
    """Task: one row per (world, economy) with ``real_income_hat``; failures as rows."""
    game = job.game
    tariffs: list[np.ndarray] = []
    errors: dict[int, str] = {}
    for k, (mask, relief) in enumerate(items):
        try:
            tariffs.append(_answer(game, world_tariffs(game, int(mask), bool(relief)), int(mask)))
        except TradewarError as exc:
            errors[k] = f"{type(exc).__name__}: {exc}"
            tariffs.append(game.economy.tariffs)
    eqs = []
    for s in range(0, len(tariffs), BATCH):
        eqs.extend(solve_batch(game.economy, np.stack(tariffs[s:s + BATCH]), deficits=game.deficits,
                               **_solve_kwargs(job)))
    rows = []
    for k, ((mask, relief), eq) in enumerate(zip(items, eqs, strict=True)):
        diag = eq.diagnostics
        error = errors.get(k, "" if diag.converged else (
            f"not converged after {diag.iterations} iterations (largest residual "
            f"{diag.max_residual:.2e}) {diag.message}".strip()))
        rhat = eq.real_income_hat if not error else np.full(game.economy.n_countries, np.nan)
        for e in range(game.economy.n_countries):
            rows.append({"mask": int(mask), "relief": int(relief), "economy": e,
                         "real_income_hat": float(rhat[e]), "iterations": int(diag.iterations),
                         "error": error})
    return rows


def worlds(game: CoalitionGame) -> list[tuple[int, int]]:
    """Every (coalition mask, relief) pair to solve: 2^n coalitions, each twice when the leader
    tariffs the allies (relief kept / not kept; the leader alone has no members to relieve)."""
    out = []
    for mask in range(2 ** game.n):
        out.append((mask, 0))
        if game.ally_tariffs is not None and mask:
            out.append((mask, 1))
    return out


# ---------------------------------------------------------------------------------------------
# the game theory: pure functions of payoff tables
# ---------------------------------------------------------------------------------------------
def leverage(target_loss: float, coalition_loss: float) -> tuple[float, bool]:
    """``(leverage, coalition_gains)``: the target's loss per unit lost by the coalition.

    When the coalition loses nothing (``coalition_loss <= 0``) the ratio is no price:
    ``(inf, True)`` if the target loses, ``(nan, True)`` otherwise (both ``null`` in JSON)."""
    if not (math.isfinite(target_loss) and math.isfinite(coalition_loss)):
        return math.nan, False
    if coalition_loss <= 0.0:
        return (math.inf if target_loss > 0.0 else math.nan), True
    return target_loss / coalition_loss, False


def _popcount(masks: np.ndarray) -> np.ndarray:
    return np.array([bin(int(m)).count("1") for m in masks], dtype=int)


def shapley_values(values: np.ndarray) -> np.ndarray:
    """Shapley values of the ``n`` players of a game with ``values[mask]`` (2^n,).

    ``phi_k = sum_{S not containing k} |S|! (n - |S| - 1)! / n! (v(S + k) - v(S))``; they
    sum to ``v(all) - v(none)``."""
    values = np.asarray(values, dtype=np.float64)
    n = int(round(math.log2(len(values))))
    if 2 ** n != len(values):
        raise UserInputError(f"values: {len(values)} entries; allowed: 2^n (one per coalition)")
    masks = np.arange(2 ** n)
    size = _popcount(masks)
    weight = np.array([math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n)
                       if s < n else 0.0 for s in size])
    out = np.zeros(n)
    for k in range(n):
        without = (masks >> k & 1) == 0
        out[k] = (weight[without] * (values[masks[without] | 1 << k] - values[without])).sum()
    return out


def stable_coalitions(payoff: np.ndarray, tol: float = STABILITY_TOL) -> list[int]:
    """Masks of the stable coalitions of a payoff table ``payoff[mask, k]`` (2^n, n).

    Internally stable: every member ``k`` has ``payoff[S, k] >= payoff[S - k, k] - tol``;
    externally stable: every outsider has ``payoff[S, k] >= payoff[S + k, k] - tol``."""
    payoff = np.asarray(payoff, dtype=np.float64)
    size, n = payoff.shape
    out = []
    for mask in range(size):
        ok = True
        for k in range(n):
            other = mask ^ (1 << k)
            if not payoff[other, k] <= payoff[mask, k] + tol:
                ok = False
                break
        if ok:
            out.append(mask)
    return out


def min_reliability(stay_relief: np.ndarray, stay_no_relief: np.ndarray,
                    tol: float = STABILITY_TOL) -> np.ndarray:
    """Least ``p`` in [0, 1] with ``p a + (1 - p) b >= -tol`` (``a = stay_relief``, ``b =
    stay_no_relief``: the gain from staying in the grand coalition when relief is / is not
    given); ``nan`` when no ``p`` qualifies. The gain is linear in ``p``, so this is exact."""
    a = np.asarray(stay_relief, dtype=np.float64)
    b = np.asarray(stay_no_relief, dtype=np.float64)
    out = np.full(a.shape, np.nan)
    for k in range(a.size):
        if not (np.isfinite(a[k]) and np.isfinite(b[k])):
            continue
        if b[k] >= -tol:
            out[k] = 0.0
        elif a[k] >= -tol:
            out[k] = min(1.0, max(0.0, (-tol - b[k]) / (a[k] - b[k])))
    return out


# ---------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------
def _num(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


@dataclass(frozen=True, eq=False)
class CoalitionResult:
    """Every coalition's worlds, solved, and what follows from them at ``reliability``.

    ``real_income_hat[mask, relief, economy]`` (2^n, 2, N) is the change in real income from
    the status quo in world (coalition ``mask``, relief kept = 1 / not = 0); without tariffs
    of the leader on the allies both slices are equal. ``errors[mask]`` is "" for a coalition
    whose worlds converged."""

    game: CoalitionGame
    reliability: float
    real_income_hat: np.ndarray
    errors: tuple[str, ...]
    seconds: float = 0.0
    backend: str = "serial"
    resumed_chunks: int = 0

    # ---- payoffs ----
    def _income(self) -> np.ndarray:
        return np.asarray(self.game.economy.income, dtype=np.float64)

    def change_musd(self, p: float | None = None) -> np.ndarray:
        """Expected real-income change (2^n, N), millions USD, at reliability ``p``."""
        p = self.reliability if p is None else p
        x = (self.real_income_hat - 1.0) * self._income()
        return p * x[:, 1] + (1.0 - p) * x[:, 0]

    def player_payoffs(self, p: float | None = None, relief: int | None = None) -> np.ndarray:
        """Allies' welfare (2^n, n), % of their real income, expected at ``p`` (or in one
        relief state)."""
        income = self._income()
        usd = (self.real_income_hat - 1.0) * income
        if relief is None:
            p = self.reliability if p is None else p
            usd = p * usd[:, 1] + (1.0 - p) * usd[:, 0]
        else:
            usd = usd[:, relief]
        return np.stack([usd[:, list(g)].sum(axis=1) / income[list(g)].sum() * 100.0
                         for g in self.game.groups], axis=1)

    def target_loss_musd(self) -> np.ndarray:
        return -self.change_musd()[:, self.game.target]

    def coalition_loss_musd(self) -> np.ndarray:
        change = self.change_musd()
        return np.array([-change[m, self.game.member_economies(m)].sum()
                         for m in range(len(change))])

    @property
    def failed(self) -> list[int]:
        return [m for m, e in enumerate(self.errors) if e]

    def _order(self) -> list[int]:
        n = self.game.n
        return [sum(1 << k for k in combo) for size in range(n + 1)
                for combo in combinations(range(n), size)]

    # ---- tables ----
    def table(self) -> pd.DataFrame:
        """One row per coalition (by size, then in the allies' order)."""
        g, income = self.game, self._income()
        change = self.change_musd()
        t_loss, c_loss = self.target_loss_musd(), self.coalition_loss_musd()
        players = self.player_payoffs()
        rows = []
        for m in self._order():
            lev, gains = leverage(t_loss[m], c_loss[m])
            welfare = {g.countries[g.leader]: change[m, g.leader] / income[g.leader] * 100.0}
            welfare |= {a: players[m, k] for k, a in enumerate(g.allies) if m >> k & 1}
            rows.append({"mask": m, "members": g.members(m), "size": bin(m).count("1"),
                         "target_welfare_pct": -t_loss[m] / income[g.target] * 100.0,
                         "target_loss_musd": t_loss[m], "coalition_loss_musd": c_loss[m],
                         "leverage": lev, "coalition_gains": gains,
                         "members_welfare_pct": welfare, "error": self.errors[m]})
        return pd.DataFrame(rows)

    def shapley(self) -> pd.DataFrame:
        """Each ally's Shapley value: contribution to the target's loss, USD and % (points of
        the target's real income)."""
        musd = shapley_values(self.target_loss_musd())
        pct = musd / self._income()[self.game.target] * 100.0
        return pd.DataFrame({"shapley_musd": musd, "shapley_pct": pct},
                            index=pd.Index(self.game.allies, name="ally"))

    def stable(self, p: float | None = None) -> list[int]:
        """Masks of the stable coalitions at reliability ``p`` (default: the result's)."""
        if self.failed:
            return []
        return stable_coalitions(self.player_payoffs(p))

    def min_reliability(self) -> pd.Series:
        """Least reliability at which each ally stays in the grand coalition (NaN: never)."""
        full = 2 ** self.game.n - 1
        stay = []
        for relief in (1, 0):
            pay = self.player_payoffs(relief=relief)
            stay.append(np.array([pay[full, k] - pay[full ^ (1 << k), k]
                                  for k in range(self.game.n)]))
        return pd.Series(min_reliability(stay[0], stay[1]), index=pd.Index(self.game.allies, name="ally"),
                         name="min_reliability")

    def stable_by_reliability(self, grid: Sequence[float] = RELIABILITY_GRID) -> dict[float, list[int]]:
        return {float(p): self.stable(p) for p in grid}

    # ---- JSON and charts ----
    def to_json(self) -> dict[str, Any]:
        """Plain JSON (keys :data:`COALITION_JSON_KEYS` first; NaN and inf as null)."""
        g = self.game
        table = self.table()
        ok = not self.failed
        nan = pd.Series(np.nan, index=list(g.allies))
        shapley = self.shapley() if ok else pd.DataFrame({"shapley_musd": nan, "shapley_pct": nan})
        mr = self.min_reliability() if ok else nan

        def names(masks: list[int]) -> list[list[str]]:
            return [g.members(m) for m in masks]

        return {
            "coalitions": [{
                "members": list(row.members),
                "target_welfare_pct": _num(row.target_welfare_pct),
                "target_loss_musd": _num(row.target_loss_musd),
                "coalition_loss_musd": _num(row.coalition_loss_musd),
                "leverage": _num(row.leverage),
                "members_welfare_pct": {k: _num(v) for k, v in row.members_welfare_pct.items()},
                "coalition_gains": bool(row.coalition_gains),
                "size": int(row.size),
                "error": row.error or None,
            } for row in table.itertuples()],
            "shapley": {a: _num(shapley.loc[a, "shapley_musd"]) for a in g.allies},
            "stable": names(self.stable()),
            "min_reliability": {a: _num(mr[a]) for a in g.allies},
            "shapley_pct": {a: _num(shapley.loc[a, "shapley_pct"]) for a in g.allies},
            "stable_by_reliability": [{"reliability": p, "stable": names(m)}
                                      for p, m in self.stable_by_reliability().items()],
            "leader": g.countries[g.leader],
            "target": g.countries[g.target],
            "allies": list(g.allies),
            "settings": {"tariff": g.tariff, "sectors": [s for s, b in zip(g.economy.sectors, g.sectors, strict=True) if b],
                         "retaliation": g.retaliation, "us_tariffs_on_allies": g.us_tariffs_on_allies,
                         "reliability": self.reliability, "deficits": g.deficits,
                         "start": g.start.text},
            "baseline": dict(g.info),
            "solver": {"worlds": len(worlds(g)),
                       "failed_coalitions": len(self.failed), "seconds": self.seconds,
                       "backend": self.backend, "resumed_chunks": self.resumed_chunks},
            "notes": list(g.notes) + [DEFINITIONS],
        }

    def figures(self) -> list[tuple[str, Any]]:
        """(heading, plotly figure) pairs: leverage by size, Shapley bars, stability vs p."""
        import plotly.graph_objects as go

        g, table = self.game, self.table()
        target = g.countries[g.target]
        finite = table[np.isfinite(table.leverage)]
        fig1 = go.Figure()
        fig1.add_scatter(x=finite["size"], y=finite.leverage, mode="markers", name="coalition",
                         text=[" + ".join(m) for m in finite.members], hoverinfo="text+y",
                         marker={"opacity": 0.5})
        med = finite.groupby("size").leverage.median()
        fig1.add_scatter(x=med.index, y=med.values, mode="lines+markers", name="median")
        fig1.update_layout(xaxis_title="allies in the coalition (the leader is always in)",
                           yaxis_title=f"leverage ({target} loss / coalition loss)")
        figures = [(f"Leverage over {target} by coalition size", fig1)]
        if self.failed:
            return figures
        sh = self.shapley().sort_values("shapley_musd")
        fig2 = go.Figure(go.Bar(x=sh.shapley_musd / 1e3, y=sh.index, orientation="h",
                                text=[f"{v:.3f} pp" for v in sh.shapley_pct]))
        fig2.update_layout(xaxis_title=f"Shapley value: contribution to {target}'s real-income "
                           "loss, bn USD (label: points of its real income)")
        fig3 = go.Figure()
        for p, masks in self.stable_by_reliability().items():
            fig3.add_scatter(x=[p] * len(masks), y=[bin(m).count("1") for m in masks],
                             mode="markers", showlegend=False, marker={"color": "#1f77b4"},
                             text=[" + ".join(g.members(m)) for m in masks], hoverinfo="text+x")
        fig3.update_layout(xaxis_title="reliability p (probability the promised relief is kept)",
                           yaxis_title="allies in a stable coalition")
        mr = self.min_reliability()
        never = mr.isna().to_numpy()
        fig4 = go.Figure(go.Bar(x=np.where(never, 1.0, mr.fillna(0).to_numpy()), y=mr.index,
                                orientation="h", textposition="auto",
                                marker={"color": np.where(never, "#d3d3d3", "#1f77b4").tolist()},
                                text=["never" if n else f"{v:.2f}" for n, v in zip(never, mr, strict=True)]))
        fig4.update_layout(xaxis_title="least reliability at which the ally stays in the grand "
                           "coalition (grey: at no reliability)", xaxis_range=[0, 1.02])
        return figures + [("Each ally's Shapley value", fig2),
                          ("Stable coalitions as the reliability of relief varies", fig3),
                          ("Least reliability at which each ally stays", fig4)]


DEFINITIONS = (
    "leverage = target's real-income loss (USD) per USD of real income lost by the coalition "
    "(leader + members), expected over relief kept with probability p; null with "
    "coalition_gains = true when the coalition loses nothing; Shapley values: average marginal "
    "contribution of each ally to the target's loss; stable: no member gains by leaving, no "
    "outsider by joining (payoffs p W(relief) + (1-p) W(no relief)); min_reliability: least p "
    "at which an ally stays in the grand coalition (null: never). See docs/coalitions.md.")


# ---------------------------------------------------------------------------------------------
# orchestration
# ---------------------------------------------------------------------------------------------
def seconds_per_coalition(game: CoalitionGame, sample: int = 8, backend: str = "numpy") -> float:
    """Measured wall seconds per coalition (all its worlds) on this machine, from ``sample``
    coalitions (one for ``optimal`` retaliation, the cheapest: the leader alone)."""
    rng = np.random.default_rng(0)
    if game.retaliation == "optimal":
        masks = [0]
    else:
        masks = [int(m) for m in rng.integers(0, 2 ** min(game.n, 62), size=sample)]
    items = [(m, r) for m in masks for r in ((0, 1) if game.ally_tariffs is not None else (0,))]
    begin = time.perf_counter()
    solve_worlds(_Job(game, backend=backend), items)
    return (time.perf_counter() - begin) / len(masks)


def seconds_per_solve(economy: Economy, batched: bool = True) -> float:
    """A rough a-priori estimate of one equilibrium solve, seconds (4 ms at 14 x 28 in a
    batch, measured 4-10 ms; three times that alone), to size chunks and choose between serial and
    parallel runs, never to compute results."""
    return (1.0 if batched else 3.0) * 7e-7 * economy.n_countries ** 2 * economy.n_sectors


def local_workers(workers: int | None, scheduler: str | None, seconds: float) -> int | None:
    """``workers`` as given, or 1 for a local run estimated below :data:`SERIAL_BELOW`."""
    address = scheduler if scheduler is not None else os.environ.get("DASK_SCHEDULER_ADDRESS", "")
    if workers is not None or address.strip().lower() not in ("", "local"):
        return workers
    return 1 if seconds < SERIAL_BELOW else None


def check_size(game: CoalitionGame, force: bool, workers: int | None = None) -> None:
    """Refuse more than :data:`MAX_ALLIES` allies unless ``force``, with a measured estimate."""
    if game.n <= MAX_ALLIES or force:
        return
    per = seconds_per_coalition(game)
    cpus = workers or (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                       else os.cpu_count() or 1)
    total = per * 2 ** game.n / max(cpus, 1)
    at_least = " at least" if game.retaliation == "optimal" else ""
    raise UserInputError(
        f"allies: {game.n} allies make {2 ** game.n:,} coalitions: that would take{at_least} about "
        f"{_duration(total)} here ({per * 1e3:.1f} ms per coalition measured on this machine, "
        f"{cpus} worker(s)); allowed: at most {MAX_ALLIES} allies, or pass --force (force=True)")


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def coalition_analysis(
    baseline: Any = None,
    *,
    game: CoalitionGame | None = None,
    reliability: float = 1.0,
    force: bool = False,
    scheduler: str | None = None,
    workers: int | None = None,
    checkpoint_dir: Path | str | None = None,
    progress: Any = False,
    backend: str = "numpy",
    raise_on_failure: bool = True,
    tol: float | None = None,
    max_iter: int | None = None,
    **game_options: Any,
) -> CoalitionResult:
    """Solve every coalition of the allies and evaluate leverage, Shapley values, stability.

    Give a ``baseline`` with the options of :func:`coalition_game` (``leader``, ``target``,
    ``allies``, ``tariff``, ``sectors``, ``retaliation``, ``us_tariffs_on_allies``, ``start``,
    ``deficits``), or a compiled ``game``. The 2^n coalitions (each twice when the leader
    tariffs the allies) are solved in batches (``solve_batch``, ``backend``) in chunks through
    :func:`tradewar.run.run_chunks`: local processes by default (``workers``; in this process
    when the estimated work is under :data:`SERIAL_BELOW` seconds), a Dask cluster with
    ``scheduler``; ``checkpoint_dir`` keeps finished chunks (resume). ``optimal`` retaliation
    solves the target's best response in every world (0.5-10 s each on g14): keep n small.

    Raises
    ------
    UserInputError
        Bad options; more than :data:`MAX_ALLIES` allies without ``force``; an unreachable
        scheduler.
    NonConvergenceError
        Some coalition did not converge (with ``raise_on_failure``; else recorded in
        ``errors``).
    """
    from ..run import chunk, fingerprint, run_chunks

    if game is None:
        if baseline is None:
            raise UserInputError("coalition_analysis needs a baseline (or a compiled game)")
        game = coalition_game(baseline, **game_options)
    elif game_options:
        raise UserInputError(f"options {sorted(game_options)} are given with a compiled game; "
                             "allowed: one or the other")
    try:
        reliability = float(reliability)
    except (TypeError, ValueError):
        reliability = math.nan
    if not 0.0 <= reliability <= 1.0:
        raise UserInputError(f"reliability: {reliability}; allowed: a probability in [0, 1]")
    check_choice("solver backend", backend, ("numpy", "jax"))
    check_size(game, force, workers)
    items = worlds(game)
    size = 1 if game.retaliation == "optimal" else CHUNK
    per_world = 2.0 if game.retaliation == "optimal" else seconds_per_solve(game.economy)
    workers = local_workers(workers, scheduler, len(items) * per_world)
    chunks = chunk(items, size)
    job = _Job(game, backend=backend, tol=tol, max_iter=max_iter)
    key = f"coalitions-{fingerprint(job, chunks)}"
    outcome = run_chunks(solve_worlds, job, chunks, scheduler=scheduler, workers=workers,
                         checkpoint_dir=checkpoint_dir, run_key=key, progress=progress,
                         description=f"{2 ** game.n} coalitions")
    n_econ = game.economy.n_countries
    rhat = np.full((2 ** game.n, 2, n_econ), np.nan)
    errors = [""] * 2 ** game.n
    frame = outcome.frame
    if len(frame):
        m = frame["mask"].to_numpy()
        r = frame["relief"].to_numpy()
        e = frame["economy"].to_numpy()
        rhat[m, r, e] = frame["real_income_hat"].to_numpy()
        for mask, error in frame.loc[frame["error"] != "", ["mask", "error"]].drop_duplicates("mask").itertuples(index=False):
            errors[int(mask)] = str(error)
    for index, message in outcome.failed:
        for mask, _ in chunks[index]:
            errors[int(mask)] = errors[int(mask)] or f"chunk failed: {message}"
    if game.ally_tariffs is None:
        rhat[:, 1] = rhat[:, 0]
    else:
        rhat[0, 1] = rhat[0, 0]
    for mask in range(2 ** game.n):
        if not errors[mask] and not np.isfinite(rhat[mask]).all():
            errors[mask] = "no result"
    result = CoalitionResult(game=game, reliability=reliability, real_income_hat=rhat,
                             errors=tuple(errors), seconds=outcome.seconds,
                             backend=outcome.backend, resumed_chunks=outcome.resumed_chunks)
    if raise_on_failure and result.failed:
        shown = "; ".join(f"{' + '.join(game.members(m))}: {errors[m]}" for m in result.failed[:3])
        raise NonConvergenceError(f"{len(result.failed)} of {2 ** game.n} coalitions have no "
                                  f"equilibrium result ({shown})")
    return result
