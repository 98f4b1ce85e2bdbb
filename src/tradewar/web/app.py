"""The web app: a JSON API (with its OpenAPI schema at ``/openapi.json``) and a page using it.

``create_app()`` builds a FastAPI application; ``tradewar serve`` runs it with uvicorn on
127.0.0.1. Everything the page needs is served from here — plotly.js from the installed plotly
package, the world geometry from the data directory — so nothing is fetched from elsewhere.

Safety (docs/web.md): requests are validated by the scenario schema of TOML files (422 with
field-level messages); bodies above ``max_body_bytes`` are refused (413); the ``Host`` header
must name this machine (no DNS rebinding); computations run in a bounded pool of worker
processes with a time limit (504) and a bounded queue (429 with ``Retry-After``); a client
names a scenario only by built-in name or as an inline object and regions only as ``g14`` or
``blocs``, never a path.
"""

from __future__ import annotations

import asyncio
import csv
import functools
import gzip
import io
import json
import operator
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import CancelledError, Future
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Body, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from .. import __version__
from ..data._blocs import BLOCS
from ..options import DATASETS, DEFAULT_YEAR, ELASTICITY_SETS, YEARS
from ..scenario import Scenario, builtin_names
from ..scenario._schema import describe_error
from ._cache import (
    RUN_ID_PATTERN,
    BuiltinName,
    CachedRun,
    LRUBytes,
    RunCache,
    RunOptions,
    resolve_spec,
)
from ._jobs import (
    JOB_KINDS,
    JobManager,
    RunRequest,
    TaskError,
    WorkerPool,
    baseline_info_task,
    render_report_task,
)

__all__ = ["WebSettings", "create_app"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
JOB_ID_PATTERN = "^[0-9a-f]{32}$"

#: The page's Content-Security-Policy: scripts, styles, data and the map only from this server.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class WebSettings:
    """Limits and locations of the web app (defaults: what ``tradewar serve`` uses).

    Attributes:
        data_dir: the data directory (default: the project's, see ``tradewar data``).
        workers: worker processes, i.e. computations at once.
        max_queue: computations that may wait; beyond that 429 with ``Retry-After``.
        run_time_limit: seconds for one ``POST /api/run`` computation or report (then 504).
        job_time_limit: seconds for one job (then the job fails with status 504).
        max_body_bytes: largest request body (then 413).
        max_runs, max_cache_bytes: the run cache (least recently used out first).
        max_jobs: job records kept (finished ones are forgotten oldest first).
        allowed_hosts: ``Host`` header values accepted (``"*"``: any).
    """

    data_dir: str | None = None
    workers: int = 2
    max_queue: int = 32
    run_time_limit: float = 60.0
    job_time_limit: float = 600.0
    max_body_bytes: int = 64 * 1024
    max_runs: int = 256
    max_cache_bytes: int = 256 * 2**20
    max_jobs: int = 500
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS

    def limits(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k not in ("data_dir", "allowed_hosts")}


# ---------------------------------------------------------------------------------------------
# response models (documentation of the JSON contract, docs/json-contract.md)
# ---------------------------------------------------------------------------------------------
class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorOut(BaseModel):
    detail: str | list[FieldError]


class CountryResult(BaseModel):
    welfare_pct: float | None = None
    real_wage_pct: float | None = None
    exports_pct: float | None = None
    imports_pct: float | None = None
    tariff_revenue_musd: float | None = None
    real_income_change_musd: float | None = None
    welfare_decomposition_pct: float | None = None
    terms_of_trade_pct: float | None = None
    volume_of_trade_pct: float | None = None
    price_index_pct: float | None = None


class BilateralRow(BaseModel):
    exporter: str
    importer: str
    before_musd: float | None
    after_musd: float | None
    change_pct: float | None


class SectorRow(BaseModel):
    country: str
    sector: str
    output_before_musd: float | None
    output_after_musd: float | None
    output_pct: float | None
    exports_before_musd: float | None
    exports_after_musd: float | None
    exports_pct: float | None


class SolverInfo(BaseModel):
    converged: bool
    iterations: int
    max_residual: float | None
    seconds: float | None


class StepResult(BaseModel):
    label: str
    date: str | None
    countries: dict[str, dict[str, float | None]]
    solver: SolverInfo


class RunOut(BaseModel):
    """The JSON of a run, exactly as ``tradewar run --json`` writes it."""

    scenario: str
    description: str
    sources: list[str]
    baseline: dict[str, Any]
    closure: str
    countries: dict[str, CountryResult]
    bilateral: list[BilateralRow]
    sectors: list[SectorRow]
    steps: list[StepResult]
    solver: SolverInfo
    assumptions: list[str]
    region_members: dict[str, list[str]] | None = None


class RunSummary(BaseModel):
    id: str
    scenario: str
    options: dict[str, Any]
    created: float
    bytes: int


class MapOut(BaseModel):
    """Which run entry colours each economy of the map (ISO3 → key of ``countries``)."""

    locations: list[str]
    keys: list[str]


class Progress(BaseModel):
    done: int
    total: int
    message: str


class JobOut(BaseModel):
    id: str
    kind: str
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    progress: Progress
    created: float
    started: float | None
    finished: float | None
    result: Any = None
    error: dict[str, Any] | None = None


class ScenarioInfo(BaseModel):
    name: str
    title: str
    description: str
    sources: list[str]
    steps: int
    retaliation: str


class SectorInfo(BaseModel):
    code: str
    label: str


class BaselineOut(BaseModel):
    dataset: str
    year: int
    elasticity: str
    regions: str | None
    deficits: str
    description: str
    countries: list[str]
    sectors: list[SectorInfo]
    region_members: dict[str, list[str]] | None


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str
    pool: dict[str, Any]
    cache: dict[str, int]
    jobs: dict[str, int]
    limits: dict[str, Any]


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The body is not readable (e.g. not UTF-8)."},
    413: {"model": ErrorOut, "description": "Request body too large."},
    422: {"model": ErrorOut, "description": "Invalid request: field-level messages."},
    429: {"model": ErrorOut, "description": "Too many computations waiting (see Retry-After)."},
    504: {"model": ErrorOut, "description": "The computation exceeded its time limit."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "Unknown id."}}


