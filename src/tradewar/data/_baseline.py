"""The calibrated baseline: one dataset-year as an exact equilibrium of the engine, with the
record of every reconciliation step (:class:`Adjustment`) and the checksums of its sources.

:func:`build_baseline` builds from the source files (see :mod:`tradewar.data._reconcile` for
the calibration); :func:`tradewar.data.load_baseline` does the same through an on-disk cache.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import UnknownNameError, UserInputError, check_choice
from ..model import Economy
from ..options import DATASETS, DEFAULT_YEAR, ELASTICITY_SETS, YEARS
from ._blocs import ASEAN, CPTPP11, EU27, G14_REGIONS, OSSA7_REGIONS, USMCA
from ._concordance import CONCORDANCE_FILE, read_sector_concordance
from ._cubes import CUBE_DATASETS, read_cube
from ._gdp import GDP_FILE, read_gdp
from ._paths import default_data_dir, file_checksum, source_file
from ._reconcile import (
    Adjustment,
    Calibration,
    GroupIO,
    aggregate,
    calibrate_cube,
    calibrate_wiot,
    check_mapping,
    group_io,
)
from ._wiot import WIOT2011_FILE, WorldIOTable, read_wiot2011

__all__ = [
    "NAMED_REGIONS",
    "Adjustment",
    "Baseline",
    "build_baseline",
    "region_mapping",
    "source_checksums",
    "with_regions",
]

#: Year of the input-output structure (the WIOD 2013 table).
IO_YEAR = 2011
#: Tariff year where the cube reuses another year's tariffs (MANIFEST: ICIO 2022 uses 2021's).
_TARIFF_YEAR: dict[tuple[str, int], int] = {("icio", 2022): 2021}
#: Named region mappings accepted by :func:`region_mapping`.
NAMED_REGIONS: tuple[str, ...] = ("g14", "blocs", "ossa7")
#: Economies in WIOT's and the cubes' ROW that the WDI world total does not include.
_NOT_IN_WDI_WORLD: frozenset[str] = frozenset({"TWN"})


@dataclass(frozen=True, eq=False)
class Baseline:
    """A calibrated baseline: the economy every scenario starts from, and how it was made.

    Attributes:
        economy: the :class:`~tradewar.model.Economy` (an exact equilibrium: a zero shock
            returns every hat = 1).
        dataset: ``"icio"``, ``"wiod"`` or ``"wiot2011"``.
        year: the data year.
        elasticity: the elasticity set of ``economy.theta``.
        regions: name of the region mapping applied (``"g14"``, ``"blocs"``, a TOML path), or
            ``None`` for the dataset's own economies.
        sector_labels: sector code → name.
        adjustments: every reconciliation step, in order (see :meth:`adjustments_table`).
        sources: data file (path relative to the data directory) → SHA-256.
        gdp_musd: (N,) WDI GDP, millions of constant-2015 USD, of the data year (value added in
            current USD where WDI has none; recorded in ``adjustments``).
        elasticities: θ (J,) of every published set (see :meth:`with_elasticity`).
        region_members: region → the dataset economies it holds (``None`` without regions).
    """

    economy: Economy
    dataset: str
    year: int
    elasticity: str
    regions: str | None
    sector_labels: dict[str, str]
    adjustments: tuple[Adjustment, ...]
    sources: dict[str, str]
    gdp_musd: np.ndarray
    elasticities: dict[str, np.ndarray] = field(default_factory=dict)
    region_members: dict[str, tuple[str, ...]] | None = None

    @property
    def countries(self) -> tuple[str, ...]:
        return self.economy.countries

    @property
    def sectors(self) -> tuple[str, ...]:
        return self.economy.sectors

    @property
    def tariff_year(self) -> int:
        return _TARIFF_YEAR.get((self.dataset, self.year), self.year)

    @property
    def description(self) -> str:
        """One line saying what this baseline is."""
        e = self.economy
        if self.dataset == "wiot2011":
            origin = ("WIOD 2013-release world input-output table of 2011; tariffs and "
                      "elasticities from the WIOD 2016 cube of 2011")
        else:
            name = "OECD ICIO trade cube" if self.dataset == "icio" else "WIOD 2016 trade cube"
            tariffs = "" if self.tariff_year == self.year else f" (tariffs of {self.tariff_year})"
            origin = f"{name} {self.year}{tariffs}; IO structure WIOD 2013 table of {IO_YEAR}"
        regions = f", aggregated to regions {self.regions!r}" if self.regions else ""
        return (
            f"{self.dataset} {self.year}: {e.n_countries} economies × {e.n_sectors} sectors"
            f"{regions}; {origin}; {self.elasticity} trade elasticities; "
            f"{len(self.adjustments)} recorded adjustments"
        )

    def adjustments_table(self) -> pd.DataFrame:
        """The adjustments as a table: step, country, sector, detail, amount_musd, factor."""
        columns = ["step", "country", "sector", "detail", "amount_musd", "factor"]
        rows = [
            (a.step, a.country, a.sector, a.detail, a.amount_musd,
             np.nan if a.factor is None else a.factor)
            for a in self.adjustments
        ]
        frame = pd.DataFrame(rows, columns=columns)
        return frame.astype({"amount_musd": "float64", "factor": "float64"})

    def summary(self) -> dict[str, Any]:
        """Coverage, sources and the number and size of adjustments by step (JSON-ready)."""
        e = self.economy
        steps: dict[str, dict[str, Any]] = {}
        for a in self.adjustments:
            entry = steps.setdefault(a.step, {"count": 0, "amount_musd": 0.0, "largest_musd": 0.0,
                                              "largest": ""})
            entry["count"] += 1
            entry["amount_musd"] += float(a.amount_musd)
            if abs(a.amount_musd) > abs(entry["largest_musd"]):
                entry["largest_musd"] = float(a.amount_musd)
                entry["largest"] = " ".join(p for p in (a.country, a.sector) if p)
        return {
            "description": self.description,
            "dataset": self.dataset,
            "year": self.year,
            "elasticity": self.elasticity,
            "regions": self.regions,
            "n_countries": e.n_countries,
            "n_sectors": e.n_sectors,
            "countries": list(e.countries),
            "sectors": list(e.sectors),
            "world_output_musd": float(e.output.sum()),
            "total_trade_musd": float(e.exports.sum()),
            "world_gdp_musd_2015": float(np.sum(self.gdp_musd)),
            "years": {"flows": self.year, "tariffs": self.tariff_year,
                      "io_structure": IO_YEAR if self.dataset != "wiot2011" else 2011,
                      "gdp": self.year},
            "sources": dict(self.sources),
            "n_adjustments": len(self.adjustments),
            "adjustments": steps,
        }

    def with_elasticity(self, elasticity: str) -> Baseline:
        """The same baseline with another published elasticity set (only θ changes)."""
        check_choice("elasticity set", elasticity, ELASTICITY_SETS)
        if elasticity not in self.elasticities:
            raise UnknownNameError("elasticity set", elasticity, self.elasticities)
        e = self.economy
        economy = Economy(
            countries=e.countries, sectors=e.sectors, flows=e.flows, tariffs=e.tariffs,
            theta=self.elasticities[elasticity], va_share=e.va_share, input_share=e.input_share,
            final_share=e.final_share, notes=e.notes,
        )
        return replace(self, economy=economy, elasticity=elasticity)


# --------------------------------------------------------------------------------------
# options
# --------------------------------------------------------------------------------------


def check_options(dataset: str, year: int | None, elasticity: str) -> int:
    """Validate the options; return the year (the dataset's default when ``None``)."""
    check_choice("dataset", dataset, DATASETS)
    if year is None:
        year = DEFAULT_YEAR[dataset]
    elif isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    if isinstance(year, bool) or year not in YEARS[dataset]:
        raise UnknownNameError("year", year, YEARS[dataset], where=f"dataset {dataset!r}")
    check_choice("elasticity set", elasticity, ELASTICITY_SETS)
    return int(year)


def source_files(dataset: str, year: int) -> list[Path]:
    """Data files (relative to the data directory) a baseline is built from."""
    if dataset == "wiot2011":
        folder, stem = CUBE_DATASETS["wiod"]
        return [Path(WIOT2011_FILE), Path(folder) / f"{stem}2011.mat", Path(GDP_FILE)]
    folder, stem = CUBE_DATASETS[dataset]
    return [Path(folder) / f"{stem}{year}.mat", Path(WIOT2011_FILE), Path(CONCORDANCE_FILE),
            Path(GDP_FILE)]


def source_checksums(dataset: str, year: int, data_dir: str | os.PathLike[str]) -> dict[str, str]:
    """Relative path (POSIX) → SHA-256 of every source file of a baseline."""
    return {
        rel.as_posix(): file_checksum(source_file(data_dir, rel))
        for rel in source_files(dataset, year)
    }


# --------------------------------------------------------------------------------------
# calibration
# --------------------------------------------------------------------------------------

_WIOT_MEMO: dict[tuple[str, str], tuple[WorldIOTable, dict[str, GroupIO]]] = {}


def _wiot(data_dir: Path) -> tuple[WorldIOTable, dict[str, GroupIO]]:
    """Read the WIOT table once per process (keyed by path and checksum)."""
    path = source_file(data_dir, WIOT2011_FILE)
    key = (str(path.resolve()), file_checksum(path))
    if key not in _WIOT_MEMO:
        _WIOT_MEMO.clear()
        _WIOT_MEMO[key] = (read_wiot2011(data_dir), {})
    return _WIOT_MEMO[key]


def _group_structure(data_dir: Path) -> tuple[GroupIO, list]:
    concordance = read_sector_concordance(data_dir)
    table, structures = _wiot(data_dir)
    ckey = file_checksum(source_file(data_dir, CONCORDANCE_FILE))
    if ckey not in structures:
        structures[ckey] = group_io(table, concordance)
    return structures[ckey], concordance


@dataclass(frozen=True, eq=False)
class CalibratedData:
    """Everything of a baseline that does not depend on the elasticity set or the regions."""

    dataset: str
    year: int
    calibration: Calibration
    gdp_musd: np.ndarray
    gdp_adjustments: tuple[Adjustment, ...]
    sources: dict[str, str]

    @property
    def adjustments(self) -> tuple[Adjustment, ...]:
        return self.calibration.adjustments + self.gdp_adjustments


def _gdp(countries: Sequence[str], year: int, value_added: np.ndarray, data_dir: Path,
         ) -> tuple[np.ndarray, list[Adjustment]]:
    """WDI GDP (millions of constant-2015 USD) of each economy; ROW = world − listed."""
    series = read_gdp(data_dir)
    try:
        by_code = series.xs(year, level="year")
    except KeyError:
        by_code = pd.Series(dtype=float)
    gdp = np.array([float(by_code.get(c, np.nan)) for c in countries])
    adjustments: list[Adjustment] = []
    if "ROW" in countries and "WLD" in by_code.index:
        r = list(countries).index("ROW")
        listed = sum(gdp[k] for k, c in enumerate(countries)
                     if c != "ROW" and c not in _NOT_IN_WDI_WORLD and np.isfinite(gdp[k]))
        residual = float(by_code["WLD"]) - listed
        if residual > 0:
            gdp[r] = residual
            adjustments.append(Adjustment(
                step="gdp: ROW as world residual",
                country="ROW",
                sector="",
                detail=(
                    f"WDI has no 'rest of the world': ROW's GDP {year} = WDI world (WLD) − the "
                    f"listed economies (Taiwan is not in WLD) = {residual:,.0f} million 2015 USD"
                ),
                amount_musd=residual,
            ))
    for k in np.nonzero(~np.isfinite(gdp))[0].tolist():
        gdp[k] = float(value_added[k])
        adjustments.append(Adjustment(
            step="gdp: value added used",
            country=countries[k],
            sector="",
            detail=(
                f"WDI has no GDP of {countries[k]} in {year}; the baseline's value added "
                f"({value_added[k]:,.0f} million current USD) stands in"
            ),
            amount_musd=float(value_added[k]),
        ))
    return gdp, adjustments


def calibrate(dataset: str, year: int, data_dir: str | os.PathLike[str] | None = None) -> CalibratedData:
    """Calibrate one dataset-year from the source files (all elasticity sets, no regions)."""
    year = check_options(dataset, year, "IS")
    base = Path(data_dir) if data_dir is not None else default_data_dir()
    sources = source_checksums(dataset, year, base)
    if dataset == "wiot2011":
        table, _ = _wiot(base)
        calibration = calibrate_wiot(table, read_cube(base, "wiod", 2011))
    else:
        structure, concordance = _group_structure(base)
        calibration = calibrate_cube(read_cube(base, dataset, year), structure, concordance)
    value_added = (calibration.va_share * calibration.flows.sum(axis=0)).sum(axis=1)
    gdp, gdp_adj = _gdp(calibration.countries, year, value_added, base)
    gdp.setflags(write=False)
    return CalibratedData(dataset, year, calibration, gdp, tuple(gdp_adj), sources)


def assemble(data: CalibratedData, elasticity: str) -> Baseline:
    """The :class:`Baseline` of calibrated data with one elasticity set (no regions)."""
    check_choice("elasticity set", elasticity, ELASTICITY_SETS)
    cal = data.calibration
    return Baseline(
        economy=cal.economy(elasticity),
        dataset=data.dataset,
        year=data.year,
        elasticity=elasticity,
        regions=None,
        sector_labels=dict(cal.sector_labels),
        adjustments=data.adjustments,
        sources=dict(data.sources),
        gdp_musd=data.gdp_musd,
        elasticities=dict(cal.elasticities),
    )


def build_baseline(
    dataset: str = "icio",
    year: int | None = None,
    elasticity: str = "IS",
    *,
    data_dir: str | os.PathLike[str] | None = None,
    regions: str | os.PathLike[str] | Mapping[str, str] | None = None,
) -> Baseline:
    """Build a calibrated baseline from the source files (no cache).

    Args:
        dataset: ``"icio"`` (2011–2022, 81 × 28), ``"wiod"`` (2000–2014, 44 × 16) or
            ``"wiot2011"`` (41 × 35).
        year: data year; default the dataset's latest (:data:`tradewar.options.DEFAULT_YEAR`).
        elasticity: one of :data:`tradewar.options.ELASTICITY_SETS`.
        data_dir: the data directory (default :func:`default_data_dir`).
        regions: ``None``, ``"g14"``, ``"blocs"``, a TOML file, or a mapping country → region
            (see :func:`region_mapping`).

    Raises:
        UnknownNameError: unknown dataset, year or elasticity set (lists the allowed values).
        DataSourceError: a source file is missing or malformed.
        UserInputError: an invalid region mapping.
    """
    year = check_options(dataset, year, elasticity)
    baseline = assemble(calibrate(dataset, year, data_dir), elasticity)
    return with_regions(baseline, regions) if regions is not None else baseline


# --------------------------------------------------------------------------------------
# regions
# --------------------------------------------------------------------------------------


def _named_mapping(name: str, countries: Sequence[str]) -> dict[str, str]:
    present = set(countries)
    mapping: dict[str, str] = {}

    def put(region: str, members: Sequence[str]) -> None:
        for c in members:
            if c in present and c not in mapping:
                mapping[c] = region

    if name == "ossa7":  # Ossa (2014)'s seven regions
        for region in OSSA7_REGIONS:
            if region == "EU27":
                put(region, EU27)
            elif region != "ROW":
                put(region, (region,))
    elif name == "g14":
        for region in G14_REGIONS:
            if region == "EU27":
                put(region, EU27)
            elif region != "ROW":
                put(region, (region,))
    else:  # blocs: single economies first, then the agreements, each without earlier members
        singles = ("CHN", "IND", "JPN", "KOR", "GBR", "BRA", "RUS")
        order = ("EU27", "USMCA", "CPTPP11", "ASEAN", *singles)
        claimed = {c: c for c in singles if c in present}
        for region in order:
            if region in singles:
                put(region, (region,))
                continue
            members = {"EU27": EU27, "USMCA": USMCA, "CPTPP11": CPTPP11, "ASEAN": ASEAN}[region]
            put(region, [c for c in members if c not in claimed])
        # keep the listed order of regions
        ordered: dict[str, str] = {}
        for region in order:
            ordered.update({c: r for c, r in mapping.items() if r == region})
        mapping = ordered
    put("ROW", [c for c in countries if c not in mapping])
    return mapping


def _toml_mapping(path: Path, countries: Sequence[str]) -> dict[str, str]:
    try:
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
    except OSError as exc:
        raise UserInputError(f"region file {path}: cannot be read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UserInputError(f"region file {path}: not valid TOML ({exc})") from exc
    table = doc.get("regions")
    if not isinstance(table, dict) or not table:
        raise UserInputError(
            f"region file {path}: expected a [regions] table of NAME = [\"ISO3\", ...] "
            "(plus optional rest = \"ROW\")"
        )
    rest = doc.get("rest")
    mapping: dict[str, str] = {}
    where: dict[str, str] = {}
    for region, members in table.items():
        if region == "rest" and isinstance(members, str):
            rest = members
            continue
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise UserInputError(
                f"region file {path}: regions.{region} must be a list of ISO3 codes, "
                f"got {members!r}"
            )
        for country in members:
            if country in mapping:
                raise UserInputError(
                    f"region file {path}: country {country!r} is listed twice (in "
                    f"{where[country]!r} and {region!r}); each economy must be in exactly "
                    "one region"
                )
            mapping[country] = region
            where[country] = region
    if rest is not None:
        if not isinstance(rest, str) or not rest.strip():
            raise UserInputError(f"region file {path}: rest must be a region name, got {rest!r}")
        for country in countries:
            mapping.setdefault(country, rest)
    check_mapping(countries, mapping, f"region file {path}")
    return mapping


def region_mapping(
    regions: str | os.PathLike[str] | Mapping[str, str], countries: Sequence[str]
) -> dict[str, str]:
    """A partition of ``countries`` into regions: country → region, in region order.

    ``regions`` is ``"g14"`` (:data:`~tradewar.data.G14_REGIONS`: USA, CHN, EU27, GBR, JPN,
    KOR, IND, VNM, TWN, CAN, MEX, AUS, BRA, ROW = every other economy), ``"blocs"`` (EU27,
    USMCA, CPTPP11 without its USMCA members and Japan, ASEAN without its CPTPP members, CHN,
    IND, JPN, KOR, GBR, BRA, RUS, ROW), a TOML file with a ``[regions]`` table
    ``NAME = ["ISO3", ...]`` and an optional ``rest = "ROW"`` (top level or inside the table)
    collecting the economies not listed, or a mapping country → region. Regions without a
    member in ``countries`` are left out.

    Raises:
        UserInputError: a country left out (without ``rest``) or listed twice, a region named
            after an economy that is not its member, or a malformed file (message names the
            country and the file).
        UnknownCountryError: a listed code that is not an economy of the baseline.
        UnknownNameError: ``regions`` is neither a named mapping nor an existing file.
    """
    countries = tuple(countries)
    if isinstance(regions, Mapping):
        mapping = {str(k): str(v) for k, v in regions.items()}
        check_mapping(countries, mapping, "the region mapping")
        return mapping
    text = os.fspath(regions)
    if text.lower() in NAMED_REGIONS:
        mapping = _named_mapping(text.lower(), countries)
        check_mapping(countries, mapping, f"regions {text.lower()!r}")
        return mapping
    path = Path(text).expanduser()
    if path.is_file():
        return _toml_mapping(path, countries)
    if path.suffix.lower() == ".toml":
        raise UserInputError(f"region file {path} not found")
    raise UnknownNameError("region mapping", text, [*NAMED_REGIONS, "<path to a .toml file>"])


def regions_name(regions: str | os.PathLike[str] | Mapping[str, str]) -> str:
    if isinstance(regions, Mapping):
        return "custom"
    text = os.fspath(regions)
    return text.lower() if text.lower() in NAMED_REGIONS else text


def with_regions(
    baseline: Baseline, regions: str | os.PathLike[str] | Mapping[str, str] | None
) -> Baseline:
    """Aggregate a baseline to regions (see :func:`region_mapping` and
    :func:`tradewar.data.aggregate`); GDP is summed over members."""
    if regions is None:
        return baseline
    if baseline.regions is not None:
        raise UserInputError(
            f"baseline is already aggregated to regions {baseline.regions!r}; aggregate the "
            "dataset's own economies instead"
        )
    name = regions_name(regions)
    mapping = region_mapping(regions, baseline.economy.countries)
    economy, adjustments = aggregate(baseline.economy, mapping, name)
    member = np.zeros((economy.n_countries, baseline.economy.n_countries))
    pos = {r: k for k, r in enumerate(economy.countries)}
    for c, country in enumerate(baseline.economy.countries):
        member[pos[mapping[country]], c] = 1.0
    gdp = member @ np.asarray(baseline.gdp_musd)
    gdp.setflags(write=False)
    members = {r: tuple(c for c in baseline.economy.countries if mapping[c] == r) for r in economy.countries}
    return replace(
        baseline, economy=economy, regions=name, gdp_musd=gdp,
        adjustments=baseline.adjustments + tuple(adjustments), region_members=members,
    )

