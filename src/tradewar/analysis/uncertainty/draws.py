"""Trade-elasticity draws: the published sets and random draws around them (:func:`elasticity_draws`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ...errors import UserInputError
from ...options import ELASTICITY_SETS

#: Standard deviation of the log of each sector's multiplicative θ factor.
SIGMA = 0.25


DISTRIBUTION_TEXT = (
    "one row per published elasticity set, then N random draws: draw k is seeded with "
    "SeedSequence(seed).spawn(N)[k]; it picks one of the sets uniformly and multiplies every "
    "sector's theta by an independent log-normal factor exp(sigma z), z ~ N(0, 1) (median 1)")


@dataclass(frozen=True, eq=False)
class Draw:
    """One set of trade elasticities: ``theta`` (J,), where it came from and its seed."""

    draw: int
    kind: str
    elasticity_set: str
    seed: int
    theta: np.ndarray


def check_sets(elasticities: Mapping[str, np.ndarray], sets: str | Sequence[str]) -> list[str]:
    if isinstance(sets, str):
        sets = list(elasticities) if sets == "all" else [s.strip() for s in sets.split(",")]
    sets = list(dict.fromkeys(sets))
    for name in sets:
        if name not in elasticities:
            allowed = [s for s in ELASTICITY_SETS if s in elasticities]
            raise UserInputError(f"elasticities: unknown set {name!r}; allowed: 'all' or a comma "
                                 f"list of {', '.join(allowed)}")
    if not sets:
        raise UserInputError("elasticities: no set; allowed: 'all' or a comma list of set names")
    return sets


def elasticity_draws(elasticities: Mapping[str, np.ndarray], *, sets: str | Sequence[str] = "all",
                     draws: int = 100, seed: int = 0, sigma: float = SIGMA,
                     published: bool = True) -> list[Draw]:
    """The published sets (if ``published``) and ``draws`` random draws around them (see
    the module docstring). Deterministic in ``seed``; draw ``k`` depends only on its seed."""
    from ...run import spawn_seeds

    names = check_sets(elasticities, sets)
    if not isinstance(draws, int) or isinstance(draws, bool) or draws < 0:
        raise UserInputError(f"draws: {draws!r}; allowed: a non-negative integer")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise UserInputError(f"seed: {seed!r}; allowed: a non-negative integer")
    if not (isinstance(sigma, int | float) and math.isfinite(sigma) and sigma >= 0):
        raise UserInputError(f"sigma: {sigma!r}; allowed: a non-negative number")
    out = []
    if published:
        out = [Draw(k, "published", name, -1, np.asarray(elasticities[name], dtype=np.float64))
               for k, name in enumerate(names)]
    start = len(out)
    for k, child in enumerate(spawn_seeds(seed, draws)):
        rng = np.random.default_rng(child)
        name = names[int(rng.integers(len(names)))]
        base = np.asarray(elasticities[name], dtype=np.float64)
        theta = base * np.exp(sigma * rng.standard_normal(base.shape))
        out.append(Draw(start + k, "random", name, int(child), theta))
    if not out:
        raise UserInputError("draws: nothing to run (no published set and draws = 0)")
    return out
