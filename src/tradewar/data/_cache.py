"""On-disk cache of calibrated baselines.

One calibration per dataset-year is stored as ``<dataset>-<year>-<key>.npz`` (arrays: flows,
tariffs, value-added and input shares, GDP, θ of every elasticity set) plus a JSON sidecar of
the same name (labels, adjustments, sources). The key hashes the dataset, the year, the
SHA-256 of every source file, the package's WIOD-16 sector table and :data:`CACHE_VERSION`,
so changed data or calibration code never serve a stale baseline. The elasticity set and the
regions are applied after loading (both cheap).

Integrity (docs/guarantees.md, "Rebuilt"): the sidecar records the SHA-256 of every array
(name, dtype, shape and bytes) and the SHA-256 of every source file the entry was built from.
An entry that cannot be read (missing half, truncated ``.npz`` — ``BadZipFile`` —, malformed
JSON), whose arrays do not match their checksum (tampered), that holds a NaN or an infinite
value, or that was built from other sources (stale) is rebuilt from the sources with a
:class:`CacheWarning` naming the file — never a crash, never wrong numbers. Concurrent
builders do not corrupt each other: every file is written to a unique temporary name and
renamed into place (:mod:`tradewar.safe_files`), the sidecar last, and a lock file makes a
second builder of the same entry wait for the first and reuse its result.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataSourceError, TradewarError
from ..options import DATASETS, ELASTICITY_SETS, YEARS
from ..safe_files import write_atomic
from ._baseline import (
    Baseline,
    CalibratedData,
    assemble,
    calibrate,
    check_options,
    source_checksums,
    with_regions,
)
from ._paths import default_data_dir
from ._reconcile import Adjustment, Calibration

__all__ = ["CACHE_DIR_ENV", "CACHE_VERSION", "CacheWarning", "array_checksum", "build_all",
           "cache_dir", "cached_arrays", "load_baseline"]

#: Version of the cache format and calibration; bump it whenever calibrated numbers would change
#: for a reason outside the modules in ``_CODE_MODULES`` (whose text is hashed anyway).
CACHE_VERSION = "2"  # 2: sidecars carry the arrays' SHA-256 (integrity check)
#: Environment variable naming the cache directory.
CACHE_DIR_ENV = "TRADEWAR_CACHE_DIR"

_ARRAYS = ("flows", "tariffs", "va_share", "input_share", "gdp_musd")


class CacheWarning(UserWarning):
    """A cache file could not be used or written; the baseline was built from the sources."""


def cache_dir() -> Path:
    """The cache directory: ``$TRADEWAR_CACHE_DIR`` if set, else ``~/.cache/tradewar``."""
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "tradewar"


#: Modules whose code determines a calibration (their text is part of the cache key).
_CODE_MODULES = ("_baseline.py", "_reconcile.py", "_cubes.py", "_wiot.py", "_gdp.py",
                 "_concordance.py", "concordance_wiod16_groups.csv")


@functools.cache
def code_checksum() -> str:
    """SHA-256 over the calibration code and the package's WIOD-16 sector table."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    here = resources.files(__package__)
    for name in _CODE_MODULES:
        digest.update(name.encode())
        digest.update(here.joinpath(name).read_bytes())
    return digest.hexdigest()


def cache_key(dataset: str, year: int, sources: Mapping[str, str]) -> str:
    """Hash of what a calibration depends on: dataset, year, the source files' checksums, the
    calibration code and :data:`CACHE_VERSION`."""
    payload = {
        "dataset": dataset,
        "year": int(year),
        "sources": dict(sorted(sources.items())),
        "version": CACHE_VERSION,
        "code": code_checksum(),
    }
    text = json.dumps(payload, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _paths(directory: Path, dataset: str, year: int, key: str) -> tuple[Path, Path]:
    stem = f"{dataset}-{year}-{key}"
    return directory / f"{stem}.npz", directory / f"{stem}.json"


def array_checksum(arrays: Mapping[str, np.ndarray]) -> str:
    """SHA-256 over every array's name, dtype, shape and bytes (in name order)."""
    digest = hashlib.sha256()
    for name in sorted(arrays):
        arr = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}|{arr.dtype.str}|{arr.shape}|".encode())
        digest.update(arr.tobytes())
    return digest.hexdigest()


