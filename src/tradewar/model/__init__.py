"""The equilibrium engine: Caliendo-Parro (2015) exact hat algebra, pure numerics, no I/O."""

from ._economy import Economy, economy_from_io
from ._results import Equilibrium, SolverDiagnostics
from ._solver import economy_after, model_params, purged_economy, solve, solve_batch

__all__ = [
    "Economy",
    "Equilibrium",
    "SolverDiagnostics",
    "economy_after",
    "economy_from_io",
    "model_params",
    "purged_economy",
    "solve",
    "solve_batch",
]
