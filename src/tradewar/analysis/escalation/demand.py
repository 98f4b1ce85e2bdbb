"""The demand of the escalation game: what it asks of the target, checked on compiled arrays.

A demand is a :class:`Demand`: the status quo (starting economy) and the tariffs (and deficits)
the target would concede to. A scenario demand is compiled by the scenario layer; the default
demand is built directly with the tariff algebra (:func:`tradewar.scenario.set_rates` on
:func:`tradewar.scenario.starting_point`) — no scenario is built to reach the compiler.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ...data import goods_mask
from ...errors import UserInputError
from ...model import Economy

if TYPE_CHECKING:
    from ...data import Baseline

#: A demand must move the target's tariffs or deficit by more than this to count.
_CONCESSION_TOL = 1e-9


@dataclass(frozen=True)
class Concession:
    """What a demand asks of the target, measured on the compiled arrays.

    ``tariff_change_points``: change of the target's tariffs on imports from the leader,
    averaged over the sectors the demand changes with the status-quo imports of the target
    from the leader as weights (percentage points; negative = a cut).
    ``deficit_change_musd``: change of the target's trade deficit (imports - exports, millions
    USD; positive = its surplus shrinks)."""

    tariff_change_points: float
    deficit_change_musd: float
    tariff_cut: bool
    surplus_cut: bool


@dataclass(frozen=True, eq=False)
class Demand:
    """A demand as arrays: what the target concedes, from the status quo.

    Attributes
    ----------
    name, description, source : str
        The demand's name and description; ``source``: its file, ``"default_demand"`` or
        ``"python"``.
    start_economy : Economy
        The status quo (every payoff is a change from it).
    tariffs : (N, N, J) array
        Tariffs after the concession (fractions, ``[importer, exporter, sector]``).
    deficits_new : (N,) array or None
        Deficits after the concession (millions USD), with ``closure = "given"``.
    closure : str or None
        The demand's own deficit closure (None: the game's).
    starting_tariffs : str
        The status quo's tariffs in a phrase; ``notes``: the assumptions of the start.
    ladder : bool
        The demand was a dated ladder (its last step is the concession).
    """

    name: str
    description: str
    source: str
    start_economy: Economy
    tariffs: np.ndarray
    deficits_new: np.ndarray | None
    closure: str | None
    starting_tariffs: str
    notes: tuple[str, ...] = ()
    ladder: bool = False

    @classmethod
    def from_compiled(cls, scenario: Any, compiled: Any, source: str) -> Demand:
        """A demand from a scenario and its :class:`tradewar.scenario.CompiledScenario`."""
        return cls(name=scenario.name, description=scenario.description,
                   source=scenario.source or source, start_economy=compiled.start_economy,
                   tariffs=compiled.steps[-1].tariffs, deficits_new=compiled.deficits_new,
                   closure=compiled.closure, starting_tariffs=compiled.starting_tariffs,
                   notes=tuple(compiled.notes), ladder=len(scenario.step) > 1)


def check_concession(compiled: Any, leader: str, target: str, name: str = "demand") -> Concession:
    """Check that a demand (a :class:`Demand`, or a compiled scenario:
    :class:`tradewar.scenario.CompiledScenario`, its last step) is a concession
    by ``target`` to ``leader``: it lowers the target's tariffs on imports from the leader
    (trade-weighted over the sectors it changes) or shrinks the target's surplus (its deficit
    rises), and does neither the opposite.

    Raises
    ------
    UserInputError
        The demand is not a concession; the message says what it does and what was expected.
    """
    start: Economy = compiled.start_economy
    final = compiled.tariffs if isinstance(compiled, Demand) else compiled.steps[-1].tariffs
    t, ld = start.index_of(target), start.index_of(leader)
    before = np.asarray(start.tariffs)[t, ld]
    after = np.asarray(final)[t, ld]
    moved = np.abs(after - before) > _CONCESSION_TOL
    change, n_moved = 0.0, int(moved.sum())
    if n_moved:  # trade-weighted over the sectors the demand changes (sign: over every sector)
        weights = np.asarray(start.flows)[t, ld, moved]
        if weights.sum() <= 0:
            weights = np.ones_like(weights)
        change = float(((after - before)[moved] * weights).sum() / weights.sum())
    deficit_change = 0.0
    deficits_new = compiled.deficits_new
    if deficits_new is not None:
        deficit_change = float(np.asarray(deficits_new)[t] - np.asarray(start.deficit)[t])
        if abs(deficit_change) <= _CONCESSION_TOL * float(np.abs(np.asarray(start.value_added, dtype=float)).sum()):
            deficit_change = 0.0
    tariff_cut, tariff_rise = change < -_CONCESSION_TOL, change > _CONCESSION_TOL
    surplus_cut, surplus_rise = deficit_change > 0.0, deficit_change < 0.0
    if (tariff_cut or surplus_cut) and not (tariff_rise or surplus_rise):
        return Concession(100.0 * change, deficit_change, tariff_cut, surplus_cut)
    does = []
    does.append(f"changes {target}'s tariffs on imports from {leader} by {100.0 * change:+.3g} "
                f"points (trade-weighted over the {n_moved} sectors it changes)" if change else f"leaves {target}'s tariffs on imports "
                f"from {leader} unchanged")
    does.append(f"changes {target}'s trade deficit by {deficit_change:+,.0f} million USD"
                if deficit_change else f"leaves {target}'s trade balance unchanged")
    raise UserInputError(
        f"demand {name!r} is not a concession by {target} to {leader}: it " + " and ".join(does)
        + f"; expected: a scenario that lowers {target}'s tariffs on imports from {leader} or shrinks "
        f"{target}'s trade surplus (raises its deficit), and does neither the opposite — e.g. the "
        "default demand (omit it) or the built-in 'rebalance-china'")


def default_demand(baseline: Baseline, leader: str, target: str, *, start: str = "in-force-2025",
                   data_dir: Any = None) -> Demand:
    """The default demand (:class:`Demand`).

    The target cuts its tariffs on the leader's goods to the dataset's MFN/preferential level,
    sector by sector (for the US and China: China removes its 2018–19 retaliation, in force on
    2025-01-01). Where the status quo is already at that level (every pair but US–China), the
    target cuts them to zero instead. Built with the tariff algebra on the starting point.
    """
    from ...scenario import set_rates, starting_point

    economy: Economy = baseline.economy
    t, ld = economy.index_of(target), economy.index_of(leader)
    goods = goods_mask(economy.sectors)
    if not goods.any():
        goods = np.ones(economy.n_sectors, dtype=bool)
    point = starting_point(baseline, start, data_dir=data_dir)  # type: ignore[arg-type]
    name = f"{target.lower()}-cuts-tariffs-on-{leader.lower()}"
    for level in ("mfn", "zero"):
        rates = np.asarray(economy.tariffs[t, ld], dtype=np.float64) if level == "mfn" else 0.0
        what = ("to the dataset's MFN/preferential level (removing any retaliation layer in "
                "force)" if level == "mfn" else "to zero")
        demand = Demand(
            name=name, source="default_demand",
            description=f"{target} cuts its tariffs on {leader}'s goods {what}, sector by sector, "
            "from the status quo (the default demand of the escalation game).",
            start_economy=point.economy,
            tariffs=set_rates(point.economy.tariffs, [t], [ld], goods, rates),
            deficits_new=None, closure=None, starting_tariffs=point.text,
            notes=tuple(dict.fromkeys(point.notes)))
        try:
            check_concession(demand, leader, target, name)
        except UserInputError:
            continue
        return demand
    raise UserInputError(
        f"demand: no default concession of {target} to {leader}: its tariffs on "
        f"{leader}'s goods are already zero in the status quo; allowed: give a demand "
        "(a built-in such as 'rebalance-china', or a TOML file) that lowers its tariffs "
        "on the leader or shrinks its surplus")


def resolve_demand(spec: Any, baseline: Baseline, leader: str, target: str, start: str,
                   data_dir: Any) -> tuple[Demand, Concession]:
    """The demand ``spec`` (None/"default": :func:`default_demand`; else a built-in name, a TOML
    path or a Scenario, compiled) on ``baseline``, checked to be a concession."""
    from ...scenario import compile_tariffs, resolve_scenario

    if spec is None or (isinstance(spec, str) and spec.strip().lower() in ("", "default")):
        demand = default_demand(baseline, leader, target, start=start, data_dir=data_dir)
    else:
        scenario = resolve_scenario(spec)
        compiled = compile_tariffs(scenario, baseline, data_dir=data_dir)
        if compiled.solve_kwargs():
            raise UserInputError(f"demand {scenario.name!r}: holds non-tariff actions (trade costs, "
                                 "export taxes or bans, a deep agreement), which a demand cannot "
                                 "express; allowed: tariff actions, tariff-only agreements and "
                                 "deficit changes (the target resists with export controls via "
                                 "resist_with)")
        demand = Demand.from_compiled(scenario, compiled, source="python")
    if demand.closure == "zero":
        raise UserInputError(f"demand {demand.name!r}: closure 'zero' measures welfare from an "
                             "economy with deficits purged, not from the status quo; allowed: "
                             "'fixed', 'proportional' or 'given' (deficit changes)")
    return demand, check_concession(demand, leader, target, demand.name)
