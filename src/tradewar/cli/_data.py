"""`tradewar data build|info`: build the cache of calibrated baselines and inspect one."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ._common import DataDirOption, console, print_json, styled
from ._options import (
    DatasetOption,
    ElasticityOption,
    RegionsOption,
    YearOption,
    baseline_from_options,
)

data_app = typer.Typer(help="Build the data cache from the source files and inspect baselines.",
                       no_args_is_help=True)


@data_app.command("build")
def build(data_dir: DataDirOption = None) -> None:
    """Calibrate every year of every dataset from the sources and cache it."""
    from ..data import build_all, cache_dir

    with Progress(TextColumn("[bold]building baselines[/]"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}"), TimeRemainingColumn(), console=console) as bar:
        task = bar.add_task("", total=None)

        def report(done: int, total: int, dataset: str, year: int, seconds: float) -> None:
            bar.update(task, completed=done, total=total, description=f"{dataset} {year} ({seconds:.1f} s)")

        built = build_all(data_dir, progress=report)
    console.print(f"built {len(built)} baselines in {sum(s for *_, s in built):.1f} s into {cache_dir()}")


@data_app.command("info")
def info(
    dataset: DatasetOption = "icio",
    year: YearOption = None,
    elasticity: ElasticityOption = "IS",
    regions: RegionsOption = None,
    adjustments: Annotated[bool, typer.Option("--adjustments", help="List every adjustment.")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Coverage, years, sources and reconciliation adjustments of a baseline."""
    baseline = baseline_from_options(dataset, year, elasticity, regions, data_dir)
    summary = baseline.summary()
    if json_output:
        payload = dict(summary)
        payload["adjustment_list"] = baseline.adjustments_table().to_dict(orient="records")
        print_json(payload)
        return
    console.print(styled(summary["description"], "bold"))
    table = Table(show_header=False, box=None)
    table.add_row("economies", f"{summary['n_countries']}: {' '.join(summary['countries'])}")
    table.add_row("sectors", f"{summary['n_sectors']}: {' '.join(summary['sectors'])}")
    table.add_row("years", ", ".join(f"{k} {v}" for k, v in summary["years"].items()))
    table.add_row("world output", f"{summary['world_output_musd'] / 1e6:,.1f} trillion USD")
    table.add_row("world trade", f"{summary['total_trade_musd'] / 1e6:,.1f} trillion USD")
    for path, digest in summary["sources"].items():
        table.add_row("source", f"{path} (sha256 {digest[:12]}…)")
    console.print(table)
    adj = Table(title="reconciliation adjustments (baseline.adjustments)")
    for col in ("step", "count", "total, million USD", "largest"):
        adj.add_column(col, justify="right" if col != "step" else "left")
    for step, row in summary["adjustments"].items():
        adj.add_row(step, str(row["count"]), f"{row['amount_musd']:,.0f}",
                    f"{row['largest']} ({row['largest_musd']:,.0f})" if row["largest"] else "")
    console.print(adj)
    if adjustments:
        console.print(baseline.adjustments_table().to_string(index=False))
