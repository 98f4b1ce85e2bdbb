"""Exposure of each economy to each partner: gross exports and value added absorbed.

Three measures, for every ordered pair (exporter i, partner n), i ≠ n:

1. ``gross_exports_pct_gdp`` = 100 · Σ_j M[n, i, j] / GDP[i]: gross exports of i to n at
   producer prices (tariffs excluded).
2. ``value_added_absorbed_pct_gdp`` = 100 · VA[i → n] / GDP[i]: the value added of i embodied
   in n's final demand (Johnson–Noguera "value-added exports"; OECD TiVA's "domestic value added
   in foreign final demand"), from the Leontief inverse of a global input-output matrix.
3. ``partner_share_of_exports_pct`` = 100 · gross exports of i to n / gross exports of i to the
   world (excluding its domestic sales).

The global input-output matrix
------------------------------
The baselines ``icio`` and ``wiod`` carry bilateral flows ``M[n, i, k]`` (importer n, exporter i,
sector k) with intermediate and final use summed, plus each country's input shares
``gamma[n, k, j]`` and value-added shares ``beta[n, j]``. The flows are split into intermediate
and final use by the **proportionality assumption**: *the importer n uses imports of sector k
from every source i in the same proportions as its total absorption of k*. With
``Y[n, j]`` gross output and ``X[n, k]`` n's absorption of k (tariff-inclusive, as
:attr:`~tradewar.model.Economy.expenditure`), the intermediate share of n's absorption of k is

    s[n, k] = Σ_j gamma[n, k, j] Y[n, j] / X[n, k]

and the blocks of the world input-output table, at producer prices, are

    Z[(i, k), (n, j)] = M[n, i, k] · gamma[n, k, j] Y[n, j] / X[n, k]     (intermediate)
    F[(i, k), n]      = M[n, i, k] · (1 − s[n, k])                         (final)

so that every row sums to output, Σ_(n,j) Z + Σ_n F = Y[i, k]. Technical coefficients
``A = Z / Y`` (column-wise) reduce to ``A[(i,k),(n,j)] = (M[n,i,k] / X[n,k]) · gamma[n,k,j]``,
``L = (I − A)⁻¹``, value-added coefficients ``v[i, k] = beta[i, k]``, and

    VA[i → n] = Σ_k v[i, k] · (L F[:, n])[(i, k)]     (millions of USD).

Summed over every absorbing country (including i itself) it gives back Σ_k beta Y = the value
added of i — an exact identity, tested.

Why ``X`` is tariff-inclusive: the cost shares ``gamma`` are at purchaser prices, so
``Σ_j gamma Y`` is intermediate spending *including* tariffs; dividing it by the
tariff-inclusive absorption gives a share of like over like (the tariff wedge on a flow is the
same for its intermediate and its final users). Dividing by the tariff-exclusive absorption
instead would mix prices and can push final use below zero in high-tariff sectors. As a
consequence the columns of ``A`` sum to ``1 − beta`` minus the tariffs paid on imported inputs
per unit of output: that tariff revenue is income of the importing government, not value added
of any producer, so it is (correctly) attributed to nobody.

For ``wiot2011`` the published table holds the TRUE split of every flow into intermediate use by
each using industry and final use; :func:`true_split_value_added_absorbed` computes the measure
both ways on that table, which shows how far the proportionality assumption moves it.

The GDP denominator
-------------------
The flows are in *current* USD, while the WDI GDP carried by a baseline (``Baseline.gdp_musd``)
is in *constant 2015* USD: dividing one by the other would mix price levels (China's
constant-2015 GDP of 2000 is 2.3 × its current-dollar GDP; the US's of 2022 is 0.8 ×). The
denominator is therefore the baseline's own value added ``Economy.value_added`` (= Σ_j beta Y,
current USD, the same basis as the flows and the identity above). It is GDP at basic prices in
the model's sense: it omits taxes on products and uses the input-output structure of WIOD 2011
(reconciled, see ``Baseline.adjustments``), so it differs from published current-USD GDP by up
to ~10 %. :func:`exposure_series` reports the WDI figures alongside as a cross-check
(``*_pct_wdi_gdp`` and both denominators). See ``docs/exposure.md``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg

from ..errors import UnknownNameError, check_choice
from ..model import Economy
from ..options import DATASETS, YEARS

__all__ = [
    "EXPOSURE_COLUMNS",
    "TrueSplitComparison",
    "exposure_series",
    "exposure_table",
    "true_split_value_added_absorbed",
    "value_added_absorbed",
]

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


# ----- the Leontief core -------------------------------------------------------------------


def _absorbed_from_coefficients(
    a: np.ndarray, final: np.ndarray, va_coef: np.ndarray
) -> np.ndarray:
    """``VA[i, n] = Σ_k v[i, k] (L F[:, n])[(i, k)]`` with ``L = (I − A)⁻¹``.

    ``a`` (NJ, NJ) technical coefficients, ``final`` (NJ, N) final demand by destination,
    ``va_coef`` (N, J) value added per unit of output. One dense LU solve with N right-hand
    sides (≈ 0.2 s for 81 × 28).
    """
    n, j = va_coef.shape
    lhs = np.eye(n * j) - a
    gross = scipy.linalg.solve(lhs, final, overwrite_a=True, check_finite=False)  # (NJ, N)
    return np.einsum("ik,ikn->in", va_coef, gross.reshape(n, j, n))


def _proportional_coefficients(
    flows: np.ndarray, absorption: np.ndarray, input_use: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Technical coefficients and final demand under the proportionality assumption.

    ``flows`` (N, N, J) = M[n, i, k] at producer prices; ``absorption`` (N, J) = X[n, k] in the
    prices of ``input_use``; ``input_use`` (N, J, J) = intermediate use of input k by sector j of
    n, ``U[n, k, j]``, in the same prices. Returns ``A`` (NJ, NJ) with
    ``A[(i,k),(n,j)] = M[n,i,k] U[n,k,j] / (X[n,k] Y[n,j])`` and ``F`` (NJ, N) with
    ``F[(i,k), n] = M[n,i,k] (1 − Σ_j U[n,k,j] / X[n,k])``.
    """
    n, _, j = flows.shape
    output = flows.sum(axis=0)  # Y[i, k]
    with np.errstate(divide="ignore", invalid="ignore"):
        source_share = np.where(absorption[:, None, :] > 0, flows / absorption[:, None, :], 0.0)
        use_per_output = np.where(output[:, None, :] > 0, input_use / output[:, None, :], 0.0)
        inter_share = np.where(absorption > 0, input_use.sum(axis=2) / absorption, 0.0)
    # A[i, k, n, j] = (M[n,i,k] / X[n,k]) · U[n,k,j] / Y[n,j]
    a = (source_share.transpose(1, 2, 0)[:, :, :, None]
         * use_per_output.transpose(1, 0, 2)[None]).reshape(n * j, n * j)
    final = (flows * (1.0 - inter_share)[:, None, :]).transpose(1, 2, 0).reshape(n * j, n)
    return a, final


