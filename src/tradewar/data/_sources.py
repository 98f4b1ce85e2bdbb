"""The raw-source readers of the data layer in one place (re-exports only, no logic).

Every reader is a pure function of the data directory returning frozen dataclasses of numpy
arrays with their labels, or pandas objects; money in millions of USD, tariffs as fractions.
No calibration happens here.
"""

from __future__ import annotations

from ._concordance import SectorGroup, read_sector_concordance
from ._cubes import TradeCube, read_cube
from ._gdp import read_gdp
from ._paths import default_data_dir, file_checksum, source_file
from ._tariffs2025 import action_dates, read_country_by_time, read_hs2
from ._wiot import WorldIOTable, read_wiot2011

__all__ = [
    "SectorGroup",
    "TradeCube",
    "WorldIOTable",
    "action_dates",
    "default_data_dir",
    "file_checksum",
    "read_country_by_time",
    "read_cube",
    "read_gdp",
    "read_hs2",
    "read_sector_concordance",
    "read_wiot2011",
    "source_file",
]
