"""The 2018–19 US–China tariff war as in force at the end of 2019, both sides, by ICIO sector.

The ex-post test (``tradewar validate trade-war-2018``) needs the tariffs the two countries
actually charged each other at the end of 2019 — not the layer as it stood on 2025-01-01
(:func:`tradewar.data.tariffs_in_force_2025`), which differs from it by the Phase One cuts of
14 February 2020 (US list 4A 15 % → 7.5 %, China's tranche of 1 September 2019 halved), by
China's exclusion processes of 2020 and by the Section 301 increases of 2024, and which takes
its US sector pattern from duties *collected* in 2024. This module builds the end-2019 layer
from the hand-entered file ``tariffs_2018_19.toml`` (beside this file; a ``source`` for every
number).

Concept — the same as everywhere in the project, on both sides: **statutory rates in force at
the date, trade-weighted at pre-shock weights**. The published reference for both sides is
PIIE's "US-China Trade War Tariffs: An Up-to-Date Chart" (Bown); its version of 19 December
2019 gives the averages in force then (no tariff changed between that day and 14 February
2020): US on China **21.0 %**, China on the US **21.1 %**, both trade-weighted at 2017 import
levels.

Decisions (documented once, here; the reading is in docs/validation.md):

* **Sector pattern: statutory, both sides, from one source.** The data directory holds no
  product lists of 2018–19. Waugh's US–China Trade War Tracker (MIT) publishes, month by month,
  the statutory tariff of each side by NAICS 3-digit industry, trade-weighted within the
  industry at 2017 HS6 weights: the US side from the USITC "China Tariffs" document (Section 301
  headings 9903.88.01–.04 and .15; list 4B, .16, suspended) on top of 2017 MFN ad-valorem rates,
  China's side from its retaliation lists (with its exclusions). Its December 2019 values are the
  end-2019 state; its December 2017 values the pre-war state. Both are entered in the TOML with
  the 2017 trade of each industry. We prefer it to the alternative the data directory offers
  (the 2024 US duties *collected* by HS2, less an MFN part estimated from other partners): that
  one is a 2024 pattern (after Phase One, the 2024 increases and five years of exclusions, at
  2024 trade weights) and exists for the US side only, whereas this one is statutory, dated,
  pre-shock-weighted and the same construction for both sides.
* **Check against PIIE.** At its own 2017 weights (the industries entered) the source gives
  US 21.4 % and China 18.7 % in December 2019 (PIIE: 21.0 / 21.1), and floored increases since
  December 2017 of 17.2 and 13.1 points (PIIE, from its pre-war figures 3.1 % and 8.0 %: 17.9 and
  13.1). The two sources agree on the increases within a point; their levels differ by how each
  measures MFN rates (ad-valorem parts only; China's 2018 MFN cuts for all suppliers).
* **Increase, not level, by sector.** The layer adds to the baseline's own tariffs (its
  MFN/preferential rates, which hold specific-duty equivalents — ICIO's US food rate is 0.91 —
  that neither source measures) the increase of each industry, ``rate_2019_12 − rate_2017_12``,
  **floored at 0**: the bilateral layer never lowers a tariff (where the increase is negative —
  China on US transport equipment, 10.1 % → 6.3 %, because China's MFN cut on cars of July 2018
  applied to every supplier and its additional tariff on US cars was suspended from January
  2019 — it is 0; a cut for all suppliers is not a bilateral measure).
* **NAICS → ICIO.** Each industry falls in one or more ICIO goods sectors (ISIC rev. 4
  divisions; the map is in the TOML, row by row). An industry spread over several ICIO sectors
  (mining: B05/B07/B08/B09; chemicals: C20/C21; primary metals: C24A/C24B; transport
  equipment: C29/C301/C302T309) gives each its rate; an ICIO sector fed by several industries
  (A01, C10T12, C13T15, C17_18, C31T33) takes their 2017-trade-weighted mean. Waste and scrap,
  used goods and special provisions (NAICS 910/930/980/990) are not ICIO industries and are
  left out. Services are never touched.
* **Scale to the published average (the target).** The sector increases are multiplied by one
  factor per side so that the trade-weighted average of the resulting tariff over goods, at the
  baseline's flows (the pre-shock weights of the study: ICIO 2017), equals PIIE's end-2019
  figure — ``target="level"``, the default and the project's concept. ``target="increase"``
  instead makes the average *increase* equal PIIE's increase from its pre-war figures (17.9 and
  13.1 points), for a reader who holds that the baseline's MFN level and PIIE's differ by
  measurement; docs/validation.md reports what the choice changes. A side whose baseline
  average already exceeds the target is left unchanged (noted).
* **Not in the layer.** Section 232/201 tariffs on other US partners and other countries'
  retaliation against them (the ex-post test is about the bilateral war; PIIE's 21.0 % includes
  the 232/201 duties on China, which the scaling spreads over China's goods sectors in
  proportion to the Section 301 pattern).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataSourceError, UnknownNameError, UserInputError
from ._sectors import ICIO_GOODS, goods_mask
from ._tariff_layer import _sector_rates

__all__ = [
    "END_2019",
    "LAYER_2019_FILE",
    "LAYER_2019_SIDES",
    "LAYER_2019_TARGETS",
    "Layer2019",
    "Layer2019Row",
    "Layer2019Tables",
    "layer_2019_tables",
    "read_layer_2019",
    "tariffs_end_2019",
]

LAYER_2019_FILE = Path(__file__).resolve().parent / "tariffs_2018_19.toml"
#: The date the layer describes.
END_2019 = date(2019, 12, 31)
#: What the scaling reproduces: PIIE's end-2019 average level (default) or its increase.
LAYER_2019_TARGETS: tuple[str, ...] = ("level", "increase")
#: The two sides: TOML table → (importer, exporter).
LAYER_2019_SIDES: dict[str, tuple[str, str]] = {"us_on_china": ("USA", "CHN"), "china_on_us": ("CHN", "USA")}
_PIIE_KEYS = ("end_2019", "before", "phase_one")


@dataclass(frozen=True)
class Layer2019Row:
    """One NAICS 3-digit industry of one side: 2017 trade (millions of USD), statutory rates in
    December 2017 and December 2019 (fractions), the ICIO sectors it falls in, its source."""

    naics3: int
    label: str
    icio: tuple[str, ...]
    weight_2017_musd: float
    rate_2017_12: float
    rate_2019_12: float
    source: str

    @property
    def increase(self) -> float:
        """The layer's increase: rate_2019_12 − rate_2017_12, floored at 0 (fraction)."""
        return max(self.rate_2019_12 - self.rate_2017_12, 0.0)


