"""The demand of the escalation game: what it asks of the target, checked on compiled arrays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ...data import goods_mask
from ...errors import UserInputError
from ...model import Economy

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


def check_concession(compiled: Any, leader: str, target: str, name: str = "demand") -> Concession:
    """Check that a compiled demand (:class:`tradewar.scenario.CompiledScenario`) is a concession
    by ``target`` to ``leader``: it lowers the target's tariffs on imports from the leader
    (trade-weighted over the sectors it changes) or shrinks the target's surplus (its deficit
    rises), and does neither the opposite.

    Raises
    ------
    UserInputError
        The demand is not a concession; the message says what it does and what was expected.
    """
    start: Economy = compiled.start_economy
    t, ld = start.index_of(target), start.index_of(leader)
    before = np.asarray(start.tariffs)[t, ld]
    after = np.asarray(compiled.steps[-1].tariffs)[t, ld]
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


def default_demand(baseline: Any, leader: str, target: str, *, start: str = "in-force-2025",
                   data_dir: Any = None) -> tuple[Any, Any]:
    """The default demand and its compilation: ``(Scenario, CompiledScenario)``.

    The target cuts its tariffs on the leader's goods to the dataset's MFN/preferential level,
    sector by sector (for the US and China: China removes its 2018–19 retaliation, in force on
    2025-01-01). Where the status quo is already at that level (every pair but US–China), the
    target cuts them to zero instead.
    """
    from ...scenario import Scenario, TariffAction, compile_tariffs

    economy: Economy = baseline.economy
    t, ld = economy.index_of(target), economy.index_of(leader)
    goods = goods_mask(economy.sectors)
    sectors = [s for s, g in zip(economy.sectors, goods, strict=True) if g] or list(economy.sectors)

    def build(level: str) -> Any:
        actions = []
        for code in sectors:
            rate = float(economy.tariffs[t, ld, economy.sectors.index(code)]) if level == "mfn" else 0.0
            actions.append(TariffAction(importer=target, exporter=leader, sectors=[code], set=rate))
        what = ("to the dataset's MFN/preferential level (removing any retaliation layer in "
                "force)" if level == "mfn" else "to zero")
        return Scenario(
            name=f"{target.lower()}-cuts-tariffs-on-{leader.lower()}",
            description=f"{target} cuts its tariffs on {leader}'s goods {what}, sector by sector, "
            "from the status quo (the default demand of the escalation game).",
            start=start, retaliation="none", tariff=actions)  # type: ignore[arg-type]

    scenario = build("mfn")
    compiled = compile_tariffs(scenario, baseline, data_dir=data_dir)
    try:
        check_concession(compiled, leader, target, scenario.name)
    except UserInputError:
        scenario = build("zero")
        compiled = compile_tariffs(scenario, baseline, data_dir=data_dir)
        try:
            check_concession(compiled, leader, target, scenario.name)
        except UserInputError:
            raise UserInputError(
                f"demand: no default concession of {target} to {leader}: its tariffs on "
                f"{leader}'s goods are already zero in the status quo; allowed: give a demand "
                "(a built-in such as 'rebalance-china', or a TOML file) that lowers its tariffs "
                "on the leader or shrinks its surplus") from None
    return scenario, compiled



def resolve_demand(spec: Any, baseline: Any, leader: str, target: str, start: str,
            data_dir: Any) -> tuple[Any, Any, Concession]:
    from ...scenario import compile_tariffs, resolve_scenario

    if spec is None or (isinstance(spec, str) and spec.strip().lower() in ("", "default")):
        scenario, compiled = default_demand(baseline, leader, target, start=start, data_dir=data_dir)
    else:
        scenario = resolve_scenario(spec)
        compiled = compile_tariffs(scenario, baseline, data_dir=data_dir)
    if compiled.closure == "zero":
        raise UserInputError(f"demand {scenario.name!r}: closure 'zero' measures welfare from an "
                             "economy with deficits purged, not from the status quo; allowed: "
                             "'fixed', 'proportional' or 'given' (deficit changes)")
    return scenario, compiled, check_concession(compiled, leader, target, scenario.name)
