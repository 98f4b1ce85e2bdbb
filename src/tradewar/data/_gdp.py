"""Reader of World Bank WDI GDP at constant 2015 USD (``gdp/WDI_GDP_constant2015USD.csv``,
columns CountryCode (ISO2), CountryCode_ISO3, CountryName, Year, GDP_constant2015USD; from
ahmadlp/tariffwar ``support/gdp/``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..errors import DataSourceError
from ._paths import source_file

GDP_FILE = Path("gdp") / "WDI_GDP_constant2015USD.csv"

#: Income-group aggregates whose ISO3 column is empty in the file: their World Bank ISO2-style
#: code → the World Bank's three-letter code.
WDI_MISSING_ISO3: dict[str, str] = {"XD": "HIC", "XM": "LIC", "XN": "LMC", "XT": "UMC"}

#: World Bank codes of the regional and income aggregates in the file (not economies).
WDI_AGGREGATES: frozenset[str] = frozenset(
    "AFE AFW ARB CSS CEB EAR EAS EAP TEA EMU ECS ECA TEC EUU FCS HPC IBD IBT IDB IDX IDA LTE "
    "LCN LAC TLA LDC LMY MEA MNA TMN MIC NAC OED OSS PSS PST PRE SST SAS TSA SSF SSA TSS WLD "
    "HIC LIC LMC UMC".split()
)

_COLUMNS = ("CountryCode", "CountryCode_ISO3", "CountryName", "Year", "GDP_constant2015USD")


def read_gdp(data_dir: str | os.PathLike[str]) -> pd.Series:
    """Read WDI GDP, constant 2015 USD, converted to MILLIONS of constant 2015 USD.

    All rows are kept, including the World Bank regional and income aggregates (``WLD``,
    ``EUU``, ``HIC`` …; listed in :data:`WDI_AGGREGATES`) and economies whose World Bank code is
    not ISO 3166 (``XKX`` Kosovo, ``CHI`` Channel Islands). The four income groups whose ISO3
    column is empty in the file (XD, XM, XN, XT) get the World Bank codes of
    :data:`WDI_MISSING_ISO3`. Years are 1995–2024 (Taiwan to 2023, Kosovo from 2008); missing
    country-years are absent, not NaN.

    Returns:
        A float64 Series named ``gdp_musd_2015``, indexed by the MultiIndex
        (``iso3`` str, ``year`` int), sorted.

    Raises:
        DataSourceError: the file is missing or unreadable, lacks a column, has an empty ISO3
            not in :data:`WDI_MISSING_ISO3`, a non-numeric or negative GDP, or duplicate keys.
    """
    path = source_file(data_dir, GDP_FILE)
    try:
        # keep_default_na=False: Namibia's ISO2 code "NA" must not become NaN
        frame = pd.read_csv(
            path,
            keep_default_na=False,
            na_values=[""],
            dtype={"CountryCode": str, "CountryCode_ISO3": str, "CountryName": str},
        )
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataSourceError(f"{path}: not readable as CSV ({exc})") from exc
    missing_cols = [c for c in _COLUMNS if c not in frame.columns]
    if missing_cols:
        raise DataSourceError(
            f"{path}: missing columns {missing_cols}; expected columns {list(_COLUMNS)}"
        )
    iso3 = frame["CountryCode_ISO3"].copy()
    empty = iso3.isna()
    if empty.any():
        fill = frame.loc[empty, "CountryCode"].map(WDI_MISSING_ISO3)
        if fill.isna().any():
            bad = frame.loc[empty & fill.reindex(frame.index).isna(), "CountryName"].iloc[0]
            raise DataSourceError(
                f"{path}: row for {bad!r} has no ISO3 code and is not one of the known "
                f"aggregates {sorted(WDI_MISSING_ISO3)}"
            )
        iso3.loc[empty] = fill
    values = pd.to_numeric(frame["GDP_constant2015USD"], errors="coerce")
    if values.isna().any() or (values < 0).any():
        row = frame.loc[values.isna() | (values < 0)].iloc[0]
        raise DataSourceError(
            f"{path}: GDP of {row['CountryName']!r} in {row['Year']} is "
            f"{row['GDP_constant2015USD']!r}; expected a non-negative number"
        )
    index = pd.MultiIndex.from_arrays(
        [iso3.astype(str).to_numpy(), frame["Year"].astype(int).to_numpy()],
        names=["iso3", "year"],
    )
    if index.has_duplicates:
        dup = index[index.duplicated()][0]
        raise DataSourceError(f"{path}: duplicate row for (iso3, year) = {dup}")
    series = pd.Series(values.to_numpy() / 1e6, index=index, name="gdp_musd_2015")
    return series.sort_index()