@dataclass(frozen=True)
class Layer2019Tables:
    """The content of ``tariffs_2018_19.toml``.

    ``piie[side][key]`` = (value as a fraction, date, source) for key ``end_2019``, ``before``
    and ``phase_one``; ``rows[side]`` the industries of each side (see :class:`Layer2019Row`).
    """

    in_force: date
    piie: dict[str, dict[str, tuple[float, date, str]]]
    rows: dict[str, tuple[Layer2019Row, ...]]
    sectors_source: str
    chart: str
    path: Path

    def sector_increase(self, side: str) -> tuple[np.ndarray, np.ndarray]:
        """(increase, weight), each (27,) over :data:`ICIO_GOODS`: the 2017-weighted mean of
        the floored increases of the industries in each ICIO sector (fraction), and the 2017
        trade behind it (millions of USD; an industry's trade is split evenly over its
        sectors)."""
        index = {c: k for k, c in enumerate(ICIO_GOODS)}
        num = np.zeros(len(ICIO_GOODS))
        total = np.zeros(len(ICIO_GOODS))    # every industry's full trade, for the mean
        weight = np.zeros(len(ICIO_GOODS))   # trade split over the industry's sectors
        for row in self.rows[_check_side(side)]:
            for code in row.icio:
                k = index[code]
                num[k] += row.weight_2017_musd * row.increase
                total[k] += row.weight_2017_musd
                weight[k] += row.weight_2017_musd / len(row.icio)
        increase = np.divide(num, total, out=np.zeros_like(num), where=total > 0)
        return increase, weight

    def source_average(self, side: str, which: str) -> float:
        """The source's own trade-weighted average (2017 weights, fraction) of ``which`` =
        ``"rate_2017_12"``, ``"rate_2019_12"`` or ``"increase"``."""
        rows = self.rows[_check_side(side)]
        if which not in ("rate_2017_12", "rate_2019_12", "increase"):
            raise UnknownNameError("which", which, ("rate_2017_12", "rate_2019_12", "increase"))
        w = np.array([r.weight_2017_musd for r in rows])
        v = np.array([getattr(r, which) for r in rows])
        return float((w * v).sum() / w.sum())


def _check_side(side: str) -> str:
    if side not in LAYER_2019_SIDES:
        raise UnknownNameError("side", side, tuple(LAYER_2019_SIDES))
    return side


