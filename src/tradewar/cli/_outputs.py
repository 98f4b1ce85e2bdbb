"""Writing results to files: all-or-nothing, so a failure never leaves partial output."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, payload: Any) -> None:
    text = json.dumps(payload, indent=2, allow_nan=False) + "\n"

    def write(target: Path) -> None:
        target.write_text(text)

    _atomic(path, write)


def write_csv_tables(directory: Path, tables: dict[str, pd.DataFrame]) -> list[Path]:
    """Write ``name.csv`` for every table into ``directory`` (each file atomically)."""
    written = []
    for name, frame in tables.items():
        target = directory / f"{name}.csv"

        def write(path: Path, table: pd.DataFrame = frame) -> None:
            table.to_csv(path, index=False)

        _atomic(target, write)
        written.append(target)
    return written
