"""Errors of the web app: always JSON ``{"detail": …}``, never a path or a traceback.

Every failure a client can see goes through here: request validation (422 with one
``{"loc", "msg", "type"}`` per problem, inside an inline scenario the messages of scenario
files), failures of a computation (:func:`describe_failure`: invalid input 422, missing data
503, anything else 500 with the traceback in the server log only), the pool's refusals
(:func:`from_pool`: 429, 503, 504, 409) and any exception a route did not expect (500).
Absolute paths of the server (its data directory, its home, the installation) are replaced by
neutral labels in every message (:func:`scrub`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Mapping, Sequence
from concurrent.futures import CancelledError
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ..errors import DataSourceError, NonConvergenceError, TradewarError, UserInputError
from ..run import PoolClosed, QueueFull, TaskFailed, TaskTimeout, WorkerDied
from ..scenario import Scenario, builtin_names, describe_error

__all__ = ["TaskError", "describe_failure", "error_response", "field_errors", "from_pool",
           "install", "scrub", "scrub_detail"]

log = logging.getLogger("tradewar.web")


class TaskError(TradewarError):
    """A failure the client is told about: an HTTP status, a detail (a message, or a list of
    ``{"loc", "msg", "type"}``) and optional headers."""

    def __init__(self, status: int, detail: str | list[dict[str, Any]],
                 headers: Mapping[str, str] | None = None):
        super().__init__(detail if isinstance(detail, str) else json.dumps(detail))
        self.status = status
        self.detail = detail
        self.headers = dict(headers or {})

    def __reduce__(self) -> Any:  # raised in a worker, re-raised in the server
        return type(self), (self.status, self.detail, self.headers)


# ---------------------------------------------------------------------------------------------
# no paths in messages
# ---------------------------------------------------------------------------------------------
_PATH = re.compile(r"(?<![\w.~/-])/[^\s'\"`,;()<>\[\]]+")


def _roots(data_dir: str | None) -> list[tuple[str, str]]:
    from ..data import cache_dir, default_data_dir

    roots: list[tuple[str, str]] = []
    for path, label in ((data_dir, "<data dir>"), (_safe(default_data_dir), "<data dir>"),
                        (_safe(cache_dir), "<cache dir>"),
                        (str(Path(__file__).resolve().parents[1]), "<tradewar>"),
                        (sys.prefix, "<python>"), (os.path.expanduser("~"), "~")):
        if path:
            resolved = str(Path(path).expanduser().resolve())
            roots += [(resolved, label), (str(Path(path).expanduser()), label)]
    return sorted(set(roots), key=lambda r: -len(r[0]))


def _safe(fn: Any) -> str | None:
    try:
        return str(fn())
    except Exception:
        return None


def scrub(text: str, data_dir: str | None = None) -> str:
    """``text`` without absolute file-system paths of this machine: the data directory becomes
    ``<data dir>``, the cache ``<cache dir>``, any other existing path ``…/<its last part>``.
    URL paths such as ``/api/jobs/…`` are left alone (their first part is no directory)."""
    roots = _roots(data_dir)

    def replace(match: re.Match[str]) -> str:
        path = match.group(0)
        for root, label in roots:
            if root not in ("/", "") and (path == root or path.startswith(root.rstrip("/") + "/")):
                return label + path[len(root.rstrip("/")):]
        first = path.lstrip("/").split("/", 1)[0]
        if first and os.path.isdir("/" + first):
            return "…/" + path.rstrip("/").rsplit("/", 1)[-1]
        return path

    return _PATH.sub(replace, text)


def scrub_detail(detail: Any, data_dir: str | None) -> Any:
    if isinstance(detail, str):
        return scrub(detail, data_dir)
    if isinstance(detail, list):
        return [{**d, "msg": scrub(str(d.get("msg", "")), data_dir)} if isinstance(d, dict)
                else d for d in detail]
    return detail


def error_response(status: int, detail: Any, headers: Mapping[str, str] | None = None, *,
                   data_dir: str | None = None) -> JSONResponse:
    return JSONResponse({"detail": scrub_detail(detail, data_dir)}, status_code=status,
                        headers=dict(headers or {}))


# ---------------------------------------------------------------------------------------------
# request validation
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
    and allowed values, :func:`tradewar.scenario.describe_error`)."""
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


