"""Job kind ``coalitions``: every coalition of allies against a target (``tradewar coalitions``).

The request has the CLI's options (leader, target, allies, tariff, sectors, retaliation, the
leader's tariffs on the allies, reliability) on a baseline aggregated to named regions (``g14``
by default; the 81 economies are refused: 2^n coalitions of 81-economy solves would hold a
worker for minutes). The result is :func:`tradewar.analysis.coalition_analysis`'s
``to_json()`` (keys :data:`tradewar.analysis.COALITION_JSON_KEYS` first) plus
``sector_labels`` (code -> name of every sector the members tariff).

Limits that keep the server alive: at most :data:`MAX_WEB_ALLIES` allies (2^10 = 1,024
coalitions), ``optimal`` retaliation (a best response per coalition, 0.5-10 s each) with at
most :data:`MAX_OPTIMAL_ALLIES`; the job runs serially in its worker (no nested process pool),
within the server's job time limit. The server keeps the results by request hash
(:mod:`tradewar.web._kind_memo`), so the same question asked again is answered without solving.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from ..errors import UserInputError
from ..options import Retaliation
from ._cache import _BUILTINS
from ._errors import TaskError
from ._kind_fields import (
    AnalysisBaseline,
    Code,
    check_allies,
    check_not_leader,
    check_optimal_allies,
)
from ._kind_memo import job_baseline
from ._kinds import LONG_JOB, register_job_kind
from ._work import JobContext

__all__ = ["MAX_OPTIMAL_ALLIES", "MAX_WEB_ALLIES", "CoalitionsJob", "run_coalitions_job"]

#: More allies than this are refused by the web (the CLI takes up to 16, or more with --force).
MAX_WEB_ALLIES = 10
#: ``optimal`` retaliation solves a best response in each of the 2^n coalitions: few allies.
MAX_OPTIMAL_ALLIES = 3

_LAYER = re.compile(r"^[a-z0-9][a-z0-9-]*:\d{4}-\d{2}-\d{2}$")


class CoalitionsJob(AnalysisBaseline):
    """Leverage, Shapley values and stable coalitions of ``allies`` joining ``leader`` against
    ``target`` (fractions: ``tariff`` 0.5 = +50 points; ``reliability`` a probability)."""

    kind: Literal["coalitions"] = "coalitions"
    leader: Code = Field("USA", description="The economy that leads (in every coalition).")
    target: Code = Field("CHN", description="The economy the coalition tariffs.")
    allies: list[Code] = Field(["JPN", "KOR", "EU27"], min_length=1,
                               description=f"1 to {MAX_WEB_ALLIES} allies (codes or blocs).")
    tariff: float = Field(strict=True, default=0.5, ge=0.0, le=2.0,
                          description="Points each member adds on the target (fraction, 0.5 = +50).")
    sectors: Literal["goods", "all"] = Field("goods", description="Where members tariff the target.")
    retaliation: Retaliation = Field("mirror", description="The target's answer.")
    us_tariffs_on_allies: str = Field(
        "none", description="The leader's tariffs on the allies: none, a built-in scenario "
        "(america-first) or a tariff layer (us-2025:2025-08-07).")
    reliability: float = Field(strict=True, default=1.0, ge=0.0, le=1.0,
                               description="Probability that the promised relief is kept.")

    @field_validator("allies")
    @classmethod
    def _few_distinct_allies(cls, allies: list[str], info: ValidationInfo) -> list[str]:
        return check_allies(allies, info, limit=MAX_WEB_ALLIES, command="coalitions",
                            consequence=f" make {2 ** len(allies):,} coalitions")

    _not_the_leader = field_validator("target")(check_not_leader)

    @field_validator("retaliation")
    @classmethod
    def _optimal_needs_few_allies(cls, retaliation: str, info: ValidationInfo) -> str:
        n = len(info.data.get("allies") or [])
        return check_optimal_allies(retaliation, info, limit=MAX_OPTIMAL_ALLIES,
                                    cost=f"in each of the {2 ** n} coalitions")

    @field_validator("us_tariffs_on_allies")
    @classmethod
    def _no_paths(cls, value: str) -> str:
        if value == "none" or value in _BUILTINS or _LAYER.match(value):
            return value
        raise ValueError(f"{value!r}; allowed: none, a built-in scenario name (e.g. "
                         "america-first) or a tariff layer NAME:YYYY-MM-DD (e.g. "
                         "us-2025:2025-08-07); files are not read by the web")


_FIELDS = ("allies", "leader", "target", "us_tariffs_on_allies", "sectors", "tariff",
           "retaliation", "reliability", "regions")
def _field_of(message: str) -> str | None:
    """The request field a message of the analysis names (first mentioned), if any."""
    text = message.lower()
    hits = [(text.find(f.replace("_", "-")) if f.replace("_", "-") in text else text.find(f), f)
            for f in _FIELDS if f in text or f.replace("_", "-") in text]
    return min(hits)[1] if hits else None



def run_coalitions_job(params: CoalitionsJob, ctx: JobContext) -> dict[str, Any]:
    """Job ``coalitions`` (see the module docstring)."""
    from ..analysis import coalition_analysis

    ctx.progress(0, 1, f"loading {params.dataset} ({params.regions})")
    baseline = job_baseline(ctx, params)
    n = len(params.allies)

    def progress(done: int, total: int) -> None:
        ctx.progress(done, total, f"{2 ** n} coalitions: chunk {done} of {total}")

    try:
        result = coalition_analysis(
            baseline, leader=params.leader, target=params.target, allies=list(params.allies),
            tariff=params.tariff, sectors=params.sectors, retaliation=params.retaliation,
            us_tariffs_on_allies=params.us_tariffs_on_allies, reliability=params.reliability,
            scheduler="local", workers=1, checkpoint_dir=None, progress=progress)
    except UserInputError as exc:
        field = _field_of(str(exc))
        raise TaskError(422, [{"loc": ["body", field] if field else ["body"], "msg": str(exc),
                               "type": "user_input_error"}]) from None
    data = result.to_json()
    labels = baseline.sector_labels
    data["sector_labels"] = {s: labels.get(s, s) for s in data["settings"]["sectors"]}
    ctx.progress(1, 1, "done")
    return data


register_job_kind("coalitions", CoalitionsJob, run_coalitions_job, priority=LONG_JOB,
                  example={"allies": ["JPN", "KOR"]})
