"""The ``timeline`` job kind (the trade war step by step): through the API (the run JSON is what
``tradewar run timeline --json`` writes; the trade at every step is
``report.tariff_charts.timeline_trade``'s; field-level refusals) and in the real browser (welfare
and US–China trade over time drawn, the table equal to the API's JSON)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tradewar.data import in_force_dates, load_baseline
from tradewar.report.tariff_charts import timeline_trade
from tradewar.scenario import run_scenario

from .conftest import (
    IMG_DIR,
    ROWS_JS,
    TIMEOUT,
    Session,
    assert_refused,
    close,
    finished,
    finished_on,
    untimed,
)

#: The view as the test sees it (docs/web.md shows it).
SCREENSHOT = IMG_DIR / "web-timeline.png"
BODY: dict[str, Any] = {"kind": "timeline"}


@pytest.fixture(scope="module")
def reference(data_dir) -> Any:
    """The timeline solved in this process (as the CLI solves it)."""
    return run_scenario(load_baseline("icio", 2022, "IS", data_dir=data_dir), "timeline",
                        data_dir=data_dir)


def test_the_job_runs_the_timeline_as_the_cli(client: TestClient, reference, tmp_path) -> None:
    from tradewar.cli import main

    job = finished(client, BODY)
    assert job["status"] == "done", job
    got = job["result"]
    assert got["scenario"] == "timeline" and got["horizon"] == "long"
    run = client.get(f"/api/runs/{got['run_id']}.json").json()
    assert [s["date"] for s in run["steps"]] == [d.isoformat() for d in in_force_dates()]
    assert untimed(got["steps"]) == untimed(run["steps"])  # the result stands on its own
    assert got["description"] == run["description"]
    out = tmp_path / "timeline.json"
    with pytest.raises(SystemExit) as done:
        main(["run", "timeline", "--json", str(out)])
    assert done.value.code in (0, None)
    cli = json.loads(out.read_text())
    close(untimed(run), untimed(cli))  # the run JSON is the CLI's
    close(untimed(run), untimed(reference.to_json()))
    # US-China goods trade at every step, both ways: timeline_trade's rows
    want = timeline_trade(reference)
    rows = got["trade"]["rows"]
    assert got["trade"]["columns"] == list(want.columns)
    close(rows, want.to_dict(orient="records"))
    for row in rows:  # change = after / before - 1, against the same starting flow every step
        assert row["change_pct"] == pytest.approx(100 * (row["after_musd"] / row["before_musd"] - 1))
    china_to_us = [r for r in rows if r["exporter"] == "CHN"]
    assert len({r["before_musd"] for r in china_to_us}) == 1
    peak = min(china_to_us, key=lambda r: r["change_pct"])
    assert "2025-04-09" <= peak["date"] <= "2025-04-12"  # the collapse at 145 % (then the truce)
    assert china_to_us[-1]["change_pct"] > peak["change_pct"]


def test_the_short_run_is_the_cli_short_run(client: TestClient, tmp_path) -> None:
    from tradewar.cli import main

    job = finished(client, {**BODY, "horizon": "short"})
    assert job["status"] == "done" and job["result"]["horizon"] == "short", job
    run = client.get(f"/api/runs/{job['result']['run_id']}.json").json()
    out = tmp_path / "short.json"
    with pytest.raises(SystemExit) as done:
        main(["run", "timeline", "--horizon", "short", "--json", str(out)])
    assert done.value.code in (0, None)
    close(untimed(run), untimed(json.loads(out.read_text())))
    long_run = finished(client, BODY)["result"]
    assert long_run["run_id"] != job["result"]["run_id"]
    # a lower trade elasticity: trade falls less at the peak in the short run
    low = {h: min(r["change_pct"] for r in res["trade"]["rows"] if r["exporter"] == "CHN")
           for h, res in (("short", job["result"]), ("long", long_run))}
    assert low["long"] < low["short"] < 0


def test_a_running_timeline_reports_progress_and_can_be_cancelled(client: TestClient) -> None:
    import time

    body = {**BODY, "year": 2021, "horizon": "short"}  # not computed by another test
    job = client.post("/api/jobs", json=body).json()
    deadline = time.monotonic() + 120
    while (state := client.get(f"/api/jobs/{job['id']}").json())["status"] != "running" or not (
            state["progress"] or {}).get("message"):
        assert state["status"] in ("queued", "running"), state
        if time.monotonic() > deadline:  # a hang guard
            pytest.fail(f"the job did not start: {state}")
        time.sleep(0.02)
    assert "solving timeline: 30 dated steps in one batch (short run)" in state["progress"]["message"]
    assert state["progress"]["total"] == 2
    assert client.delete(f"/api/jobs/{job['id']}").status_code == 200
    while (state := client.get(f"/api/jobs/{job['id']}").json())["status"] == "running":
        if time.monotonic() > deadline:  # a hang guard
            pytest.fail(f"the job was not stopped: {state}")
        time.sleep(0.02)
    assert state["status"] == "cancelled" and state["result"] is None, state
    again = finished(client, {"kind": "tariffs"})  # the stopped worker was replaced
    assert again["status"] == "done", again


@pytest.mark.parametrize(("body", "loc", "words"), [
    ({"scenario": "tpp"}, ["body", "scenario"], "'timeline'"),
    ({"horizon": "medium"}, ["body", "horizon"], "'short' or 'long'"),
    ({"year": 1999}, ["body", "year"], "not in dataset 'icio'"),
    ({"regions": "world"}, ["body", "regions"], "'g14' or 'blocs'"),
])
def test_invalid_timeline_requests_are_422(client: TestClient, body, loc, words) -> None:
    assert_refused(client, {**BODY, **body}, loc, words)


@pytest.mark.slow
def test_timeline_page_draws_welfare_and_trade(session: Session, live_server) -> None:
    """The page: the job with progress, welfare of USA, CHN and a chosen economy and US–China
    trade over time (percent on the axes), the table equal to the API's JSON; an economy the
    run lacks shows its message at the field; nothing leaves localhost."""
    page = session.open()
    page.locator("#timeline-scenario option[value=timeline]").wait_for(state="attached")
    page.select_option("#timeline-horizon", "long")
    page.fill("#timeline-economy", "CAN")
    # progress and cancel: recorded when the progress box is shown, since the job may come
    # back at once (the server's result cache answers a request another test already made)
    page.evaluate("""() => {
        window.sawCancel = false;
        const box = document.querySelector('#progress');
        new MutationObserver(() => {
            if (!box.hidden && document.querySelector('#cancel').offsetParent !== null) window.sawCancel = true;
        }).observe(box, {attributes: true});
    }""")
    page.click("#run-timeline")
    page.locator("#timeline-view").wait_for(state="visible", timeout=TIMEOUT)
    assert page.evaluate("window.sawCancel"), "the progress box showed no cancel button"
    for chart in ("welfare", "trade"):
        page.locator(f"#timeline-{chart} .main-svg").first.wait_for(timeout=TIMEOUT)
        assert "%" in page.text_content(f"#timeline-{chart} .ytitle")
        assert "date" in page.text_content(f"#timeline-{chart} .xtitle")
    legend = page.eval_on_selector_all("#timeline-welfare .legendtext", "ns => ns.map(n => n.textContent)")
    assert legend == ["USA", "CHN", "CAN"]
    assert page.locator("#timeline-trade .scatterlayer .trace").count() == 2
    assert "(the latest step)" in page.text_content("#timeline-summary")
    api = finished_on(live_server.url, BODY)["result"]
    import httpx

    run = httpx.get(f"{live_server.url}/api/runs/{api['run_id']}.json", timeout=60).json()
    rows = page.eval_on_selector_all("#timeline-table tbody tr", ROWS_JS)
    assert len(rows) == len(run["steps"]) == len(api["steps"])
    trade = {(r["step"], r["exporter"]): r["change_pct"] for r in api["trade"]["rows"]}
    for k, (shown, step) in enumerate(zip(rows, run["steps"], strict=True)):
        assert shown["date"] == step["date"] and shown["label"] == step["label"]
        for c in ("USA", "CHN", "CAN"):
            assert float(shown[f"welfare_pct:{c}"]) == step["countries"][c]["welfare_pct"]
        assert float(shown["change_pct:CHN"]) == trade[(k, "CHN")]
        assert float(shown["change_pct:USA"]) == trade[(k, "USA")]
    page.locator("#timeline-view").screenshot(path=str(SCREENSHOT))  # docs/img

    page.fill("#timeline-economy", "XYZ")  # not an economy of the run: the message at the field
    page.dispatch_event("#timeline-economy", "change")
    page.locator("#errors", has_text="economy: XYZ is not an economy of this run").wait_for(timeout=TIMEOUT)
    assert "invalid" in (page.get_attribute("#timeline-economy", "class") or "")
    session.assert_offline()
