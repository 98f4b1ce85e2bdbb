"""The routes of the web app, one router per concern; each module has ``router() -> APIRouter``.

- :mod:`.static`: the page, plotly.js, the page's files and the world geometry;
- :mod:`.options`: health and the allowed option values;
- :mod:`.scenarios`: the built-in scenarios and a baseline's economies and sectors;
- :mod:`.runs`: ``POST /api/run``, the run cache and its downloads, comparisons;
- :mod:`.jobs`: ``POST /api/jobs`` (the registered job kinds), polling and cancelling.

Routes reach the server's state through :func:`services` (``app.state.services``).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from ...run import TaskPool
from .._cache import CachedRun, LRUBytes, RunCache
from .._errors import TaskError
from .._jobs import JobManager
from .._settings import WebSettings

__all__ = ["Services", "ServicesDep", "await_future", "services"]


@dataclass(frozen=True)
class Services:
    """What the routes share: settings, the run layer's pool, the run cache, the job
    registry and two small caches (reports and baseline descriptions)."""

    settings: WebSettings
    pool: TaskPool
    cache: RunCache
    manager: JobManager
    reports: LRUBytes
    baselines: LRUBytes

    def cached_run(self, run_id: str) -> CachedRun:
        run = self.cache.get(run_id)
        if run is None:
            raise TaskError(404, f"run {run_id} not found: results are kept in memory for the "
                                 f"{self.settings.max_runs} most recent runs; run it again")
        return run


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


ServicesDep = Annotated[Services, Depends(services)]


async def await_future(future: Future[Any]) -> Any:
    """Wait for a computation without ever cancelling it: identical requests share one
    future, and a client that goes away must not cancel the others' result."""
    try:
        return await asyncio.shield(asyncio.wrap_future(future))
    except CancelledError:
        raise TaskError(409, "the computation was cancelled") from None
