"""Short run and long run: the trade elasticities of a horizon.

The elasticity sets of the data (``IS``, ``CP``, …) are long-run estimates. For the short run
(about one year) every sector's θ is scaled by the ratio of Boehm, Levchenko and
Pandalai-Nayar's short-run to long-run estimates of the trade elasticity:

    θ_short[s] = θ_long[s] × 0.76 / 2.0

Boehm, C. E., Levchenko, A. A. and Pandalai-Nayar, N. (2023), "The Long and Short (Run) of
Trade Elasticities", American Economic Review 113(4): 861–905: ≈ 0.76 one year after a tariff
change, 1.75–2.25 in the long run (2.0 is the middle of that range). They estimate one
elasticity for all goods, so a common ratio is what their result supports; scaling keeps the
chosen set's pattern across sectors (which goods substitute more), and a θ that falls by the same
factor everywhere is the one-year response their local projections measure. See docs/tariffs.md.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import check_choice
from ..options import HORIZONS

if TYPE_CHECKING:
    from ._baseline import Baseline

#: Boehm–Levchenko–Pandalai-Nayar (AER 2023): one-year and long-run trade elasticities.
BLP_SHORT_RUN = 0.76
BLP_LONG_RUN = 2.0  # middle of their 1.75-2.25
#: Factor applied to every sector's θ for the short run.
SHORT_RUN_FACTOR = BLP_SHORT_RUN / BLP_LONG_RUN


def with_horizon(baseline: Baseline, horizon: str) -> Baseline:
    """The baseline with the trade elasticities of ``horizon`` (``"long"``: unchanged;
    ``"short"``: every θ × :data:`SHORT_RUN_FACTOR`). Only θ changes, so the baseline is still
    an exact equilibrium (a zero shock returns every hat = 1).

    Raises:
        UnknownNameError: ``horizon`` is not ``short`` or ``long``.
    """
    check_choice("horizon", horizon, HORIZONS)
    if horizon == "long":
        return baseline
    e = baseline.economy
    note = (f"short-run horizon: every theta x {SHORT_RUN_FACTOR:.2f} (Boehm, Levchenko and "
            "Pandalai-Nayar, AER 2023: 0.76 after one year vs 1.75-2.25 in the long run)")
    economy = replace(e, theta=e.theta * SHORT_RUN_FACTOR, notes=tuple(e.notes) + (note,))
    return replace(baseline, economy=economy)
