"""Retaliation rule "optimal": the target answers with its best response against the aggressors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ...model import Economy
from ...options import DeficitClosure
from .model import optimal_tariffs
from .params import DEFAULT_BOUNDS, tariff_parameters


def optimal_retaliation(
    economy: Economy,
    tariffs: np.ndarray,
    target: str,
    aggressors: Sequence[str],
    *,
    by: str = "uniform",
    sectors: Any = None,
    deficits: DeficitClosure = "fixed",
) -> np.ndarray:
    """Retaliation rule "optimal": ``target`` answers with its best response against ``aggressors``.

    ``target``'s tariffs on the aggressors (in ``sectors``, default all, parameterised by
    ``by``) are chosen to maximise its welfare given ``tariffs`` (everyone's tariffs after the
    aggressors' action); every other tariff is unchanged. Bounds are (0, 5), widened to
    contain the current tariffs.

    Signature ``fn(economy, tariffs, target, aggressors) -> tariffs``; for scenarios use the
    adapter :func:`optimal_retaliation_rule`.

    Returns
    -------
    array (N, N, J): the tariffs after the retaliation (fractions).
    """
    aggressors = [aggressors] if isinstance(aggressors, str) else list(aggressors)
    params = tariff_parameters(economy, target, by=by, against=aggressors, sectors=sectors,
                               tariffs=tariffs)
    set_ = params.param_of >= 0
    current = params.base[params.country][set_]
    bounds = (min(DEFAULT_BOUNDS[0], float(current.min())), max(DEFAULT_BOUNDS[1], float(current.max())))
    result = optimal_tariffs(economy, target, against=aggressors, by=by, sectors=sectors,
                             bounds=bounds, tariffs=params.base, deficits=deficits)
    return result.tariff_array


def optimal_retaliation_rule(context: Any) -> np.ndarray:
    """The scenario rule ``retaliation = "optimal"`` (register it with
    ``tradewar.scenario.register_retaliation_rule("optimal", optimal_retaliation_rule)``).

    ``context`` is a :class:`tradewar.scenario.RetaliationContext`. Every economy ``e`` whose
    goods an action taxed more (a touched pair (importer ``m``, exporter ``e``) with a higher
    tariff in some sector, unless the scenario itself sets the reverse pair ``(e, m)``)
    answers with its uniform best response against all such aggressors, in the goods sectors
    (``context.goods``), given the tariffs after the actions. The targets respond
    simultaneously (each given the others' post-action tariffs); deficits are fixed.
    """
    economy: Economy = context.economy
    before = np.asarray(context.before)
    after = np.asarray(context.after)
    touched = set(context.touched)
    aggressors: dict[int, list[int]] = {}
    for m, e in sorted(touched):
        if (e, m) in touched or m == e:
            continue
        if (after[m, e] > before[m, e] + 1e-12).any():
            aggressors.setdefault(e, []).append(m)
    goods = np.asarray(context.goods, dtype=bool)
    result = np.array(after, copy=True)
    for e, ms in aggressors.items():
        responded = optimal_retaliation(economy, after, economy.countries[e],
                                        [economy.countries[m] for m in ms], sectors=goods)
        result[e] = responded[e]
    return result
