"""The configuration of tariffwar (Lashkaripour's MATLAB Nash solver), as an option.

tariffwar computes global Nash tariffs in a multi-sector Armington economy: no input-output
linkages, flows of the trade cube read as tariff-inclusive spending (ICIO: 1 added to every
domestic flow), applied tariffs kept in every sector (services included), deficits first purged
at the applied tariffs, one uniform tariff per country on all partners and sectors, revenue
rebated, welfare = real income relative to the purged economy, and the Nash condition written
as Lashkaripour's (2021) closed form ``t_i = 1 / max(eps_bar_i, 1)`` for every country at once.
This module builds that economy from the same cube and solves that system with tradewar's
engine: the equilibrium map and the closed form are iterated as ONE fixed point (Anderson
accelerated), so the whole Nash costs about as much as a few equilibrium solves.

The closed form is the exact best response only in special cases of the exact model (see
``tests/analysis/test_strategy.py``); :func:`tradewar.analysis.nash_tariffs` reports the gap
(each country's gain from re-optimising) when asked to check this point.

The package: ``economy`` (:func:`tariffwar_economy`), ``model`` (:func:`closed_form_nash`),
``results`` (:class:`ClosedFormNash`).
"""

from .economy import tariffwar_economy
from .model import EPSILON_FLOOR, closed_form_nash
from .results import ClosedFormNash

__all__ = ["EPSILON_FLOOR", "ClosedFormNash", "closed_form_nash", "tariffwar_economy"]
