"""The scenario language: one schema for TOML files and Python objects (pydantic v2).

Every model forbids unknown keys. A scenario is a list of policy changes applied to a starting
point (``start``): tariff actions, agreements, coalitions, deficit changes, a retaliation rule,
and optionally a dated ladder of steps (one equilibrium per step, cumulative).

Units: tariffs are FRACTIONS (``set = 0.30`` is 30 %; ``add = 1.45`` is +145 points); deficits
are millions of USD. A rate may also quote a tariff layer as ``"<layer>:<YYYY-MM-DD>"`` (see
:data:`tradewar.data._tariff_layer.LAYERS`): ``add = "us-2025:2025-04-05"`` adds the US 2025
layer on the action's exporter as it stood that day.

Constructing a model with bad input raises :class:`tradewar.errors.ScenarioError` naming the
key path and the allowed values (files add the file name and line, see :mod:`._load`).
"""

from __future__ import annotations

from datetime import date as Date
from typing import Any

from pydantic import Field, PrivateAttr, field_validator, model_validator

from ..options import DeficitClosure, Start
from ._fields import (
    ALLOWED,
    BUILTIN_RETALIATION,
    RETALIATION_RULES,
    START_VALUES,
    Rate,
    Sectors,
    _check_number,
    _check_rate,
    _codes,
    _Model,
    allowed_retaliation,
)
from ._nontariff import Depth, Rents, check_positive_number

__all__ = [
    "ALLOWED",
    "BUILTIN_RETALIATION",
    "RETALIATION_RULES",
    "START_VALUES",
    "Agreement",
    "Coalition",
    "DeficitChange",
    "ExistingAgreement",
    "ExportTaxAction",
    "Rate",
    "Scenario",
    "Sectors",
    "Step",
    "TariffAction",
    "TradeCostAction",
    "allowed_retaliation",
]


class TariffAction(_Model):
    """Importer(s) change their tariffs on exporter(s): exactly one of ``set`` (new rate) or
    ``add`` (points added). ``sectors``: ``"goods"`` (default), ``"all"`` or a list of codes.
    ``date`` and ``note`` are informational."""

    importer: str | list[str]
    exporter: str | list[str]
    sectors: Sectors = "goods"
    set: Rate | None = None
    add: Rate | None = None
    date: Date | None = None
    note: str | None = None

    @field_validator("importer", "exporter")
    @classmethod
    def _names(cls, v: Any, info: Any) -> Any:
        return _codes(v, info.field_name)

    @field_validator("set", "add", mode="before")
    @classmethod
    def _rate(cls, v: Any, info: Any) -> Any:
        return None if v is None else _check_rate(v, info.field_name)

    @field_validator("set")
    @classmethod
    def _set_above_minus_one(cls, v: Any) -> Any:
        if isinstance(v, float) and v <= -1.0:
            raise ValueError(f"{v} is a tariff of {100 * v:g} %; allowed: > -1 (-100 %)")
        return v

    @model_validator(mode="after")
    def _one_of(self) -> TariffAction:
        if (self.set is None) == (self.add is None):
            both = "both" if self.set is not None else "neither"
            raise ValueError(f"{both} of `set` and `add` given; allowed: exactly one of `set` "
                             "(new rate, fraction) or `add` (points added, fraction)")
        return self


# ---- beyond tariffs (issue 12): trade costs, export taxes and controls, deep agreements ----
class TradeCostAction(_Model):
    """Non-tariff (iceberg) trade costs of importer(s) on exporter(s): exactly one of ``ave``
    (points of the delivered price) or ``factor`` (the iceberg factor)."""

    importer: str | list[str]
    exporter: str | list[str]
    sectors: Sectors = "goods"
    ave: float | None = None
    factor: float | None = None
    date: Date | None = None
    note: str | None = None

    @field_validator("importer", "exporter")
    @classmethod
    def _names(cls, v: Any, info: Any) -> Any:
        return _codes(v, info.field_name)

    @field_validator("ave", mode="before")
    @classmethod
    def _ave(cls, v: Any) -> Any:
        return check_positive_number(v, "ave", lower=-1.0)

    @field_validator("factor", mode="before")
    @classmethod
    def _factor(cls, v: Any) -> Any:
        return check_positive_number(v, "factor", lower=0.0)

    @model_validator(mode="after")
    def _one_of(self) -> Any:
        if (self.ave is None) == (self.factor is None):
            both = "both" if self.ave is not None else "neither"
            raise ValueError(f"{both} of `ave` and `factor` given; allowed: exactly one of "
                             "`ave` (points of the delivered price, fraction) or `factor` "
                             "(iceberg factor, > 0)")
        return self

    @property
    def iceberg(self) -> float:
        return float(self.factor) if self.factor is not None else 1.0 + float(self.ave or 0.0)


