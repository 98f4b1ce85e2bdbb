"""One result contract for every result type of tradewar (issue 10, "one result contract").

Every result — a scenario run (:class:`tradewar.scenario.ScenarioResult`), exposure,
optimal tariffs, a Nash war, trade talks, coalitions, the escalation game, a sweep — has

* ``tables() -> dict[str, pandas.DataFrame]``: the single source of its numbers (tidy
  tables; a table's columns are its CSV columns, CLI and web alike);
* ``to_json() -> dict``: plain JSON types (NaN and inf as ``null``), keys as in
  ``docs/json-contract.md``; built from ``tables()`` plus the result's scalars;
* ``diagnostics() -> dict``: how it was computed (``converged``, iterations or solves,
  largest residual or first-order condition, seconds — whatever applies).

This module sits at the top of the package with no heavy imports (pandas only for type
checking), so the scenario layer and every layer above it can import it without an upward
import. It does no I/O: :func:`csv_texts` gives the CSV text of every table, and callers
write it (``tradewar.safe_files``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Result", "csv_texts", "json_number", "records", "table_keys"]


@runtime_checkable
class Result(Protocol):
    """What every result of tradewar offers (see the module docstring)."""

    def tables(self) -> dict[str, pd.DataFrame]:
        """Named tidy tables: the single source of the result's numbers."""
        ...

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types, derived from :meth:`tables` (NaN and inf as ``None``)."""
        ...

    def diagnostics(self) -> dict[str, Any]:
        """How the result was computed (convergence, iterations, residuals, seconds)."""
        ...


def json_number(value: Any) -> float | None:
    """``value`` as a float, or ``None`` when it is NaN or infinite (JSON has neither)."""
    value = float(value)
    return value if math.isfinite(value) else None


def records(frame: pd.DataFrame, columns: Iterable[str] | None = None, *,
            text: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Rows of ``frame`` as JSON objects with keys ``columns`` (default: all, in order).

    Columns named in ``text`` become ``str``; every other value a finite float or ``None``
    (:func:`json_number`).
    """
    keys = list(frame.columns if columns is None else columns)
    strings = set(text)
    return [{key: (str(row[key]) if key in strings else json_number(row[key])) for key in keys}
            for _, row in frame.iterrows()]


def table_keys(result: Result) -> dict[str, tuple[str, ...]]:
    """The columns of each table of ``result`` (what CSV files and web models list)."""
    return {name: tuple(str(c) for c in frame.columns) for name, frame in result.tables().items()}


def csv_texts(tables: Result | Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """``{"<name>.csv": text}`` for every table of a result (or a mapping of tables), without
    the index: the CSV files of ``tradewar … --csv`` and of the web's downloads alike."""
    frames = tables.tables() if isinstance(tables, Result) else tables
    return {f"{name}.csv": frame.to_csv(index=False) for name, frame in frames.items()}