def _responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {c: ERRORS[c] for c in codes}


# ---------------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------------
_SPEC_TAGS = ("name", "inline")


def _spec_position(loc: list[Any]) -> int | None:
    """Index of the scenario spec in a location (``body.scenario`` or ``body.scenarios[k]``)."""
    for k, part in enumerate(loc):
        if part == "scenario" and k == 1:
            return k
        if isinstance(part, int) and k >= 1 and loc[k - 1] == "scenarios" and k == 2:
            return k
    return None


def field_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Pydantic errors of a request as ``[{"loc", "msg", "type"}]``, one per distinct
    location; errors inside an inline scenario get the messages of scenario files (key path
    and allowed values, :func:`tradewar.scenario._schema.describe_error`)."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for err in errors:
        loc = list(err.get("loc", ()))
        kind = str(err.get("type", ""))
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        at = _spec_position(loc)
        if at is not None and at + 1 < len(loc) and loc[at + 1] in _SPEC_TAGS:
            tag = loc.pop(at + 1)
            if tag == "inline":
                clean, msg = describe_error({**err, "loc": tuple(loc[at + 1:])}, Scenario)
                loc = loc[: at + 1] + list(clean)
            else:
                msg = (f"unknown built-in scenario {err.get('input')!r}; allowed: "
                       + ", ".join(builtin_names()))
        out.setdefault(tuple(loc), {"loc": loc, "msg": msg, "type": kind})
    return list(out.values())


