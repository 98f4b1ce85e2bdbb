"""The result of an optimal-tariff problem (:class:`OptimalTariffResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ...model import Equilibrium


@dataclass(frozen=True, eq=False)
class OptimalTariffResult:
    """A country's optimal import tariffs given everyone else's.

    Attributes
    ----------
    country : str
    by : str
        Parameterisation (``uniform``, ``partner``, ``sector``, ``partner_sector``).
    tariffs : pandas.Series
        The optimal parameter values (fractions), labelled by ``tariff`` ("all"),
        ``partner``, ``sector`` or (``partner``, ``sector``).
    tariff_array : array (N, N, J)
        Every tariff at the optimum (``[importer, exporter, sector]``, fractions).
    welfare_pct : pandas.Series
        Every country's welfare at the optimum vs the economy (percent change in real income;
        with ``deficits="zero"``, vs the economy with deficits purged, Caliendo-Parro's
        first step).
    gradient : pandas.Series
        ``d log(real income of country) / d parameter`` at the optimum (per unit of fraction).
    foc : pandas.Series
        Projected gradient: 0 in the interior at an optimum, 0 at a bound when the gradient
        points outwards; ``max_foc`` is its largest absolute value.
    objective : float
        Log change in the country's real income at the optimum.
    iterations, evaluations : int
        L-BFGS-B iterations, and equilibrium solves with gradients.
    seconds : float
    converged : bool
        ``max_foc <= tol``.
    bounds : (float, float)
    equilibrium : Equilibrium
        The equilibrium at the optimum.
    trace : tuple of dict
        One entry per evaluation: ``x`` (list), ``objective``, ``max_foc``.
    """

    country: str
    by: str
    tariffs: pd.Series
    tariff_array: np.ndarray
    welfare_pct: pd.Series
    gradient: pd.Series
    foc: pd.Series
    max_foc: float
    objective: float
    iterations: int
    evaluations: int
    seconds: float
    converged: bool
    bounds: tuple[float, float]
    equilibrium: Equilibrium = field(repr=False)
    trace: tuple[dict[str, Any], ...] = field(default=(), repr=False)

    @property
    def welfare_gain_pct(self) -> float:
        """The optimising country's own welfare change vs the economy (percent)."""
        return float(self.welfare_pct[self.country])

    # ---- the result contract (tradewar.results.Result) ----
    def tables(self) -> dict[str, pd.DataFrame]:
        """The single source of the numbers (:class:`tradewar.results.Result`).

        ``tariffs``: one row per optimised parameter, ``partner, sector`` (``"all"`` where the
        parameter spans every partner or sector), ``tariff`` (fraction), ``gradient``, ``foc``;
        ``welfare``: ``country, welfare_pct`` (% change in real income)."""
        index = self.tariffs.index
        if isinstance(index, pd.MultiIndex):
            partner, sector = (list(map(str, index.get_level_values(k))) for k in (0, 1))
        else:
            labels = [str(k) for k in index]
            partner = labels if index.name == "partner" else ["all"] * len(labels)
            sector = labels if index.name == "sector" else ["all"] * len(labels)
        tariffs = pd.DataFrame({"partner": partner, "sector": sector,
                                "tariff": self.tariffs.to_numpy(dtype=np.float64),
                                "gradient": self.gradient.to_numpy(dtype=np.float64),
                                "foc": self.foc.to_numpy(dtype=np.float64)})
        welfare = pd.DataFrame({"country": [str(k) for k in self.welfare_pct.index],
                                "welfare_pct": self.welfare_pct.to_numpy(dtype=np.float64)})
        return {"tariffs": tariffs, "welfare": welfare}

    def diagnostics(self) -> dict[str, Any]:
        """First-order conditions, iterations, evaluations, seconds, the closure."""
        return {"converged": bool(self.converged), "max_foc": float(self.max_foc),
                "iterations": int(self.iterations), "evaluations": int(self.evaluations),
                "seconds": float(self.seconds), "closure": self.equilibrium.closure}

    def to_json(self) -> dict[str, Any]:
        """Plain-JSON summary (tariffs as fractions, welfare in percent), derived from
        :meth:`tables`: ``tariffs`` is ``{label: t}`` (``{"all": t}`` for ``uniform``) or
        ``{partner: {sector: t}}`` for ``partner_sector``."""
        tables = self.tables()
        rows = tables["tariffs"]
        tariffs: dict[str, Any] = {}
        for partner, sector, value in zip(rows["partner"], rows["sector"], rows["tariff"], strict=True):
            if self.by == "partner_sector":
                tariffs.setdefault(partner, {})[sector] = float(value)
            else:
                tariffs[sector if self.by == "sector" else partner] = float(value)
        welfare = tables["welfare"]
        return {
            "country": self.country,
            "by": self.by,
            "converged": bool(self.converged),
            "tariffs": tariffs,
            "welfare_pct": {k: float(v) for k, v in zip(welfare["country"], welfare["welfare_pct"], strict=True)},
            "max_foc": float(self.max_foc),
            "iterations": int(self.iterations),
            "evaluations": int(self.evaluations),
            "seconds": float(self.seconds),
            "bounds": [float(b) for b in self.bounds],
            "closure": self.equilibrium.closure,
        }
