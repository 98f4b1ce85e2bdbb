"""The curated namespace ``tradewar.analysis``: every public name resolves, nothing heavy loads
on import, and importing it registers the scenario rule ``retaliation = "optimal"``."""

from __future__ import annotations

import subprocess
import sys

import tradewar.analysis as analysis


def test_every_public_name_resolves_to_its_subpackage():
    assert len(analysis.__all__) == len(set(analysis.__all__))
    for name in analysis.__all__:
        value = getattr(analysis, name)
        module = getattr(value, "__module__", None)
        if module is not None and callable(value):
            assert module.startswith(("tradewar.analysis.", "tradewar.scenario.")), (name, module)
    assert set(dir(analysis)) >= set(analysis.__all__)


def test_import_is_light_and_registers_the_optimal_rule():
    code = ("import sys, tradewar.analysis\n"
            "from tradewar.scenario import registered_rule\n"
            "heavy = [m for m in ('jax', 'scipy.optimize', 'plotly', 'dask') if m in sys.modules]\n"
            "print(heavy, registered_rule('optimal') is not None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["[]", "True"], out.stdout + out.stderr


def test_an_unknown_name_is_an_attribute_error():
    try:
        analysis.no_such_analysis  # noqa: B018
    except AttributeError as exc:
        assert "no_such_analysis" in str(exc)
    else:
        raise AssertionError("expected AttributeError")
