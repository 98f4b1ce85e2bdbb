"""Job kinds: what ``POST /api/jobs`` accepts, registered in one line each.

::

    register_job_kind("sweep", SweepJob, run_sweep)

``SweepJob`` is a pydantic model with ``kind: Literal["sweep"]`` (the request body, validated
and documented in the OpenAPI schema); ``run_sweep(params, ctx)`` a module-level function (it
runs in a worker, so it must be importable) that returns JSON-able data and may call
``ctx.progress(done, total, message)``, ``ctx.baseline(options)`` and ``ctx.run(scenario,
options)`` (:class:`~tradewar.web.JobContext`). Register before
:func:`tradewar.web.create_app` (the request schema is the union of the kinds registered
then). A new analysis in the browser is a request model, a function and this one line (plus
its part of the page).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from ..options import CompareHorizon
from ..run import INTERACTIVE, LONG, QUICK
from ._cache import CachedRun, RunCache, RunOptions, ScenarioSpec, resolve_spec, run_key
from ._work import JobContext

__all__ = [
    "INTERACTIVE",
    "JOB_KINDS",
    "LONG_JOB",
    "QUICK_JOB",
    "CompareJob",
    "JobKind",
    "RunRequest",
    "ScenarioJob",
    "job_example",
    "job_request_model",
    "register_job_kind",
    "run_scenario_job",
]

#: Priorities of the run layer's pool: quick jobs (as quick as one run) and long ones (every
#: other kind by default: they never take the last free worker, so the page stays responsive).
QUICK_JOB, LONG_JOB = QUICK, LONG


class RunRequest(RunOptions):
    """Run one scenario: the body of ``POST /api/run``."""

    scenario: ScenarioSpec = Field(description="A built-in name or an inline scenario object.")


class ScenarioJob(RunRequest):
    """Run one scenario as a job."""

    kind: Literal["scenario"] = "scenario"


class CompareJob(RunOptions):
    """Run several scenarios on one baseline and compare them (like ``tradewar compare``)."""

    kind: Literal["compare"] = "compare"
    scenarios: list[ScenarioSpec] = Field(min_length=2, max_length=8,
                                          description="2 to 8 built-in names or inline scenarios.")
    horizon: CompareHorizon = Field(  # type: ignore[assignment]  # adds "both" to RunOptions'
        "long", description="long, short, or both (every scenario at both horizons, side by "
                            "side: tradewar compare --horizon both).")

    def runs(self) -> list[tuple[ScenarioSpec, RunOptions]]:
        """Every (scenario, options) to run, in the CLI's order: each scenario at the long then
        the short horizon for ``both``."""
        horizons = ("long", "short") if self.horizon == "both" else (self.horizon,)
        base = self.model_dump(include=set(RunOptions.model_fields))
        return [(spec, RunOptions.model_validate({**base, "horizon": h}))
                for spec in self.scenarios for h in horizons]


@dataclass(frozen=True)
class JobKind:
    """A kind of job: its request model, the function run in a worker, an optional ``lookup``
    (run in the server: a result from the cache, or ``None`` to compute), a time limit
    (``None``: the server's job time limit), a priority and an ``example``: a small valid
    request (the load test and ``GET /api/options`` use it; ``None``: :func:`job_example`
    derives one from the model's defaults)."""

    name: str
    params: type[BaseModel]
    run: Callable[[Any, JobContext], Any]
    lookup: Callable[[Any, RunCache], Any] | None = None
    time_limit: float | None = None
    priority: int = LONG_JOB
    example: Mapping[str, Any] | None = None


#: The scenario an example request names when its kind needs one (a built-in that runs on
#: every economy and on g14).
EXAMPLE_SCENARIO = "us-china-april-11"


#: Registered job kinds by name (``POST /api/jobs`` accepts exactly these).
JOB_KINDS: dict[str, JobKind] = {}


def register_job_kind(name: str, params: type[BaseModel], run: Callable[[Any, JobContext], Any],
                      *, lookup: Callable[[Any, RunCache], Any] | None = None,
                      time_limit: float | None = None, priority: int = LONG_JOB,
                      example: Mapping[str, Any] | None = None) -> JobKind:
    """Register a job kind (see the module docstring); ``params`` must have a field
    ``kind: Literal[name]``. ``priority``: :data:`LONG_JOB` (default: never takes the last free
    worker) or :data:`QUICK_JOB` (for kinds as quick as one run). ``example``: a small valid
    request (validated now; default: see :func:`job_example`)."""
    annotation = params.model_fields.get("kind")
    if annotation is None or getattr(annotation.annotation, "__args__", None) != (name,):
        raise ValueError(f"{params.__name__} needs a field kind: Literal[{name!r}]")
    if example is not None:
        params.model_validate({"kind": name, **example})  # a wrong example fails at import
    kind = JobKind(name, params, run, lookup, time_limit, priority, example)
    JOB_KINDS[name] = kind
    return kind


def job_example(name: str) -> dict[str, Any]:
    """A small valid request of the kind ``name``: its registered ``example``, else the
    model's defaults (with :data:`EXAMPLE_SCENARIO` for a required ``scenario``)."""
    kind = JOB_KINDS[name]
    if kind.example is not None:
        return {"kind": name, **kind.example}
    body: dict[str, Any] = {"kind": name}
    fields = kind.params.model_fields
    if "scenario" in fields and fields["scenario"].is_required():
        body["scenario"] = EXAMPLE_SCENARIO
    return body


def job_request_model() -> Any:
    """The body of ``POST /api/jobs``: the union of the registered kinds, tagged by ``kind``."""
    models = [kind.params for kind in JOB_KINDS.values()]
    if len(models) == 1:
        return models[0]
    union: Any = functools.reduce(operator.or_, models)
    return Annotated[union, Field(discriminator="kind")]


# ---------------------------------------------------------------------------------------------
# the built-in kinds
# ---------------------------------------------------------------------------------------------
def _compare_result(runs: list[CachedRun], both: bool = False) -> dict[str, Any]:
    """Names as ``tradewar compare``'s: ``NAME (long run)`` / ``NAME (short run)`` for both."""
    horizons = [r.options.get("horizon", "long") for r in runs]
    names = [r.scenario + (f" ({h} run)" if both else "") for r, h in zip(runs, horizons, strict=True)]
    countries = list(dict.fromkeys(c for r in runs for c in r.data["countries"]))
    welfare = {c: [r.data["countries"].get(c, {}).get("welfare_pct") for r in runs]
               for c in countries}
    return {"runs": [{"run_id": r.run_id, "scenario": r.scenario, "horizon": h}
                     for r, h in zip(runs, horizons, strict=True)],
            "scenarios": names, "welfare_pct": welfare}


def run_scenario_job(params: RunRequest, ctx: JobContext) -> dict[str, Any]:
    """Job ``scenario`` (and ``POST /api/run``): one run."""
    name = resolve_spec(params.scenario).name
    ctx.progress(0, 1, f"solving {name}")
    run = ctx.run(params.scenario, params)
    ctx.progress(1, 1, "done")
    return {"run_id": run.run_id, "scenario": run.scenario}


def run_compare_job(params: CompareJob, ctx: JobContext) -> dict[str, Any]:
    """Job ``compare``: every scenario on one baseline, with a welfare table."""
    runs = []
    todo = params.runs()
    total = len(todo)
    for k, (spec, options) in enumerate(todo):
        ctx.progress(k, total, f"solving {resolve_spec(spec).name}, {options.horizon} run "
                               f"({k + 1} of {total})")
        runs.append(ctx.run(spec, options))
    ctx.progress(total, total, "done")
    return _compare_result(runs, params.horizon == "both")


def _lookup_scenario(params: RunRequest, cache: RunCache) -> dict[str, Any] | None:
    run = cache.get(run_key(resolve_spec(params.scenario), params))
    return None if run is None else {"run_id": run.run_id, "scenario": run.scenario}


def _lookup_compare(params: CompareJob, cache: RunCache) -> dict[str, Any] | None:
    runs = [cache.get(run_key(resolve_spec(s), options)) for s, options in params.runs()]
    return (None if any(r is None for r in runs)
            else _compare_result(runs, params.horizon == "both"))  # type: ignore[arg-type]


register_job_kind("scenario", ScenarioJob, run_scenario_job, lookup=_lookup_scenario,
                  priority=QUICK_JOB, example={"scenario": EXAMPLE_SCENARIO, "regions": "g14"})
register_job_kind("compare", CompareJob, run_compare_job, lookup=_lookup_compare,
                  priority=QUICK_JOB, example={"scenarios": [EXAMPLE_SCENARIO, "geneva-truce"],
                                               "regions": "g14"})
