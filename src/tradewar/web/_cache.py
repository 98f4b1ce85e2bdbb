"""What identifies a run, and the web app's caches.

A run is determined by its scenario and its options (dataset, year, elasticity set, regions,
deficit closure, horizon). Its id is the SHA-256 of the canonical JSON of both (sorted keys, no
whitespace, the year resolved to the dataset's default, the package version included), so
``{"scenario": "tpp"}`` and the same scenario sent inline share one id and one cached result.

Requests name a scenario in exactly two ways, never a path: a built-in name (a ``Literal`` of
:func:`tradewar.scenario.builtin_names`) or an inline object validated by the same pydantic
schema as TOML files (:class:`tradewar.scenario.Scenario`, ``extra="forbid"``). Regions are
only the named mappings ``"g14"`` and ``"blocs"``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
)

from .. import __version__
from ..model import MAX_LABOUR_SUPPLY
from ..options import (
    DEFAULT_YEAR,
    YEARS,
    Dataset,
    ElasticitySet,
    Horizon,
    RegionsName,
    RequestClosure,
)
from ..scenario import Scenario, builtin_names, builtin_scenario

__all__ = [
    "BaselineChoice",
    "BuiltinName",
    "CachedRun",
    "LRUBytes",
    "RunCache",
    "RunOptions",
    "ScenarioSpec",
    "canonical_json",
    "resolve_spec",
    "run_key",
]

#: Hex digits of the SHA-256 kept as a run id (128 bits).
RUN_ID_LENGTH = 32
RUN_ID_PATTERN = f"^[0-9a-f]{{{RUN_ID_LENGTH}}}$"

_BUILTINS: tuple[str, ...] = tuple(builtin_names())
#: A built-in scenario, by name (the only strings accepted where a scenario is expected).
BuiltinName = Literal[_BUILTINS]  # type: ignore[valid-type]

#: Region mappings a request may name (never a file path): :data:`tradewar.options.RegionsName`;
#: closures it may ask for (``given`` comes only from a scenario's own [[deficit]]):
#: :data:`tradewar.options.RequestClosure`.


def _spec_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "name"
    if isinstance(value, Mapping | Scenario):
        return "inline"
    return None


#: A scenario in a request: a built-in name or an inline scenario object.
ScenarioSpec = Annotated[
    Annotated[BuiltinName, Tag("name")] | Annotated[Scenario, Tag("inline")],
    Discriminator(
        _spec_tag,
        custom_error_type="scenario_spec",
        custom_error_message="expected a built-in scenario name or a scenario object",
    ),
]


class BaselineChoice(BaseModel):
    """Which baseline: dataset, year and elasticity set (defaults: the CLI's)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dataset: Dataset = Field("icio", description="Source data.")
    year: int | None = Field(None, description="Data year (default: the dataset's latest).")
    elasticity: ElasticitySet = Field("IS", description="Trade-elasticity set.")

    @field_validator("year")
    @classmethod
    def _year_of_dataset(cls, year: int | None, info: ValidationInfo) -> int | None:
        dataset = info.data.get("dataset")
        if year is not None and dataset in YEARS and year not in YEARS[dataset]:
            years = YEARS[dataset]
            raise ValueError(f"year {year} is not in dataset {dataset!r}; allowed: "
                             f"{years[0]}-{years[-1]}")
        return year


class RunOptions(BaselineChoice):
    """The baseline and closure a scenario runs on (defaults: the CLI's)."""

    regions: RegionsName | None = Field(
        None, description="Aggregate to the named regions (none: the dataset's economies).")
    deficits: RequestClosure = Field(
        "fixed", description="Deficit closure when the scenario sets none of its own.")
    horizon: Horizon = Field(
        "long", description="Trade elasticities of the horizon: long (as published) or short "
                            "(about one year: every theta x 0.38; tradewar.data.with_horizon), "
                            "as the CLI's --horizon.")
    labour_supply: float = Field(
        0.0, ge=0.0, le=MAX_LABOUR_SUPPLY, allow_inf_nan=False, strict=True,
        description="Elasticity kappa of employment to the real wage (0: fixed employment, the "
                    "default; ILMS 2025 use 0.5), as the CLI's --labour-supply. With kappa > 0 each "
                    "country also carries employment_pct and welfare_utility_pct.")

    def canonical(self) -> dict[str, Any]:
        """The options with the year resolved (what the run id hashes). ``labour_supply`` enters
        only when elastic (> 0), so runs with fixed employment keep their ids."""
        options: dict[str, Any] = {
            "dataset": self.dataset,
            "year": self.year if self.year is not None else DEFAULT_YEAR[self.dataset],
            "elasticity": self.elasticity,
            "regions": self.regions,
            "deficits": self.deficits,
            "horizon": self.horizon,
        }
        if self.labour_supply > 0:
            options["labour_supply"] = self.labour_supply
        return options


@functools.cache
def _builtin(name: str) -> Scenario:
    return builtin_scenario(name)


def resolve_spec(spec: str | Scenario) -> Scenario:
    """The :class:`Scenario` of a validated spec (a built-in name is looked up only among the
    built-ins, never as a path)."""
    if isinstance(spec, Scenario):
        return spec
    if spec not in _BUILTINS:  # validated before; checked again so no path can get through
        raise ValueError(f"unknown built-in scenario {spec!r}")
    return _builtin(spec)


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace: equal values give equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def run_key(scenario: Scenario, options: RunOptions) -> str:
    """The id of a run: SHA-256 (first :data:`RUN_ID_LENGTH` hex digits) of the canonical JSON
    of the scenario, the resolved options and the package version."""
    payload = {"scenario": scenario.model_dump(mode="json"), "options": options.canonical(),
               "tradewar": __version__}
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()[:RUN_ID_LENGTH]


@dataclass(frozen=True)
class CachedRun:
    """One run: its JSON exactly as ``ScenarioResult.to_json()`` gave it, as UTF-8 bytes, and
    the CSV text of every table of ``ScenarioResult.tables()`` (by table name)."""

    run_id: str
    body: bytes
    scenario: str
    options: dict[str, Any]
    created: float = field(default_factory=time.time)
    csv: dict[str, str] = field(default_factory=dict)

    @property
    def nbytes(self) -> int:
        """Bytes held: the JSON and the CSV texts."""
        return len(self.body) + sum(len(t) for t in self.csv.values())

    @functools.cached_property
    def data(self) -> dict[str, Any]:
        """The run JSON as Python objects (parsed once)."""
        return json.loads(self.body)

    def summary(self) -> dict[str, Any]:
        return {"id": self.run_id, "scenario": self.scenario, "options": self.options,
                "created": self.created, "bytes": len(self.body)}


class LRUBytes:
    """A thread-safe least-recently-used map bounded by entry count and total bytes."""

    def __init__(self, max_entries: int, max_bytes: int):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: str, value: Any, size: int) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, size)
            self._bytes += size
            while self._items and (len(self._items) > self.max_entries
                                   or self._bytes > self.max_bytes):
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def values(self) -> list[Any]:
        with self._lock:
            return [v for v, _ in self._items.values()]

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def nbytes(self) -> int:
        return self._bytes


class RunCache(LRUBytes):
    """Runs by id (default: 256 runs or 256 MiB, whichever is reached first)."""

    def __init__(self, max_entries: int = 256, max_bytes: int = 256 * 2**20):
        super().__init__(max_entries, max_bytes)

    def add(self, run: CachedRun) -> None:
        self.put(run.run_id, run, run.nbytes)

    def stats(self) -> dict[str, int]:
        return {"runs": len(self), "bytes": self.nbytes, "max_runs": self.max_entries,
                "max_bytes": self.max_bytes}