def value_added_absorbed(economy: Economy) -> np.ndarray:
    """Value added of each country absorbed by each country's final demand, millions of USD.

    Returns an (N, N) array: entry ``[i, n]`` is the value added of ``economy.countries[i]``
    embodied in the final demand of ``economy.countries[n]``; the diagonal is value added
    absorbed at home. Each row sums to ``Σ_j beta[i, j] Y[i, j]``, the country's value added
    (``economy.value_added`` unless that was set explicitly to something else).

    The flows are split into intermediate and final use by the *proportionality assumption*
    (the importer uses imports of a sector from every source in the same proportions as its
    total absorption of that sector); see the module docstring for the formulas.
    """
    flows = np.asarray(economy.flows)
    output = economy.output
    gamma = np.asarray(economy.input_share)
    # intermediate spending (tariff-inclusive) on input k by sector j of n: gamma[n,k,j] Y[n,j]
    input_use = gamma * output[:, None, :]
    a, final = _proportional_coefficients(flows, economy.expenditure, input_use)
    return _absorbed_from_coefficients(a, final, np.asarray(economy.va_share))


# ----- the WIOT 2011 true split ----------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TrueSplitComparison:
    """Value added absorbed on the WIOD 2011 world input-output table, computed with the
    table's true intermediate/final split and with the proportionality assumption.

    Attributes:
        countries: N economy codes.
        value_added: (N,) value added of each economy: output (row sums of the table) −
            intermediate inputs, millions of USD; like WIOD's own value added it includes net
            taxes on products paid on inputs and international transport margins.
        gross_exports: (N, N) gross exports ``[exporter, partner]`` (intermediate + final),
            millions of USD; zero on the diagonal.
        true_split: (N, N) value added of row absorbed by column's final demand with the
            table's own split, millions of USD.
        proportional: (N, N) the same under the proportionality assumption.
    """

    year: int
    countries: tuple[str, ...]
    value_added: np.ndarray
    gross_exports: np.ndarray
    true_split: np.ndarray
    proportional: np.ndarray

    def table(self) -> pd.DataFrame:
        """One row per ordered pair (no self-pairs): ``exporter, partner, year,
        gross_exports_pct_gdp, value_added_absorbed_pct_gdp_true,
        value_added_absorbed_pct_gdp_proportional, difference_pp`` (proportional − true,
        percentage points of GDP) and ``difference_pct`` (relative to the true figure)."""
        n = len(self.countries)
        ex, pa = _pairs(n)
        gdp = self.value_added[ex]
        true = 100.0 * self.true_split[ex, pa] / gdp
        prop = 100.0 * self.proportional[ex, pa] / gdp
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(true != 0, 100.0 * (prop - true) / true, np.nan)
        return pd.DataFrame(
            {
                "exporter": np.asarray(self.countries, dtype=object)[ex],
                "partner": np.asarray(self.countries, dtype=object)[pa],
                "year": self.year,
                "gross_exports_pct_gdp": 100.0 * self.gross_exports[ex, pa] / gdp,
                "value_added_absorbed_pct_gdp_true": true,
                "value_added_absorbed_pct_gdp_proportional": prop,
                "difference_pp": prop - true,
                "difference_pct": rel,
            }
        )


