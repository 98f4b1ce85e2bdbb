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


def validate(
    experiment: Annotated[Experiment, typer.Argument(help="Which published experiment to reproduce.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    data_dir: DataDirOption = None,
    numerical_optimum: Annotated[bool, typer.Option(
        "--numerical-optimum", help="ilms2025: also search the welfare-maximising US tariff in the exact model (~20 s).")] = False,
) -> None:
    """Reproduce a published result with tradewar's engine, ours beside theirs.

    cp2015-nafta: Caliendo & Parro (2015). ilms2025: Ignatenko, Lashkaripour, Macedoni &
    Simonovska (2025), every one-sector figure of their Tables 1, 2, 3, 8, 9 and 11.
    """
    from ..data import default_data_dir

    folder = data_dir or default_data_dir()
    if experiment is Experiment.ilms2025:
        _ilms2025(folder, json_output, numerical_optimum)
        return
    _cp2015(folder, json_output)


def _ilms2025(folder: Path, json_output: bool, numerical_optimum: bool) -> None:
    from ..analysis.ilms import reproduce_ilms2025

    rep = reproduce_ilms2025(folder, numerical_optimum=numerical_optimum)
    figures = rep.figures
    if json_output:
        print_json({
            "experiment": "ilms2025", "citation": rep.citation,
            "figures": [{k: (bool(v) if k == "match" else v) for k, v in row.items()}
                        for row in figures.drop(columns=["decimals"]).to_dict("records")],
            "optimal_tariff_pct": rep.optimal_tariff, "all_match": rep.all_match,
            "solver": rep.diagnostics(),
        })
        return
    table = Table(title="Ignatenko, Lashkaripour, Macedoni & Simonovska (2025) on their data — ours | published (percent)")
    for col in ("table", "case", "group", "measure", "ours", "published", "gap", "match"):
        table.add_column(col, justify="right" if col in ("ours", "published", "gap") else "left")
    for row in figures.to_dict("records"):
        digits = max(int(row["decimals"]), 1) + 1
        table.add_row(row["table"], row["case"], row["group"], row["measure"], f"{row['ours']:+.{digits}f}",
                      f"{row['published']:+.{int(row['decimals'])}f}", f"{row['gap']:+.{digits}f}",
                      styled("yes", "green") if row["match"] else styled("NO", "bold red"))
    console.print(table)
    for method, value in rep.optimal_tariff.items():
        console.print(f"optimal US tariff — {method}: {value:.2f}")
    n_match = int(figures["match"].sum())
    diag = rep.diagnostics()
    console.print(f"{n_match} of {len(figures)} published figures reproduced to their printed precision "
                  f"(gap <= half a unit of the last digit); largest residual {diag['max_residual']:.1e}, "
                  f"{diag['seconds']:.1f} s")
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
