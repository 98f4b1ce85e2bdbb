"""Reproductions of published results, shared by the tests, the CLI and the docs.

``nafta``: Caliendo & Parro (2015), the NAFTA tariff experiment on their data.
"""

from .nafta import NAFTA, NaftaReproduction, cp2015_nafta, max_gap_to_published

__all__ = ["NAFTA", "NaftaReproduction", "cp2015_nafta", "max_gap_to_published"]
