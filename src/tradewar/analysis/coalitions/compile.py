"""Validate a coalition question and compile it on a baseline (:func:`coalition_game`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ...data import BLOCS, goods_mask, parse_layer_reference
from ...errors import (
    TradewarError,
    UnknownCountryError,
    UserInputError,
    check_choice,
)
from ...model import Economy
from ...options import DEFICIT_CLOSURES, DeficitClosure
from ...scenario import StartingPoint, expand_name, select_sectors, starting_point
from .spec import DEFAULT_ALLIES, RETALIATION_CHOICES, CoalitionGame, status_quo

if TYPE_CHECKING:
    from ...data import Baseline


def ally_groups(economy: Economy, allies: Sequence[str], leader: int, target: int) -> list[tuple[int, ...]]:
    """Each ally as the indices of the economies it stands for (a bloc such as EU27 expands to
    its members present); raises if an ally is unknown, is (or contains) the leader or the
    target, or overlaps another ally."""
    countries = economy.countries
    groups: list[tuple[int, ...]] = []
    seen: dict[int, str] = {}
    for ally in allies:
        selection = expand_name(countries, ally)
        if selection is None or selection.kind == "all" or not len(selection.indices):
            raise UnknownCountryError(ally, list(countries) + [b for b in BLOCS if any(
                c in countries for c in BLOCS[b])], where="allies")
        group: tuple[int, ...] = tuple(int(i) for i in selection.indices)
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


def _leader_tariffs(spec: Any, baseline: Baseline, start: StartingPoint, leader: int,
                    groups: list[tuple[int, ...]], data_dir: Any) -> tuple[np.ndarray | None, str]:
    """The leader's tariffs on the allies (points on the start), from a scenario or a layer."""
    from ...scenario import add_points, compile_tariffs, layer_rates, resolve_scenario

    if spec is None or (isinstance(spec, str) and spec.strip().lower() in ("", "none")):
        return None, "none"
    economy = start.economy
    cols = [e for g in groups for e in g]
    label = spec if isinstance(spec, str) else getattr(spec, "name", "scenario")
    if isinstance(spec, str) and ":" in spec and not Path(spec).exists():
        # a tariff layer: its rates on each ally's goods, by the tariff algebra (no scenario)
        try:
            parse_layer_reference(spec)
            rates, _ = layer_rates(baseline, spec, cols, data_dir=data_dir)
        except (ValueError, TradewarError) as exc:
            raise UserInputError(f"us_tariffs_on_allies: {exc}") from None
        relief = add_points(np.zeros_like(economy.tariffs), [leader], cols,
                            select_sectors(economy.sectors, "goods"), rates[None])
    else:
        compiled = compile_tariffs(resolve_scenario(spec), baseline, data_dir=data_dir)
        if compiled.solve_kwargs():
            raise UserInputError(f"us_tariffs_on_allies: {label!r} holds non-tariff actions (trade "
                                 "costs, export taxes or bans, a deep agreement); allowed: tariff "
                                 "actions")
        delta = compiled.tariffs[-1] - compiled.start_economy.tariffs
        relief = np.zeros_like(economy.tariffs)
        relief[leader, cols, :] = delta[leader, cols, :]
    if not np.abs(relief).max() > 0:
        return None, f"{label} (no tariffs of the leader on the allies)"
    return relief, str(label)


def coalition_game(
    baseline: Baseline,
    *,
    leader: str = "USA",
    target: str = "CHN",
    allies: Sequence[str] = DEFAULT_ALLIES,
    tariff: float = 0.5,
    sectors: str | Sequence[str] = "goods",
    retaliation: str = "mirror",
    us_tariffs_on_allies: Any = None,
    start: str = "in-force-2025",
    deficits: DeficitClosure = "fixed",
    data_dir: Any = None,
    ban_sectors: str | Sequence[str] | None = None,
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
    ban_sectors : None | "goods" | "all" | list of sector codes
        Export controls besides the tariff: every member also bans its exports of these sectors
        to the target (e.g. ``["C26"]``, electronics). Default: none (tariffs only).

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
    mask = select_sectors(economy.sectors, sectors, where="sectors")
    point = starting_point(baseline, start, data_dir=data_dir)  # type: ignore[arg-type]
    relief, label = _leader_tariffs(us_tariffs_on_allies, baseline, point, lead, groups, data_dir)
    members = [lead] + [e for g in groups for e in g]
    lowest = min(point.economy.tariffs[members][:, tgt][:, mask].min(),
                 point.economy.tariffs[tgt][members][:, mask].min())
    if lowest + tariff <= -1.0:
        raise UserInputError(f"tariff: {tariff:g} would take a tariff to {100 * (lowest + tariff):.0f} "
                             "%; allowed: rates above -100 %")
    economy_0 = status_quo(point.economy, relief, deficits)
    bans = None if ban_sectors is None else select_sectors(economy.sectors, ban_sectors, where="ban_sectors")
    info = {key: getattr(baseline, key, None) for key in ("dataset", "year", "elasticity", "regions")}
    notes = [f"starting point: tariffs {point.text}",
             f"every change is measured from the status quo: that start plus the leader's tariffs "
             f"on every ally ({label}), no coalition"]
    if bans is not None:
        notes.append("export controls: every member also bans its exports of "
                     + ", ".join(np.asarray(economy.sectors)[bans]) + f" to {target} (no rents: nothing is sold)")
    return CoalitionGame(
        economy=economy_0, start=point, leader=lead, target=tgt, allies=tuple(allies),
        groups=tuple(groups), tariff=tariff, sectors=mask, goods=goods_mask(economy.sectors),
        retaliation=retaliation, ally_tariffs=relief, deficits=deficits, us_tariffs_on_allies=label,
        notes=tuple(notes), info=info, ban_sectors=bans)
