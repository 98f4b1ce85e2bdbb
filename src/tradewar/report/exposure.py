"""Figures of the exposure measures (plotly), beside the scenario figures of :mod:`.charts`."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

__all__ = ["EXPOSURE_NOTES", "exposure_figures"]

#: How the figure's measures are computed, for the page's notes.
EXPOSURE_NOTES: tuple[str, ...] = (
    "value added absorbed: Leontief inverse of the baseline's global IO matrix; imports split into "
    "intermediate and final use in the importer's proportions (docs/exposure.md).",)


def exposure_figures(frame: pd.DataFrame) -> list[tuple[str, go.Figure]]:
    """(heading, plotly figure) pairs for exposure rows (:func:`tradewar.analysis.exposure_table`
    or :func:`~tradewar.analysis.exposure_series` columns): value added absorbed (lines and
    markers) and gross exports (dotted) by year, % of the exporter's GDP, one pair of lines per
    exporter, partner and dataset."""
    fig = go.Figure()
    for (exp, par, ds), part in frame.groupby(["exporter", "partner", "dataset"]):
        fig.add_scatter(x=part.year, y=part.value_added_absorbed_pct_gdp, mode="lines+markers",
                        name=f"{exp}→{par} value added ({ds})")
        fig.add_scatter(x=part.year, y=part.gross_exports_pct_gdp, mode="lines", line={"dash": "dot"},
                        name=f"{exp}→{par} gross exports ({ds})")
    fig.update_layout(yaxis_title="% of the exporter's GDP", xaxis_title="year")
    return [("exposure over time", fig)]
