"""Pure functions of the ex-post test: supplier shares, log changes and fit statistics.

Measure (why shares): the literature on the 2018–19 war compares how a supplier's share of an
importer's purchases of a product moved (Fajgelbaum, Goldberg, Kennedy & Khandelwal 2020;
Amiti, Redding & Weinstein 2019; Freund, Mattoo, Mulabdic & Ruta 2024). A share divides by the
importer's total imports of the same sector, so whatever moved all suppliers of that sector
together — US demand for electronics, the 2020 slump, the dollar, prices common to all
sources — cancels; what is left is substitution between suppliers, which is what a tariff on one
supplier does in the model. All arrays ``[importer, exporter, sector]``, money in millions of USD.
"""

from __future__ import annotations

import numpy as np

__all__ = ["fit_statistics", "log_change", "supplier_share"]


def supplier_share(flows: np.ndarray, importer: int, exporters: list[int]) -> np.ndarray:
    """Share of ``exporters`` (summed) in ``importer``'s imports (domestic sales excluded),
    by sector, (J,); NaN where the importer imports nothing of a sector."""
    imports = np.array(flows[importer], dtype=np.float64)      # (exporter, sector)
    imports[importer] = 0.0
    total = imports.sum(axis=0)
    part = imports[exporters].sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, part / np.where(total > 0, total, 1.0), np.nan)


def log_change(new: np.ndarray, old: np.ndarray) -> np.ndarray:
    """log(new / old) where both are positive, NaN elsewhere."""
    ok = (new > 0) & (old > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, np.log(np.where(ok, new, 1.0) / np.where(ok, old, 1.0)), np.nan)


def fit_statistics(predicted: np.ndarray, observed: np.ndarray, trend: np.ndarray) -> dict[str, float]:
    """How well ``predicted`` log changes match ``observed`` ones across sectors.

    ``slope`` of the OLS fit observed = a + b · predicted (1 = the right size of response),
    ``correlation``; ``rmse_model``, ``rmse_no_change`` (the naive forecast 0) and
    ``rmse_trend`` (the pre-war trend carried forward), all in log points; ``n`` sectors.
    Needs at least 3 sectors with finite values in all three arrays (else NaN statistics).
    """
    p, o, t = (np.asarray(a, dtype=np.float64) for a in (predicted, observed, trend))
    ok = np.isfinite(p) & np.isfinite(o) & np.isfinite(t)
    p, o, t = p[ok], o[ok], t[ok]
    n = int(ok.sum())
    nan = float("nan")
    if n < 3 or np.ptp(p) == 0:
        return {"n": n, "slope": nan, "correlation": nan, "rmse_model": nan, "rmse_no_change": nan,
                "rmse_trend": nan}
    slope = float(np.cov(p, o, bias=True)[0, 1] / np.var(p))
    return {
        "n": n,
        "slope": slope,
        "correlation": float(np.corrcoef(p, o)[0, 1]),
        "rmse_model": float(np.sqrt(np.mean((o - p) ** 2))),
        "rmse_no_change": float(np.sqrt(np.mean(o ** 2))),
        "rmse_trend": float(np.sqrt(np.mean((o - t) ** 2))),
    }
