"""The tariff layers of 2018–2026 on top of a baseline's MFN/preferential tariffs.

Three sources, all read-only:

* the US tariff actions of 2025–26 (``tariffs2025/``, read by :mod:`._tariffs2025`):
  country-level increases at each action date (``country-by-time.csv``) and a sectoral profile
  by HS2 chapter (``data-hs2/``), mapped onto the 27 ICIO goods sectors with the committed
  concordance ``concordance_hs2_icio28.csv`` (beside this file, documented in its header);
* the hand-entered layers ``tariffs_hand_entered.toml`` (beside this file, a ``source`` for every
  entry): China's pre-2025 average tariff on US goods, the headline US rates on China in 2025
  and China's 2025 retaliation;
* the 2024 US effective rates (the 2018–19 war layer as it stood on 2025-01-01), from the same
  tariff files.

Decisions (documented once, here):

* **Sectoral US layer at a date.** ``country-by-time.csv`` gives one import-weighted increase per
  partner and date; the HS2 files give one sectoral profile (their import-weighted means equal
  the 2025-08-07 row for Japan, the EU, Vietnam, Switzerland, India and Brazil, so they describe
  the tariffs of August 2025). The sectoral increase of partner p in ICIO sector s at date d is
  the HS2 profile scaled to that date's level:
  ``profile[p, s] × level[q, d] / mean_goods[q]``, where q is p's row in
  ``country-by-time.csv`` (p itself, or ``EU27`` for an EU member) and ``mean_goods`` is the
  import-weighted mean of q's HS2 profile over chapters 1–97. At every date the import-weighted
  mean over goods sectors therefore equals the country-level figure; the relative pattern across
  sectors (energy, pharmaceuticals and electronics exempted, metals and cars higher) is that of
  August 2025. Where the profile is zero, the level is applied uniformly to goods.
* **Sector in an ICIO sector** = Σ_{chapters→s} (imports × rate) / Σ imports with 2024 US imports
  as weights (``share`` splits a chapter between sectors; see the concordance's header).
* **Regions and blocs.** The rate on a region (an aggregated economy, a bloc, or ``ROW``) is the
  import-weighted mean of its members' rates; members missing from the tariff data get a 0
  increase and are listed in the returned notes.
* **2018–19 war layer (in force on 2025-01-01).** US on each partner and goods sector:
  ``max(baseline rate, 2024 effective rate)`` — the 2024 effective rate (duties collected /
  imports) already includes MFN duties, so adding it would count them twice; taking the
  maximum REPLACES the baseline rate where the 2024 rate is higher and never lowers it (the
  baseline's food rates carry specific-duty equivalents above the collected duties). China on
  the US: every goods sector is raised by the same number of points so that China's
  import-weighted average tariff on US goods (weights: the baseline's flows) reaches PIIE's
  ≈ 21 % (no change if it is already higher). Services are left as they are.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataSourceError, UnknownNameError
from ._blocs import BLOCS, EU27
from ._sectors import (  # the sector lists live in one module (ARCH-A, issue 10)
    ICIO_GOODS,
    WIOD16_TO_ICIO,
    WIOT35_TO_ICIO,
    goods_mask,
    is_services,
)
from ._tariffs2025 import EU_CODE, read_country_by_time, read_hs2

HERE = Path(__file__).resolve().parent
CONCORDANCE_HS2_FILE = HERE / "concordance_hs2_icio28.csv"
HAND_ENTERED_FILE = HERE / "tariffs_hand_entered.toml"

#: Layers a scenario can quote as ``"<layer>:<YYYY-MM-DD>"`` (or ``"<layer>:latest"``).
LAYERS: dict[str, str] = {
    "us-2025": "US 2025+ tariff increase on the action's exporter at that date "
    "(tariffs2025/country-by-time.csv level, HS2 sectoral profile)",
    "us-china-2025": "headline US additional tariff on China at that date (hand-entered)",
    "china-2025": "China's 2025 retaliation on US goods at that date, by sector (hand-entered)",
    "canada-2025": "Canada's 2025 countermeasures on US goods at that date, by sector "
    "(hand-entered; most removed 1 September 2025)",
}

_LATEST = "latest"


# --------------------------------------------------------------------------------------------
# sectors
# --------------------------------------------------------------------------------------------
def sector_groups(sectors: tuple[str, ...] | list[str]) -> list[tuple[int, ...]]:
    """For each sector of ``sectors``, the indices into :data:`ICIO_GOODS` it is made of.

    ICIO codes map to themselves, WIOD-2016 ``W01 … W15`` and WIOD-2013 ``c1 … c16`` through
    :data:`WIOD16_TO_ICIO` / :data:`WIOT35_TO_ICIO`. Services and unknown codes get ``()``.
    """
    index = {code: k for k, code in enumerate(ICIO_GOODS)}
    out: list[tuple[int, ...]] = []
    for code in sectors:
        if is_services(code):
            out.append(())
        elif code in index:
            out.append((index[code],))
        elif code in WIOD16_TO_ICIO:
            out.append(tuple(index[c] for c in WIOD16_TO_ICIO[code]))
        elif code in WIOT35_TO_ICIO:
            out.append(tuple(index[c] for c in WIOT35_TO_ICIO[code]))
        else:
            out.append(())
    return out


# --------------------------------------------------------------------------------------------
# the committed files
# --------------------------------------------------------------------------------------------
def read_hs2_concordance(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Read and check the HS2 → ICIO28 concordance (``concordance_hs2_icio28.csv``).

    Returns columns ``hs2`` (int), ``hs2_label``, ``icio28``, ``share`` (float), ``note``.
    Raises :class:`DataSourceError` unless every chapter 1–97 except 77 appears, every code is
    an ICIO goods sector and each chapter's shares sum to one.
    """
    file = Path(path) if path is not None else CONCORDANCE_HS2_FILE
    try:
        frame = pd.read_csv(file, comment="#", keep_default_na=False, dtype={"note": str})
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise DataSourceError(f"{file}: not readable as CSV ({exc})") from exc
    expected = ["hs2", "hs2_label", "icio28", "share", "note"]
    if list(frame.columns) != expected:
        raise DataSourceError(f"{file}: columns {list(frame.columns)}; expected {expected}")
    frame["hs2"] = pd.to_numeric(frame["hs2"], errors="coerce")
    frame["share"] = pd.to_numeric(frame["share"], errors="coerce")
    if frame[["hs2", "share"]].isna().any().any():
        raise DataSourceError(f"{file}: hs2 and share must be numbers")
    frame["hs2"] = frame["hs2"].astype(int)
    bad = sorted(set(frame["icio28"]) - set(ICIO_GOODS))
    if bad:
        raise DataSourceError(f"{file}: unknown sector codes {bad}; allowed: {list(ICIO_GOODS)}")
    chapters = set(range(1, 98)) - {77}
    missing = sorted(chapters - set(frame["hs2"]))
    extra = sorted(set(frame["hs2"]) - chapters)
    if missing or extra:
        raise DataSourceError(f"{file}: chapters missing {missing}, not allowed {extra}; "
                              "expected every HS2 chapter 1-97 except 77")
    totals = frame.groupby("hs2")["share"].sum()
    off = totals[(totals - 1.0).abs() > 1e-9]
    if len(off) or (frame["share"] < 0).any():
        raise DataSourceError(f"{file}: shares of chapters {list(off.index)} do not sum to 1")
    return frame


