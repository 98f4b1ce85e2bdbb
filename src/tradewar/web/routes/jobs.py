"""Jobs: ``POST /api/jobs`` starts one of the registered kinds (:mod:`tradewar.web._kinds`),
``GET`` polls it, ``DELETE`` cancels it. The request body is the union of the kinds
registered when the router is built, so a new kind needs no change here."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Body
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse

from .._errors import TaskError
from .._kinds import job_request_model
from .._models import NOT_FOUND, JobOut, responses
from . import ServicesDep

__all__ = ["JOB_ID_PATTERN", "router"]

JOB_ID_PATTERN = "^[0-9a-f]{32}$"
JobId = Annotated[str, PathParam(pattern=JOB_ID_PATTERN, description="A job id (32 hex digits).")]


def router() -> APIRouter:
    api = APIRouter(tags=["jobs"])

    async def submit(body: Any, services: ServicesDep) -> JSONResponse:
        """Start a job (``kind``: one of the registered kinds, e.g. ``scenario`` or
        ``compare``); poll ``GET /api/jobs/{id}`` for its progress and result."""
        job = services.manager.submit(body)
        return JSONResponse(job.to_json(), status_code=202,
                            headers={"Location": f"/api/jobs/{job.id}"})

    # the body's type is the union of the kinds registered now (not a module-level name)
    submit.__annotations__["body"] = Annotated[job_request_model(), Body()]
    api.post("/api/jobs", status_code=202, response_model=JobOut,
             responses=responses(400, 413, 422, 429))(submit)

    @api.get("/api/jobs/{job_id}", response_model=JobOut, responses=NOT_FOUND)
    async def job_status(job_id: JobId, services: ServicesDep) -> dict[str, Any]:
        """A job's status, progress and, once done, its result (or error). An id of a job
        that was lost when the server stopped is answered 404 saying so."""
        job = services.manager.get(job_id)
        if job is None:
            raise TaskError(404, services.manager.missing(job_id))
        return job.to_json()

    @api.delete("/api/jobs/{job_id}", response_model=JobOut, responses=NOT_FOUND)
    async def job_cancel(job_id: JobId, services: ServicesDep) -> dict[str, Any]:
        """Cancel a job (a running one is stopped)."""
        job = services.manager.cancel(job_id)
        if job is None:
            raise TaskError(404, services.manager.missing(job_id))
        await asyncio.sleep(0)
        return job.to_json()

    return api