def _error(status: int, detail: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


async def _await(future: Future[Any]) -> Any:
    """Wait for a computation without ever cancelling it: identical requests share one
    future, and a client that goes away must not cancel the others' result."""
    try:
        return await asyncio.shield(asyncio.wrap_future(future))
    except CancelledError:
        raise TaskError(409, "the computation was cancelled") from None


# ---------------------------------------------------------------------------------------------
# the guard: Host header, body size, security headers (pure ASGI, so it sees every request)
# ---------------------------------------------------------------------------------------------
def _host_name(value: str) -> str:
    value = value.strip().lower()
    if value.startswith("["):
        return value[1: value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    """ASGI middleware: refuses unknown ``Host`` headers (400) and bodies above ``max_bytes``
    (413, before the app reads them), and adds security headers to every response."""

    def __init__(self, app: Callable[..., Awaitable[None]], max_bytes: int,
                 allowed_hosts: Sequence[str]):
        self.app = app
        self.max_bytes = max_bytes
        self.any_host = "*" in allowed_hosts
        self.hosts = {h.strip("[]").lower() for h in allowed_hosts}

    async def _reply(self, send: Callable[..., Awaitable[None]], status: int, detail: str) -> None:
        body = json.dumps({"detail": detail}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close"), *SECURITY_HEADERS]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Awaitable[Any]],
                       send: Callable[..., Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if not self.any_host and _host_name(headers.get("host", "")) not in self.hosts:
            await self._reply(send, 400, "Host header not allowed: this server answers only "
                                         "requests addressed to " + ", ".join(sorted(self.hosts)))
            return
        too_big = f"request body larger than {self.max_bytes} bytes"
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            await self._reply(send, 413, too_big)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._reply(send, 413, too_big)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        async def secured(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, replay, secured)


# ---------------------------------------------------------------------------------------------
# static assets
# ---------------------------------------------------------------------------------------------
@dataclass
class _Asset:
    body: bytes
    gzipped: bytes = field(init=False)

    def __post_init__(self) -> None:
        self.gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)

    def response(self, request: Request, media_type: str, max_age: int) -> Response:
        headers = {"Cache-Control": f"public, max-age={max_age}", "Vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return Response(self.gzipped, media_type=media_type, headers=headers)
        return Response(self.body, media_type=media_type, headers=headers)


@functools.lru_cache(maxsize=1)
def _plotly_js() -> _Asset:
    import plotly.offline

    return _Asset(plotly.offline.get_plotlyjs().encode())


@functools.lru_cache(maxsize=4)
def _geo_file(data_dir: str | None, name: str) -> _Asset:
    from ..data import default_data_dir, source_file

    base = Path(data_dir) if data_dir is not None else default_data_dir()
    return _Asset(source_file(base, Path("geo") / name).read_bytes())


@functools.lru_cache(maxsize=2)
def _map_universe(data_dir: str | None) -> tuple[str, ...]:
    from ..report import country_ids, load_world_topojson

    return tuple(country_ids(load_world_topojson(data_dir)))


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    first = text.split(". ")[0].rstrip(".")
    return first if len(first) <= 140 else first[:137].rsplit(" ", 1)[0] + " …"


def _filename(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "run"


CSV_TABLES = ("countries", "bilateral", "sectors", "steps")


def _csv(run: dict[str, Any], table: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if table == "countries":
        keys = list(CountryResult.model_fields)
        writer.writerow(["country", *keys])
        for code, row in run["countries"].items():
            writer.writerow([code, *(row.get(k) for k in keys)])
    elif table in ("bilateral", "sectors"):
        keys = list((BilateralRow if table == "bilateral" else SectorRow).model_fields)
        writer.writerow(keys)
        for row in run[table]:
            writer.writerow([row.get(k) for k in keys])
    else:
        writer.writerow(["step", "label", "date", "country", "welfare_pct"])
        for k, step in enumerate(run["steps"]):
            for code, row in step["countries"].items():
                writer.writerow([k, step["label"], step["date"], code, row.get("welfare_pct")])
    return buffer.getvalue()


def _compare_csv(runs: list[CachedRun]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["country", *(r.scenario for r in runs)])
    countries = list(dict.fromkeys(c for r in runs for c in r.data["countries"]))
    for code in countries:
        writer.writerow([code, *(r.data["countries"].get(code, {}).get("welfare_pct")
                                 for r in runs)])
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# the application
# ---------------------------------------------------------------------------------------------
RunId = Annotated[str, PathParam(pattern=RUN_ID_PATTERN, description="A run id (32 hex digits).")]
JobId = Annotated[str, PathParam(pattern=JOB_ID_PATTERN, description="A job id (32 hex digits).")]
RunIds = Annotated[list[Annotated[str, Field(pattern=RUN_ID_PATTERN)]],
                   Query(min_length=2, max_length=8, description="2 to 8 run ids.")]


def _job_request_model() -> Any:
    models = [kind.params for kind in JOB_KINDS.values()]
    if len(models) == 1:
        return models[0]
    union: Any = functools.reduce(operator.or_, models)
    return Annotated[union, Field(discriminator="kind")]


def create_app(settings: WebSettings | None = None, **overrides: Any) -> FastAPI:
    """The FastAPI application (``settings`` or keyword overrides of :class:`WebSettings`).

    Worker processes start with the app's lifespan (or at the first computation) and stop
    with it; ``app.state.manager`` is the :class:`~tradewar.web._jobs.JobManager`.
    """
    settings = WebSettings(**{**(asdict(settings) if settings else {}), **overrides})
    pool = WorkerPool(settings.workers, settings.max_queue, settings.data_dir)
    cache = RunCache(settings.max_runs, settings.max_cache_bytes)
    manager = JobManager(pool, cache, run_time_limit=settings.run_time_limit,
                         job_time_limit=settings.job_time_limit, max_jobs=settings.max_jobs)
    reports = LRUBytes(max_entries=4, max_bytes=64 * 2**20)
    baselines = LRUBytes(max_entries=32, max_bytes=32 * 2**20)
    data_dir = settings.data_dir

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
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
    app.add_middleware(Guard, max_bytes=settings.max_body_bytes,
                       allowed_hosts=settings.allowed_hosts)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if request.url.path == "/api/jobs":  # drop the job kind (the union's tag) from locations
            errors = [{**e, "loc": (e["loc"][0], *e["loc"][2:])}
                      if len(e.get("loc", ())) > 2 and e["loc"][1] in JOB_KINDS else e
                      for e in errors]
        return _error(422, field_errors(errors))

    @app.exception_handler(TaskError)
    async def _failed(request: Request, exc: TaskError) -> JSONResponse:
        return _error(exc.status, exc.detail, exc.headers)

    def cached_run(run_id: str) -> CachedRun:
        run = cache.get(run_id)
        if run is None:
            raise TaskError(404, f"run {run_id} not found: results are kept in memory for the "
                                 f"{settings.max_runs} most recent runs; run it again")
        return run

    # ---- page and assets ----
    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html",
                            headers={"Content-Security-Policy": PAGE_CSP,
                                     "Cache-Control": "no-cache"})

    @app.get("/static/plotly.min.js", include_in_schema=False)
    async def plotly_js(request: Request) -> Response:
        asset = await asyncio.to_thread(_plotly_js)
        return asset.response(request, "text/javascript", 86400)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/geo/{name}", include_in_schema=False)
    async def geo(name: Literal["world_50m.json", "world_110m.json"], request: Request) -> Response:
        asset = await asyncio.to_thread(_geo_file, data_dir, name)
        return asset.response(request, "application/json", 86400)

    # ---- information ----
    @app.get("/api/health", response_model=HealthOut, tags=["server"])
    async def health() -> dict[str, Any]:
        """Liveness and load: workers, queue, cache and job counts, limits."""
        return {"status": "ok", "version": __version__, "pool": pool.stats(),
                "cache": cache.stats(), "jobs": manager.stats(), "limits": settings.limits()}

    @app.get("/api/options", tags=["server"])
    async def options() -> dict[str, Any]:
        """Allowed values of every option (what the page's form offers)."""
        from ..report._static import ELASTICITY_SOURCES

        return {
            "datasets": list(DATASETS),
            "years": {d: list(YEARS[d]) for d in DATASETS},
            "default_year": dict(DEFAULT_YEAR),
            "elasticities": {e: ELASTICITY_SOURCES.get(e, e) for e in ELASTICITY_SETS},
            "regions": ["g14", "blocs"],
            "deficits": ["fixed", "zero", "proportional"],
            "retaliation": ["none", "mirror"],
            "blocs": {k: list(v) for k, v in BLOCS.items()},
            "job_kinds": list(JOB_KINDS),
        }

    @app.get("/api/scenarios", response_model=list[ScenarioInfo], tags=["scenarios"])
    async def scenarios() -> list[dict[str, Any]]:
        """The built-in scenarios."""
        out = []
        for name in builtin_names():
            s = resolve_spec(name)
            out.append({"name": name, "title": _first_sentence(s.description),
                        "description": " ".join(s.description.split()),
                        "sources": list(s.sources), "steps": max(1, len(s.step)),
                        "retaliation": s.retaliation})
        return out

    @app.get("/api/scenarios/{name}", tags=["scenarios"])
    async def scenario(name: Annotated[BuiltinName, PathParam()]) -> dict[str, Any]:
        """A built-in scenario as JSON (the same keys as its TOML file)."""
        return resolve_spec(name).model_dump(mode="json", exclude_defaults=True)

    @app.get("/api/baseline", response_model=BaselineOut, tags=["scenarios"],
             responses=_responses(422, 429, 504))
    async def baseline(options: Annotated[RunOptions, Query()]) -> Any:
        """Economies and sectors of a baseline (what a scenario may name)."""
        key = json.dumps(options.canonical(), sort_keys=True)
        info = baselines.get(key)
        if info is None:
            info = await _await(manager.compute(baseline_info_task, options))
            baselines.put(key, info, 1000)
        return info

    # ---- runs ----
    @app.post("/api/run", response_model=None, tags=["runs"],
              responses={200: {"model": RunOut, "description": "The run's JSON "
                               "(docs/json-contract.md); header X-Run-Id gives its id."},
                         **_responses(400, 413, 422, 429, 504)})
    async def run(request: RunRequest) -> Response:
        """Run a scenario (built-in name or inline object) and return its JSON, the same as
        ``tradewar run NAME --json``. Results are cached by the hash of scenario and options."""
        future = manager.solve(request)
        hit = future.done()
        found = await _await(future)
        return Response(found.body, media_type="application/json",
                        headers={"X-Run-Id": found.run_id, "X-Cache": "hit" if hit else "miss",
                                 "Location": f"/api/runs/{found.run_id}.json"})

    @app.get("/api/runs", response_model=list[RunSummary], tags=["runs"])
    async def runs() -> list[dict[str, Any]]:
        """The runs in the cache, most recent first."""
        return [r.summary() for r in reversed(cache.values())]

    @app.get("/api/runs/{run_id}.json", response_model=None, tags=["runs"],
             responses={200: {"model": RunOut}, **NOT_FOUND})
    async def run_json(run_id: RunId) -> Response:
        """A run's JSON (as ``POST /api/run`` returned it)."""
        found = cached_run(run_id)
        return Response(found.body, media_type="application/json", headers={
            "Content-Disposition": f'inline; filename="{_filename(found.scenario)}.json"'})

    @app.get("/api/runs/{run_id}.csv", response_model=None, tags=["runs"],
             responses={200: {"content": {"text/csv": {}}}, **NOT_FOUND})
    async def run_csv(run_id: RunId,
                      table: Literal["countries", "bilateral", "sectors", "steps"] = "countries",
                      ) -> Response:
        """One table of a run as CSV (the tables of ``tradewar run --csv``)."""
        found = cached_run(run_id)
        return Response(_csv(found.data, table), media_type="text/csv", headers={
            "Content-Disposition": f'attachment; filename="{_filename(found.scenario)}-{table}.csv"'})

    async def report(found: list[CachedRun], name: str) -> Response:
        from ..report.html import CSP

        key = ",".join(r.run_id for r in found)
        body = reports.get(key)
        if body is None:
            body = await _await(manager.compute(render_report_task, (found, data_dir)))
            reports.put(key, body, len(body))
        return Response(body, media_type="text/html", headers={
            "Content-Security-Policy": CSP,
            "Content-Disposition": f'inline; filename="{_filename(name)}.html"'})

    @app.get("/api/runs/{run_id}.html", response_model=None, tags=["runs"],
             responses={200: {"content": {"text/html": {}}}, **NOT_FOUND,
                        **_responses(429, 504)})
    async def run_html(run_id: RunId) -> Response:
        """The offline HTML report of a run (``tradewar run --report``)."""
        found = cached_run(run_id)
        return await report([found], found.scenario)

    @app.get("/api/runs/{run_id}/map", response_model=MapOut, tags=["runs"], responses=NOT_FOUND)
    async def run_map(run_id: RunId) -> dict[str, Any]:
        """The economies of the world map coloured by each entry of the run (regions such as
        EU27 or ROW colour every member)."""
        from ..report import map_assignment

        found = cached_run(run_id)
        universe = await asyncio.to_thread(_map_universe, data_dir)
        assignment = map_assignment(found.data, universe)
        return {"locations": list(assignment), "keys": list(assignment.values())}

    @app.get("/api/compare.json", response_model=None, tags=["runs"],
             responses={200: {"model": list[RunOut]}, **NOT_FOUND})
    async def compare_json(runs: RunIds) -> Response:
        """Several runs' JSON as a list (``tradewar compare --json``)."""
        found = [cached_run(r) for r in runs]
        return Response(b"[" + b",".join(r.body for r in found) + b"]",
                        media_type="application/json")

    @app.get("/api/compare.csv", response_model=None, tags=["runs"],
             responses={200: {"content": {"text/csv": {}}}, **NOT_FOUND})
    async def compare_csv(runs: RunIds) -> Response:
        """Welfare (%) by economy (rows) and run (columns)."""
        found = [cached_run(r) for r in runs]
        return Response(_compare_csv(found), media_type="text/csv", headers={
            "Content-Disposition": 'attachment; filename="comparison.csv"'})

    @app.get("/api/compare.html", response_model=None, tags=["runs"],
             responses={200: {"content": {"text/html": {}}}, **NOT_FOUND,
                        **_responses(429, 504)})
    async def compare_html(runs: RunIds) -> Response:
        """One HTML report comparing several runs (``tradewar compare --report``)."""
        found = [cached_run(r) for r in runs]
        return await report(found, "comparison")

    # ---- jobs ----
    async def submit(body: Any) -> JSONResponse:
        """Start a job (``kind``: one of the registered kinds, e.g. ``scenario`` or
        ``compare``); poll ``GET /api/jobs/{id}`` for its progress and result."""
        job = manager.submit(body)
        return JSONResponse(job.to_json(), status_code=202,
                            headers={"Location": f"/api/jobs/{job.id}"})

    # the body's type is the union of the kinds registered now (not a module-level name)
    submit.__annotations__["body"] = Annotated[_job_request_model(), Body()]
    app.post("/api/jobs", status_code=202, response_model=JobOut, tags=["jobs"],
             responses=_responses(400, 413, 422, 429))(submit)

    @app.get("/api/jobs/{job_id}", response_model=JobOut, tags=["jobs"], responses=NOT_FOUND)
    async def job_status(job_id: JobId) -> dict[str, Any]:
        """A job's status, progress and, once done, its result (or error)."""
        job = manager.get(job_id)
        if job is None:
            raise TaskError(404, f"job {job_id} not found (finished jobs are forgotten after "
                                 f"{settings.max_jobs} newer ones)")
        return job.to_json()

    @app.delete("/api/jobs/{job_id}", response_model=JobOut, tags=["jobs"], responses=NOT_FOUND)
    async def job_cancel(job_id: JobId) -> dict[str, Any]:
        """Cancel a job (a running one is stopped)."""
        job = manager.cancel(job_id)
        if job is None:
            raise TaskError(404, f"job {job_id} not found")
        await asyncio.sleep(0)
        return job.to_json()

    app.state.started = time.time()
    return app
