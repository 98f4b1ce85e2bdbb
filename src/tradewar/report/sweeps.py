"""Figures of an uncertainty sweep (plotly), beside the scenario figures of :mod:`.charts`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

if TYPE_CHECKING:
    from ..analysis import SweepResult

__all__ = ["sweep_figures"]


def sweep_figures(result: SweepResult) -> list[tuple[str, go.Figure]]:
    """Welfare bands by economy, the main pair's trade, and leverage (coalitions)."""
    summary = result.summary()
    pub = result.published()
    welfare = summary[summary.index.str.startswith("welfare_pct.")].sort_values("median")
    names = [c.split(".", 1)[1] for c in welfare.index]
    fig = go.Figure()
    fig.add_scatter(x=welfare["median"], y=names, mode="markers", name="median",
                    error_x={"type": "data", "symmetric": False,
                             "array": welfare["p95"] - welfare["median"],
                             "arrayminus": welfare["median"] - welfare["p05"]})
    for name, row in pub.iterrows():
        fig.add_scatter(x=[row[c] for c in welfare.index], y=names, mode="markers",
                        name=f"{name} (published)", marker={"size": 5, "symbol": "line-ns-open"},
                        visible="legendonly" if name != result.central_set else True)
    fig.update_layout(xaxis_title="welfare: % change in real income (median, 5-95 % band)",
                      yaxis_title="economy", height=max(400, 160 + 26 * len(names)), yaxis={"dtick": 1})
    figures = [(f"{result.what}: welfare over elasticity draws", fig)]
    trade = [c for c in result.value_columns if c.startswith("trade_pct.")]
    ok = result.frame[result.frame["converged"].astype(bool)]
    if trade:
        fig2 = go.Figure()
        for col in trade:
            fig2.add_histogram(x=ok[col], name=col.split(".", 1)[1], opacity=0.6)
        fig2.update_layout(barmode="overlay", xaxis_title="% change in bilateral exports (all sectors)",
                           yaxis_title="draws")
        figures.append(("Trade of the main pair over the draws", fig2))
    if "leverage" in result.frame:
        lev = ok["leverage"][np.isfinite(ok["leverage"])]
        fig3 = go.Figure(go.Histogram(x=lev))
        fig3.update_layout(xaxis_title="leverage of the grand coalition", yaxis_title="draws")
        figures.append(("Leverage of the grand coalition over the draws", fig3))
    return figures
