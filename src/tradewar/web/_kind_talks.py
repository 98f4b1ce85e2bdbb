"""Job kind ``talks``: the Nash tariff war and the trade talks from it (``tradewar nash`` and
``tradewar talks``).

The request names 2 to :data:`MAX_WEB_PLAYERS` players on a baseline aggregated to named regions
(``g14`` by default; the 81 economies are refused: a Nash war there holds a worker for many
minutes). The result is ``{"war": nash_tariffs(...).to_json(), "talks": trade_talks(...).to_json()}``
of :mod:`tradewar.analysis` (tariffs are fractions, welfare in %); ``talks`` is ``null`` when the
war has no equilibrium (its ``message`` says why). The server keeps the results by request hash
(:mod:`tradewar.web._kind_memo`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from ..errors import UserInputError
from ._kind_fields import AnalysisBaseline, Code, field_refusal, unknown_economy
from ._kind_memo import job_baseline
from ._kinds import LONG_JOB, register_job_kind
from ._work import JobContext

__all__ = ["MAX_WEB_PLAYERS", "TalksJob", "run_talks_job"]

#: More players than this are refused by the web (each plays a best response every round).
MAX_WEB_PLAYERS = 4



class TalksJob(AnalysisBaseline):
    """The Nash tariff war of ``players`` (uniform tariffs, zero deficits as the CLI) and the
    trade talks that start from it (equal percentage gains)."""

    kind: Literal["talks"] = "talks"
    players: list[Code] = Field(["USA", "CHN"], min_length=2,
                                description=f"2 to {MAX_WEB_PLAYERS} players.")

    @field_validator("players")
    @classmethod
    def _few_distinct_players(cls, players: list[str]) -> list[str]:
        if len(players) > MAX_WEB_PLAYERS:
            raise ValueError(f"{len(players)} players; allowed: at most {MAX_WEB_PLAYERS} in the "
                             "browser (the CLI `tradewar nash` takes more)")
        if len(set(players)) != len(players):
            raise ValueError("a player is listed twice; allowed: distinct players")
        return players



def run_talks_job(params: TalksJob, ctx: JobContext) -> dict[str, Any]:
    """Job ``talks`` (see the module docstring)."""
    from ..analysis import nash_tariffs, trade_talks

    economy = job_baseline(ctx, params).economy
    for code in params.players:
        if code not in economy.countries:
            raise unknown_economy("players", code, economy.countries)
    ctx.progress(0, 2, "the Nash war: best responses")
    try:
        war = nash_tariffs(economy, list(params.players), deficits="zero")
        ctx.progress(1, 2, "the talks from the war")
        talks = trade_talks(economy, war).to_json() if war.converged else None
    except UserInputError as exc:
        raise field_refusal("players", str(exc)) from None
    data = {"war": war.to_json(), "talks": talks}
    ctx.progress(2, 2, "done")
    return data


register_job_kind("talks", TalksJob, run_talks_job, priority=LONG_JOB,
                  example={"players": ["USA", "CHN"]})
