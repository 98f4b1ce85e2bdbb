"""Tariffs in force on any date of the 2025–26 trade war, both directions, by ICIO goods sector.

One concept throughout (docs/tariffs.md): the **statutory rates in force on the date** —
effective dates, not announcements — with their carve-outs and exemptions, stacked as the orders
say, **trade-weighted at pre-shock weights** (the concept of PIIE's US–China chart and of the
Yale Budget Lab's pre-substitution rate). Every rate is a FRACTION (0.10 = 10 %); weights are
millions of USD.

Layers (importer ← exporter):

* **USA ← any tracker partner**: the tracker's country levels (``tariffs2025/country-by-time.csv``,
  2024 HS10 import weights) re-dated to effective dates by the ``[[us_effective]]`` entries of
  ``tariffs_hand_entered.toml`` (each names the tracker row in force from its date, and a rule
  where the orders took effect on another day than the row's date). The sector profile is built
  step by step from the legal lists: each step's change in the level is spread over the goods
  of its own list (``kind``: fentanyl on all goods; Section 232 on its HS chapters, capped at
  the statutory points; reciprocal steps like the August 2025 HS2 profile over the chapters
  that are not Section 232 products), so the import-weighted mean is the tracker's level at
  every date. China in the reciprocal period (2025-04-05 to 2026-02-19) gets its own profile:
  the lines of the 11 April electronics exemption (back-dated to 5 April) carry only the
  fentanyl tariff, the other lines the rest.
* **CHN ← USA**: China's measures (``[[china_on_usa_2025]]``), less the late-April 2025 waiver of
  its 125 % on ~131 categories (``[[china_waiver_2025]]``).
* **CAN ← USA**: Canada's 2025 countermeasures (``[canada_2025]``), most removed 1 September 2025.

The starting point (in force on 2025-01-01) uses the same concept on both US–China sides:
PIIE's trade-weighted statutory averages (US on China 20.8 %, China on the US 21.2 %); other US
partners start at their 2024 effective rate (duties / imports: for partners without Section 301
exclusions this is the statutory MFN + Section 232 rate), Canada at the ICIO dataset's rates.

>>> from tradewar.data import tariffs_in_force  # doctest: +SKIP
>>> tariffs_in_force("USA", "CHN", "2025-04-11").total_pct  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataSourceError, UnknownNameError, UserInputError
from ._blocs import EU27
from ._tariff_layer import (
    ICIO_GOODS,
    TariffSchedule,
    hand_entered,
    load_hand_entered_toml,
    us_tariff_schedule,
)
from ._tariffs2025 import EU_CODE, read_country_mapping

#: The first date the layers describe: the tariffs in force on 1 January 2025.
IN_FORCE_START = date(2025, 1, 1)
#: Importers with a layer.
IMPORTERS_WITH_LAYER: tuple[str, ...] = ("USA", "CHN", "CAN")
#: Exporter code for the import-weighted average over all of an importer's partners.
WORLD = "WORLD"
#: Dating of the US layer: ``effective`` (the orders' effective dates, the default) or
#: ``tracker`` (the tracker's own row dates, to reproduce ``country-by-time.csv``).
DATINGS: tuple[str, ...] = ("effective", "tracker")
#: Carve-outs (exemption lists) a user can switch off to see what they do (``without=``).
CARVE_OUTS: dict[str, str] = {
    "us-electronics-2025": "the US electronics exemption of 11 April 2025 (smartphones, "
    "computers, chips; back-dated to 5 April), US on China",
    "china-waiver-2025": "China's late-April 2025 waiver of its 125 % on ~131 categories, "
    "China on the US",
}
#: The reciprocal (IEEPA) period in which China's electronics carve-out applies.
_RECIPROCAL_FROM = date(2025, 4, 5)
_IEEPA_END = date(2026, 2, 20)
_FENTANYL_CUT = date(2025, 11, 10)
_ICIO_YEAR = 2022

ANNEX_I_FILE = Path("tariffs2025") / "tariff-lists" / "reciprocal-tariffs-annex-I.csv"


# --------------------------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------------------------
def parse_in_force_date(when: date | str | None) -> date | None:
    """A date (``YYYY-MM-DD``, a :class:`date`, or ``None``/``"latest"`` = the latest action).

    Raises:
        UserInputError: not a date, or before 2025-01-01 (the layers start there; the message
            names the date and the range that exists).
    """
    if when is None or when == "latest":
        return None
    if isinstance(when, str):
        try:
            day = date.fromisoformat(when.strip())
        except ValueError:
            raise UserInputError(f"date {when!r} is not a date; use YYYY-MM-DD (from "
                                 f"{IN_FORCE_START}) or 'latest'") from None
    else:
        day = when
    if day < IN_FORCE_START:
        raise UserInputError(f"date {day} is before {IN_FORCE_START}: the tariff layers start "
                             f"with the tariffs in force on {IN_FORCE_START}; use a date from "
                             f"{IN_FORCE_START} on, or 'latest'")
    return day


# --------------------------------------------------------------------------------------------
# the hand-entered tables beyond what _tariff_layer reads
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UsStep:
    """One ``[[us_effective]]`` entry: the tracker row in force from ``effective``."""

    effective: date
    row: date
    rule: str
    rule_row: date | None
    label: str
    source: str
    kind: str = "broad"
    chapters: tuple[int, ...] = ()
    cap: float | None = None


@dataclass(frozen=True)
class Tranche:
    """A countermeasure tranche: ``rate`` on goods worth ``value_musd`` in ``sectors``."""

    effective: date
    ends: date | None
    rate: float
    value_musd: float
    sectors: tuple[str, ...]
    label: str
    source: str


@dataclass(frozen=True)
class WaivedHeading:
    """One HS heading reported on China's late-April 2025 exemption list (``hs`` as written,
    e.g. ``"8542.31"``), the ICIO sector it falls in and the report that names it."""

    hs: str
    product: str
    sector: str
    source: str


@dataclass(frozen=True)
class Waiver:
    """China's waiver of its across-the-board points on a share of listed sectors; ``sectors``
    are those of the reported HS ``headings`` (HS chapter -> ICIO sector by the committed
    concordance)."""

    effective: date
    ends: date
    import_share: float
    sectors: tuple[str, ...]
    label: str
    source: str
    headings: tuple[WaivedHeading, ...] = ()


@dataclass(frozen=True)
class InForceTables:
    """The in-force parts of ``tariffs_hand_entered.toml``."""

    us_steps: tuple[UsStep, ...]
    us_on_china_start: float
    us_on_china_start_source: str
    electronics_split_ch84: float
    electronics_source: str
    waivers: tuple[Waiver, ...]
    canada: tuple[Tranche, ...]
    canada_fx_source: str


_KINDS = ("all", "broad", "listed")
#: Section 232 chapters in force in August 2025 (steel 72-73, copper 74, aluminium 76, vehicles
#: 87): the reciprocal orders exempt these products, so "broad" steps are not spread over them.
SECTION_232_CHAPTERS: frozenset[int] = frozenset({72, 73, 74, 76, 87})
_RULES = ("", "china_first_fentanyl", "baseline_with_electronics", "annex_i_with_electronics",
          "india_without_russia_penalty", "china_from_row")


def _need(raw: dict[str, Any], keys: tuple[str, ...], where: str, path: Path) -> None:
    for key in keys:
        if key not in raw:
            raise DataSourceError(f"{path}: {where} lacks the key {key!r}")
    if "source" in keys and not str(raw["source"]).strip():
        raise DataSourceError(f"{path}: {where} has an empty source")


def _waived_heading(raw: dict[str, Any], where: str, path: Path) -> WaivedHeading:
    """A reported heading -> its ICIO sector by ``concordance_hs2_icio28.csv``: the chapter's one
    sector, or, for a chapter the concordance splits (85: C26/C27), the ``sector`` the entry
    names, which must be one of the chapter's."""
    from ._tariff_layer import read_hs2_concordance

    _need(raw, ("hs", "product", "source"), where, path)
    hs = str(raw["hs"])
    digits = hs.replace(".", "")
    if len(digits) < 4 or not digits.isdigit():
        raise DataSourceError(f"{path}: {where}: hs {hs!r} is not an HS heading (4+ digits)")
    concordance = read_hs2_concordance()
    chapter = concordance[concordance["hs2"] == int(digits[:2])]
    allowed = tuple(chapter["icio28"])
    if not allowed:
        raise DataSourceError(f"{path}: {where}: HS chapter {digits[:2]} is not in the concordance")
    sector = str(raw.get("sector", allowed[0] if len(allowed) == 1 else ""))
    if sector not in allowed:
        raise DataSourceError(f"{path}: {where}: HS chapter {digits[:2]} maps to {list(allowed)}; "
                              f"name one of them as `sector` (got {sector!r})")
    return WaivedHeading(hs, str(raw["product"]), sector, str(raw["source"]))


