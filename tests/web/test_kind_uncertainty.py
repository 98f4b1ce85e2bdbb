"""The ``uncertainty`` job kind ("How sure are we?"): through the API (the JSON of
tradewar.analysis.sweep, equal to ``tradewar sweep --json`` for a built-in and for a scenario
file equal to the inline scenario; field-level refusals; the draws ceiling) and in the real
browser (the bars with their bands drawn, the table equal to the API's and the CLI's JSON, an
invalid entry's message, no request leaving localhost)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from tradewar.analysis import sweep
from tradewar.data import load_baseline
from tradewar.scenario import Scenario, builtin_scenario
from tradewar.web._kind_uncertainty import MAX_WEB_DRAWS

from .conftest import (
    IMG_DIR,
    ROWS_JS,
    TIMEOUT,
    Session,
    assert_refused,
    cli_json,
    close,
    finished,
    finished_on,
)

#: The view as the test sees it (docs/web.md shows it).
SCREENSHOT = IMG_DIR / "web-uncertainty.png"
DRAWS = 6  # small: the 8 published sets + 6 draws on g14 take about a second
BODY: dict[str, Any] = {"kind": "uncertainty", "scenario": "us-china-april-11", "draws": DRAWS}
INLINE: dict[str, Any] = {"name": "usa-mex-25",
                          "tariff": [{"importer": "USA", "exporter": "MEX", "add": 0.25}]}
INLINE_TOML = 'name = "usa-mex-25"\n[[tariff]]\nimporter = "USA"\nexporter = "MEX"\nadd = 0.25\n'


def without_timing(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON without the seconds it took (the rest must be equal)."""
    return {**data, "solver": {k: v for k, v in data["solver"].items() if k != "seconds"}}


def sweep_json(*args: str) -> dict[str, Any]:
    """What ``tradewar sweep ARGS --json --checkpoint none`` prints."""
    return cli_json("sweep", *args, "--checkpoint", "none")  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def cli_reference() -> dict[str, Any]:
    return sweep_json("us-china-april-11", "--draws", str(DRAWS))


def check_bands(data: dict[str, Any]) -> None:
    """What must hold of any sweep: min <= 5 % <= median <= 95 % <= max, every run counted, and
    the central value is the value under the baseline's own published set."""
    counts = data["counts"]
    assert counts["total"] == counts["published"] + counts["random"]
    central = data["baseline"]["elasticity"]
    for name, entry in data["summary"]["welfare_pct"].items():
        assert entry["n"] == counts["total"] - counts["failed"]
        assert entry["min"] <= entry["p05"] <= entry["median"] <= entry["p95"] <= entry["max"]
        assert entry["central"] == data["published"][central][f"welfare_pct.{name}"]


def test_the_job_returns_the_sweep_json_as_the_cli(client: TestClient, data_dir,
                                                   cli_reference) -> None:
    job = finished(client, BODY)
    assert job["status"] == "done", job
    got = job["result"]
    again = client.post("/api/jobs", json=BODY).json()  # the same request: the server's cache
    assert again["status"] == "done" and again["cached"] is True and again["result"] == got
    assert got["what"] == "us-china-april-11" and got["kind"] == "scenario"
    assert got["counts"] == {"published": 8, "random": DRAWS, "total": 8 + DRAWS, "failed": 0}
    assert got["baseline"]["regions"] == "g14"  # the CLI's default for sweeps
    check_bands(got)
    # the same numbers as `tradewar sweep us-china-april-11 --draws 6 --json` and as Python
    close(without_timing(got), without_timing(cli_reference))
    baseline = load_baseline("icio", 2022, "IS", regions="g14", data_dir=data_dir)
    python = sweep(baseline, builtin_scenario("us-china-april-11"), draws=DRAWS, workers=1,
                   checkpoint_dir=None)
    close(without_timing(got), without_timing(python.to_json()))
    # the draws move the result: the band is not a point
    usa = got["summary"]["welfare_pct"]["USA"]
    assert usa["p05"] < usa["p95"]


def test_an_inline_scenario_equals_the_same_scenario_file(client: TestClient, tmp_path) -> None:
    body = {"kind": "uncertainty", "scenario": INLINE, "draws": 2, "elasticities": ["CP", "IS"],
            "seed": 7, "sigma": 0.1}
    job = finished(client, body)
    assert job["status"] == "done", job
    got = job["result"]
    assert got["what"] == "usa-mex-25" and got["distribution"]["sets"] == ["CP", "IS"]
    assert got["distribution"]["seed"] == 7 and got["distribution"]["sigma"] == 0.1
    assert set(got["summary"]["trade_pct"]) == {"USA->MEX", "MEX->USA"}
    check_bands(got)
    toml = tmp_path / "usa-mex-25.toml"
    toml.write_text(INLINE_TOML)
    want = sweep_json(str(toml), "--draws", "2", "--elasticities", "CP,IS", "--seed", "7",
                    "--sigma", "0.1")
    close(without_timing(got), without_timing(want))
    assert Scenario.model_validate(INLINE).name == got["what"]


