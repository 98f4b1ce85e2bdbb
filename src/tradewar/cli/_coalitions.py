"""`tradewar coalitions` and `tradewar sweep`: coalitions against a target, and uncertainty
bands over trade-elasticity draws (thin shell over tradewar.analysis)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.table import Table

from ..errors import UserInputError, check_choice
from ._bounds import check_draws
from ._common import (
    DataDirOption,
    ForceOption,
    console,
    err_console,
    fmt_pct,
    line,
    print_json,
    warn,
)
from ._options import (
    DatasetOption,
    ElasticityOption,
    HorizonOption,
    YearOption,
    baseline_from_options,
    check_baseline_options,
)
from ._outputs import check_outputs

if TYPE_CHECKING:
    from ..analysis import CoalitionResult, SweepResult
    from ..options import DeficitClosure

RegionsG14 = Annotated[str, typer.Option(
    "--regions", help="Regions: 'g14' (default), 'blocs', a TOML file, or 'none' for every economy.")]
SchedulerOption = Annotated[str | None, typer.Option(
    "--scheduler", help="Dask scheduler tcp://HOST:PORT (default $DASK_SCHEDULER_ADDRESS; "
    "otherwise local processes).", show_default=False)]
WorkersOption = Annotated[int | None, typer.Option(
    "--workers", help="Local worker processes (default: the CPUs).", show_default=False)]
CheckpointOption = Annotated[str | None, typer.Option(
    "--checkpoint", help="Directory for finished chunks, so an interrupted run resumes "
    "(default: the user cache dir, keyed by a hash of the inputs; 'none' keeps nothing).",
    show_default=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (stable keys) instead of tables.")]
ChartOption = Annotated[Path | None, typer.Option("--chart", help="Write offline HTML charts.",
                                                  show_default=False)]
BackendOption = Annotated[str, typer.Option("--backend", help="Engine backend of the chunk solves: numpy or jax.")]


def _checkpoint_dir(value: str | None) -> Path | None:
    """The checkpoint folder; refused (before any work) if it is a file, a link, a device or
    cannot be written."""
    from ..safe_files import check_output_dir

    if value is not None and value.strip().lower() == "none":
        return None
    if value:
        return check_output_dir(Path(value).expanduser(), "--checkpoint")
    from ..data import cache_dir

    return cache_dir() / "runs"


def _regions(value: str) -> str | None:
    return None if value.strip().lower() in ("none", "") else value


def _coalition_options(leader: str, target: str, allies: str, tariff: float, sectors: str,
                       retaliation: str, us_tariffs_on_allies: str | None,
                       preset: str | None) -> dict[str, Any]:
    from ..analysis import COALITION_PRESETS

    if preset is not None:
        check_choice("preset", preset, tuple(COALITION_PRESETS))
        wanted = COALITION_PRESETS[preset] or "none"
        if us_tariffs_on_allies is not None and us_tariffs_on_allies != wanted:
            raise UserInputError(f"--preset {preset} sets --us-tariffs-on-allies {wanted}, but "
                                 f"{us_tariffs_on_allies!r} was given; allowed: one or the other")
        us_tariffs_on_allies = wanted
    names = [a.strip() for a in allies.split(",") if a.strip()]
    if not names:
        raise UserInputError("--allies: empty; allowed: a comma list of codes, e.g. JPN,KOR,EU27")
    return {"leader": leader, "target": target, "allies": names, "tariff": tariff,
            "sectors": sectors, "retaliation": retaliation,
            "us_tariffs_on_allies": us_tariffs_on_allies}


def _bn(value: float) -> str:
    return "—" if not math.isfinite(value) else f"{value / 1e3:,.1f}"


def _leverage_text(value: float, gains: bool) -> str:
    if gains:
        return "∞ (coalition gains)" if value == math.inf else "— (both gain)"
    return "—" if not math.isfinite(value) else f"{value:.2f}"


def _print_coalitions(result: CoalitionResult) -> None:
    import numpy as np

    g = result.game
    target = g.countries[g.target]
    table = result.table()
    shown = table[(table["size"] <= 1) | (table["size"] == g.n)]
    best = table[~table.index.isin(shown.index) & np.isfinite(table.leverage)].nlargest(5, "leverage")
    title = (f"coalitions against {target}: +{100 * g.tariff:g} points, retaliation "
             f"{g.retaliation}, leader's tariffs on allies: {g.us_tariffs_on_allies}, "
             f"reliability {result.reliability:g}")
    out = Table(title=title, caption=f"{len(table)} coalitions (--json lists all); changes vs the "
                "status quo; money in billions of USD; leverage = target loss / coalition loss")
    for col in ("coalition", f"{target} welfare %", f"{target} loss", "coalition loss", "leverage"):
        out.add_column(col, justify="right")
    for _, row in list(shown.iterrows()) + list(best.iterrows()):
        members = " + ".join(row.members)
        out.add_row(members if len(members) < 60 else f"{row.members[0]} + {row['size']} allies",
                    fmt_pct(row.target_welfare_pct), _bn(row.target_loss_musd),
                    _bn(row.coalition_loss_musd), _leverage_text(row.leverage, row.coalition_gains))
    console.print(out)
    if result.failed:
        console.print(line((f"{len(result.failed)} coalitions failed", "red"),
                           ": Shapley values and stability need every coalition"))
        return
    shapley = result.shapley()
    mr = result.min_reliability()
    grand = table.iloc[-1].members_welfare_pct
    ally_table = Table(title="allies: Shapley value (contribution to the target's loss) and the "
                       "least reliability at which each stays in the grand coalition")
    for col in ("ally", "Shapley, bn USD", "Shapley, pp", "welfare in grand coalition %",
                "least reliability"):
        ally_table.add_column(col, justify="right")
    for ally, row in shapley.iterrows():
        ally_table.add_row(str(ally), _bn(row.shapley_musd), f"{row.shapley_pct:.3f}",
                           fmt_pct(grand[ally]), "never" if math.isnan(mr[ally]) else f"{mr[ally]:.2f}")
    console.print(ally_table)
    console.print(f"stable at reliability {result.reliability:g}: "
                  + "; ".join(" + ".join(g.members(m)) for m in result.stable()))
    previous = None
    for p, masks in result.stable_by_reliability().items():
        text = "; ".join(" + ".join(g.members(m)) for m in masks) or "none"
        if text != previous:
            console.print(f"  from p = {p:.2f}: {text}")
            previous = text


def coalitions(
    leader: Annotated[str, typer.Option("--leader", help="The economy that leads (always in).")] = "USA",
    target: Annotated[str, typer.Option("--target", help="The economy the coalition tariffs.")] = "CHN",
    allies: Annotated[str | None, typer.Option("--allies", help="Comma list of allies (codes or blocs); default: the ten of docs/coalitions.md (JPN, KOR, IND, VNM, EU27, GBR, CAN, MEX, AUS, TWN).", show_default=False)] = None,
    tariff: Annotated[float, typer.Option("--tariff", help="Points each member adds on the target (0.5 = +50).")] = 0.5,
    sectors: Annotated[str, typer.Option("--sectors", help="'goods', 'all' or a comma list of sector codes.")] = "goods",
    retaliation: Annotated[str, typer.Option("--retaliation", help="The target's answer: none, mirror, or optimal (its best response; slow: 0.5-10 s per coalition).")] = "mirror",
    us_tariffs_on_allies: Annotated[str | None, typer.Option("--us-tariffs-on-allies", help="The leader's tariffs on the allies: none, a scenario (built-in name or TOML) whose tariffs on them are taken, or a layer (us-2025:2025-08-07).", show_default=False)] = None,
    preset: Annotated[str | None, typer.Option("--preset", help="allied-front (no tariffs on allies) or america-first (the US 2025 tariffs on them).", show_default=False)] = None,
    reliability: Annotated[float, typer.Option("--reliability", help="Probability p that the promised relief for members is kept (0..1).")] = 1.0,
    dataset: DatasetOption = "icio",
    year: YearOption = None,
    elasticity: ElasticityOption = "IS",
    regions: RegionsG14 = "g14",
    json_output: JsonOption = False,
    chart: ChartOption = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    checkpoint: CheckpointOption = None,
    force: ForceOption = False,
    backend: BackendOption = "numpy",
    horizon: HorizonOption = "long",
    data_dir: DataDirOption = None,
) -> None:
    """Every coalition of the allies against a target: leverage, Shapley values, stability."""
    from ..analysis import DEFAULT_ALLIES, coalition_analysis

    check_outputs(files={"--chart": chart})
    check_baseline_options(dataset, elasticity)
    options = _coalition_options(leader, target, allies or ",".join(DEFAULT_ALLIES), tariff, sectors,
                                 retaliation, us_tariffs_on_allies, preset)
    if not 0.0 <= reliability <= 1.0:
        raise UserInputError(f"--reliability {reliability}; allowed: a probability in [0, 1]")
    checkpoint_dir = _checkpoint_dir(checkpoint)
    baseline = baseline_from_options(dataset, year, elasticity, _regions(regions), data_dir, horizon)
    if retaliation == "optimal" and len(options["allies"]) > 4:
        warn(f"optimal retaliation solves the target's best response in each "
             f"of the {2 ** len(options['allies']):,} coalitions (0.5-10 s each on g14): "
             "this can take an hour; fewer allies keep it short")
    # Ctrl-C raises RunInterrupted; the CLI's entry point prints how to resume and exits 130
    result = coalition_analysis(baseline, reliability=reliability, force=force,
                                scheduler=scheduler, workers=workers,
                                checkpoint_dir=checkpoint_dir, progress=True,
                                backend=backend, data_dir=data_dir, **options)
    if json_output:
        print_json(result.to_json())
    else:
        _print_coalitions(result)
    if chart is not None:
        from ..report import coalition_figures, write_figures

        write_figures(chart, f"Coalitions against {target}", coalition_figures(result),
                      notes=list(result.game.notes) + [result.to_json()["notes"][-1]])
        (err_console if json_output else console).print(f"chart written to {chart}")


def _print_sweep(result: SweepResult) -> None:
    import numpy as np

    summary = result.summary()
    counts = result.to_json()["counts"]
    table = Table(title=f"{result.what}: {counts['published']} published elasticity sets + "
                  f"{counts['random']} random draws ({counts['failed']} failed)",
                  caption=f"median and 5-95 % band over the converged draws; central = the "
                  f"{result.central_set} set")
    for col in ("", "central", "median", "5 %", "95 %", "n"):
        table.add_column(col, justify="right")
    for name, row in summary.iterrows():
        if name == "coalition_gains":
            continue
        money = str(name).endswith("_musd")
        fmt = (lambda v: _bn(v)) if money else (lambda v: "—" if not np.isfinite(v) else f"{v:+.3f}")
        label = str(name) + (" (bn USD)" if money else "")
        table.add_row(label, fmt(row.central), fmt(row["median"]), fmt(row.p05), fmt(row.p95),
                      str(int(row.n)))
    console.print(table)
    failed = result.failed_draws()
    if len(failed):
        console.print(line((f"{len(failed)} failed draws", "red"), " (kept as rows; first: draw "
                           f"{int(failed.iloc[0].draw)}: {failed.iloc[0].error})"))


def sweep(
    what: Annotated[str, typer.Argument(help="A scenario (built-in name or TOML file), or 'coalitions' (grand-coalition leverage).")],
    elasticities: Annotated[str, typer.Option("--elasticities", help="'all' or a comma list of published sets to include and draw around.")] = "all",
    draws: Annotated[int, typer.Option("--draws", help="Random draws around the published sets.")] = 100,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the draws (each draw gets its own spawned seed).")] = 0,
    sigma: Annotated[float | None, typer.Option("--sigma", help="Std. dev. of the log of each sector's θ factor (default: tradewar.analysis.SIGMA, 0.25).", show_default=False)] = None,
    dataset: DatasetOption = "icio",
    year: YearOption = None,
    elasticity: ElasticityOption = "IS",
    regions: RegionsG14 = "g14",
    deficits: Annotated[str, typer.Option("--deficits", help="Deficit closure: fixed, zero or proportional.")] = "fixed",
    json_output: JsonOption = False,
    chart: ChartOption = None,
    report: Annotated[Path | None, typer.Option(
        "--report", help="Scenario sweeps: the scenario's HTML report (one more solve, at the baseline's "
        "own elasticities) with the 5-95 % band in its summary.", show_default=False)] = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    checkpoint: CheckpointOption = None,
    backend: BackendOption = "numpy",
    leader: Annotated[str | None, typer.Option("--leader", help="coalitions: the leader (USA).", show_default=False)] = None,
    target: Annotated[str | None, typer.Option("--target", help="coalitions: the target (CHN).", show_default=False)] = None,
    allies: Annotated[str | None, typer.Option("--allies", help="coalitions: comma list of allies (the ten).", show_default=False)] = None,
    tariff: Annotated[float | None, typer.Option("--tariff", help="coalitions: points added (0.5).", show_default=False)] = None,
    sectors: Annotated[str | None, typer.Option("--sectors", help="coalitions: goods, all or codes.", show_default=False)] = None,
    retaliation: Annotated[str | None, typer.Option("--retaliation", help="coalitions: none, mirror (default), optimal.", show_default=False)] = None,
    us_tariffs_on_allies: Annotated[str | None, typer.Option("--us-tariffs-on-allies", help="coalitions: none, a scenario or a layer.", show_default=False)] = None,
    preset: Annotated[str | None, typer.Option("--preset", help="coalitions: allied-front or america-first.", show_default=False)] = None,
    reliability: Annotated[float | None, typer.Option("--reliability", help="coalitions: probability relief is kept (1).", show_default=False)] = None,
    force: ForceOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Re-run a scenario (or the coalition analysis) over the 8 published elasticity sets and
    random draws around them: medians and 5-95 % bands."""
    from ..analysis import DEFAULT_ALLIES, SIGMA
    from ..analysis import sweep as run_sweep

    check_outputs(files={"--chart": chart, "--report": report})
    if report is not None and what == "coalitions":
        raise UserInputError("--report: for a scenario sweep only (the coalitions sweep has --chart)")
    check_baseline_options(dataset, elasticity)
    sigma = SIGMA if sigma is None else sigma
    if not (math.isfinite(sigma) and sigma >= 0):
        raise UserInputError(f"--sigma {sigma}; allowed: a non-negative number (0.25 = 25 %)")
    if draws < 0:
        raise UserInputError(f"--draws {draws}; allowed: a non-negative integer")
    given = {"leader": leader, "target": target, "allies": allies, "tariff": tariff,
             "sectors": sectors, "retaliation": retaliation,
             "us_tariffs_on_allies": us_tariffs_on_allies, "preset": preset,
             "reliability": reliability}
    options: dict[str, Any] = {}
    if what == "coalitions":
        options = _coalition_options(leader or "USA", target or "CHN", allies or ",".join(DEFAULT_ALLIES),
                                     0.5 if tariff is None else tariff, sectors or "goods",
                                     retaliation or "mirror", us_tariffs_on_allies, preset)
        options["reliability"] = 1.0 if reliability is None else reliability
    else:
        extra = [f"--{k.replace('_', '-')}" for k, v in given.items() if v is not None]
        if extra:
            raise UserInputError(f"{', '.join(extra)} apply to 'tradewar sweep coalitions' only")
    checkpoint_dir = _checkpoint_dir(checkpoint)
    baseline = baseline_from_options(dataset, year, elasticity, _regions(regions), data_dir)
    economy = baseline.economy
    per_draw = 2.0 ** len(options["allies"]) if what == "coalitions" else 1.0
    check_draws(draws, economy.n_countries, economy.n_sectors, per_draw, force=force)
    result = run_sweep(baseline, what, elasticities=elasticities, draws=draws, seed=seed,
                       sigma=sigma, scheduler=scheduler, workers=workers,
                       checkpoint_dir=checkpoint_dir, progress=True,
                       deficits=cast("DeficitClosure", deficits), backend=backend, data_dir=data_dir, **options)
    if json_output:
        print_json(result.to_json())
    else:
        _print_sweep(result)
    if chart is not None:
        from ..report import sweep_figures, write_figures

        write_figures(chart, f"Uncertainty: {result.what}", sweep_figures(result), notes=list(result.notes))
        (err_console if json_output else console).print(f"chart written to {chart}")
    if report is not None:  # the central run (the baseline's own set), its summary with the band
        from ..report import write_report
        from ..scenario import run_scenario

        central = run_scenario(baseline, what, deficits=cast("DeficitClosure", deficits), data_dir=data_dir)
        write_report(central.to_json(), report, data_dir=data_dir, uncertainty=result.to_json())
        (err_console if json_output else console).print(f"report written to {report}")
