"""The building blocks of the scenario schema: allowed values per key (for error messages),
the validators every model shares, and the base model (unknown keys forbidden, frozen, errors
raised as :class:`tradewar.errors.ScenarioError`). The models themselves are in :mod:`._schema`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
)

from ..data import LAYERS, parse_layer_reference
from ..errors import ScenarioError, UnknownNameError
from ..options import DEFICIT_CLOSURES, RETALIATIONS, SectorChoice
from ._nontariff import ALLOWED_NONTARIFF

#: Retaliation rules known to the schema (:data:`tradewar.options.Retaliation`). ``none`` and
#: ``mirror`` are built in; ``optimal`` is applied by the layer above (``tradewar.analysis``),
#: which supplies it to the compiler (see :mod:`._retaliation`).
BUILTIN_RETALIATION: tuple[str, ...] = RETALIATIONS
RETALIATION_RULES: dict[str, Callable[..., Any]] = {}

START_VALUES: tuple[str, ...] = ("in-force-2025", "baseline")

_LAYER_TEXT = (
    "a layer reference '<layer>:<YYYY-MM-DD>' or '<layer>:latest' with <layer> one of "
    + ", ".join(LAYERS)
)

#: Human-readable allowed values per key (used in error messages).
ALLOWED: dict[str, str] = {
    "name": "a non-empty string",
    "description": "a string",
    "sources": "a list of strings",
    "start": "'in-force-2025' or 'baseline'",
    "importer": "a country or bloc code, or a list of them (blocs: EU27, USMCA, TPP12, CPTPP11, "
    "ASEAN, G7, BRICS; 'ALL' = every economy)",
    "exporter": "a country or bloc code, or a list of them ('ALL' = every other economy)",
    "members": "a list of country or bloc codes",
    "target": "a country or bloc code",
    "country": "a country code (or a bloc with `scale`)",
    "sectors": "'all', 'goods' or a list of sector codes",
    "set": f"a number (new rate as a fraction, > -1: 0.30 = 30 %) or {_LAYER_TEXT}",
    "add": f"a number (points as a fraction: 1.45 = +145 points) or {_LAYER_TEXT}",
    "tariff": f"a number (points added as a fraction) or {_LAYER_TEXT}",
    "date": "a date YYYY-MM-DD",
    "label": "a string",
    "note": "a string",
    "scale": "a number (factor on the current imbalance: 0 = balanced trade)",
    "closure": ", ".join(f"'{c}'" for c in DEFICIT_CLOSURES),
    "retaliation": "'none', 'mirror' or 'optimal'",
    **ALLOWED_NONTARIFF,
}


def allowed_retaliation() -> tuple[str, ...]:
    return tuple(dict.fromkeys(BUILTIN_RETALIATION + tuple(RETALIATION_RULES)))


def _check_number(value: Any, key: str) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is a boolean; allowed: {ALLOWED[key]}")
    if isinstance(value, int | float) and not math.isfinite(float(value)):
        raise ValueError(f"{value!r} is not a finite number; allowed: {ALLOWED[key]}")
    return value


def _check_rate(value: Any, key: str) -> Any:
    value = _check_number(value, key)
    if isinstance(value, str):
        try:
            parse_layer_reference(value)
        except UnknownNameError as exc:
            raise ValueError(f"{exc}") from None
        except ValueError as exc:
            raise ValueError(f"{exc}; allowed: {ALLOWED[key]}") from None
    return value


def _codes(value: Any, key: str) -> Any:
    items = [value] if isinstance(value, str) else value
    if isinstance(items, list):
        for item in items:
            if isinstance(item, str) and not item.strip():
                raise ValueError(f"empty code; allowed: {ALLOWED[key]}")
        if not items:
            raise ValueError(f"empty list; allowed: {ALLOWED[key]}")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            from ._messages import format_validation_error

            raise ScenarioError(format_validation_error(exc, type(self))) from None

    # Nested models are validated by pydantic-core directly (this __init__ only wraps the
    # errors of an object built in Python into a ScenarioError).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]


Sectors = SectorChoice | list[str]
Rate = float | str