def _row(raw: Any, where: str, path: Path) -> Layer2019Row:
    if not isinstance(raw, dict):
        raise DataSourceError(f"{path}: {where} is not a table")
    for key in ("naics3", "label", "icio", "weight_2017_musd", "rate_2017_12", "rate_2019_12", "source"):
        if key not in raw:
            raise DataSourceError(f"{path}: {where} lacks the key {key!r}")
    if not str(raw["source"]).strip():
        raise DataSourceError(f"{path}: {where} has an empty source")
    icio = tuple(str(c) for c in raw["icio"])
    bad = sorted(set(icio) - set(ICIO_GOODS))
    if bad or not icio:
        raise DataSourceError(f"{path}: {where}.icio has unknown codes {bad or '[]'}; allowed: {list(ICIO_GOODS)}")
    try:
        numbers = {k: float(raw[k]) for k in ("weight_2017_musd", "rate_2017_12", "rate_2019_12")}
    except (TypeError, ValueError) as exc:
        raise DataSourceError(f"{path}: {where}: weight and rates must be numbers ({exc})") from exc
    if numbers["weight_2017_musd"] < 0 or not all(np.isfinite(v) for v in numbers.values()):
        raise DataSourceError(f"{path}: {where}: weight_2017_musd must be a finite number >= 0")
    for key in ("rate_2017_12", "rate_2019_12"):
        if not 0.0 <= numbers[key] <= 2.0:
            raise DataSourceError(f"{path}: {where}.{key} = {numbers[key]} is not a tariff fraction in [0, 2]")
    return Layer2019Row(naics3=int(raw["naics3"]), label=str(raw["label"]), icio=icio,
                        weight_2017_musd=numbers["weight_2017_musd"], rate_2017_12=numbers["rate_2017_12"],
                        rate_2019_12=numbers["rate_2019_12"], source=str(raw["source"]))


def read_layer_2019(path: str | os.PathLike[str] | None = None) -> Layer2019Tables:
    """Read and check ``tariffs_2018_19.toml`` (default: the committed file).

    Raises :class:`DataSourceError` (naming the file and entry) if it is not TOML, an entry
    lacks a number or a source, a sector code is not an ICIO goods sector, a rate is not a
    fraction in [0, 2], or an ICIO goods sector is covered by no industry of a side.
    """
    file = Path(path) if path is not None else LAYER_2019_FILE
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataSourceError(f"{file}: not readable as TOML ({exc})") from exc
    try:
        in_force = raw["in_force"]
        chart = str(raw["piie"]["chart"])
        sectors_source = str(raw["sectors"]["source"])
        piie: dict[str, dict[str, tuple[float, date, str]]] = {}
        for side in LAYER_2019_SIDES:
            piie[side] = {}
            for key in _PIIE_KEYS:
                entry = raw["piie"][f"{side}_{key}"]
                if not str(entry["source"]).strip() or not isinstance(entry["date"], date):
                    raise DataSourceError(f"{file}: piie.{side}_{key} needs a date and a source")
                piie[side][key] = (float(entry["value"]), entry["date"], str(entry["source"]))
        rows = {side: tuple(_row(r, f"{side}[{k}]", file) for k, r in enumerate(raw[side]))
                for side in LAYER_2019_SIDES}
    except (KeyError, TypeError, ValueError) as exc:
        raise DataSourceError(f"{file}: missing or malformed entry ({exc!r}); expected in_force, "
                              "piie.<side>_{end_2019,before,phase_one}, sectors.source and the "
                              f"tables {list(LAYER_2019_SIDES)}") from exc
    if not isinstance(in_force, date):
        raise DataSourceError(f"{file}: in_force is not a date (YYYY-MM-DD)")
    for side, side_rows in rows.items():
        covered = {c for r in side_rows for c in r.icio}
        missing = [c for c in ICIO_GOODS if c not in covered]
        if missing:
            raise DataSourceError(f"{file}: {side}: ICIO goods sectors {missing} are covered by no industry")
    return Layer2019Tables(in_force=in_force, piie=piie, rows=rows, sectors_source=sectors_source,
                           chart=chart, path=file)


@lru_cache(maxsize=1)
def layer_2019_tables() -> Layer2019Tables:
    """The committed end-2019 tables (cached)."""
    return read_layer_2019()


@dataclass(frozen=True, eq=False)
class Layer2019:
    """An economy's tariffs with the end-2019 war layer: ``tariffs`` (N, N, J) fractions;
    ``averages`` one row per side (importer, exporter; trade-weighted goods averages at the
    economy's flows before and after, the target, the scale factor applied to the source's
    increases, the source's own increase and PIIE's); ``notes`` how it was built."""

    tariffs: np.ndarray
    averages: pd.DataFrame
    notes: tuple[str, ...]
    in_force: date = END_2019
    target: str = "level"