def true_split_value_added_absorbed(
    wiot: Any = None, *, data_dir: str | os.PathLike[str] | None = None
) -> TrueSplitComparison:
    """Value added absorbed on the WIOD 2011 table, with its TRUE split and with the
    proportionality assumption, on exactly the same flows (returns both).

    Args:
        wiot: a :class:`tradewar.data._wiot.WorldIOTable` (from ``read_wiot2011``); read from
            ``data_dir`` (default: the project's data directory) when omitted.

    True split: ``Z`` = the table's ``intermediate`` (N, J, N, J), ``F`` = its ``final`` summed
    over the five final-demand categories (inventory changes may be negative), ``A = Z / output``,
    ``v = value_added / output``. Proportional: the same bilateral totals
    ``M[n, i, k] = Σ_j Z[i,k,n,j] + Σ_f F[i,k,n,f]`` re-split by n's total intermediate use of k,
    ``U[n, k, j] = Σ_i Z[i,k,n,j]``, over its total absorption ``X[n, k] = Σ_i M[n, i, k]``.
    WIOT has no tariffs, so the two differ only by the assumption. Output is taken as the row
    sums of the table (its integer cells leave rows up to ~100 million USD short of the published
    output) and value added as output minus intermediate inputs, so that the rows of either
    array sum exactly to value added.
    """
    if wiot is None:
        from ..data._sources import default_data_dir, read_wiot2011

        wiot = read_wiot2011(data_dir if data_dir is not None else default_data_dir())
    inter = np.array(wiot.intermediate, dtype=np.float64)  # [i, k, n, j], a writable copy
    final = np.asarray(wiot.final, dtype=np.float64).sum(axis=3)  # [i, k, n]
    n, j = final.shape[0], final.shape[1]
    # Balance the table: output := row sums (intermediate + final use). The file's integer
    # cells leave the rows short of its published output (by up to ~100 million USD a row,
    # 0.5-5 % of value added for the smallest economies), which would break the identity
    # "rows of VA absorbed sum to value added". A few industries with zero published output
    # have rows summing to -1: they are dropped (rows and columns set to zero).
    output = inter.sum(axis=(2, 3)) + final.sum(axis=2)  # [i, k]
    dead = output <= 0
    inter[dead] = 0.0
    inter[:, :, dead] = 0.0
    final[dead] = 0.0
    output[dead] = 0.0
    value_added = output - inter.sum(axis=(0, 1))  # [n, j]: output - intermediate inputs
    with np.errstate(divide="ignore", invalid="ignore"):
        va_coef = np.where(output > 0, value_added / output, 0.0)
        a_true = np.where(output[None, None] > 0, inter / output[None, None], 0.0)
    true_split = _absorbed_from_coefficients(
        a_true.reshape(n * j, n * j), final.reshape(n * j, n), va_coef
    )

    flows = (inter.sum(axis=3) + final).transpose(2, 0, 1)  # M[n, i, k]; flows.sum(0) = output
    absorption = flows.sum(axis=1)  # X[n, k]
    input_use = inter.sum(axis=0).transpose(1, 0, 2)  # U[n, k, j]
    a_prop, final_prop = _proportional_coefficients(flows, absorption, input_use)
    proportional = _absorbed_from_coefficients(a_prop, final_prop, va_coef)

    gross = flows.sum(axis=2).T.copy()  # [exporter, importer]
    np.fill_diagonal(gross, 0.0)
    return TrueSplitComparison(
        year=int(wiot.year),
        countries=tuple(wiot.countries),
        value_added=value_added.sum(axis=1),
        gross_exports=gross,
        true_split=true_split,
        proportional=proportional,
    )


# ----- tables ----------------------------------------------------------------------------


def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Exporter and partner indices of every ordered pair without self-pairs, exporter-major."""
    ex, pa = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    keep = ex != pa
    return ex[keep], pa[keep]


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
    ex, pa = _pairs(economy.n_countries)
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
    from ..data import load_baseline  # lazily: the data layer is heavy and optional here

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
