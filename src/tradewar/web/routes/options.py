"""``GET /api/health`` and ``GET /api/options``: liveness, load, and every allowed value.

The option lists come from the ``Literal`` types the request models validate with
(:mod:`tradewar.options`), so the page is offered exactly what the API accepts.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ... import __version__
from ...options import (
    DATASETS,
    DEFAULT_YEAR,
    ELASTICITY_SETS,
    REGIONS_NAMES,
    REQUEST_CLOSURES,
    RETALIATIONS,
    YEARS,
)
from .._kinds import JOB_KINDS, job_example
from .._models import HealthOut
from . import ServicesDep

__all__ = ["router"]


def router() -> APIRouter:
    api = APIRouter(tags=["server"])

    @api.get("/api/health", response_model=HealthOut)
    async def health(services: ServicesDep) -> dict[str, Any]:
        """Liveness and load: workers, queue, cache and job counts, limits."""
        return {"status": "ok", "version": __version__, "pool": services.pool.stats(),
                "cache": {**services.cache.stats(), **services.manager.results.stats()}, "jobs": services.manager.stats(),
                "limits": services.settings.limits()}

    @api.get("/api/options")
    async def options() -> dict[str, Any]:
        """Allowed values of every option (what the page's form offers, what the API
        accepts): datasets and their years, elasticity sets (with their sources), region
        mappings, deficit closures, a scenario's retaliation rules, the blocs a scenario may
        name, the job kinds (with a small valid request of each)."""
        from ...data import BLOCS
        from ...report import ELASTICITY_SOURCES

        return {
            "datasets": list(DATASETS),
            "years": {d: list(YEARS[d]) for d in DATASETS},
            "default_year": dict(DEFAULT_YEAR),
            "elasticities": {e: ELASTICITY_SOURCES.get(e, e) for e in ELASTICITY_SETS},
            "regions": list(REGIONS_NAMES),
            "deficits": list(REQUEST_CLOSURES),
            "retaliation": list(RETALIATIONS),
            "blocs": {k: list(v) for k, v in BLOCS.items()},
            "job_kinds": list(JOB_KINDS),
            "job_examples": {k: job_example(k) for k in JOB_KINDS},  # a small valid request each
        }

    return api
