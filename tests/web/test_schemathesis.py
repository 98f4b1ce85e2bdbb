"""Property-based API test: schemathesis generates requests from the OpenAPI schema (valid and
invalid ones) and sends them to the ASGI app in process; no response may be a server error,
and every response must match the schema (status code, content type, body).

Bounded: a few examples per operation, so the whole run takes well under a minute.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import make_app

#: The checks run on every response. Not ``positive_data_acceptance``: a request can match the
#: schema and still be refused with 422 (a country code the baseline does not have).
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]


RUN_TIME_LIMIT = 50.0


@pytest.fixture(scope="module")
def web_app(data_dir) -> Iterator[Any]:
    app = make_app(data_dir, workers=2, max_queue=64, run_time_limit=RUN_TIME_LIMIT)
    yield app
    app.state.manager.pool.close()


def _without_lifespan(app: Any) -> Any:
    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await app(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    return asgi


@pytest.fixture(scope="module")
def api_schema(web_app: Any) -> Any:
    # the app's pool lives as long as this module's tests (the fixture closes it), not as long
    # as schemathesis' ASGI calls: lifespan events are answered here, so no request finds the
    # pool closed and jobs still running when the last request ends keep their workers
    schema = schemathesis.openapi.from_asgi("/openapi.json", _without_lifespan(web_app))
    # an invalid body above max_body_bytes is refused with 413 before it is read: a rejection too
    rejection = schema.config.checks.negative_data_rejection
    rejection.expected_statuses = [*rejection.expected_statuses, "413"]
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: Any) -> None:
    # the client waits longer than the app's run time limit (50 s), so a slow built-in gets
    # the server's own answer (200, or 504 at the limit) instead of a client-side timeout
    response = case.call_and_validate(checks=CHECKS, timeout=RUN_TIME_LIMIT + 10)
    STATUSES[(case.method, case.path, response.status_code)] += 1


#: (method, path, status) -> count, for the check below and for reading with -s.
STATUSES: Counter[tuple[str, str, int]] = Counter()


def test_generated_requests_reached_the_model_and_no_job_failed_on_the_server(web_app) -> None:
    """The run above was not all refusals (some generated scenarios were solved), and the jobs
    it started failed, if at all, only on their input (4xx), never on the server."""
    assert STATUSES, "run together with test_no_server_errors (it fills STATUSES)"
    assert STATUSES[("POST", "/api/run", 200)] > 0
    assert STATUSES[("POST", "/api/jobs", 202)] > 0
    assert sum(n for (_, _, code), n in STATUSES.items() if code == 422) > 0
    manager = web_app.state.manager
    deadline = time.monotonic() + 20  # then the unfinished ones are stopped with the app
    while any(j.status in ("queued", "running") for j in manager.jobs()):
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    failed = [(j.kind, j.error) for j in manager.jobs() if j.status == "failed"]
    assert all(error["status"] < 500 for _, error in failed), failed
    print(f"{sum(STATUSES.values())} requests; jobs: {manager.stats()}")
