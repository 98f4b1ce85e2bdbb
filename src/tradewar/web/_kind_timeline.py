"""Job kind ``timeline``: the trade war step by step (``tradewar run timeline``).

Runs a dated multi-step built-in — ``timeline`` (every dated step of both sides from February
2025 to the latest, one equilibrium per step) by default, or another dated ladder — with the
same function as every run of the web (:meth:`JobContext.run`, i.e.
:func:`tradewar.scenario.run_scenario`). The run goes to the server's cache: its JSON
(``GET /api/runs/{run_id}.json``) is what ``tradewar run timeline --json`` writes.

Result: ``{"run_id", "scenario", "description", "horizon", "steps", "trade": {"columns",
"rows"}}``. ``steps`` is the run JSON's ``steps`` (label, date, the welfare of every economy in %,
the solver), so the result stands on its own when the run has left the run cache; ``trade`` is
what ``tradewar run timeline --chart`` draws beyond that JSON: US–China goods trade at every
step, both ways (:func:`tradewar.report.tariff_charts.timeline_trade`: ``before_musd`` /
``after_musd`` in millions of USD, ``change_pct`` in % from the start). Every step is solved in
one batch (so progress has two stages: compile and solve, then trade). Identical requests are
answered from the server's result cache (:mod:`._kind_memo`).
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import Field

from ..scenario import builtin_names, builtin_scenario
from ._cache import RunOptions, resolve_spec
from ._kinds import LONG_JOB, register_job_kind
from ._work import JobContext

__all__ = ["DATED_BUILTINS", "TimelineJob", "run_timeline_job"]

#: The built-ins with dated steps (a ladder: one equilibrium per step).
DATED_BUILTINS: tuple[str, ...] = tuple(
    n for n in builtin_names() if sum(s.date is not None for s in builtin_scenario(n).step) > 1)
Ladder = Literal[DATED_BUILTINS]  # type: ignore[valid-type]


class TimelineJob(RunOptions):
    """A dated multi-step built-in, one equilibrium per step (the baseline options as for a
    run, the horizon included)."""

    kind: Literal["timeline"] = "timeline"
    scenario: Ladder = Field("timeline", description="A built-in with dated steps.")


def _finite(value: Any) -> Any:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def run_timeline_job(params: TimelineJob, ctx: JobContext) -> dict[str, Any]:
    """Job ``timeline`` (see the module docstring)."""
    from ..report.tariff_charts import timeline_trade

    options = RunOptions.model_validate(params.model_dump(include=set(RunOptions.model_fields)))
    steps = len(resolve_spec(params.scenario).step)
    ctx.progress(0, 2, f"solving {params.scenario}: {steps} dated steps in one batch "
                       f"({options.horizon} run)")
    run = ctx.run(params.scenario, options)
    ctx.progress(1, 2, "US-China goods trade at every step")
    trade = timeline_trade(ctx.results[-1])
    rows = [{k: _finite(v) for k, v in row.items()} for row in trade.to_dict(orient="records")]
    ctx.progress(2, 2, "done")
    return {"run_id": run.run_id, "scenario": run.scenario,
            "description": run.data["description"], "horizon": options.horizon,
            "steps": run.data["steps"],
            "trade": {"columns": [str(c) for c in trade.columns], "rows": rows}}


register_job_kind("timeline", TimelineJob, run_timeline_job, priority=LONG_JOB,
                  example={"regions": "g14"})  # ~3 s (every economy: ~12 s)
