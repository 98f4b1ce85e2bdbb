"""Job kind ``uncertainty``: "how sure are we?" — a scenario over the published trade-elasticity
sets and random draws around them (``tradewar sweep``).

The request names any scenario the other kinds take (a built-in name or an inline scenario,
:data:`~tradewar.web._cache.ScenarioSpec`), the published sets to include and draw around
(``elasticities``, default all eight), ``draws`` random draws (0 to :data:`MAX_WEB_DRAWS`),
their ``seed`` and ``sigma``, and the baseline (regions ``g14`` by default, as the CLI). The
job calls :func:`tradewar.analysis.sweep` — the function ``tradewar sweep`` calls — serially in
its worker (no checkpoint on disk) and returns its :meth:`~tradewar.analysis.SweepResult.to_json`
unchanged: welfare of every economy (% of real income) and the scenario's main bilateral trade
(%), each with ``central`` (the baseline's own set), ``median``, the 5–95 % band (``p05``,
``p95``) and ``min``/``max`` over the converged rows, and the value under each published set.

Limits that keep the server alive: at most :data:`MAX_WEB_DRAWS` draws (the CLI takes up to
100,000; :data:`MAX_WEB_OPTIMAL_DRAWS` for a scenario with optimal retaliation), ``sigma`` at most :data:`MAX_WEB_SIGMA`; the job runs on the long lane (never the last
free worker) with :data:`UNCERTAINTY_TIME_LIMIT` seconds. The server's result cache answers an
identical request (same :func:`~tradewar.web._kind_memo.request_hash`) without a worker.
"""

from __future__ import annotations

from typing import Any, Literal, cast

from pydantic import Field, StrictInt, ValidationInfo, field_validator

from ..analysis import SIGMA
from ..errors import ScenarioError
from ..options import ELASTICITY_SETS, ElasticitySet, Horizon, RegionsName
from ._cache import RunOptions, ScenarioSpec, resolve_spec
from ._kinds import LONG_JOB, register_job_kind
from ._work import JobContext, _regions_error

__all__ = ["MAX_WEB_DRAWS", "MAX_WEB_OPTIMAL_DRAWS", "MAX_WEB_SIGMA", "UNCERTAINTY_TIME_LIMIT", "UncertaintyJob",
           "run_uncertainty_job"]

#: Random draws one browser job may ask for: more are refused with a message (the CLI's ceiling
#: is 100,000). Measured on one core at load 4.5 on the project's 2-core machine: 1,008 solves
#: on g14 in 20 s, 108 on the 81 economies in 19 s (so 1,008 there in about 3 min).
MAX_WEB_DRAWS = 1_000
#: Random draws of a scenario with optimal retaliation (a best response solved per draw:
#: measured 0.73 s a row on g14, 2.1 s on the 81 economies, so 208 rows in at most ~7.5 min).
MAX_WEB_OPTIMAL_DRAWS = 200
#: Largest standard deviation of the log θ factor (1: 90 % of the factors within ×0.19–×5.2).
MAX_WEB_SIGMA = 1.0
#: Seconds an uncertainty job may take (ten times the largest sweep measured above; the
#: server's default job limit is 600 s).
UNCERTAINTY_TIME_LIMIT = 1_800.0
#: Largest seed (numpy's SeedSequence takes any non-negative integer; JSON clients keep 2^53).
MAX_SEED = 2 ** 53 - 1


