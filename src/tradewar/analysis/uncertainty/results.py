"""The rows of a sweep and their summaries (:class:`SweepResult`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ...results import json_number as _num

#: Keys of :meth:`SweepResult.to_json` (stable contract).
SWEEP_JSON_KEYS: tuple[str, ...] = ("what", "kind", "baseline", "distribution", "counts",
                                    "summary", "published", "failed", "solver")
#: Columns every row of a sweep has, before its values.
ROW_KEYS: tuple[str, ...] = ("draw", "kind", "elasticity_set", "seed", "converged", "iterations",
                             "error")
#: Columns of ``tables()["summary"]`` after ``value``: the keys of each JSON summary entry.
SUMMARY_KEYS: tuple[str, ...] = ("median", "p05", "p95", "central", "min", "max", "n")
#: Columns of ``tables()["failed"]``: the keys of each ``to_json()["failed"]`` entry.
FAILED_KEYS: tuple[str, ...] = ("draw", "kind", "elasticity_set", "seed", "error")
#: Quantiles of the bands.
BAND = (5.0, 95.0)


@dataclass(frozen=True, eq=False)
class SweepResult:
    """The rows of a sweep (one per draw, failed ones included) and their summaries.

    Attributes
    ----------
    what : str
        The scenario's name, or ``"coalitions"``.
    kind : {"scenario", "coalitions"}
    frame : DataFrame
        One row per draw: :data:`ROW_KEYS`, then ``welfare_pct.<economy>`` (% change in real
        income), ``trade_pct.<A>-><B>`` (% change of A's exports to B, all sectors, producer
        prices) and, for coalitions, ``leverage``, ``coalition_gains`` (1/0),
        ``target_loss_musd``, ``coalition_loss_musd``.
    central_set : str
        The baseline's own elasticity set (its published row is the ``central`` value).
    """

    what: str
    kind: str
    frame: pd.DataFrame
    central_set: str
    info: dict[str, Any]
    distribution: dict[str, Any]
    seconds: float = 0.0
    backend: str = "serial"
    resumed_chunks: int = 0
    chunks: int = 0
    directory: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def value_columns(self) -> list[str]:
        return [c for c in self.frame.columns if c not in ROW_KEYS]

    def failed_draws(self) -> pd.DataFrame:
        """Rows of the draws that failed, with their error."""
        return self.frame.loc[~self.frame["converged"].astype(bool), list(ROW_KEYS)]

    def published(self) -> pd.DataFrame:
        """Values under each published set (rows: set; columns: value columns)."""
        pub = self.frame[self.frame["kind"] == "published"]
        return pub.set_index("elasticity_set")[self.value_columns]

    def summary(self) -> pd.DataFrame:
        """Per value column: median, 5-95 % band, min, max, n (converged draws, published and
        random), and the ``central`` value under the baseline's own set."""
        ok = self.frame[self.frame["converged"].astype(bool)]
        central = self.frame[(self.frame["kind"] == "published")
                             & (self.frame["elasticity_set"] == self.central_set)]
        rows = {}
        for col in self.value_columns:
            x = ok[col].to_numpy(dtype=np.float64)
            x = x[~np.isnan(x)]
            c = float(central[col].iloc[0]) if len(central) else math.nan
            if len(x):
                lo, med, hi = np.percentile(x, [BAND[0], 50.0, BAND[1]])
                rows[col] = {"median": med, "p05": lo, "p95": hi, "min": x.min(), "max": x.max(),
                             "n": len(x), "central": c}
            else:
                rows[col] = {"median": math.nan, "p05": math.nan, "p95": math.nan, "min": math.nan,
                             "max": math.nan, "n": 0, "central": c}
        return pd.DataFrame.from_dict(rows, orient="index")

    # ---- the result contract (tradewar.results.Result) ----
    def tables(self) -> dict[str, pd.DataFrame]:
        """The single source of the numbers (:class:`tradewar.results.Result`): ``draws`` (one
        row per draw, :attr:`frame`), ``summary`` (one row per value column: ``value``, then
        :data:`SUMMARY_KEYS`), ``published`` (one row per published set: ``elasticity_set``,
        then the value columns), ``failed`` (the failed draws: :data:`FAILED_KEYS`)."""
        summary = self.summary()[list(SUMMARY_KEYS)].rename_axis("value").reset_index()
        return {"draws": self.frame.copy(), "summary": summary,
                "published": self.published().reset_index(),
                "failed": self.failed_draws()[list(FAILED_KEYS)].reset_index(drop=True)}

    def diagnostics(self) -> dict[str, Any]:
        """Draws run and failed, chunks, backend, checkpoint, seconds."""
        failed = int((~self.frame["converged"].astype(bool)).sum())
        return {"converged": failed == 0, "draws": len(self.frame), "failed": failed,
                "iterations": int(self.frame["iterations"].max()) if len(self.frame) else 0,
                "chunks": self.chunks, "resumed_chunks": self.resumed_chunks,
                "backend": self.backend, "checkpoint": self.directory, "seconds": self.seconds}

    def to_json(self) -> dict[str, Any]:
        """Plain JSON with keys :data:`SWEEP_JSON_KEYS` (NaN and inf as null), derived from
        :meth:`tables`."""
        tables = self.tables()
        grouped: dict[str, dict[str, Any]] = {}
        for row in tables["summary"].to_dict("records"):
            group, _, name = str(row["value"]).partition(".")
            entry = {k: (int(row[k]) if k == "n" else _num(row[k])) for k in SUMMARY_KEYS}
            if name:
                grouped.setdefault(group, {})[name] = entry
            else:
                grouped[group] = entry
        published: dict[str, dict[str, Any]] = {}
        for row in tables["published"].to_dict("records"):
            name = str(row.pop("elasticity_set"))
            published[name] = {str(k): _num(v) for k, v in row.items()}
        failed = tables["failed"]
        kinds = self.frame["kind"].value_counts()
        return {
            "what": self.what,
            "kind": self.kind,
            "baseline": dict(self.info),
            "distribution": dict(self.distribution),
            "counts": {"published": int(kinds.get("published", 0)), "random": int(kinds.get("random", 0)),
                       "total": len(self.frame), "failed": len(failed)},
            "summary": grouped,
            "published": published,
            "failed": [{"draw": int(r.draw), "kind": r.kind, "elasticity_set": r.elasticity_set,
                        "seed": int(r.seed), "error": r.error} for r in failed.itertuples()],
            "solver": {"seconds": self.seconds, "backend": self.backend, "chunks": self.chunks,
                       "resumed_chunks": self.resumed_chunks, "checkpoint": self.directory},
            "notes": list(self.notes),
        }