@dataclass(frozen=True)
class LayerEntry:
    """One dated entry of a hand-entered layer.

    ``goods`` is the level (``us_on_china_2025``) or the points added to every goods sector
    (``china_on_usa_2025``); ``sectors`` the points added to named ICIO sectors."""

    announced: date
    effective: date
    goods: float
    sectors: dict[str, float]
    label: str
    source: str


@dataclass(frozen=True)
class HandEnteredTariffs:
    """The content of ``tariffs_hand_entered.toml``."""

    china_pre2025_average: float
    china_pre2025_source: str
    us_on_china: tuple[LayerEntry, ...]
    china_on_usa: tuple[LayerEntry, ...]
    us_2024_check: dict[str, float]
    us_2024_source: str
    path: Path

    def us_on_china_level(self, when: date) -> float:
        """Headline US additional tariff on China in force on ``when`` (fraction)."""
        level = 0.0
        for entry in self.us_on_china:
            if entry.effective <= when:
                level = entry.goods
        return level

    def china_on_usa_level(self, when: date) -> np.ndarray:
        """China's 2025 retaliation on US goods in force on ``when``, (27,) over ICIO goods."""
        out = np.zeros(len(ICIO_GOODS))
        index = {c: k for k, c in enumerate(ICIO_GOODS)}
        for entry in self.china_on_usa:
            if entry.effective <= when:
                out += entry.goods
                for code, points in entry.sectors.items():
                    out[index[code]] += points
        return out

    @property
    def dates(self) -> tuple[date, ...]:
        return tuple(sorted({e.effective for e in self.us_on_china + self.china_on_usa}))