class UncertaintyJob(RunOptions):
    """A scenario over the published elasticity sets and ``draws`` random draws around them
    (``tradewar sweep SCENARIO``): medians, 5–95 % bands and min–max of welfare (%) and trade
    (%)."""

    kind: Literal["uncertainty"] = "uncertainty"
    scenario: ScenarioSpec = Field(description="A built-in name or an inline scenario object.")
    regions: RegionsName | None = Field(
        "g14", description="Named regions (default g14, as `tradewar sweep`); null: every economy.")
    horizon: Horizon = Field(
        "long", description="Only 'long': the draws are made around the published (long-run) "
        "sets, as `tradewar sweep` (a short-run sweep is not defined).")
    elasticities: list[ElasticitySet] = Field(
        cast("list[ElasticitySet]", list(ELASTICITY_SETS)), min_length=1, max_length=len(ELASTICITY_SETS),
        description="Published trade-elasticity sets to include and draw around (default all).")
    draws: StrictInt = Field(100, description=f"Random draws, 0 to {MAX_WEB_DRAWS:,}.",
                             json_schema_extra={"minimum": 0, "maximum": MAX_WEB_DRAWS})
    seed: StrictInt = Field(0, description="Seed of the draws (each draw gets its own spawned seed).",
                            json_schema_extra={"minimum": 0, "maximum": MAX_SEED})
    sigma: float = Field(
        SIGMA, strict=True, description="Std. dev. of the log of each sector's θ factor "
        f"(default {SIGMA:g}, as `tradewar sweep`), 0 to {MAX_WEB_SIGMA:g}.",
        json_schema_extra={"minimum": 0, "maximum": MAX_WEB_SIGMA})

    @field_validator("horizon")
    @classmethod
    def _long_run_only(cls, horizon: str) -> str:
        if horizon != "long":
            raise ValueError(f"horizon {horizon!r}: a sweep draws around the published "
                             "(long-run) elasticity sets, as `tradewar sweep`; allowed: 'long'")
        return horizon

    @field_validator("elasticities")
    @classmethod
    def _distinct_sets(cls, sets: list[str]) -> list[str]:
        if len(set(sets)) != len(sets):
            raise ValueError("a set is listed twice; allowed: distinct sets of "
                             + ", ".join(ELASTICITY_SETS))
        return sets

    @field_validator("draws")
    @classmethod
    def _draws_in_range(cls, draws: int, info: ValidationInfo) -> int:
        if not 0 <= draws <= MAX_WEB_DRAWS:
            raise ValueError(f"{draws:,} draws; allowed: 0 to {MAX_WEB_DRAWS:,} in the browser "
                             "(0: the published sets only; `tradewar sweep --draws` takes more)")
        spec = info.data.get("scenario")
        if (spec is not None and draws > MAX_WEB_OPTIMAL_DRAWS
                and resolve_spec(spec).retaliation == "optimal"):
            raise ValueError(f"{draws:,} draws of a scenario with optimal retaliation (a best "
                             "response is solved for every draw, 1-2 s each); allowed: 0 to "
                             f"{MAX_WEB_OPTIMAL_DRAWS} in the browser")
        return draws

    @field_validator("seed")
    @classmethod
    def _seed_in_range(cls, seed: int) -> int:
        if not 0 <= seed <= MAX_SEED:
            raise ValueError(f"seed {seed}; allowed: an integer from 0 to {MAX_SEED}")
        return seed

    @field_validator("sigma")
    @classmethod
    def _sigma_in_range(cls, sigma: float) -> float:
        if not 0.0 <= sigma <= MAX_WEB_SIGMA:  # NaN fails too
            raise ValueError(f"sigma {sigma}; allowed: a number from 0 to {MAX_WEB_SIGMA:g} "
                             f"(default {SIGMA:g})")
        return sigma


def run_uncertainty_job(params: UncertaintyJob, ctx: JobContext) -> dict[str, Any]:
    """Job ``uncertainty`` (see the module docstring): ``tradewar.analysis.sweep(...).to_json()``."""
    from ..analysis import sweep

    scenario = resolve_spec(params.scenario)  # a Scenario object: never looked up as a path
    baseline = ctx.baseline(params)  # the worker's cached baseline of dataset, year, set, regions
    rows = len(params.elasticities) + params.draws

    def progress(done: int, total: int) -> None:
        ctx.progress(done, total, f"{scenario.name}: {rows:,} solves in {total} chunks, "
                                  f"{done} done")

    ctx.progress(0, 1, f"{scenario.name}: compiling the scenario")
    try:
        result = sweep(baseline, scenario, elasticities=list(params.elasticities),
                       draws=params.draws, seed=params.seed, sigma=params.sigma,
                       workers=1, checkpoint_dir=None, progress=progress,
                       deficits=params.deficits, data_dir=ctx.data_dir)
    except ScenarioError as exc:
        if isinstance(params.scenario, str) and params.regions is not None:
            raise _regions_error(params.scenario, params.regions, exc) from None
        raise  # the messages of scenario files, at body.scenario (describe_failure)
    ctx.progress(result.chunks, result.chunks, "done")
    return result.to_json()


register_job_kind("uncertainty", UncertaintyJob, run_uncertainty_job, priority=LONG_JOB,
                  time_limit=UNCERTAINTY_TIME_LIMIT,
                  example={"scenario": "us-china-april-11", "draws": 10})  # g14: ~1 s
