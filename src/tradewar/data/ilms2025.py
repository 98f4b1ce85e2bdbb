"""Reader of the Ignatenko, Lashkaripour, Macedoni & Simonovska (2025) replication data.

The files in ``validation/ilms2025/`` of the data directory are the authors' baseline data
(``data/base_data/`` of the public replication repository JoeLoera/liberation-day-replication,
byte-identical): 2023 goods flows from CEPII BACI among 194 economies, WDI GDP, and the US
"reciprocal" tariff of 2 April 2025 by partner as the authors computed it
(https://tariffs.inasimonovska.com).

Axis convention (as everywhere in tradewar): ``flows[n, i]`` = sales of exporter ``i`` to
importer ``n``; money in millions of US dollars (BACI reports thousands; WDI GDP is in dollars);
tariffs are fractions (0.25 = 25 %). The file ``tariffs.csv`` is read as published; the 10 %
floor of the Liberation-Day order is applied by the scenario
(:func:`tradewar.analysis.ilms.liberation_day_tariffs`), not here.

Reference
---------
Ignatenko, A., Lashkaripour, A., Macedoni, L. & Simonovska, I. (2025). Making America Great
Again? The Economic Impacts of Liberation Day Tariffs. *Journal of International Economics* 157.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import DataSourceError
from ._paths import source_file

__all__ = ["ILMS2025_CITATION", "ILMS2025_EU", "Ilms2025Data", "load_ilms2025"]

ILMS2025_CITATION = (
    "Ignatenko, A., Lashkaripour, A., Macedoni, L. and Simonovska, I. (2025), 'Making America "
    "Great Again? The Economic Impacts of Liberation Day Tariffs', Journal of International "
    "Economics 157; replication data and code: github.com/JoeLoera/liberation-day-replication "
    "(data/base_data, code/analysis/main_baseline.m)."
)

#: The 25 EU members the authors average over (``id_EU`` in ``main_baseline.m``, 1-based indices
#: 10 … 165 of ``country_labels.csv``). Their list leaves out Czechia and Slovakia although both
#: are in the data; we keep their list so the "EU" rows are the published ones.
ILMS2025_EU: tuple[str, ...] = (
    "AUT", "BEL", "BGR", "CYP", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GRC", "HRV", "HUN",
    "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SVN", "SWE",
)

_FOLDER = "validation/ilms2025"


@dataclass(frozen=True, eq=False)
class Ilms2025Data:
    """ILMS (2025) baseline data, read-only float64 arrays.

    countries : tuple of str, length N (= 194), ISO3 in the authors' order.
    flows : (N, N) ``[importer, exporter]`` 2023 goods trade, millions of USD; the diagonal
        (domestic sales) is zero in the source and built by the calibration.
    gdp : (N,) GDP, millions of USD (WDI).
    us_tariff : (N,) US tariff on each exporter as in ``tariffs.csv`` (fraction; no floor).
    eu : tuple of the EU members the authors average over.
    """

    countries: tuple[str, ...]
    flows: np.ndarray
    gdp: np.ndarray
    us_tariff: np.ndarray
    eu: tuple[str, ...]
    citation: str = ILMS2025_CITATION

    def index_of(self, code: str) -> int:
        from ..errors import UnknownCountryError

        try:
            return self.countries.index(code)
        except ValueError:
            raise UnknownCountryError(code, self.countries, where="ilms2025 data") from None


def _read(data_dir: str | os.PathLike[str], name: str) -> pd.DataFrame:
    path = source_file(data_dir, f"{_FOLDER}/{name}")
    try:
        return pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise DataSourceError(f"{_FOLDER}/{name}: cannot be read as CSV ({exc})") from exc


def _frozen(values: np.ndarray) -> np.ndarray:
    out = np.array(values, dtype=np.float64)
    out.flags.writeable = False
    return out


def load_ilms2025(data_dir: str | os.PathLike[str]) -> Ilms2025Data:
    """Load ``validation/ilms2025/`` into an :class:`Ilms2025Data`.

    Missing cells of the BACI matrix (no recorded trade) are zero, as in the authors' code.
    Raises :class:`~tradewar.errors.DataSourceError` if a file is missing, the matrix is not
    square, the files disagree on the number of economies, or a value is negative or not finite.
    """
    labels = _read(data_dir, "country_labels.csv")
    if "iso3" not in labels.columns:
        raise DataSourceError(f"{_FOLDER}/country_labels.csv: expected a column 'iso3', found {list(labels.columns)}")
    countries = tuple(str(c) for c in labels["iso3"])
    n = len(countries)
    trade = _read(data_dir, "trade_cepii.csv").to_numpy(dtype=np.float64)
    gdp = _read(data_dir, "gdp.csv").to_numpy(dtype=np.float64)
    tariff = _read(data_dir, "tariffs.csv").to_numpy(dtype=np.float64)
    if trade.shape != (n, n):
        raise DataSourceError(f"{_FOLDER}/trade_cepii.csv: shape {trade.shape}; expected ({n}, {n}) "
                              "= economies of country_labels.csv, exporter in rows, importer in columns")
    for name, arr in (("gdp.csv", gdp), ("tariffs.csv", tariff)):
        if arr.shape != (n, 1):
            raise DataSourceError(f"{_FOLDER}/{name}: shape {arr.shape}; expected ({n}, 1)")
    trade = np.nan_to_num(trade, nan=0.0)
    for name, arr in (("trade_cepii.csv", trade), ("gdp.csv", gdp), ("tariffs.csv", tariff)):
        if not np.isfinite(arr).all() or (arr < 0).any():
            raise DataSourceError(f"{_FOLDER}/{name}: values must be finite and >= 0")
    if (gdp <= 0).any():
        raise DataSourceError(f"{_FOLDER}/gdp.csv: GDP must be positive for every economy")
    return Ilms2025Data(
        countries=countries,
        flows=_frozen(trade.T / 1e3),          # thousands of USD, exporter-major -> millions, [n, i]
        gdp=_frozen(gdp[:, 0] / 1e6),           # USD -> millions of USD
        us_tariff=_frozen(tariff[:, 0]),
        eu=ILMS2025_EU,
    )
