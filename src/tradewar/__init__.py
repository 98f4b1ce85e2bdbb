"""tradewar — simulate trade wars on real data.

A multi-sector general-equilibrium model of the world economy (Caliendo & Parro 2015, exact
hat algebra) calibrated to OECD ICIO and WIOD data, with scenarios of the 2025 tariff actions,
exposure metrics, optimal and Nash tariffs, coalitions and uncertainty.
"""

from .model import Economy, Equilibrium, solve, solve_batch

__version__ = "0.1.0"

__all__ = ["Economy", "Equilibrium", "__version__", "solve", "solve_batch"]
