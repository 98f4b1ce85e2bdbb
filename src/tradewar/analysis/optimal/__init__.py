"""Optimal import tariffs of one country given everyone else's tariffs (a best response).

Country ``c`` chooses its import tariffs ``tau'[c, i, j]`` (row ``c`` of the ``[importer,
exporter, sector]`` array) to maximise its welfare, the log change in real income
``log(I'_c / I_c) - sum_j alpha[c, j] log P_hat[c, j]`` (Caliendo & Parro 2015), holding every
other tariff fixed. The tariffs are parameterised (``by``):

* ``uniform``: one rate on every affected partner and sector;
* ``partner``: one rate per partner (all affected sectors);
* ``sector``: one rate per sector (all affected partners);
* ``partner_sector``: one rate per (partner, sector).

The objective's exact gradient comes from :func:`tradewar.model.welfare_gradient`
(implicit differentiation through the equilibrium) chained to the parameters: the derivative
with respect to a parameter is the sum of ``d W / d tau'[c, i, j]`` over the entries it sets.
The optimiser is L-BFGS-B with box bounds; the first-order conditions are reported as the
projected gradient (zero in the interior, zero when the gradient points out of an active bound).

For an economy without input-output linkages (``beta = 1``), Lashkaripour (2021) gives the
optimal *uniform* tariff on all imports in closed form,
``t_c = 1 / eps_bar_c`` with ``eps_bar_c = sum_k sum_{n != c} chi'[c, n, k] theta_k
(1 - pi'[n, c, k])`` where ``chi'[c, n, k]`` is the share of ``n``'s purchases in sector ``k``
in ``c``'s exports (tariff-exclusive) and ``pi'[n, c, k]`` the share of ``c`` in ``n``'s spending
on ``k``, both at the new equilibrium (:func:`lashkaripour_optimal_tariff`). The tests check
that the gradient-based optimum satisfies it.

References
----------
Caliendo, L. and F. Parro (2015), "Estimates of the Trade and Welfare Effects of NAFTA",
*Review of Economic Studies* 82(1).
Ossa, R. (2014), "Trade Wars and Trade Talks with Data", *American Economic Review* 104(12).
Lashkaripour, A. (2021), "The cost of a global tariff war: A sufficient statistics approach",
*Journal of International Economics* 131.

The package: ``params`` (parameterisations, bounds, first-order conditions), ``objective``
(log real income and its exact gradient), ``model`` (:func:`optimal_tariffs`), ``results``,
``closed_form`` (Lashkaripour) and ``retaliation`` (the ``optimal`` retaliation rule).
"""

from ...options import OPTIMAL_BY, OptimalBy
from .closed_form import (
    export_demand_elasticities,
    has_input_output,
    lashkaripour_epsilon,
    lashkaripour_optimal_tariff,
)
from .model import optimal_tariffs
from .objective import SOLVE_TOL
from .params import (
    DEFAULT_BOUNDS,
    TariffParameters,
    check_bounds,
    projected_gradient,
    tariff_parameters,
)
from .results import OptimalTariffResult
from .retaliation import optimal_retaliation, optimal_retaliation_rule

__all__ = [
    "DEFAULT_BOUNDS",
    "OPTIMAL_BY",
    "SOLVE_TOL",
    "OptimalBy",
    "OptimalTariffResult",
    "TariffParameters",
    "check_bounds",
    "export_demand_elasticities",
    "has_input_output",
    "lashkaripour_epsilon",
    "lashkaripour_optimal_tariff",
    "optimal_retaliation",
    "optimal_retaliation_rule",
    "optimal_tariffs",
    "projected_gradient",
    "tariff_parameters",
]
