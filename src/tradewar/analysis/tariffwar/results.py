"""Nash tariffs of tariffwar's closed-form system (:class:`ClosedFormNash`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

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

    def to_json(self) -> dict[str, Any]:
        return {
            "converged": bool(self.equilibrium.diagnostics.converged),
            "method": "closed_form_joint",
            "tariffs": {c: float(t) for c, t in zip(self.countries, self.tariffs, strict=True)},
            "welfare_pct": {c: float(w) for c, w in zip(self.countries, self.welfare_pct, strict=True)},
            "mean_tariff": float(self.tariffs.mean()),
            "max_condition_residual": self.max_condition_residual,
            "iterations": self.iterations,
            "seconds": self.seconds,
        }
