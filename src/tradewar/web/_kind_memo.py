"""What the analysis job kinds share: the request hash, a worker's memo of recent results, and
the baseline a request names.

One worker keeps the last :data:`CACHE_SIZE` results of each kind, keyed by the SHA-256 of the
request's canonical JSON (the year resolved, so "latest" and the explicit year share an entry).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from ._cache import BaselineChoice, RunOptions

if TYPE_CHECKING:
    from ..data import Baseline
    from ._work import JobContext

__all__ = ["CACHE_SIZE", "ResultMemo", "job_baseline", "request_hash"]

#: Results kept per worker and job kind, by request hash.
CACHE_SIZE = 16


def request_hash(params: BaselineChoice) -> str:
    """SHA-256 of the request's canonical JSON (every field, the year resolved)."""
    canonical = RunOptions.model_validate({"dataset": params.dataset, "year": params.year,
                                           "elasticity": params.elasticity}).canonical()
    text = params.model_copy(update={"year": canonical["year"]}).model_dump_json()
    return hashlib.sha256(text.encode()).hexdigest()


def job_baseline(ctx: JobContext, params: BaselineChoice, regions: str) -> Baseline:
    """The worker's cached baseline for the request's dataset, year, elasticity and regions."""
    return ctx.baseline(RunOptions.model_validate(
        {"dataset": params.dataset, "year": params.year, "elasticity": params.elasticity,
         "regions": regions}))


class ResultMemo:
    """The last :data:`CACHE_SIZE` results of one job kind in this worker (least recently used
    dropped first)."""

    def __init__(self) -> None:
        self._results: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def get(self, key: str) -> dict[str, Any] | None:
        if key not in self._results:
            return None
        self._results.move_to_end(key)
        return self._results[key]

    def put(self, key: str, data: dict[str, Any]) -> None:
        self._results[key] = data
        while len(self._results) > CACHE_SIZE:
            self._results.popitem(last=False)
