"""`tradewar tariffs`: the tariffs in force on any date, any importer with a layer, by sector."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import DataDirOption, console, note, print_json, styled
from ._outputs import check_outputs


def tariffs(
    importer: Annotated[str, typer.Argument(help="Importer with a layer: USA, CHN or CAN.")] = "USA",
    exporter: Annotated[str, typer.Argument(
        help="Partner (ISO3, EU27) or WORLD (US only: the tracker's partners).")] = "CHN",
    when: Annotated[str, typer.Option("--date", help="Date YYYY-MM-DD from 2025-01-01, or 'latest'.")] = "latest",
    by_sector: Annotated[bool, typer.Option("--by-sector", help="One row per ICIO goods sector.")] = False,
    series: Annotated[bool, typer.Option(
        "--series", help="Every dated step from 2025-01-01 to --date instead of one date.")] = False,
    dating: Annotated[str, typer.Option(
        "--dating", help="effective (the orders' effective dates) or tracker (the tracker's row dates).")] = "effective",
    without: Annotated[list[str] | None, typer.Option(
        "--without", help="Switch off an exemption list to see what it does: "
        "us-electronics-2025 or china-waiver-2025 (repeatable).", show_default=False)] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON rows (stable keys).")] = False,
    chart: Annotated[Path | None, typer.Option(
        "--chart", help="Write an offline HTML chart: US on the world, US on China and China on "
        "the US at every dated step (February 2025 to the latest).")] = None,
    data_dir: DataDirOption = None,
) -> None:
    """The effective tariff of an importer on a partner in force on a date (statutory rates at
    their effective dates, with carve-outs, trade-weighted at pre-shock weights; docs/tariffs.md)."""
    from ..data import (
        in_force_series_dates,
        parse_in_force_date,
        tariffs_in_force_series,
        tariffs_in_force_table,
    )

    check_outputs(files={"--chart": chart})
    importer, exporter = importer.upper(), exporter.upper()
    parse_in_force_date(when)  # a bad date: its message before any work
    dates: tuple[object, ...] = (in_force_series_dates(importer, when, dating=dating) if series
                                 else (when,))
    table, notes, sources = tariffs_in_force_table((importer,), (exporter,), dates,  # type: ignore[arg-type]
                                                   by_sector=by_sector, dating=dating,
                                                   without=tuple(without or ()), data_dir=data_dir)
    if chart is not None:
        from ..report import write_figures
        from ..report.tariff_charts import tariff_series_figure

        fig = tariff_series_figure(tariffs_in_force_series(dating=dating, data_dir=data_dir),
                                   "Tariffs in force, February 2025 to the latest dated step")
        write_figures(chart, "Tariffs in force", [("tariffs in force over time", fig)],
                      notes=["Statutory rates at their effective dates, with carve-outs, trade-"
                             "weighted at pre-shock weights (docs/tariffs.md).", *sources])
    keys = ["date", "importer", "exporter", "sector", "rate_pct", "weights"]
    if json_output:
        print_json({"rows": table[keys + ["increase_pct", "start_pct", "weights_musd"]]
                    .to_dict(orient="records"), "notes": list(notes), "sources": list(sources)})
        return
    from rich.table import Table

    out = Table(title=f"tariffs of {importer} on {exporter} in force (%, trade-weighted)")
    from ..data import sector_labels

    names = sector_labels(tuple(str(c) for c in table["sector"] if c != "goods"))
    names["goods"] = "all goods (import-weighted)"
    out.add_column("date", justify="right", no_wrap=True, min_width=10)
    out.add_column("sector", justify="left", no_wrap=True, overflow="ellipsis", max_width=28)
    for col in ("rate %", "since 2025-01-01", "weight (USD mn)"):
        out.add_column(col, justify="right")
    for row in table.itertuples():
        label = str(row.sector) if not by_sector else f"{row.sector} {names.get(str(row.sector), '')}"
        out.add_row(str(row.date), label, f"{row.rate_pct:.1f}", f"{row.increase_pct:+.1f}",
                    f"{row.weights_musd:,.0f}")
    console.print(out)
    console.print(styled(f"weights: {table['weights'].iloc[0]}", "dim"))
    for text in notes:
        note(text)
    console.print(styled("sources: " + " | ".join(sources), "dim"))
    if chart is not None:
        console.print(f"chart written to {chart}")

