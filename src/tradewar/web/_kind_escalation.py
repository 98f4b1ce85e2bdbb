"""Job kind ``escalation``: will the target capitulate or resist a threat (``tradewar escalation``).

The request has the CLI's options (leader, target, threat, allies, the target's retaliation and
how it resists, the costs ``d`` of capitulation and ``c`` of backing down, a built-in demand) on
a baseline aggregated to named regions (``g14`` by default; the 81 economies are refused). The
result is :func:`tradewar.analysis.escalation_game`'s ``to_json()`` (keys
:data:`tradewar.analysis.ESCALATION_JSON_KEYS`): the outcome regions over (cost of
capitulation, threat) in ``grid``, the break-even cost ``d*`` by threat with and without the
allies (``by_threat``, ``allies_effect``).

Limits that keep the server alive: at most :data:`MAX_WEB_ALLIES` allies (one more game each,
for each ally's effect); ``optimal`` retaliation (a best response per war, about 10 s each on
g14) only with at most :data:`MAX_OPTIMAL_ALLIES` ally; the demand is a built-in scenario
(never a file). The server keeps the results by request hash
(:mod:`tradewar.web._kind_memo`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from ..errors import UserInputError
from ..options import ResistWith, Retaliation
from ._cache import _BUILTINS
from ._errors import TaskError
from ._kind_fields import (
    AnalysisBaseline,
    Code,
    check_allies,
    check_not_leader,
    check_optimal_allies,
    unknown_economy,
)
from ._kind_memo import job_baseline
from ._kinds import LONG_JOB, register_job_kind
from ._work import JobContext

__all__ = ["MAX_OPTIMAL_ALLIES", "MAX_WEB_ALLIES", "EscalationJob", "run_escalation_job"]

#: More allies than this are refused by the web.
MAX_WEB_ALLIES = 10
#: ``optimal`` retaliation solves a best response per war: at most this many allies.
MAX_OPTIMAL_ALLIES = 1



class EscalationJob(AnalysisBaseline):
    """The leader demands a concession and threatens ``threat`` points on the target's goods
    (fraction, 1.45 = +145); ``capitulation_cost`` (d) and ``audience_cost`` (c) are % of real
    income."""

    kind: Literal["escalation"] = "escalation"
    leader: Code = Field("USA", description="The economy that demands and threatens.")
    target: Code = Field("CHN", description="The economy asked to concede.")
    threat: float = Field(strict=True, default=1.45, gt=0.0, le=3.0,
                          description="Points added on the target's goods (fraction, 1.45 = +145).")
    allies: list[Code] = Field([], description=f"0 to {MAX_WEB_ALLIES} allies joining the threat.")
    retaliation: Retaliation = Field("mirror", description="The target's answer to a war.")
    resist_with: ResistWith = Field("tariffs", description="How the target resists.")
    capitulation_cost: float = Field(strict=True, default=1.0, ge=0.0, le=100.0,
                                     description="d: the target's cost of conceding, % of real income.")
    audience_cost: float = Field(strict=True, default=1.0, ge=0.0, le=100.0,
                                 description="c: the leader's cost of backing down, % of real income.")
    demand: str | None = Field(None, description="A built-in scenario (default: the target cuts "
                               "its tariffs on the leader's goods to the MFN level).")

    _not_the_leader = field_validator("target")(check_not_leader)

    @field_validator("allies")
    @classmethod
    def _few_distinct_allies(cls, allies: list[str], info: ValidationInfo) -> list[str]:
        return check_allies(allies, info, limit=MAX_WEB_ALLIES, command="escalation")

    @field_validator("retaliation")
    @classmethod
    def _optimal_needs_few_allies(cls, retaliation: str, info: ValidationInfo) -> str:
        return check_optimal_allies(retaliation, info, limit=MAX_OPTIMAL_ALLIES,
                                    cost="per war (about 10 s each on g14)")

    @field_validator("demand")
    @classmethod
    def _a_builtin(cls, demand: str | None) -> str | None:
        if demand is None or demand in _BUILTINS:
            return demand
        raise ValueError(f"{demand!r}; allowed: a built-in scenario name (files are not read "
                         "by the web), or null for the default demand")



def run_escalation_job(params: EscalationJob, ctx: JobContext) -> dict[str, Any]:
    """Job ``escalation`` (see the module docstring)."""
    from ..analysis import escalation_game

    ctx.progress(0, 1, f"loading {params.dataset} ({params.regions})")
    baseline = job_baseline(ctx, params)
    countries = tuple(baseline.countries)
    for name in ("leader", "target"):
        code = getattr(params, name)
        if code not in countries:
            raise unknown_economy(name, code, countries)
    ctx.progress(0, 1, "solving the concession and every war")
    try:
        result = escalation_game(
            baseline, leader=params.leader, target=params.target, threat=params.threat,
            demand=params.demand, allies=list(params.allies), retaliation=params.retaliation,
            resist_with=params.resist_with, capitulation_cost=params.capitulation_cost,
            audience_cost=params.audience_cost,
            progress=lambda done, total: ctx.progress(done, total, "best responses"))
    except UserInputError as exc:
        text = str(exc)
        field = next((f for f in ("allies", "demand") if f in text), None)
        if field is None and any(f"'{a}'" in text for a in params.allies):
            field = "allies"
        raise TaskError(422, [{"loc": ["body", field] if field else ["body"], "msg": text,
                               "type": "user_input_error"}]) from None
    data = result.to_json()
    ctx.progress(1, 1, "done")
    return data


register_job_kind("escalation", EscalationJob, run_escalation_job, priority=LONG_JOB,
                  example={"allies": ["JPN"]})
