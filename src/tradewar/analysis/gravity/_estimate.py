"""Gravity estimates from a table of flows: the orchestration around :func:`ppml`.

``estimate_gravity(frame, covariates=[...])`` fits structural gravity by PPML with exporter and
importer fixed effects (Yotov et al. 2016, ch. 1) and returns a :class:`GravityEstimate` whose
``tables()`` is the single source of every output. ``deep_agreement_effect()`` reproduces the
estimate tradewar uses for deep agreements: gegravity's documented example (the 30-country 2006
sample, domestic flows included, covariates lndist, contiguity, common_language, pta,
international), whose published PTA coefficient is 0.4711.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from math import erf, sqrt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...data import default_data_dir
from ...errors import DataSourceError, InvalidArrayError
from ._ppml import PPMLFit, ppml

#: gegravity's example specification (examples/examples_OneSectorGE.py of
#: github.com/USITC-Gravity-Group/gegravity, estimated there with gme's PPML and exporter and
#: importer fixed effects on all flows, domestic ones included).
GEGRAVITY_COVARIATES = ("lndist", "contiguity", "common_language", "pta", "international")
#: The example's published PTA coefficient (and standard error), as printed in that example.
GEGRAVITY_PUBLISHED_PTA = (0.4711383, 0.1076578)
GEGRAVITY_SAMPLE = Path("validation") / "gegravity" / "sample_data_set.dlm"


@dataclass(frozen=True)
class GravityEstimate:
    """A PPML gravity fit with exporter and importer fixed effects.

    ``coefficients``: one row per covariate (``coef``, ``se``, ``z``, ``p_value``; the effect
    on log expected flows); ``n_obs`` observations used (of ``n_input``); ``fit`` the numerical
    result (:class:`PPMLFit`); ``source`` names the data.
    """

    coefficients: pd.DataFrame
    n_obs: int
    n_input: int
    fit: PPMLFit = field(repr=False)
    source: str = ""
    specification: str = ""

    def coef(self, name: str) -> float:
        if name not in self.coefficients.index:
            raise InvalidArrayError(f"gravity estimate: no covariate {name!r}; allowed: {list(self.coefficients.index)}")
        return float(self.coefficients.loc[name, "coef"])

    def tables(self) -> dict[str, pd.DataFrame]:
        """``coefficients`` (covariate, coef, se, z, p_value) and ``fit`` (one row of diagnostics)."""
        return {"coefficients": self.coefficients.reset_index(), "fit": pd.DataFrame([self.diagnostics()])}

    def diagnostics(self) -> dict[str, Any]:
        return {"converged": bool(self.fit.converged), "iterations": int(self.fit.iterations),
                "deviance": float(self.fit.deviance), "n_obs": self.n_obs, "n_input": self.n_input,
                "n_fixed_effects": int(self.fit.n_fixed_effects), "source": self.source,
                "specification": self.specification}

    def to_json(self) -> dict[str, Any]:
        return {"coefficients": self.tables()["coefficients"].to_dict(orient="records"),
                "fit": self.diagnostics()}


def estimate_gravity(frame: pd.DataFrame, covariates: list[str] | tuple[str, ...], *,
                     trade: str = "trade", exporter: str = "exporter", importer: str = "importer",
                     fixed_effects: tuple[str, ...] | None = None, cluster: str | None = "pair",
                     source: str = "") -> GravityEstimate:
    """PPML gravity with fixed effects (default: exporter and importer).

    ``frame`` has one row per flow (trade in any money unit); ``cluster="pair"`` clusters the
    standard errors by exporter–importer pair, ``None`` by observation. Raises
    :class:`InvalidArrayError` naming a missing column.
    """
    fes = fixed_effects or (exporter, importer)
    needed = [trade, *covariates, *fes] + ([exporter, importer] if cluster == "pair" else [])
    missing = [c for c in dict.fromkeys(needed) if c not in frame.columns]
    if missing:
        raise InvalidArrayError(f"gravity data: missing columns {missing}; allowed: the columns {list(frame.columns)}")
    if cluster == "pair":
        groups: np.ndarray | None = (frame[exporter].astype(str) + "|" + frame[importer].astype(str)).to_numpy()
    elif cluster is None:
        groups = None
    else:
        groups = frame[cluster].to_numpy()
    fit = ppml(frame[trade].to_numpy(float), frame[list(covariates)].to_numpy(float),
               [frame[c].to_numpy() for c in fes], cluster=groups)
    z = fit.coef / fit.se
    p = np.array([2.0 * (1.0 - 0.5 * (1.0 + erf(abs(v) / sqrt(2.0)))) for v in z])
    table = pd.DataFrame({"coef": fit.coef, "se": fit.se, "z": z, "p_value": p},
                         index=pd.Index(list(covariates), name="covariate"))
    spec = (f"PPML of {trade} on {', '.join(covariates)} with fixed effects {', '.join(fes)}; "
            f"standard errors clustered by {cluster or 'observation'}")
    return GravityEstimate(coefficients=table, n_obs=int(fit.used.sum()), n_input=len(frame), fit=fit,
                           source=source, specification=spec)


def gegravity_sample(data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """gegravity's sample (30 countries, 2006, domestic flows included; MIT licence) from
    ``<data>/validation/gegravity/sample_data_set.dlm``."""
    path = Path(data_dir) if data_dir is not None else default_data_dir()
    file = path / GEGRAVITY_SAMPLE
    if not file.is_file():
        raise DataSourceError(f"gegravity sample not found at {file}; expected {GEGRAVITY_SAMPLE} in the data directory")
    return pd.read_csv(file)


def deep_agreement_effect(data_dir: str | os.PathLike[str] | None = None) -> GravityEstimate:
    """Our PPML estimate of the trade effect of a preferential trade agreement on gegravity's
    sample with gegravity's example specification (its published PTA coefficient: 0.4711)."""
    return estimate_gravity(gegravity_sample(data_dir), GEGRAVITY_COVARIATES,
                            source="gegravity sample_data_set.dlm (30 countries, 2006)")
