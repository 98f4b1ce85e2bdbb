"""Job kind ``exposure``: how much an economy depends on a partner (``tradewar exposure``).

Two forms, as on the command line:

- one baseline (``dataset``, ``year``): every ordered pair, or those of ``exporter`` and/or
  ``partner`` (both directions when both are given);
- a time series (``years``, with ``exporter`` and ``partner``): the pair across the WIOD
  (2000–2014) and ICIO (2011–2022) datasets, as ``tradewar exposure CHN --partner USA --years
  2000-2022``.

The result is the :class:`tradewar.analysis.ExposureResult`'s JSON (``{"rows": [...]}``, keys
its table's columns: percentages of the exporter's GDP) plus ``columns``. With a ``partner``, it
also has ``map``: :func:`tradewar.analysis.exposure_map` of one year (``map_year``; default the
last year of ``years``, else the baseline's ``year``) on ``dataset`` when it covers that year,
else the other dataset: ``{"partner", "year", "dataset", "rows"}``, the rows of ``tradewar
exposure --partner P --year Y --map --json``. One more job kind for
the browser is a module like this one (a request model, a function, one registration line).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from ..errors import UnknownCountryError, UserInputError
from ..options import DEFAULT_YEAR, YEARS
from ._cache import BaselineChoice, RunOptions
from ._kind_fields import Code, field_refusal
from ._kinds import LONG_JOB, register_job_kind
from ._work import JobContext

__all__ = ["ExposureJob", "run_exposure_job"]

_ALL_YEARS = sorted(set(YEARS["wiod"]) | set(YEARS["icio"]))


class ExposureJob(BaselineChoice):
    """Exports to a partner and value added absorbed by its final demand, % of GDP (the
    baseline's ``dataset``/``year``, or a series over ``years``)."""

    kind: Literal["exposure"] = "exposure"
    exporter: Code | None = Field(None, description="Exporter; default every economy.")
    partner: Code | None = Field(None, description="Partner; default every economy.")
    years: list[Annotated[int, Field(ge=_ALL_YEARS[0], le=_ALL_YEARS[-1])]] | None = Field(
        None, min_length=1, max_length=len(_ALL_YEARS),
        description="A time series of the pair across wiod (2000-2014) and icio (2011-2022); "
                    "needs exporter and partner.")
    map_year: int | None = Field(
        None, description=f"The year of the map (every economy's exposure to partner, both "
                          f"directions; needs partner): {_ALL_YEARS[0]}-{_ALL_YEARS[-1]}; default "
                          "the last of years, else the baseline's year.")

    @field_validator("partner")
    @classmethod
    def _not_the_exporter(cls, partner: str | None, info: ValidationInfo) -> str | None:
        if partner is not None and partner == info.data.get("exporter"):
            raise ValueError(f"partner {partner!r} is the exporter: exposure of an economy to "
                             "itself is not defined; allowed: a different partner")
        return partner

    @field_validator("years")
    @classmethod
    def _a_pair(cls, years: list[int] | None, info: ValidationInfo) -> list[int] | None:
        if years is not None and (info.data.get("exporter") is None
                                  or info.data.get("partner") is None):
            raise ValueError("years (a time series) needs both exporter and partner")
        return years


    @field_validator("map_year")
    @classmethod
    def _a_year_with_data(cls, map_year: int | None, info: ValidationInfo) -> int | None:
        if map_year is not None and map_year not in _ALL_YEARS:
            raise ValueError(f"map_year {map_year}: no data; allowed: {_ALL_YEARS[0]}-"
                             f"{_ALL_YEARS[-1]} (wiod {YEARS['wiod'][0]}-{YEARS['wiod'][-1]}, "
                             f"icio {YEARS['icio'][0]}-{YEARS['icio'][-1]})")
        if map_year is not None and info.data.get("partner") is None:
            raise ValueError("map_year (the map of every economy's exposure to a partner) needs "
                             "partner")
        return map_year


def _check_code(field: str, code: str | None, countries: tuple[str, ...], where: str) -> None:
    if code is not None and code not in countries:
        raise field_refusal(field, f"{field}: {UnknownCountryError(code, countries, where=where)}",
                            "unknown_country_error")


def run_exposure_job(params: ExposureJob, ctx: JobContext) -> dict[str, Any]:
    """Job ``exposure`` (see the module docstring)."""
    from ..analysis import ExposureResult, exposure_map, exposure_series, exposure_table

    def load(dataset: str, year: int) -> Any:
        baseline = ctx.baseline(RunOptions.model_validate(
            {"dataset": dataset, "year": year, "elasticity": params.elasticity}))
        for field in ("exporter", "partner"):
            _check_code(field, getattr(params, field), tuple(baseline.countries),
                        f"{dataset} {year}")
        return baseline

    if params.years is not None:
        assert params.exporter is not None and params.partner is not None
        wanted = sorted(set(params.years))
        total = sum(1 for d in ("wiod", "icio") for y in YEARS[d] if y in wanted)
        done = [0]

        def counted(dataset: str, year: int) -> Any:
            ctx.progress(done[0], total, f"exposure on {dataset} {year}")
            done[0] += 1
            return load(dataset, year)

        try:
            frame = exposure_series(params.exporter, params.partner, wanted, loader=counted)
        except UserInputError as exc:
            raise field_refusal("years", str(exc)) from None
    else:
        year = params.year if params.year is not None else DEFAULT_YEAR[params.dataset]
        ctx.progress(0, 1, f"exposure on {params.dataset} {year}")
        frame = exposure_table(load(params.dataset, year))
        if params.exporter is not None and params.partner is not None:
            pair = {(params.exporter, params.partner), (params.partner, params.exporter)}
            frame = frame[[(e, p) in pair for e, p in zip(frame.exporter, frame.partner,
                                                          strict=True)]]
        elif params.exporter is not None:
            frame = frame[frame.exporter == params.exporter]
        elif params.partner is not None:
            frame = frame[frame.partner == params.partner]
        total = 1
    out: dict[str, Any] = {"columns": [str(c) for c in frame.columns],
                           **ExposureResult(frame.reset_index(drop=True)).to_json()}
    if params.partner is not None:
        map_year = (params.map_year if params.map_year is not None
                    else max(params.years) if params.years is not None
                    else params.year if params.year is not None
                    else DEFAULT_YEAR[params.dataset])
        map_dataset = (params.dataset if map_year in YEARS[params.dataset]
                       else next(d for d in ("icio", "wiod") if map_year in YEARS[d]))
        ctx.progress(total, total + 1, f"map of {map_dataset} {map_year}")
        out["map"] = {"partner": params.partner, "year": map_year, "dataset": map_dataset,
                      **exposure_map(load(map_dataset, map_year), params.partner).to_json()}
        total += 1
    ctx.progress(total, total, "done")
    return out


register_job_kind("exposure", ExposureJob, run_exposure_job, priority=LONG_JOB,
                  example={"exporter": "CHN", "partner": "USA"})
