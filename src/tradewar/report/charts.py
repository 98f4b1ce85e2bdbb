"""Charts of a scenario run: pure functions from the run JSON (``docs/json-contract.md``) to
plotly figures.

Every function takes the plain dict a run writes (``tradewar run … --json``), reads it without
changing it, and returns a new :class:`plotly.graph_objects.Figure`. Titles state the units:
``*_pct`` are percent changes, ``*_musd`` millions of current US dollars. Losses are red, gains
blue. Text taken from the JSON is HTML-escaped before plotly renders it.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from ..data import sector_labels
from ..errors import UnknownCountryError, UserInputError
from ._geo import RESOLUTION, country_ids
from ._runs import (
    Run,
    check_run,
    fmt_usd,
    main_countries,
    map_assignment,
    number,
    scenario_name,
    sector_countries,
    welfare_order,
)

__all__ = [
    "bilateral_bars",
    "compare_bars",
    "horizon_bars",
    "ladder_lines",
    "sector_bars",
    "welfare_bars",
    "welfare_map",
]

LOSS = "#b2182b"
GAIN = "#2166ac"
NO_DATA = "#d9d9d9"
#: Diverging scale: red for losses, white at zero, blue for gains (ColorBrewer RdBu).
DIVERGING = [
    [0.0, "#67001f"], [0.15, "#b2182b"], [0.3, "#d6604d"], [0.45, "#f4a582"], [0.5, "#f7f7f7"],
    [0.55, "#92c5de"], [0.7, "#4393c3"], [0.85, "#2166ac"], [1.0, "#053061"],
]
SERIES = ["#2166ac", "#e08214", "#1b7837", "#762a83", "#b2182b", "#4d4d4d", "#35978f", "#c51b7d"]
#: Characters of a sector name shown on an axis (the hover shows the whole name).
SECTOR_TICK_WIDTH = 28
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def _text(value: object) -> str:
    """Text from the JSON, escaped for plotly's HTML-like labels."""
    return html.escape(str(value), quote=False)


def _layout(fig: go.Figure, title: str, *, height: int | None = None) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        template="plotly_white",
        font={"family": FONT, "size": 12, "color": "#222"},
        margin={"l": 60, "r": 30, "t": 70, "b": 50},
        hoverlabel={"font": {"family": FONT}},
        height=height,
    )
    return fig


def _bar_height(n: int, per_bar: int = 20) -> int:
    return max(320, 110 + per_bar * n)


def _sign_colours(values: Sequence[float]) -> list[str]:
    return [LOSS if v < 0 else GAIN for v in values]


