"""Figures of a coalition analysis (plotly), beside the scenario figures of :mod:`.charts`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

if TYPE_CHECKING:
    from ..analysis import CoalitionResult

__all__ = ["coalition_figures"]


def coalition_figures(result: CoalitionResult) -> list[tuple[str, go.Figure]]:
    """(heading, plotly figure) pairs: leverage by size, Shapley bars, stability vs p."""
    g, table = result.game, result.table()
    target = g.countries[g.target]
    finite = table[np.isfinite(table.leverage)]
    fig1 = go.Figure()
    fig1.add_scatter(x=finite["size"], y=finite.leverage, mode="markers", name="coalition",
                     text=[" + ".join(m) for m in finite.members], hoverinfo="text+y",
                     marker={"opacity": 0.5})
    med = finite.groupby("size").leverage.median()
    fig1.add_scatter(x=med.index, y=med.values, mode="lines+markers", name="median")
    fig1.update_layout(xaxis_title="allies in the coalition (the leader is always in)",
                       yaxis_title=f"leverage ({target} loss / coalition loss)")
    figures = [(f"Leverage over {target} by coalition size", fig1)]
    if result.failed:
        return figures
    sh = result.shapley().sort_values("shapley_musd")
    fig2 = go.Figure(go.Bar(x=sh.shapley_musd / 1e3, y=sh.index, orientation="h",
                            text=[f"{v:.3f} pp" for v in sh.shapley_pct]))
    fig2.update_layout(xaxis_title=f"Shapley value: contribution to {target}'s real-income "
                       "loss, bn USD (label: points of its real income)")
    fig3 = go.Figure()
    for p, masks in result.stable_by_reliability().items():
        fig3.add_scatter(x=[p] * len(masks), y=[bin(m).count("1") for m in masks],
                         mode="markers", showlegend=False, marker={"color": "#1f77b4"},
                         text=[" + ".join(g.members(m)) for m in masks], hoverinfo="text+x")
    fig3.update_layout(xaxis_title="reliability p (probability the promised relief is kept)",
                       yaxis_title="allies in a stable coalition")
    mr = result.min_reliability()
    never = mr.isna().to_numpy()
    fig4 = go.Figure(go.Bar(x=np.where(never, 1.0, mr.fillna(0).to_numpy()), y=mr.index,
                            orientation="h", textposition="auto",
                            marker={"color": np.where(never, "#d3d3d3", "#1f77b4").tolist()},
                            text=["never" if n else f"{v:.2f}" for n, v in zip(never, mr, strict=True)]))
    fig4.update_layout(xaxis_title="least reliability at which the ally stays in the grand "
                       "coalition (grey: at no reliability)", xaxis_range=[0, 1.02])
    return figures + [("Each ally's Shapley value", fig2),
                      ("Stable coalitions as the reliability of relief varies", fig3),
                      ("Least reliability at which each ally stays", fig4)]
