"""Where analyses start: the economy at the tariffs in force (or the data's), rebuilt for
other trade elasticities (shared by coalitions, the escalation game and sweeps)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal, cast

import numpy as np

from ..errors import check_choice
from ..model import Economy, economy_after, solve


@dataclass(frozen=True, eq=False)
class StartPoint:
    """Where analyses start: the economy at the tariffs in force (or the data's), and how to
    rebuild it for other trade elasticities (only a ``counterfactual`` start depends on them).

    ``raw`` is the data economy for a ``counterfactual`` start (reached by one solve)."""

    economy: Economy
    method: str
    text: str
    raw: Economy | None = None

    def at(self, theta: np.ndarray) -> Economy:
        """The starting economy with trade elasticities ``theta`` (J,)."""
        theta = np.asarray(theta, dtype=np.float64)
        if self.method == "counterfactual":
            assert self.raw is not None
            raw = dataclasses.replace(self.raw, theta=theta)
            return economy_after(solve(raw, self.economy.tariffs, deficits="fixed"))
        return dataclasses.replace(self.economy, theta=theta)


def start_point(baseline: Any, start: str = "in-force-2025", data_dir: Any = None) -> StartPoint:
    """The starting point of :func:`tradewar.scenario.compile_tariffs` for ``start``."""
    from ..scenario import Scenario, TariffAction, compile_tariffs

    check_choice("start", start, ("in-force-2025", "baseline"))
    economy: Economy = baseline.economy
    a, b = economy.countries[:2]
    probe = Scenario(name="start", start=cast(Literal["in-force-2025", "baseline"], start),
                     tariff=[TariffAction(importer=a, exporter=b, sectors="all", add=0.0)])
    compiled = compile_tariffs(probe, baseline, data_dir=data_dir)
    raw = economy if compiled.start_method == "counterfactual" else None
    return StartPoint(compiled.start_economy, compiled.start_method, compiled.starting_tariffs, raw)
