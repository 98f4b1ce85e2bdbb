"""One `raise_if_failed`: a run that does not converge raises, and the message keeps the
solver's own explanation and advice."""

from __future__ import annotations

import pytest

from tradewar.errors import NonConvergenceError, raise_if_failed
from tradewar.model import SolverDiagnostics
from tradewar.scenario import run_scenario, scenario_from_toml

HEAD = 'name = "t"\nstart = "baseline"\n'
TARIFF = '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = 1.45\n'


def _diag(converged: bool, message: str = "") -> SolverDiagnostics:
    return SolverDiagnostics(converged=converged, iterations=7,
                             residuals={"goods_market": 3e-3, "labour_market": 1e-4},
                             seconds=0.1, message=message)


def test_keeps_the_solver_advice() -> None:
    advice = ("no equilibrium with this deficit closure: spending of CHN would have to be "
              "negative; use 'proportional' or 'zero'")
    with pytest.raises(NonConvergenceError) as info:
        raise_if_failed(_diag(False, advice), "scenario 't', step 'peak'")
    text = str(info.value)
    assert "scenario 't', step 'peak'" in text and "after 7 iterations" in text
    assert text.endswith(advice) and "smaller shock" not in text
    assert info.value.diagnostics.iterations == 7
    raise_if_failed(_diag(True), "anything")  # converged: nothing happens


def test_generic_advice_only_without_the_solver_own() -> None:
    with pytest.raises(NonConvergenceError, match="goods_market 3.00e-03.*smaller shock"):
        raise_if_failed(_diag(False), "x")


def test_run_scenario_raises_instead_of_returning_an_unconverged_result(standin) -> None:
    scenario = scenario_from_toml(HEAD + TARIFF)
    with pytest.raises(NonConvergenceError, match=r"scenario 't', step 't' after \d+ iterations"):
        run_scenario(standin, scenario, max_iter=1)
