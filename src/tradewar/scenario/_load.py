"""Read scenarios from TOML (files, strings, the built-ins) into :class:`Scenario` objects.

Every failure is a :class:`tradewar.errors.ScenarioError` whose message gives the file, the line
of the offending table or key (tomllib reports no lines after parsing, so the text is searched
for the table header and the key), the key path and the allowed values.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import ScenarioError
from ._messages import format_validation_error
from ._schema import Scenario

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")


def _headers(lines: list[str]) -> list[tuple[int, str, bool]]:
    """(line index, dotted table name, is array-of-tables) of every table header."""
    out = []
    for k, line in enumerate(lines):
        match = _HEADER.match(line)
        if match:
            name = ".".join(p.strip().strip("\"'") for p in match.group(2).split("."))
            out.append((k, name, match.group(1) == "[["))
    return out


def locate_line(text: str | None, loc: tuple[str | int, ...]) -> int | None:
    """1-based line of the table or key at ``loc`` (e.g. ``("step", 1, "tariff", 0, "add")``)
    in the TOML ``text``, or None if it cannot be found."""
    if not text:
        return None
    lines = text.splitlines()
    headers = _headers(lines)
    start, stop = 0, len(lines)
    found_line: int | None = None
    prefix = ""
    k = 0
    parts = list(loc)
    while k < len(parts):
        part = parts[k]
        nxt = parts[k + 1] if k + 1 < len(parts) else None
        if isinstance(part, str) and isinstance(nxt, int):
            name = f"{prefix}{part}"
            matches = [h for h in headers if h[1] == name and h[2] and start <= h[0] < stop]
            if matches and nxt < len(matches):
                line = matches[nxt][0]
                later = [h[0] for h in headers if h[0] > line and start <= h[0] < stop
                         and (h[1] == name or not h[1].startswith(name + "."))]
                start, stop = line, (later[0] if later else stop)
                found_line = line
                prefix = name + "."
                k += 2
                continue
            if matches:
                break  # fewer tables than the index: keep the enclosing table's line
        if isinstance(part, str):
            own_stop = next((h[0] for h in headers if start < h[0] < stop), stop)
            key = re.compile(rf"^\s*[\"']?{re.escape(part)}[\"']?\s*=")
            for j in range(start, own_stop):
                if key.match(lines[j]):
                    return j + 1
            # not directly in this table: the first occurrence anywhere in its range
            for j in range(start, stop):
                if re.search(rf"\b{re.escape(part)}\s*=", lines[j]):
                    return j + 1
            break
        k += 1
    return None if found_line is None else found_line + 1


def _where(name: str, text: str | None, loc: tuple[str | int, ...]) -> str:
    line = locate_line(text, loc)
    return f"{name}, line {line}: " if line else f"{name}: "


def scenario_from_dict(data: dict[str, Any], *, source: str = "<dict>",
                       text: str | None = None) -> Scenario:
    """Validate a mapping (parsed TOML or JSON) into a :class:`Scenario`."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        message = format_validation_error(exc, Scenario, lambda loc: _where(source, text, loc))
        raise ScenarioError(message) from None
    except ScenarioError as exc:  # raised by a nested model constructed by the caller
        raise ScenarioError(f"{source}: {exc}") from None
    return scenario.with_source(source, text)


def scenario_from_toml(text: str, *, source: str = "<string>") -> Scenario:
    """Parse TOML text into a :class:`Scenario`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: not valid TOML: {exc}") from None
    return scenario_from_dict(data, source=source, text=text)


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read a scenario TOML file.

    Raises:
        ScenarioError: the file is missing or unreadable, not TOML, or not a valid scenario
            (the message gives the file, line, key path and allowed values).
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{file}: cannot read the scenario file ({exc})") from None
    return scenario_from_toml(text, source=str(file))


def builtin_names() -> list[str]:
    """Names of the built-in scenarios (sorted)."""
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.toml"))


def builtin_scenario(name: str) -> Scenario:
    """Load a built-in scenario by name; unknown names raise :class:`ScenarioError` listing the
    built-ins."""
    file = BUILTIN_DIR / f"{name}.toml"
    if not file.is_file():
        raise ScenarioError(f"unknown built-in scenario {name!r}; allowed: "
                            + ", ".join(builtin_names()))
    text = file.read_text(encoding="utf-8")
    return scenario_from_toml(text, source=f"builtin:{name}")


def resolve_scenario(spec: Scenario | str | os.PathLike[str]) -> Scenario:
    """A :class:`Scenario` from itself, a built-in name or a TOML path (what the CLI's ``run``
    takes)."""
    if isinstance(spec, Scenario):
        return spec
    text = os.fspath(spec)
    if text in builtin_names():
        return builtin_scenario(text)
    if Path(text).is_file():
        return load_scenario(text)
    raise ScenarioError(f"scenario {text!r} is neither a built-in nor an existing TOML file; "
                        "allowed built-ins: " + ", ".join(builtin_names()))
