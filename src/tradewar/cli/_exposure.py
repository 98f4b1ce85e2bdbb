"""`tradewar exposure`: how much each economy depends on each partner."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import UnknownCountryError, UserInputError
from ..options import YEARS
from ._common import DataDirOption, console, note, print_json, styled
from ._options import (
    DatasetOption,
    ElasticityOption,
    YearOption,
    baseline_from_options,
    check_baseline_options,
)
from ._outputs import check_outputs


def _parse_years(text: str) -> list[int]:
    try:
        if "-" in text:
            first, last = (int(v) for v in text.split("-", 1))
            return list(range(first, last + 1))
        return [int(v) for v in text.split(",")]
    except ValueError:
        raise UserInputError(f"--years: {text!r} is not a year range; allowed: e.g. 2000-2022 or 2014,2022") from None


def _ranges(years: list[int]) -> str:
    """``[1990, 1991, 1992, 2025]`` -> ``"1990-1992, 2025"``."""
    out: list[str] = []
    for y in sorted(years):
        if out and out[-1].split("-")[-1] == str(y - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{y}"
        else:
            out.append(str(y))
    return ", ".join(out)


def exposure(
    country: Annotated[str | None, typer.Argument(help="Exporter (ISO3); default: every economy.")] = None,
    partner: Annotated[str | None, typer.Option("--partner", help="Partner (ISO3).")] = None,
    years: Annotated[str | None, typer.Option("--years", help="A time series across the WIOD (2000-2014) and ICIO (2011-2022) datasets, e.g. 2000-2022.")] = None,
    dataset: DatasetOption = "icio",
    year: YearOption = None,
    elasticity: ElasticityOption = "IS",
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON rows (stable keys).")] = False,
    chart: Annotated[Path | None, typer.Option("--chart", help="Write an offline HTML chart of the series.")] = None,
    map_of_all: Annotated[bool, typer.Option("--map", help="Every economy's exposure to --partner and the partner's to each, in one baseline (--dataset/--year): the rows of the web page's map.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Exports to a partner and value added absorbed by its final demand, as % of GDP."""
    import pandas as pd

    from ..analysis import exposure_table

    check_outputs(files={"--chart": chart})
    check_baseline_options(dataset, elasticity)
    if map_of_all:
        _exposure_map(country, partner, years, chart, dataset, year, elasticity, json_output, data_dir)
        return
    if country is not None and partner is not None and country == partner:
        raise UserInputError(f"--partner {partner}: the same economy as the exporter; exposure of "
                             "an economy to itself is not defined; allowed: a different partner")
    if years is not None:
        if country is None or partner is None:
            raise UserInputError("--years needs an exporter and --partner (e.g. tradewar exposure CHN --partner USA --years 2000-2022)")
        wanted = _parse_years(years)
        if not wanted:
            raise UserInputError(f"--years {years}: an empty range; allowed: e.g. 2000-2022 (first <= last)")
        available = sorted(set(YEARS["wiod"]) | set(YEARS["icio"]))
        dropped = [y for y in wanted if y not in available]
        if dropped and len(dropped) < len(wanted):
            note(f"--years {years}: no data for {_ranges(dropped)}; showing "
                 f"{_ranges([y for y in wanted if y in available])} (wiod {YEARS['wiod'][0]}-"
                 f"{YEARS['wiod'][-1]}, icio {YEARS['icio'][0]}-{YEARS['icio'][-1]})")
        datasets = tuple(d for d in ("wiod", "icio") if any(y in YEARS[d] for y in wanted))
        if not datasets:
            raise UserInputError(f"--years {years}: no data; allowed years: wiod {YEARS['wiod'][0]}-{YEARS['wiod'][-1]}, icio {YEARS['icio'][0]}-{YEARS['icio'][-1]}")
        rows = []
        jobs = [(d, y) for d in datasets for y in wanted if y in YEARS[d]]
        with console.status(styled(f"computing exposure for {len(jobs)} dataset-years…")):
            for d, y in jobs:
                table = exposure_table(baseline_from_options(d, y, elasticity, None, data_dir))
                pair = ((table.exporter == country) & (table.partner == partner)) | (
                    (table.exporter == partner) & (table.partner == country))
                for code in (country, partner):
                    if code not in set(table.exporter):
                        raise UnknownCountryError(code, set(table.exporter), where=f"{d} {y}")
                rows.append(table[pair])
        frame = pd.concat(rows, ignore_index=True)
    else:
        baseline = baseline_from_options(dataset, year, elasticity, None, data_dir)
        frame = exposure_table(baseline)
        if country is not None:
            baseline.economy.index_of(country)
            frame = frame[frame.exporter == country]
        if partner is not None:
            baseline.economy.index_of(partner)
            frame = frame[frame.partner == partner]
            if country is not None:
                reverse = exposure_table(baseline)
                frame = pd.concat([frame, reverse[(reverse.exporter == partner) & (reverse.partner == country)]])
    columns = ["exporter", "partner", "year", "dataset", "gross_exports_pct_gdp",
               "value_added_absorbed_pct_gdp", "partner_share_of_exports_pct"]
    frame = frame[columns].sort_values(["exporter", "dataset", "year", "value_added_absorbed_pct_gdp"],
                                       ascending=[True, False, True, False])
    if json_output:
        print_json(frame.to_dict(orient="records"))
    else:
        table = Table(title="exposure (% of the exporter's GDP = its value added in the baseline)",
                      caption="value added absorbed: the exporter's domestic value added that ends in the partner's final demand")
        for col in ("exporter → partner", "dataset", "year", "gross exports % GDP", "value added absorbed % GDP",
                    "partner share of exports %"):
            table.add_column(col, justify="right")
        shown = frame if len(frame) <= 60 else frame.sort_values("value_added_absorbed_pct_gdp", ascending=False).head(60)
        for _, row in shown.iterrows():
            table.add_row(f"{row.exporter} → {row.partner}", row.dataset, str(row.year),
                          f"{row.gross_exports_pct_gdp:.2f}", f"{row.value_added_absorbed_pct_gdp:.2f}",
                          f"{row.partner_share_of_exports_pct:.1f}")
        console.print(table)
        if len(frame) > 60:
            console.print(styled(f"showing the 60 largest of {len(frame)} pairs; --json gives all", "dim"))
    if chart is not None:
        from ..report import EXPOSURE_NOTES, exposure_figures, write_figures

        write_figures(chart, "Exposure to a partner, % of GDP", exposure_figures(frame),
                      notes=list(EXPOSURE_NOTES))
        console.print(f"chart written to {chart}")