def test_no_draws_is_the_range_across_the_published_sets(client: TestClient) -> None:
    job = finished(client, {**BODY, "draws": 0})
    assert job["status"] == "done", job
    got = job["result"]
    assert got["counts"] == {"published": 8, "random": 0, "total": 8, "failed": 0}
    check_bands(got)
    for name, entry in got["summary"]["welfare_pct"].items():
        values = [got["published"][s][f"welfare_pct.{name}"] for s in got["distribution"]["sets"]]
        assert entry["min"] == min(values) and entry["max"] == max(values)


@pytest.mark.parametrize(("body", "loc", "words"), [
    ({"draws": MAX_WEB_DRAWS + 1}, ["body", "draws"], "allowed: 0 to 1,000"),
    ({"draws": 5000}, ["body", "draws"], "5,000 draws; allowed: 0 to 1,000"),
    ({"draws": -1}, ["body", "draws"], "allowed: 0 to 1,000"),
    ({"draws": True}, ["body", "draws"], "valid integer"),
    ({"draws": 1.5}, ["body", "draws"], "valid integer"),
    ({"scenario": "no-such-war"}, ["body", "scenario"], "unknown built-in scenario 'no-such-war'"),
    ({"scenario": "../etc/passwd"}, ["body", "scenario"], "allowed: allied-front"),
    ({"elasticities": []}, ["body", "elasticities"], "at least 1"),
    ({"elasticities": ["IS", "IS"]}, ["body", "elasticities"], "listed twice"),
    ({"elasticities": ["XX"]}, ["body", "elasticities", 0], "'IS'"),
    ({"sigma": -0.1}, ["body", "sigma"], "allowed: a number from 0 to 1"),
    ({"sigma": 3.0}, ["body", "sigma"], "allowed: a number from 0 to 1"),
    ({"sigma": "0.3"}, ["body", "sigma"], "valid number"),
    ({"seed": -1}, ["body", "seed"], "allowed: an integer from 0"),
    ({"regions": "world"}, ["body", "regions"], "'g14' or 'blocs'"),
    ({"deficits": "given"}, ["body", "deficits"], "'fixed'"),
    ({"scenario": {**INLINE, "retaliation": "optimal"}, "draws": 201}, ["body", "draws"],
     "optimal retaliation (a best response is solved for every draw, 1-2 s each); allowed: 0 to 200"),
    ({"horizon": "short"}, ["body", "horizon"], "long-run) elasticity sets, as `tradewar sweep`"),
])
def test_invalid_uncertainty_requests_are_422(client: TestClient, body, loc, words) -> None:
    assert_refused(client, {**BODY, **body}, loc, words)


def test_a_country_the_baseline_lacks_fails_the_job_at_its_field(client: TestClient) -> None:
    bad = {**INLINE, "tariff": [{"importer": "USA", "exporter": "XXX", "add": 0.25}]}
    job = finished(client, {**BODY, "scenario": bad})
    assert job["status"] == "failed" and (job["error"] or {}).get("status") == 422, job
    (error,) = job["error"]["detail"]
    assert error["loc"][:2] == ["body", "scenario"] and "'XXX'" in error["msg"], error


def test_a_builtin_the_regions_merge_fails_at_regions(client: TestClient) -> None:
    job = finished(client, {**BODY, "scenario": "tpp", "regions": "blocs", "draws": 0})
    assert job["status"] == "failed" and (job["error"] or {}).get("status") == 422, job
    (error,) = job["error"]["detail"]
    assert error["loc"] == ["body", "regions"] and "cannot run on regions 'blocs'" in error["msg"]


def test_the_kind_runs_on_the_long_lane_with_a_longer_limit(client: TestClient) -> None:
    from tradewar.web import LONG_JOB, WebSettings
    from tradewar.web._kinds import JOB_KINDS

    kind = JOB_KINDS["uncertainty"]
    assert kind.priority == LONG_JOB
    assert kind.time_limit is not None and kind.time_limit > WebSettings().job_time_limit
    schema = client.get("/openapi.json").json()["components"]["schemas"]["UncertaintyJob"]
    assert schema["properties"]["draws"]["maximum"] == MAX_WEB_DRAWS


