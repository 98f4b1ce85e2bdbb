"""`tradewar optimal`, `tradewar nash` and `tradewar talks`: tariffs chosen strategically."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.table import Table

from ..errors import UserInputError, check_choice
from ..options import OPTIMAL_BY
from ._bounds import check_players, check_tariff_variables
from ._common import DataDirOption, ForceOption, console, fmt_pct, line, print_json, styled

if TYPE_CHECKING:
    from ..model import Economy
    from ..options import DeficitClosure
from ._options import (
    DatasetOption,
    ElasticityOption,
    HorizonOption,
    YearOption,
    baseline_from_options,
)

StrategyRegions = Annotated[str | None, typer.Option(
    "--regions", help="Aggregate to regions: 'g14' (default), 'blocs', a TOML file, or 'none' for every economy.")]
Players = Annotated[str, typer.Option("--players", help="Comma-separated players (countries/regions) or 'all'.")]
Deficits = Annotated[str, typer.Option(
    "--deficits", help="Deficit closure: zero (default: deficits purged first, as Ossa 2014 and tariffwar do — with "
                       "deficits fixed in money, a collapse of world trade forces surplus countries to keep "
                       "financing them), fixed or proportional.")]
Config = Annotated[str, typer.Option(
    "--config", help="'full' (tradewar's model: input-output linkages) or 'tariffwar' (the configuration of "
                     "Lashkaripour's tariffwar: Armington, no IO, deficits purged, closed-form Nash; raw cube data).")]


def _economy(dataset: str, year: int | None, elasticity: str, regions: str | None, data_dir: Any,
             horizon: str = "long") -> Economy:
    regions = None if regions in (None, "none") else regions
    return baseline_from_options(dataset, year, elasticity, regions, data_dir, horizon).economy


def _players(economy: Economy, text: str, force: bool = False) -> list[str] | None:
    """The players (None: every economy), checked against :data:`MAX_PLAYERS` unless ``force``."""
    if text.strip().lower() == "all":
        check_players(economy.n_countries, economy.n_countries, economy.n_sectors, force=force)
        return None
    players = [p.strip() for p in text.split(",") if p.strip()]
    for p in players:
        economy.index_of(p)
    if len(set(players)) < 2:
        raise UserInputError(f"--players: need at least two different players, got {text!r}")
    if len(set(players)) < len(players):
        raise UserInputError(f"--players: {text!r} names a player twice; allowed: each once")
    check_players(len(players), economy.n_countries, economy.n_sectors, force=force)
    return players


def optimal(
    country: Annotated[str, typer.Argument(help="The country choosing its import tariffs (ISO3 or region).")],
    against: Annotated[list[str] | None, typer.Option("--against", help="Partners the tariffs apply to (repeat); default all.")] = None,
    by: Annotated[str, typer.Option("--by", help="uniform, partner, sector or partner_sector.")] = "uniform",
    dataset: DatasetOption = "icio",
    year: YearOption = None,
    elasticity: ElasticityOption = "IS",
    regions: StrategyRegions = "g14",
    deficits: Deficits = "zero",
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    force: ForceOption = False,
    horizon: HorizonOption = "long",
    data_dir: DataDirOption = None,
) -> None:
    """A country's welfare-maximising import tariffs, everyone else's tariffs given."""
    from ..analysis import optimal_tariffs

    check_choice("--by", by, OPTIMAL_BY)
    economy = _economy(dataset, year, elasticity, regions, data_dir, horizon)
    economy.index_of(country)
    for partner in against or []:
        economy.index_of(partner)
        if partner == country:
            raise UserInputError(f"--against {partner}: a country's tariffs on itself have no "
                                 "effect; allowed: its partners")
    if by == "partner_sector":
        partners = len(set(against)) if against else economy.n_countries - 1
        check_tariff_variables(partners * economy.n_sectors, economy.n_countries,
                               economy.n_sectors, force=force)
    with console.status(styled(f"optimising {country}'s tariffs (exact gradients)…")):
        result = optimal_tariffs(economy, country, against=against or None, by=by, deficits=cast("DeficitClosure", deficits))
    if json_output:
        print_json(result.to_json())
        return
    tariffs = result.tariffs
    table = Table(title=f"optimal import tariffs of {country} ({by}), fractions")
    if hasattr(tariffs, "columns"):
        console.print(tariffs.round(4).to_string())
    else:
        table.add_column("applies to")
        table.add_column("tariff", justify="right")
        for label, value in tariffs.items():
            table.add_row(str(label), f"{value:.4f}")
        console.print(table)
    k = economy.index_of(country)
    console.print(f"{country}'s welfare at its optimum: {fmt_pct(float(result.welfare_pct.iloc[k] if hasattr(result.welfare_pct, 'iloc') else result.welfare_pct[k]), 3)} %; "
                  f"largest first-order condition {result.max_foc:.1e}; {result.iterations} iterations, {result.seconds:.1f} s")


def _print_nash(payload: dict[str, Any], title: str) -> None:
    table = Table(title=title)
    table.add_column("country")
    table.add_column("Nash tariff %", justify="right")
    table.add_column("welfare %", justify="right")
    welfare = payload.get("welfare_pct") or {}
    tariffs = payload.get("tariffs") or {}
    for country in sorted(welfare, key=lambda c: welfare[c]):
        t = tariffs.get(country)
        t_text = f"{100 * t:.2f}" if isinstance(t, float) else ("…" if t else "")
        table.add_row(country, t_text, fmt_pct(welfare[country], 3))
    console.print(table)


def nash(
    players: Players = "all",
    by: Annotated[str, typer.Option("--by", help="uniform or sector.")] = "uniform",
    config: Config = "full",
    dataset: DatasetOption = "icio",
    year: YearOption = None,
    elasticity: ElasticityOption = "IS",
    regions: StrategyRegions = "g14",
    deficits: Deficits = "zero",
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON (stable keys).")] = False,
    force: ForceOption = False,
    horizon: HorizonOption = "long",
    data_dir: DataDirOption = None,
) -> None:
    """The Nash tariff war: best responses until no country gains from deviating (checked)."""
    from ..analysis import closed_form_nash, nash_tariffs, tariffwar_economy

    check_choice("--config", config, ("full", "tariffwar"))
    check_choice("--by", by, ("uniform", "sector"))
    if config == "tariffwar":
        if by != "uniform" or players.strip().lower() != "all":
            raise UserInputError("--config tariffwar: every country plays with one uniform tariff (drop --players/--by)")
        with console.status(styled("solving tariffwar's Nash system…")):
            closed = closed_form_nash(tariffwar_economy(dataset, year or (2014 if dataset == "wiod" else 2022),
                                                       elasticity, data_dir=data_dir))
        payload = closed.to_json()
        if json_output:
            print_json(payload)
        else:
            _print_nash(payload, f"Nash tariffs, tariffwar configuration ({dataset}, {elasticity})")
            console.print(f"mean tariff {100 * payload['mean_tariff']:.2f} %; closed-form condition residual "
                          f"{payload['max_condition_residual']:.1e}; {payload['iterations']} passes, {payload['seconds']:.2f} s")
        return
    economy = _economy(dataset, year, elasticity, regions, data_dir, horizon)
    with console.status(styled("iterating best responses (exact gradients)…")):
        result = nash_tariffs(economy, _players(economy, players, force), by=by, deficits=cast("DeficitClosure", deficits))
    payload = result.to_json()
    if json_output:
        print_json(payload)
    else:
        if payload.get("converged"):
            _print_nash(payload, f"Nash tariff war ({by}), welfare vs the baseline")
            check = payload["check"]
            console.print(f"check: largest gain from deviating {check['max_gain_from_deviation_pct']:.2e} %, "
                          f"largest tariff change {check['max_tariff_change']:.1e}; world trade "
                          f"{payload['trade_change_pct']['world']:+.1f} %; {payload['iterations']} rounds")
        else:
            console.print(line(("no Nash equilibrium found", "bold red"), f": {payload.get('message', '')}"))
            for row in payload.get("trace", [])[-10:]:
                console.print(f"  round {row.get('round')}: largest change {row.get('max_change')}")
    if not payload.get("converged"):
        sys.exit(1)


def talks(
    players: Players = "all",
    dataset: DatasetOption = "icio",
    year: YearOption = None,
    elasticity: ElasticityOption = "IS",
    regions: StrategyRegions = "g14",
    deficits: Deficits = "zero",
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    force: ForceOption = False,
    horizon: HorizonOption = "long",
    data_dir: DataDirOption = None,
) -> None:
    """Trade talks: cooperative tariffs from the Nash war, equal percentage gains (Ossa 2014)."""
    from ..analysis import nash_tariffs, trade_talks

    economy = _economy(dataset, year, elasticity, regions, data_dir, horizon)
    with console.status(styled("Nash war first, then talks…")):
        war = nash_tariffs(economy, _players(economy, players, force), deficits=cast("DeficitClosure", deficits))
        if not war.converged:
            console.print(line(("no Nash equilibrium to start the talks from", "bold red"), f": {war.message}"))
            sys.exit(1)
        result = trade_talks(economy, war)
    payload = result.to_json()
    if json_output:
        print_json(payload)
    else:
        table = Table(title="trade talks: cooperative tariffs vs the Nash war")
        for col in ("country", "Nash tariff %", "talks tariff %", "welfare at Nash %", "welfare after talks %", "gain vs Nash %"):
            table.add_column(col, justify="right")
        for country in result.welfare_pct.sort_values().index:
            nt = war.tariffs.get(country) if hasattr(war.tariffs, "get") else None
            tt = result.tariffs.get(country) if hasattr(result.tariffs, "get") else None
            table.add_row(country, f"{100 * nt:.1f}" if nt is not None else "", f"{100 * tt:.1f}" if tt is not None else "",
                          fmt_pct(result.nash_welfare_pct[country], 3), fmt_pct(result.welfare_pct[country], 3),
                          fmt_pct(result.welfare_vs_nash_pct[country], 3))
        console.print(table)
        console.print(f"common gain from talks {result.common_gain_pct:+.3f} % (spread {result.gain_spread_pct:.3f} points); "
                      f"world trade {result.world_trade_pct:+.1f} % vs the baseline")
    if not result.converged:
        sys.exit(1)
