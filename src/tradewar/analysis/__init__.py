"""Analyses built on the baseline and on repeated solves (exposure, strategy, coalitions…)."""

from ._exposure import (
    EXPOSURE_COLUMNS,
    TrueSplitComparison,
    exposure_series,
    exposure_table,
    true_split_value_added_absorbed,
    value_added_absorbed,
)

__all__ = [
    "EXPOSURE_COLUMNS",
    "TrueSplitComparison",
    "exposure_series",
    "exposure_table",
    "true_split_value_added_absorbed",
    "value_added_absorbed",
]
