"""`tradewar validate`: reproduce published results."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ._common import DataDirOption, console, print_json, styled


class Experiment(StrEnum):
    cp2015_nafta = "cp2015-nafta"
    ilms2025 = "ilms2025"
    trade_war_2018 = "trade-war-2018"


def validate(
    experiment: Annotated[Experiment, typer.Argument(help="Which published experiment to reproduce.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    data_dir: DataDirOption = None,
    numerical_optimum: Annotated[bool, typer.Option(
        "--numerical-optimum", help="ilms2025: also search the welfare-maximising US tariff in the exact model (~20 s).")] = False,
    base_year: Annotated[int, typer.Option(
        "--base-year", help="trade-war-2018: the pre-war ICIO baseline year (2013-2018).")] = 2017,
    elasticity: Annotated[str, typer.Option("--elasticity", help="trade-war-2018: trade elasticities of the baseline.")] = "IS",
    report: Annotated[Path | None, typer.Option(
        "--report", help="trade-war-2018: write the scatter charts and the fit table as a self-contained HTML page.",
        show_default=False)] = None,
    layer: Annotated[str, typer.Option(
        "--layer", help="trade-war-2018: the tariff layer applied: end-2019 (in force on 2019-12-31) or "
                        "2025-01-01 (the layer as it stood then; isolates what the choice changes).")] = "end-2019",
) -> None:
    """Reproduce a published result with tradewar's engine, ours beside theirs.

    cp2015-nafta: Caliendo & Parro (2015). ilms2025: Ignatenko, Lashkaripour, Macedoni &
    Simonovska (2025), every one-sector figure of their Tables 1, 2, 3, 8, 9, 10 and 11.
    trade-war-2018: the model's prediction of the 2018-19 US-China war (from ICIO 2017) beside the
    observed 2017->2019 and 2017->2021 changes in supplier shares (docs/validation.md).
    """
    from ..data import default_data_dir
    from ..errors import UserInputError, check_choice
    from ..options import ELASTICITY_SETS
    from ._outputs import check_outputs

    if experiment is not Experiment.trade_war_2018 and report is not None:
        raise UserInputError("--report: only for the experiment trade-war-2018")
    if experiment is not Experiment.trade_war_2018 and layer != "end-2019":
        raise UserInputError("--layer: only for the experiment trade-war-2018")
    from ..analysis.expost import EXPOST_LAYERS

    check_choice("--layer", layer, EXPOST_LAYERS)
    check_choice("elasticity set", elasticity, ELASTICITY_SETS)
    check_outputs(files={"--report": report})
    folder = data_dir or default_data_dir()
    if experiment is Experiment.ilms2025:
        _ilms2025(folder, json_output, numerical_optimum)
        return
    if experiment is Experiment.trade_war_2018:
        _trade_war_2018(folder, json_output, base_year, elasticity, report, layer)
        return
    _cp2015(folder, json_output)


def _trade_war_2018(folder: Path, json_output: bool, base_year: int, elasticity: str, report: Path | None,
                    layer: str = "end-2019") -> None:
    from ..analysis.expost import trade_war_2018

    result = trade_war_2018(folder, base_year=base_year, elasticity=elasticity, layer=layer)
    if report is not None:
        from ..report import write_figures
        from ..report.validation_charts import expost_figures

        write_figures(report, f"Ex post: the 2018-19 US-China war predicted from ICIO {base_year} (layer {layer})",
                      expost_figures(result), result.notes)
    if json_output:
        print_json(result.to_json())
        return
    stats = result.statistics
    table = Table(title=f"2018-19 trade war from ICIO {base_year}: predicted vs observed log change of supplier "
                        "shares, by goods sector")
    for col in ("flow", "horizon", "year", "n", "slope", "corr.", "RMSE model", "RMSE no change", "RMSE trend",
                "mean pred.", "mean obs."):
        table.add_column(col, justify="left" if col in ("flow", "horizon") else "right")
    for row in stats.to_dict("records"):
        table.add_row(row["flow"], row["horizon"], str(row["year"]), str(row["n"]), f"{row['slope']:+.2f}",
                      f"{row['correlation']:+.2f}", f"{row['rmse_model']:.3f}", f"{row['rmse_no_change']:.3f}",
                      f"{row['rmse_trend']:.3f}", f"{row['mean_predicted']:+.3f}", f"{row['mean_observed']:+.3f}")
    console.print(table)
    agg = Table(title="all goods together: log change of the supplier's share of the importer's goods imports")
    for col in ("flow", "horizon", "year", "share before", "predicted", "observed", "pre-war trend"):
        agg.add_column(col, justify="left" if col in ("flow", "horizon") else "right")
    for row in result.aggregate.to_dict("records"):
        agg.add_row(row["flow"], row["horizon"], str(row["year"]), f"{100 * row['share_base']:.1f} %",
                    f"{row['predicted']:+.3f}", f"{row['observed']:+.3f}", f"{row['trend']:+.3f}")
    console.print(agg)
    for row in result.tariffs.to_dict("records"):
        console.print(f"{row['importer']} on {row['exporter']}: goods average tariff {100 * row['before']:.1f} % -> "
                      f"{100 * row['after']:.1f} % (layer {layer}, base-year weights)")
    for note in result.notes[:3]:
        console.print(styled(note, "dim"))
    console.print(styled("Reading: docs/validation.md (section 2).", "dim"))


def _ilms2025(folder: Path, json_output: bool, numerical_optimum: bool) -> None:
    from ..analysis.ilms import reproduce_ilms2025

    rep = reproduce_ilms2025(folder, numerical_optimum=numerical_optimum)
    figures = rep.figures
    if json_output:
        print_json(rep.to_json())
        return
    table = Table(title="Ignatenko, Lashkaripour, Macedoni & Simonovska (2025) on their data — ours | published (percent)")
    for col in ("table", "case", "group", "measure", "ours", "published", "gap", "match"):
        table.add_column(col, justify="right" if col in ("ours", "published", "gap") else "left")
    for row in figures.to_dict("records"):
        digits = max(int(row["decimals"]), 1) + 1
        table.add_row(row["table"], row["case"], row["group"], row["measure"], f"{row['ours']:+.{digits}f}",
                      f"{row['published']:+.{int(row['decimals'])}f}", f"{row['gap']:+.{digits}f}",
                      styled("yes", "green") if row["match"] else
                      styled("cause", "yellow") if row["cause"] else styled("NO", "bold red"))
    console.print(table)
    for method, value in rep.optimal_tariff.items():
        console.print(f"optimal US tariff — {method}: {value:.2f}")
    n_match = int(figures["match"].sum())
    diag = rep.diagnostics()
    console.print(f"{n_match} of {len(figures)} published figures reproduced to their printed precision "
                  f"(gap <= half a unit of the last digit); largest residual {diag['max_residual']:.1e}, "
                  f"{diag['seconds']:.1f} s")
    traced = figures[figures["cause"] != ""]
    for cause, group in traced.groupby("cause", sort=False):
        listed = "; ".join(f"{r['case']} {r['group']} {r['measure']}: ours {r['ours']:+.3f}, published "
                           f"{r['published']:+.2f}" + (f" (ours for the case printed: {r['ours_as_printed']:+.3f})"
                                                       if r["ours_as_printed"] == r["ours_as_printed"] else "")
                           for r in group.to_dict("records"))
        console.print(f"{len(group)} differ for a named cause — {cause}: {listed}")
    console.print(styled("Published figures: the tables of the paper as printed by the authors' replication package "
                         "(output/Table_*.tex). docs/validation.md explains the two optimal-tariff formulas.", "dim"))


def _cp2015(folder: Path, json_output: bool) -> None:
    from ..analysis import NAFTA, cp2015_nafta, max_gap_to_published

    rep = cp2015_nafta(folder)
    if json_output:
        print_json(rep.rows)
        return
    table = Table(title="Caliendo & Parro (2015) NAFTA tariff reductions — percent changes, zero aggregate deficits")
    for col in ("country", "welfare (CP decomposition)", "published", "real income (exact)",
                "real wage", "published"):
        table.add_column(col, justify="right")
    for code in NAFTA:
        row = rep.rows[code]
        table.add_row(code, f"{row['welfare_decomposition_pct']:+.2f}", f"{rep.published_welfare[code]:+.2f}",
                      f"{row['welfare_real_income_pct']:+.2f}", f"{row['real_wage_pct']:+.2f}",
                      f"{rep.published_real_wage[code]:+.2f}")
    console.print(table)
    diag = rep.equilibrium.diagnostics
    console.print(f"largest gap to the published figures: {max_gap_to_published(rep):.4f} points; "
                  f"solver converged in {diag.iterations} iterations (max residual {diag.max_residual:.1e}, "
                  f"{diag.seconds * 1000:.0f} ms)")
    console.print(styled("CP's welfare is their first-order decomposition (terms of trade + volume of trade at "
                  "1993 flows); tradewar's headline is the exact change in real income. docs/model.md explains "
                  "the gap.", "dim"))
