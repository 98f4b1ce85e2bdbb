"""Exposure tables: every ordered pair of one baseline (:func:`exposure_table`) and one pair
across the years of several datasets (:func:`exposure_series`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...errors import UnknownNameError, check_choice
from ...model import Economy
from ...options import DATASETS, YEARS
from .leontief import pairs, value_added_absorbed

#: The columns of :func:`exposure_table`, in order (a stable contract).
EXPOSURE_COLUMNS: tuple[str, ...] = (
    "exporter",
    "partner",
    "year",
    "dataset",
    "gross_exports_pct_gdp",
    "value_added_absorbed_pct_gdp",
    "partner_share_of_exports_pct",
)

#: The extra columns of :func:`exposure_series` (after :data:`EXPOSURE_COLUMNS`).
SERIES_EXTRA_COLUMNS: tuple[str, ...] = (
    "exporter_value_added_musd",
    "exporter_wdi_gdp_musd_2015",
    "gross_exports_pct_wdi_gdp",
    "value_added_absorbed_pct_wdi_gdp",
)



def _economy_of(obj: Any) -> tuple[Economy, int | None, str | None]:
    if isinstance(obj, Economy):
        return obj, None, None
    economy = getattr(obj, "economy", None)
    if not isinstance(economy, Economy):
        raise TypeError(
            f"expected a tradewar Baseline (with .economy) or an Economy, got {type(obj).__name__}"
        )
    year = getattr(obj, "year", None)
    return economy, (int(year) if year is not None else None), getattr(obj, "dataset", None)


def _bilateral_exports(economy: Economy) -> np.ndarray:
    """Gross exports ``[exporter, partner]`` at producer prices, zero diagonal, millions USD."""
    exports = np.asarray(economy.flows).sum(axis=2).T.copy()
    np.fill_diagonal(exports, 0.0)
    return exports


def exposure_table(
    baseline_or_economy: Any, *, year: int | None = None, dataset: str | None = None
) -> pd.DataFrame:
    """Exposure of every economy to every partner, one row per ordered pair (no self-pairs).

    Args:
        baseline_or_economy: a :class:`tradewar.data.Baseline` (its ``year`` and ``dataset`` fill
            the columns) or a bare :class:`~tradewar.model.Economy`.
        year, dataset: override (or, for a bare economy, supply) the ``year`` and ``dataset``
            columns; left missing (``<NA>`` / ``None``) when unknown.

    Returns:
        A DataFrame with exactly the columns :data:`EXPOSURE_COLUMNS`:
        ``exporter, partner, year, dataset, gross_exports_pct_gdp,
        value_added_absorbed_pct_gdp, partner_share_of_exports_pct``; rows ordered by exporter
        then partner as in ``economy.countries``. Percentages are of the exporter's value added
        ``Economy.value_added`` (current USD, the same basis as the flows; see the module
        docstring for why not WDI GDP) and of its total gross exports.
    """
    economy, b_year, b_dataset = _economy_of(baseline_or_economy)
    year = year if year is not None else b_year
    dataset = dataset if dataset is not None else b_dataset
    exports = _bilateral_exports(economy)
    absorbed = value_added_absorbed(economy)
    gdp = np.asarray(economy.value_added)
    total_exports = exports.sum(axis=1)
    ex, pa = pairs(economy.n_countries)
    names = np.asarray(economy.countries, dtype=object)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total_exports[ex] > 0, 100.0 * exports[ex, pa] / total_exports[ex], np.nan)
    return pd.DataFrame(
        {
            "exporter": names[ex],
            "partner": names[pa],
            "year": pd.array([year] * len(ex), dtype="Int64"),
            "dataset": pd.Series([dataset] * len(ex), dtype=object),
            "gross_exports_pct_gdp": 100.0 * exports[ex, pa] / gdp[ex],
            "value_added_absorbed_pct_gdp": 100.0 * absorbed[ex, pa] / gdp[ex],
            "partner_share_of_exports_pct": share,
        },
        columns=list(EXPOSURE_COLUMNS),
    )


def _default_loader() -> Callable[..., Any]:
    from ...data import load_baseline  # lazily: the data layer is heavy and optional here

    return load_baseline


def exposure_series(
    exporter: str,
    partner: str,
    years: Iterable[int] | None = None,
    datasets: Sequence[str] = ("wiod", "icio"),
    loader: Callable[..., Any] | None = None,
) -> pd.DataFrame:
    """Exposure of ``exporter`` to ``partner`` across the years of several datasets.

    Args:
        exporter, partner: economy codes (e.g. ``"CHN"``, ``"USA"``).
        years: the years wanted; each dataset contributes those it covers (``wiod`` 2000–2014,
            ``icio`` 2011–2022). ``None`` = every year of every dataset.
        datasets: datasets to use, in output order.
        loader: ``loader(dataset, year) -> Baseline``; default
            :func:`tradewar.data.load_baseline` (imported when first needed).

    Returns:
        One row per (dataset, year): the columns of :func:`exposure_table` for the pair, then
        :data:`SERIES_EXTRA_COLUMNS`: the exporter's value added (the denominator, millions of
        current USD), its WDI GDP (millions of constant-2015 USD, NaN when the baseline has
        none), and the two measures as % of that WDI GDP (a cross-check only: it mixes current
        and constant-2015 prices).

    Raises:
        UnknownNameError: unknown dataset, a year no chosen dataset covers, or an economy not
            in a baseline.
    """
    for ds in datasets:
        check_choice("dataset", ds, DATASETS)
    wanted = None if years is None else sorted({int(y) for y in years})
    if wanted is not None:
        covered = {y for ds in datasets for y in YEARS[ds]}
        missing = [y for y in wanted if y not in covered]
        if missing:
            raise UnknownNameError(
                "year", missing[0], sorted(covered), where=f"datasets {list(datasets)}"
            )
    load = loader if loader is not None else _default_loader()
    rows: list[dict[str, Any]] = []
    for ds in datasets:
        for yr in YEARS[ds]:
            if wanted is not None and yr not in wanted:
                continue
            baseline = load(ds, yr)
            economy, _, _ = _economy_of(baseline)
            i, n = economy.index_of(exporter), economy.index_of(partner)
            if i == n:
                raise UnknownNameError(
                    "partner", partner, [c for c in economy.countries if c != exporter],
                    where=f"exposure of {exporter} (a partner other than the exporter)",
                )
            exports = _bilateral_exports(economy)
            absorbed = value_added_absorbed(economy)
            va = float(np.asarray(economy.value_added)[i])
            total = exports[i].sum()
            gdp_wdi = getattr(baseline, "gdp_musd", None)
            wdi = float(np.asarray(gdp_wdi, dtype=float)[i]) if gdp_wdi is not None else np.nan
            rows.append(
                {
                    "exporter": exporter,
                    "partner": partner,
                    "year": yr,
                    "dataset": ds,
                    "gross_exports_pct_gdp": 100.0 * exports[i, n] / va,
                    "value_added_absorbed_pct_gdp": 100.0 * absorbed[i, n] / va,
                    "partner_share_of_exports_pct": (
                        100.0 * exports[i, n] / total if total > 0 else np.nan
                    ),
                    "exporter_value_added_musd": va,
                    "exporter_wdi_gdp_musd_2015": wdi,
                    "gross_exports_pct_wdi_gdp": 100.0 * exports[i, n] / wdi,
                    "value_added_absorbed_pct_wdi_gdp": 100.0 * absorbed[i, n] / wdi,
                }
            )
    frame = pd.DataFrame(rows, columns=list(EXPOSURE_COLUMNS + SERIES_EXTRA_COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    return frame
