"""Charts of the tariffs in force over time (``tradewar tariffs --chart``).

Input: the long table of :func:`tradewar.data.tariffs_in_force_table` (keys ``date``,
``importer``, ``exporter``, ``sector``, ``rate_pct``); only the ``sector == "goods"`` rows are
drawn. Rates are percent, trade-weighted at pre-shock weights.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..data import goods_mask


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


#: The goods flows of :func:`timeline_trade`: (name, exporter, importer).
TIMELINE_FLOWS: tuple[tuple[str, str, str], ...] = (("China → US goods", "CHN", "USA"),
                                                    ("US → China goods", "USA", "CHN"))


def timeline_trade(result: object) -> pd.DataFrame:
    """US–China goods trade at every step of a dated multi-step run, both ways: one row per
    step and flow with ``step``, ``date`` (ISO or None), ``label``, ``flow``, ``exporter``,
    ``importer``, ``before_musd`` / ``after_musd`` (goods: every sector but services, millions of
    USD) and ``change_pct`` (% change from the start; NaN where nothing was traded). Empty when
    the run lacks the USA or China (e.g. merged into regions). ``result``: a
    :class:`tradewar.scenario.ScenarioResult`."""
    import numpy as np

    steps = list(result.steps)  # type: ignore[attr-defined]
    first = steps[0][2]
    codes = list(first.reference.countries)
    rows: list[dict[str, object]] = []
    if "USA" not in codes or "CHN" not in codes:
        return pd.DataFrame(rows, columns=["step", "date", "label", "flow", "exporter",
                                           "importer", "before_musd", "after_musd", "change_pct"])
    goods = goods_mask(first.reference.sectors)
    for k, (label, day, eq) in enumerate(steps):
        for name, exporter, importer in TIMELINE_FLOWS:
            i, e = codes.index(importer), codes.index(exporter)
            before = float(np.asarray(eq.reference.flows)[i, e][goods].sum())
            after = float(np.asarray(eq.flows)[i, e][goods].sum())
            rows.append({"step": k, "date": day.isoformat() if day else None, "label": label,
                         "flow": name, "exporter": exporter, "importer": importer,
                         "before_musd": before, "after_musd": after,
                         "change_pct": (after / before - 1.0) * 100.0 if before > 0
                         else float("nan")})
    return pd.DataFrame(rows)


def timeline_figures(result: object, countries: tuple[str, ...] = ("USA", "CHN", "CAN", "MEX"),
                     ) -> list[tuple[str, go.Figure]]:
    """Figures of a dated multi-step run (e.g. the built-in ``timeline``): welfare (% of real
    income) of ``countries`` and the change of US–China goods trade both ways (%), at every
    step's date, each step holding every earlier one (cumulative, as the scenario compiles).

    ``result`` is a :class:`tradewar.scenario.ScenarioResult` (``steps`` of
    ``(label, date, Equilibrium)``)."""
    steps = list(result.steps)  # type: ignore[attr-defined]
    dates = [pd.Timestamp(day) if day is not None else pd.NaT for _, day, _ in steps]
    labels = [label for label, _, _ in steps]
    welfare = go.Figure()
    first = steps[0][2]
    codes = list(first.reference.countries)
    for code in countries:
        if code not in codes:
            continue
        values = [float(eq.countries_table().loc[code, "welfare_pct"]) for _, _, eq in steps]
        welfare.add_scatter(x=dates, y=values, mode="lines+markers", line_shape="hv", name=code,
                            customdata=labels, hovertemplate="%{customdata}<br>%{y:+.2f} %")
    welfare.update_layout(title="Welfare along the timeline (change in real income, %)",
                          xaxis_title="date the step takes effect", yaxis_title="welfare, %",
                          template="plotly_white")
    trade = go.Figure()
    flows = timeline_trade(result)
    for name, _, _ in TIMELINE_FLOWS if len(flows) else ():
        trade.add_scatter(x=dates, y=list(flows[flows["flow"] == name]["change_pct"]),
                          mode="lines+markers", line_shape="hv", name=name,
                          customdata=labels, hovertemplate="%{customdata}<br>%{y:+.1f} %")
    trade.update_layout(title="US–China goods trade along the timeline (change from the start, %)",
                        xaxis_title="date the step takes effect", yaxis_title="change, %",
                        template="plotly_white")
    return [("welfare over time", welfare), ("US–China trade over time", trade)]
