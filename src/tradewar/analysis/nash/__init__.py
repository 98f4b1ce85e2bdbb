"""Nash tariff war: every player's tariffs are a best response to everyone else's.

Best responses (Gauss–Seidel): players re-optimise in turn (:func:`optimal_tariffs`, exact
gradients), each given the latest tariffs of the others, until the largest change of any
tariff over a round is below ``tol``. Then the equilibrium is CHECKED: every player
re-optimises once more at the candidate, and the largest welfare gain from deviating and the
largest tariff change are reported; only a candidate that passes is reported as converged.

Fast path (economies without input-output linkages, uniform tariffs on all partners and all
sectors): Lashkaripour (2021) gives the optimal uniform tariff in closed form, ``t_i = 1 /
eps_bar_i`` (:func:`~tradewar.analysis.lashkaripour_optimal_tariff`), and the Nash
tariffs of all players solve the fixed point ``t <- 1 / eps_bar(eq(t))`` — one equilibrium solve
per iteration for all players at once (this is how ``tariffwar`` computes Nash for 81
economies). In this engine the closed form is the exact best response only in special cases
(two countries with the partner at free trade; symmetric third countries): in general it
ignores the tariff's effect on partners' tariff revenue and on third countries' wages, and is
off by a few tariff points. ``method="lashkaripour"`` therefore uses the closed-form fixed
point as the starting point of the best-response iteration (which then needs few rounds), and
``method="closed_form"`` returns the closed-form fixed point itself, with the check showing
how far it is from a Nash equilibrium (``converged`` only if the check passes).

References
----------
Ossa, R. (2014), "Trade Wars and Trade Talks with Data", *American Economic Review* 104(12).
Lashkaripour, A. (2021), "The cost of a global tariff war: A sufficient statistics approach",
*Journal of International Economics* 131.

The package: ``war`` (players, parameterisations, a best response), ``iterate`` (the
iterations and the check), ``model`` (:func:`nash_tariffs`), ``results`` (:class:`NashResult`).
"""

from ...options import NASH_BY, NASH_METHODS, NASH_TARGETS, NashBy, NashMethod, NashTargets
from .model import nash_tariffs
from .results import NashResult
from .war import trade_change_pct

__all__ = ["NASH_BY", "NASH_METHODS", "NASH_TARGETS", "NashBy", "NashMethod", "NashResult",
           "NashTargets", "nash_tariffs", "trade_change_pct"]
