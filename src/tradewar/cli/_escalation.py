"""`tradewar escalation`: will the target capitulate or resist a threat (docs/escalation.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..errors import UserInputError, check_choice
from ..options import RETALIATIONS
from ._common import DataDirOption, console, err_console, fmt_pct, line, print_json, styled
from ._options import (
    DatasetOption,
    ElasticityOption,
    HorizonOption,
    RegionsOption,
    YearOption,
    baseline_from_options,
    check_baseline_options,
)
from ._outputs import check_outputs

if TYPE_CHECKING:
    from ..analysis import EscalationResult

_OUTCOME_TEXT = {
    "concede": "{target} concedes",
    "resist_war": "{target} resists and {leader} carries out the threat (war)",
    "resist_back_down": "{target} resists and {leader} backs down",
}


def _allies(text: str | None) -> list[str]:
    if text is None or not text.strip():
        return []
    items = [a.strip() for a in text.split(",")]
    if any(not a for a in items):
        raise UserInputError(f"--allies: {text!r} has an empty code; allowed: comma-separated "
                             "economy or bloc codes, e.g. JPN,KOR,EU27")
    return items


def escalation(
    leader: Annotated[str, typer.Option("--leader", help="The economy that demands and threatens.")] = "USA",
    target: Annotated[str, typer.Option("--target", help="The economy asked to concede.")] = "CHN",
    threat: Annotated[float, typer.Option("--threat", help="Points added on the target's goods if the threat is carried out (1.45 = +145 points).")] = 1.45,
    demand: Annotated[str | None, typer.Option("--demand", help="The concession: a built-in scenario name or a TOML file (default: the target cuts its tariffs on the leader's goods to the MFN level).", show_default=False)] = None,
    allies: Annotated[str | None, typer.Option("--allies", help="Allies joining the threat, comma-separated (e.g. JPN,KOR,EU27).", show_default=False)] = None,
    retaliation: Annotated[str, typer.Option("--retaliation", help="The target's answer to a carried-out threat: none, mirror or optimal (slow: a best response per war).")] = "mirror",
    resist_with: Annotated[str, typer.Option("--resist-with", help="How the target answers a carried-out threat: tariffs (--retaliation), export_controls (a ban of its exports of --control-sectors to every threatener, no tariff answer) or both (docs/agreements.md).")] = "tariffs",
    control_sectors: Annotated[str, typer.Option("--control-sectors", help="Sectors of the target's export controls, comma-separated ICIO codes (default: rare-earth ores and non-ferrous metals, as the built-in china-export-controls-2025).")] = "B07,C24B",
    audience_cost: Annotated[float | None, typer.Option("--audience-cost", help="c: the leader's cost of backing down, % of real income (headline outcome; default 1, docs/escalation.md).", show_default=False)] = None,
    capitulation_cost: Annotated[float | None, typer.Option("--capitulation-cost", help="d: the target's cost of conceding, % of real income (headline outcome; default 1, docs/escalation.md).", show_default=False)] = None,
    dataset: DatasetOption = "icio",
    year: YearOption = None,
    elasticity: ElasticityOption = "IS",
    regions: RegionsOption = "g14",
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON (stable keys, docs/escalation.md).")] = False,
    chart: Annotated[Path | None, typer.Option("--chart", help="Write an offline HTML chart of the outcome regions.", show_default=False)] = None,
    horizon: HorizonOption = "long",
    data_dir: DataDirOption = None,
) -> None:
    """Escalation game: the leader demands a concession and threatens a tariff; will the target
    capitulate or resist, and at what cost of capitulation?"""
    from ..analysis import DEFAULT_AUDIENCE_COST, DEFAULT_CAPITULATION_COST, escalation_game

    audience_cost = DEFAULT_AUDIENCE_COST if audience_cost is None else audience_cost
    capitulation_cost = DEFAULT_CAPITULATION_COST if capitulation_cost is None else capitulation_cost
    check_choice("retaliation", retaliation, RETALIATIONS)
    from ..analysis.escalation import RESIST_WITH_CHOICES

    check_choice("resist_with", resist_with, RESIST_WITH_CHOICES)
    controls = [c.strip() for c in control_sectors.split(",")]
    if not all(controls):
        raise UserInputError(f"--control-sectors: {control_sectors!r} has an empty code; allowed: "
                             "comma-separated sector codes, e.g. B07,C24B")
    check_baseline_options(dataset, elasticity)
    ally_list = _allies(allies)
    for ally in ally_list:
        if ally in (leader, target):
            raise UserInputError(f"--allies: {ally} is the {'leader' if ally == leader else 'target'}; "
                                 "allowed: other economies or blocs")
    if leader == target:
        raise UserInputError(f"--target {target}: the same economy as the leader; allowed: another economy")
    check_outputs(files={"--chart": chart})
    status_console = err_console if json_output else console
    with status_console.status(styled(f"loading the {dataset} baseline…")):
        baseline = baseline_from_options(dataset, year, elasticity, regions, data_dir, horizon)
    options: dict[str, Any] = dict(leader=leader, target=target, threat=threat, demand=demand,
                                   allies=ally_list, retaliation=retaliation,
                                   capitulation_cost=capitulation_cost, audience_cost=audience_cost,
                                   data_dir=data_dir, resist_with=resist_with, control_sectors=controls)
    if retaliation == "optimal":
        with Progress(TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err_console, transient=True) as bar:
            task = bar.add_task(f"{target}'s best response to each threat", total=None)
            result = escalation_game(baseline, progress=lambda done, total: bar.update(
                task, completed=done, total=total), **options)
    else:
        with status_console.status(styled("solving the concession and every war…")):
            result = escalation_game(baseline, **options)
    payload = result.to_json()
    if json_output:
        print_json(payload)
    else:
        _print(result, payload)
    if chart is not None:
        from ..report import escalation_figures, write_figures

        write_figures(chart, f"Escalation game: {result.leader} threatens {result.target}",
                      escalation_figures(result), notes=result.chart_notes())
        (err_console if json_output else console).print(f"chart written to {chart}")


def _print(result: EscalationResult, payload: dict[str, Any]) -> None:
    lead, tgt = result.leader, result.target
    d, c = result.capitulation_cost_pct, result.audience_cost_pct
    who = " + ".join((lead,) + result.allies)
    demand = payload["demand"]
    console.print(line(("demand ", "bold"), f"{demand['name']}: {demand['description']}"))
    console.print(line(("threat ", "bold"), f"{who} add +{100 * result.threat:.0f} points on {tgt}'s goods; "
                       f"{tgt} retaliates: {result.retaliation}"))
    if result.resist_with != "tariffs":
        console.print(line(("resists with ", "bold"), f"{result.resist_with.replace('_', ' ')}: a ban of "
                           f"{tgt}'s exports of {', '.join(result.control_sectors)} to every threatener"))
    console.print(styled(f"status quo: {result.start}", "dim"))
    pay = Table(title=f"payoffs (% of real income vs the status quo; d = {d:g}, c = {c:g})")
    for col in ("node", lead, tgt):
        pay.add_column(col, justify="right")
    p = payload["payoffs"]
    pay.add_row(f"{tgt} concedes", fmt_pct(p["concede"]["leader"]),
                f"{fmt_pct(result.concede_target_pct)} − d = {fmt_pct(p['concede']['target'])}")
    pay.add_row(f"{tgt} resists, {lead} carries out", fmt_pct(p["war"]["leader"]), fmt_pct(p["war"]["target"]))
    pay.add_row(f"{tgt} resists, {lead} backs down", f"0 − c = {fmt_pct(p['back_down']['leader'])}",
                fmt_pct(0.0))
    console.print(pay)
    cred = payload["credible_if_c_above_pct"]
    credible = ("credible", "green") if payload["credible"] else ("not credible", "red")
    console.print(line("the threat is ", credible, f" at c = {c:g} % ({lead} carries it out iff its "
                       f"audience cost exceeds its war loss: c > {cred:.3f} %)"))
    console.print(line("break-even cost of capitulation ", (f"d* = {payload['d_star_pct']:.3f} %", "bold"),
                       f" of {tgt}'s real income: it resists iff d > d*"))
    console.print(line(f"outcome at d = {d:g} %: ",
                       (_OUTCOME_TEXT[payload["outcome"]].format(target=tgt, leader=lead), "bold")))
    table = Table(title=f"by threat (d* at c = {c:g} %)")
    cols = ["threat, points", f"{lead} war %", f"{tgt} war %", "credible if c >", "d* %", "outcome"]
    if result.allies:
        cols += [f"d* %, {lead} alone"]
    for col in cols:
        table.add_column(col, justify="right")
    for row in payload["by_threat"]:
        cells = [f"+{100 * row['threat']:.0f}", fmt_pct(row["leader_war_pct"]),
                 fmt_pct(row["target_war_pct"]), f"{row['credible_if_c_above_pct']:.3f}",
                 f"{row['d_star_pct']:.3f}", row["outcome"]]
        if result.allies:
            cells.append(f"{row['without_allies']['d_star_pct']:.3f}")
        table.add_row(*cells)
    console.print(table)
    if result.allies:
        eff = Table(title=f"allies joining the threat (+{100 * result.threat:.0f} points, c = {c:g} %)")
        for col in ("threateners", f"{tgt} war %", f"{lead} war %", "credible", "d* %"):
            eff.add_column(col, justify="right")
        for name, row in payload["allies_detail"].items():
            label = {"none": f"{lead} alone", "all": "all allies"}.get(name, f"{lead} + {name}")
            eff.add_row(label, fmt_pct(row["target_war_pct"]), fmt_pct(row["leader_war_pct"]),
                        "yes" if row["credible"] else "no", f"{row['d_star_pct']:.3f}")
        console.print(eff)
    console.print(styled(f"{payload['solver']['solves']} equilibria in {payload['solver']['seconds']:.1f} s; "
                         f"max residual {payload['solver']['max_residual']:.1e}", "dim"))
