"""On-disk cache of calibrated baselines.

One calibration per dataset-year is stored as ``<dataset>-<year>-<key>.npz`` (arrays: flows,
tariffs, value-added and input shares, GDP, θ of every elasticity set) plus a JSON sidecar of
the same name (labels, adjustments, sources). The key hashes the dataset, the year, the
SHA-256 of every source file, the package's WIOD-16 sector table and :data:`CACHE_VERSION`,
so changed data or calibration code never serve a stale baseline. The elasticity set and the
regions are applied after loading (both cheap). A corrupted or unreadable cache file is
rebuilt with a :class:`CacheWarning`, never a crash.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataSourceError, TradewarError
from ..options import DATASETS, ELASTICITY_SETS, YEARS
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

__all__ = ["CACHE_DIR_ENV", "CACHE_VERSION", "CacheWarning", "build_all", "cache_dir", "load_baseline"]

#: Version of the cache format and calibration; bump it whenever calibrated numbers would change
#: for a reason outside the modules in ``_CODE_MODULES`` (whose text is hashed anyway).
CACHE_VERSION = "1"
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


def _write_atomic(path: Path, write: Callable[[Any], None], binary: bool) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        if binary:
            with os.fdopen(fd, "wb") as fh:
                write(fh)
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                write(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    }
    _write_atomic(npz_path, lambda fh: np.savez(fh, **arrays), binary=True)  # type: ignore[arg-type]
    _write_atomic(json_path, lambda fh: json.dump(meta, fh), binary=False)
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
    """Read a cached calibration; raises ``ValueError``/``OSError``/``KeyError`` if unusable."""
    with open(json_path, encoding="utf-8") as fh:
        meta = json.load(fh)
    if meta.get("key") != key or meta.get("version") != CACHE_VERSION:
        raise ValueError("the sidecar's key or version does not match")
    with np.load(npz_path, allow_pickle=False) as npz:
        if str(npz["key"]) != key:
            raise ValueError("the array file's key does not match")
        arrays = {name: np.array(npz[name], dtype=np.float64) for name in _ARRAYS}
        thetas = {name: np.array(npz[f"theta_{name}"], dtype=np.float64)
                  for name in meta["elasticity_sets"]}
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
    if not refresh and npz_path.is_file() and json_path.is_file():
        try:
            return read_calibration(npz_path, json_path, key)
        except (OSError, ValueError, KeyError, TypeError, EOFError, TradewarError) as exc:
            warnings.warn(
                f"cached baseline {npz_path} is unreadable ({type(exc).__name__}: {exc}); "
                "rebuilding it from the sources",
                CacheWarning, stacklevel=3,
            )
    data = calibrate(dataset, year, base)
    if data.sources != sources:  # pragma: no cover - a source changed while building
        key = cache_key(dataset, year, data.sources)
    try:
        save_calibration(data, key, directory)
    except OSError as exc:
        warnings.warn(f"cannot write the baseline cache in {directory} ({exc}); not cached",
                      CacheWarning, stacklevel=3)
    return data


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
