"""Public testing helpers: tiny synthetic economies for unit tests of the numerics.

Synthetic data is for testing the engine's algebra only; every analysis of tradewar runs on
the real baseline (:mod:`tradewar.data`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from .model import Economy, economy_from_io
from .options import ELASTICITY_SETS


def random_economy(
    n_countries: int = 5,
    n_sectors: int = 3,
    *,
    seed: int = 0,
    input_output: bool = True,
    tariff_max: float = 0.15,
    balanced: bool = False,
) -> Economy:
    """A random but internally consistent economy (an exact equilibrium of the engine).

    Gravity-like flows (millions USD), random tariffs in ``[0, tariff_max]``, trade
    elasticities in [2, 10], value-added shares in [0.3, 0.6] and random input shares when
    ``input_output``; otherwise one-factor production (``beta = 1``). Domestic sales are
    raised until final demand is positive everywhere. With ``balanced``, flows are
    RAS-balanced so that every country's trade is balanced (D = 0) at baseline.
    """
    rng = np.random.default_rng(seed)
    n, j = n_countries, n_sectors
    size = rng.lognormal(0.0, 1.0, n)
    distance = rng.uniform(1.0, 5.0, (n, n))
    np.fill_diagonal(distance, 0.2)
    flows = (np.einsum("n,i,j->nij", size, size, rng.uniform(0.5, 2.0, j))
             * np.exp(-distance)[:, :, None] * rng.lognormal(0.0, 0.3, (n, n, j)))
    idx = np.arange(n)
    tariffs = rng.uniform(0.0, tariff_max, (n, n, j))
    tariffs[idx, idx, :] = 0.0
    theta = rng.uniform(2.0, 10.0, j)
    if input_output:
        beta = rng.uniform(0.3, 0.6, (n, j))
        gamma = rng.uniform(0.0, 1.0, (n, j, j))
        gamma = gamma / gamma.sum(axis=1, keepdims=True) * (1.0 - beta)[:, None, :]
    else:
        beta = np.ones((n, j))
        gamma = np.zeros((n, j, j))
    if balanced:
        for _ in range(500):  # scale each exporter's sales and importer's purchases towards balance
            imports = flows.sum(axis=(1, 2)) - flows[idx, idx, :].sum(axis=1)
            exports = flows.sum(axis=(0, 2)) - flows[idx, idx, :].sum(axis=1)
            factor = np.sqrt(imports / exports)
            off = np.ones((n, n))
            np.fill_diagonal(off, 0.0)
            flows = flows * (1.0 + off[:, :, None] * ((factor[None, :] / factor[:, None]) ** 0.5 - 1.0)[:, :, None])
            if np.abs(imports - exports).max() < 1e-13 * flows.sum():
                break
    for _ in range(200):
        expenditure = ((1.0 + tariffs) * flows).sum(axis=1)
        final = expenditure - np.einsum("njk,nk->nj", gamma, flows.sum(axis=0))
        if (final > 0.05 * expenditure).all():
            break
        flows[idx, idx, :] += np.maximum(0.1 * expenditure - final, 0.0)
    countries = [f"C{k:02d}" for k in range(n)]
    sectors = [f"S{k:02d}" for k in range(j)]
    return economy_from_io(countries, sectors, flows, tariffs, theta, beta, gamma,
                           notes=(f"synthetic economy (seed {seed}) for unit tests",))


@dataclasses.dataclass(frozen=True)
class SyntheticBaseline:
    """What the analyses read of a :class:`tradewar.data.Baseline`, for unit tests: an economy
    and the eight published elasticity sets (names of :data:`tradewar.options.ELASTICITY_SETS`)."""

    economy: Any
    elasticities: dict
    elasticity: str = "IS"
    dataset: str = "synthetic"
    year: int | None = None
    regions: str | None = None


def synthetic_baseline(n_countries: int = 5, n_sectors: int = 3, *, seed: int = 4,
                       sets_seed: int = 0) -> SyntheticBaseline:
    """:func:`random_economy` with eight elasticity sets: ``IS`` is the economy's own theta,
    every other set is theta times a random factor in [0.6, 1.6) per sector."""
    economy = random_economy(n_countries, n_sectors, seed=seed)
    rng = np.random.default_rng(sets_seed)
    sets = {name: economy.theta * rng.uniform(0.6, 1.6, economy.n_sectors) for name in ELASTICITY_SETS}
    sets["IS"] = economy.theta
    return SyntheticBaseline(economy=economy, elasticities=sets)
