"""What every command shares: the console, option types and the error boundary."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)

DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Folder with the source data (default: $TRADEWAR_DATA_DIR or ../shared/data).",
                 show_default=False),
]


def print_json(payload: Any) -> None:
    """Write JSON to stdout (no rich markup, so scripts can parse it)."""
    sys.stdout.write(json.dumps(payload, indent=2, allow_nan=False) + "\n")


def fmt_pct(value: float, digits: int = 2) -> str:
    colour = "red" if value < 0 else "green" if value > 0 else "white"
    return f"[{colour}]{value:+.{digits}f}[/]"