def _entry(raw: Any, where: str, level_key: str, path: Path) -> LayerEntry:
    if not isinstance(raw, dict):
        raise DataSourceError(f"{path}: {where} is not a table")
    for key in ("announced", "effective", "label", "source"):
        if key not in raw:
            raise DataSourceError(f"{path}: {where} lacks the key {key!r}")
    if not str(raw["source"]).strip():
        raise DataSourceError(f"{path}: {where} has an empty source")
    for key in ("announced", "effective"):
        if not isinstance(raw[key], date):
            raise DataSourceError(f"{path}: {where}.{key} is not a date (YYYY-MM-DD)")
    sectors = {str(k): float(v) for k, v in dict(raw.get("sectors", {})).items()}
    bad = sorted(set(sectors) - set(ICIO_GOODS))
    if bad:
        raise DataSourceError(f"{path}: {where}.sectors has unknown codes {bad}; allowed: {list(ICIO_GOODS)}")
    return LayerEntry(
        announced=raw["announced"], effective=raw["effective"], goods=float(raw.get(level_key, 0.0)),
        sectors=sectors, label=str(raw["label"]), source=str(raw["source"]),
    )


def load_hand_entered_toml(path: str | os.PathLike[str] | None = None) -> tuple[Path, dict[str, Any]]:
    """The path and parsed content of ``tariffs_hand_entered.toml`` (default: the committed file);
    :class:`DataSourceError` if it is not readable as TOML."""
    file = Path(path) if path is not None else HAND_ENTERED_FILE
    try:
        return file, tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataSourceError(f"{file}: not readable as TOML ({exc})") from exc


