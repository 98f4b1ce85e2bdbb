"""Where analyses start: the scenario layer's starting point (one definition, the compiler's).

:class:`StartPoint` and :func:`start_point` are the historical analysis names of
:class:`tradewar.scenario.StartingPoint` and :func:`tradewar.scenario.starting_point`
(same attributes: ``economy``, ``method``, ``text``, ``raw``; ``at(theta)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..scenario import StartingPoint, starting_point

if TYPE_CHECKING:
    from ..data import Baseline

StartPoint = StartingPoint

__all__ = ["StartPoint", "start_point"]


def start_point(baseline: Baseline, start: str = "in-force-2025", data_dir: Any = None) -> StartingPoint:
    """The starting point of :func:`tradewar.scenario.compile_tariffs` for ``start``
    (``"in-force-2025"`` or ``"baseline"``): :func:`tradewar.scenario.starting_point`."""
    return starting_point(baseline, start, data_dir=data_dir)  # type: ignore[arg-type]
