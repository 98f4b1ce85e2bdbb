"""The `tradewar` command: a thin shell over the library (no model code here).

Start-up is kept short: the command modules import only typer, rich and tradewar's light
modules (errors, options, safe_files) at module level; the data, scenario, model, analysis,
report, run and web layers (and with them pandas, JAX, Dask, FastAPI, plotly) are imported
inside the command that needs them (benchmarks/bench_startup.py, tests/cli/test_startup.py).
"""

from __future__ import annotations

import sys
import warnings
from typing import TextIO

import typer

from ..errors import NonConvergenceError, UserInputError
from . import (
    _coalitions,
    _data,
    _escalation,
    _exposure,
    _scenarios,
    _serve,
    _strategy,
    _tariffs,
    _validate,
)
from ._common import err_console, line
from ._common import line as _line

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


def _interrupt(exc: BaseException) -> KeyboardInterrupt | None:
    """The KeyboardInterrupt behind ``exc``: typer turns Ctrl-C into ``Exit(130)`` (and that
    into ``SystemExit``), keeping the interrupt as the cause; a run's ``RunInterrupted``
    carries the "N of M chunks kept … rerun to resume" line."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _print_interrupt(exc: KeyboardInterrupt) -> None:
    err_console.print(line((str(exc) or "stopped by the user", "yellow")), soft_wrap=True)


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: TextIO | None = None, line: str | None = None) -> None:
    """Warnings (a rebuilt cache entry, …) as one plain line: ``warning: <message>``."""
    err_console.print(_line(("warning: ", "bold yellow"), str(message)), soft_wrap=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors exit with code 2, non-convergence with 1, Ctrl-C with 130
    (saying how to resume), never a traceback."""
    previous, warnings.showwarning = warnings.showwarning, _show_warning
    try:
        _main(argv)
    finally:
        warnings.showwarning = previous


def _main(argv: list[str] | None) -> None:
    try:
        app(args=argv, prog_name="tradewar")
    except UserInputError as exc:
        err_console.print(line(("error: ", "bold red"), str(exc)), soft_wrap=True)
        sys.exit(2)
    except NonConvergenceError as exc:
        err_console.print(line(("not converged: ", "bold red"), str(exc)), soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt as exc:
        _print_interrupt(exc)
        sys.exit(130)
    except SystemExit as exc:
        interrupt = _interrupt(exc)
        if interrupt is not None:
            _print_interrupt(interrupt)
            sys.exit(130)
        raise
