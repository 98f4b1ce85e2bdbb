"""Reader of the WIOD 2013-release world input-output table for 2011
(``wiod2013/wiot_2011.RData``, an R list ``wiot_2011`` from the R package bquast/wiod).

The R list holds ``inter`` (1435 × 1435 intermediate use; rows = supplying country × industry,
columns = using country × industry, country-major, 41 × 35), ``final`` (1435 × 205: 41
destination countries × 5 final-demand categories, country-major), ``output`` (1435),
``countries`` and ``industries``; values are integers in millions of current USD.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import DataSourceError
from ._paths import file_checksum, source_file

WIOT2011_FILE = Path("wiod2013") / "wiot_2011.RData"

#: WIOD 2013 final-demand categories, in the order of the columns of ``final`` per country.
FINAL_DEMAND_CATEGORIES: tuple[str, ...] = (
    "CONS_h",  # final consumption expenditure by households
    "CONS_np",  # final consumption expenditure by non-profit organisations serving households
    "CONS_g",  # final consumption expenditure by government
    "GFCF",  # gross fixed capital formation
    "INVEN",  # changes in inventories and valuables (may be negative)
)

#: WIOD country codes that are not ISO3, and the code the project uses instead.
WIOT_COUNTRY_FIXES: dict[str, str] = {"ROM": "ROU", "RoW": "ROW"}


@dataclass(frozen=True, eq=False)
class WorldIOTable:
    """The WIOD 2013 world input-output table of one year. Arrays are read-only float64, in
    millions of current USD (the file's integers).

    Attributes:
        year: 2011.
        countries: N = 41 codes as ISO3 (``ROM`` mapped to ``ROU``; ``RoW`` kept as ``"ROW"``,
            which includes e.g. Vietnam, Croatia, Switzerland and Norway).
        industries: J = 35 industry codes ``c1`` … ``c35`` (c1–c16 goods, c17–c35 services; see
            ``concordance/sector_concordance_wiod35_icio28.csv`` for names).
        final_categories: F = 5 final-demand categories, :data:`FINAL_DEMAND_CATEGORIES`.
        intermediate: (N, J, N, J) = [supplying country, supplying industry, using country,
            using industry].
        final: (N, J, N, F) = [supplying country, supplying industry, destination country,
            final-demand category]; inventory changes (and a few GFCF entries) are negative.
        output: (N, J) gross output.
        value_added: (N, J) = output − column sums of ``intermediate`` (over the supplying
            country and industry).
        balance_discrepancy: (N, J) output − (row sums of intermediate + row sums of final);
            zero up to the rounding of the file's integers.
        source: path of the file read.
        checksum: SHA-256 hex digest of that file.
    """

    year: int
    countries: tuple[str, ...]
    industries: tuple[str, ...]
    final_categories: tuple[str, ...]
    intermediate: np.ndarray
    final: np.ndarray
    output: np.ndarray
    value_added: np.ndarray
    balance_discrepancy: np.ndarray
    source: Path
    checksum: str

    @property
    def max_balance_discrepancy(self) -> float:
        """Largest |output − row sums of intermediate and final|, millions of USD."""
        return float(np.abs(self.balance_discrepancy).max())


def _fail(path: Path, what: str) -> DataSourceError:
    return DataSourceError(
        f"{path}: {what} (expected an R list 'wiot_2011' with inter (1435×1435), final "
        "(1435×205), output (1435), countries (41) and industries (35))"
    )


def _load(path: Path) -> dict[str, object]:
    import rdata  # imported lazily: only this reader needs it

    try:
        with warnings.catch_warnings():
            # the list carries the R class "iot", which rdata has no constructor for
            warnings.simplefilter("ignore", UserWarning)
            objects = rdata.read_rda(path)
    except Exception as exc:  # rdata raises a variety of errors on a corrupt file
        raise _fail(path, f"not readable as RData ({type(exc).__name__}: {exc})") from exc
    if "wiot_2011" not in objects:
        raise _fail(path, f"holds {sorted(objects)} but no 'wiot_2011'")
    table = objects["wiot_2011"]
    if not isinstance(table, dict):
        raise _fail(path, f"'wiot_2011' is a {type(table).__name__}, not an R list")
    return table


def _array(table: dict[str, object], name: str, shape: tuple[int, ...], path: Path) -> np.ndarray:
    if name not in table:
        raise _fail(path, f"'wiot_2011' has no element {name!r}")
    value = table[name]
    arr = np.asarray(getattr(value, "values", value), dtype=np.float64)
    if arr.shape != shape:
        raise _fail(path, f"{name} has shape {arr.shape}; expected {shape}")
    if not np.isfinite(arr).all():
        raise _fail(path, f"{name} has missing or non-finite values")
    return arr


def read_wiot2011(data_dir: str | os.PathLike[str]) -> WorldIOTable:
    """Read the WIOD 2013-release world input-output table for 2011.

    Returns:
        A :class:`WorldIOTable` with N = 41 countries, J = 35 industries, F = 5 final-demand
        categories; intermediate (N, J, N, J), final (N, J, N, F), output and value added
        (N, J), all in millions of USD.

    Raises:
        DataSourceError: the file is missing, unreadable or not in the expected layout.
    """
    path = source_file(data_dir, WIOT2011_FILE)
    table = _load(path)
    try:
        raw_countries = tuple(str(c) for c in np.asarray(table["countries"]).ravel())
        industries = tuple(str(c) for c in np.asarray(table["industries"]).ravel())
        year = int(np.asarray(table.get("year", [2011])).ravel()[0])
    except (KeyError, TypeError, ValueError) as exc:
        raise _fail(path, f"cannot read countries, industries or year ({exc})") from exc
    n, j, f = len(raw_countries), len(industries), len(FINAL_DEMAND_CATEGORIES)
    if (n, j) != (41, 35):
        raise _fail(path, f"lists {n} countries and {j} industries")
    if industries != tuple(f"c{k}" for k in range(1, 36)):
        raise _fail(path, f"industries are {industries}, not c1 … c35")
    countries = tuple(WIOT_COUNTRY_FIXES.get(c, c) for c in raw_countries)
    if len(set(countries)) != n:
        raise _fail(path, "duplicate country codes")
    inter = _array(table, "inter", (n * j, n * j), path)
    final = _array(table, "final", (n * j, n * f), path)
    output = _array(table, "output", (n * j,), path)

    intermediate = inter.reshape(n, j, n, j)
    final4 = final.reshape(n, j, n, f)
    output2 = output.reshape(n, j)
    value_added = output2 - intermediate.sum(axis=(0, 1))
    discrepancy = output2 - intermediate.sum(axis=(2, 3)) - final4.sum(axis=(2, 3))
    for arr in (intermediate, final4, output2, value_added, discrepancy):
        arr.setflags(write=False)
    return WorldIOTable(
        year=year,
        countries=countries,
        industries=industries,
        final_categories=FINAL_DEMAND_CATEGORIES,
        intermediate=intermediate,
        final=final4,
        output=output2,
        value_added=value_added,
        balance_discrepancy=discrepancy,
        source=path,
        checksum=file_checksum(path),
    )
