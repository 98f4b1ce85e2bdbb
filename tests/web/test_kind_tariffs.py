"""The ``tariffs`` job kind (tariffs in force): through the API (exactly what ``tradewar tariffs
… --json`` prints, field-level refusals) and in the real browser (the chart of the US average and
US <-> China drawn, the table equal to the API's JSON and the CLI's, sector names beside codes,
invalid entries marked)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tradewar.data import in_force_dates, sector_labels

from .conftest import (
    IMG_DIR,
    ROWS_JS,
    TIMEOUT,
    Session,
    assert_refused,
    cli_json,
    finished,
    finished_on,
)

#: The view as the test sees it (docs/web.md shows it).
SCREENSHOT = IMG_DIR / "web-tariffs.png"
BODY: dict[str, Any] = {"kind": "tariffs", "importer": "USA", "exporter": "CHN", "series": True}


def tariffs_json(*argv: str) -> dict[str, Any]:
    """What ``tradewar tariffs ARGV --json`` prints."""
    return cli_json("tariffs", *argv)  # type: ignore[no-any-return]


def ask(page: Any, importer: str, exporter: str, date: str, *, series: bool,
        by_sector: bool) -> None:
    """Fill the tariffs form and press its button."""
    page.select_option("#tariffs-importer", importer)
    page.fill("#tariffs-exporter", exporter)
    page.fill("#tariffs-date", date)
    page.set_checked("#tariffs-series", series)
    page.set_checked("#tariffs-by-sector", by_sector)
    page.click("#run-tariffs")


def without_extras(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k not in ("sector_labels", "chart")}


@pytest.mark.parametrize(("body", "argv"), [
    ({"series": True}, ("USA", "CHN", "--series")),
    ({"series": True, "date": "2025-05-14"}, ("USA", "CHN", "--series", "--date", "2025-05-14")),
    ({"date": "2025-04-11", "by_sector": True}, ("USA", "CHN", "--date", "2025-04-11", "--by-sector")),
    ({"importer": "CHN", "exporter": "USA", "series": True, "without": ["china-waiver-2025"]},
     ("CHN", "USA", "--series", "--without", "china-waiver-2025")),
    ({"exporter": "WORLD", "series": True, "dating": "tracker"},
     ("USA", "WORLD", "--series", "--dating", "tracker")),
    ({"importer": "CAN", "exporter": "USA", "date": "2030-01-01"}, ("CAN", "USA", "--date", "2030-01-01")),
])
def test_the_job_returns_what_the_cli_prints(client: TestClient, body, argv) -> None:
    job = finished(client, {**BODY, "series": False, **body})
    assert job["status"] == "done", job
    got = job["result"]
    assert without_extras(got) == tariffs_json(*argv)  # the same rows, notes and sources
    assert list(got["rows"][0])[:6] == ["date", "importer", "exporter", "sector", "rate_pct",
                                        "weights"]
    goods = [r for r in got["rows"] if r["sector"] == "goods"]
    for row in got["rows"]:  # rate in force = the rate of 2025-01-01 + the points added since
        assert row["rate_pct"] == pytest.approx(row["start_pct"] + row["increase_pct"], abs=1e-9)
    if body.get("by_sector"):
        sectors = [r for r in got["rows"] if r["sector"] != "goods"]
        assert len(sectors) == 27
        total = sum(r["weights_musd"] for r in sectors)  # the total is the import-weighted mean
        assert goods[0]["rate_pct"] == pytest.approx(
            sum(r["rate_pct"] * r["weights_musd"] for r in sectors) / total, rel=1e-12)
        assert got["sector_labels"]["C26"] == sector_labels(("C26",))["C26"] != "C26"
    if body.get("series"):
        assert [r["date"] for r in goods][0] == "2025-01-01" and len(goods) > 5
        if "date" in body:  # the steps up to the date asked, the last one on it or before
            assert max(r["date"] for r in goods) <= body["date"] < max(
                d.isoformat() for d in in_force_dates("USA"))
    if body.get("date") == "2030-01-01":  # after the data: the last step's rates, with a note
        assert goods[0]["date"] <= max(d.isoformat() for d in in_force_dates())
        assert any("after the last dated step" in n for n in got["notes"])


def test_the_chart_rows_are_the_cli_chart_series(client: TestClient) -> None:
    job = finished(client, {**BODY, "chart": True})
    assert job["status"] == "done", job
    rows = job["result"]["chart"]["rows"]
    days = ["2025-01-01", *[d.isoformat() for d in in_force_dates()]]
    pairs = [("USA", "WORLD"), ("USA", "CHN"), ("CHN", "USA")]
    for importer, exporter in pairs:
        mine = [r for r in rows if (r["importer"], r["exporter"]) == (importer, exporter)]
        assert len(mine) == len(days) and all(r["sector"] == "goods" for r in mine)
        # each requested day gives the rates of the last step of that layer on or before it
        for row, day in zip(mine, days, strict=True):
            assert row["date"] <= day
    # the US on China at its latest date equals `tradewar tariffs USA CHN --json` (latest)
    latest = tariffs_json("USA", "CHN")["rows"][0]
    assert [r for r in rows if (r["importer"], r["exporter"]) == ("USA", "CHN")][-1] == latest


@pytest.mark.parametrize(("body", "loc", "words"), [
    ({"date": "2024-12-31"}, ["body", "date"], "is before 2025-01-01"),
    ({"date": "April 2025"}, ["body", "date"], "is not a date; use YYYY-MM-DD"),
    ({"importer": "XYZ"}, ["body", "importer"], "'USA', 'CHN' or 'CAN'"),
    ({"dating": "announced"}, ["body", "dating"], "'effective' or 'tracker'"),
    ({"without": ["us-everything"]}, ["body", "without", 0], "'us-electronics-2025'"),
    ({"without": ["china-waiver-2025", "china-waiver-2025"]}, ["body", "without"], "listed twice"),
    ({"exporter": "../etc"}, ["body", "exporter"], "pattern"),
    ({"series": "yes"}, ["body", "series"], "valid boolean"),
])
def test_invalid_tariffs_requests_are_422(client: TestClient, body, loc, words) -> None:
    assert_refused(client, {**BODY, **body}, loc, words)


def test_a_partner_the_layer_does_not_cover_fails_at_its_field(client: TestClient) -> None:
    job = finished(client, {**BODY, "importer": "CHN", "exporter": "JPN"})
    assert job["status"] == "failed" and job["error"]["status"] == 422, job
    (error,) = job["error"]["detail"]
    assert error["loc"] == ["body", "exporter"]
    assert "exporter for importer CHN" in error["msg"] and "allowed: USA" in error["msg"]


@pytest.mark.slow
def test_tariffs_page_draws_the_series_and_the_table(session: Session, live_server) -> None:
    """The page: the job, the chart of the US average and US <-> China (percent on the axis),
    the table equal to the API's and the CLI's JSON, sector names beside codes; invalid entries
    show the server's message at their field; nothing leaves localhost."""
    page = session.open()
    ask(page, "USA", "CHN", "latest", series=True, by_sector=False)
    page.locator("#tariffs-view").wait_for(state="visible", timeout=TIMEOUT)
    page.locator("#tariffs-chart .main-svg").first.wait_for(timeout=TIMEOUT)
    names = page.eval_on_selector_all("#tariffs-chart .legendtext", "ns => ns.map(n => n.textContent)")
    assert names == ["US on the world (import-weighted)", "US on China", "China on the US"]
    assert page.locator("#tariffs-chart .scatterlayer .trace").count() == 3
    assert "%" in page.text_content("#tariffs-chart .ytitle")
    assert "date" in page.text_content("#tariffs-chart .xtitle")
    assert "US on China: " in page.text_content("#tariffs-summary")
    rows = page.eval_on_selector_all("#tariffs-table tbody tr", ROWS_JS)
    api = finished_on(live_server.url, {**BODY, "chart": True})["result"]
    cli = tariffs_json("USA", "CHN", "--series")
    assert len(rows) == len(api["rows"]) == len(cli["rows"])
    for shown, row, printed in zip(rows, api["rows"], cli["rows"], strict=True):
        assert shown["date"] == row["date"] == printed["date"]
        for key in ("rate_pct", "increase_pct", "weights_musd"):
            assert float(shown[key]) == row[key] == printed[key]

    ask(page, "USA", "CHN", "2025-04-11", series=False, by_sector=True)  # names beside codes, bars
    page.locator("#tariffs-sectors .main-svg").first.wait_for(timeout=TIMEOUT)
    page.locator("#tariffs-table tbody tr").nth(27).wait_for(timeout=TIMEOUT)
    table = page.text_content("#tariffs-table")
    assert f"C26 {sector_labels(('C26',))['C26']}" in table
    assert "%" in page.text_content("#tariffs-sectors .xtitle")
    rows = page.eval_on_selector_all("#tariffs-table tbody tr", ROWS_JS)
    printed = tariffs_json("USA", "CHN", "--date", "2025-04-11", "--by-sector")["rows"]
    assert [float(r["rate_pct"]) for r in rows] == [r["rate_pct"] for r in printed]
    page.locator("#tariffs-view").screenshot(path=str(SCREENSHOT))  # docs/img

    session.invalid_entry("#tariffs-date", "2024-12-31", "#run-tariffs", "is before 2025-01-01")
    page.fill("#tariffs-date", "latest")  # a partner the layer lacks: the job fails at its field
    session.invalid_entry("#tariffs-exporter", "XYZ", "#run-tariffs",
                          "unknown exporter for importer USA 'XYZ'")
    session.assert_offline()  # the 422 of the invalid date is on purpose


