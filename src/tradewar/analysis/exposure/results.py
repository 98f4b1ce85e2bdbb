"""Exposure tables as a result (:class:`ExposureResult`, the result contract of
:class:`tradewar.results.Result`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ...results import json_number
from .tables import EXPOSURE_COLUMNS, exposure_table

#: Text columns of an exposure table (every other column is a number; ``year`` an integer).
TEXT_COLUMNS: tuple[str, ...] = ("exporter", "partner", "dataset")


@dataclass(frozen=True, eq=False)
class ExposureResult:
    """Exposure rows (:func:`exposure_table` or :func:`exposure_series`: one row per ordered
    pair, or per dataset-year of one pair), percentages of the exporter's GDP.

    ``to_json()["rows"]``: one object per row, keys the table's columns (NaN as null)."""

    frame: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """``exposure``: the rows (columns :data:`EXPOSURE_COLUMNS`, then any extra columns)."""
        return {"exposure": self.frame.copy()}

    def diagnostics(self) -> dict[str, Any]:
        """No solves: the number of rows and the datasets and years they cover."""
        years = sorted({int(y) for y in self.frame["year"].dropna()})
        return {"converged": True, "rows": len(self.frame),
                "datasets": sorted({str(d) for d in self.frame["dataset"].dropna()}), "years": years}

    def to_json(self) -> dict[str, Any]:
        """``{"rows": [...]}`` derived from :meth:`tables`."""
        rows = []
        for row in self.tables()["exposure"].to_dict("records"):
            rows.append({key: (None if pd.isna(value) else str(value) if key in TEXT_COLUMNS
                               else int(value) if key == "year" else json_number(value))
                         for key, value in row.items()})
        return {"rows": rows}


def exposure(baseline_or_economy: Any, *, year: int | None = None,
             dataset: str | None = None) -> ExposureResult:
    """:func:`exposure_table` as an :class:`ExposureResult` (same arguments)."""
    frame = exposure_table(baseline_or_economy, year=year, dataset=dataset)
    return ExposureResult(frame[list(EXPOSURE_COLUMNS)])


def exposure_map(baseline_or_economy: Any, partner: str, *, year: int | None = None,
                 dataset: str | None = None) -> ExposureResult:
    """One year's exposure of every economy to ``partner``, and of ``partner`` to every economy:
    the rows of the map of one year (``tradewar exposure --partner P --map``, the web's
    exposure page).

    The rows are those of :func:`exposure_table` (same arguments, same formulas and columns
    :data:`EXPOSURE_COLUMNS`, percentages of the exporter's GDP = its value added): first every
    ``exporter → partner`` (the economy's dependence on the partner), then every
    ``partner → economy`` (the partner's dependence on it), each in the order of
    ``economy.countries``; so the row of a pair equals :func:`exposure_series`'s for that year.

    Raises:
        UnknownCountryError: ``partner`` is not an economy of the baseline.
    """
    frame = exposure_table(baseline_or_economy, year=year, dataset=dataset)
    economy = getattr(baseline_or_economy, "economy", baseline_or_economy)
    economy.index_of(partner)  # an unknown partner: UnknownCountryError naming the choices
    to_partner = frame[frame.partner == partner]
    from_partner = frame[frame.exporter == partner]
    rows = pd.concat([to_partner, from_partner], ignore_index=True)
    return ExposureResult(rows[list(EXPOSURE_COLUMNS)])
