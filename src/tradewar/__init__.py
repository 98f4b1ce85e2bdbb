"""tradewar — simulate trade wars on real data.

A multi-sector general-equilibrium model of the world economy (Caliendo & Parro 2015, exact
hat algebra) calibrated to OECD ICIO and WIOD data, with scenarios of the 2025 tariff actions,
exposure metrics, optimal and Nash tariffs, coalitions and uncertainty.

The engine's names (``Economy``, ``Equilibrium``, ``solve``, ``solve_batch``) load on first
use, so that ``import tradewar`` (and the CLI's start-up) does not import numpy and pandas
until they are needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Economy, Equilibrium, solve, solve_batch

__version__ = "0.1.0"

__all__ = ["Economy", "Equilibrium", "__version__", "solve", "solve_batch"]

_LAZY = ("Economy", "Equilibrium", "solve", "solve_batch")


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import model

        value = getattr(model, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tradewar' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
