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


def _seed_of(seed: int, k: int) -> int:
    """``spawn_seeds(seed, n)[k]`` without spawning the other ``n - 1`` children: child ``k`` of
    ``SeedSequence(seed)`` is ``SeedSequence(seed, spawn_key=(k,))`` (numpy's definition)."""
    child = np.random.SeedSequence(seed, spawn_key=(k,))
    return int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))


@dataclass(frozen=True, eq=False)
class DrawBlock:
    """Rows ``start .. stop - 1`` of a sweep (published sets first, then random draws), made
    only where they are solved (:meth:`draws`): a sweep of millions of draws never holds
    them all in memory, and draw ``k`` is the same whatever the blocks (issue 14)."""

    start: int
    stop: int
    sets: tuple[str, ...]
    thetas: tuple[np.ndarray, ...]
    n_published: int
    seed: int
    sigma: float

    def __len__(self) -> int:
        return self.stop - self.start

    def draws(self) -> list[Draw]:
        """The draws of this block (see the module docstring for the distribution)."""
        out = []
        for row in range(self.start, self.stop):
            if row < self.n_published:
                out.append(Draw(row, "published", self.sets[row], -1, self.thetas[row]))
                continue
            child = _seed_of(self.seed, row - self.n_published)
            rng = np.random.default_rng(child)
            pick = int(rng.integers(len(self.sets)))
            base = self.thetas[pick]
            out.append(Draw(row, "random", self.sets[pick], child,
                            base * np.exp(self.sigma * rng.standard_normal(base.shape))))
        return out


def draw_blocks(elasticities: Mapping[str, np.ndarray], *, sets: str | Sequence[str] = "all",
                draws: int = 100, seed: int = 0, sigma: float = SIGMA, published: bool = True,
                size: int) -> list[DrawBlock]:
    """The rows of :func:`elasticity_draws` as consecutive blocks of ``size`` rows, each made
    on demand (:meth:`DrawBlock.draws`); the same rows, the same chunk boundaries."""
    names = check_sets(elasticities, sets)
    if not isinstance(draws, int) or isinstance(draws, bool) or draws < 0:
        raise UserInputError(f"draws: {draws!r}; allowed: a non-negative integer")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise UserInputError(f"seed: {seed!r}; allowed: a non-negative integer")
    if not (isinstance(sigma, int | float) and math.isfinite(sigma) and sigma >= 0):
        raise UserInputError(f"sigma: {sigma!r}; allowed: a non-negative number")
    if not isinstance(size, int) or size < 1:
        raise UserInputError(f"chunk size must be a positive integer, got {size!r}")
    thetas = tuple(np.asarray(elasticities[name], dtype=np.float64) for name in names)
    n_pub = len(names) if published else 0
    total = n_pub + draws
    if total == 0:
        raise UserInputError("draws: nothing to run (no published set and draws = 0)")
    return [DrawBlock(a, min(a + size, total), tuple(names), thetas, n_pub, seed, float(sigma))
            for a in range(0, total, size)]


def elasticity_draws(elasticities: Mapping[str, np.ndarray], *, sets: str | Sequence[str] = "all",
                     draws: int = 100, seed: int = 0, sigma: float = SIGMA,
                     published: bool = True) -> list[Draw]:
    """The published sets (if ``published``) and ``draws`` random draws around them (see
    the module docstring). Deterministic in ``seed``; draw ``k`` depends only on its seed.
    Builds every draw: for large sweeps use :func:`draw_blocks`."""
    (block,) = draw_blocks(elasticities, sets=sets, draws=draws, seed=seed, sigma=sigma,
                           published=published, size=max(1, draws + len(elasticities)))
    return block.draws()