def read_in_force_tables(path: str | os.PathLike[str] | None = None) -> InForceTables:
    """Read and check the in-force tables of ``tariffs_hand_entered.toml`` (a source for every
    entry; rules and sector codes checked; dates in order)."""
    file, raw = load_hand_entered_toml(path)
    try:
        steps = []
        for k, e in enumerate(raw["us_effective"]):
            _need(e, ("effective", "row", "label", "source"), f"us_effective[{k}]", file)
            rule = str(e.get("rule", ""))
            if rule not in _RULES:
                raise UnknownNameError("rule", rule, _RULES[1:], where=f"{file}: us_effective[{k}]")
            kind = str(e.get("kind", "broad"))
            if kind not in _KINDS:
                raise UnknownNameError("kind", kind, _KINDS, where=f"{file}: us_effective[{k}]")
            chapters = tuple(int(c) for c in e.get("chapters", ()))
            if (kind == "listed") != bool(chapters) or any(not 1 <= c <= 97 for c in chapters):
                raise DataSourceError(f"{file}: us_effective[{k}]: kind 'listed' needs `chapters` "
                                      "(HS chapters 1-97), and only it")
            cap = float(e["cap"]) if "cap" in e else None
            steps.append(UsStep(e["effective"], e["row"], rule, e.get("rule_row"), str(e["label"]),
                                str(e["source"]), kind, chapters, cap))
        waivers = []
        for k, e in enumerate(raw["china_waiver_2025"]):
            where = f"china_waiver_2025[{k}]"
            _need(e, ("effective", "ends", "import_share", "headings", "label", "source"), where, file)
            headings = tuple(_waived_heading(h, f"{where}.headings[{j}]", file)
                             for j, h in enumerate(e["headings"]))
            sectors = tuple(sorted({h.sector for h in headings}, key=ICIO_GOODS.index))
            waivers.append(Waiver(e["effective"], e["ends"], float(e["import_share"]), sectors,
                                  str(e["label"]), str(e["source"]), headings))
        canada = raw["canada_2025"]
        fx = float(canada["cad_per_usd"])
        tranches = []
        for k, e in enumerate(canada["tranche"]):
            _need(e, ("effective", "rate", "value_cad_bn", "sectors", "label", "source"),
                  f"canada_2025.tranche[{k}]", file)
            tranches.append(Tranche(e["effective"], e.get("ends"), float(e["rate"]),
                                    float(e["value_cad_bn"]) * 1000.0 / fx, tuple(e["sectors"]),
                                    str(e["label"]), str(e["source"])))
        us_start = raw["us_on_china_pre2025"]
        electronics = raw["us_electronics_2025"]
        tables = InForceTables(
            us_steps=tuple(steps), us_on_china_start=float(us_start["average"]),
            us_on_china_start_source=str(us_start["source"]),
            electronics_split_ch84=float(electronics["split_ch84"]),
            electronics_source=str(electronics["source"]), waivers=tuple(waivers),
            canada=tuple(tranches), canada_fx_source=str(canada["fx_source"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, UserInputError):
            raise
        raise DataSourceError(f"{file}: missing or malformed in-force entry ({exc!r}); expected "
                              "us_effective, us_electronics_2025, us_on_china_pre2025, "
                              "china_waiver_2025, canada_2025") from exc
    dates = [s.effective for s in tables.us_steps]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise DataSourceError(f"{file}: us_effective entries must be in order of distinct dates")
    for item in tables.waivers + tables.canada:  # type: ignore[operator]
        bad = sorted(set(item.sectors) - set(ICIO_GOODS))
        if bad:
            raise DataSourceError(f"{file}: {item.label!r}: unknown sector codes {bad}; allowed: "
                                  f"{list(ICIO_GOODS)}")
    return tables


@lru_cache(maxsize=1)
def in_force_tables() -> InForceTables:
    """The committed in-force tables (cached)."""
    return read_in_force_tables()


# --------------------------------------------------------------------------------------------
# weights of the non-US importers: ICIO 2022 flows
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _icio_pair(data_dir: str, importer: str, exporter: str) -> tuple[np.ndarray, np.ndarray]:
    from ._sources import read_cube

    cube = read_cube(data_dir, "icio", _ICIO_YEAR)
    countries = list(cube.countries)
    if tuple(cube.sectors[: len(ICIO_GOODS)]) != ICIO_GOODS:
        raise DataSourceError(f"ICIO {_ICIO_YEAR}: sectors {list(cube.sectors)[:27]} are not the "
                              "27 ICIO goods sectors in order")
    i, j = countries.index(importer), countries.index(exporter)
    flows = np.asarray(cube.flows)[i, j, : len(ICIO_GOODS)].astype(float)
    tariffs = np.asarray(cube.tariffs)[i, j, : len(ICIO_GOODS)].astype(float)
    return flows, tariffs


def icio_weights(importer: str, exporter: str = "USA",
                 data_dir: str | os.PathLike[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(27,) ICIO 2022 flows (millions of USD) and dataset tariffs (fractions) of ``importer``
    from ``exporter`` over the goods sectors."""
    if data_dir is None:
        from ._paths import default_data_dir

        data_dir = default_data_dir()
    return _icio_pair(str(Path(data_dir).resolve()), importer, exporter)


# --------------------------------------------------------------------------------------------
# China and Canada
# --------------------------------------------------------------------------------------------
def _index(codes: tuple[str, ...]) -> list[int]:
    position = {c: k for k, c in enumerate(ICIO_GOODS)}
    return [position[c] for c in codes]


def china_increase(when: date, weights: np.ndarray, *, waiver: bool = True,
                   ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """China's increase on US goods in force on ``when`` over 2025-01-01.

    Args:
        when: the date.
        weights: (27,) China's imports from the US by ICIO goods sector (millions of USD).
        waiver: apply the late-April waiver (``False``: the statutory rates without it).

    Returns:
        ``(increase, waived, labels)``: (27,) points (fractions), (27,) share of each sector's
        imports waived from the across-the-board points, and the labels of the entries in force.
    """
    hand = hand_entered()
    tables = in_force_tables()
    increase = hand.china_on_usa_level(when)
    labels = [e.label for e in hand.china_on_usa if e.effective <= when]
    waived = np.zeros(len(ICIO_GOODS))
    across = sum(e.goods for e in hand.china_on_usa if e.effective <= when and e.goods > 0)
    for entry in tables.waivers if waiver else ():
        if entry.effective <= when < entry.ends and across > 0:
            idx = _index(entry.sectors)
            listed = float(weights[idx].sum())
            if listed <= 0:
                raise DataSourceError(f"{entry.label}: no imports in sectors {entry.sectors}")
            phi = min(1.0, entry.import_share * float(weights.sum()) / listed)
            waived[idx] = phi
            increase = increase - waived * across
            labels.append(f"{entry.label} (share {phi:.2f} of sectors "
                          f"{', '.join(entry.sectors)})")
    return increase, waived, labels


def canada_increase(when: date, weights: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Canada's countermeasures on US goods in force on ``when``: (27,) points and labels.

    Each tranche covers an equal share of the imports (``weights``, millions of USD) of its
    sectors, ``value / Σ weights``, capped at 1."""
    increase = np.zeros(len(ICIO_GOODS))
    labels: list[str] = []
    for tranche in in_force_tables().canada:
        if tranche.effective <= when and (tranche.ends is None or when < tranche.ends):
            idx = _index(tranche.sectors)
            total = float(weights[idx].sum())
            cover = min(1.0, tranche.value_musd / total) if total > 0 else 0.0
            increase[idx] += tranche.rate * cover
            labels.append(f"{tranche.label} (covers {100 * cover:.0f} % of those sectors)")
    return increase, labels


# --------------------------------------------------------------------------------------------
# the US layer at effective dates
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _annex_i(data_dir: str) -> dict[str, float]:
    """Annex I reciprocal rates of EO 14257 by ISO3 (fractions; China's row is its 9 April 84 %,
    read as 104 = 84 + 20 in the file and not used)."""
    from ._paths import source_file

    path = source_file(data_dir, ANNEX_I_FILE)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    mapping = read_country_mapping(data_dir)
    by_code = {int(c): iso for c, iso in zip(mapping["cty_code"], mapping["iso3"], strict=True)
               if not pd.isna(c)}
    by_code[3] = EU_CODE
    by_name = {str(n).upper(): iso for n, iso in zip(mapping["country"], mapping["iso3"],
                                                     strict=True)}
    by_name.update({"SOUTH KOREA": "KOR", "MYANMAR (BURMA)": "MMR", "EUROPEAN UNION": EU_CODE})
    out: dict[str, float] = {}
    for name, rate, code in zip(frame["CTY_NAME"], frame["tariff_rate"], frame["CTY_CODE"],
                                strict=True):
        iso = by_code.get(int(code)) if code.strip().isdigit() else None
        iso = iso or by_name.get(name.strip().upper())
        if iso:
            out[iso] = float(rate) / 100.0
    return out


def _row(schedule: TariffSchedule, row_date: date) -> int:
    try:
        return schedule.dates.index(row_date)
    except ValueError:
        raise DataSourceError(f"tariffs_hand_entered.toml: tracker row {row_date} is not a date "
                              f"of tariffs2025/country-by-time.csv; dates: "
                              f"{[str(d) for d in schedule.dates]}") from None


def _tracker_level(schedule: TariffSchedule, row_name: str, row_date: date) -> float:
    return float(schedule.country_increase[schedule.partners.index(row_name), _row(schedule, row_date)])


def us_step(when: date) -> UsStep | None:
    """The ``[[us_effective]]`` entry in force on ``when`` (None before the first)."""
    steps = [s for s in in_force_tables().us_steps if s.effective <= when]
    return steps[-1] if steps else None


def _china_liable_share(schedule: TariffSchedule) -> float:
    """Import-weighted share of US imports from China liable to the reciprocal tariff after the
    electronics exemption: the tracker's step from 3 April to 11 April over 125 points."""
    return (_tracker_level(schedule, "CHN", date(2025, 4, 11))
            - _tracker_level(schedule, "CHN", date(2025, 4, 3))) / 1.25


def us_level(schedule: TariffSchedule, partner: str, when: date, dating: str = "effective",
             data_dir: str | None = None) -> float | None:
    """Country-level US increase on ``partner`` in force on ``when`` (fraction; None if the
    partner has no tracker row). ``dating="tracker"`` reads the tracker's rows as dated."""
    row_name = schedule.level_row(partner)
    if row_name is None:
        return None
    if dating == "tracker":
        level = schedule.country_level(partner, when)
        return level
    step = us_step(when)
    if step is None:
        return 0.0
    china = row_name == "CHN"
    row = step.row
    if step.rule == "china_from_row" and china and step.rule_row is not None:
        row = step.rule_row
    level = _tracker_level(schedule, row_name, row)
    if step.rule == "china_first_fentanyl" and china:
        level -= 0.10
    elif step.rule in ("baseline_with_electronics", "annex_i_with_electronics") and china:
        reciprocal = 0.10 if step.rule == "baseline_with_electronics" else 0.84
        level = (_tracker_level(schedule, "CHN", date(2025, 4, 3))
                 + reciprocal * _china_liable_share(schedule))
    elif step.rule == "annex_i_with_electronics":
        annex = _annex_i(data_dir or _default_dir())
        rate = annex.get(row_name, 0.10)
        exempt_effect = (_tracker_level(schedule, row_name, date(2025, 4, 9))
                         - _tracker_level(schedule, row_name, date(2025, 4, 11)))
        level -= exempt_effect * rate / 0.10
    elif step.rule == "india_without_russia_penalty" and row_name == "IND":
        before = _tracker_level(schedule, "IND", date(2025, 6, 3))
        liable = (level - before) / 0.40  # +15 reciprocal and +25 penalty on the same lines
        level -= 0.25 * liable
    return max(level, 0.0)


def _default_dir() -> str:
    from ._paths import default_data_dir

    return str(Path(default_data_dir()).resolve())


def _scaled_profile(schedule: TariffSchedule, partner: str, level: float) -> np.ndarray:
    """The HS2 (August 2025) profile of ``partner`` scaled to ``level`` (module notes of
    :mod:`._tariff_layer`)."""
    row = schedule.level_row(partner)
    assert row is not None
    h = schedule._h.get(partner if partner in schedule._h else row)
    hq = schedule._h.get(row)
    if h is None or hq is None or schedule.mean_goods_increase[hq] <= 0:
        return np.full(len(ICIO_GOODS), level)
    return schedule.sector_increase[h] * (level / schedule.mean_goods_increase[hq])


def electronics_exempt_share(schedule: TariffSchedule) -> np.ndarray:
    """(27,) share of each ICIO sector's 2024 US imports from China exempted by the 11 April 2025
    electronics list: the exempted value (tracker: China's drop from 9 to 11 April / 125 points
    × 2024 goods imports) split between chapter 84 (computers → C28) and chapter 85 (phones, chips,
    displays → C26) by the published shares (``[us_electronics_2025]``), capped at 1."""
    tables = in_force_tables()
    weights = schedule.import_weights("CHN")
    # the tracker's level is a mean over the same goods weights the sector profile is scaled to
    exempt = ((_tracker_level(schedule, "CHN", date(2025, 4, 9))
               - _tracker_level(schedule, "CHN", date(2025, 4, 11))) / 1.25
              * float(weights.sum()))
    share = np.zeros(len(ICIO_GOODS))
    for code, part in (("C28", tables.electronics_split_ch84),
                       ("C26", 1.0 - tables.electronics_split_ch84)):
        s = ICIO_GOODS.index(code)
        share[s] = min(1.0, part * exempt / weights[s]) if weights[s] > 0 else 0.0
    return share


def us_reciprocal_on_china(when: date) -> float:
    """The US reciprocal (IEEPA) tariff on China in force on ``when`` (fraction): 10 % from
    5 April 2025, 84 % on 9 April, 125 % from 10 April, 10 % from the Geneva truce (14 May) to
    the end of the IEEPA tariffs (tracker: 2026-02-20); 0 outside."""
    if when < _RECIPROCAL_FROM or when >= _IEEPA_END:
        return 0.0
    if when < date(2025, 4, 9):
        return 0.10
    if when < date(2025, 4, 10):
        return 0.84
    return 1.25 if when < date(2025, 5, 14) else 0.10


def fentanyl_rate(when: date) -> float:
    """US fentanyl (IEEPA) tariff on China in force on ``when`` (fraction; hand-entered dates)."""
    if when < date(2025, 2, 4) or when >= _IEEPA_END:
        return 0.0
    if when < date(2025, 3, 4):
        return 0.10
    return 0.20 if when < _FENTANYL_CUT else 0.10


@lru_cache(maxsize=4)
def _chapters(data_dir: str) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    """HS2 chapter data of the tracker: partner -> row, (H, 100) 2024 imports (millions of USD)
    and (H, 100) the August 2025 increase (fraction), chapters 1-97 only."""
    from ._tariffs2025 import read_hs2

    hs2 = read_hs2(data_dir)
    hs2 = hs2.assign(value=hs2["imports_2024_musd"] * hs2["tariff_increase_2025"].fillna(0.0))
    grouped = hs2.groupby(["iso3", "hs2"], as_index=False)[["imports_2024_musd", "value"]].sum()
    partners = {p: k for k, p in enumerate(sorted(set(grouped["iso3"])))}
    imports = np.zeros((len(partners), 100))
    value = np.zeros_like(imports)
    rows = grouped["iso3"].map(partners).to_numpy()
    cols = grouped["hs2"].to_numpy(dtype=int)
    imports[rows, cols] = grouped["imports_2024_musd"].to_numpy()
    value[rows, cols] = grouped["value"].to_numpy()
    imports[:, 98:] = 0.0
    increase = np.divide(value, imports, out=np.zeros_like(value), where=imports > 0)
    return partners, imports, increase


@lru_cache(maxsize=1)
def _share_matrix() -> np.ndarray:
    from ._tariff_layer import _sector_matrices, read_hs2_concordance

    return _sector_matrices(read_hs2_concordance())[0]


def step_profile(schedule: TariffSchedule, partner: str, step: UsStep, data_dir: str) -> np.ndarray:
    """(27,) how a step's change in the level of ``partner`` spreads over ICIO goods sectors,
    normalised so that its 2024-import-weighted mean is 1 (module notes; ``kind`` of
    ``[[us_effective]]``): ``all`` uniform; ``listed`` on the step's HS chapters only;
    ``broad`` like the August 2025 HS2 profile over the chapters that are not Section 232
    products. A partner without imports in the chosen chapters gets the uniform profile."""
    uniform = np.ones(len(ICIO_GOODS))
    if step.kind == "all":
        return uniform
    partners, imports, increase = _chapters(data_dir)
    row = schedule.level_row(partner)
    key = partner if partner in partners else row
    if key not in partners:
        return uniform
    k = partners[key]
    mask = np.zeros(100)
    if step.kind == "listed":
        mask[list(step.chapters)] = 1.0
        value = imports[k] * mask
    else:
        mask[1:98] = 1.0
        mask[list(SECTION_232_CHAPTERS)] = 0.0
        value = imports[k] * increase[k] * mask
    share = _share_matrix()
    weights = imports[k] @ share
    spread = value @ share
    if spread.sum() <= 0 or weights.sum() <= 0:
        return uniform
    with np.errstate(divide="ignore", invalid="ignore"):
        profile = np.where(weights > 0, spread / weights, 0.0)
    return profile * (weights.sum() / spread.sum())


def _listed_share(schedule: TariffSchedule, partner: str, step: UsStep, data_dir: str) -> np.ndarray:
    """(27,) share of each sector's 2024 imports from ``partner`` in the step's chapters."""
    partners, imports, _ = _chapters(data_dir)
    key = partner if partner in partners else schedule.level_row(partner)
    if key not in partners:
        return np.ones(len(ICIO_GOODS))
    mask = np.zeros(100)
    mask[list(step.chapters)] = 1.0
    share = _share_matrix()
    total = imports[partners[key]] @ share
    listed = (imports[partners[key]] * mask) @ share
    return np.divide(listed, total, out=np.zeros_like(total), where=total > 0)


def _section_232_sectors(schedule: TariffSchedule, partner: str, data_dir: str) -> np.ndarray:
    """(27,) bool: sectors with most of ``partner``'s 2024 imports in Section 232 chapters."""
    partners, imports, _ = _chapters(data_dir)
    key = partner if partner in partners else schedule.level_row(partner)
    if key not in partners:
        return np.zeros(len(ICIO_GOODS), dtype=bool)
    mask = np.zeros(100)
    mask[list(SECTION_232_CHAPTERS)] = 1.0
    share = _share_matrix()
    total = imports[partners[key]] @ share
    listed = (imports[partners[key]] * mask) @ share
    return (total > 0) & (listed > 0.5 * total)


def _take(total: np.ndarray, weights: np.ndarray, amount: float, pool: np.ndarray) -> tuple[np.ndarray, float]:
    """Take ``amount`` (import-weighted points × total weight) from the sectors of ``pool`` in
    proportion to the points they carry; return the new profile and what could not be taken."""
    available = float((weights * total * pool).sum())
    if available <= 0:
        return total, amount
    f = min(1.0, amount / available)
    return np.where(pool, total * (1.0 - f), total), amount - f * available


def _stacked_profile(schedule: TariffSchedule, partner: str, when: date, data_dir: str) -> np.ndarray:
    """(27,) increase on ``partner`` in force on ``when``: every step's change in the level,
    spread by its :func:`step_profile`, stacked as the notes of ``[[us_effective]]`` say (a
    listed rise capped at the statutory points, the rest spread broad; a fall taken from the
    step's goods in proportion to their points, never below zero). The import-weighted mean is
    the level."""
    weights = schedule.import_weights(partner)
    w_total = float(weights.sum())
    total = np.zeros(len(ICIO_GOODS))
    previous = 0.0
    everything = np.ones(len(ICIO_GOODS), dtype=bool)
    for step in in_force_tables().us_steps:
        if step.effective > when:
            break
        level = us_level(schedule, partner, step.effective, "effective", data_dir)
        assert level is not None
        delta, previous = level - previous, level
        if delta == 0.0:
            continue
        profile = step_profile(schedule, partner, step, data_dir)
        if delta > 0 or w_total <= 0:
            add = delta * profile
            if step.kind == "listed" and step.cap is not None and w_total > 0:
                # the cap holds on the listed chapters' part of each sector
                add = np.minimum(add, step.cap * _listed_share(schedule, partner, step, data_dir))
                rest = delta * w_total - float((weights * add).sum())
                broad = replace(step, kind="broad", chapters=())
                add = add + rest / w_total * step_profile(schedule, partner, broad, data_dir)
            total = total + add
            continue
        if step.kind == "listed":
            pool = profile > 0
        elif step.kind == "broad":
            pool = ~_section_232_sectors(schedule, partner, data_dir)
        else:
            pool = everything
        total, rest = _take(total, weights, -delta * w_total, pool)
        if rest > 1e-12:
            total, rest = _take(total, weights, rest, everything)
    return np.maximum(total, 0.0)


def us_sector_increase(schedule: TariffSchedule, partner: str, when: date,
                       dating: str = "effective", data_dir: str | None = None,
                       ) -> tuple[np.ndarray, np.ndarray] | None:
    """US increase on ``partner`` by ICIO goods sector in force on ``when``.

    Returns ``(increase (27,), exempt_share (27,))`` (fractions) or None (no tracker row). The
    import-weighted mean of ``increase`` (2024 US import weights) equals :func:`us_level`.
    For China in the reciprocal period the exempted electronics lines carry only the fentanyl
    tariff ``F``: sector s's rate is ``e_s F + (1 − e_s) n_s``, where ``n_s`` (the lines not
    exempted) follows the August profile of those lines, scaled so that the mean is the level.
    """
    level = us_level(schedule, partner, when, dating, data_dir)
    if level is None:
        return None
    none = np.zeros(len(ICIO_GOODS))
    if dating == "tracker":
        return _scaled_profile(schedule, partner, level), none
    if schedule.level_row(partner) != "CHN" or when < _RECIPROCAL_FROM or when >= _IEEPA_END:
        weights = schedule.import_weights(partner)
        profile = _stacked_profile(schedule, partner, when, data_dir or _default_dir())
        if weights.sum() > 0:  # exact level despite chapters outside the HS2 file's weights
            mean = float((weights * profile).sum() / weights.sum())
            if abs(mean) > 1e-12:
                profile = profile * (level / mean)
            elif abs(level) > 1e-12:
                profile = np.full(len(ICIO_GOODS), level)
        return profile, none
    e, f, rest = us_china_line_rates(schedule, when, level)
    return e * f + (1.0 - e) * rest, e


def us_china_line_rates(schedule: TariffSchedule, when: date, level: float,
                        ) -> tuple[np.ndarray, float, np.ndarray]:
    """The two kinds of lines of US imports from China in the reciprocal period.

    Returns ``(e, f, rest)``: (27,) exempted share of each sector (electronics of 11 April),
    the rate on the exempted lines (the fentanyl tariff only, fraction) and (27,) the rate on
    the other lines: the August 2025 profile of those lines, scaled so that the 2024-import-
    weighted mean over all lines is ``level``.
    """
    e = electronics_exempt_share(schedule)
    w = schedule.import_weights("CHN")
    f_aug = fentanyl_rate(date(2025, 8, 7))
    august = _scaled_profile(schedule, "CHN", float(schedule.mean_goods_increase[
        schedule._h["CHN"]]))
    with np.errstate(divide="ignore", invalid="ignore"):
        rest = np.where(e < 1.0, (august - e * f_aug) / (1.0 - e), 0.0)
    rest = np.maximum(rest, 0.0)
    f = fentanyl_rate(when)
    liable = float((w * (1.0 - e) * rest).sum())
    scale = (level * w.sum() - f * float((w * e).sum())) / liable if liable > 0 else 0.0
    return e, f, rest * scale


# --------------------------------------------------------------------------------------------
# the public result
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class InForceRates:
    """Tariffs of ``importer`` on ``exporter`` in force on ``date``, by ICIO goods sector.

    Attributes:
        importer, exporter: ISO3 codes (``exporter`` may be ``"WORLD"``).
        requested: the date asked for; ``date``: the date of the last dated step on or before it
            (the rates are those of that step).
        sectors: :data:`ICIO_GOODS` (27).
        start: (27,) rates in force on 2025-01-01 (fractions).
        increase: (27,) points added since (fractions).
        weights: (27,) pre-shock import weights (millions of USD); ``weights_source`` names them.
        exempt_share: (27,) share of each sector's imports under a carve-out (US electronics list
            for China, China's waiver for the US; zeros otherwise).
        data_end: the last dated step of any layer; ``notes`` and ``sources`` explain the rates.
    """

    importer: str
    exporter: str
    requested: _dt.date
    date: _dt.date
    start: np.ndarray
    increase: np.ndarray
    weights: np.ndarray
    weights_source: str
    exempt_share: np.ndarray
    data_end: _dt.date
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    sectors: tuple[str, ...] = field(default=ICIO_GOODS)

    @property
    def rates(self) -> np.ndarray:
        """(27,) rates in force (fractions) = ``start + increase``."""
        return self.start + self.increase

    def _mean(self, values: np.ndarray) -> float:
        total = float(self.weights.sum())
        return float((self.weights * values).sum() / total) if total > 0 else float(values.mean())

    @property
    def total(self) -> float:
        """Import-weighted rate over goods (fraction)."""
        return self._mean(self.rates)

    @property
    def total_increase(self) -> float:
        """Import-weighted increase since 2025-01-01 (fraction)."""
        return self._mean(self.increase)

    def tidy(self, by_sector: bool = True) -> pd.DataFrame:
        """Long table with the stable keys ``date``, ``importer``, ``exporter``, ``sector``,
        ``rate_pct``, ``weights`` (plus ``increase_pct``, ``start_pct``, ``weights_musd``).
        ``sector`` is ``"goods"`` for the import-weighted total."""
        rows = []
        if by_sector:
            for k, code in enumerate(self.sectors):
                rows.append((code, self.rates[k], self.increase[k], self.start[k], self.weights[k]))
        rows.append(("goods", self.total, self.total_increase, self._mean(self.start),
                     float(self.weights.sum())))
        return pd.DataFrame(
            {
                "date": self.date.isoformat(),
                "importer": self.importer,
                "exporter": self.exporter,
                "sector": [r[0] for r in rows],
                "rate_pct": [100.0 * r[1] for r in rows],
                "increase_pct": [100.0 * r[2] for r in rows],
                "start_pct": [100.0 * r[3] for r in rows],
                "weights": self.weights_source,
                "weights_musd": [r[4] for r in rows],
            }
        )


def in_force_dates(importer: str | None = None) -> tuple[date, ...]:
    """Every dated step of the layers (of one importer, or all), ascending."""
    hand = hand_entered()
    tables = in_force_tables()
    out: set[date] = set()
    if importer in (None, "USA"):
        out.update(s.effective for s in tables.us_steps)
    if importer in (None, "CHN"):
        out.update(e.effective for e in hand.china_on_usa)
        for w in tables.waivers:
            out.update((w.effective, w.ends))
    if importer in (None, "CAN"):
        for t in tables.canada:
            out.add(t.effective)
            if t.ends is not None:
                out.add(t.ends)
    return tuple(sorted(out))


def _us_partners(schedule: TariffSchedule) -> tuple[str, ...]:
    return tuple(p for p in schedule.partners if p != EU_CODE) + tuple(
        m for m in EU27 if m in schedule._h)


def tariffs_in_force(importer: str, exporter: str, when: date | str | None = None, *,
                     dating: str = "effective", without: tuple[str, ...] = (),
                     data_dir: str | os.PathLike[str] | None = None) -> InForceRates:
    """The tariffs of ``importer`` on ``exporter`` in force on ``when``, by ICIO goods sector.

    Args:
        importer: ``"USA"``, ``"CHN"`` or ``"CAN"`` (:data:`IMPORTERS_WITH_LAYER`).
        exporter: a partner (ISO3; for the US any partner of the tracker, an EU member, or
            ``"EU27"``; for China and Canada ``"USA"``), or ``"WORLD"`` (US only: the average over
            the tracker's partners, 2024 import weights).
        when: a date from 2025-01-01 (``YYYY-MM-DD``) or ``None``/``"latest"``. A date after the
            last dated step gives that step's rates (``date`` < ``requested``; a note says so).
        dating: ``"effective"`` (default) or ``"tracker"`` (the US tracker's own row dates).
        without: carve-outs to switch off (:data:`CARVE_OUTS`): the rates as if that exemption
            list did not exist (e.g. ``("us-electronics-2025",)``: the exempted electronics pay
            the reciprocal tariff too).
        data_dir: the data directory (default: ``../shared/data``).

    Raises:
        UserInputError: a date before 2025-01-01 or not a date, an importer without a layer, an
            exporter the layer does not cover, an unknown dating (messages list what exists).
    """
    from ..errors import check_choice

    check_choice("dating", dating, DATINGS)
    for name in without:
        if name not in CARVE_OUTS:
            raise UnknownNameError("exemption list (carve-out)", name, CARVE_OUTS)
    if importer not in IMPORTERS_WITH_LAYER:
        raise UnknownNameError("importer (no tariff layer)", importer, IMPORTERS_WITH_LAYER)
    day = parse_in_force_date(when)
    root = str(Path(data_dir).resolve()) if data_dir is not None else _default_dir()
    schedule = us_tariff_schedule(root)
    hand = hand_entered()
    tables = in_force_tables()
    last = max(in_force_dates(), default=IN_FORCE_START)
    if dating == "tracker":
        last = max(last, schedule.dates[-1])
    requested = day or last
    steps = [d for d in (in_force_dates(importer) if dating == "effective" or importer != "USA"
                         else schedule.dates) if d <= requested]
    applied = steps[-1] if steps else IN_FORCE_START
    notes: list[str] = []
    if requested > last:
        notes.append(f"{requested} is after the last dated step ({last}): the rates are those "
                     f"of {applied}; the data end on {last}")
    zeros = np.zeros(len(ICIO_GOODS))
    if importer == "USA":
        partners = _us_partners(schedule)
        allowed = partners + (EU_CODE, WORLD)
        if exporter not in allowed:
            raise UnknownNameError("exporter for importer USA", exporter, allowed)
        members = partners if exporter == WORLD else (exporter,)
        if exporter == WORLD:
            members = tuple(p for p in schedule.partners)  # EU as one row, as the tracker
        start_num = np.zeros(len(ICIO_GOODS))
        inc_num = np.zeros(len(ICIO_GOODS))
        weights = np.zeros(len(ICIO_GOODS))
        exempt = zeros.copy()
        for member in members:
            result = us_sector_increase(schedule, member, requested, dating, root)
            assert result is not None
            inc, ex = result
            if member == "CHN" and "us-electronics-2025" in without and ex.any():
                inc = inc + ex * us_reciprocal_on_china(requested)
                ex = np.zeros_like(ex)
                notes.append("without the US electronics exemption of 11 April 2025: the "
                             "exempted lines pay the reciprocal tariff as well")
            w = schedule.import_weights(member)
            start = schedule.sectoral_tariff_2024(member)
            assert start is not None
            if member == "CHN":
                start = _top_up(start, w, tables.us_on_china_start)
            weights += w
            start_num += w * start
            inc_num += w * inc
            exempt += w * ex
        if len(members) == 1:  # one partner: its own rates, also where it sold nothing in 2024
            assert start is not None
            start_r, inc_r, exempt_r = start, inc, ex
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                start_r = np.where(weights > 0, start_num / weights, 0.0)
                inc_r = np.where(weights > 0, inc_num / weights, 0.0)
                exempt_r = np.where(weights > 0, exempt / weights, 0.0)
        step = us_step(requested) if dating == "effective" else None
        if step is not None:
            notes.append(f"US layer from {step.effective}: {step.label}")
        sources = [
            "tradewartracker/trade-war-redux-2025 (MIT): country-by-time.csv, data-hs2/ (2024 US "
            "Census imports)",
            tables.us_on_china_start_source if "CHN" in members else
            "start: 2024 US effective rate (duties / imports) by partner and HS2 chapter",
        ]
        if step is not None:
            sources.append(step.source)
        if "CHN" in members and _RECIPROCAL_FROM <= requested < _IEEPA_END and dating == "effective":
            sources.append(tables.electronics_source)
        return InForceRates(importer, exporter, requested, applied, start_r, inc_r, weights,
                            "US 2024 imports (Census, tracker HS2 files)", exempt_r, last,
                            tuple(notes), tuple(sources))
    if exporter not in ("USA",):
        raise UnknownNameError(f"exporter for importer {importer} (its layer covers US goods "
                               "only)", exporter, ("USA",))
    weights, dataset = icio_weights(importer, "USA", root)
    if importer == "CHN":
        increase, waived, labels = china_increase(requested, weights,
                                                  waiver="china-waiver-2025" not in without)
        if "china-waiver-2025" in without:
            notes.append("without China's late-April 2025 waiver")
        start = _top_up(dataset, weights, hand.china_pre2025_average)
        sources = [hand.china_pre2025_source] + [
            e.source for e in hand.china_on_usa if e.effective <= requested] + [
            w.source for w in tables.waivers if w.effective <= requested < w.ends]
        for entry in tables.waivers:
            if entry.effective <= requested < entry.ends and "china-waiver-2025" not in without:
                notes.append("waiver headings reported (HS -> ICIO): " + "; ".join(
                    f"{h.hs} {h.product} -> {h.sector}" for h in entry.headings))
    else:
        increase, labels = canada_increase(requested, weights)
        waived = zeros.copy()
        start = dataset.copy()
        sources = ["start: ICIO 2022 dataset tariffs (Teti Global Tariff Database, MFN/CUSMA)",
                   tables.canada_fx_source] + [
            t.source for t in tables.canada if t.effective <= requested]
    notes.extend(labels)
    return InForceRates(importer, exporter, requested, applied, start, increase, weights,
                        f"ICIO {_ICIO_YEAR} flows ({importer} imports from USA)", waived, last,
                        tuple(notes), tuple(dict.fromkeys(sources)))


def _top_up(rates: np.ndarray, weights: np.ndarray, target: float) -> np.ndarray:
    """Raise every sector by the same points until the weighted mean reaches ``target``."""
    total = float(weights.sum())
    if total <= 0:
        return rates.copy()
    current = float((weights * rates).sum() / total)
    return rates + max(0.0, target - current)


def tariffs_in_force_table(importers: tuple[str, ...], exporters: tuple[str, ...],
                           dates: tuple[date | str | None, ...], *, by_sector: bool = False,
                           dating: str = "effective", without: tuple[str, ...] = (),
                           data_dir: str | os.PathLike[str] | None = None,
                           ) -> tuple[pd.DataFrame, tuple[str, ...], tuple[str, ...]]:
    """Long table (keys of :meth:`InForceRates.tidy`) over importers × exporters × dates, with
    the notes and sources (each once)."""
    frames = []
    notes: list[str] = []
    sources: list[str] = []
    for importer in importers:
        for exporter in exporters:
            for when in dates:
                result = tariffs_in_force(importer, exporter, when, dating=dating,
                                          without=without, data_dir=data_dir)
                frames.append(result.tidy(by_sector))
                notes.extend(result.notes)
                sources.extend(result.sources)
    return (pd.concat(frames, ignore_index=True), tuple(dict.fromkeys(notes)),
            tuple(dict.fromkeys(sources)))


#: The pairs of the time-series chart (``tradewar tariffs --chart``, the web's tariffs page):
#: the US on the world (import-weighted), the US on China, China on the US.
SERIES_PAIRS: tuple[tuple[str, str], ...] = (("USA", "WORLD"), ("USA", "CHN"), ("CHN", "USA"))


def in_force_series_dates(importer: str | None = None, until: date | str | None = None, *,
                          dating: str = "effective") -> tuple[date, ...]:
    """The dates of a series of tariffs in force (``tradewar tariffs --series``):
    :data:`IN_FORCE_START` and every dated step up to ``until`` (``None`` or ``"latest"``: every
    step), of ``importer``'s layer with ``dating="effective"``, of every layer with
    ``dating="tracker"`` (the tracker's row dates) or for ``importer=None``.

    Raises:
        UserInputError: ``until`` is not a date or is before 2025-01-01
            (:func:`parse_in_force_date`).
    """
    end = parse_in_force_date(until)
    layer = importer if dating == "effective" else None
    return (IN_FORCE_START, *[d for d in in_force_dates(layer) if end is None or d <= end])


def tariffs_in_force_series(pairs: tuple[tuple[str, str], ...] = SERIES_PAIRS, *,
                            dating: str = "effective",
                            data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The rows of :func:`tariffs_in_force_table` (in total, percent) of each (importer,
    exporter) pair at :data:`IN_FORCE_START` and every dated step of every layer: the series of
    the time-series chart."""
    days = in_force_series_dates()
    return pd.concat([tariffs_in_force_table((i,), (e,), days, dating=dating,
                                             data_dir=data_dir)[0] for i, e in pairs],
                     ignore_index=True)


# --------------------------------------------------------------------------------------------
# scenarios of what was in force (TOML text for the scenario layer)
# --------------------------------------------------------------------------------------------
_LAYER_PAIRS = (("USA", "ALL", "us-2025"), ("CHN", "USA", "china-2025"),
                ("CAN", "USA", "canada-2025"))
_SCENARIO_SOURCES = (
    "tradewartracker/trade-war-redux-2025 (MIT): country-by-time.csv, data-hs2/ (US layer, 2024 US "
    "import weights), re-dated to effective dates in src/tradewar/data/tariffs_hand_entered.toml",
    "Executive Orders 14195, 14228, 14257, 14259, 14266, 14298, 14326, 14329 and of 4 Nov 2025; "
    "Section 232 proclamations (US)",
    "State Council Tariff Commission of China, Announcements [2025] No. 1, 2, 4, 5, 6, of 13 May "
    "and 5 November 2025; Reuters and Bloomberg on the late-April 2025 waiver (China)",
    "Department of Finance Canada, countermeasures of 4 and 13 March 2025, on vehicles of "
    "9 April 2025, and the removal of most of them on 1 September 2025 (Canada)",
    "PIIE, Chad P. Bown, 'US-China Trade War Tariffs: An Up-to-Date Chart' (starting point)",
)


def _sources_toml() -> str:
    return "sources = [\n" + "".join(f"  {_toml_str(s)},\n" for s in _SCENARIO_SOURCES) + "]\n"


def _toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def in_force_scenario_toml(when: date | str | None = None) -> str:
    """TOML of the built-in ``in-force`` scenario at ``when`` (default: the latest dated step):
    every layer (US on all partners, China and Canada on the US) as in force that day, against
    the tariffs in force on 2025-01-01. Raises :class:`UserInputError` for a date before
    2025-01-01."""
    day = parse_in_force_date(when)
    last = in_force_dates()[-1]
    ref = (day or last).isoformat()
    shown = ref if day is None or day <= last else f"{last} (the last dated step; {ref} asked)"
    text = (
        'name = "in-force"\n'
        f'description = """The tariffs of both sides as IN FORCE on {shown}: the US on every '
        "partner, China and Canada on the US (statutory rates at their effective dates, with "
        "carve-outs), against the tariffs in force on 1 January 2025. `tradewar run in-force "
        '--date YYYY-MM-DD` picks another date (docs/tariffs.md)."""\n'
        + _sources_toml() + 'start = "in-force-2025"\nretaliation = "none"\n'
    )
    for importer, exporter, layer in _LAYER_PAIRS:
        text += (f'\n[[tariff]]\nimporter = "{importer}"\nexporter = "{exporter}"\n'
                 f'sectors = "goods"\nadd = "{layer}:{ref}"\n')
    return text


def timeline_scenario_toml() -> str:
    """TOML of the built-in ``timeline``: one step per dated step of any layer from February
    2025 to the latest, each quoting every layer at that date (one equilibrium per step)."""
    hand = hand_entered()
    tables = in_force_tables()
    labels: dict[date, list[str]] = {}
    for s in tables.us_steps:
        labels.setdefault(s.effective, []).append("US: " + s.label)
    for e in hand.china_on_usa:
        labels.setdefault(e.effective, []).append("China: " + e.label)
    for w in tables.waivers:
        labels.setdefault(w.effective, []).append("China: " + w.label)
        labels.setdefault(w.ends, []).append("China: the waiver ends with the Geneva truce")
    for t in tables.canada:
        labels.setdefault(t.effective, []).append("Canada: " + t.label)
        if t.ends is not None:
            labels.setdefault(t.ends, []).append("Canada removes: " + t.label)
    text = (
        'name = "timeline"\n'
        'description = """The trade war as it was in force, step by step from February 2025 to '
        "the latest dated step: every dated action of the US (on every partner), China and "
        "Canada (on the US), at its effective date, one equilibrium per step, against the "
        'tariffs in force on 1 January 2025 (docs/tariffs.md)."""\n'
        + _sources_toml() + 'start = "in-force-2025"\nretaliation = "none"\n'
    )
    for day in in_force_dates():
        label = f"{day} " + "; ".join(labels.get(day, []))
        text += f"\n[[step]]\ndate = {day.isoformat()}\nlabel = {_toml_str(label)}\n"
        for importer, exporter, layer in _LAYER_PAIRS:
            text += (f'[[step.tariff]]\nimporter = "{importer}"\nexporter = "{exporter}"\n'
                     f'add = "{layer}:{day.isoformat()}"\n')
    return text
