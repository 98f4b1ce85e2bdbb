"""The tariff layers: the committed HS2 concordance and hand-entered file, the US schedule from
tariffs2025/, and the tariffs in force on 2025-01-01."""

from __future__ import annotations

import tomllib
from datetime import date

import numpy as np
import pytest

from tradewar.data._tariff_layer import (
    HAND_ENTERED_FILE,
    ICIO_GOODS,
    WIOD16_TO_ICIO,
    WIOT35_TO_ICIO,
    goods_mask,
    hand_entered,
    hand_layer_rates,
    parse_layer_reference,
    read_hs2_concordance,
    region_members,
    tariffs_in_force_2025,
    us_rates_on,
    us_tariff_schedule,
)
from tradewar.errors import UnknownNameError

from .conftest import SECTORS, make_standin


def test_concordance_covers_every_chapter_and_sector() -> None:
    frame = read_hs2_concordance()
    assert set(frame["hs2"]) == set(range(1, 98)) - {77}
    np.testing.assert_allclose(frame.groupby("hs2")["share"].sum(), 1.0)
    assert set(frame["icio28"]) == set(ICIO_GOODS)  # every goods sector is reached
    weighted = set(frame.loc[frame["share"] > 0, "icio28"])
    assert set(ICIO_GOODS) - weighted == {"A02", "B05", "B06", "B09"}  # rate proxies only
    by = dict(zip(frame.loc[frame["share"] > 0, "hs2"], frame.loc[frame["share"] > 0, "icio28"], strict=False))
    assert by[27] == "C19" and by[30] == "C21" and by[71] == "C31T33" and by[84] == "C28"
    assert by[3] == "A03" and by[72] == "C24A" and by[87] == "C29" and by[89] == "C301"
    assert set(frame.loc[frame["hs2"] == 85, "icio28"]) == {"C26", "C27"}


def test_hand_entered_entries_all_have_sources() -> None:
    raw = tomllib.loads(HAND_ENTERED_FILE.read_text())
    for table in ("us_on_china_2025", "china_on_usa_2025"):
        for entry in raw[table]:
            assert entry["source"].strip()
    assert raw["china_pre2025"]["source"] and raw["us_2024"]["source"]
    hand = hand_entered()
    assert hand.china_pre2025_average == pytest.approx(0.212)  # PIIE: 32.6 - 11.4
    assert hand.us_on_china_level(date(2025, 4, 10)) == pytest.approx(1.45)
    assert hand.us_on_china_level(date(2025, 5, 14)) == pytest.approx(0.30)
    assert hand.us_on_china_level(date(2025, 1, 1)) == 0.0
    c26 = ICIO_GOODS.index("C26")
    assert hand.china_on_usa_level(date(2025, 4, 10))[c26] == pytest.approx(0.84)
    assert hand.china_on_usa_level(date(2025, 4, 12))[c26] == pytest.approx(1.25)
    assert hand.china_on_usa_level(date(2025, 5, 14))[c26] == pytest.approx(0.10)


def test_layer_references() -> None:
    assert parse_layer_reference("us-2025:2025-04-09") == ("us-2025", date(2025, 4, 9))
    assert parse_layer_reference("china-2025:latest") == ("china-2025", "latest")
    with pytest.raises(UnknownNameError, match="allowed: canada-2025, china-2025, us-2025, us-china-2025"):
        parse_layer_reference("eu-2025:2025-04-09")
    with pytest.raises(ValueError, match="not a valid date"):
        parse_layer_reference("us-2025:2025-13-40")


def test_sector_families() -> None:
    assert goods_mask(("A01", "SERV")).tolist() == [True, False]
    assert goods_mask(("W01", "W16")).tolist() == [True, False]
    assert goods_mask(("c16", "c17")).tolist() == [True, False]
    icio = set(ICIO_GOODS)
    assert set().union(*WIOD16_TO_ICIO.values()) == icio
    assert set().union(*WIOT35_TO_ICIO.values()) == icio
    rates = hand_layer_rates("china-2025", date(2025, 4, 12), ("W01", "W12", "W16"))
    assert rates[1] == pytest.approx(1.25) and rates[2] == 0.0


