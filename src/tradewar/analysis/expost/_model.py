"""Ex post: did the model predict the 2018–19 US–China trade war? (Kehoe 2005's test.)

Start from the ICIO baseline of ``base_year`` (2017: before the first Section 301 tariffs of
6 July 2018), apply the 2018–19 tariff layer as in force at the end of 2019 (both sides, by
sector: :func:`tradewar.data.tariffs_end_2019`; ``layer="2025-01-01"`` applies instead the layer
as it stood on 2025-01-01, :func:`tradewar.data.tariffs_in_force_2025`, the stand-in used before,
kept to isolate what the choice of layer changes), solve, and set the predicted change
of each supplier's share of the importer's imports, sector by sector, beside the observed change
from the ICIO cubes two and four years later (2019, 2021). Benchmarks: no change, and the
pre-war trend (``base_year − 2 → base_year``) carried forward.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ...data import (
    default_data_dir,
    goods_mask,
    load_baseline,
    read_cube,
    tariffs_end_2019,
    tariffs_in_force_2025,
    us_tariff_schedule,
    with_horizon,
)
from ...errors import UserInputError, check_choice
from ...model import solve
from ...options import HORIZONS
from ._compare import fit_statistics, log_change, supplier_share

__all__ = ["EXPOST_FLOWS", "EXPOST_LAYERS", "ExPostResult", "trade_war_2018"]

#: The tariff layers the test can apply: the 2018-19 war as in force at the end of 2019 (the
#: default), or as it stood on 2025-01-01 (the earlier stand-in, to isolate the difference).
EXPOST_LAYERS: dict[str, str] = {
    "end-2019": "the 2018-19 US-China layer in force on 2019-12-31 (statutory, both sides, by sector, "
                "scaled to PIIE's end-2019 averages: US 21.0 %, China 21.1 %)",
    "2025-01-01": "the layer as it stood on 2025-01-01 (US: max(MFN, 2024 effective rate) on every partner; "
                  "US on China topped up to 20.8 %, China on the US to 21.2 %)",
}

#: The flows compared: (label, importer, exporters); ``others`` = every exporter but China.
EXPOST_FLOWS: tuple[tuple[str, str, str], ...] = (
    ("US imports from China", "USA", "CHN"),
    ("China's imports from the US", "CHN", "USA"),
    ("US imports from Vietnam", "USA", "VNM"),
    ("US imports from Mexico", "USA", "MEX"),
    ("US imports from Taiwan", "USA", "TWN"),
    ("US imports from all others (not China)", "USA", "others"),
)

#: ICIO cubes exist for 2011–2022; the test needs base − 2 (trend) and base + 4.
ICIO_YEARS = range(2011, 2023)


@dataclass(frozen=True, eq=False)
class ExPostResult:
    """Predicted beside observed log changes of supplier shares, and how well they fit.

    ``statistics``: one row per flow × horizon × end year (slope, correlation, RMSE of the model,
    of "no change" and of the pre-war trend, in log points; mean predicted and observed change;
    ``n`` sectors). ``aggregate``: the same flows summed over goods (one predicted and one
    observed log change each). ``sectors``: the points of the scatter (flow, horizon, year,
    sector, predicted, observed, trend). ``tariffs``: trade-weighted average tariffs before and
    after (fractions, goods, base-year flows). ``layer``: the key of :data:`EXPOST_LAYERS`
    applied. Log points: 0.10 ≈ +10.5 %.
    """

    statistics: pd.DataFrame
    aggregate: pd.DataFrame
    sectors: pd.DataFrame
    tariffs: pd.DataFrame
    base_year: int
    elasticity: str
    notes: tuple[str, ...]
    layer: str = "end-2019"
    solver: dict[str, dict[str, Any]] = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"statistics": self.statistics, "aggregate": self.aggregate, "sectors": self.sectors,
                "tariffs": self.tariffs}

    def diagnostics(self) -> dict[str, Any]:
        return {"converged": all(s["converged"] for s in self.solver.values()),
                "max_residual": max(s["max_residual"] for s in self.solver.values()),
                "by_horizon": self.solver}

    def to_json(self) -> dict[str, Any]:
        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            return [{k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in row.items()}
                    for row in frame.to_dict("records")]

        return {"experiment": "trade-war-2018", "base_year": self.base_year, "elasticity": self.elasticity,
                "layer": self.layer, "statistics": records(self.statistics), "aggregate": records(self.aggregate),
                "tariffs": records(self.tariffs), "notes": list(self.notes), "solver": self.diagnostics()}


def _check_base_year(base_year: int) -> None:
    allowed = [y for y in ICIO_YEARS if y - 2 in ICIO_YEARS and y + 4 in ICIO_YEARS]
    if base_year not in allowed:
        raise UserInputError(
            f"base_year = {base_year!r}; allowed: {allowed[0]} … {allowed[-1]} (the test needs ICIO "
            f"cubes two years before and four years after it; ICIO covers {ICIO_YEARS[0]}–{ICIO_YEARS[-1]})")


def _weighted(tariffs: np.ndarray, flows: np.ndarray, n: int, i: int, goods: np.ndarray) -> float:
    w = flows[n, i] * goods
    return float((tariffs[n, i] * w).sum() / w.sum())


def trade_war_2018(data_dir: str | os.PathLike[str] | None = None, *, base_year: int = 2017,
                   elasticity: str = "IS", horizons: tuple[str, ...] = ("long", "short"),
                   min_flow_musd: float = 200.0, layer: str = "end-2019") -> ExPostResult:
    """Run the ex-post test (see the module docstring).

    Args:
        base_year: the pre-war baseline year (2013–2018; default 2017).
        elasticity: trade-elasticity set of the baseline (``IS``, ``CP``, …).
        horizons: ``long`` (the set's θ) and/or ``short`` (θ × the short-run factor of
            :func:`tradewar.data.with_horizon`).
        min_flow_musd: sectors enter a flow's comparison only where that flow was at least this
            large in the base year (millions of USD): shares of tiny flows are noise.
        layer: the tariff layer applied, a key of :data:`EXPOST_LAYERS` (``end-2019`` or
            ``2025-01-01``).
    """
    check_choice("layer", layer, EXPOST_LAYERS)
    _check_base_year(base_year)
    for horizon in horizons:
        check_choice("horizon", horizon, HORIZONS)
    folder = data_dir or default_data_dir()
    baseline = load_baseline("icio", base_year, elasticity, data_dir=folder)
    economy = baseline.economy
    if layer == "end-2019":
        applied = tariffs_end_2019(economy)
        layer_tariffs, layer_notes = applied.tariffs, applied.notes
    else:
        stand_in = tariffs_in_force_2025(economy, us_tariff_schedule(folder))
        layer_tariffs, layer_notes = stand_in.tariffs, stand_in.notes
    countries = economy.countries
    goods = goods_mask(economy.sectors)
    cubes = {y: read_cube(folder, "icio", y) for y in (base_year - 2, base_year, base_year + 2, base_year + 4)}
    order = [cubes[base_year].countries.index(c) for c in countries]
    observed_flows = {y: np.asarray(c.flows)[np.ix_(order, order)] for y, c in cubes.items()}

    def members(code: str) -> list[int]:
        if code == "others":
            return [k for k, c in enumerate(countries) if c not in ("CHN", "USA")]
        return [countries.index(code)]

    stats, aggregate, points = [], [], []
    solver: dict[str, dict[str, Any]] = {}
    for horizon in horizons:
        eq = solve(with_horizon(baseline, horizon).economy, layer_tariffs)
        solver[horizon] = {"converged": bool(eq.diagnostics.converged), "iterations": int(eq.diagnostics.iterations),
                           "max_residual": float(eq.diagnostics.max_residual)}
        for label, imp, exp in EXPOST_FLOWS:
            n, idx = countries.index(imp), members(exp)
            predicted = log_change(supplier_share(eq.flows, n, idx), supplier_share(economy.flows, n, idx))
            base_obs = supplier_share(observed_flows[base_year], n, idx)
            big = goods & (observed_flows[base_year][n][idx].sum(axis=0) >= min_flow_musd)
            agg_pred = log_change(supplier_share(eq.flows[..., goods].sum(axis=2, keepdims=True), n, idx),
                                  supplier_share(economy.flows[..., goods].sum(axis=2, keepdims=True), n, idx))[0]
            for year in (base_year + 2, base_year + 4):
                observed = log_change(supplier_share(observed_flows[year], n, idx), base_obs)
                trend = log_change(base_obs, supplier_share(observed_flows[base_year - 2], n, idx)) * (year - base_year) / 2
                keep = big & np.isfinite(predicted) & np.isfinite(observed) & np.isfinite(trend)
                fit = fit_statistics(predicted[keep], observed[keep], trend[keep])
                stats.append({"flow": label, "importer": imp, "exporter": exp, "horizon": horizon, "year": year, **fit,
                              "mean_predicted": float(predicted[keep].mean()), "mean_observed": float(observed[keep].mean())})
                goods_obs = {y: observed_flows[y][..., goods].sum(axis=2, keepdims=True) for y in (base_year - 2, base_year, year)}
                agg_obs = log_change(supplier_share(goods_obs[year], n, idx), supplier_share(goods_obs[base_year], n, idx))[0]
                agg_trend = log_change(supplier_share(goods_obs[base_year], n, idx),
                                       supplier_share(goods_obs[base_year - 2], n, idx))[0] * (year - base_year) / 2
                aggregate.append({"flow": label, "importer": imp, "exporter": exp, "horizon": horizon, "year": year,
                                  "share_base": float(supplier_share(goods_obs[base_year], n, idx)[0]),
                                  "predicted": float(agg_pred), "observed": float(agg_obs), "trend": float(agg_trend)})
                for j in np.flatnonzero(keep):
                    points.append({"flow": label, "horizon": horizon, "year": year, "sector": economy.sectors[j],
                                   "predicted": float(predicted[j]), "observed": float(observed[j]),
                                   "trend": float(trend[j])})
    us, cn = countries.index("USA"), countries.index("CHN")
    tariffs = pd.DataFrame([
        {"importer": "USA", "exporter": "CHN", "before": _weighted(economy.tariffs, economy.flows, us, cn, goods),
         "after": _weighted(layer_tariffs, economy.flows, us, cn, goods)},
        {"importer": "CHN", "exporter": "USA", "before": _weighted(economy.tariffs, economy.flows, cn, us, goods),
         "after": _weighted(layer_tariffs, economy.flows, cn, us, goods)},
    ])
    notes = (
        f"baseline: ICIO {base_year}, elasticities {elasticity}, deficits fixed; tariffs ({layer}): "
        f"{EXPOST_LAYERS[layer]}",
        "measure: log change of the supplier's share of the importer's imports of each goods sector "
        "(common shocks to the importer's demand for the sector cancel)",
        f"sectors with a base-year flow below {min_flow_musd:g} million USD are left out of each comparison",
        *layer_notes,
    )
    return ExPostResult(statistics=pd.DataFrame(stats), aggregate=pd.DataFrame(aggregate),
                        sectors=pd.DataFrame(points), tariffs=tariffs, base_year=base_year,
                        elasticity=elasticity, notes=notes, layer=layer, solver=solver)
