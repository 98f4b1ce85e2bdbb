"""What every command shares: the console, option types and the error boundary.

Both consoles have rich markup switched **off**: text given by a user (a scenario name, a
country code, a file path, an error message quoting them) is printed as it is — ``[/]`` or
``[red]CHN`` can neither crash the CLI nor vanish. Styles are applied explicitly with
:func:`styled` / :func:`line` (``rich.text.Text``), never by parsing markup. This module
imports only typer and rich, so ``tradewar --help`` starts fast (heavy libraries are imported
inside the commands that use them).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

console = Console(markup=False, highlight=False)
err_console = Console(stderr=True, markup=False, highlight=False)

DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Folder with the source data (default: $TRADEWAR_DATA_DIR or ../shared/data).",
                 show_default=False),
]
ForceOption = Annotated[bool, typer.Option(
    "--force", help="Run beyond the documented ceilings on work (docs/guarantees.md).")]


def styled(text: Any, style: str = "") -> Text:
    """``text`` (any object, as ``str``) with a rich style; never parsed as markup."""
    return Text(str(text), style=style)


def line(*parts: Any) -> Text:
    """One line from plain strings and ``(text, style)`` pairs, e.g.
    ``line(("error: ", "bold red"), message)``; no part is parsed as markup."""
    out = Text()
    for part in parts:
        if isinstance(part, tuple):
            out.append(str(part[0]), style=part[1])
        elif isinstance(part, Text):
            out.append_text(part)
        else:
            out.append(str(part))
    return out


def jsonable(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by ``None`` (JSON has neither; a
    missing number is ``null``, never the invalid token ``NaN``)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def print_json(payload: Any) -> None:
    """Write JSON to stdout (no rich markup, so scripts can parse it; NaN as ``null``)."""
    sys.stdout.write(json.dumps(jsonable(payload), indent=2, allow_nan=False) + "\n")


def fmt_pct(value: float, digits: int = 2) -> Text:
    """A signed number coloured red (negative) or green (positive)."""
    if not math.isfinite(value):
        return Text("—")
    colour = "red" if value < 0 else "green" if value > 0 else "white"
    return Text(f"{value:+.{digits}f}", style=colour)


def warn(message: str) -> None:
    """A visible warning on stderr (plain text after the label)."""
    err_console.print(line(("warning: ", "bold yellow"), message), soft_wrap=True)


def note(message: str) -> None:
    """A note on stderr: something the user asked for had no effect or was adjusted."""
    err_console.print(line(("note: ", "bold cyan"), message), soft_wrap=True)
