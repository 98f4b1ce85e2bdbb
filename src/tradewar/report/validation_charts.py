"""Charts of the validation studies (interfaces layer: draws results, computes nothing).

:func:`expost_figures` draws :class:`tradewar.analysis.expost.ExPostResult`: predicted against
observed log changes of supplier shares by sector (one scatter per horizon, with the 45° line on
which a perfect prediction lies) and the table of fit statistics.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

__all__ = ["expost_figures"]

_COLOURS = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#7f7f7f")
_SYMBOLS = ("circle", "diamond-open")
#: Axis half-range (log points): a point beyond it (e.g. Vietnam's crude-oil sales to the US,
#: −6.4) is named under the chart instead of squeezing the other points.
_AXIS_CAP = 3.5


def _scatter(points: Any, horizon: str, flows: list[str], layer: str) -> go.Figure:
    fig = go.Figure()
    sub = points[points["horizon"] == horizon]
    years = sorted(set(int(y) for y in sub["year"]))
    for f_idx, flow in enumerate(flows):
        for y_idx, year in enumerate(years):
            rows = sub[(sub["flow"] == flow) & (sub["year"] == year)]
            if rows.empty:
                continue
            fig.add_trace(go.Scatter(
                x=rows["predicted"], y=rows["observed"], mode="markers", name=f"{flow}, {year}",
                legendgroup=flow, text=rows["sector"],
                marker={"color": _COLOURS[f_idx % len(_COLOURS)], "symbol": _SYMBOLS[y_idx % 2], "size": 8},
                hovertemplate="%{text}<br>predicted %{x:.2f}<br>observed %{y:.2f}<extra>" + f"{flow}, {year}</extra>",
            ))
    off: list[str] = []
    if not sub.empty:
        lo = max(float(min(sub["predicted"].min(), sub["observed"].min(), 0.0)), -_AXIS_CAP)
        hi = min(float(max(sub["predicted"].max(), sub["observed"].max(), 0.0)), _AXIS_CAP)
        fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", name="observed = predicted",
                                 line={"color": "black", "dash": "dot", "width": 1}, hoverinfo="skip"))
        pad = 0.05 * (hi - lo)
        fig.update_xaxes(range=[lo - pad, hi + pad])
        fig.update_yaxes(range=[lo - pad, hi + pad])
        outside = sub[(sub["predicted"].abs() > _AXIS_CAP) | (sub["observed"].abs() > _AXIS_CAP)]
        off = [f"{r.flow} {r.sector} {int(r.year)}: predicted {r.predicted:+.2f}, observed {r.observed:+.2f}"
               for r in outside.itertuples()]
    if off:   # named, not dropped silently: the fit statistics include them
        fig.add_annotation(text="off the chart (in the statistics): " + "; ".join(off), showarrow=False,
                           xref="paper", yref="paper", x=0, y=-0.16, xanchor="left", font={"size": 10})
    fig.update_layout(
        title=f"Supplier shares by sector, {horizon}-run elasticities, layer {layer}: predicted vs observed "
              "(log change)",
        xaxis_title="predicted by tradewar (log change of the share)",
        yaxis_title="observed in ICIO (log change of the share)",
        template="plotly_white", height=620, legend={"font": {"size": 10}}, margin={"b": 110},
    )
    fig.add_hline(y=0, line_width=0.5, line_color="grey")
    fig.add_vline(x=0, line_width=0.5, line_color="grey")
    return fig


def _table(stats: Any) -> go.Figure:
    cols = ["flow", "horizon", "year", "n", "slope", "correlation", "rmse_model", "rmse_no_change", "rmse_trend",
            "mean_predicted", "mean_observed"]
    values = []
    for col in cols:
        series = stats[col]
        values.append([f"{v:+.2f}" if isinstance(v, float) else str(v) for v in series])
    return go.Figure(go.Table(header={"values": cols, "align": "left"}, cells={"values": values, "align": "left"})).update_layout(
        height=60 + 28 * len(stats), margin={"l": 10, "r": 10, "t": 10, "b": 10})


def expost_figures(result: Any) -> list[tuple[str, go.Figure]]:
    """(heading, figure) pairs for :func:`tradewar.report.write_figures`: the fit table, then
    one scatter per horizon (titled with the tariff layer applied, ``result.layer``)."""
    stats, points = result.statistics, result.sectors
    layer = str(getattr(result, "layer", "end-2019"))
    flows = list(dict.fromkeys(stats["flow"]))
    out: list[tuple[str, go.Figure]] = [("Fit statistics (log points; rmse_no_change and rmse_trend are the naive "
                                         "benchmarks)", _table(stats))]
    for horizon in dict.fromkeys(stats["horizon"]):
        out.append((f"{horizon}-run horizon", _scatter(points, str(horizon), flows, layer)))
    return out