def welfare_map(run: Run, geo: Mapping[str, Any]) -> go.Figure:
    """World choropleth of the welfare change (percent of real income) by economy.

    Parameters
    ----------
    run : the run JSON; ``countries`` keys are ISO3 codes or regions. A region (``EU27``, a
        region of an aggregated baseline listed in ``region_members``, or ``ROW`` = every economy
        not otherwise shown) colours each of its member countries with its own value.
    geo : the world TopoJSON (``geo/world_50m.json``, see
        :func:`tradewar.report.html.load_world_topojson`): its country ids are the economies
        the map can draw. Countries without data are grey.

    The figure sets ``geo.resolution = 50`` so that plotly.js uses the ``world_50m`` geometry;
    :func:`tradewar.report.html.write_report` inlines it so the page needs no network.
    """
    check_run(run)
    countries = run["countries"]
    universe = country_ids(geo)
    assignment = map_assignment(run, universe)
    locations: list[str] = []
    z: list[float] = []
    hover: list[str] = []
    for iso, key in assignment.items():
        welfare = number(countries.get(key), "welfare_pct")
        if welfare is None:
            continue
        where = _text(iso) if key == iso else f"{_text(iso)} (in {_text(key)})"
        income = number(countries[key], "real_income_change_musd")
        lines = [f"<b>{where}</b>", f"welfare {welfare:+.2f} %"]
        if income is not None:
            whose = f" (all of {_text(key)})" if key != iso else ""
            lines.append(f"real income {fmt_usd(income)}{whose}")
        hover.append("<br>".join(lines))
        locations.append(iso)
        z.append(welfare)
    drawn = set(locations)
    grey = [iso for iso in universe if iso not in drawn]
    fig = go.Figure()
    if grey:
        fig.add_trace(go.Choropleth(
            locations=grey, z=[0.0] * len(grey), locationmode="ISO-3", name="no data",
            colorscale=[[0, NO_DATA], [1, NO_DATA]], showscale=False,
            hovertext=[f"{_text(iso)}: no data" for iso in grey], hoverinfo="text",
            marker={"line": {"color": "white", "width": 0.4}},
        ))
    span = max((abs(v) for v in z), default=1.0) or 1.0
    fig.add_trace(go.Choropleth(
        locations=locations, z=z, locationmode="ISO-3", name="welfare, %",
        colorscale=DIVERGING, zmid=0.0, zmin=-span, zmax=span,
        hovertext=hover, hoverinfo="text",
        marker={"line": {"color": "white", "width": 0.4}},
        colorbar={"title": {"text": "welfare, %"}, "thickness": 14, "len": 0.75},
    ))
    fig.update_geos(
        # plotly.js 4 fits the view to the locations by default; with regions that cross the
        # antimeridian (USA's Aleutians, RUS, FJI, NZL) that rotates the world: keep it whole.
        scope="world", resolution=RESOLUTION, projection_type="natural earth", fitbounds=False,
        showframe=False, showcoastlines=True, coastlinecolor="#9aa3ad", coastlinewidth=0.5,
        showcountries=True, countrycolor="white", showland=True, landcolor=NO_DATA,
        showocean=False, showlakes=False, bgcolor="rgba(0,0,0,0)",
    )
    _layout(fig, f"Welfare change by economy (percent of real income) — "
                 f"{_text(scenario_name(run))}", height=520)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return fig


def welfare_bars(run: Run, band: Mapping[str, tuple[float, float, float]] | None = None) -> go.Figure:
    """Horizontal bars of the welfare change (percent of real income), largest loss on top;
    losses red, gains blue; the hover gives the real income change in USD.

    ``band``: economy → (p05, median, p95) of the welfare change over the draws of a sweep
    (percent); drawn as error bars from p05 to p95 around each bar, stated in the hover."""
    check_run(run)
    countries = run["countries"]
    order = [c for c in welfare_order(run) if number(countries[c], "welfare_pct") is not None]
    values = [number(countries[c], "welfare_pct") or 0.0 for c in order]
    income = [fmt_usd(number(countries[c], "real_income_change_musd")) for c in order]
    extra: dict[str, Any] = {}
    hover_band = ""
    if band:
        lows = [band[c][0] if c in band else v for c, v in zip(order, values, strict=True)]
        highs = [band[c][2] if c in band else v for c, v in zip(order, values, strict=True)]
        extra["error_x"] = {"type": "data", "symmetric": False, "color": "#555", "thickness": 1.2,
                            "array": [max(0.0, h - v) for h, v in zip(highs, values, strict=True)],
                            "arrayminus": [max(0.0, v - lo) for lo, v in zip(lows, values, strict=True)]}
        income = [f"{m}<br>5–95 % band {lo:+.2f} to {hi:+.2f} %" if c in band else m
                  for c, m, lo, hi in zip(order, income, lows, highs, strict=True)]
        hover_band = " (bars: this run; whiskers: 5–95 % over the elasticity draws)"
    fig = go.Figure(go.Bar(
        x=values, y=[_text(c) for c in order], orientation="h",
        marker_color=_sign_colours(values),
        text=[f"{v:+.2f}" for v in values], textposition="outside", cliponaxis=False,
        customdata=income,
        hovertemplate="<b>%{y}</b><br>welfare %{x:+.3f} %<br>real income %{customdata}"
                      "<extra></extra>", **extra,
    ))
    fig.update_yaxes(autorange="reversed", type="category", title_text="economy")
    fig.update_xaxes(title_text="welfare change, % of real income", zeroline=True,
                     zerolinecolor="#888")
    return _layout(fig, "Welfare change by economy (percent of real income; red = loss, "
                        f"blue = gain){hover_band}", height=_bar_height(len(order)))


