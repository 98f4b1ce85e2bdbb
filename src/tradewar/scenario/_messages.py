"""Error messages of the scenario language: a pydantic error as (key path, message naming the
allowed values), for files (with file and line, see :mod:`._load`) and the web API alike."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from ._schema import (
    ALLOWED,
    Agreement,
    Coalition,
    DeficitChange,
    ExistingAgreement,
    ExportTaxAction,
    Scenario,
    Step,
    TariffAction,
    TradeCostAction,
)

__all__ = ["clean_loc", "describe_error", "format_validation_error", "loc_text", "model_at"]

_TABLES: dict[str, type[BaseModel]] = {
    "tariff": TariffAction, "agreement": Agreement, "coalition": Coalition,
    "deficit": DeficitChange, "step": Step,
    "trade_cost": TradeCostAction, "export_tax": ExportTaxAction, "existing": ExistingAgreement,
}


def clean_loc(loc: tuple[Any, ...], root: type[BaseModel] = Scenario) -> tuple[str | int, ...]:
    """Drop pydantic's union-member tags (``literal[...]``, ``list[str]``, ``float``…) from a
    location, keeping field names and list indices."""
    out: list[str | int] = []
    model: type[BaseModel] = root
    leaf = False
    for part in loc:
        if isinstance(part, int):
            out.append(part)
        elif leaf:
            continue  # a union tag after a leaf field
        elif part in model.model_fields:
            out.append(part)
            if part in _TABLES:
                model = _TABLES[part]
            else:
                leaf = True
        else:
            out.append(part)  # an unknown key (extra_forbidden)
            leaf = True
    return tuple(out)


def loc_text(loc: tuple[str | int, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def model_at(loc: tuple[str | int, ...], root: type[BaseModel] = Scenario) -> type[BaseModel]:
    """The model owning the last key of ``loc``."""
    model = root
    for part in loc[:-1]:
        if isinstance(part, str) and part in _TABLES and part in model.model_fields:
            model = _TABLES[part]
    return model


def _allowed_keys(model: type[BaseModel]) -> str:
    return ", ".join(model.model_fields)


def describe_error(err: dict[str, Any], root: type[BaseModel] = Scenario) -> tuple[tuple[str | int, ...], str]:
    """(clean location, message) of one pydantic error."""
    loc = clean_loc(tuple(err.get("loc", ())), root)
    kind = err.get("type", "")
    key = next((p for p in reversed(loc) if isinstance(p, str)), "")
    where = loc_text(loc)
    if kind == "extra_forbidden":
        model = model_at(loc, root)
        parent = loc_text(loc[:-1])
        close = difflib.get_close_matches(str(key), list(model.model_fields), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return loc, (f"unknown key {key!r} in {parent}{hint}; allowed keys: "
                     f"{_allowed_keys(model)}")
    if kind == "missing":
        model = model_at(loc, root)
        return loc, (f"missing key {key!r} in {loc_text(loc[:-1])}; allowed: "
                     f"{ALLOWED.get(str(key), 'see the keys: ' + _allowed_keys(model))}")
    if kind == "value_error":
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        step = re.search(r"ladder out of date order: step\[(\d+)\]", msg)
        if not loc and step:
            loc = ("step", int(step.group(1)), "date")
            where = loc_text(loc)
        return loc, f"{where}: {msg}"
    value = err.get("input")
    allowed = ALLOWED.get(str(key))
    if allowed is None and "ctx" in err and "expected" in err["ctx"]:
        allowed = str(err["ctx"]["expected"])
    shown = repr(value) if not isinstance(value, dict) else "a table"
    return loc, f"{where}: {shown} is not allowed ({err.get('msg', '')}); allowed: {allowed}"


def format_validation_error(exc: ValidationError, root: type[BaseModel] = Scenario,
                            locate: Callable[[tuple[str | int, ...]], str] | None = None) -> str:
    """One line per distinct problem; ``locate`` adds a file/line prefix."""
    seen: dict[tuple[str | int, ...], str] = {}
    for err in exc.errors():
        loc, msg = describe_error(dict(err), root)
        if loc in seen:
            continue  # the members of a union repeat the same problem
        seen[loc] = (locate(loc) if locate else "") + msg
    lines = list(seen.values())
    what = root.__name__
    head = f"invalid {what.lower() if what != 'Scenario' else 'scenario'}"
    if len(lines) == 1:
        return f"{head}: {lines[0]}"
    return f"{head} ({len(lines)} problems):\n  " + "\n  ".join(lines)
