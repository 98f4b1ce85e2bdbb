"""Runs: ``POST /api/run``, the run cache and its downloads (JSON, CSV, HTML, map), and
comparisons of several cached runs."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import Field

from .._assets import filename, map_universe
from .._cache import RUN_ID_PATTERN, CachedRun
from .._errors import TaskError
from .._kinds import RunRequest
from .._models import NOT_FOUND, MapOut, RunOut, RunSummary, SummaryOut, responses
from .._work import render_report_task
from . import Services, ServicesDep, await_future

__all__ = ["CSV_TABLES", "router"]

RunId = Annotated[str, PathParam(pattern=RUN_ID_PATTERN, description="A run id (32 hex digits).")]
RunIds = Annotated[list[Annotated[str, Field(pattern=RUN_ID_PATTERN)]],
                   Query(min_length=2, max_length=8, description="2 to 8 run ids.")]
#: The tables of a run (``ScenarioResult.tables()``, the CSV files of ``tradewar run --csv``).
CsvTable = Literal["countries", "bilateral", "sectors", "steps"]
CSV_TABLES: tuple[str, ...] = ("countries", "bilateral", "sectors", "steps")


def _compare_csv(runs: list[CachedRun]) -> str:
    """Welfare (%) by economy (rows) and run (columns)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["country", *(r.scenario for r in runs)])
    countries = list(dict.fromkeys(c for r in runs for c in r.data["countries"]))
    for code in countries:
        writer.writerow([code, *(r.data["countries"].get(code, {}).get("welfare_pct")
                                 for r in runs)])
    return buffer.getvalue()


async def _report(services: Services, found: list[CachedRun], name: str) -> Response:
    from ...report.html import CSP

    key = ",".join(r.run_id for r in found)
    body = services.reports.get(key)
    if body is None:
        body = await await_future(services.manager.compute(
            render_report_task, (found, services.settings.data_dir)))
        services.reports.put(key, body, len(body))
    return Response(body, media_type="text/html", headers={
        "Content-Security-Policy": CSP,
        "Content-Disposition": f'inline; filename="{filename(name)}.html"'})


def router() -> APIRouter:
    api = APIRouter(tags=["runs"])

    @api.post("/api/run", response_model=None,
              responses={200: {"model": RunOut, "description": "The run's JSON "
                               "(docs/json-contract.md); header X-Run-Id gives its id."},
                         **responses(400, 413, 422, 429, 503, 504)})
    async def run(request: RunRequest, services: ServicesDep) -> Response:
        """Run a scenario (built-in name or inline object) and return its JSON, the same as
        ``tradewar run NAME --json``. Results are cached by the hash of scenario and options."""
        future = services.manager.solve(request)
        hit = future.done()
        found = await await_future(future)
        return Response(found.body, media_type="application/json",
                        headers={"X-Run-Id": found.run_id, "X-Cache": "hit" if hit else "miss",
                                 "Location": f"/api/runs/{found.run_id}.json"})

    @api.get("/api/runs", response_model=list[RunSummary])
    async def runs(services: ServicesDep) -> list[dict[str, Any]]:
        """The runs in the cache, most recent first."""
        return [r.summary() for r in reversed(services.cache.values())]

    @api.get("/api/runs/{run_id}.json", response_model=None,
             responses={200: {"model": RunOut}, **NOT_FOUND})
    async def run_json(run_id: RunId, services: ServicesDep) -> Response:
        """A run's JSON (as ``POST /api/run`` returned it)."""
        found = services.cached_run(run_id)
        return Response(found.body, media_type="application/json", headers={
            "Content-Disposition": f'inline; filename="{filename(found.scenario)}.json"'})

    @api.get("/api/runs/{run_id}.csv", response_model=None,
             responses={200: {"content": {"text/csv": {}}}, **NOT_FOUND})
    async def run_csv(run_id: RunId, services: ServicesDep,
                      table: CsvTable = "countries") -> Response:
        """One table of a run as CSV: the same file as ``tradewar run --csv`` writes (both
        are ``ScenarioResult.tables()``)."""
        found = services.cached_run(run_id)
        text = found.csv.get(table)
        if text is None:  # pragma: no cover - every run carries its tables
            raise TaskError(500, f"internal error (the run has no table {table!r})")
        return Response(text, media_type="text/csv", headers={
            "Content-Disposition":
                f'attachment; filename="{filename(found.scenario)}-{table}.csv"'})

    @api.get("/api/runs/{run_id}.html", response_model=None,
             responses={200: {"content": {"text/html": {}}}, **NOT_FOUND,
                        **responses(429, 503, 504)})
    async def run_html(run_id: RunId, services: ServicesDep) -> Response:
        """The offline HTML report of a run (``tradewar run --report``)."""
        found = services.cached_run(run_id)
        return await _report(services, [found], found.scenario)

    @api.get("/api/runs/{run_id}/summary", response_model=SummaryOut,
             responses={**NOT_FOUND, **responses(422)})
    async def run_summary(run_id: RunId, services: ServicesDep) -> dict[str, Any]:
        """What the run's summary states, as the HTML report's (``tradewar.report.summary_facts``):
        who loses most, who gains most, US-China trade both ways, the horizon."""
        from ...errors import UserInputError
        from ...report import summary_facts

        found = services.cached_run(run_id)
        try:
            return dataclasses.asdict(summary_facts(found.data))
        except UserInputError as exc:
            raise TaskError(422, str(exc)) from None

    @api.get("/api/runs/{run_id}/map", response_model=MapOut,
             responses={**NOT_FOUND, **responses(503)})
    async def run_map(run_id: RunId, services: ServicesDep) -> dict[str, Any]:
        """The economies of the world map coloured by each entry of the run (regions such as
        EU27 or ROW colour every member)."""
        from ...report import map_assignment

        found = services.cached_run(run_id)
        universe = await asyncio.to_thread(map_universe, services.settings.data_dir)
        assignment = map_assignment(found.data, universe)
        return {"locations": list(assignment), "keys": list(assignment.values())}

    @api.get("/api/compare.json", response_model=None,
             responses={200: {"model": list[RunOut]}, **NOT_FOUND})
    async def compare_json(runs: RunIds, services: ServicesDep) -> Response:
        """Several runs' JSON as a list (``tradewar compare --json``)."""
        found = [services.cached_run(r) for r in runs]
        return Response(b"[" + b",".join(r.body for r in found) + b"]",
                        media_type="application/json")

    @api.get("/api/compare.csv", response_model=None,
             responses={200: {"content": {"text/csv": {}}}, **NOT_FOUND})
    async def compare_csv(runs: RunIds, services: ServicesDep) -> Response:
        """Welfare (%) by economy (rows) and run (columns)."""
        found = [services.cached_run(r) for r in runs]
        return Response(_compare_csv(found), media_type="text/csv", headers={
            "Content-Disposition": 'attachment; filename="comparison.csv"'})

    @api.get("/api/compare.html", response_model=None,
             responses={200: {"content": {"text/html": {}}}, **NOT_FOUND,
                        **responses(429, 503, 504)})
    async def compare_html(runs: RunIds, services: ServicesDep) -> Response:
        """One HTML report comparing several runs (``tradewar compare --report``)."""
        found = [services.cached_run(r) for r in runs]
        return await _report(services, found, "comparison")

    return api
