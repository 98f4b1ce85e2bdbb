"""Job kind ``tariffs``: the effective tariff of an importer on a partner in force on a date
(``tradewar tariffs``).

The rates are :func:`tradewar.data.tariffs_in_force_table`'s, the function the CLI calls:
statutory rates at their effective dates, with carve-outs, trade-weighted at pre-shock weights
(docs/tariffs.md). The result is what ``tradewar tariffs IMPORTER EXPORTER [--date D]
[--series] [--by-sector] [--dating …] [--without …] --json`` prints — ``{"rows", "notes",
"sources"}``, each row with the stable keys ``date``, ``importer``, ``exporter``, ``sector``,
``rate_pct``, ``weights`` (plus ``increase_pct``, ``start_pct``, ``weights_musd``; rates in
percent, weights in millions of USD) — plus ``sector_labels`` (code → name) and, with
``chart``, the rows of ``tradewar tariffs --chart``: the US on the world, the US on China and
China on the US at every dated step from 2025-01-01 to the latest (``sector == "goods"``).

Quick (one to three seconds): a :data:`~tradewar.web.QUICK_JOB`; identical requests are
answered from the server's result cache (:mod:`._kind_memo`).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..data import CARVE_OUTS, DATINGS, IMPORTERS_WITH_LAYER, parse_in_force_date
from ..errors import UserInputError
from ._errors import TaskError
from ._kinds import QUICK_JOB, register_job_kind
from ._work import JobContext

__all__ = ["TariffsJob", "run_tariffs_job", "tariffs_json"]

#: Keys of a row of the JSON, in the CLI's order.
ROW_KEYS = ("date", "importer", "exporter", "sector", "rate_pct", "weights", "increase_pct",
            "start_pct", "weights_musd")

Importer = Literal[IMPORTERS_WITH_LAYER]  # type: ignore[valid-type]
Dating = Literal[DATINGS]  # type: ignore[valid-type]
CarveOut = Literal[tuple(CARVE_OUTS)]  # type: ignore[valid-type]
Partner = Annotated[str, Field(
    pattern=r"^[A-Z][A-Z0-9]{1,9}$",
    description="Partner: ISO3, EU27, or WORLD (US only: the tracker's partners).")]



class TariffsJob(BaseModel):
    """The tariffs of an importer on a partner in force on a date, or at every dated step up
    to it (``series``); by ICIO goods sector or in total (percent, trade-weighted)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["tariffs"] = "tariffs"
    importer: Importer = Field("USA", description="Importer with a tariff layer.")
    exporter: Partner = "CHN"
    date: str = Field("latest", max_length=32,
                      description="YYYY-MM-DD from 2025-01-01, or 'latest' (a date after the last "
                                  "dated step gives that step's rates, with a note).")
    series: bool = Field(False, strict=True, description="Every dated step from 2025-01-01 to date.")
    by_sector: bool = Field(False, strict=True, description="One row per ICIO goods sector (and the total).")
    dating: Dating = Field("effective", description="effective (the orders' effective dates) or "
                                                    "tracker (the tracker's row dates).")
    without: list[CarveOut] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=len(CARVE_OUTS),
        description="Exemption lists switched off, to see what they do.")
    chart: bool = Field(False, strict=True, description="Also the rows of the CLI's --chart (US on the world, "
                                           "US on China, China on the US at every dated step).")

    @field_validator("date")
    @classmethod
    def _a_date(cls, when: str) -> str:
        try:
            parse_in_force_date(when)  # the CLI's check: a date from 2025-01-01, or 'latest'
        except UserInputError as exc:
            raise ValueError(str(exc)) from None
        return when.strip()

    @field_validator("without")
    @classmethod
    def _once(cls, names: list[str]) -> list[str]:
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"exemption list {twice[0]!r} listed twice; list each once")
        return names


def _rows(frame: Any) -> list[dict[str, Any]]:
    """The rows as the CLI's ``--json`` prints them (a NaN or infinite number as ``None``)."""
    return [{k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in row.items()}
            for row in frame[list(ROW_KEYS)].to_dict(orient="records")]


def tariffs_json(params: TariffsJob, data_dir: str | None = None) -> dict[str, Any]:
    """The JSON of ``tradewar tariffs … --json`` for ``params`` (see the module docstring).

    Raises:
        UserInputError: an exporter the importer's layer does not cover (the message lists
            those it does).
    """
    from ..data import (
        in_force_series_dates,
        sector_labels,
        tariffs_in_force_series,
        tariffs_in_force_table,
    )

    dates: tuple[Any, ...] = (  # as the CLI: 2025-01-01 and every dated step up to the date
        in_force_series_dates(params.importer, params.date, dating=params.dating)
        if params.series else (params.date,))
    table, notes, sources = tariffs_in_force_table(
        (params.importer,), (params.exporter,), dates, by_sector=params.by_sector,
        dating=params.dating, without=tuple(params.without), data_dir=data_dir)
    codes = tuple(dict.fromkeys(str(c) for c in table["sector"] if c != "goods"))
    labels = {"goods": "all goods (import-weighted)", **sector_labels(codes)}
    out: dict[str, Any] = {"rows": _rows(table), "notes": list(notes), "sources": list(sources),
                           "sector_labels": labels}
    if params.chart:
        out["chart"] = {"rows": _rows(tariffs_in_force_series(dating=params.dating,
                                                               data_dir=data_dir))}
    return out


def run_tariffs_job(params: TariffsJob, ctx: JobContext) -> dict[str, Any]:
    """Job ``tariffs`` (see the module docstring)."""
    what = f"tariffs of {params.importer} on {params.exporter}"
    ctx.progress(0, 1, what + (" at every dated step" if params.series else f" on {params.date}"))
    try:
        result = tariffs_json(params, ctx.data_dir)
    except UserInputError as exc:
        raise TaskError(422, [{"loc": ["body", "exporter"], "msg": f"exporter: {exc}",
                               "type": "user_input_error"}]) from None
    ctx.progress(1, 1, "done")
    return result


register_job_kind("tariffs", TariffsJob, run_tariffs_job, priority=QUICK_JOB)