class ExportTaxAction(_Model):
    """An export tax or export control of exporter(s) on sales to destination(s)."""

    exporter: str | list[str]
    destination: str | list[str] = "ALL"
    sectors: Sectors = "goods"
    rate: float | None = None
    prohibitive: bool = False
    lift: bool = False
    rents: Rents = "exporter"
    date: Date | None = None
    note: str | None = None

    @field_validator("exporter", "destination")
    @classmethod
    def _names(cls, v: Any, info: Any) -> Any:
        return _codes(v, info.field_name)

    @field_validator("rate", mode="before")
    @classmethod
    def _rate(cls, v: Any) -> Any:
        return check_positive_number(v, "rate", lower=-1.0)

    @field_validator("prohibitive", "lift", mode="before")
    @classmethod
    def _flag(cls, v: Any, info: Any) -> Any:
        if not isinstance(v, bool):
            raise ValueError(f"{v!r} is not true/false; allowed: {ALLOWED[info.field_name]}")
        return v

    @model_validator(mode="after")
    def _one_of(self) -> Any:
        given = [k for k, on in (("rate", self.rate is not None), ("prohibitive = true", self.prohibitive),
                                 ("lift = true", self.lift)) if on]
        if len(given) != 1:
            what = " and ".join(f"`{g}`" for g in given) if given else "none"
            raise ValueError(f"{what} given; allowed: exactly one of `rate` (tax equivalent, "
                             "fraction > -1), `prohibitive = true` (an export ban) or "
                             "`lift = true` (end a ban)")
        return self


class ExistingAgreement(_Model):
    """A member pair already in an agreement of its own (no second non-tariff cut)."""

    pair: list[str]
    since: int
    source: str

    @field_validator("pair")
    @classmethod
    def _pair(cls, v: Any) -> Any:
        if len(v) != 2:
            raise ValueError(f"{v!r}; allowed: {ALLOWED['pair']}")
        return _codes(v, "pair")


class Agreement(_Model):
    """A free-trade agreement: tariffs among ``members`` set to zero (goods and services).
    ``depth = "deep"`` also lowers non-tariff trade costs among them by a gravity estimate
    (``effect``, default our PPML estimate; ``effect_source`` cites a value passed instead),
    except on the ``existing`` pairs already in an agreement before the data year
    (:mod:`._nontariff`)."""

    members: list[str] = Field(min_length=1)
    name: str | None = None
    date: Date | None = None
    note: str | None = None
    depth: Depth = "tariffs"
    effect: float | None = None
    effect_source: str | None = None
    existing: list[ExistingAgreement] = Field(default_factory=list)

    @field_validator("effect", mode="before")
    @classmethod
    def _effect(cls, v: Any) -> Any:
        return check_positive_number(v, "effect", lower=0.0)

    @model_validator(mode="after")
    def _deep(self) -> Agreement:
        if self.effect is not None and not (self.effect_source or "").strip():
            raise ValueError("`effect` given without `effect_source`; allowed: cite the published "
                             "estimate in effect_source (or leave effect out for tradewar's PPML estimate)")
        if self.depth != "deep" and (self.effect is not None or self.existing):
            raise ValueError(f"`effect`/`existing` with depth = {self.depth!r}; allowed: depth = 'deep'")
        return self

    @field_validator("members")
    @classmethod
    def _names(cls, v: Any) -> Any:
        return _codes(v, "members")


class Coalition(_Model):
    """Each member adds ``tariff`` points on ``target`` in ``sectors`` (default goods)."""

    members: list[str] = Field(min_length=1)
    target: str
    tariff: Rate
    sectors: Sectors = "goods"
    ban_sectors: Sectors | None = None
    name: str | None = None
    note: str | None = None

    @field_validator("members")
    @classmethod
    def _names(cls, v: Any) -> Any:
        return _codes(v, "members")

    @field_validator("target")
    @classmethod
    def _target(cls, v: Any) -> Any:
        return _codes(v, "target")

    @field_validator("tariff", mode="before")
    @classmethod
    def _rate(cls, v: Any) -> Any:
        return _check_rate(v, "tariff")


