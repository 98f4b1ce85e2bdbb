"""Sectors in one module: every dataset's sector codes have a human-readable name, goods and
services are split as the concordance says, and the concordances cover the ICIO goods."""

from __future__ import annotations

import pytest

from tradewar.data import (
    ICIO_GOODS,
    WIOD16_TO_ICIO,
    WIOT35_TO_ICIO,
    goods_mask,
    load_baseline,
    sector_labels,
)
from tradewar.data._sectors import ICIO28_CODES, WIOD35_CODES, read_wiod16_groups


@pytest.mark.parametrize("codes", [
    ICIO_GOODS + ("SERV",),
    tuple(read_wiod16_groups()["code"]),
    WIOD35_CODES,
], ids=["icio", "wiod", "wiot2011"])
def test_every_dataset_code_has_a_name(codes) -> None:
    labels = sector_labels(codes)
    assert list(labels) == list(codes)
    assert all(labels[c] and labels[c] != c for c in codes), [c for c in codes if labels[c] == c]


def test_names_follow_the_sources() -> None:
    labels = sector_labels(["C26", "C29", "SERV", "c14", "W12", "MY_OWN"])
    assert labels["C26"] == "Computer, electronic and optical equipment"  # OECD ICIO 2023
    assert labels["C29"] == "Motor vehicles, trailers and semi-trailers"
    assert labels["c14"] == "30t33 Electrical and optical equipment"  # WIOD 2013 release
    assert "C26-C27" in labels["W12"]  # the WIOD 2016 column named by its flows
    assert labels["MY_OWN"] == "MY_OWN"  # an unknown code is named by itself, never an error


def test_goods_and_concordances() -> None:
    assert ICIO28_CODES[:-1] == ICIO_GOODS and len(ICIO_GOODS) == 27
    assert goods_mask(ICIO_GOODS + ("SERV",)).tolist() == [True] * 27 + [False]
    assert goods_mask(tuple(f"c{k}" for k in range(1, 36))).sum() == 16
    assert goods_mask(tuple(read_wiod16_groups()["code"])).sum() == 15
    assert set().union(*WIOD16_TO_ICIO.values()) == set(ICIO_GOODS)
    assert set().union(*WIOT35_TO_ICIO.values()) == set(ICIO_GOODS)


def test_a_real_baseline_has_a_name_for_every_sector() -> None:
    baseline = load_baseline("icio", 2022, "IS")
    labels = sector_labels(baseline.economy.sectors)
    assert all(labels[s] != s for s in baseline.economy.sectors)
    assert labels == {s: baseline.sector_labels[s] for s in baseline.economy.sectors}
