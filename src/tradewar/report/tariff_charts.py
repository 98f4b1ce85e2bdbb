"""Charts of the tariffs in force over time (``tradewar tariffs --chart``).

Input: the long table of :func:`tradewar.data.tariffs_in_force_table` (keys ``date``,
``importer``, ``exporter``, ``sector``, ``rate_pct``); only the ``sector == "goods"`` rows are
drawn. Rates are percent, trade-weighted at pre-shock weights.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go


def tariff_series_figure(table: pd.DataFrame, title: str = "Tariffs in force") -> go.Figure:
    """Step lines of the import-weighted rate in force (percent) of each importer → exporter
    pair over time; each rate holds until the next dated step (``line_shape="hv"``)."""
    goods = table[table["sector"] == "goods"]
    fig = go.Figure()
    for (importer, exporter), part in goods.groupby(["importer", "exporter"], sort=False):
        part = part.sort_values("date")
        name = f"{importer} on {'the world' if exporter == 'WORLD' else exporter}"
        fig.add_scatter(x=pd.to_datetime(part["date"]), y=part["rate_pct"], mode="lines+markers",
                        line_shape="hv", name=name)
    fig.update_layout(title=title, xaxis_title="date (effective)",
                      yaxis_title="tariff in force, % (trade-weighted, pre-shock weights)",
                      hovermode="x unified", template="plotly_white")
    return fig
