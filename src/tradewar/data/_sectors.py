"""Sectors in one module: the codes of every dataset, their names, which are goods, and the
concordances between them.

Datasets and their sector codes (the order of the source files):

* ``icio`` — the 28 sectors of the OECD ICIO trade cubes: 27 goods sectors ``A01`` …
  ``C31T33`` and the services aggregate (stored as ``"Services (aggregate)"``, renamed
  ``SERV`` in a calibrated baseline);
* ``wiod`` — the 16 sectors of the WIOD 2016-release cubes, ``W01`` … ``W16`` (W16 services),
  named by what their flows hold (see ``concordance_wiod16_groups.csv`` beside this file);
* ``wiot2011`` — the 35 industries of the WIOD 2013 release, ``c1`` … ``c35`` (c1 … c16 goods).

Sector names: ICIO from the OECD Inter-Country Input-Output tables, 2023 edition, industry list
of the ReadMe (https://www.oecd.org/en/data/datasets/inter-country-input-output-tables.html,
ISIC rev. 4 codes); WIOD 2013 from Timmer et al. (2015), "An Illustrated User Guide to the World
Input-Output Database", Review of International Economics 23(3), table of the 35 industries
(ISIC rev. 3 codes in front); WIOD 2016 from the package's ``concordance_wiod16_groups.csv``.

``goods`` = every sector but services (:func:`is_services`); a tariff action with
``sectors = "goods"`` and the tariff layers touch goods only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from ..errors import DataSourceError

__all__ = [
    "ICIO28_CODES",
    "ICIO28_LABELS",
    "ICIO_GOODS",
    "SERVICES_CODE",
    "SERVICES_CODES",
    "WIOD35_CODES",
    "WIOD35_LABELS",
    "WIOD16_TO_ICIO",
    "WIOT35_TO_ICIO",
    "WIOT35_TO_WIOD16",
    "goods_mask",
    "is_services",
    "read_wiod16_groups",
    "sector_labels",
]

#: The 27 ICIO goods sectors, in the trade cubes' order.
ICIO_GOODS: tuple[str, ...] = (
    "A01", "A02", "A03", "B05", "B06", "B07", "B08", "B09", "C10T12", "C13T15", "C16",
    "C17_18", "C19", "C20", "C21", "C22", "C23", "C24A", "C24B", "C25", "C26", "C27", "C28",
    "C29", "C301", "C302T309", "C31T33",
)  # fmt: skip

#: The label of the services aggregate in the ICIO cubes.
CUBE_SERVICES_LABEL = "Services (aggregate)"
#: The 28 sectors of the ICIO trade cubes, in the cubes' order (27 goods + services).
ICIO28_CODES: tuple[str, ...] = ICIO_GOODS + (CUBE_SERVICES_LABEL,)
#: Code of the services aggregate in every dataset built from the trade cubes.
SERVICES_CODE = "SERV"

#: Sector codes that denote services (never tariffed by the layers; "goods" excludes them).
SERVICES_CODES: frozenset[str] = frozenset(
    {SERVICES_CODE, CUBE_SERVICES_LABEL, "W16"} | {f"c{k}" for k in range(17, 36)}
)

#: OECD ICIO (2023 release) names of the 28 cube sectors (services renamed ``SERV``).
ICIO28_LABELS: dict[str, str] = {
    "A01": "Crop and animal production, hunting and related service activities",
    "A02": "Forestry and logging",
    "A03": "Fishing and aquaculture",
    "B05": "Mining of coal and lignite",
    "B06": "Extraction of crude petroleum and natural gas",
    "B07": "Mining of metal ores",
    "B08": "Other mining and quarrying",
    "B09": "Mining support service activities",
    "C10T12": "Food products, beverages and tobacco",
    "C13T15": "Textiles, textile products, leather and footwear",
    "C16": "Wood and products of wood and cork",
    "C17_18": "Paper products and printing",
    "C19": "Coke and refined petroleum products",
    "C20": "Chemical and chemical products",
    "C21": "Pharmaceuticals, medicinal chemical and botanical products",
    "C22": "Rubber and plastics products",
    "C23": "Other non-metallic mineral products",
    "C24A": "Manufacture of basic iron and steel",
    "C24B": "Manufacture of basic precious and other non-ferrous metals",
    "C25": "Fabricated metal products, except machinery and equipment",
    "C26": "Computer, electronic and optical equipment",
    "C27": "Electrical equipment",
    "C28": "Machinery and equipment, n.e.c.",
    "C29": "Motor vehicles, trailers and semi-trailers",
    "C301": "Building of ships and boats",
    "C302T309": "Manufacture of other transport equipment",
    "C31T33": "Manufacturing n.e.c.; repair and installation of machinery and equipment",
    SERVICES_CODE: CUBE_SERVICES_LABEL,
}

#: The 35 industries of the WIOD 2013 release.
WIOD35_CODES: tuple[str, ...] = tuple(f"c{k}" for k in range(1, 36))

#: WIOD 2013-release industry names (ISIC rev. 3 codes in front).
WIOD35_LABELS: dict[str, str] = {
    "c1": "AtB Agriculture, hunting, forestry and fishing",
    "c2": "C Mining and quarrying",
    "c3": "15t16 Food, beverages and tobacco",
    "c4": "17t18 Textiles and textile products",
    "c5": "19 Leather, leather products and footwear",
    "c6": "20 Wood and products of wood and cork",
    "c7": "21t22 Pulp, paper, printing and publishing",
    "c8": "23 Coke, refined petroleum and nuclear fuel",
    "c9": "24 Chemicals and chemical products",
    "c10": "25 Rubber and plastics",
    "c11": "26 Other non-metallic minerals",
    "c12": "27t28 Basic metals and fabricated metal",
    "c13": "29 Machinery n.e.c.",
    "c14": "30t33 Electrical and optical equipment",
    "c15": "34t35 Transport equipment",
    "c16": "36t37 Manufacturing n.e.c.; recycling",
    "c17": "E Electricity, gas and water supply",
    "c18": "F Construction",
    "c19": "50 Sale, maintenance and repair of motor vehicles; retail sale of fuel",
    "c20": "51 Wholesale trade and commission trade, except of motor vehicles",
    "c21": "52 Retail trade, except of motor vehicles; repair of household goods",
    "c22": "H Hotels and restaurants",
    "c23": "60 Inland transport",
    "c24": "61 Water transport",
    "c25": "62 Air transport",
    "c26": "63 Supporting and auxiliary transport activities; travel agencies",
    "c27": "64 Post and telecommunications",
    "c28": "J Financial intermediation",
    "c29": "70 Real estate activities",
    "c30": "71t74 Renting of machinery and equipment and other business activities",
    "c31": "L Public administration and defence; compulsory social security",
    "c32": "M Education",
    "c33": "N Health and social work",
    "c34": "O Other community, social and personal services",
    "c35": "P Private households with employed persons",
}

#: WIOD-2016 cube sectors (W01 … W16) as groups of ICIO goods sectors. The codes follow the
#: columns' FLOWS as documented in ``concordance_wiod16_groups.csv`` (beside this file), which
#: are one slot off the cubes' stored names from W05 to W12.
WIOD16_TO_ICIO: dict[str, tuple[str, ...]] = {
    "W01": ("A01", "A02", "A03"), "W02": ("B05", "B06", "B07", "B08", "B09"),
    "W03": ("C10T12",), "W04": ("C13T15",), "W05": ("C16",), "W06": ("C17_18",),
    "W07": ("C19",), "W08": ("C20", "C21"), "W09": ("C22",), "W10": ("C23",),
    "W11": ("C24A", "C24B", "C25"), "W12": ("C26", "C27"), "W13": ("C28",),
    "W14": ("C29", "C301", "C302T309"), "W15": ("C31T33",),
}  # fmt: skip

#: WIOD-2013 industries (c1 … c16 are goods) as groups of ICIO goods sectors, after
#: ``concordance/sector_concordance_wiod35_icio28.csv`` (c4 textiles and c5 leather both take
#: C13T15; c12 basic and fabricated metals takes C24A, C24B and C25).
WIOT35_TO_ICIO: dict[str, tuple[str, ...]] = {
    "c1": ("A01", "A02", "A03"), "c2": ("B05", "B06", "B07", "B08", "B09"), "c3": ("C10T12",),
    "c4": ("C13T15",), "c5": ("C13T15",), "c6": ("C16",), "c7": ("C17_18",), "c8": ("C19",),
    "c9": ("C20", "C21"), "c10": ("C22",), "c11": ("C23",), "c12": ("C24A", "C24B", "C25"),
    "c13": ("C28",), "c14": ("C26", "C27"), "c15": ("C29", "C301", "C302T309"),
    "c16": ("C31T33",),
}  # fmt: skip

#: The WIOD-2016 cube sector (by its flows, see ``concordance_wiod16_groups.csv``) whose tariffs
#: and elasticities each of the 35 WIOT industries takes. Services (c17 … c35) take W16's
#: elasticity and tariff 0.
WIOT35_TO_WIOD16: dict[str, str] = {
    "c1": "W01", "c2": "W02", "c3": "W03", "c4": "W04", "c5": "W04", "c6": "W05", "c7": "W06",
    "c8": "W07", "c9": "W08", "c10": "W09", "c11": "W10", "c12": "W11", "c13": "W13",
    "c14": "W12", "c15": "W14", "c16": "W15",
    **{f"c{k}": "W16" for k in range(17, 36)},
}  # fmt: skip

WIOD16_FILE = "concordance_wiod16_groups.csv"
_WIOD16_COLUMNS = ("code", "label", "group", "cube_label", "tariffs_from")


def is_services(code: str) -> bool:
    """Whether a sector code denotes services (see :data:`SERVICES_CODES`)."""
    return code in SERVICES_CODES or "serv" in code.lower()


def goods_mask(sectors: Sequence[str]) -> np.ndarray:
    """Boolean (J,) mask of the goods sectors of a sector list (every sector but services)."""
    return np.array([not is_services(s) for s in sectors], dtype=bool)


def read_wiod16_groups() -> pd.DataFrame:
    """The package's WIOD-2016 sector table (16 rows, the cubes' column order): ``code``,
    ``label`` (what the column's flows hold), ``group`` (G01 … G14), ``cube_label`` (the name
    stored in the cube), ``tariffs_from`` (``;``-separated codes of the columns whose tariffs
    and elasticities apply, by their stored names). See the file's header."""
    return _wiod16_groups().copy()