# ---------------------------------------------------------------------------------------------
# failures of computations
# ---------------------------------------------------------------------------------------------
_LOC = re.compile(r"^(?:[^:\n]*: )?(?P<loc>[A-Za-z_]\w*(?:\[\d+\]|\.[A-Za-z_]\w*)*): (?P<msg>.+)$",
                  re.S)
_SCENARIO_KEYS = ("tariff", "agreement", "coalition", "deficit", "step", "name", "start",
                  "closure", "retaliation")


def _parse_loc(text: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in re.findall(r"[A-Za-z_]\w*|\d+", text)]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def describe_failure(exc: BaseException, where: tuple[str | int, ...] = ("body", "scenario")
                     ) -> tuple[int, str | list[dict[str, Any]]]:
    """(HTTP status, detail) of an exception raised by a computation.

    Invalid input (:class:`~tradewar.errors.UserInputError`, e.g. a country the baseline does
    not have) and non-convergence are 422 with a field-level detail; missing data is 503;
    the pool's refusals as :func:`from_pool`; anything else is 500 (its traceback goes to the
    server log, not to the client).
    """
    if isinstance(exc, TaskError):
        return exc.status, exc.detail
    if isinstance(exc, TaskFailed | CancelledError):
        error = from_pool(exc)
        return error.status, error.detail
    if isinstance(exc, DataSourceError):
        return 503, (f"the data needed are not available on the server: {exc}; the "
                     "server's operator can check them with `tradewar data`")
    if isinstance(exc, UserInputError | NonConvergenceError):
        message = str(exc)
        loc: list[str | int] = list(where)
        match = _LOC.match(message)
        if (isinstance(exc, UserInputError) and match
                and match.group("loc").split(".")[0].split("[")[0] in _SCENARIO_KEYS):
            loc += _parse_loc(match.group("loc"))
            message = f"{match.group('loc')}: {match.group('msg')}"
        return 422, [{"loc": loc, "msg": message, "type": _snake(type(exc).__name__)}]
    return 500, f"internal error ({type(exc).__name__}); see the server log"


def from_pool(exc: BaseException) -> TaskError:
    """The client's view of a refusal or failure of the run layer's :class:`TaskPool`."""
    if isinstance(exc, QueueFull):
        return TaskError(429, str(exc), {"Retry-After": str(exc.retry_after)})
    if isinstance(exc, PoolClosed):
        return TaskError(503, "the server is shutting down")
    if isinstance(exc, TaskTimeout):
        return TaskError(504, f"the computation took longer than the time limit of "
                              f"{exc.time_limit:g} s and was stopped; try a smaller baseline "
                              "(e.g. regions 'g14'), fewer steps, or run it as a job")
    if isinstance(exc, WorkerDied):
        return TaskError(500, str(exc))
    if isinstance(exc, CancelledError):
        return TaskError(409, "the computation was cancelled")
    if isinstance(exc, TaskFailed):
        log.error("a task failed: %s", exc)
        return TaskError(500, "internal error (the task failed); see the server log")
    status, detail = describe_failure(exc)
    return TaskError(status, detail)


# ---------------------------------------------------------------------------------------------
# handlers: JSON for every error
# ---------------------------------------------------------------------------------------------
def install(app: FastAPI, data_dir: str | None, job_kinds: Mapping[str, Any]) -> None:
    """Exception handlers of ``app``: every error answered as JSON without paths."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if request.url.path == "/api/jobs":  # drop the job kind (the union's tag) from locations
            errors = [{**e, "loc": (e["loc"][0], *e["loc"][2:])}
                      if len(e.get("loc", ())) >= 2 and e["loc"][1] in job_kinds else e
                      for e in errors]
        return error_response(422, field_errors(errors), data_dir=data_dir)

    @app.exception_handler(TaskError)
    async def _failed(request: Request, exc: TaskError) -> JSONResponse:
        return error_response(exc.status, exc.detail, exc.headers, data_dir=data_dir)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        return error_response(exc.status_code, exc.detail, getattr(exc, "headers", None),
                              data_dir=data_dir)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        status, detail = describe_failure(exc)
        if status == 500:
            log.error("unexpected error on %s %s", request.method, request.url.path,
                      exc_info=exc)
        return error_response(status, detail, data_dir=data_dir)
