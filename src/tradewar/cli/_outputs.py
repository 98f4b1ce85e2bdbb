"""Writing results to files: all-or-nothing, so a failure never leaves partial output.

Every path is checked with :mod:`tradewar.safe_files` when the arguments are parsed
(:func:`check_outputs`), before any baseline is loaded or any equilibrium solved, and written
through it afterwards.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..safe_files import check_output_dir, check_output_file, write_atomic, write_tree_atomic
from ._common import jsonable

if TYPE_CHECKING:
    import pandas as pd


def check_outputs(*, files: dict[str, Path | None] | None = None,
                  folders: dict[str, Path | None] | None = None) -> None:
    """Refuse unusable output paths before any work: ``{"--json": path, ...}``."""
    for option, path in (files or {}).items():
        if path is not None:  # charts go into an existing folder (as the report writer wants)
            check_output_file(path, option, create_parents=option != "--chart")
    for option, path in (folders or {}).items():
        if path is not None:
            check_output_dir(path, option)


def write_json(path: Path, payload: Any, option: str = "--json") -> None:
    """Write ``payload`` as indented JSON (NaN as ``null``), atomically."""
    write_atomic(path, json.dumps(jsonable(payload), indent=2, allow_nan=False) + "\n", option=option)


def write_csv_tables(directory: Path, tables: dict[str, pd.DataFrame],
                     option: str = "--csv") -> list[Path]:
    """Write ``name.csv`` for every table into ``directory``: all of them or none."""
    files = {f"{name}.csv": frame.to_csv(index=False) for name, frame in tables.items()}
    return write_tree_atomic(directory, files, option=option)
