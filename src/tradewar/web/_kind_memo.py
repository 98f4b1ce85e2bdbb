"""What the job kinds share: the request hash, the server's result cache, the data epoch that
invalidates it, and the baseline a request names.

**The result cache.** The server keeps the results of finished jobs in one
:class:`ResultCache` (least recently used dropped first, bounded by count and bytes), keyed by
:func:`request_hash`: the SHA-256 of the kind's canonical request JSON (every field, the year
resolved, so "latest" and the explicit year share an entry) and the package version. An
identical request is answered from it without a worker (the job is ``done`` at once, with
``cached: true`` and the message "from the cache"). Every kind registered with
:func:`tradewar.web._kinds.register_job_kind` gets this without code of its own; kinds with a
``lookup`` (``scenario``, ``compare``) answer from the run cache instead, whose runs their
results name.

**The data epoch.** Cached results are valid for the data they were computed from:
:func:`data_epoch` hashes the package version, the source files of the data directory (path,
size, modification time) and the calibrated baselines in the data cache (their file names
carry the hash of the sources and calibration code they were built from). When it changes (new
source data, ``tradewar data build`` after a change), the result cache and the run cache are
emptied; it is re-read at most every :data:`EPOCH_SECONDS`.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .. import __version__
from ..options import DEFAULT_YEAR
from ._cache import LRUBytes, RunOptions, canonical_json

if TYPE_CHECKING:
    from ..data import Baseline
    from ._kind_fields import AnalysisBaseline
    from ._work import JobContext

__all__ = ["EPOCH_SECONDS", "DataEpoch", "ResultCache", "data_epoch", "job_baseline",
           "request_hash"]

#: Seconds between two readings of the data epoch.
EPOCH_SECONDS = 5.0
#: A calibrated baseline's sidecar in the data cache: ``<dataset>-<year>-<key>.json``.
_BASELINE_ENTRY = re.compile(r"^[a-z0-9]+-\d{4}-[0-9a-f]{24}\.json$")


def request_hash(params: BaseModel) -> str:
    """SHA-256 of a job request: its canonical JSON (every field, sorted keys, ``year``
    resolved to the dataset's default when the request has both) and the package version."""
    data = params.model_dump(mode="json")
    if data.get("year") is None and data.get("dataset") in DEFAULT_YEAR:
        data["year"] = DEFAULT_YEAR[data["dataset"]]
    text = canonical_json({"request": data, "tradewar": __version__})
    return hashlib.sha256(text.encode()).hexdigest()


def job_baseline(ctx: JobContext, params: AnalysisBaseline) -> Baseline:
    """The worker's cached baseline for the request's dataset, year, elasticity and regions,
    with the trade elasticities of its horizon (:meth:`JobContext.baseline`:
    :func:`tradewar.data.with_horizon`, the function the CLI's ``--horizon`` calls)."""
    return ctx.baseline(RunOptions.model_validate(params.model_dump(
        include={"dataset", "year", "elasticity", "regions", "horizon"})))


def data_epoch(data_dir: str | Path | None, cache_directory: str | Path | None) -> str:
    """A hash of what every result depends on outside the request: the package version, each
    source file under ``data_dir`` (relative path, size, modification time) and each
    calibrated baseline in ``cache_directory`` (its file name, which carries the hash of its
    sources and calibration code, size and modification time). Missing folders count as
    empty."""
    digest = hashlib.sha256(__version__.encode())
    for label, root, files in (("data", data_dir, "**/*"), ("cache", cache_directory, "*.json")):
        digest.update(f"|{label}|".encode())
        folder = Path(root) if root is not None else None
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.glob(files)):
            if label == "cache" and not _BASELINE_ENTRY.match(path.name):
                continue
            try:
                stat = path.stat()
            except OSError:  # removed while listed
                continue
            if path.is_file():
                digest.update(f"{path.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns};"
                              .encode())
    return digest.hexdigest()


class DataEpoch:
    """:func:`data_epoch` of the server's folders, re-read at most every ``seconds``."""

    def __init__(self, data_dir: str | Path | None, cache_directory: str | Path | None = None,
                 *, seconds: float = EPOCH_SECONDS):
        self.data_dir, self.cache_directory, self.seconds = data_dir, cache_directory, seconds
        self._value = ""
        self._read = -float("inf")
        self._lock = threading.Lock()

    def _folders(self) -> tuple[str | Path | None, str | Path]:
        """The data and cache folders (the defaults looked up at each reading: a data folder
        that is missing counts as empty, the server answers 503 for the data itself)."""
        from ..data import cache_dir, default_data_dir
        from ..errors import DataSourceError

        data_dir = self.data_dir
        if data_dir is None:
            try:
                data_dir = default_data_dir()
            except DataSourceError:
                data_dir = None
        return data_dir, self.cache_directory if self.cache_directory is not None else cache_dir()

    def __call__(self) -> str:
        with self._lock:
            now = time.monotonic()
            if now - self._read >= self.seconds:
                self._value = data_epoch(*self._folders())
                self._read = now
            return self._value


class ResultCache(LRUBytes):
    """Finished jobs' results by :func:`request_hash`, valid for one data epoch (default: 256
    results or 64 MiB of JSON, whichever is reached first).

    :meth:`get` and :meth:`put` take the current epoch; a different one than the entries'
    empties the cache first (and calls ``on_new_epoch``, e.g. to empty the run cache too).
    """

    def __init__(self, max_entries: int = 256, max_bytes: int = 64 * 2**20,
                 on_new_epoch: Callable[[], None] | None = None):
        super().__init__(max_entries, max_bytes)
        self.epoch: str | None = None
        self.on_new_epoch = on_new_epoch
        self.hits = self.misses = 0

    def at_epoch(self, epoch: str) -> None:
        """Note the current data epoch: a new one empties the cache (and calls
        ``on_new_epoch``)."""
        if epoch != self.epoch:
            if self.epoch is not None:
                self.clear()
                if self.on_new_epoch is not None:
                    self.on_new_epoch()
            self.epoch = epoch

    def lookup(self, key: str, epoch: str) -> Any | None:
        """The result of the request ``key`` computed in ``epoch``, or ``None``."""
        self.at_epoch(epoch)
        found = self.get(key)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def store(self, key: str, result: Any, epoch: str) -> None:
        """Keep ``result`` (JSON-able) of the request ``key`` computed in ``epoch`` (dropped if
        the epoch has changed since, or if the result alone exceeds the byte bound)."""
        if epoch != self.epoch:
            return
        size = len(json.dumps(result, allow_nan=False, default=str))
        if size <= self.max_bytes:
            self.put(key, result, size)

    def stats(self) -> dict[str, int]:
        return {"results": len(self), "results_bytes": self.nbytes,
                "max_results": self.max_entries, "max_results_bytes": self.max_bytes,
                "result_hits": self.hits, "result_misses": self.misses}
