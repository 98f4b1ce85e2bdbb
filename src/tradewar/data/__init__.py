"""The data layer: read the sources, calibrate them into a consistent :class:`Baseline` (an
exact equilibrium of the engine, every reconciliation step recorded), aggregate to regions, and
cache the result.

>>> from tradewar.data import load_baseline
>>> baseline = load_baseline("icio", 2022, "IS", regions="g14")  # doctest: +SKIP
>>> baseline.summary()["adjustments"]  # doctest: +SKIP
"""

from ._baseline import Adjustment, Baseline, build_baseline, region_mapping
from ._blocs import BLOCS, G14_REGIONS
from ._cache import (
    CacheWarning,
    array_checksum,
    build_all,
    cache_dir,
    cached_arrays,
    load_baseline,
)
from ._horizon import SHORT_RUN_FACTOR, with_horizon
from ._in_force import (
    CARVE_OUTS,
    DATINGS,
    IMPORTERS_WITH_LAYER,
    IN_FORCE_START,
    InForceRates,
    in_force_dates,
    in_force_scenario_toml,
    parse_in_force_date,
    tariffs_in_force,
    tariffs_in_force_table,
)
from ._layer_2019 import (
    END_2019,
    LAYER_2019_TARGETS,
    Layer2019,
    Layer2019Tables,
    layer_2019_tables,
    tariffs_end_2019,
)
from ._reconcile import aggregate
from ._sectors import (
    ICIO28_CODES,
    ICIO_GOODS,
    SERVICES_CODE,
    WIOD16_TO_ICIO,
    WIOT35_TO_ICIO,
    goods_mask,
    is_services,
    sector_labels,
)
from ._sources import (
    SectorGroup,
    TradeCube,
    WorldIOTable,
    action_dates,
    default_data_dir,
    file_checksum,
    read_country_by_time,
    read_cube,
    read_gdp,
    read_hs2,
    read_sector_concordance,
    read_wiot2011,
    source_file,
)
from ._tariff_layer import (
    LAYERS,
    HandEnteredTariffs,
    InForceTariffs,
    TariffSchedule,
    hand_entered,
    hand_layer_rates,
    parse_layer_reference,
    tariffs_in_force_2025,
    us_rates_on,
    us_tariff_schedule,
)
from ._validation import load_cp2015

__all__ = [
    "BLOCS",
    "CARVE_OUTS",
    "DATINGS",
    "IMPORTERS_WITH_LAYER",
    "IN_FORCE_START",
    "SHORT_RUN_FACTOR",
    "with_horizon",
    "InForceRates",
    "in_force_dates",
    "in_force_scenario_toml",
    "parse_in_force_date",
    "tariffs_in_force",
    "tariffs_in_force_table",
    "G14_REGIONS",
    "ICIO28_CODES",
    "ICIO_GOODS",
    "LAYERS",
    "SERVICES_CODE",
    "WIOD16_TO_ICIO",
    "WIOT35_TO_ICIO",
    "HandEnteredTariffs",
    "InForceTariffs",
    "TariffSchedule",
    "Adjustment",
    "Baseline",
    "SectorGroup",
    "TradeCube",
    "WorldIOTable",
    "action_dates",
    "aggregate",
    "CacheWarning",
    "array_checksum",
    "build_all",
    "build_baseline",
    "cache_dir",
    "cached_arrays",
    "default_data_dir",
    "file_checksum",
    "goods_mask",
    "hand_entered",
    "hand_layer_rates",
    "is_services",
    "load_baseline",
    "load_cp2015",
    "parse_layer_reference",
    "read_country_by_time",
    "read_cube",
    "read_gdp",
    "read_hs2",
    "read_sector_concordance",
    "read_wiot2011",
    "region_mapping",
    "sector_labels",
    "source_file",
    "tariffs_in_force_2025",
    "END_2019",
    "LAYER_2019_TARGETS",
    "Layer2019",
    "Layer2019Tables",
    "layer_2019_tables",
    "tariffs_end_2019",
    "us_rates_on",
    "us_tariff_schedule",
]