@lru_cache(maxsize=1)
def _wiod16_groups() -> pd.DataFrame:
    try:
        with resources.files(__package__).joinpath(WIOD16_FILE).open("r", encoding="utf-8") as fh:
            frame = pd.read_csv(fh, comment="#", dtype=str, keep_default_na=False)
    except (OSError, ValueError, pd.errors.ParserError) as exc:  # pragma: no cover - packaging
        raise DataSourceError(f"tradewar/data/{WIOD16_FILE}: not readable ({exc})") from exc
    if list(frame.columns) != list(_WIOD16_COLUMNS) or len(frame) != 16:
        raise DataSourceError(  # pragma: no cover - packaging
            f"tradewar/data/{WIOD16_FILE}: expected 16 rows of {','.join(_WIOD16_COLUMNS)}"
        )
    return frame


def sector_labels(codes: Iterable[str]) -> dict[str, str]:
    """Human-readable names of sector codes of any dataset: ICIO (``A01`` … ``C31T33``,
    ``SERV``), WIOD 2016 (``W01`` … ``W16``) and WIOD 2013 (``c1`` … ``c35``).

    A code without a known name (e.g. a user's own aggregate) is named by itself, so every
    interface can show ``sector_labels(baseline.sectors)[code]`` without a lookup error.
    """
    wiod16 = dict(zip(_wiod16_groups()["code"], _wiod16_groups()["label"], strict=True))
    known = {**ICIO28_LABELS, CUBE_SERVICES_LABEL: CUBE_SERVICES_LABEL, **WIOD35_LABELS,
             **wiod16}
    return {code: known.get(code, code) for code in codes}
