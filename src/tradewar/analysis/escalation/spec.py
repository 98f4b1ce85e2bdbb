"""Options of the escalation game: their values, defaults and input checks."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from ...errors import UserInputError
from ...options import RESIST_WITH, RETALIATIONS, ResistWith  # noqa: F401 (ResistWith re-exported)

#: Retaliation rules (:data:`tradewar.options.RETALIATIONS`).
RETALIATION_CHOICES: tuple[str, ...] = RETALIATIONS
#: How the target resists a carried-out threat: with tariffs (``retaliation``), with export
#: controls (a ban of its exports to the threateners in ``control_sectors``, no tariff answer),
#: or both (NTB, issue 12).
RESIST_WITH_CHOICES: tuple[str, ...] = RESIST_WITH  # ResistWith: tradewar.options
#: Sectors of the target's export controls: the producing industries of rare-earth ores, oxides,
#: metals and alloys (ICIO B07 mining of metal ores, C24B basic non-ferrous metals), as in the
#: built-in china-export-controls-2025 (which documents the mapping and its sources).
DEFAULT_CONTROL_SECTORS: tuple[str, ...] = ("B07", "C24B")
#: Threat levels of the grid (fractions: 1.0 = +100 points); the headline threat is added.
DEFAULT_THREATS: tuple[float, ...] = (0.1, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
#: Costs of capitulation d (% of real income) of the grid: 0 to 5 by 0.1.
DEFAULT_D_GRID: tuple[float, ...] = tuple(round(0.1 * k, 10) for k in range(51))
#: Audience costs c (% of real income) of the grid: 0 to 2 by 0.1.
DEFAULT_C_GRID: tuple[float, ...] = tuple(round(0.1 * k, 10) for k in range(21))
#: Default costs for the headline outcome (% of real income): illustrative, see the docs.
DEFAULT_CAPITULATION_COST = 1.0
DEFAULT_AUDIENCE_COST = 1.0


ProgressCallback = Callable[[int, int], Any]



def check_number(name: str, value: Any, *, lower: float | None = None, strict: bool = False,
            allowed: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise UserInputError(f"{name}: {value!r} is not a number; allowed: {allowed}") from None
    if not math.isfinite(out) or (lower is not None and (out <= lower if strict else out < lower)):
        raise UserInputError(f"{name}: {value!r}; allowed: {allowed}")
    return out


def check_grid(name: str, values: Sequence[Any], *, lower: float, strict: bool, allowed: str) -> tuple[float, ...]:
    if isinstance(values, str | bytes) or not len(values):
        raise UserInputError(f"{name}: {values!r}; allowed: a non-empty list of {allowed}")
    return tuple(sorted({check_number(name, v, lower=lower, strict=strict, allowed=allowed) for v in values}))