def test_schedule_levels_and_sectoral_profile(data_dir) -> None:
    schedule = us_tariff_schedule(data_dir)
    assert len(schedule.dates) == 23 and schedule.dates[0] == date(2025, 2, 4)
    k = schedule.partners.index("CHN")
    assert schedule.country_tariff_2024[k] == pytest.approx(0.1087, abs=1e-4)
    for partner in ("CHN", "VNM", "JPN", "EU27", "CAN"):
        weights = schedule.import_weights(partner)
        for day in ("2025-04-05", "2025-04-09", "2025-08-07"):
            rates = schedule.sectoral_increase(partner, day)
            level = schedule.country_level(partner, day)
            assert (weights * rates).sum() / weights.sum() == pytest.approx(level, rel=1e-9, abs=1e-12)
    assert schedule.country_level("CHN", date(2025, 1, 1)) == 0.0
    assert schedule.country_level("CHN", date(2025, 4, 10)) == schedule.country_level("CHN", "2025-04-09")
    assert schedule.country_level("DEU", "2025-08-07") == schedule.country_level("EU27", "2025-08-07")
    assert schedule.sectoral_increase("KAZ", "2025-08-07") is None  # not in country-by-time
    assert schedule.sectoral_tariff_2024("KAZ") is not None  # but in the HS2 files


def test_region_rates_are_import_weighted_means_with_gaps_noted(data_dir) -> None:
    schedule = us_tariff_schedule(data_dir)
    countries = ("USA", "CHN", "EU27", "ROW")
    assert region_members(countries, "EU27", schedule.universe())[:2] == ("AUT", "BEL")
    row = region_members(countries, "ROW", schedule.universe())
    assert "JPN" in row and "CHN" not in row and "DEU" not in row and "EU27" not in row
    blocs = ("EU27", "USMCA", "CPTPP11", "ASEAN", "CHN", "JPN", "ROW")
    assert "JPN" not in region_members(blocs, "CPTPP11", schedule.universe())
    assert "CAN" not in region_members(blocs, "CPTPP11", schedule.universe())
    eu = us_rates_on(schedule, countries, ("C26", "SERV"), "EU27", "2025-08-07")
    assert 0.05 < eu.rates[0] < 0.4 and eu.rates[1] == 0.0
    result = us_rates_on(schedule, countries, ("C26",), "ROW", "2025-04-05")
    assert result.notes and "counted as 0" in result.notes[0]


def test_tariffs_in_force_2025(data_dir) -> None:
    standin = make_standin(("USA", "CHN", "EU27", "JPN", "ROW"), SECTORS)
    economy = standin.economy
    inforce = tariffs_in_force_2025(economy, us_tariff_schedule(data_dir))
    tau = inforce.tariffs
    goods = goods_mask(SECTORS)
    assert (tau >= economy.tariffs - 1e-12).all()
    assert np.array_equal(tau[:, :, ~goods], economy.tariffs[:, :, ~goods])
    assert np.array_equal(tau[2:], economy.tariffs[2:])  # only the US and China change
    schedule = us_tariff_schedule(data_dir)
    chn_2024 = us_rates_on(schedule, economy.countries, SECTORS, "CHN", "2024").rates
    raised = np.maximum(economy.tariffs[0, 1, goods], chn_2024[goods])
    us_flows = economy.flows[0, 1, goods]
    # max(dataset, 2024 collected), then topped up uniformly to PIIE's statutory 20.8 % average
    top_up = max(0.0, 0.208 - (raised * us_flows).sum() / us_flows.sum())
    np.testing.assert_allclose(tau[0, 1, goods], raised + top_up)
    assert (tau[0, 1, goods] * us_flows).sum() / us_flows.sum() >= 0.208 - 1e-12
    flows = economy.flows[1, 0, goods]
    assert (tau[1, 0, goods] * flows).sum() / flows.sum() == pytest.approx(0.212)
    assert any("China on US goods raised" in n for n in inforce.notes)
