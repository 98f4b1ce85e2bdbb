"""Reading the JSON of a scenario run (``docs/json-contract.md``) for the report.

Small pure helpers shared by :mod:`tradewar.report.charts` and :mod:`tradewar.report.html`:
validation at the boundary, number lookup that tolerates missing keys, the choice of the "main"
countries, and the expansion of regions (EU27, ROW, user regions) to the economies on the map.
Nothing here mutates its input.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..data import BLOCS
from ..errors import UserInputError

#: Keys of a run that name the rest of the world (whatever the baseline does not list).
ROW_NAMES: frozenset[str] = frozenset({"ROW", "RoW", "row"})

Run = Mapping[str, Any]


def check_run(run: object, where: str = "run") -> Run:
    """Return ``run`` after checking it looks like the JSON of a scenario run.

    Raises :class:`~tradewar.errors.UserInputError` naming the offending key: ``run`` must be a
    mapping whose ``countries`` maps economy codes to mappings of numbers (``welfare_pct`` …).
    """
    if not isinstance(run, Mapping):
        raise UserInputError(
            f"{where}: expected the JSON object of a scenario run (a dict with 'scenario', "
            f"'baseline', 'countries', …; see docs/json-contract.md), got {type(run).__name__}"
        )
    countries = run.get("countries")
    if not isinstance(countries, Mapping) or not countries:
        raise UserInputError(
            f"{where}: key 'countries' must be a non-empty object mapping economy codes to "
            f"results (e.g. {{\"USA\": {{\"welfare_pct\": -0.4, …}}}}); got {countries!r:.80}"
        )
    for code, row in countries.items():
        if not isinstance(code, str) or not isinstance(row, Mapping):
            raise UserInputError(
                f"{where}: countries[{code!r}] must be an object of results keyed by an economy "
                f"code (a string), got {type(row).__name__}"
            )
    for key, kind in (("steps", list), ("bilateral", list), ("sectors", list)):
        value = run.get(key)
        if value is not None and not isinstance(value, kind):
            raise UserInputError(f"{where}: key {key!r} must be a list, got {type(value).__name__}")
    members = run.get("region_members")
    if members is not None and not (
        isinstance(members, Mapping)
        and all(isinstance(v, Sequence) and not isinstance(v, str) for v in members.values())
    ):
        raise UserInputError(
            f"{where}: key 'region_members' must map region names to lists of ISO3 codes, "
            f"got {members!r:.80}"
        )
    return run


def number(row: Mapping[str, Any] | None, key: str) -> float | None:
    """``row[key]`` as a finite float, or ``None`` when missing, null, NaN or not a number."""
    if row is None:
        return None
    value = row.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def scenario_name(run: Run) -> str:
    """The scenario's name (``run["scenario"]``, or its ``name`` if it is an object)."""
    scenario = run.get("scenario")
    if isinstance(scenario, Mapping):
        scenario = scenario.get("name")
    return str(scenario) if scenario not in (None, "") else "unnamed scenario"


def welfare_order(run: Run) -> list[str]:
    """Economies of ``run["countries"]`` from the largest welfare loss to the largest gain;
    economies without a welfare number come last, in their given order."""
    countries = run["countries"]
    values = {c: number(countries[c], "welfare_pct") for c in countries}
    with_value = {c: v for c, v in values.items() if v is not None}
    without = [c for c in countries if c not in with_value]
    return sorted(with_value, key=with_value.__getitem__) + without


def sector_countries(run: Run) -> list[str]:
    """Countries that have rows in ``run["sectors"]`` (the countries named in the scenario),
    in order of first appearance."""
    seen: dict[str, None] = {}
    for row in run.get("sectors") or []:
        if isinstance(row, Mapping) and isinstance(row.get("country"), str):
            seen.setdefault(row["country"], None)
    return list(seen)


def main_countries(
    run: Run, *, n_min: int = 2, n_max: int = 6, share: float = 0.25
) -> list[str]:
    """The countries a report details: the largest welfare changes plus those named in the
    scenario.

    The economies with the largest absolute welfare change are taken in order: always the first
    ``n_min``, then more (up to ``n_max``) while their absolute change is at least ``share`` of
    the largest. The countries named in the scenario (those with sector rows, see the contract)
    follow, without repeats.
    """
    countries = run["countries"]
    ranked = sorted(
        (c for c in countries if number(countries[c], "welfare_pct") is not None),
        key=lambda c: -abs(number(countries[c], "welfare_pct") or 0.0),
    )
    chosen: list[str] = []
    largest = abs(number(countries[ranked[0]], "welfare_pct") or 0.0) if ranked else 0.0
    for code in ranked[:n_max]:
        size = abs(number(countries[code], "welfare_pct") or 0.0)
        if len(chosen) < n_min or (largest > 0 and size >= share * largest):
            chosen.append(code)
    for code in sector_countries(run):
        if code not in chosen:
            chosen.append(code)
    return chosen


def region_members(run: Run) -> dict[str, tuple[str, ...]]:
    """Members of every region of ``run`` that is not a single economy.

    Taken from the run's optional ``region_members`` key (an aggregated baseline), else from the
    named blocs of :data:`tradewar.data._blocs.BLOCS` (EU27, USMCA, ASEAN…). The rest of the
    world (``ROW``) is not listed here: see :func:`map_assignment`.
    """
    given = run.get("region_members") or {}
    found: dict[str, tuple[str, ...]] = {}
    for code in run["countries"]:
        if code in given:
            found[code] = tuple(str(m) for m in given[code])
        elif code in BLOCS:
            found[code] = BLOCS[code]
    return found


def map_assignment(run: Run, universe: Iterable[str]) -> dict[str, str]:
    """Map each economy drawn on the map (ISO3) to the key of ``run["countries"]`` colouring it.

    Parameters
    ----------
    run : the run JSON.
    universe : every ISO3 code the map can draw (the ids of the TopoJSON's countries).

    Single economies claim themselves first; then regions (``region_members`` or a named bloc)
    claim their members not yet claimed; then the rest of the world (``ROW``), unless its
    members are given, claims every remaining economy of ``universe``. Economies of
    ``universe`` left unclaimed have no data.
    """
    universe = [u for u in universe if u]
    members = region_members(run)
    assignment: dict[str, str] = {}
    rest: list[str] = []
    for code in run["countries"]:
        if code in members:
            continue
        if code in ROW_NAMES:
            rest.append(code)
        else:
            assignment.setdefault(code, code)
    for code, group in members.items():
        for member in group:
            assignment.setdefault(member, code)
    for code in rest:
        for economy in universe:
            assignment.setdefault(economy, code)
    return assignment


def fmt_pct(value: float | None, digits: int = 2) -> str:
    """A percent change with its sign (``+0.12``), or an em dash when missing."""
    return "—" if value is None else f"{value:+.{digits}f}"


def fmt_usd(musd: float | None) -> str:
    """Millions of USD in words a reader scans: ``-90.0 bn USD`` or ``+850 million USD``."""
    if musd is None:
        return "—"
    if abs(musd) >= 1000:
        return f"{musd / 1000:+,.1f} bn USD"
    return f"{musd:+,.0f} million USD"
