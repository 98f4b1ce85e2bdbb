"""The WIOT 2011 cross-check: value added absorbed with the table's true intermediate/final split
and with the proportionality assumption (:func:`true_split_value_added_absorbed`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .leontief import absorbed_from_coefficients, pairs, proportional_coefficients


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
        ex, pa = pairs(n)
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
        from ...data import default_data_dir, read_wiot2011

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
    true_split = absorbed_from_coefficients(
        a_true.reshape(n * j, n * j), final.reshape(n * j, n), va_coef
    )

    flows = (inter.sum(axis=3) + final).transpose(2, 0, 1)  # M[n, i, k]; flows.sum(0) = output
    absorption = flows.sum(axis=1)  # X[n, k]
    input_use = inter.sum(axis=0).transpose(1, 0, 2)  # U[n, k, j]
    a_prop, final_prop = proportional_coefficients(flows, absorption, input_use)
    proportional = absorbed_from_coefficients(a_prop, final_prop, va_coef)

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