def _exposure_map(country: str | None, partner: str | None, years: str | None, chart: Path | None,
                  dataset: str, year: int | None, elasticity: str, json_output: bool,
                  data_dir: Path | None) -> None:
    """``--map``: :func:`tradewar.analysis.exposure_map` of one baseline, as a table or JSON."""
    from ..analysis import exposure_map

    for flag, given in (("an exporter argument", country is not None), ("--years", years is not None),
                        ("--chart", chart is not None)):
        if given:
            raise UserInputError(f"--map: takes every economy (one baseline: --dataset/--year); {flag} "
                                 "does not combine with it; allowed: tradewar exposure --partner USA --year 2022 --map")
    if partner is None:
        raise UserInputError("--map needs --partner (e.g. tradewar exposure --partner USA --year 2022 --map)")
    baseline = baseline_from_options(dataset, year, elasticity, None, data_dir)
    result = exposure_map(baseline, partner)
    if json_output:
        print_json(result.to_json())
        return
    frame = result.tables()["exposure"]
    table = Table(title=f"exposure to and of {partner}, {baseline.dataset} {baseline.year} "
                        "(% of the exporter's GDP = its value added in the baseline)",
                  caption="value added absorbed: the exporter's domestic value added that ends in the partner's final demand")
    for col in ("economy", f"gross exports to {partner} % GDP", f"value added absorbed by {partner} % GDP",
                f"{partner}'s gross exports to it % {partner} GDP", f"{partner}'s value added absorbed by it % {partner} GDP"):
        table.add_column(col, justify="right")
    to_partner = frame[frame.partner == partner].set_index("exporter")
    from_partner = frame[frame.exporter == partner].set_index("partner")
    for code in to_partner.sort_values("value_added_absorbed_pct_gdp", ascending=False).index:
        out, back = to_partner.loc[code], from_partner.loc[code]
        table.add_row(code, f"{out.gross_exports_pct_gdp:.2f}", f"{out.value_added_absorbed_pct_gdp:.2f}",
                      f"{back.gross_exports_pct_gdp:.2f}", f"{back.value_added_absorbed_pct_gdp:.2f}")
    console.print(table)
