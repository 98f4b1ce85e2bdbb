"""The web app: a JSON API (with its OpenAPI schema at ``/openapi.json``) and a page using it.

``create_app()`` builds a FastAPI application; ``tradewar serve`` runs it with uvicorn on
127.0.0.1. Everything the page needs is served from here — plotly.js from the installed plotly
package, the world geometry from the data directory — so nothing is fetched from elsewhere.

Safety (docs/web.md): requests are validated by the scenario schema of TOML files (422 with
field-level messages); bodies above ``max_body_bytes`` are refused (413); the ``Host`` header
must name this machine (no DNS rebinding); computations run on the run layer's bounded
:class:`~tradewar.run.TaskPool` (local worker processes, or a Dask cluster) with a time limit
(504) and a bounded queue (429 with ``Retry-After``); a client names a scenario only by
built-in name or as an inline object and regions only as ``g14`` or ``blocs``, never a path;
every error is JSON without server paths or tracebacks.

Layout: settings (:mod:`._settings`), the guard (:mod:`._guard`), errors (:mod:`._errors`),
response models (:mod:`._models`), the run cache (:mod:`._cache`), job kinds
(:mod:`._kinds`), the job registry (:mod:`._jobs`), the worker side (:mod:`._work`) and one
router per concern (:mod:`.routes`).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from typing import Any

from fastapi import FastAPI

from .. import __version__
from ..run import TaskPool
from . import (
    _kind_coalitions,  # noqa: F401  (registers the job kind 'coalitions')
    _kind_escalation,  # noqa: F401  (registers the job kind 'escalation')
    _kind_exposure,  # noqa: F401  (registers the job kind 'exposure')
    _kind_talks,  # noqa: F401  (registers the job kind 'talks')
    _kind_tariffs,  # noqa: F401  (registers the job kind 'tariffs')
    _kind_timeline,  # noqa: F401  (registers the job kind 'timeline')
    _kind_uncertainty,  # noqa: F401  (registers the job kind 'uncertainty')
)
from ._cache import LRUBytes, RunCache
from ._epochs import Instances
from ._errors import field_errors, install
from ._guard import Guard
from ._jobs import JobManager
from ._kinds import JOB_KINDS
from ._settings import LOOPBACK_HOSTS, WebSettings
from .routes import Services, jobs, options, runs, scenarios, static

__all__ = ["LOOPBACK_HOSTS", "WebSettings", "create_app", "field_errors"]

#: Modules a local worker imports before it takes work (time limits then count work only).
PRELOAD = ("tradewar.scenario",)


def create_app(settings: WebSettings | None = None, **overrides: Any) -> FastAPI:
    """The FastAPI application (``settings`` or keyword overrides of :class:`WebSettings`).

    Its computations run on a :class:`~tradewar.run.TaskPool` (started with the app's
    lifespan or at the first computation, stopped with it); ``app.state.manager`` is the
    :class:`~tradewar.web._jobs.JobManager`, ``app.state.services`` what the routes share.
    """
    settings = WebSettings(**{**(asdict(settings) if settings else {}), **overrides})
    pool = TaskPool(settings.workers, settings.max_queue, scheduler=settings.scheduler,
                    preload=PRELOAD)
    cache = RunCache(settings.max_runs, settings.max_cache_bytes)
    manager = JobManager(pool, cache, data_dir=settings.data_dir,
                         run_time_limit=settings.run_time_limit,
                         job_time_limit=settings.job_time_limit, max_jobs=settings.max_jobs,
                         instances=Instances(settings.state_dir))
    services = Services(settings, pool, cache, manager,
                        reports=LRUBytes(max_entries=4, max_bytes=64 * 2**20),
                        baselines=LRUBytes(max_entries=32, max_bytes=32 * 2**20))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool.start()
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(
        title="tradewar",
        version=__version__,
        description="Simulate trade wars on real data: run scenarios of a general-equilibrium "
                    "model of the world economy (Caliendo-Parro 2015). See docs/web.md.",
        docs_url=None, redoc_url=None,  # their pages load scripts from a CDN
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.manager = manager
    app.state.services = services
    app.add_middleware(Guard, max_bytes=settings.max_body_bytes,
                       allowed_hosts=settings.allowed_hosts)
    install(app, settings.data_dir, JOB_KINDS)
    for module in (static, options, scenarios, runs, jobs):
        app.include_router(module.router())
    static.mount(app)
    app.state.started = time.time()
    return app