class DeficitChange(_Model):
    """A new trade deficit for ``country``: ``set`` (millions USD) or ``scale`` (factor on its
    current imbalance). Every other economy adjusts in proportion to its value added so that
    deficits sum to zero; the closure is ``given``."""

    country: str
    set: float | None = None
    scale: float | None = None
    note: str | None = None

    @field_validator("set", "scale", mode="before")
    @classmethod
    def _number(cls, v: Any, info: Any) -> Any:
        return None if v is None else _check_number(v, info.field_name)

    @model_validator(mode="after")
    def _one_of(self) -> DeficitChange:
        if (self.set is None) == (self.scale is None):
            both = "both" if self.set is not None else "neither"
            raise ValueError(f"{both} of `set` and `scale` given; allowed: exactly one of `set` "
                             "(millions USD) or `scale` (factor on the current imbalance)")
        return self


class Step(_Model):
    """One dated step of a ladder: its own actions, applied on top of the previous step."""

    date: Date
    label: str
    tariff: list[TariffAction] = Field(default_factory=list)
    agreement: list[Agreement] = Field(default_factory=list)
    coalition: list[Coalition] = Field(default_factory=list)
    trade_cost: list[TradeCostAction] = Field(default_factory=list)
    export_tax: list[ExportTaxAction] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Step:
        if not (self.tariff or self.agreement or self.coalition or self.trade_cost or self.export_tax):
            raise ValueError(f"step {self.label!r} has no action; allowed: at least one "
                             "[[step.tariff]], [[step.agreement]], [[step.coalition]], "
                             "[[step.trade_cost]] or [[step.export_tax]]")
        return self


class Scenario(_Model):
    """A validated scenario (semantics: :mod:`tradewar.scenario._compile`).

    ``start``: ``"in-force-2025"`` (default: the tariffs in force on 2025-01-01, i.e. the
    dataset's MFN/preferential tariffs plus the 2018–19 US–China war layer) or ``"baseline"``
    (the dataset's tariffs). Top-level actions apply first (with their retaliation), then each
    step in date order, cumulatively; one equilibrium per step (one for a scenario without
    steps).
    """

    name: str = Field(min_length=1)
    description: str = ""
    sources: list[str] = Field(default_factory=list)
    start: Start = "in-force-2025"
    tariff: list[TariffAction] = Field(default_factory=list)
    agreement: list[Agreement] = Field(default_factory=list)
    coalition: list[Coalition] = Field(default_factory=list)
    trade_cost: list[TradeCostAction] = Field(default_factory=list)
    export_tax: list[ExportTaxAction] = Field(default_factory=list)
    deficit: list[DeficitChange] = Field(default_factory=list)
    closure: DeficitClosure | None = None
    retaliation: str = "none"
    step: list[Step] = Field(default_factory=list)

    _source_name: str | None = PrivateAttr(default=None)
    _source_text: str | None = PrivateAttr(default=None)

    @field_validator("retaliation")
    @classmethod
    def _retaliation(cls, v: str) -> str:
        allowed = allowed_retaliation()
        if v not in allowed:
            raise ValueError(f"{v!r} is not a retaliation rule; allowed: "
                             + ", ".join(f"'{a}'" for a in allowed))
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if not (self.tariff or self.agreement or self.coalition or self.deficit or self.step
                or self.trade_cost or self.export_tax):
            raise ValueError("empty scenario: no [[tariff]], [[agreement]], [[coalition]], "
                             "[[trade_cost]], [[export_tax]], [[deficit]] or [[step]]; allowed: "
                             "at least one of them")
        for k in range(1, len(self.step)):
            if self.step[k].date < self.step[k - 1].date:
                raise ValueError(
                    f"ladder out of date order: step[{k}] {self.step[k].label!r} is dated "
                    f"{self.step[k].date}, before step[{k - 1}] {self.step[k - 1].label!r} "
                    f"({self.step[k - 1].date}); allowed: steps in non-decreasing date order"
                )
        if self.deficit and self.closure not in (None, "given"):
            raise ValueError(f"closure {self.closure!r} with [[deficit]] changes; allowed: "
                             "'given' (or leave closure out)")
        return self

    @property
    def source(self) -> str | None:
        """The file (or ``builtin:NAME``) the scenario was read from, if any."""
        return self._source_name

    def with_source(self, name: str | None, text: str | None) -> Scenario:
        """Record where the scenario came from (for file/line in later error messages)."""
        self._source_name = name
        self._source_text = text
        return self