@pytest.mark.slow
def test_uncertainty_page_draws_the_bands(session: Session, live_server, cli_reference) -> None:
    page = session.open()
    page.select_option("#builtin", "us-china-april-11")
    page.locator("#uncertainty-sets input").nth(7).wait_for(state="attached", timeout=30_000)
    page.fill("#uncertainty-draws", str(DRAWS))
    page.click("#run-uncertainty")
    page.locator("#uncertainty-view").wait_for(state="visible", timeout=TIMEOUT)
    # the chart: the central bars and the band as a second bar trace, one bar per economy
    traces = page.locator("#uncertainty-bars .barlayer .trace")
    traces.nth(1).wait_for(timeout=TIMEOUT)
    assert traces.count() == 2
    assert page.locator("#uncertainty-bars .barlayer .trace").nth(1).locator("path").count() == 14
    assert page.locator("#uncertainty-bars .scatterlayer .trace .point").count() == 14  # medians
    assert "% of real income" in page.text_content("#uncertainty-bars .ytitle")
    legend = page.text_content("#uncertainty-bars .legend")
    assert "5–95 % band" in legend and "central (IS set)" in legend
    summary = page.text_content("#uncertainty-summary")
    assert "between" in summary and "5–95 % band of 14 converged runs" in summary, summary
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOT))  # the page as a reader sees it: reading, bands, table

    rows = {r["country"]: r for r in page.eval_on_selector_all("#uncertainty-table tbody tr", ROWS_JS)}
    api = finished_on(live_server.url, BODY)["result"]
    assert set(rows) == set(api["summary"]["welfare_pct"])
    loser = min(rows, key=lambda c: api["summary"]["welfare_pct"][c]["central"])
    assert summary.startswith(loser + " "), summary
    for source in (api, cli_reference):  # the page's job may have run in another worker
        for country, row in rows.items():
            want = source["summary"]["welfare_pct"][country]
            for key in ("central", "median", "p05", "p95", "min", "max"):
                assert float(row[key]) == pytest.approx(want[key], rel=1e-10, abs=1e-12), (country, key)
            assert int(row["n"]) == want["n"]
    trade = {r["country"]: r for r in page.eval_on_selector_all("#uncertainty-trade tbody tr", ROWS_JS)}
    assert float(trade["USA → CHN"]["p05"]) == pytest.approx(
        api["summary"]["trade_pct"]["USA->CHN"]["p05"], rel=1e-10)

    download = page.get_attribute("#uncertainty-json", "href") or ""
    prefix = "data:application/json;charset=utf-8,"
    assert download.startswith(prefix) and page.get_attribute(
        "#uncertainty-json", "download") == "uncertainty-us-china-april-11.json"
    assert json.loads(unquote(download.removeprefix(prefix))) == api  # the file: the job's JSON
    shared = page.url  # the state in the URL: the button, this form's fields, the scenario
    assert "run=run-uncertainty" in shared and f"uncertainty-draws={DRAWS}" in shared, shared
    assert "uncertainty-set-LL=1" in shared and "builtin=us-china-april-11" in shared, shared

    # a long sweep shows its progress and is cancelled (1,008 solves on the 81 economies)
    page.fill("#uncertainty-draws", str(MAX_WEB_DRAWS))
    page.select_option("#uncertainty-regions", "")
    page.click("#run-uncertainty")
    page.locator("#progress-text", has_text="solves in").wait_for(timeout=TIMEOUT)
    page.click("#cancel")
    page.locator("#errors", has_text="cancelled").wait_for(timeout=TIMEOUT)
    assert page.is_hidden("#progress")
    page.select_option("#uncertainty-regions", "g14")

    # invalid entries: the server's message, the field marked; the last good view stays
    page.fill("#uncertainty-draws", "5000")
    page.click("#run-uncertainty")
    page.locator("#errors", has_text="5,000 draws; allowed: 0 to 1,000").wait_for(timeout=TIMEOUT)
    assert "invalid" in (page.get_attribute("#uncertainty-draws", "class") or "")
    page.fill("#uncertainty-draws", "0")  # the published sets only: valid
    page.click("#tab-custom")
    row = page.locator("#tariff-rows .tariff").first
    row.locator(".exporter").fill("XXX")
    page.click("#run-uncertainty")
    page.locator("#errors", has_text="'XXX'").wait_for(timeout=TIMEOUT)
    assert "invalid" in (row.locator(".exporter").get_attribute("class") or "")
    assert page.is_visible("#uncertainty-view")

    # the shared URL, opened in another tab, runs the same sweep again (now from the cache)
    reopened = session.context.new_page()
    reopened.goto(shared, wait_until="load")
    reopened.locator("#uncertainty-summary", has_text="between").wait_for(timeout=TIMEOUT)
    assert reopened.text_content("#uncertainty-summary") == summary
    again = {r["country"]: r for r in reopened.eval_on_selector_all("#uncertainty-table tbody tr", ROWS_JS)}
    assert again == rows
    session.assert_offline()
