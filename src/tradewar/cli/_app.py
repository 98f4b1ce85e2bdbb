"""The `tradewar` command: a thin shell over the library (no model code here)."""

from __future__ import annotations

import sys

import typer

from ..errors import NonConvergenceError, UserInputError
from . import _coalitions, _data, _escalation, _exposure, _scenarios, _serve, _strategy, _tariffs, _validate
from ._common import err_console

app = typer.Typer(
    name="tradewar",
    help="Simulate trade wars on real data: a general-equilibrium model of the world economy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Simulate trade wars on real data: a general-equilibrium model of the world economy."""


app.add_typer(_data.data_app, name="data")
app.command("scenarios")(_scenarios.scenarios)
app.command("run")(_scenarios.run)
app.command("compare")(_scenarios.compare)
app.command("exposure")(_exposure.exposure)
app.command("optimal")(_strategy.optimal)
app.command("nash")(_strategy.nash)
app.command("talks")(_strategy.talks)
app.command("escalation")(_escalation.escalation)
app.command("coalitions")(_coalitions.coalitions)
app.command("sweep")(_coalitions.sweep)
app.command("serve")(_serve.serve)
app.command("validate")(_validate.validate)
app.command("tariffs")(_tariffs.tariffs)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors exit with code 2, non-convergence with 1, never a traceback."""
    try:
        app(args=argv, prog_name="tradewar")
    except UserInputError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.exit(2)
    except NonConvergenceError as exc:
        err_console.print(f"[bold red]not converged:[/] {exc}", highlight=False)
        sys.exit(1)
    except KeyboardInterrupt as exc:
        # a sweep's RunInterrupted says how many chunks were kept and how to resume
        err_console.print(f"[yellow]{exc or 'stopped by the user'}[/]", highlight=False)
        sys.exit(130)
