"""The built-in scenarios, and what a baseline offers a scenario (its economies and sectors)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi import Path as PathParam

from ...scenario import builtin_names
from .._assets import first_sentence
from .._cache import BuiltinName, RunOptions, resolve_spec
from .._models import BaselineOut, ScenarioInfo, responses
from .._work import baseline_info_task
from . import ServicesDep, await_future

__all__ = ["router"]


def router() -> APIRouter:
    api = APIRouter(tags=["scenarios"])

    @api.get("/api/scenarios", response_model=list[ScenarioInfo])
    async def scenarios() -> list[dict[str, Any]]:
        """The built-in scenarios."""
        out = []
        for name in builtin_names():
            s = resolve_spec(name)
            out.append({"name": name, "title": first_sentence(s.description),
                        "description": " ".join(s.description.split()),
                        "sources": list(s.sources), "steps": max(1, len(s.step)),
                        "retaliation": s.retaliation})
        return out

    @api.get("/api/scenarios/{name}")
    async def scenario(name: Annotated[BuiltinName, PathParam()]) -> dict[str, Any]:
        """A built-in scenario as JSON (the same keys as its TOML file)."""
        return resolve_spec(name).model_dump(mode="json", exclude_defaults=True)

    @api.get("/api/baseline", response_model=BaselineOut, responses=responses(422, 429, 504))
    async def baseline(options: Annotated[RunOptions, Query()], services: ServicesDep) -> Any:
        """Economies and sectors of a baseline (what a scenario may name)."""
        key = json.dumps(options.canonical(), sort_keys=True)
        info = services.baselines.get(key)
        if info is None:
            info = await await_future(services.manager.compute(baseline_info_task, options))
            services.baselines.put(key, info, 1000)
        return info

    return api
