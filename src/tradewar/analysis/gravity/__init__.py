"""Structural gravity estimated by PPML with exporter and importer fixed effects.

Pure estimation code (:mod:`._ppml`) and its results (:class:`GravityEstimate`, with
``tables()``). The deep-agreement trade-cost effect of the scenario language is this package's
estimate on gegravity's sample (tests/analysis/test_gravity.py checks that the constant the
scenario layer uses equals it).
"""

from ._estimate import (
    GEGRAVITY_COVARIATES,
    GEGRAVITY_PUBLISHED_PTA,
    GravityEstimate,
    deep_agreement_effect,
    estimate_gravity,
    gegravity_sample,
)
from ._ppml import PPMLFit, demean, ppml

__all__ = [
    "GEGRAVITY_COVARIATES",
    "GEGRAVITY_PUBLISHED_PTA",
    "GravityEstimate",
    "PPMLFit",
    "deep_agreement_effect",
    "demean",
    "estimate_gravity",
    "gegravity_sample",
    "ppml",
]
