"""Retaliation rules beyond ``none`` and ``mirror``: what the layer above supplies.

The scenario says which rule applies (``Scenario.retaliation``, ``CompiledScenario.retaliation``);
``none`` and ``mirror`` are built in (:func:`tradewar.scenario.mirror`). Any other rule — such
as ``optimal``, a best response computed by the strategy layer ``tradewar.analysis`` — is a
function given by the caller (``compile_tariffs(..., retaliation_rule=fn)``) or registered with
:func:`register_retaliation_rule`. The scenario layer never imports the layers above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..errors import ScenarioError
from ._schema import RETALIATION_RULES

if TYPE_CHECKING:
    from ..model import Economy
    from ._schema import Scenario

__all__ = ["RetaliationContext", "RetaliationRule", "register_retaliation_rule", "registered_rule"]


@dataclass(frozen=True, eq=False)
class RetaliationContext:
    """What a retaliation rule sees after a group of actions.

    ``economy``: the starting economy; ``before``/``after``: tariffs (N, N, J) before and after
    the group's tariff actions and coalitions; ``touched``: the (importer, exporter) index pairs
    those actions changed; ``goods``: boolean (J,) mask of the goods sectors; ``label``: the
    group (the scenario's name or the step's label).
    """

    economy: Economy
    before: np.ndarray
    after: np.ndarray
    touched: frozenset[tuple[int, int]]
    goods: np.ndarray
    scenario: Scenario
    label: str


#: A rule: the (N, N, J) tariffs including the retaliation, from a :class:`RetaliationContext`.
RetaliationRule = Callable[[RetaliationContext], np.ndarray]


def register_retaliation_rule(name: str, fn: RetaliationRule) -> None:
    """Make ``retaliation = name`` available to scenarios compiled without an explicit
    ``retaliation_rule`` (``tradewar.analysis`` registers ``"optimal"``).

    ``fn(context)`` receives a :class:`RetaliationContext` and returns the new (N, N, J)
    tariffs including the retaliation.
    """
    if not callable(fn):
        raise TypeError(f"retaliation rule {name!r}: fn must be callable")
    if name in ("none", "mirror"):
        raise ScenarioError(f"retaliation rule {name!r} is built in and cannot be replaced")
    RETALIATION_RULES[name] = fn


def registered_rule(name: str) -> RetaliationRule | None:
    """The rule registered under ``name``, or None."""
    return RETALIATION_RULES.get(name)
