"""Optional elements of the engine beyond Caliendo-Parro (2015), from Ignatenko, Lashkaripour,
Macedoni & Simonovska (2025): scale economies, tariff pass-through, the buyer's share of value
added and tariff revenue replacing an income tax. Checked here once; the equations are in
:mod:`tradewar.model._kernels` (``Params``) and docs/model.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InvalidArrayError, check_choice
from ..options import ILMS_REVENUE
from ._economy import Economy, check_array

__all__ = ["STANDARD", "LabourMarketOptions", "check_model_options"]


@dataclass(frozen=True, eq=False)
class LabourMarketOptions:
    """The optional elements of Ignatenko, Lashkaripour, Macedoni & Simonovska (2025) besides
    elastic labour supply, checked (:func:`check_model_options`); defaults leave the standard
    model. See :class:`tradewar.model.kernels.Params` and docs/model.md for the equations.

    scale_elasticity : psi in [0, 1], costs times L_hat^(-psi) (needs labour_supply > 0).
    passthrough : (N,) phi_n > 0, the importer's tariff pass-through, or None (1: full).
    buyer_share : (N,) nu_n in [0, 1), share of market n's purchases accruing to the buyer,
        or None (0); economies without intermediate inputs only.
    revenue_use : ``lump-sum`` (tariff revenue rebated; default) or ``income-tax`` (it cuts an
        income tax, raising the after-tax wage; matters only with labour_supply > 0).
    """

    scale_elasticity: float = 0.0
    passthrough: np.ndarray | None = None
    buyer_share: np.ndarray | None = None
    revenue_use: str = "lump-sum"

    @property
    def used(self) -> tuple[str, ...]:
        """Names of the elements that differ from the standard model."""
        names = []
        if self.scale_elasticity != 0:
            names.append("scale_elasticity")
        if self.passthrough is not None:
            names.append("passthrough")
        if self.buyer_share is not None:
            names.append("buyer_share")
        if self.revenue_use != "lump-sum":
            names.append("revenue_use")
        return tuple(names)


#: The standard model (no optional element).
STANDARD = LabourMarketOptions()


def check_model_options(economy: Economy, *, scale_elasticity: Any = 0.0, passthrough: Any = None,
                        buyer_share: Any = None, revenue_use: str = "lump-sum") -> LabourMarketOptions:
    """Check the optional elements against ``economy``; InvalidArrayError / UnknownNameError
    naming the option and what is allowed."""
    try:
        psi = float(scale_elasticity)
    except (TypeError, ValueError):
        psi = float("nan")
    if not np.isfinite(psi) or not 0.0 <= psi <= 1.0:
        raise InvalidArrayError(f"scale_elasticity is {scale_elasticity!r}; allowed: a number in [0, 1] (the "
                                "elasticity of productivity to employment; ILMS 2025 use 0.67/4)")
    check_choice("revenue_use", revenue_use, ILMS_REVENUE)
    axes = (("country", economy.countries),)
    n = economy.n_countries
    phi = None
    if passthrough is not None:
        phi = check_array("passthrough", passthrough, (n,), axes, lower=0.0, lower_inclusive=False,
                          allowed="(tariff pass-through of each importer, 1 = full; ILMS 2025: 1.15-1.43)")
        if (phi > 10).any():
            raise InvalidArrayError(f"passthrough[country={economy.countries[int(np.argmax(phi))]}] is {phi.max():g}; "
                                    "allowed: (0, 10]")
    nu = None
    if buyer_share is not None:
        nu = check_array("buyer_share", buyer_share, (n,), axes, lower=0.0,
                         allowed="(share of a market's purchases accruing to the buyer, in [0, 1))")
        if (nu >= 1).any():
            raise InvalidArrayError(f"buyer_share is {nu.max():g} for {economy.countries[int(np.argmax(nu))]}; "
                                    "allowed: [0, 1)")
        if np.abs(economy.input_share).max() > 0 or np.abs(economy.va_share - 1.0).max() > 0:
            raise InvalidArrayError("buyer_share: needs an economy without intermediate inputs (va_share = 1, "
                                    "input_share = 0); allowed for this economy: None")
        flows = economy.flows.sum(axis=2)
        implied = ((1.0 - nu)[:, None] * flows).sum(axis=0) + nu * flows.sum(axis=1)
        va0 = np.asarray(economy.value_added)
        gap = np.abs(implied / va0 - 1.0)
        if gap.max() > 1e-8:
            k = int(np.argmax(gap))
            raise InvalidArrayError(
                f"buyer_share: the baseline value added of {economy.countries[k]} ({va0[k]:.6g} million USD) "
                f"disagrees with the value added the buyer shares imply ({implied[k]:.6g}); allowed: an economy "
                "whose value_added is sum_n (1 - nu_n) M[n,i] + nu_i sum_k M[i,k]")
    return LabourMarketOptions(scale_elasticity=psi, passthrough=phi, buyer_share=nu, revenue_use=revenue_use)
