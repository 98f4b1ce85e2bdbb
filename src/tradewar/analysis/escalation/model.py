"""The solves of the escalation game: war tariffs (tariff algebra), the demand and every war
in one batch (:func:`escalation_game`).

Extension point: :func:`war_tariffs` says what a carried-out threat does to the tariff
array (and the ``mirror`` answer); :func:`war_export_controls` is the target's other answer,
export controls (``resist_with``), passed to the engine as banned flows.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ...data import goods_mask
from ...errors import UserInputError, check_choice, raise_if_failed
from ...model import Economy, Equilibrium, solve, solve_batch
from ...options import DeficitClosure
from ...scenario import add_points, mirror
from ..coalitions import ally_groups
from .demand import resolve_demand
from .results import EscalationResult, WarOutcome
from .spec import (
    DEFAULT_AUDIENCE_COST,
    DEFAULT_C_GRID,
    DEFAULT_CAPITULATION_COST,
    DEFAULT_CONTROL_SECTORS,
    DEFAULT_D_GRID,
    DEFAULT_THREATS,
    RESIST_WITH_CHOICES,
    RETALIATION_CHOICES,
    ProgressCallback,
    check_grid,
    check_number,
)

if TYPE_CHECKING:
    from ...data import Baseline


def war_tariffs(economy: Economy, threat: float, threateners: Sequence[int], target: int,
                 goods: np.ndarray, retaliation: str) -> np.ndarray:
    """Tariffs (N, N, J) after the threat is carried out: each threatener adds ``threat``
    points (fraction) on the target's ``goods`` (tariff algebra :func:`tradewar.scenario.add_points`);
    with ``mirror`` the target answers with the same points (:func:`tradewar.scenario.mirror`)."""
    rows = np.asarray(threateners, dtype=np.int64)
    tgt = np.array([target], dtype=np.int64)
    added = add_points(np.zeros_like(economy.tariffs), rows, tgt, goods, threat)
    tau = add_points(economy.tariffs, rows, tgt, goods, threat)
    if retaliation == "mirror":
        tau = mirror(tau, added, goods)
    return tau


def war_export_controls(economy: Economy, threateners: Sequence[int], target: int,
                        sectors: np.ndarray) -> np.ndarray:
    """The target's export ban on the threateners in ``sectors`` (boolean (J,) mask): the
    ``blocked`` mask (N, N, J) of :func:`tradewar.model.solve_batch` (flows target ->
    threatener stop; no rents: nothing is sold)."""
    blocked = np.zeros(economy.tariffs.shape, dtype=bool)
    rows = np.asarray([m for m in threateners if m != target], dtype=np.int64)
    blocked[np.ix_(rows, np.array([target]), np.flatnonzero(sectors))] = True
    return blocked


def control_mask(economy: Economy, sectors: Sequence[str]) -> np.ndarray:
    """Boolean (J,) mask of the sector codes of the export controls (unknown codes: an error
    listing the allowed codes)."""
    codes = [sectors] if isinstance(sectors, str) else list(sectors)
    if not codes:
        raise UserInputError("control_sectors: empty; allowed: a non-empty list of sector codes of "
                             "the baseline: " + ", ".join(economy.sectors))
    mask = np.zeros(economy.n_sectors, dtype=bool)
    for code in codes:
        mask[economy.sector_index(str(code))] = True
    return mask


def escalation_game(
    baseline: Baseline,
    *,
    leader: str = "USA",
    target: str = "CHN",
    threat: float = 1.45,
    demand: Any = None,
    allies: Sequence[str] = (),
    retaliation: str = "mirror",
    capitulation_cost: float = DEFAULT_CAPITULATION_COST,
    audience_cost: float = DEFAULT_AUDIENCE_COST,
    threats: Sequence[float] = DEFAULT_THREATS,
    d_grid: Sequence[float] = DEFAULT_D_GRID,
    c_grid: Sequence[float] = DEFAULT_C_GRID,
    deficits: DeficitClosure = "fixed",
    start: str = "in-force-2025",
    data_dir: Any = None,
    progress: ProgressCallback | None = None,
    resist_with: str = "tariffs",
    control_sectors: Sequence[str] = DEFAULT_CONTROL_SECTORS,
) -> EscalationResult:
    """Solve the escalation game on ``baseline`` (a :class:`tradewar.data.Baseline`, or anything
    with ``.economy``; ``.dataset``, ``.year``… are used when present).

    Parameters
    ----------
    leader, target : str
        Economy codes of the baseline.
    threat : float
        Points the leader (and each ally) adds on the target's goods if it carries out the
        threat (fraction: 1.45 = +145 points); > 0.
    demand : None | "default" | built-in name | TOML path | Scenario
        The concession asked of the target. Default: :func:`default_demand` (the target cuts its
        tariffs on the leader's goods to the MFN level). Its starting point is the status quo.
    allies : list of str
        Economy codes or bloc names (acting as one) joining the threat.
    retaliation : {"none", "mirror", "optimal"}
        The target's answer to a carried-out threat. ``optimal`` solves a best response per
        war (about 10 s each on the g14 regions).
    capitulation_cost, audience_cost : float
        ``d`` and ``c`` (% of real income, >= 0) of the headline outcome.
    threats, d_grid, c_grid : lists of float
        Grids of threat levels (the headline threat is added), of ``d`` and of ``c``.
    deficits : {"fixed", "proportional"}
        Deficit closure of the war equilibria (the demand keeps its own closure; with deficit
        changes it is ``given``).
    start : {"in-force-2025", "baseline"}
        Starting point of the default demand (a given demand carries its own).
    progress : callable, optional
        ``progress(done, total)`` after each war for ``optimal`` retaliation.
    resist_with : {"tariffs", "export_controls", "both"}
        How the target answers a carried-out threat: with tariffs (``retaliation``, the
        default), with export controls instead (a ban of its exports to every threatener in
        ``control_sectors``; ``retaliation`` is then ignored: no tariff answer), or both.
    control_sectors : list of str
        Sector codes of the export controls (default B07 and C24B: rare-earth ores, oxides,
        metals and alloys; see the built-in ``china-export-controls-2025``).

    Raises
    ------
    UserInputError
        Unknown codes, the leader as target or ally, a threat that is not a positive number, a
        negative cost, an unknown option, a demand that is not a concession.
    NonConvergenceError
        An equilibrium did not converge.
    """
    begin = time.perf_counter()
    check_choice("retaliation", retaliation, RETALIATION_CHOICES)
    check_choice("resist_with", resist_with, RESIST_WITH_CHOICES)
    if resist_with == "export_controls":
        retaliation = "none"
    check_choice("deficits", deficits, ("fixed", "proportional"))
    check_choice("start", start, ("in-force-2025", "baseline"))
    economy0: Economy = baseline.economy
    ld, tg = economy0.index_of(leader), economy0.index_of(target)
    if ld == tg:
        raise UserInputError(f"leader and target are both {leader}; allowed: two different economies")
    threat = check_number("threat", threat, lower=0.0, strict=True,
                     allowed="a positive number of points as a fraction (1.45 = +145 points)")
    d = check_number("capitulation cost", capitulation_cost, lower=0.0,
                allowed="a number >= 0 (% of real income)")
    c = check_number("audience cost", audience_cost, lower=0.0, allowed="a number >= 0 (% of real income)")
    grid_t = check_grid("threats", threats, lower=0.0, strict=True, allowed="positive numbers (fractions)")
    grid_t = tuple(sorted(set(grid_t) | {threat}))
    grid_d = check_grid("d_grid", d_grid, lower=0.0, strict=False, allowed="numbers >= 0 (% of real income)")
    grid_c = check_grid("c_grid", c_grid, lower=0.0, strict=False, allowed="numbers >= 0 (% of real income)")
    allies = [allies] if isinstance(allies, str) else list(allies)
    groups = ally_groups(economy0, allies, ld, tg)

    asked, concession = resolve_demand(demand, baseline, leader, target, start, data_dir)
    economy: Economy = asked.start_economy
    countries = economy.countries
    goods = goods_mask(economy.sectors)
    if not goods.any():
        goods = np.ones(economy.n_sectors, dtype=bool)
    controls = control_mask(economy, control_sectors) if resist_with != "tariffs" else None

    # the demand
    closure = asked.closure or deficits
    concede = solve(economy, asked.tariffs, deficits=closure, deficits_new=asked.deficits_new)

    # every war, deduplicated, in one batch
    everyone = (ld,) + tuple(e for g in groups for e in g)
    lanes: dict[tuple[float, tuple[int, ...]], int] = {}
    order: list[tuple[float, tuple[int, ...]]] = []

    def lane(t: float, members: tuple[int, ...]) -> tuple[float, tuple[int, ...]]:
        key = (t, tuple(sorted(members)))
        if key not in lanes:
            lanes[key] = len(order)
            order.append(key)
        return key

    keys_all = [lane(t, everyone) for t in grid_t]
    keys_alone = [lane(t, (ld,)) for t in grid_t]
    keys_ally = {a: lane(threat, (ld,) + g) for a, g in zip(allies, groups, strict=True)}
    tariffs = []
    for k, (t, members) in enumerate(order):
        tau = war_tariffs(economy, t, members, tg, goods, retaliation)
        if retaliation == "optimal":
            from ..optimal import optimal_retaliation

            tau = optimal_retaliation(economy, tau, target, [countries[m] for m in members],
                                      by="uniform", sectors=goods, deficits=deficits)
            if progress is not None:
                progress(k + 1, len(order))
        tariffs.append(tau)
    extra: dict[str, Any] = {}
    if controls is not None:
        extra["blocked"] = np.stack([war_export_controls(economy, members, tg, controls)
                                     for _, members in order])
    eqs = solve_batch(economy, np.stack(tariffs), deficits=deficits, **extra)
    for (t, members), eq in zip(order, eqs, strict=True):
        _raise_if_failed(eq, f"the war with +{100 * t:g} points by "
                         + " + ".join(countries[m] for m in members))

    def outcome(key: tuple[float, tuple[int, ...]]) -> WarOutcome:
        eq = eqs[lanes[key]]
        w = eq.welfare_pct
        names = tuple(countries[m] for m in key[1])
        return WarOutcome(threat=key[0], threateners=names, leader_pct=float(w[ld]),
                          target_pct=float(w[tg]),
                          welfare_pct={n: float(v) for n, v in zip(countries, w, strict=True)},
                          iterations=eq.diagnostics.iterations,
                          max_residual=eq.diagnostics.max_residual)

    wconcede = concede.welfare_pct
    info = {key: getattr(baseline, key, None) for key in ("dataset", "year", "elasticity", "regions")}
    notes = list(asked.notes) + [
        f"status quo: the starting point of the demand ({asked.starting_tariffs}); every "
        "payoff is a change from it",
        f"threat: {' + '.join((leader,) + tuple(allies))} add the threat on {target}'s goods "
        f"sectors; retaliation '{retaliation}'; war equilibria with deficits '{deficits}', the "
        f"demand with closure '{closure}'",
    ]
    if controls is not None:
        codes = ", ".join(np.asarray(economy.sectors)[controls])
        notes.append(
            f"resistance: {target} answers a carried-out threat with "
            + ("export controls only (no tariff answer)" if resist_with == "export_controls"
               else f"'{retaliation}' tariffs and export controls")
            + f": a ban of its exports of {codes} to every threatener (prohibitive: no rents)")
    if asked.ladder:
        notes.append(f"demand {asked.name!r} is a ladder: its last step is the concession")
    demand_info = {
        "name": asked.name,
        "description": " ".join(asked.description.split()),
        "source": asked.source,
        "tariff_change_points": concession.tariff_change_points,
        "deficit_change_musd": concession.deficit_change_musd,
        "closure": closure,
    }
    return EscalationResult(
        leader=leader, target=target, threat=threat, allies=tuple(allies), demand=demand_info,
        retaliation=retaliation, capitulation_cost_pct=d, audience_cost_pct=c,
        concede_leader_pct=float(wconcede[ld]), concede_target_pct=float(wconcede[tg]),
        concede_welfare_pct={n: float(v) for n, v in zip(countries, wconcede, strict=True)},
        threats=grid_t, war=tuple(outcome(k) for k in keys_all),
        war_alone=tuple(outcome(k) for k in keys_alone),
        war_by_ally={a: outcome(k) for a, k in keys_ally.items()},
        d_grid=grid_d, c_grid=grid_c, deficits=deficits, start=asked.starting_tariffs,
        info=info, notes=tuple(dict.fromkeys(notes)), solves=len(order) + 1,
        seconds=time.perf_counter() - begin, resist_with=resist_with,
        control_sectors=tuple(np.asarray(economy.sectors)[controls]) if controls is not None else ())


def _raise_if_failed(eq: Equilibrium, what: str) -> None:
    raise_if_failed(eq, what, advice="try a smaller threat")  # the one implementation (tradewar.errors)
