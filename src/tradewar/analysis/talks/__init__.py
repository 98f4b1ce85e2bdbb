"""Trade talks: cooperative tariffs negotiated from the Nash tariff war (Ossa 2014).

Starting from the Nash equilibrium of :func:`~tradewar.analysis.nash_tariffs`, the
players choose one uniform tariff each (on the same partners as in the war) to make every
player better off than at Nash by the same, largest possible, percentage:

    max_{t, s}  s   subject to   100 (log W_p(t) - log W_p(Nash)) >= s   for every player p,

with ``W_p`` the real income of ``p`` (Caliendo & Parro 2015). At the solution the
constraints bind for every player whose gain can be traded off against the others' (equal
gains, Ossa's "efficient bargaining with equal gains"); ``gain_spread_pct`` reports how
unequal the gains still are. The problem is solved with SLSQP using exact gradients of each
player's welfare (one :func:`~tradewar.model.welfare_gradient` per player).

References
----------
Ossa, R. (2014), "Trade Wars and Trade Talks with Data", *American Economic Review* 104(12).

The package: ``model`` (the players' welfare and :func:`trade_talks`), ``results``
(:class:`TalksResult`).
"""

from ...options import TALKS_METHODS, TalksMethod
from .model import trade_talks
from .results import TalksResult

__all__ = ["TALKS_METHODS", "TalksMethod", "TalksResult", "trade_talks"]
