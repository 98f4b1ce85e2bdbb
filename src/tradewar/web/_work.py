"""The worker side of the web app: what runs in a worker process (or on a Dask worker).

Every computation of the web app is one task of the run layer's
:class:`~tradewar.run.TaskPool`: :func:`web_task` wraps a job function ``fn(params, ctx)``
with a :class:`JobContext` (progress, baselines cached in the worker, scenario runs that go to
the server's run cache) and returns ``(result, runs)``.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from ..errors import ScenarioError
from ..run import TaskContext
from ..scenario import Scenario
from ._cache import CachedRun, RunOptions, resolve_spec, run_key
from ._errors import TaskError

__all__ = ["JobContext", "baseline_info_task", "render_report_task", "web_task"]


@functools.lru_cache(maxsize=6)
def _baseline(dataset: str, year: int, elasticity: str, regions: str | None,
              data_dir: str | None) -> Any:
    from ..data import load_baseline

    return load_baseline(dataset, year, elasticity, regions=regions, data_dir=data_dir)


class JobContext:
    """What a job function gets in its worker: progress reports, baselines (cached in the
    worker) and scenario runs (sent back to the server's run cache)."""

    def __init__(self, ctx: TaskContext, data_dir: str | None):
        self._ctx = ctx
        self.data_dir = data_dir
        self.runs: list[CachedRun] = []
        #: The :class:`tradewar.scenario.ScenarioResult` of each run (this task only), for job
        #: kinds that need more than the run JSON (e.g. the timeline's trade at every step).
        self.results: list[Any] = []

    def progress(self, done: int, total: int, message: str = "") -> None:
        """Report progress (shown on the page and in ``GET /api/jobs/{id}``)."""
        self._ctx.progress(done, total, message)

    def baseline(self, options: RunOptions) -> Any:
        """The :class:`tradewar.data.Baseline` of ``options`` (loaded once per worker), with the
        trade elasticities of its horizon (:func:`tradewar.data.with_horizon`, as the CLI)."""
        from ..data import with_horizon

        o = options.canonical()
        loaded = _baseline(o["dataset"], o["year"], o["elasticity"], o["regions"], self.data_dir)
        return with_horizon(loaded, o["horizon"])

    def run(self, spec: str | Scenario, options: RunOptions) -> CachedRun:
        """Run a scenario (a built-in name or a :class:`Scenario`) on ``options``; the result
        is cached by the server under its id, with the CSV of every table of the result."""
        from ..results import csv_texts
        from ..scenario import run_scenario

        scenario = resolve_spec(spec)
        baseline = self.baseline(options)
        rule: Any = None
        if scenario.retaliation == "optimal":  # a strategy: the layer above the scenario's
            from ..analysis import optimal_retaliation_rule

            rule = optimal_retaliation_rule
        try:
            result = run_scenario(baseline, scenario, deficits=options.deficits,
                                  data_dir=self.data_dir, retaliation_rule=rule,
                                  labour_supply=options.labour_supply)
        except ScenarioError as exc:
            if isinstance(spec, str) and options.regions is not None:
                raise _regions_error(spec, options.regions, exc) from None
            raise
        body = json.dumps(result.to_json(), allow_nan=False).encode()
        csv = {name.removesuffix(".csv"): text for name, text in csv_texts(result).items()}
        run = CachedRun(run_key(scenario, options), body, scenario.name, options.canonical(),
                        csv=csv)
        self.runs.append(run)
        self.results.append(result)
        return run


def _regions_error(name: str, regions: str, exc: ScenarioError) -> TaskError:
    """A built-in that names economies a region mapping merges (e.g. USA into USMCA under
    ``blocs``) cannot run on it: say so, at ``regions``, with the scenario's own message."""
    message = str(exc).removeprefix(f"builtin:{name}, ")
    return TaskError(422, [{
        "loc": ["body", "regions"],
        "msg": f"built-in scenario {name!r} cannot run on regions {regions!r}: it names "
               f"economies that this region mapping merges into larger regions or leaves out "
               f"({message}); run it on every economy (no regions) or on another mapping, "
               "or edit a copy that names the regions",
        "type": "regions_error"}])


def web_task(params: tuple[Any, Any, str | None], ctx: TaskContext) -> tuple[Any, list[CachedRun]]:
    """Task of the run layer: ``params = (fn, fn_params, data_dir)``; returns ``(fn's result,
    the runs it made)``."""
    fn, fn_params, data_dir = params
    job = JobContext(ctx, data_dir)
    return fn(fn_params, job), job.runs


def render_report_task(params: tuple[list[CachedRun], str | None], ctx: JobContext) -> bytes:
    """The HTML report of one run (or a comparison of several), rendered in a worker."""
    from ..report import render_report

    runs, data_dir = params
    geo = _geo(data_dir)
    data = [r.data for r in runs]
    return render_report(data[0] if len(data) == 1 else data, geo).encode()


def baseline_info_task(options: RunOptions, ctx: JobContext) -> dict[str, Any]:
    """What the page's form needs to know of a baseline: its economies and sectors."""
    baseline = ctx.baseline(options)
    members = baseline.region_members
    return {
        **options.canonical(),
        "description": baseline.description,
        "countries": list(baseline.countries),
        "sectors": [{"code": s, "label": baseline.sector_labels.get(s, s)}
                    for s in baseline.sectors],
        "region_members": {k: list(v) for k, v in members.items()} if members else None,
    }


@functools.lru_cache(maxsize=2)
def _geo(data_dir: str | None) -> dict[str, Any]:
    from ..report import load_world_topojson

    return load_world_topojson(data_dir)