def _bilateral_rows(run: Run) -> list[tuple[str, str, float, float, float, float | None]]:
    rows = []
    for row in run.get("bilateral") or []:
        if not isinstance(row, Mapping):
            continue
        exporter, importer = row.get("exporter"), row.get("importer")
        before, after = number(row, "before_musd"), number(row, "after_musd")
        if exporter == importer or before is None or after is None:
            continue
        rows.append((str(exporter), str(importer), before, after, after - before,
                     number(row, "change_pct")))
    return rows


def bilateral_bars(run: Run, top: int = 20) -> go.Figure:
    """The ``top`` largest changes in bilateral trade between economies, in millions of USD
    (after − before, at producer prices), labelled ``exporter → importer``; falls red, rises
    blue. Domestic sales (exporter = importer) are left out.

    Raises :class:`~tradewar.errors.UserInputError` if the run has no ``bilateral`` rows with
    ``before_musd`` and ``after_musd``.
    """
    check_run(run)
    if top < 1:
        raise UserInputError(f"top must be a positive number of bars, got {top!r}")
    rows = sorted(_bilateral_rows(run), key=lambda r: -abs(r[4]))[:top]
    if not rows:
        raise UserInputError(
            "run has no bilateral rows with 'exporter', 'importer', 'before_musd' and "
            "'after_musd' (key 'bilateral' of docs/json-contract.md)"
        )
    labels = [f"{_text(e)} → {_text(i)}" for e, i, *_ in rows]
    change = [r[4] for r in rows]
    custom = [[f"{b:,.0f}", f"{a:,.0f}", "—" if p is None else f"{p:+.1f} %"]
              for _, _, b, a, _, p in rows]
    fig = go.Figure(go.Bar(
        x=change, y=labels, orientation="h", marker_color=_sign_colours(change),
        customdata=custom,
        hovertemplate="<b>%{y}</b><br>change %{x:+,.0f} million USD (%{customdata[2]})"
                      "<br>before %{customdata[0]} · after %{customdata[1]} million USD"
                      "<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", type="category", title_text="exporter → importer")
    fig.update_xaxes(title_text="change in exports, millions of USD", zeroline=True,
                     zerolinecolor="#888", tickformat=",")
    return _layout(fig, f"Largest changes in bilateral trade (millions USD, exporter → "
                        f"importer; top {len(rows)})", height=_bar_height(len(rows)))


def sector_bars(run: Run, country: str) -> go.Figure:
    """Change in gross output and in exports by sector for one country (percent).

    Raises :class:`~tradewar.errors.UnknownCountryError` listing the countries with sector
    rows if ``country`` has none.
    """
    check_run(run)
    rows = [r for r in run.get("sectors") or []
            if isinstance(r, Mapping) and r.get("country") == country]
    if not rows:
        raise UnknownCountryError(country, sector_countries(run), where="run['sectors']")
    codes = [str(r.get("sector", "?")) for r in rows]
    names = sector_labels(codes)
    sectors = [_text(sector_tick(code, names.get(code, code))) for code in codes]
    full = [_text(f"{code} {names[code]}" if names.get(code, code) != code else code) for code in codes]
    fig = go.Figure()
    for key, name, colour, level in (
        ("output_pct", "gross output", "#4d4d4d", "output"),
        ("exports_pct", "exports", "#e08214", "exports"),
    ):
        values = [number(r, key) for r in rows]
        custom = [[_level(number(r, f"{level}_before_musd")),
                   _level(number(r, f"{level}_after_musd")), label] for r, label in zip(rows, full, strict=True)]
        fig.add_trace(go.Bar(
            x=sectors, y=values, name=name, marker_color=colour, customdata=custom,
            hovertemplate=f"<b>%{{customdata[2]}}</b><br>{name} %{{y:+.2f}} %<br>before %{{customdata[0]}}"
                          f" · after %{{customdata[1]}} million USD<extra></extra>",
        ))
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": 1.08, "x": 0})
    fig.update_xaxes(type="category", tickangle=-45, title_text="sector (code and name)")
    fig.update_yaxes(title_text="change, %", zeroline=True, zerolinecolor="#888")
    return _layout(fig, f"{_text(country)}: change in gross output and exports by sector "
                        f"(percent)", height=440)


def sector_tick(code: str, name: str, width: int = SECTOR_TICK_WIDTH) -> str:
    """A sector's axis label: its code and human-readable name, the name cut at a word to
    about ``width`` characters (``"C13T15 Textiles, textile products…"``); the code alone when
    it has no name (:func:`tradewar.data.sector_labels` maps unknown codes to themselves)."""
    if not name or name == code:
        return code
    if len(name) > width:
        cut = name[:width].rsplit(" ", 1)[0].rstrip(",;:- ")
        name = (cut or name[:width]) + "…"
    return f"{code} {name}"


def _level(musd: float | None) -> str:
    """A level in millions of USD with thousands separators, or an em dash."""
    return "—" if musd is None else f"{musd:,.0f}"


def _step_axis(steps: Sequence[Mapping[str, Any]]) -> tuple[list[str], bool]:
    dates = [s.get("date") for s in steps]
    if all(isinstance(d, str) and d for d in dates) and len(set(dates)) == len(dates):
        return [str(d) for d in dates], True
    labels = [str(s.get("label") or s.get("date") or f"step {k + 1}") for k, s in
              enumerate(steps)]
    return [f"{k + 1}. {_text(label)}" for k, label in enumerate(labels)], False


def ladder_lines(run: Run, countries: Sequence[str] | None = None) -> go.Figure:
    """Welfare (percent of real income) after each step of a dated tariff ladder, one line per
    country (default: :func:`~tradewar.report._runs.main_countries`). The x axis is the step's
    date when every step has a distinct one, else its label.

    Raises :class:`~tradewar.errors.UserInputError` if the run has no ``steps``.
    """
    check_run(run)
    steps = [s for s in run.get("steps") or [] if isinstance(s, Mapping)]
    if not steps:
        raise UserInputError("run has no 'steps' (a list of steps, docs/json-contract.md)")
    chosen = list(countries) if countries is not None else main_countries(run)
    x, dated = _step_axis(steps)
    labels = [_text(s.get("label") or "") for s in steps]
    fig = go.Figure()
    for k, code in enumerate(chosen):
        y = [number((s.get("countries") or {}).get(code), "welfare_pct") for s in steps]
        if all(v is None for v in y):
            continue
        fig.add_trace(go.Scatter(
            x=x, y=y, name=_text(code), mode="lines+markers", customdata=labels,
            line={"color": SERIES[k % len(SERIES)], "width": 2, "shape": "hv" if dated else
                  "linear"},
            hovertemplate=f"<b>{_text(code)}</b> %{{x}}<br>%{{customdata}}<br>welfare "
                          f"%{{y:+.2f}} %<extra></extra>",
        ))
    fig.update_yaxes(title_text="welfare change, % of real income", zeroline=True,
                     zerolinecolor="#888")
    if dated:
        fig.update_xaxes(type="date", title_text="date the step takes effect", tickmode="array",
                         tickvals=x, tickformat="%b %-d, %Y")
    else:
        fig.update_xaxes(type="category", title_text="step (label)")
    return _layout(fig, "Welfare along the tariff ladder (percent of real income, "
                        "all steps to date in force)", height=440)


def compare_bars(runs: Sequence[Run], economies: Sequence[str] | None = None) -> go.Figure:
    """Welfare change (percent of real income) by economy for several runs side by side:
    one group of bars per economy (ordered by the average change, largest loss on top), one
    colour per scenario. Hover gives the real income change in USD. ``economies``: those
    drawn (default: every economy of any run)."""
    if isinstance(runs, Mapping) or not runs:
        raise UserInputError("compare_bars needs a non-empty list of run JSON objects")
    checked = [check_run(r, where=f"runs[{k}]") for k, r in enumerate(runs)]
    names: list[str] = []
    for run in checked:
        name = scenario_name(run)
        candidate, n = name, 2
        while candidate in names:
            candidate, n = f"{name} ({n})", n + 1
        names.append(candidate)
    union: dict[str, list[float]] = {}
    for run in checked:
        for code, row in run["countries"].items():
            value = number(row, "welfare_pct")
            if value is not None:
                union.setdefault(code, []).append(value)
    if economies is not None:
        union = {c: v for c, v in union.items() if c in set(economies)}
    order = sorted(union, key=lambda c: sum(union[c]) / len(union[c]))
    fig = go.Figure()
    for k, (run, name) in enumerate(zip(checked, names, strict=True)):
        rows = run["countries"]
        fig.add_trace(go.Bar(
            y=[_text(c) for c in order], x=[number(rows.get(c), "welfare_pct") for c in order],
            orientation="h", name=_text(name), marker_color=SERIES[k % len(SERIES)],
            customdata=[fmt_usd(number(rows.get(c), "real_income_change_musd")) for c in order],
            hovertemplate=f"<b>%{{y}}</b> — {_text(name)}<br>welfare %{{x:+.3f}} %<br>real "
                          f"income %{{customdata}}<extra></extra>",
        ))
    return _grouped_welfare_bars(fig, "Welfare change by scenario (percent of real income)",
                                 n_economies=len(order), n_runs=len(checked), extra=40)


def horizon_bars(runs: Sequence[Run], economies: Sequence[str] | None = None) -> go.Figure:
    """Welfare change (percent of real income) of the main economies in each run, short run
    and long run side by side: one group of bars per economy, one colour per scenario, the
    short run lighter. ``economies`` default: the main countries of every run (largest changes
    and those named, :func:`~tradewar.report._runs.main_countries`), ordered by the first run.
    Each run's horizon is its ``horizon`` key (``tradewar compare --horizon both``) or
    ``baseline.horizon``."""
    from ._summary import base_scenario, run_horizon

    if isinstance(runs, Mapping) or not runs:
        raise UserInputError("horizon_bars needs a non-empty list of run JSON objects")
    checked = [check_run(r, where=f"runs[{k}]") for k, r in enumerate(runs)]
    chosen = list(economies) if economies is not None else list(
        dict.fromkeys(c for run in checked for c in main_countries(run)))
    first = checked[0]["countries"]
    chosen.sort(key=lambda c: number(first.get(c), "welfare_pct") or 0.0)
    scenarios = list(dict.fromkeys(base_scenario(r) for r in checked))
    fig = go.Figure()
    for run in checked:
        scenario, horizon = base_scenario(run), run_horizon(run) or "horizon not recorded"
        colour = SERIES[scenarios.index(scenario) % len(SERIES)]
        rows = run["countries"]
        name = f"{_text(scenario)}, {horizon} run" if horizon in ("short", "long") else _text(scenario)
        fig.add_trace(go.Bar(
            y=[_text(c) for c in chosen], x=[number(rows.get(c), "welfare_pct") for c in chosen],
            orientation="h", name=name, marker_color=colour,
            marker_opacity=0.5 if horizon == "short" else 1.0,
            marker_pattern_shape="/" if horizon == "short" else "",
            hovertemplate=f"<b>%{{y}}</b> — {name}<br>welfare %{{x:+.3f}} % of real income<extra></extra>",
        ))
    return _grouped_welfare_bars(fig, "Short run and long run: welfare change (% of real income)",
                                 n_economies=len(chosen), n_runs=len(checked), extra=60)


def _grouped_welfare_bars(fig: go.Figure, title: str, *, n_economies: int, n_runs: int,
                          extra: int) -> go.Figure:
    """The layout of horizontal welfare bars grouped by economy, one bar per run (percent of
    real income on x; height grows with economies × runs)."""
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": 1.02, "x": 0,
                                               "yanchor": "bottom"})
    fig.update_yaxes(autorange="reversed", type="category", title_text="economy")
    fig.update_xaxes(title_text="welfare change, % of real income", zeroline=True,
                     zerolinecolor="#888")
    return _layout(fig, title, height=_bar_height(n_economies, per_bar=8 + 12 * n_runs) + extra)