@contextlib.contextmanager
def _build_lock(directory: Path, stem: str) -> Iterator[None]:
    """An exclusive lock on ``<stem>.lock`` while one process builds an entry (POSIX
    ``flock``; elsewhere, or if the lock cannot be taken, builders race harmlessly: every
    write is atomic)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle = open(directory / f"{stem}.lock", "a+b")  # noqa: SIM115 - released below
    except OSError:
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        handle.close()


def save_calibration(data: CalibratedData, key: str, directory: Path | None = None) -> Path:
    """Write a calibration to the cache; return the path of the ``.npz`` file."""
    directory = cache_dir() if directory is None else directory
    directory.mkdir(parents=True, exist_ok=True)
    npz_path, json_path = _paths(directory, data.dataset, data.year, key)
    cal = data.calibration
    arrays: dict[str, np.ndarray] = {
        "flows": cal.flows, "tariffs": cal.tariffs, "va_share": cal.va_share,
        "input_share": cal.input_share, "gdp_musd": data.gdp_musd,
        "key": np.array(key),
    }
    for name, theta in cal.elasticities.items():
        arrays[f"theta_{name}"] = theta
    meta = {
        "key": key,
        "version": CACHE_VERSION,
        "dataset": data.dataset,
        "year": data.year,
        "countries": list(cal.countries),
        "sectors": list(cal.sectors),
        "sector_labels": cal.sector_labels,
        "elasticity_sets": list(cal.elasticities),
        "notes": list(cal.notes),
        "adjustments": [
            [a.step, a.country, a.sector, a.detail, a.amount_musd, a.factor]
            for a in cal.adjustments
        ],
        "gdp_adjustments": [
            [a.step, a.country, a.sector, a.detail, a.amount_musd, a.factor]
            for a in data.gdp_adjustments
        ],
        "sources": data.sources,
        "arrays_sha256": array_checksum(arrays),
    }
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    write_atomic(npz_path, buffer.getvalue(), option="cache file")
    write_atomic(json_path, json.dumps(meta), option="cache file")  # last: the entry is complete
    for old in directory.glob(f"{data.dataset}-{data.year}-*"):
        if old.suffix in (".npz", ".json") and old not in (npz_path, json_path):
            old.unlink(missing_ok=True)
    return npz_path


def _adjustments(rows: list[list[Any]]) -> tuple[Adjustment, ...]:
    return tuple(
        Adjustment(str(s), str(c), str(k), str(d), float(a), None if f is None else float(f))
        for s, c, k, d, a, f in rows
    )


def read_calibration(npz_path: Path, json_path: Path, key: str) -> CalibratedData:
    """Read a cached calibration; raises (any exception) if the entry is unusable: unreadable,
    truncated, tampered (array checksum), holding NaN or infinity, or of another key."""
    with open(json_path, encoding="utf-8") as fh:
        meta = json.load(fh)
    if meta.get("key") != key or meta.get("version") != CACHE_VERSION:
        raise ValueError("the sidecar's key or version does not match")
    with np.load(npz_path, allow_pickle=False) as npz:
        stored = {name: np.array(npz[name]) for name in npz.files}
    if str(stored["key"]) != key:
        raise ValueError("the array file's key does not match")
    if array_checksum(stored) != meta.get("arrays_sha256"):
        raise ValueError("its arrays do not match their checksum (modified after it was written)")
    arrays = {name: np.array(stored[name], dtype=np.float64) for name in _ARRAYS}
    thetas = {name: np.array(stored[f"theta_{name}"], dtype=np.float64)
              for name in meta["elasticity_sets"]}
    for name, arr in list(arrays.items()) + [(f"theta_{k}", v) for k, v in thetas.items()]:
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"array {name} holds NaN or infinite values")
    n, j = len(meta["countries"]), len(meta["sectors"])
    shapes = {"flows": (n, n, j), "tariffs": (n, n, j), "va_share": (n, j),
              "input_share": (n, j, j), "gdp_musd": (n,)}
    for name, shape in shapes.items():
        if arrays[name].shape != shape:
            raise ValueError(f"{name} has shape {arrays[name].shape}, expected {shape}")
    if set(thetas) != set(ELASTICITY_SETS) or any(t.shape != (j,) for t in thetas.values()):
        raise ValueError("elasticities missing or misshapen")
    calibration = Calibration(
        countries=tuple(meta["countries"]),
        sectors=tuple(meta["sectors"]),
        sector_labels=dict(meta["sector_labels"]),
        flows=arrays["flows"],
        tariffs=arrays["tariffs"],
        va_share=arrays["va_share"],
        input_share=arrays["input_share"],
        elasticities=thetas,
        adjustments=_adjustments(meta["adjustments"]),
        notes=tuple(meta["notes"]),
    )
    gdp = arrays["gdp_musd"]
    gdp.setflags(write=False)
    return CalibratedData(
        dataset=meta["dataset"], year=int(meta["year"]), calibration=calibration, gdp_musd=gdp,
        gdp_adjustments=_adjustments(meta["gdp_adjustments"]), sources=dict(meta["sources"]),
    )


def load_calibration(
    dataset: str, year: int, data_dir: str | os.PathLike[str] | None = None, *,
    cache: bool = True, refresh: bool = False,
) -> CalibratedData:
    """The calibration of a dataset-year: from the cache when valid, else built (and cached)."""
    base = Path(data_dir) if data_dir is not None else default_data_dir()
    if not cache:
        return calibrate(dataset, year, base)
    sources = source_checksums(dataset, year, base)
    key = cache_key(dataset, year, sources)
    directory = cache_dir()
    npz_path, json_path = _paths(directory, dataset, year, key)
    if not refresh:
        cached = _try_read(npz_path, json_path, key)
        if cached is not None:
            return cached
        _warn_stale(directory, dataset, year, key, sources)
    with _build_lock(directory, f"{dataset}-{year}"):
        if not refresh:  # another process may have built it while we waited for the lock
            cached = _try_read(npz_path, json_path, key, quiet=True)
            if cached is not None:
                return cached
        data = calibrate(dataset, year, base)
        if data.sources != sources:  # pragma: no cover - a source changed while building
            key = cache_key(dataset, year, data.sources)
        try:
            save_calibration(data, key, directory)
        except (OSError, TradewarError) as exc:
            warnings.warn(f"cannot write the baseline cache in {directory} ({exc}); not cached",
                          CacheWarning, stacklevel=3)
    return data


def _try_read(npz_path: Path, json_path: Path, key: str, quiet: bool = False) -> CalibratedData | None:
    """The cached entry, or None (with a :class:`CacheWarning` naming the file if it exists
    but is unusable: it is then rebuilt)."""
    if not npz_path.exists() and not json_path.exists():
        return None
    try:
        return read_calibration(npz_path, json_path, key)
    except Exception as exc:  # noqa: BLE001 - any unusable entry is rebuilt, never a crash
        if not quiet:
            bad = json_path if isinstance(exc, json.JSONDecodeError) or not json_path.exists() else npz_path
            warnings.warn(
                f"cached baseline {bad} is unusable ({type(exc).__name__}: {exc}); "
                "rebuilding it from the sources",
                CacheWarning, stacklevel=4,
            )
        return None


def _warn_stale(directory: Path, dataset: str, year: int, key: str, sources: Mapping[str, str]) -> None:
    """Warn (naming the file and the changed sources) if an entry of another key exists."""
    if not directory.is_dir():
        return
    for old in sorted(directory.glob(f"{dataset}-{year}-*.json")):
        if old.stem.endswith(key):
            continue
        try:
            with open(old, encoding="utf-8") as fh:
                built_from = json.load(fh).get("sources", {})
        except Exception:  # noqa: BLE001 - an unreadable old entry is simply replaced
            built_from = {}
        changed = sorted(k for k in set(built_from) | set(sources) if built_from.get(k) != sources.get(k))
        why = (f"the sources changed ({', '.join(changed[:5])}{' …' if len(changed) > 5 else ''})"
               if changed else "the calibration code or cache version changed")
        warnings.warn(f"cached baseline {old} is stale: {why}; rebuilding it from the sources",
                      CacheWarning, stacklevel=4)
        return


def cached_arrays(
    name: str,
    sources: Mapping[str, str],
    build: Callable[[], tuple[Mapping[str, np.ndarray], Mapping[str, Any]]],
    *,
    code: str = "",
    cache: bool = True,
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """A derived table (e.g. the US tariff schedule) built once from its sources and then read
    from the cache, with the same integrity guarantees as the baselines.

    Args:
        name: a file-name stem for the entry, e.g. ``"us-schedule"``.
        sources: relative path → SHA-256 of every source file (:func:`file_checksum`).
        build: returns ``(arrays, meta)``: numeric arrays (no object dtype) and JSON-able
            metadata; called only when no valid entry exists.
        code: anything else the result depends on (e.g. a hash of the building code).
        cache: False to neither read nor write the cache.

    Returns:
        ``(arrays, meta)`` as ``build`` returned them (arrays read-only when cached).

    An unreadable, truncated, tampered, non-finite or stale entry is rebuilt with a
    :class:`CacheWarning` naming the file; writes are atomic and locked as for baselines.
    """
    if not cache:
        arrays, meta = build()
        return dict(arrays), dict(meta)
    payload = {"name": name, "sources": dict(sorted(sources.items())), "code": code,
               "version": CACHE_VERSION}
    key = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]
    directory = cache_dir()
    npz_path, json_path = directory / f"{name}-{key}.npz", directory / f"{name}-{key}.json"

    def read(quiet: bool) -> tuple[dict[str, np.ndarray], dict[str, Any]] | None:
        if not npz_path.exists() and not json_path.exists():
            return None
        try:
            with open(json_path, encoding="utf-8") as fh:
                meta = json.load(fh)
            with np.load(npz_path, allow_pickle=False) as npz:
                arrays = {k: np.array(npz[k]) for k in npz.files}
            if meta.get("key") != key or array_checksum(arrays) != meta.get("arrays_sha256"):
                raise ValueError("its arrays do not match their checksum (modified after it was written)")
            for k, arr in arrays.items():
                if arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
                    raise ValueError(f"array {k} holds NaN or infinite values")
                arr.setflags(write=False)
            return arrays, dict(meta["meta"])
        except Exception as exc:  # noqa: BLE001 - any unusable entry is rebuilt, never a crash
            if not quiet:
                warnings.warn(f"cached table {npz_path} is unusable ({type(exc).__name__}: {exc}); "
                              "rebuilding it from the sources", CacheWarning, stacklevel=3)
            return None

    found = read(quiet=False)
    if found is not None:
        return found
    with _build_lock(directory, name):
        found = read(quiet=True)
        if found is not None:
            return found
        arrays, meta = build()
        arrays, meta = {k: np.asarray(v) for k, v in arrays.items()}, dict(meta)
        try:
            buffer = io.BytesIO()
            np.savez(buffer, **arrays)  # type: ignore[arg-type]
            write_atomic(npz_path, buffer.getvalue(), option="cache file")
            write_atomic(json_path, json.dumps({"key": key, "sources": dict(sources), "meta": meta,
                                                "arrays_sha256": array_checksum(arrays)}),
                         option="cache file")
            for old in directory.glob(f"{name}-*"):
                if old.suffix in (".npz", ".json") and old not in (npz_path, json_path):
                    old.unlink(missing_ok=True)
        except (OSError, TradewarError, TypeError, ValueError) as exc:
            warnings.warn(f"cannot write the cache in {directory} ({exc}); not cached",
                          CacheWarning, stacklevel=3)
    return arrays, meta


def load_baseline(
    dataset: str = "icio",
    year: int | None = None,
    elasticity: str = "IS",
    *,
    regions: str | os.PathLike[str] | Mapping[str, str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    cache: bool = True,
) -> Baseline:
    """The calibrated baseline of a dataset-year, built once and then read from the cache.

    Same arguments and result as :func:`tradewar.data.build_baseline`; with ``cache=False``
    the cache is neither read nor written. The cache lives in :func:`cache_dir`; a cached
    calibration serves every elasticity set and region mapping.

    Raises:
        UnknownNameError: unknown dataset, year or elasticity set (lists the allowed values).
        DataSourceError: a source file is missing or malformed.
        UserInputError: an invalid region mapping.
    """
    year = check_options(dataset, year, elasticity)
    data = load_calibration(dataset, year, data_dir, cache=cache)
    baseline = assemble(data, elasticity)
    return with_regions(baseline, regions) if regions is not None else baseline


def build_all(
    data_dir: str | os.PathLike[str] | None = None,
    progress: Callable[[int, int, str, int, float], None] | None = None,
) -> list[tuple[str, int, float]]:
    """Build (from the sources) and cache every year of every dataset.

    Args:
        data_dir: the data directory (default :func:`default_data_dir`).
        progress: called after each build as ``progress(done, total, dataset, year, seconds)``.

    Returns:
        ``[(dataset, year, seconds to build and cache), ...]``.
    """
    base = Path(data_dir) if data_dir is not None else default_data_dir()
    if not base.is_dir():
        raise DataSourceError(f"data directory {base} does not exist")
    jobs = [(d, y) for d in DATASETS for y in YEARS[d]]
    timings: list[tuple[str, int, float]] = []
    for done, (dataset, year) in enumerate(jobs, start=1):
        start = time.perf_counter()
        load_calibration(dataset, year, base, refresh=True)
        seconds = time.perf_counter() - start
        timings.append((dataset, year, seconds))
        if progress is not None:
            progress(done, len(jobs), dataset, year, seconds)
    return timings