def _weighted(tariffs: np.ndarray, flows: np.ndarray) -> float:
    return float((tariffs * flows).sum() / flows.sum())


def tariffs_end_2019(economy: Any, *, target: str = "level",
                     tables: Layer2019Tables | None = None) -> Layer2019:
    """The economy's tariffs plus the 2018–19 US–China layer in force on 2019-12-31.

    For each side (US on China, China on the US), goods sectors: baseline rate + ``scale`` ×
    the source's sector increase (see the module notes), ``scale`` set so that the goods
    average at the economy's flows reproduces PIIE's end-2019 average (``target="level"``) or
    its increase over its pre-war figure (``target="increase"``). Other pairs and services are
    unchanged.

    Args:
        economy: a :class:`tradewar.model.Economy` with single economies ``USA`` and ``CHN``
            (countries, sectors, flows [importer, exporter, sector] in millions of USD, tariffs).
        target: ``"level"`` or ``"increase"`` (:data:`LAYER_2019_TARGETS`).
        tables: the hand-entered tables (default: the committed file).

    Raises:
        UnknownNameError: ``target`` is not one of :data:`LAYER_2019_TARGETS`.
        UserInputError: the economy lacks ``USA`` or ``CHN``, or a side has no goods trade.
    """
    if target not in LAYER_2019_TARGETS:
        raise UnknownNameError("target", target, LAYER_2019_TARGETS)
    tables = tables or layer_2019_tables()
    countries = tuple(economy.countries)
    sectors = tuple(economy.sectors)
    missing = [c for c in ("USA", "CHN") if c not in countries]
    if missing:
        raise UserInputError(f"economy: the end-2019 US-China layer needs single economies 'USA' and 'CHN'; "
                             f"missing {missing} (use a baseline that keeps both, e.g. regions = none)")
    goods = goods_mask(sectors)
    tariffs = np.array(economy.tariffs, dtype=float, copy=True)
    flows_all = np.asarray(economy.flows, dtype=float)
    rows: list[dict[str, Any]] = []
    notes: list[str] = [
        f"US-China war layer in force on {tables.in_force}: statutory increases by NAICS industry, December "
        f"2017 -> December 2019, floored at 0 ({tables.sectors_source.split(':')[0]}), mapped to ICIO sectors and "
        f"scaled to PIIE's end-2019 {'average' if target == 'level' else 'average increase'} ({tables.chart})",
    ]
    for side, (importer, exporter) in LAYER_2019_SIDES.items():
        n, i = countries.index(importer), countries.index(exporter)
        increase27, weight27 = tables.sector_increase(side)
        increase = _sector_rates(sectors, increase27, weight27, tables.source_average(side, "increase"))
        increase = np.where(goods, increase, 0.0)
        flows = flows_all[n, i] * goods
        if flows.sum() <= 0:
            raise UserInputError(f"economy: no goods imports of {importer} from {exporter}; the layer is "
                                 "scaled with them")
        before = _weighted(tariffs[n, i], flows)
        mean_increase = _weighted(increase, flows)
        end_value, end_date, _ = tables.piie[side]["end_2019"]
        pre_value, pre_date, _ = tables.piie[side]["before"]
        wanted = end_value - before if target == "level" else end_value - pre_value
        scale = max(wanted, 0.0) / mean_increase if mean_increase > 0 else 0.0
        if wanted <= 0:
            notes.append(f"{importer} on {exporter}: baseline goods average {100 * before:.1f} % already >= "
                         f"{100 * end_value:.1f} %: unchanged")
        tariffs[n, i] = tariffs[n, i] + scale * increase
        after = _weighted(tariffs[n, i], flows)
        rows.append({
            "importer": importer, "exporter": exporter, "before": before, "after": after,
            "target": end_value if target == "level" else before + wanted, "scale": scale,
            "increase": after - before, "source_increase": tables.source_average(side, "increase"),
            "source_end_2019": tables.source_average(side, "rate_2019_12"),
            "piie_end_2019": end_value, "piie_end_2019_date": end_date.isoformat(),
            "piie_increase": end_value - pre_value, "piie_before_date": pre_date.isoformat(),
        })
        notes.append(f"{importer} on {exporter}: goods average {100 * before:.1f} % -> {100 * after:.1f} % "
                     f"(sector increases x {scale:.3f}; PIIE {100 * end_value:.1f} % on {end_date})")
    return Layer2019(tariffs=tariffs, averages=pd.DataFrame(rows), notes=tuple(notes), target=target)