@pytest.mark.slow
def test_the_tariffs_view_is_shared_by_its_url(chromium, live_server) -> None:
    """The form's state goes to the URL; opening it in a new browser context runs the same
    request and shows the same table."""
    first = Session(chromium, live_server.url)
    try:
        page = first.open()
        ask(page, "CHN", "USA", "2025-05-14", series=False, by_sector=True)
        page.locator("#tariffs-table tbody tr").nth(27).wait_for(timeout=TIMEOUT)
        shown = page.eval_on_selector_all("#tariffs-table tbody tr", ROWS_JS)
        url = page.url
        assert "run=run-tariffs" in url and "tariffs-importer=CHN" in url
    finally:
        first.close()
    first.assert_offline(expected_errors=())
    again = Session(chromium, live_server.url)
    try:
        page = again.page
        page.goto(url, wait_until="load")
        page.locator("#tariffs-title", has_text="China on the US").wait_for(timeout=TIMEOUT)
        page.locator("#tariffs-table tbody tr").nth(27).wait_for(timeout=TIMEOUT)
        assert page.input_value("#tariffs-date") == "2025-05-14"
        assert page.eval_on_selector_all("#tariffs-table tbody tr", ROWS_JS) == shown
    finally:
        again.close()
    again.assert_offline(expected_errors=())
