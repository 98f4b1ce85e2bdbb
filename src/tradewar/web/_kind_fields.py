"""Request fields and checks the analysis job kinds share (one place): the baseline of an
analysis (named regions, the 81 economies refused with the reason, and the horizon), economy
codes, the allies of a coalition or a threat, ``optimal`` retaliation with few allies, and a
field-level refusal of a job.

Limits that keep the server alive are stated by each kind (``MAX_WEB_ALLIES`` ...); the checks
here phrase them alike: what was asked, what is allowed, and that the CLI takes more.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo

from ..options import REGIONS_NAMES, Horizon, RegionsName
from ._cache import BaselineChoice
from ._errors import TaskError

__all__ = ["AnalysisBaseline", "Code", "WebRegions", "check_allies", "check_not_leader",
           "check_optimal_allies", "field_refusal", "unknown_economy"]

#: An economy or bloc code as the CLI takes it (ISO3, EU27, ASEAN...).
Code = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]{1,9}$",
                            description="An economy or bloc code (ISO3, EU27, ASEAN...).")]


def _named_regions(value: Any) -> Any:
    if value is None:
        raise ValueError("the 81 economies are refused in the browser (an analysis solves the "
                         "model many times: minutes of a worker); allowed: "
                         + " or ".join(repr(r) for r in REGIONS_NAMES)
                         + " (the CLI runs every economy)")
    return value


#: Named regions only (an analysis on the 81 economies holds a worker for minutes).
WebRegions = Annotated[RegionsName, BeforeValidator(_named_regions)]


class AnalysisBaseline(BaselineChoice):
    """The baseline of an analysis job (coalitions, escalation, Nash and talks): dataset, year,
    elasticity set, named regions and the horizon, as the CLI's ``--regions`` and
    ``--horizon`` (:func:`tradewar.web._kind_memo.job_baseline` loads it)."""

    regions: WebRegions = Field("g14", description="Named regions (the 81 economies are "
                                 "refused on the web: too slow for a browser job).")
    horizon: Horizon = Field(
        "long", description="Trade elasticities of the horizon: long (as published) or short "
                            "(about one year; tradewar.data.with_horizon), as the CLI's --horizon.")


def check_allies(allies: list[str], info: ValidationInfo, *, limit: int, command: str,
                 consequence: str = "") -> list[str]:
    """At most ``limit`` distinct allies, neither the leader nor the target (``info.data``);
    ``consequence`` says what their number costs (e.g. " make 2,048 coalitions")."""
    if len(allies) > limit:
        raise ValueError(f"{len(allies)} allies{consequence}; allowed: at most {limit} allies in "
                         f"the browser (the CLI `tradewar {command}` takes more)")
    if len(set(allies)) != len(allies):
        raise ValueError("an ally is listed twice; allowed: distinct allies")
    for name in ("leader", "target"):
        if info.data.get(name) in allies:
            raise ValueError(f"the {name} {info.data[name]!r} is among the allies; allowed: "
                             "allies other than the leader and the target")
    return allies


def check_not_leader(target: str, info: ValidationInfo) -> str:
    """The target is not the leader (``info.data``)."""
    if target == info.data.get("leader"):
        raise ValueError(f"target {target!r} is the leader; allowed: another economy")
    return target


def check_optimal_allies(retaliation: str, info: ValidationInfo, *, limit: int,
                         cost: str) -> str:
    """``optimal`` retaliation (a best response per solve, ``cost``) only with at most
    ``limit`` allies (``info.data["allies"]``)."""
    allies = info.data.get("allies") or []
    if retaliation == "optimal" and len(allies) > limit:
        raise ValueError(f"optimal retaliation solves a best response {cost}; allowed with at "
                         f"most {limit} all{'y' if limit == 1 else 'ies'} in the browser (or "
                         "none/mirror)")
    return retaliation


def field_refusal(field: str, message: str, kind: str = "user_input_error") -> TaskError:
    """A job's refusal (HTTP 422) at ``body.<field>``."""
    return TaskError(422, [{"loc": ["body", field], "msg": message, "type": kind}])


def unknown_economy(field: str, code: str, countries: Any) -> TaskError:
    """An economy the baseline lacks, named at its field with the economies allowed."""
    return field_refusal(field, f"{field}: unknown country {code!r}; allowed: "
                                f"{', '.join(sorted(countries))}", "unknown_country_error")
