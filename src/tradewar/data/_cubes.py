"""Reader of the MATLAB v7.3 (HDF5) trade cubes ``icio/ICIO{year}.mat`` and
``wiod2016/WIOD{year}.mat`` (origin: ahmadlp/tariffwar, see the data ``MANIFEST.md``).

Each file holds a struct ``data`` with ``Xjik_3D`` (flows), ``tjik_3D`` (tariffs), the cellstrs
``countries`` and ``sectors``, ``services_sector`` (1-based), ``N``, ``S``, ``year``,
``dataset`` and ``sigma/<SET>/epsilon_S`` (trade elasticities θ, one per sector).

Axis order. MATLAB stores arrays column-major, so h5py shows them with the axes reversed:
``Xjik_3D`` is (S, N, N) in h5py = [sector, importer, exporter] — verified on ICIO 2022, where
``X[:, USA, CHN].sum()`` = 532,152 million USD is US imports from China (the reverse,
``X[:, CHN, USA]``, is 222,482: US exports to China), and US imports − exports (off-diagonal
sums over the exporter and importer axes) = +962,008 million, the known US deficit. The reader
returns ``[importer, exporter, sector]``, the axis convention of :mod:`tradewar.model`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np

from ..errors import DataSourceError, UnknownNameError
from ..options import ELASTICITY_SETS, YEARS
from ._paths import file_checksum, source_file

#: Datasets held as trade cubes, with their folder and file-name stem.
CUBE_DATASETS: dict[str, tuple[str, str]] = {
    "icio": ("icio", "ICIO"),
    "wiod": ("wiod2016", "WIOD"),
}


@dataclass(frozen=True, eq=False)
class TradeCube:
    """One year of a trade cube. Arrays are read-only float64.

    Attributes:
        dataset: ``"icio"`` (81 economies × 28 sectors) or ``"wiod"`` (44 × 16).
        year: the data year.
        countries: N ISO3 codes, in the file's order (the last is ``"ROW"``).
        sectors: J sector labels (ICIO: codes ``A01`` … ``C31T33``; WIOD: names); the
            services aggregate is ``"Services (aggregate)"``.
        services_index: 0-based index of the services aggregate in ``sectors``.
        flows: (N, N, J) = [importer, exporter, sector], millions of current USD at basic prices
            (tariffs excluded), intermediate and final use summed; domestic sales on the diagonal
            ``flows[n, n, :]``. Not balanced (trade deficits are real).
        tariffs: (N, N, J) = [importer, exporter, sector], ad-valorem tariff of the importer on
            the exporter as a FRACTION (0.05 = 5 %); 0 on the diagonal. MFN/preferential only; the
            services column carries small values that the calibration may treat as 0.
        elasticities: trade elasticity θ (``epsilon_S``; the CES σ is 1 + θ) per sector, shape
            (J,), for each set in :data:`tradewar.options.ELASTICITY_SETS`.
        elasticity_sources: the ``source`` string stored with each set (e.g.
            ``"caliendo_parro_2015"``).
        source: path of the file read.
        checksum: SHA-256 hex digest of that file.
    """

    dataset: str
    year: int
    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    services_index: int
    flows: np.ndarray
    tariffs: np.ndarray
    elasticities: dict[str, np.ndarray]
    source: Path
    checksum: str
    elasticity_sources: dict[str, str] = field(default_factory=dict)

    @property
    def n_countries(self) -> int:
        return len(self.countries)

    @property
    def n_sectors(self) -> int:
        return len(self.sectors)


def cube_path(data_dir: str | os.PathLike[str], dataset: str, year: int) -> Path:
    """Return the path of the cube file of ``dataset`` and ``year`` (checked to exist).

    Raises :class:`~tradewar.errors.UnknownNameError` for an unknown dataset or year and
    :class:`~tradewar.errors.DataSourceError` if the file is missing.
    """
    if dataset not in CUBE_DATASETS:
        raise UnknownNameError("dataset", dataset, CUBE_DATASETS, where="trade cubes")
    allowed_years = YEARS[dataset]
    if isinstance(year, bool) or year not in allowed_years:
        raise UnknownNameError("year", year, allowed_years, where=f"dataset {dataset!r}")
    folder, stem = CUBE_DATASETS[dataset]
    return source_file(data_dir, Path(folder) / f"{stem}{int(year)}.mat")


def _fail(path: Path, what: str) -> DataSourceError:
    return DataSourceError(
        f"{path}: {what} (expected a MATLAB v7.3 trade cube: struct 'data' with Xjik_3D, "
        "tjik_3D (S×N×N in HDF5), countries, sectors, services_sector, sigma/<set>/epsilon_S)"
    )


def _decode_chars(values: np.ndarray) -> str:
    """A MATLAB char array (UTF-16 code units, any shape for a 1×n string) to ``str``."""
    return np.ascontiguousarray(values, dtype="<u2").ravel().tobytes().decode("utf-16-le")


def _read_char(obj: h5py.Dataset) -> str:
    if obj.attrs.get("MATLAB_empty", 0):
        return ""
    return _decode_chars(obj[()])


def _read_cellstr(file: h5py.File, obj: h5py.Dataset) -> tuple[str, ...]:
    refs = obj[()].ravel()
    return tuple(_read_char(file[ref]) for ref in refs)


def _get(group: h5py.Group, name: str, path: Path) -> h5py.Dataset | h5py.Group:
    try:
        return group[name]
    except KeyError:
        raise _fail(path, f"missing entry '{group.name.rstrip('/')}/{name}'") from None


def _scalar(group: h5py.Group, name: str, path: Path) -> float:
    values = np.asarray(_get(group, name, path)[()], dtype=np.float64)
    if values.size != 1:
        raise _fail(path, f"'{name}' has shape {values.shape}; expected a scalar")
    return float(values.ravel()[0])


@dataclass(frozen=True)
class _Raw:
    """The entries of a cube file as stored (HDF5 axis order)."""

    flows: np.ndarray
    tariffs: np.ndarray
    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    services: float
    n: float
    s: float
    year: float
    dataset: str
    elasticities: dict[str, np.ndarray]
    sources: dict[str, str]


def _read_h5(path: Path) -> _Raw:
    try:
        file = h5py.File(path, "r")
    except OSError as exc:
        raise _fail(path, f"not readable as HDF5 ({exc})") from exc
    try:
        with file:
            return _read_struct(file, path)
    except DataSourceError:
        raise
    except (OSError, KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:
        raise _fail(path, f"unexpected content ({type(exc).__name__}: {exc})") from exc


def _read_struct(file: h5py.File, path: Path) -> _Raw:
    data = _get(file, "data", path)
    raw_flows = np.asarray(_get(data, "Xjik_3D", path)[()], dtype=np.float64)
    raw_tariffs = np.asarray(_get(data, "tjik_3D", path)[()], dtype=np.float64)
    countries = _read_cellstr(file, _get(data, "countries", path))
    sectors = _read_cellstr(file, _get(data, "sectors", path))
    services = _scalar(data, "services_sector", path)
    n_file = _scalar(data, "N", path)
    s_file = _scalar(data, "S", path)
    year_file = _scalar(data, "year", path)
    dataset_file = _read_char(_get(data, "dataset", path))
    sigma = _get(data, "sigma", path)
    elasticities: dict[str, np.ndarray] = {}
    sources: dict[str, str] = {}
    for name in ELASTICITY_SETS:
        entry = _get(sigma, name, path)
        elasticities[name] = np.asarray(
            _get(entry, "epsilon_S", path)[()], dtype=np.float64
        ).ravel()
        sources[name] = _read_char(entry["source"]) if "source" in entry else ""
    return _Raw(
        flows=raw_flows,
        tariffs=raw_tariffs,
        countries=countries,
        sectors=sectors,
        services=services,
        n=n_file,
        s=s_file,
        year=year_file,
        dataset=dataset_file,
        elasticities=elasticities,
        sources=sources,
    )


def read_cube(data_dir: str | os.PathLike[str], dataset: str, year: int) -> TradeCube:
    """Read one trade cube.

    Args:
        data_dir: the data directory (see :func:`tradewar.data._paths.default_data_dir`).
        dataset: ``"icio"`` (2011–2022) or ``"wiod"`` (2000–2014).
        year: the data year.

    Returns:
        A :class:`TradeCube`; flows and tariffs (N, N, J) in [importer, exporter, sector] order,
        flows in millions of USD, tariffs as fractions; elasticities θ of shape (J,).

    Raises:
        UnknownNameError: unknown dataset or year (the message lists the allowed values).
        DataSourceError: the file is missing, unreadable or not in the expected layout (the
            message names the file and what was expected).
    """
    path = cube_path(data_dir, dataset, year)
    raw = _read_h5(path)
    countries = raw.countries
    sectors = raw.sectors
    n, s = len(countries), len(sectors)
    expected = (s, n, n)
    for name in ("flows", "tariffs"):
        shape = getattr(raw, name).shape
        if shape != expected:
            raise _fail(
                path,
                f"{name} has HDF5 shape {shape}; expected (S, N, N) = {expected} from "
                f"{s} sectors and {n} countries",
            )
    if (raw.n, raw.s) != (n, s):
        raise _fail(
            path,
            f"N={raw.n:g}, S={raw.s:g} disagree with the {n} countries and {s} sectors listed",
        )
    if raw.year != year:
        raise _fail(path, f"holds year {raw.year:g}, not the requested {year}")
    if raw.dataset != dataset:
        raise _fail(path, f"holds dataset {raw.dataset!r}, not {dataset!r}")
    if len(set(countries)) != n or len(set(sectors)) != s:
        raise _fail(path, "duplicate country or sector names")
    services = raw.services
    if services != int(services) or not 1 <= services <= s:
        raise _fail(path, f"services_sector={services} is not a 1-based index in 1..{s}")
    # HDF5 [sector, importer, exporter] -> [importer, exporter, sector]
    flows = np.ascontiguousarray(raw.flows.transpose(1, 2, 0))
    tariffs = np.ascontiguousarray(raw.tariffs.transpose(1, 2, 0))
    for name, arr in (("Xjik_3D (flows)", flows), ("tjik_3D (tariffs)", tariffs)):
        if not np.isfinite(arr).all():
            idx = tuple(int(v) for v in np.argwhere(~np.isfinite(arr))[0])
            raise _fail(
                path,
                f"{name} has a non-finite value at [importer, exporter, sector]="
                f"{idx}; expected finite values",
            )
        if (arr < 0).any():
            idx = tuple(int(v) for v in np.argwhere(arr < 0)[0])
            raise _fail(
                path,
                f"{name} has a negative value {arr[idx]} at "
                f"[importer, exporter, sector]={idx}; expected >= 0",
            )
    elasticities = raw.elasticities
    for name, theta in elasticities.items():
        if theta.shape != (s,) or not np.isfinite(theta).all():
            raise _fail(
                path,
                f"sigma/{name}/epsilon_S has shape {theta.shape} or non-finite "
                f"values; expected {s} finite trade elasticities",
            )
        theta.setflags(write=False)
    flows.setflags(write=False)
    tariffs.setflags(write=False)
    return TradeCube(
        dataset=dataset,
        year=int(year),
        countries=countries,
        sectors=sectors,
        services_index=int(services) - 1,
        flows=flows,
        tariffs=tariffs,
        elasticities=elasticities,
        source=path,
        checksum=file_checksum(path),
        elasticity_sources=raw.sources,
    )
