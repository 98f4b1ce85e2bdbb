"""The tariff algebra: each function against its definition on a small array (synthetic
arrays: these are unit tests of pure array functions)."""

from __future__ import annotations

import numpy as np
import pytest

from tradewar.errors import UnknownCountryError, UnknownSectorError, UserInputError
from tradewar.scenario import (
    add_points,
    agree,
    economy_mask,
    expand_name,
    first_invalid,
    mirror,
    select_economies,
    select_sectors,
    set_rates,
)

COUNTRIES = ("USA", "CHN", "DEU", "FRA", "JPN")
SECTORS = ("A01", "C26", "SERV")
RNG = np.random.default_rng(3)
TAU = RNG.uniform(0.0, 0.2, size=(5, 5, 3))


def test_select_economies_codes_blocs_all() -> None:
    assert select_economies(COUNTRIES, "CHN").tolist() == [1]
    assert select_economies(COUNTRIES, ["JPN", "EU27", "DEU"]).tolist() == [4, 3, 2]  # bloc order, once
    assert select_economies(COUNTRIES, "ALL").tolist() == [0, 1, 2, 3, 4]
    assert economy_mask(COUNTRIES, "G7").tolist() == [True, False, True, True, True]
    eu = expand_name(COUNTRIES, "EU27")
    assert eu is not None and eu.kind == "bloc" and "ITA" in eu.absent
    assert expand_name(COUNTRIES, "ASEAN") is None  # no member present
    with pytest.raises(UnknownCountryError, match="allies.*allowed: .*EU27"):
        select_economies(COUNTRIES, ["USA", "XXX"], where="allies")


def test_select_sectors() -> None:
    assert select_sectors(SECTORS, "all").tolist() == [True, True, True]
    assert select_sectors(SECTORS, None).tolist() == [True, True, True]
    assert select_sectors(SECTORS, "goods").tolist() == [True, True, False]
    assert select_sectors(SECTORS, ["C26"]).tolist() == [False, True, False]
    assert select_sectors(SECTORS, "A01, SERV").tolist() == [True, False, True]
    assert select_sectors(SECTORS, np.array([False, True, False])).tolist() == [False, True, False]
    with pytest.raises(UnknownSectorError, match="C99.*allowed"):
        select_sectors(SECTORS, ["C99"])
    with pytest.raises(UserInputError, match="selects no sector"):
        select_sectors(SECTORS, np.zeros(3, dtype=bool))
    with pytest.raises(UserInputError, match="only services"):
        select_sectors(("SERV",), "goods")


def test_add_and_set_leave_the_diagonal_and_inputs_alone() -> None:
    before = TAU.copy()
    goods = select_sectors(SECTORS, "goods")
    out = add_points(TAU, [0, 1], [0, 1, 2], goods, 0.5)
    assert np.array_equal(TAU, before)  # pure
    expected = TAU.copy()
    for m in (0, 1):
        for e in (0, 1, 2):
            if m != e:
                expected[m, e, :2] += 0.5
    assert np.array_equal(out, expected)
    assert np.array_equal(add_points(TAU, 0, 1, goods, 0.5), add_points(TAU, [0], [1], goods, 0.5))
    per_exporter = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])  # (E, J)
    out = set_rates(TAU, [0], [1, 2], goods, per_exporter[None])
    assert out[0, 1].tolist() == [0.1, 0.2, TAU[0, 1, 2]]
    assert out[0, 2].tolist() == [0.4, 0.5, TAU[0, 2, 2]]


def test_mirror_answers_with_the_same_points_on_the_selected_sectors() -> None:
    goods = select_sectors(SECTORS, "goods")
    after = add_points(TAU, [0], [1], select_sectors(SECTORS, "all"), 1.45)
    changes = np.where(np.arange(5)[:, None, None] == 0, after - TAU, 0.0)
    out = mirror(after, changes, goods)
    assert np.allclose(out[1, 0], TAU[1, 0] + np.array([1.45, 1.45, 0.0]), atol=1e-15)
    untouched = np.ones((5, 5), dtype=bool)
    untouched[1, 0] = False
    assert np.array_equal(out[untouched], after[untouched])
    # decreases are mirrored too
    cut = set_rates(TAU, [0], [1], goods, 0.0)
    out = mirror(cut, cut - TAU, goods)
    assert np.allclose(out[1, 0, :2], TAU[1, 0, :2] - TAU[0, 1, :2], atol=1e-15)


def test_agree_and_first_invalid() -> None:
    out = agree(TAU, [2, 3])
    assert out[2, 3].tolist() == [0, 0, 0] and out[3, 2].tolist() == [0, 0, 0]
    assert np.array_equal(out[2, 2], TAU[2, 2])  # the diagonal is not a tariff
    assert first_invalid(TAU) is None
    bad = TAU.copy()
    bad[3, 1, 2] = -1.0
    bad[4, 0, 0] = np.nan
    assert first_invalid(bad) == (3, 1, 2)
    assert first_invalid(bad, [4, 3]) == (4, 0, 0)  # in the order given
    assert first_invalid(bad, sectors=select_sectors(SECTORS, "goods")) == (4, 0, 0)