def read_hand_entered(path: str | os.PathLike[str] | None = None) -> HandEnteredTariffs:
    """Read and check ``tariffs_hand_entered.toml`` (every entry must carry a source)."""
    file, raw = load_hand_entered_toml(path)
    try:
        pre = raw["china_pre2025"]
        us24 = raw["us_2024"]
        us_entries = tuple(_entry(e, f"us_on_china_2025[{k}]", "level", file)
                           for k, e in enumerate(raw["us_on_china_2025"]))
        cn_entries = tuple(_entry(e, f"china_on_usa_2025[{k}]", "goods", file)
                           for k, e in enumerate(raw["china_on_usa_2025"]))
        average = float(pre["average_on_usa"])
        pre_source = str(pre["source"])
        us24_source = str(us24["source"])
        check = {str(k): float(v) for k, v in dict(us24.get("check", {})).items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise DataSourceError(f"{file}: missing or malformed entry ({exc!r}); expected tables "
                              "china_pre2025, us_2024, us_on_china_2025, china_on_usa_2025") from exc
    for name, entries in (("us_on_china_2025", us_entries), ("china_on_usa_2025", cn_entries)):
        dates = [e.effective for e in entries]
        if dates != sorted(dates):
            raise DataSourceError(f"{file}: {name} entries are not in order of effective date")
    return HandEnteredTariffs(
        china_pre2025_average=average, china_pre2025_source=pre_source,
        us_on_china=us_entries, china_on_usa=cn_entries, us_2024_check=check,
        us_2024_source=us24_source, path=file,
    )


# --------------------------------------------------------------------------------------------
# the US schedule
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class TariffSchedule:
    """US tariffs on each partner: the 2024 rates and the 2025–26 increases, country-level and
    by ICIO goods sector (fractions; money in millions of USD).

    Attributes:
        dates: the action dates of ``country-by-time.csv`` (ascending).
        partners: its partners (ISO3, the EU as ``"EU27"``).
        country_increase: (P, D) effective increase of the 2025+ layer at each date.
        country_tariff_2024: (P,) 2024 effective rate; ``country_imports_2024_musd`` (P,).
        sectors: :data:`ICIO_GOODS`.
        hs2_partners: partners of the HS2 files (ISO3, incl. ``"EU27"`` and each EU member).
        sector_imports_2024_musd: (H, 27) 2024 US imports by ICIO sector (concordance shares).
        sector_increase: (H, 27) the HS2 snapshot increase (≈ August 2025) by ICIO sector.
        sector_tariff_2024: (H, 27) 2024 effective rate (duties / imports) by ICIO sector.
        mean_goods_increase: (H,) import-weighted mean of the snapshot over chapters 1–97.
        mean_goods_tariff_2024: (H,) the same for the 2024 rate.
        notes: how the schedule was built.
    """

    dates: tuple[date, ...]
    partners: tuple[str, ...]
    country_increase: np.ndarray
    country_tariff_2024: np.ndarray
    country_imports_2024_musd: np.ndarray
    hs2_partners: tuple[str, ...]
    sector_imports_2024_musd: np.ndarray
    sector_increase: np.ndarray
    sector_tariff_2024: np.ndarray
    mean_goods_increase: np.ndarray
    mean_goods_tariff_2024: np.ndarray
    sectors: tuple[str, ...] = ICIO_GOODS
    notes: tuple[str, ...] = field(default=())
    _p: dict[str, int] = field(init=False, repr=False, default_factory=dict)
    _h: dict[str, int] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_p", {p: k for k, p in enumerate(self.partners)})
        object.__setattr__(self, "_h", {p: k for k, p in enumerate(self.hs2_partners)})

    # ---- look-ups ----
    def resolve_date(self, when: date | str) -> date:
        """A date, or ``"latest"`` = the last action date."""
        if isinstance(when, str):
            if when == _LATEST:
                return self.dates[-1]
            try:
                return date.fromisoformat(when)
            except ValueError:
                raise UnknownNameError("date", when, ["YYYY-MM-DD", _LATEST]) from None
        return when

    def date_index(self, when: date | str) -> int | None:
        """Index of the last action date on or before ``when`` (None before the first)."""
        day = self.resolve_date(when)
        position = int(np.searchsorted(np.array(self.dates, dtype="datetime64[D]"),
                                       np.datetime64(day, "D"), side="right")) - 1
        return position if position >= 0 else None

    def level_row(self, partner: str) -> str | None:
        """The ``country-by-time.csv`` row that applies to ``partner`` (itself, ``EU27`` for an
        EU member), or None."""
        if partner in self._p:
            return partner
        if partner in EU27 and EU_CODE in self._p:
            return EU_CODE
        return None

    def country_level(self, partner: str, when: date | str) -> float | None:
        """Country-level increase on ``partner`` in force on ``when`` (None: not in the data)."""
        row = self.level_row(partner)
        if row is None:
            return None
        k = self.date_index(when)
        return 0.0 if k is None else float(self.country_increase[self._p[row], k])

    def sectoral_increase(self, partner: str, when: date | str) -> np.ndarray | None:
        """Increase on ``partner`` by ICIO goods sector in force on ``when``, (27,), or None if
        the partner is not in ``country-by-time.csv`` (see the module notes for the scaling)."""
        row = self.level_row(partner)
        if row is None:
            return None
        level = self.country_level(partner, when)
        assert level is not None
        profile_of = partner if partner in self._h else row
        h = self._h.get(profile_of)
        hq = self._h.get(row)
        if h is None or hq is None or self.mean_goods_increase[hq] <= 0:
            return np.full(len(ICIO_GOODS), level)
        return self.sector_increase[h] * (level / self.mean_goods_increase[hq])

    def sectoral_tariff_2024(self, partner: str) -> np.ndarray | None:
        """2024 effective US rate on ``partner`` by ICIO goods sector, (27,), or None."""
        h = self._h.get(partner)
        if h is not None:
            return self.sector_tariff_2024[h]
        k = self._p.get(partner)
        if k is not None:
            return np.full(len(ICIO_GOODS), float(self.country_tariff_2024[k]))
        return None

    def import_weights(self, partner: str) -> np.ndarray:
        """2024 US imports from ``partner`` by ICIO goods sector, (27,) (zeros if unknown)."""
        h = self._h.get(partner)
        return self.sector_imports_2024_musd[h] if h is not None else np.zeros(len(ICIO_GOODS))

    def universe(self) -> tuple[str, ...]:
        """Every single partner of the data (ISO3; the EU aggregate excluded)."""
        return tuple(p for p in dict.fromkeys(self.hs2_partners + self.partners) if p != EU_CODE)


def _sector_matrices(concordance: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(100, 27) share matrix and (100, 27) link matrix (1 where a row exists, proxies too),
    indexed by chapter number."""
    share = np.zeros((100, len(ICIO_GOODS)))
    link = np.zeros((100, len(ICIO_GOODS)))
    index = {c: k for k, c in enumerate(ICIO_GOODS)}
    for hs2, code, value in zip(concordance["hs2"], concordance["icio28"], concordance["share"], strict=True):
        share[int(hs2), index[code]] += float(value)
        link[int(hs2), index[code]] = 1.0
    return share, link


def _to_sectors(imports: np.ndarray, rates: np.ndarray, share: np.ndarray,
                link: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Chapter-level (H, 100) imports and rates → (weights (H, 27), rates (H, 27), goods mean
    (H,)). A sector with no weight takes its proxy chapters' rate, then the goods mean."""
    goods_chapters = np.zeros(100)
    goods_chapters[1:98] = 1.0
    imports = imports * goods_chapters
    value = imports * rates
    total = imports.sum(axis=1)
    mean = np.divide(value.sum(axis=1), total, out=np.zeros_like(total), where=total > 0)
    weight = imports @ share
    sector_rate = np.divide(value @ share, weight, out=np.zeros_like(weight), where=weight > 0)
    proxy_w = imports @ link
    proxy = np.divide(value @ link, proxy_w, out=np.zeros_like(proxy_w), where=proxy_w > 0)
    fallback = np.where(proxy_w > 0, proxy, mean[:, None])
    return weight, np.where(weight > 0, sector_rate, fallback), mean


@lru_cache(maxsize=4)
def _schedule_cached(data_dir: str) -> TariffSchedule:
    """The schedule from the on-disk cache (HOSTILE, issue 10 item 7: reading the 226 HS2 files
    took ~1.5 s of every run), keyed by the SHA-256 of every file under ``tariffs2025/`` and of
    the code and concordance that build it; rebuilt with a warning if damaged
    (:func:`tradewar.data.cached_arrays`)."""
    import hashlib

    from ._cache import cached_arrays
    from ._sources import file_checksum

    folder = Path(data_dir) / "tariffs2025"
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    sources = {p.relative_to(data_dir).as_posix(): file_checksum(p) for p in files}
    code = hashlib.sha256()
    for path in (Path(__file__), Path(__file__).with_name("_tariffs2025.py"), CONCORDANCE_HS2_FILE):
        code.update(path.read_bytes())

    def build() -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        built = _build_schedule(data_dir)
        arrays = {name: getattr(built, name) for name in _SCHEDULE_ARRAYS}
        meta = {"dates": [d.isoformat() for d in built.dates], "partners": list(built.partners),
                "hs2_partners": list(built.hs2_partners), "sectors": list(built.sectors),
                "notes": list(built.notes)}
        return arrays, meta

    arrays, meta = cached_arrays("us-schedule", sources, build, code=code.hexdigest())
    return TariffSchedule(
        dates=tuple(date.fromisoformat(d) for d in meta["dates"]), partners=tuple(meta["partners"]),
        hs2_partners=tuple(meta["hs2_partners"]), sectors=tuple(meta["sectors"]),
        notes=tuple(meta["notes"]), **{name: arrays[name] for name in _SCHEDULE_ARRAYS},
    )


_SCHEDULE_ARRAYS = ("country_increase", "country_tariff_2024", "country_imports_2024_musd",
                    "sector_imports_2024_musd", "sector_increase", "sector_tariff_2024",
                    "mean_goods_increase", "mean_goods_tariff_2024")


def _build_schedule(data_dir: str) -> TariffSchedule:
    cbt = read_country_by_time(data_dir)
    hs2 = read_hs2(data_dir)
    concordance = read_hs2_concordance()
    dates = tuple(sorted(set(cbt["date"])))
    partners = tuple(sorted(set(cbt["iso3"])))
    p_idx = {p: k for k, p in enumerate(partners)}
    d_idx = {d: k for k, d in enumerate(dates)}
    increase = np.zeros((len(partners), len(dates)))
    for p, d, v in zip(cbt["iso3"], cbt["date"], cbt["effective_tariff"], strict=True):
        increase[p_idx[p], d_idx[d]] = v
    first = cbt.drop_duplicates("iso3").set_index("iso3")
    rate24 = first["tariff_2024"].reindex(partners).to_numpy(dtype=float)
    imp24 = first["imports_2024_musd"].reindex(partners).to_numpy(dtype=float)
    missing_dates = cbt.groupby("iso3")["date"].nunique()
    if (missing_dates != len(dates)).any():
        raise DataSourceError("tariffs2025/country-by-time.csv: some partners lack some action "
                              f"dates: {list(missing_dates[missing_dates != len(dates)].index)}")
    # HS2: Gaza Strip and West Bank share PSE: sum them.
    hs2 = hs2.assign(
        inc_value=hs2["imports_2024_musd"] * hs2["tariff_increase_2025"].fillna(0.0),
    )
    grouped = hs2.groupby(["iso3", "hs2"], as_index=False)[
        ["imports_2024_musd", "duty_2024_musd", "inc_value"]].sum()
    hs2_partners = tuple(sorted(set(grouped["iso3"])))
    h_idx = {p: k for k, p in enumerate(hs2_partners)}
    imports = np.zeros((len(hs2_partners), 100))
    duty = np.zeros_like(imports)
    inc = np.zeros_like(imports)
    rows = grouped["iso3"].map(h_idx).to_numpy()
    cols = grouped["hs2"].to_numpy(dtype=int)
    imports[rows, cols] = grouped["imports_2024_musd"].to_numpy()
    duty[rows, cols] = grouped["duty_2024_musd"].to_numpy()
    inc[rows, cols] = grouped["inc_value"].to_numpy()
    inc_rate = np.divide(inc, imports, out=np.zeros_like(inc), where=imports > 0)
    rate_2024 = np.divide(duty, imports, out=np.zeros_like(duty), where=imports > 0)
    share, link = _sector_matrices(concordance)
    weights, sector_inc, mean_inc = _to_sectors(imports, inc_rate, share, link)
    _, sector_24, mean_24 = _to_sectors(imports, rate_2024, share, link)
    notes = (
        f"US 2025-26 layer: {len(partners)} partners × {len(dates)} action dates from "
        "tariffs2025/country-by-time.csv; sectoral profile from the HS2 files (≈ August 2025), "
        "scaled to each date's level",
        "HS2 chapters mapped to ICIO sectors with concordance_hs2_icio28.csv (2024 US import "
        "weights); chapters 98-99 left out",
    )
    return TariffSchedule(
        dates=dates, partners=partners, country_increase=increase, country_tariff_2024=rate24,
        country_imports_2024_musd=imp24, hs2_partners=hs2_partners,
        sector_imports_2024_musd=weights, sector_increase=sector_inc,
        sector_tariff_2024=sector_24, mean_goods_increase=mean_inc,
        mean_goods_tariff_2024=mean_24, notes=notes,
    )


def us_tariff_schedule(data_dir: str | os.PathLike[str] | None = None) -> TariffSchedule:
    """Read the US tariff schedule of 2024–26 from ``<data_dir>/tariffs2025`` (cached).

    Args:
        data_dir: the data directory; default :func:`tradewar.data._paths.default_data_dir`.

    Raises:
        DataSourceError: a file is missing or malformed (the message names it).
    """
    if data_dir is None:
        from ._paths import default_data_dir

        data_dir = default_data_dir()
    return _schedule_cached(str(Path(data_dir).resolve()))


@lru_cache(maxsize=1)
def hand_entered() -> HandEnteredTariffs:
    """The committed hand-entered layers (cached)."""
    return read_hand_entered()


# --------------------------------------------------------------------------------------------
# onto an economy
# --------------------------------------------------------------------------------------------
def region_members(countries: tuple[str, ...], code: str, universe: tuple[str, ...],
                   members: dict[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """The single economies (ISO3) that economy ``code`` of ``countries`` stands for.

    ``members`` (e.g. a baseline's region map) wins. Else a bloc name expands to its members,
    less those that are economies of their own in ``countries`` or members of a bloc listed
    before it (the rule of the ``"blocs"`` region mapping: CPTPP11 without USMCA and Japan);
    ``ROW`` is every economy of ``universe`` not covered by another entry of ``countries``; any
    other code stands for itself.
    """
    if members and code in members:
        return tuple(members[code])
    if code in BLOCS:
        claimed = {c for c in countries if c not in BLOCS and c != "ROW"}
        for other in countries:
            if other == code:
                break
            if other in BLOCS:
                claimed.update(BLOCS[other])
        return tuple(c for c in BLOCS[code] if c not in claimed)
    if code == "ROW":
        covered: set[str] = set()
        for other in countries:
            if other != "ROW":
                covered.update(region_members(countries, other, universe, members))
        return tuple(p for p in universe if p not in covered)
    return (code,)


def _sector_rates(sectors: tuple[str, ...], rates27: np.ndarray, weights27: np.ndarray,
                  uniform: float) -> np.ndarray:
    """Map ICIO-goods rates onto ``sectors`` (weighted by ``weights27``); services get 0 and
    goods sectors of unknown codes the ``uniform`` rate."""
    out = np.zeros(len(sectors))
    for t, group in enumerate(sector_groups(sectors)):
        if group:
            w = weights27[list(group)]
            r = rates27[list(group)]
            out[t] = (w * r).sum() / w.sum() if w.sum() > 0 else r.mean()
        elif not is_services(sectors[t]):
            out[t] = uniform
    return out


@dataclass(frozen=True)
class LayerRates:
    """Rates of a layer on one exporter of an economy: ``rates`` (J,), notes on gaps."""

    rates: np.ndarray
    notes: tuple[str, ...] = ()


def us_rates_on(schedule: TariffSchedule, countries: tuple[str, ...], sectors: tuple[str, ...],
                exporter: str, which: date | str, *,
                members: dict[str, tuple[str, ...]] | None = None) -> LayerRates:
    """US rates on economy ``exporter`` of an economy with ``countries`` × ``sectors``.

    ``which`` is an action date (or ``"latest"``) for the 2025+ increase, or ``"2024"`` for the
    2024 effective rate. A region's rate is the import-weighted mean of its members' rates;
    members without data count as 0 and are named in the notes.
    """
    parts = region_members(countries, exporter, schedule.universe(), members)
    num = np.zeros(len(ICIO_GOODS))
    den = np.zeros(len(ICIO_GOODS))
    level_num = level_den = 0.0
    fallback: list[np.ndarray] = []
    missing: list[str] = []
    for member in parts:
        if which == "2024":
            rates = schedule.sectoral_tariff_2024(member)
        else:
            from ._in_force import us_sector_increase

            day = schedule.dates[-1] if which == _LATEST else schedule.resolve_date(which)
            found = us_sector_increase(schedule, member, day)
            rates = None if found is None else found[0]
        if rates is None:
            missing.append(member)
            continue
        w = schedule.import_weights(member)
        num += w * rates
        den += w
        level_num += float((w * rates).sum())
        level_den += float(w.sum())
        fallback.append(rates)
    # members without data dilute the region's rate with their imports (at rate 0)
    for member in missing:
        w = schedule.import_weights(member)
        den += w
        level_den += float(w.sum())
    if den.sum() > 0:
        rates27 = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
        empty = den <= 0
        if empty.any() and fallback:
            rates27[empty] = np.mean(fallback, axis=0)[empty]
    elif fallback:
        rates27 = np.mean(fallback, axis=0)
    else:
        rates27 = np.zeros(len(ICIO_GOODS))
    uniform = level_num / level_den if level_den > 0 else (float(rates27.mean()) if fallback else 0.0)
    notes: tuple[str, ...] = ()
    if missing:
        shown = ", ".join(missing[:12]) + (f" … ({len(missing)} in all)" if len(missing) > 12 else "")
        what = ("2024 US rate: no tariff data" if which == "2024" else
                f"US 2025+ layer at {which}: not in tariffs2025/country-by-time.csv")
        notes = (f"{what} for {shown} (part of {exporter}); counted as 0",)
    return LayerRates(_sector_rates(sectors, rates27, den, uniform), notes)


def hand_layer_rates(layer: str, when: date, sectors: tuple[str, ...],
                     hand: HandEnteredTariffs | None = None) -> np.ndarray:
    """Increase (J,) over 2025-01-01 of a bilateral in-force layer on ``sectors``, in force on
    ``when`` (see :mod:`._in_force`): ``us-china-2025`` (US on China, with the electronics
    carve-out; 2024 US import weights), ``china-2025`` (China on the US, with its late-April
    waiver) or ``canada-2025`` (Canada on the US), the last two with ICIO 2022 weights."""
    from ._in_force import tariffs_in_force

    pairs = {"us-china-2025": ("USA", "CHN"), "china-2025": ("CHN", "USA"),
             "canada-2025": ("CAN", "USA")}
    if layer not in pairs:
        raise UnknownNameError("tariff layer", layer, tuple(pairs))
    result = tariffs_in_force(*pairs[layer], when)
    return _sector_rates(sectors, result.increase, result.weights, result.total_increase)


@dataclass(frozen=True, eq=False)
class InForceTariffs:
    """Tariffs in force on 2025-01-01 for an economy: ``tariffs`` (N, N, J), with notes."""

    tariffs: np.ndarray
    notes: tuple[str, ...]


def tariffs_in_force_2025(economy: Any, layer: TariffSchedule, *,
                          members: dict[str, tuple[str, ...]] | None = None,
                          hand: HandEnteredTariffs | None = None) -> InForceTariffs:
    """The tariffs in force on 2025-01-01: the economy's tariffs plus the 2018–19 war layer.

    US on every partner, goods sectors: ``max(economy rate, 2024 effective rate)`` (by sector,
    from the HS2 files; see the module notes for why max). China on the US, goods: raised by a
    uniform number of points until the import-weighted average (weights: the economy's flows)
    reaches PIIE's ≈ 21 %. Works on aggregated economies (regions: import-weighted means of the
    members; members without data count as 0, listed in ``notes``).

    Args:
        economy: a :class:`tradewar.model.Economy` (countries, sectors, flows, tariffs).
        layer: the US schedule (:func:`us_tariff_schedule`).
        members: optional region → members map of an aggregated economy.
        hand: the hand-entered layers (default: the committed file).
    """
    hand = hand or hand_entered()
    countries = tuple(economy.countries)
    sectors = tuple(economy.sectors)
    tariffs = np.array(economy.tariffs, dtype=float, copy=True)
    goods = goods_mask(sectors)
    notes: list[str] = []
    if "USA" in countries:
        us = countries.index("USA")
        raised = 0
        for i, exporter in enumerate(countries):
            if i == us:
                continue
            result = us_rates_on(layer, countries, sectors, exporter, "2024", members=members)
            notes.extend(result.notes)
            new = np.maximum(tariffs[us, i], np.where(goods, result.rates, -np.inf))
            raised += int((new > tariffs[us, i] + 1e-12).sum())
            tariffs[us, i] = new
        notes.append(
            "US tariffs in force on 2025-01-01 = max(dataset rate, 2024 effective rate incl. "
            f"Section 301/232) by partner and goods sector ({raised} cells raised)"
        )
    else:
        notes.append("no economy 'USA' in this baseline: the US 2018-19 layer is not applied")
    if "CHN" in countries and "USA" in countries:
        cn, us = countries.index("CHN"), countries.index("USA")
        flows = np.asarray(economy.flows)[cn, us] * goods
        target = hand.china_pre2025_average
        if flows.sum() > 0:
            current = float((tariffs[cn, us] * flows).sum() / flows.sum())
            if current < target:
                tariffs[cn, us, goods] += target - current
                notes.append(
                    f"China on US goods raised by {100 * (target - current):.1f} points to an "
                    f"average of {100 * target:.0f} % ({hand.china_pre2025_source})"
                )
            else:
                notes.append(f"China on US goods already averages {100 * current:.1f} % "
                             f">= {100 * target:.0f} %: unchanged")
        # the same concept on the US side: PIIE's trade-weighted statutory average on China
        from ._in_force import in_force_tables

        tables = in_force_tables()
        flows_us = np.asarray(economy.flows)[us, cn] * goods
        if flows_us.sum() > 0:
            current = float((tariffs[us, cn] * flows_us).sum() / flows_us.sum())
            target = tables.us_on_china_start
            if current < target:
                tariffs[us, cn, goods] += target - current
                notes.append(
                    f"US on Chinese goods raised by {100 * (target - current):.1f} points to an "
                    f"average of {100 * target:.1f} % ({tables.us_on_china_start_source})")
    else:
        notes.append("no economies 'CHN' and 'USA': China's 2018-19 retaliation not applied")
    # the same gap repeats for every importer; keep each note once
    return InForceTariffs(tariffs=tariffs, notes=tuple(dict.fromkeys(notes)))


_REFERENCE = re.compile(r"^\s*([a-z0-9-]+)\s*:\s*(\d{4}-\d{2}-\d{2}|latest)\s*$")


def parse_layer_reference(text: str) -> tuple[str, date | str]:
    """Parse ``"<layer>:<YYYY-MM-DD>"`` or ``"<layer>:latest"``; raise :class:`UnknownNameError`
    (layer) or :class:`ValueError` (format)."""
    match = _REFERENCE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a layer reference '<layer>:<YYYY-MM-DD>' or "
                         "'<layer>:latest'")
    name, when = match.group(1), match.group(2)
    if name not in LAYERS:
        raise UnknownNameError("tariff layer", name, LAYERS)
    if when == _LATEST:
        return name, when
    try:
        day = date.fromisoformat(when)
    except ValueError:
        raise ValueError(f"{text!r}: {when!r} is not a valid date (YYYY-MM-DD)") from None
    if day < date(2025, 1, 1):
        raise ValueError(f"{text!r}: date {day} is before 2025-01-01; the layers start with the "
                         "tariffs in force on 2025-01-01 (use a date from 2025-01-01, or 'latest')")
    return name, day
