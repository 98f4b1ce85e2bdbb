"""A coalition question compiled to arrays: :class:`CoalitionGame` and the options' values.

The compilation itself (validation, the status quo, the leader's tariffs on the allies) is
:func:`tradewar.analysis.coalitions.compile.coalition_game`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...model import Economy, economy_after, solve
from ...options import RETALIATIONS, DeficitClosure
from ...scenario import StartingPoint

#: The allies of the 2025 debate (Japan, Korea, India, Vietnam, the EU, the UK, Canada, Mexico,
#: Australia, Taiwan): the default players.
DEFAULT_ALLIES: tuple[str, ...] = ("JPN", "KOR", "IND", "VNM", "EU27", "GBR", "CAN", "MEX",
                                   "AUS", "TWN")
#: Retaliation rules (:data:`tradewar.options.RETALIATIONS`).
RETALIATION_CHOICES: tuple[str, ...] = RETALIATIONS
#: Named framings: the leader's tariffs on allies (``None``: none).
COALITION_PRESETS: dict[str, str | None] = {"allied-front": None, "america-first": "america-first"}
#: More allies than this need ``force=True`` (2^n coalitions).
MAX_ALLIES = 16


@dataclass(frozen=True, eq=False)
class CoalitionGame:
    """A coalition game compiled to arrays (picklable; sent once to each worker).

    Attributes
    ----------
    economy : Economy
        The status quo (every change is measured from it).
    start : StartingPoint
        The tariffs in force before the leader's tariffs on allies.
    leader, target : int
        Economy indices.
    allies : tuple of str
        Player names; ``groups[k]`` are the economy indices of ally ``k`` (a bloc acts as one).
    tariff : float
        Points each member adds on the target (fraction).
    sectors : (J,) bool
        Where members tariff the target; the ``mirror`` answer hits ``sectors & goods``.
    ally_tariffs : (N, N, J) array or None
        The leader's tariffs on the allies in the status quo (points added on the start, row
        ``leader``; members are relieved of them); ``None`` when there are none.
    ban_sectors : (J,) bool or None
        Export controls: every member also stops exporting these sectors to the target (a ban,
        :func:`tradewar.model.solve_batch` ``blocked``); ``None``: tariffs only.
    """

    economy: Economy
    start: StartingPoint
    leader: int
    target: int
    allies: tuple[str, ...]
    groups: tuple[tuple[int, ...], ...]
    tariff: float
    sectors: np.ndarray
    goods: np.ndarray
    retaliation: str
    ally_tariffs: np.ndarray | None
    deficits: DeficitClosure = "fixed"
    us_tariffs_on_allies: str = "none"
    notes: tuple[str, ...] = ()
    info: dict[str, Any] = field(default_factory=dict)
    ban_sectors: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.allies)

    @property
    def countries(self) -> tuple[str, ...]:
        return self.economy.countries

    def members(self, mask: int) -> list[str]:
        """Names of the members of coalition ``mask`` (leader first, then allies in order)."""
        return [self.countries[self.leader]] + [a for k, a in enumerate(self.allies) if mask >> k & 1]

    def member_economies(self, mask: int) -> list[int]:
        return [self.leader] + [e for k, g in enumerate(self.groups) if mask >> k & 1 for e in g]

    def with_theta(self, theta: np.ndarray) -> CoalitionGame:
        """The same game with trade elasticities ``theta`` (the status quo is re-solved)."""
        start = self.start.at(theta)
        return dataclasses.replace(self, economy=status_quo(start, self.ally_tariffs, self.deficits),
                                   start=dataclasses.replace(self.start, economy=start))


def status_quo(start: Economy, relief: np.ndarray | None, deficits: DeficitClosure) -> Economy:
    """The economy of the game: ``start`` plus the leader's tariffs on the allies ``relief``
    (points added, (N, N, J)), solved with closure ``deficits``; ``start`` when there are none."""
    if relief is None:
        return start
    eq = solve(start, start.tariffs + relief, deficits=deficits)
    return economy_after(eq)
