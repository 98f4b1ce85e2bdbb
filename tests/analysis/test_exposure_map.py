"""The map of one year (tradewar.analysis.exposure_map): every economy's exposure to one partner
and the partner's to each, on real baselines. Its row of a pair is the time series' row of that
year (one concept, one place: both from the same formulas), and the shares are finite and ≥ 0."""

from __future__ import annotations

import numpy as np
import pytest

from tradewar.analysis import EXPOSURE_COLUMNS, exposure_map, exposure_series
from tradewar.data import load_baseline
from tradewar.errors import UnknownCountryError

MEASURES = ("gross_exports_pct_gdp", "value_added_absorbed_pct_gdp",
            "partner_share_of_exports_pct")


@pytest.mark.parametrize(("dataset", "year", "partner"), [("icio", 2022, "USA"),
                                                           ("wiod", 2005, "CHN")])
def test_the_map_of_a_year_equals_the_series_of_each_pair(dataset: str, year: int,
                                                          partner: str) -> None:
    baseline = load_baseline(dataset, year, "IS")
    rows = exposure_map(baseline, partner).tables()["exposure"]
    others = [c for c in baseline.countries if c != partner]
    assert list(rows.columns) == list(EXPOSURE_COLUMNS)
    # both directions, every other economy once each, nothing else
    assert list(rows.exporter[: len(others)]) == others
    assert set(rows.partner[: len(others)]) == {partner}
    assert set(rows.exporter[len(others):]) == {partner}
    assert list(rows.partner[len(others):]) == others and len(rows) == 2 * len(others)
    assert set(rows.year) == {year} and set(rows.dataset) == {dataset}
    values = rows[list(MEASURES)].to_numpy(dtype=float)
    assert np.isfinite(values).all() and (values >= 0).all()
    # identity with the time series (a different code path: one pair, no table) for that year
    loader = lambda ds, yr: load_baseline(ds, yr, "IS")  # noqa: E731
    for exporter, other in [("CHN" if partner != "CHN" else "USA", partner),
                            (partner, "DEU"), ("MEX", partner)]:
        (series,) = exposure_series(exporter, other, [year], datasets=(dataset,),
                                    loader=loader).to_dict("records")
        (row,) = rows[(rows.exporter == exporter) & (rows.partner == other)].to_dict("records")
        for key in MEASURES:
            assert row[key] == pytest.approx(series[key], rel=1e-12), (exporter, other, key)


def test_the_map_json_is_the_table() -> None:
    result = exposure_map(load_baseline("wiod", 2014, "IS"), "USA")
    rows = result.to_json()["rows"]
    table = result.tables()["exposure"]
    assert len(rows) == len(table) and rows[0]["year"] == 2014 and rows[0]["partner"] == "USA"
    assert [r["value_added_absorbed_pct_gdp"] for r in rows] == list(
        table.value_added_absorbed_pct_gdp)


def test_an_unknown_partner_names_the_choices() -> None:
    with pytest.raises(UnknownCountryError, match="'XYZ'.*allowed"):
        exposure_map(load_baseline("wiod", 2014, "IS"), "XYZ")


@pytest.mark.parametrize(("args", "words"), [
    (["--map"], "--map needs --partner"),
    (["CHN", "--partner", "USA", "--map"], "an exporter argument does not combine"),
    (["--partner", "USA", "--years", "2000-2022", "--map"], "--years does not combine"),
    (["--partner", "XYZ", "--map"], "unknown country 'XYZ'"),
    (["--partner", "USA", "--dataset", "icio", "--year", "2005", "--map"], "allowed: 2011, 2012"),
])
def test_the_clis_map_refuses_bad_input_with_exit_2(args: list[str], words: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from tradewar.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["exposure", *args])
    out = capsys.readouterr()
    assert stop.value.code == 2, out
    text = " ".join((out.out + out.err).split())
    assert words in text and "Traceback" not in text
