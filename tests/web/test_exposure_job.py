"""The ``exposure`` job kind through the API: the rows of tradewar.analysis for one baseline,
and field-level refusals (the browser test covers the series and the page)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tradewar.analysis import exposure_table
from tradewar.data import load_baseline

from .conftest import assert_refused, finished


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
])
def test_invalid_exposure_requests_are_422(client: TestClient, body, loc, words) -> None:
    assert_refused(client, {"kind": "exposure", **body}, loc, words)


def test_an_economy_the_baseline_lacks_fails_the_job_at_its_field(client: TestClient) -> None:
    job = finished(client, {"kind": "exposure", "exporter": "XYZ", "partner": "USA"})
    assert job["status"] == "failed" and job["error"]["status"] == 422
    (error,) = job["error"]["detail"]
    assert error["loc"] == ["body", "exporter"] and "unknown country 'XYZ'" in error["msg"]
