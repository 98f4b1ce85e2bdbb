"""The ``exposure`` job kind through the API: the rows of tradewar.analysis for one baseline,
and field-level refusals (the browser test covers the series and the page)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tradewar.analysis import exposure_table
from tradewar.data import load_baseline

from .conftest import assert_refused, cli_json, finished


def test_one_baseline_gives_the_analysis_rows(client: TestClient, data_dir) -> None:
    job = finished(client, {"kind": "exposure", "exporter": "USA", "dataset": "wiod",
                            "year": 2014})
    assert job["status"] == "done", job
    rows = job["result"]["rows"]
    table = exposure_table(load_baseline("wiod", 2014, "IS", data_dir=data_dir))
    expected = table[table.exporter == "USA"]
    assert len(rows) == len(expected) > 10 and job["result"]["columns"][:2] == ["exporter",
                                                                                "partner"]
    by_partner = {r["partner"]: r for r in rows}
    for _, ref in expected.iterrows():
        got = by_partner[ref.partner]
        assert got["dataset"] == "wiod" and got["year"] == 2014
        # the worker runs one BLAS thread, this process several: the Leontief inverse sums in
        # another order, so equal to rounding (1e-12 relative), not bit for bit
        assert got["value_added_absorbed_pct_gdp"] == pytest.approx(
            ref.value_added_absorbed_pct_gdp, rel=1e-12)
        assert got["gross_exports_pct_gdp"] == pytest.approx(ref.gross_exports_pct_gdp, rel=1e-12)


@pytest.mark.parametrize(("body", "loc", "words"), [
    ({"partner": "USA", "exporter": "USA"}, ["body", "partner"], "to itself"),
    ({"years": [2010]}, ["body", "years"], "needs both exporter and partner"),
    ({"exporter": "CHN", "partner": "USA", "years": [1990]}, ["body", "years", 0], "greater"),
    ({"dataset": "wiod", "year": 2020}, ["body", "year"], "allowed: 2000-2014"),
    ({"exporter": "chn"}, ["body", "exporter"], "pattern"),
    ({"exporter": "CHN", "sectors": "all"}, ["body", "sectors"], "Extra inputs"),
    ({"partner": "USA", "map_year": 1999}, ["body", "map_year"], "allowed: 2000-2022"),
    ({"partner": "USA", "map_year": 2023}, ["body", "map_year"], "allowed: 2000-2022"),
    ({"exporter": "CHN", "map_year": 2010}, ["body", "map_year"], "needs partner"),
])
def test_invalid_exposure_requests_are_422(client: TestClient, body, loc, words) -> None:
    assert_refused(client, {"kind": "exposure", **body}, loc, words)


def test_an_economy_the_baseline_lacks_fails_the_job_at_its_field(client: TestClient) -> None:
    job = finished(client, {"kind": "exposure", "exporter": "XYZ", "partner": "USA"})
    assert job["status"] == "failed" and job["error"]["status"] == 422
    (error,) = job["error"]["detail"]
    assert error["loc"] == ["body", "exporter"] and "unknown country 'XYZ'" in error["msg"]


def test_the_map_of_a_series_is_the_clis_map_of_its_last_year(client: TestClient,
                                                               data_dir) -> None:
    """A series 2012-2014 of CHN → USA: its map is of 2014 (the last year) on icio (the
    default dataset covers it), and its rows are ``tradewar exposure --partner USA --year 2014
    --map --json``'s; the map's CHN → USA row is the series' icio 2014 row."""
    job = finished(client, {"kind": "exposure", "exporter": "CHN", "partner": "USA",
                            "years": [2012, 2013, 2014]})
    assert job["status"] == "done", job
    result = job["result"]
    mapped = result["map"]
    assert (mapped["partner"], mapped["year"], mapped["dataset"]) == ("USA", 2014, "icio")
    want = cli_json("exposure", "--partner", "USA", "--dataset", "icio", "--year", "2014",
                    "--map", "--data-dir", str(data_dir))
    assert [(r["exporter"], r["partner"]) for r in mapped["rows"]] == [
        (r["exporter"], r["partner"]) for r in want["rows"]] and len(want["rows"]) > 100
    for got, ref in zip(mapped["rows"], want["rows"], strict=True):
        assert got["year"] == ref["year"] == 2014 and got["dataset"] == ref["dataset"]
        for key in ("gross_exports_pct_gdp", "value_added_absorbed_pct_gdp",
                    "partner_share_of_exports_pct"):  # one BLAS thread in the worker: 1e-12
            assert got[key] == pytest.approx(ref[key], rel=1e-12)
    (series_row,) = [r for r in result["rows"] if r["dataset"] == "icio" and r["year"] == 2014
                     and r["exporter"] == "CHN"]
    (map_row,) = [r for r in mapped["rows"] if r["exporter"] == "CHN"]
    assert map_row["value_added_absorbed_pct_gdp"] == pytest.approx(
        series_row["value_added_absorbed_pct_gdp"], rel=1e-12)


def test_a_chosen_map_year_outside_the_dataset_takes_the_one_that_covers_it(
        client: TestClient) -> None:
    job = finished(client, {"kind": "exposure", "partner": "USA", "dataset": "icio",
                            "map_year": 2003})
    assert job["status"] == "done", job
    assert (job["result"]["map"]["year"], job["result"]["map"]["dataset"]) == (2003, "wiod")
