"""Figures of the escalation game (plotly), beside the scenario figures of :mod:`.charts`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

if TYPE_CHECKING:
    from ..analysis import EscalationResult

__all__ = ["escalation_figures"]


def escalation_figures(result: EscalationResult, c: float | None = None) -> list[tuple[str, go.Figure]]:
    """(heading, plotly figure) pairs: outcome regions over (d, threat) at audience cost
    ``c`` (default: the headline), ``d*`` against the threat with and without allies, and
    outcome regions over (d, c) at the headline threat."""
    from ..analysis import OUTCOMES, outcome_codes

    c = result.audience_cost_pct if c is None else float(c)
    colours = ["#2ca02c", "#d62728", "#ff7f0e"]  # concede, resist_war, resist_back_down
    scale = []
    for k, colour in enumerate(colours):
        scale += [[k / 3, colour], [(k + 1) / 3, colour]]
    labels = {"concede": f"{result.target} concedes", "resist_war":
              f"{result.target} resists, {result.leader} carries out the threat",
              "resist_back_down": f"{result.target} resists, {result.leader} backs down"}
    colorbar = {"tickvals": [1 / 3, 1, 5 / 3], "ticktext": [labels[o] for o in OUTCOMES],
                "title": "outcome"}
    who = " + ".join((result.leader,) + result.allies)
    codes = result.outcome_grid(c)
    fig1 = go.Figure(go.Heatmap(
        x=list(result.d_grid), y=[100 * t for t in result.threats], z=codes, zmin=0, zmax=2,
        colorscale=scale, colorbar=colorbar,
        customdata=[[labels[OUTCOMES[k]] for k in row] for row in codes],
        hovertemplate="d = %{x:.2f} %<br>threat = +%{y:.0f} points<br>%{customdata}<extra></extra>"))
    dstars = [result.solution(c=c, war=w).d_star_pct for w in result.war]
    fig1.add_scatter(x=dstars, y=[100 * t for t in result.threats], mode="lines+markers",
                     name="break-even d*", line={"color": "black"})
    fig1.update_layout(xaxis_title=f"cost of capitulation d for {result.target} (% of real income)",
                       yaxis_title=f"threat (points on {result.target}'s goods)",
                       xaxis_range=[min(result.d_grid), max(result.d_grid)], height=480,
                       legend={"orientation": "h", "y": -0.2})
    fig2 = go.Figure()
    series = [(f"{who}", result.war, "solid")]
    if result.allies:
        series.append((f"{result.leader} alone", result.war_alone, "solid"))
    for name, wars, _ in series:
        fig2.add_scatter(x=[100 * w.threat for w in wars],
                         y=[result.solution(c=c, war=w).d_star_pct for w in wars],
                         mode="lines+markers", name=f"d*, {name} (c = {c:g} %)")
        fig2.add_scatter(x=[100 * w.threat for w in wars],
                         y=[result.concede_target_pct - w.target_pct for w in wars],
                         mode="lines", line={"dash": "dot"}, name=f"d* if credible, {name}")
    fig2.update_layout(xaxis_title="threat (points added)",
                       yaxis_title=f"d* (% of {result.target}'s real income)", height=480,
                       legend={"orientation": "h", "y": -0.25})
    war = result.war_at(None)
    cs = np.asarray(result.c_grid)
    codes_c = outcome_codes(result.concede_target_pct, war.target_pct, war.leader_pct,
                            np.asarray(result.d_grid)[None, :], cs[:, None])
    fig3 = go.Figure(go.Heatmap(
        x=list(result.d_grid), y=list(cs), z=codes_c, zmin=0, zmax=2, colorscale=scale,
        colorbar=colorbar, customdata=[[labels[OUTCOMES[k]] for k in row] for row in codes_c],
        hovertemplate="d = %{x:.2f} %<br>c = %{y:.2f} %<br>%{customdata}<extra></extra>"))
    fig3.update_layout(xaxis_title=f"cost of capitulation d for {result.target} (% of real income)",
                       yaxis_title=f"audience cost c for {result.leader} (%)", height=420)
    return [
        (f"Outcome over (d, threat) at audience cost c = {c:g} % (threat by {who})", fig1),
        ("Break-even cost of capitulation d* against the threat", fig2),
        (f"Outcome over (d, c) at the threat +{100 * result.threat:.0f} points", fig3),
    ]
