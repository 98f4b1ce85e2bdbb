"""`tradewar scenarios`, `tradewar run` and `tradewar compare`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.table import Table

from ..errors import UserInputError, check_choice
from ..options import DEFICIT_CLOSURES
from ._common import DataDirOption, console, fmt_pct, line, styled, warn
from ._options import (
    DatasetOption,
    ElasticityOption,
    HorizonOption,
    LabourSupplyOption,
    RegionsOption,
    YearOption,
    baseline_from_options,
    check_baseline_options,
    check_labour_supply_option,
)
from ._outputs import check_outputs, write_csv_tables, write_json

if TYPE_CHECKING:
    from ..options import DeficitClosure
    from ..scenario import ScenarioResult

DeficitsOption = Annotated[str, typer.Option(
    "--deficits", help="Deficit closure: fixed (in numeraire units), zero (CP's two-step) or proportional (E/Y).")]


def scenarios() -> None:
    """List the built-in scenarios with a one-line description."""
    from ..scenario import builtin_names, builtin_scenario

    table = Table(title="built-in scenarios (tradewar run NAME)")
    table.add_column("name", style="bold")
    table.add_column("what it is")
    for name in builtin_names():
        description = " ".join(builtin_scenario(name).description.split())
        first = description.split(". ")[0].rstrip(".")
        table.add_row(name, first if len(first) <= 110 else first[:107].rsplit(" ", 1)[0] + " …")
    console.print(table)


def _solve(spec: str, dataset: str, year: int | None, elasticity: str, regions: str | None,
           deficits: str, data_dir: Path | None, horizon: str = "long",
           when: str | None = None, labour_supply: float = 0.0) -> ScenarioResult:
    from ..scenario import resolve_scenario, run_scenario

    check_choice("deficit closure", deficits, [d for d in DEFICIT_CLOSURES if d != "given"])
    labour_supply = check_labour_supply_option(labour_supply)
    check_baseline_options(dataset, elasticity)
    if when is not None:
        if spec != "in-force":
            raise UserInputError(f"--date {when}: applies to the built-in 'in-force' only (the "
                                 f"other scenarios carry their own dates), not to {spec!r}")
        from ..data import in_force_scenario_toml
        from ..scenario import scenario_from_toml

        scenario = scenario_from_toml(in_force_scenario_toml(when), source=f"in-force --date {when}")
    else:
        scenario = resolve_scenario(spec)
    rule: Any = None
    if scenario.retaliation == "optimal":  # the strategy layer supplies the rule (heavy: only then)
        from ..analysis import optimal_retaliation_rule

        rule = optimal_retaliation_rule
    closure = cast("DeficitClosure", deficits)  # checked above
    with console.status(styled(f"loading the {dataset} baseline and solving '{scenario.name}'…")):
        baseline = baseline_from_options(dataset, year, elasticity, regions, data_dir, horizon)
        result = run_scenario(baseline, scenario, deficits=closure, data_dir=data_dir,
                              retaliation_rule=rule, labour_supply=labour_supply)
    warn_implausible(result)
    return result


def warn_implausible(result: ScenarioResult) -> None:
    """Print a visible warning for every step whose equilibrium is flagged implausible."""
    for label, _, eq in result.steps:
        issues = getattr(eq.diagnostics, "plausibility_issues", ())
        if issues:
            where = f"'{result.scenario.name}'" + (f", step {label}" if len(result.steps) > 1 else "")
            warn(f"implausible equilibrium in {where} (the model's exact answer, but not a "
                 f"believable one; do not quote it): {'; '.join(issues)}")


def _countries_table(result: ScenarioResult, show_all: bool) -> Table:
    import pandas as pd

    frame = result.countries_frame().sort_values("welfare_pct")
    if not show_all and len(frame) > 24:
        main = frame.loc[frame.index.isin(result.main_countries)]
        extremes = pd.concat([frame.head(6), frame.tail(6)])
        frame = pd.concat([main, extremes[~extremes.index.isin(main.index)]]).sort_values("welfare_pct")
    split = bool((frame["welfare_transfer_pct"].abs() > 0).any()) if "welfare_transfer_pct" in frame else False
    caption = "welfare = exact change in real income; money in billions of USD"
    if split:
        caption += ("; deficits change: welfare = transfer (change in borrowing at new prices — spending moved "
                    "between countries, not income earned) + the rest (terms of trade, efficiency); docs/model.md")
    jobs = "employment_pct" in frame  # elastic labour supply (--labour-supply > 0)
    if jobs:
        caption += f"; employment = (real wage)^{result.labour_supply:g}"
    table = Table(title=f"{result.scenario.name}: change vs the starting point (sorted by welfare)", caption=caption)
    columns = ["country", "welfare %", *(["of which transfer %", "rest %"] if split else []), "real income, bn USD",
               "real wage %", *(["employment %"] if jobs else []), "exports %", "imports %", "tariff revenue, bn USD"]
    for col in columns:
        table.add_column(col, justify="right")
    for country, row in frame.iterrows():
        parts = [fmt_pct(row.welfare_pct)]
        if split:
            parts += [fmt_pct(row.welfare_transfer_pct), fmt_pct(row.welfare_excl_transfer_pct)]
        table.add_row(str(country), *parts, f"{row.real_income_change_musd / 1e3:+,.1f}",
                      fmt_pct(row.real_wage_pct), *([fmt_pct(row.employment_pct)] if jobs else []),
                      fmt_pct(row.exports_pct, 1), fmt_pct(row.imports_pct, 1),
                      f"{row.tariff_revenue_musd / 1e3:,.1f}")
    return table


def run(
    scenario: Annotated[str, typer.Argument(help="A built-in name (see `tradewar scenarios`) or a TOML file.")],
    dataset: DatasetOption = "icio",
    year: YearOption = None,
    elasticity: ElasticityOption = "IS",
    regions: RegionsOption = None,
    deficits: DeficitsOption = "fixed",
    json_path: Annotated[Path | None, typer.Option("--json", help="Write the results as JSON (docs/json-contract.md).")] = None,
    csv_dir: Annotated[Path | None, typer.Option("--csv", help="Write countries/bilateral/sectors/steps CSV files here.")] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write a self-contained HTML report.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Show every country, not just the main ones and the extremes.")] = False,
    chart: Annotated[Path | None, typer.Option(
        "--chart", help="For a dated multi-step scenario (e.g. timeline): an offline HTML chart of "
        "welfare and US-China trade at every step.")] = None,
    horizon: HorizonOption = "long",
    when: Annotated[str | None, typer.Option(
        "--date", help="For 'in-force': the date (YYYY-MM-DD from 2025-01-01; default the latest).",
        show_default=False)] = None,
    labour_supply: LabourSupplyOption = 0.0,
    data_dir: DataDirOption = None,
) -> None:
    """Run a scenario on a baseline and show who gains and who loses."""
    import pandas as pd

    check_outputs(files={"--json": json_path, "--report": report, "--chart": chart},
                  folders={"--csv": csv_dir})
    result = _solve(scenario, dataset, year, elasticity, regions, deficits, data_dir, horizon, when, labour_supply)
    if chart is not None:
        if len(result.steps) < 2:
            raise UserInputError(f"--chart: '{result.scenario.name}' has one step; the chart is for "
                                 "dated multi-step scenarios (e.g. timeline, us-china-ladder-2025)")
        from ..report import write_figures
        from ..report.tariff_charts import timeline_figures

        write_figures(chart, f"{result.scenario.name}: welfare and trade over time",
                      timeline_figures(result), notes=list(result.assumptions))
        console.print(f"chart written to {chart}")
    payload = result.to_json()
    console.print(_countries_table(result, show_all))
    bilateral = pd.DataFrame(payload["bilateral"]).sort_values("before_musd", ascending=False).head(8)
    table = Table(title="largest bilateral flows involving the main countries (billions of USD)")
    for col in ("exporter → importer", "before", "after", "change %"):
        table.add_column(col, justify="right")
    for _, row in bilateral.iterrows():
        table.add_row(f"{row.exporter} → {row.importer}", f"{row.before_musd / 1e3:,.1f}",
                      f"{row.after_musd / 1e3:,.1f}", fmt_pct(row.change_pct, 1))
    console.print(table)
    if len(result.steps) > 1:
        steps = Table(title="the ladder, step by step (welfare %)")
        steps.add_column("date")
        steps.add_column("step")
        main = list(result.main_countries[:4])
        for c in main:
            steps.add_column(c, justify="right")
        for label, day, eq in result.steps:
            values = [fmt_pct(eq.welfare_pct[eq.reference.index_of(c)]) for c in main]
            steps.add_row(day.isoformat() if day else "", label, *values)
        console.print(steps)
    solver = payload["solver"]
    console.print(styled(f"closure {result.closure}; start: {payload['baseline'].get('starting_tariffs', '')}; "
                         f"solver converged in {solver['iterations']} iterations, max residual "
                         f"{solver['max_residual']:.1e}", "dim"))
    for source in payload.get("sources") or []:  # every built-in cites its sources (issue 11)
        console.print(styled(f"source: {source}", "dim"))
    other = None
    if report is not None:  # the report's summary puts the other horizon beside this one: one extra solve
        from ..errors import NonConvergenceError

        other_horizon = "short" if horizon == "long" else "long"
        try:
            other = _solve(scenario, dataset, year, elasticity, regions, deficits, data_dir,
                           other_horizon, when, labour_supply).to_json()
        except NonConvergenceError as exc:  # the report keeps the horizon asked, and says why alone
            warn(f"the {other_horizon} run did not converge, so the report shows the {horizon} run "
                 f"alone: {exc}")
    _write_outputs(payload, result, json_path, csv_dir, report, data_dir, other_horizon=other)


def _write_outputs(payload: dict[str, Any] | list[dict[str, Any]], result: ScenarioResult | None, json_path: Path | None,
                   csv_dir: Path | None, report: Path | None, data_dir: Path | None,
                   report_payload: Any = None, other_horizon: dict[str, Any] | None = None) -> None:
    if report is not None:
        from ..report import write_report

        report.parent.mkdir(parents=True, exist_ok=True)
        write_report(report_payload if report_payload is not None else payload, report, data_dir=data_dir,
                     other_horizon=other_horizon)
        console.print(line("report written to ", str(report)))
    if json_path is not None:
        write_json(json_path, payload)
        console.print(line("JSON written to ", str(json_path)))
    if csv_dir is not None and result is not None and isinstance(payload, dict):
        written = write_csv_tables(csv_dir, result.tables())  # the same tables as the web's CSVs
        console.print(f"CSV written: {', '.join(str(p) for p in written)}")


def compare(
    scenarios_: Annotated[list[str], typer.Argument(metavar="SCENARIO...", help="Two or more built-in names or TOML files.")],
    dataset: DatasetOption = "icio",
    year: YearOption = None,
    elasticity: ElasticityOption = "IS",
    regions: RegionsOption = None,
    deficits: DeficitsOption = "fixed",
    json_path: Annotated[Path | None, typer.Option("--json", help="Write every run's JSON as a list.")] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write one HTML report comparing the runs.")] = None,
    horizon: Annotated[str, typer.Option(
        "--horizon", help="short (about one year: theta x 0.38), long (as published) or both "
        "(every scenario at both horizons, side by side).")] = "long",
    labour_supply: LabourSupplyOption = 0.0,
    data_dir: DataDirOption = None,
) -> None:
    """Run several scenarios on the same baseline and show them side by side."""
    import pandas as pd

    from ..options import COMPARE_HORIZONS

    check_choice("horizon", horizon, COMPARE_HORIZONS)
    labour_supply = check_labour_supply_option(labour_supply)
    check_outputs(files={"--json": json_path, "--report": report})
    horizons = ("long", "short") if horizon == "both" else (horizon,)
    runs = [(s, h) for s in scenarios_ for h in horizons]
    results = [_solve(s, dataset, year, elasticity, regions, deficits, data_dir, h, labour_supply=labour_supply)
               for s, h in runs]
    names = [r.scenario.name + (f" ({h} run)" if len(horizons) > 1 else "")
             for r, (_, h) in zip(results, runs, strict=True)]
    frames = {name: r.countries_frame() for name, r in zip(names, results, strict=True)}
    welfare = pd.DataFrame({name: f.welfare_pct for name, f in frames.items()})
    main = list(dict.fromkeys(c for r in results for c in r.main_countries))
    order = welfare.loc[main].mean(axis=1).sort_values().index if main else welfare.index
    table = Table(title="welfare (exact change in real income, %) by scenario")
    table.add_column("country")
    for name in frames:
        table.add_column(name, justify="right")
    for country in order:
        table.add_row(str(country), *(fmt_pct(welfare.loc[country, n]) for n in frames))
    console.print(table)
    if labour_supply > 0:  # elastic labour supply: the employment effects side by side too
        jobs = Table(title=f"employment (%, employment = real wage^{labour_supply:g}) by scenario")
        jobs.add_column("country")
        for name in frames:
            jobs.add_column(name, justify="right")
        for country in order:
            jobs.add_row(str(country), *(fmt_pct(frames[n].loc[country, "employment_pct"]) for n in frames))
        console.print(jobs)
    pairs = Table(title="US-China goods trade (% change, every sector but services) by scenario")
    pairs.add_column("flow")
    for name in frames:
        pairs.add_column(name, justify="right")
    bilateral = {name: r.tables()["bilateral"].set_index(["exporter", "importer"])
                 for name, r in zip(names, results, strict=True)}
    for pair in (("CHN", "USA"), ("USA", "CHN")):
        if any(pair in b.index for b in bilateral.values()):
            pairs.add_row(" → ".join(pair), *(fmt_pct(b.loc[pair, "goods_change_pct"], 1) if pair in b.index
                                             else "—" for b in bilateral.values()))
    if pairs.row_count:
        console.print(pairs)
    payloads = [r.to_json() | {"scenario": name, "horizon": h}
                for r, name, (_, h) in zip(results, names, runs, strict=True)]
    _write_outputs(payloads, None, json_path, None, report, data_dir, report_payload=payloads)
