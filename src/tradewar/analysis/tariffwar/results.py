"""Nash tariffs of tariffwar's closed-form system (:class:`ClosedFormNash`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...model import Equilibrium


@dataclass(frozen=True)
class ClosedFormNash:
    """Nash tariffs of the closed-form system (tariffwar's definition).

    ``tariffs`` (N,) uniform tariff of each country (fraction); ``equilibrium`` at those
    tariffs relative to the purged economy; ``welfare_pct`` (N,); ``max_condition_residual``:
    largest |t - 1/max(eps_bar, 1)|; ``iterations``; ``seconds`` (purge included).
    """

    countries: tuple[str, ...]
    tariffs: np.ndarray
    equilibrium: Equilibrium
    max_condition_residual: float
    iterations: int
    seconds: float

    @property
    def welfare_pct(self) -> np.ndarray:
        return self.equilibrium.welfare_pct

    # ---- the result contract (tradewar.results.Result) ----
    def tables(self) -> dict[str, pd.DataFrame]:
        """``countries``: ``country, tariff`` (Nash uniform tariff, fraction), ``welfare_pct``."""
        return {"countries": pd.DataFrame({"country": list(self.countries),
                                           "tariff": np.asarray(self.tariffs, dtype=np.float64),
                                           "welfare_pct": np.asarray(self.welfare_pct, dtype=np.float64)})}

    def diagnostics(self) -> dict[str, Any]:
        """Converged, the largest residual of the Nash condition, iterations, seconds."""
        return {"converged": bool(self.equilibrium.diagnostics.converged),
                "max_condition_residual": self.max_condition_residual,
                "iterations": self.iterations, "seconds": self.seconds}

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (tariffs as fractions, welfare in percent), derived from :meth:`tables`."""
        rows = self.tables()["countries"]
        return {
            "converged": bool(self.equilibrium.diagnostics.converged),
            "method": "closed_form_joint",
            "tariffs": {c: float(t) for c, t in zip(rows["country"], rows["tariff"], strict=True)},
            "welfare_pct": {c: float(w) for c, w in zip(rows["country"], rows["welfare_pct"], strict=True)},
            "mean_tariff": float(self.tariffs.mean()),
            "max_condition_residual": self.max_condition_residual,
            "iterations": self.iterations,
            "seconds": self.seconds,
        }
