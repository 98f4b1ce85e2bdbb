"""Named country groups (blocs) and the named region mappings built from them.

A bloc is a set of ISO3 codes; it can stand wherever a country does in a scenario (it expands
to its members present in the baseline). A *region mapping* is a partition of the baseline's
economies into regions (every economy in exactly one region), used to aggregate a baseline.
Membership as of 2025; sources: europa.eu (EU27), ustr.gov (USMCA), the TPP text of 2016
(TPP12), the CPTPP depositary (CPTPP11, original signatories; the UK acceded in Dec 2024 and is
left out on purpose so that CPTPP11 is the agreement "without the US"), asean.org (ASEAN10),
G7 leaders (the EU is not counted as a member), BRICS original five.
"""

from __future__ import annotations

EU27: tuple[str, ...] = (
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE",
)
USMCA: tuple[str, ...] = ("USA", "CAN", "MEX")
CPTPP11: tuple[str, ...] = (
    "AUS", "BRN", "CAN", "CHL", "JPN", "MYS", "MEX", "NZL", "PER", "SGP", "VNM",
)
TPP12: tuple[str, ...] = CPTPP11 + ("USA",)
ASEAN: tuple[str, ...] = ("BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM")
G7: tuple[str, ...] = ("CAN", "FRA", "DEU", "ITA", "JPN", "GBR", "USA")
BRICS: tuple[str, ...] = ("BRA", "RUS", "IND", "CHN", "ZAF")

BLOCS: dict[str, tuple[str, ...]] = {
    "EU27": EU27,
    "USMCA": USMCA,
    "TPP12": TPP12,
    "CPTPP11": CPTPP11,
    "ASEAN": ASEAN,
    "G7": G7,
    "BRICS": BRICS,
}

#: The 14-region world used by the strategy and coalition analyses: the US, China, every ally
#: named in the 2025 "surround China" debate, Brazil, and the rest of the world.
G14_REGIONS: tuple[str, ...] = (
    "USA", "CHN", "EU27", "GBR", "JPN", "KOR", "IND", "VNM", "TWN", "CAN", "MEX", "AUS", "BRA", "ROW",
)

#: The seven regions of Ossa (2014, "Trade Wars and Trade Talks with Data"): Brazil, China,
#: the EU, India, Japan, the US and the rest of the world.
OSSA7_REGIONS: tuple[str, ...] = ("BRA", "CHN", "EU27", "IND", "JPN", "USA", "ROW")
