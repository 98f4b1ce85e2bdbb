"""The equilibrium engine: Caliendo-Parro (2015) exact hat algebra, pure numerics, no I/O.

``welfare_gradient`` (exact gradients, JAX) loads lazily: importing the engine does not import
JAX. ``kernels`` is the array-namespace kernels module, for analyses that iterate the
equilibrium map themselves (tariffwar's joint fixed point).
"""

from typing import TYPE_CHECKING, Any

from . import _kernels as kernels
from ._anderson import FixedPointOutcome, anderson_solve
from ._economy import SHARE_TOL, Economy, check_tariffs, economy_from_io
from ._options import LabourMarketOptions, check_model_options
from ._plausibility import (
    MAX_TRADE_FACTOR,
    MAX_WELFARE_CHANGE_PCT,
    check_plausibility,
    plausibility_issues,
)
from ._results import Equilibrium, SolverDiagnostics
from ._solver import (
    MAX_LABOUR_SUPPLY,
    check_labour_supply,
    economy_after,
    model_params,
    purged_economy,
    solve,
    solve_batch,
)

if TYPE_CHECKING:
    from ._gradient import WelfareGradient, welfare_gradient

__all__ = [
    "MAX_LABOUR_SUPPLY",
    "SHARE_TOL",
    "FixedPointOutcome",
    "LabourMarketOptions",
    "WelfareGradient",
    "anderson_solve",
    "check_tariffs",
    "kernels",
    "welfare_gradient",
    "MAX_TRADE_FACTOR",
    "MAX_WELFARE_CHANGE_PCT",
    "Economy",
    "Equilibrium",
    "SolverDiagnostics",
    "check_labour_supply",
    "check_model_options",
    "check_plausibility",
    "plausibility_issues",
    "economy_after",
    "economy_from_io",
    "model_params",
    "purged_economy",
    "solve",
    "solve_batch",
]


def __getattr__(name: str) -> Any:
    if name in ("welfare_gradient", "WelfareGradient"):
        from . import _gradient

        return getattr(_gradient, name)
    raise AttributeError(f"module 'tradewar.model' has no attribute {name!r}")
