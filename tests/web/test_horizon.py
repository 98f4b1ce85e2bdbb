"""The horizon in the web (issue 11, item 4): ``horizon: short|long`` on run, scenario and
compare requests and ``both`` on compare, with the CLI's numbers (``tradewar run --horizon``,
``tradewar compare --horizon both``), and the controls of the page in the real browser."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tradewar.data import SHORT_RUN_FACTOR, load_baseline, with_horizon
from tradewar.scenario import run_scenario

from .conftest import IMG_DIR, TIMEOUT, Session, close, finished, untimed

#: The comparison of both horizons as the test sees it (docs/web.md shows it).
SCREENSHOT = IMG_DIR / "web-horizons.png"
OPTIONS: dict[str, Any] = {"dataset": "icio", "year": 2022, "elasticity": "IS", "regions": "g14"}
PAIR = ["tpp", "us-china-april-11"]


def cli(tmp_path: Any, *argv: str) -> Any:
    """The JSON file ``tradewar ARGV --json FILE`` writes."""
    from tradewar.cli import main

    out = tmp_path / "out.json"
    with pytest.raises(SystemExit) as done:
        main([*argv, "--json", str(out)])
    assert done.value.code in (0, None)
    return json.loads(out.read_text())


def test_a_short_run_is_the_cli_short_run(client: TestClient, data_dir, tmp_path) -> None:
    short = client.post("/api/run", json={"scenario": "us-china-april-11", **OPTIONS,
                                          "horizon": "short"})
    long_ = client.post("/api/run", json={"scenario": "us-china-april-11", **OPTIONS})
    assert short.status_code == long_.status_code == 200, short.text
    assert short.headers["x-run-id"] != long_.headers["x-run-id"]  # the horizon is in the id
    got = short.json()
    close(untimed(got), untimed(cli(tmp_path, "run", "us-china-april-11", "--regions", "g14",
                                    "--horizon", "short")))
    baseline = load_baseline("icio", 2022, "IS", regions="g14", data_dir=data_dir)
    want = run_scenario(with_horizon(baseline, "short"), "us-china-april-11", data_dir=data_dir)
    close(untimed(got), untimed(want.to_json()))
    # a lower trade elasticity: the US-China flows fall less in the short run
    flows = {h: {(r["exporter"], r["importer"]): r["change_pct"] for r in data["bilateral"]}
             for h, data in (("short", got), ("long", long_.json()))}
    assert flows["long"][("CHN", "USA")] < flows["short"][("CHN", "USA")] < 0
    assert 0 < SHORT_RUN_FACTOR < 1
    listed = {r["id"]: r["options"] for r in client.get("/api/runs").json()}
    assert listed[short.headers["x-run-id"]]["horizon"] == "short"
    assert listed[long_.headers["x-run-id"]]["horizon"] == "long"


def test_compare_both_horizons_is_the_cli_comparison(client: TestClient, tmp_path) -> None:
    job = finished(client, {"kind": "compare", "scenarios": PAIR, **OPTIONS, "horizon": "both"})
    assert job["status"] == "done", job
    got = job["result"]
    payloads = cli(tmp_path, "compare", *PAIR, "--regions", "g14", "--horizon", "both")
    assert got["scenarios"] == [p["scenario"] for p in payloads] == [
        "tpp (long run)", "tpp (short run)", "us-china-april-11 (long run)",
        "us-china-april-11 (short run)"]
    assert [r["horizon"] for r in got["runs"]] == [p["horizon"] for p in payloads]
    for k, (ref, payload) in enumerate(zip(got["runs"], payloads, strict=True)):
        run = client.get(f"/api/runs/{ref['run_id']}.json").json()
        cli_run = {key: v for key, v in payload.items() if key not in ("scenario", "horizon")}
        close(untimed({key: v for key, v in run.items() if key != "scenario"}), untimed(cli_run))
        for country, values in got["welfare_pct"].items():
            assert values[k] == run["countries"][country]["welfare_pct"]
    # one horizon: the runs of a both-horizons comparison, from the cache
    short = client.post("/api/jobs", json={"kind": "compare", "scenarios": PAIR, **OPTIONS,
                                           "horizon": "short"}).json()
    assert short["status"] == "done" and short["cached"], short
    assert [r["run_id"] for r in short["result"]["runs"]] == [
        r["run_id"] for r in got["runs"] if r["horizon"] == "short"]
    assert short["result"]["scenarios"] == PAIR  # one horizon: the names as they are


@pytest.mark.parametrize(("path", "body", "words"), [
    ("/api/run", {"scenario": "tpp", "horizon": "medium"}, "'short' or 'long'"),
    ("/api/run", {"scenario": "tpp", "horizon": "both"}, "'short' or 'long'"),  # compare only
    ("/api/jobs", {"kind": "scenario", "scenario": "tpp", "horizon": "medium"}, "'short' or 'long'"),
    ("/api/jobs", {"kind": "compare", "scenarios": PAIR, "horizon": "medium"},
     "'short', 'long' or 'both'"),
])
def test_an_unknown_horizon_is_422(client: TestClient, path, body, words) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 422, response.text
    hit = [d for d in response.json()["detail"] if d["loc"] == ["body", "horizon"]]
    assert hit and words in hit[0]["msg"], response.json()


@pytest.mark.slow
def test_the_page_runs_and_compares_both_horizons(session: Session, live_server) -> None:
    """The Horizon control of the baseline (a short run, said so on the page) and of the
    comparison (both horizons side by side), the numbers equal to the API's."""
    import httpx

    page = session.open()
    page.select_option("#regions", "g14")
    page.locator("#baseline-description", has_text="14").wait_for(timeout=TIMEOUT)
    page.select_option("#builtin", "us-china-april-11")
    page.select_option("#horizon", "short")
    page.click("#run")
    page.locator("#run-title", has_text="us-china-april-11").wait_for(timeout=TIMEOUT)
    page.locator("#country-table tbody tr").first.wait_for(timeout=TIMEOUT)
    chips = page.eval_on_selector_all("#run-meta li", "ls => ls.map(l => l.textContent)")
    assert "short run (about one year)" in chips
    with httpx.Client(base_url=live_server.url, timeout=120) as api:
        short = api.post("/api/run", json={"scenario": "us-china-april-11", **OPTIONS,
                                           "horizon": "short"}).json()
    shown = page.get_attribute('#country-table tr[data-country="CHN"] td[data-key="welfare_pct"]',
                               "data-value")
    assert float(shown or "nan") == short["countries"]["CHN"]["welfare_pct"]

    page.click("details.more summary")
    page.select_option("#compare-builtins", PAIR)
    page.select_option("#compare-horizon", "both")
    page.click("#run-compare")
    page.locator("#compare-view").wait_for(state="visible", timeout=TIMEOUT)
    page.locator("#compare-table th").nth(4).wait_for(timeout=TIMEOUT)
    headers = page.eval_on_selector_all("#compare-table th", "ths => ths.map(t => t.textContent)")
    assert headers[1:] == [f"{n} ({h} run), welfare %" for n in PAIR for h in ("long", "short")]
    assert page.locator("#compare-bars .barlayer .trace").count() == 4
    assert "%" in page.text_content("#compare-bars .ytitle")
    job = finished(httpx.Client(base_url=live_server.url, timeout=60),
                   {"kind": "compare", "scenarios": PAIR, **OPTIONS, "horizon": "both"})
    for country in ("USA", "CHN"):
        cells = page.eval_on_selector_all(
            f'#compare-table tr[data-country="{country}"] td[data-value]',
            "tds => tds.map(td => Number(td.dataset.value))")
        assert cells == job["result"]["welfare_pct"][country]
    page.locator("#compare-view").screenshot(path=str(SCREENSHOT))  # docs/img
    session.assert_offline()
