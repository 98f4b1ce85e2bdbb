"""Response models of the JSON API: the documentation of its contract in the OpenAPI schema.

The run's keys are those of ``ScenarioResult.to_json()`` (docs/json-contract.md);
tests/web/test_models.py checks these models against the result contract's keys, so the two
cannot drift apart.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from ..options import (
    Dataset,
    DeficitClosure,
    ElasticitySet,
    RegionsName,
    RequestClosure,
    Retaliation,
)

__all__ = [
    "ERRORS",
    "NOT_FOUND",
    "BaselineOut",
    "BilateralRow",
    "CountryResult",
    "ErrorOut",
    "HealthOut",
    "JobOut",
    "MapOut",
    "RunOut",
    "RunSummary",
    "ScenarioInfo",
    "SectorRow",
    "SolverInfo",
    "SummaryOut",
    "responses",
]


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorOut(BaseModel):
    detail: str | list[FieldError]


class CountryResult(BaseModel):
    welfare_pct: float | None = None
    real_wage_pct: float | None = None
    exports_pct: float | None = None
    imports_pct: float | None = None
    tariff_revenue_musd: float | None = None
    real_income_change_musd: float | None = None
    welfare_decomposition_pct: float | None = None
    terms_of_trade_pct: float | None = None
    volume_of_trade_pct: float | None = None
    price_index_pct: float | None = None
    deficit_change_musd: float | None = None
    welfare_transfer_pct: float | None = None
    welfare_excl_transfer_pct: float | None = None
    employment_pct: float | None = Field(
        None, description="Only with labour_supply > 0: change of employment, percent.")
    welfare_utility_pct: float | None = Field(
        None, description="Only with labour_supply > 0: welfare with the disutility of work, percent.")


class BilateralRow(BaseModel):
    exporter: str
    importer: str
    before_musd: float | None
    after_musd: float | None
    change_pct: float | None
    goods_before_musd: float | None = None
    goods_after_musd: float | None = None
    goods_change_pct: float | None = None


class SectorRow(BaseModel):
    country: str
    sector: str
    output_before_musd: float | None
    output_after_musd: float | None
    output_pct: float | None
    exports_before_musd: float | None
    exports_after_musd: float | None
    exports_pct: float | None


class SolverInfo(BaseModel):
    converged: bool
    iterations: int
    max_residual: float | None
    seconds: float | None
    #: the engine's plausibility guard (docs/guarantees.md): flagged, never refused
    plausible: bool = True
    plausibility_issues: list[str] = []


class StepResult(BaseModel):
    label: str
    date: str | None
    countries: dict[str, dict[str, float | None]]
    solver: SolverInfo


class RunOut(BaseModel):
    """The JSON of a run, exactly as ``tradewar run --json`` writes it."""

    scenario: str
    description: str
    sources: list[str]
    baseline: dict[str, Any]
    closure: DeficitClosure
    countries: dict[str, CountryResult]
    bilateral: list[BilateralRow]
    sectors: list[SectorRow]
    steps: list[StepResult]
    solver: SolverInfo
    assumptions: list[str]
    region_members: dict[str, list[str]] | None = None


class RunSummary(BaseModel):
    id: str
    scenario: str
    options: dict[str, Any]
    created: float
    bytes: int


class MapOut(BaseModel):
    """Which run entry colours each economy of the map (ISO3 → key of ``countries``)."""

    locations: list[str]
    keys: list[str]


class Progress(BaseModel):
    done: int
    total: int
    message: str


class JobOut(BaseModel):
    id: str
    kind: str
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    progress: Progress
    created: float
    started: float | None
    finished: float | None
    result: Any = None
    error: dict[str, Any] | None = None
    cached: bool = Field(False, description="Answered from the server's cache (no worker ran).")


class PairOut(BaseModel):
    exporter: str
    importer: str
    before_musd: float
    after_musd: float
    change_pct: float
    goods: bool


class SummaryOut(BaseModel):
    """The facts a run's summary states (:class:`tradewar.report.RunSummary`): who loses most
    and who gains most (welfare in %, real income in millions of USD), US-China trade both ways,
    the band of a sweep (economy -> [p05, median, p95] of welfare %), the horizon, the last
    dated step."""

    scenario: str
    loser: str
    loser_pct: float
    loser_musd: float | None
    gainer: str | None
    gainer_pct: float | None
    gainer_musd: float | None
    pair: list[PairOut]
    band: dict[str, list[float]]
    draws: int
    horizon: str | None
    date: str | None
    description: str
    starting_tariffs: str | None


class ScenarioInfo(BaseModel):
    name: str
    title: str
    description: str
    sources: list[str]
    steps: int
    retaliation: Retaliation


class SectorInfo(BaseModel):
    code: str
    label: str


class BaselineOut(BaseModel):
    dataset: Dataset
    year: int
    elasticity: ElasticitySet
    regions: RegionsName | None
    deficits: RequestClosure
    description: str
    countries: list[str]
    sectors: list[SectorInfo]
    region_members: dict[str, list[str]] | None


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str
    pool: dict[str, Any]
    cache: dict[str, int]
    jobs: dict[str, int]
    limits: dict[str, Any]


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The body is not readable (e.g. not UTF-8)."},
    413: {"model": ErrorOut, "description": "Request body too large."},
    422: {"model": ErrorOut, "description": "Invalid request: field-level messages."},
    429: {"model": ErrorOut, "description": "Too many computations waiting (see Retry-After)."},
    503: {"model": ErrorOut, "description": "Data missing on the server, or it is stopping."},
    504: {"model": ErrorOut, "description": "The computation exceeded its time limit."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "Unknown id."}}


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {c: ERRORS[c] for c in codes}
