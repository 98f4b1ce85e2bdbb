"""The ``escalation`` job kind: through the API (the JSON of tradewar.analysis.escalation_game,
field-level refusals, the size limits) and in the real browser (the outcome regions and d*
drawn, the table equal to the API's JSON)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tradewar.analysis import ESCALATION_JSON_KEYS, escalation_game
from tradewar.data import load_baseline

from .conftest import (
    ROWS_JS,
    TIMEOUT,
    Session,
    assert_refused,
    cli_json,
    close,
    finished,
    finished_on,
)

BODY: dict[str, Any] = {"kind": "escalation", "leader": "USA", "target": "CHN", "threat": 1.45,
                        "allies": ["JPN"], "retaliation": "mirror", "capitulation_cost": 1.2}



def without_timing(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "solver": {k: v for k, v in data["solver"].items() if k != "seconds"}}


def test_the_job_returns_the_analysis_json(client: TestClient, data_dir) -> None:
    job = finished(client, BODY)
    assert job["status"] == "done", job
    got = job["result"]
    assert set(ESCALATION_JSON_KEYS) <= set(got)
    baseline = load_baseline("icio", 2022, "IS", regions="g14", data_dir=data_dir)
    want = escalation_game(baseline, leader="USA", target="CHN", threat=1.45, allies=["JPN"],
                           retaliation="mirror", capitulation_cost=1.2).to_json()
    close(without_timing(got), without_timing(want))
    # with and without the allies: d* of the game and of the leader alone
    assert got["allies_effect"]["all"] == pytest.approx(got["d_star_pct"], rel=1e-12)
    alone = escalation_game(baseline, leader="USA", target="CHN", threat=1.45,
                            retaliation="mirror").to_json()
    assert got["allies_effect"]["none"] == pytest.approx(alone["d_star_pct"], rel=1e-10)


def test_the_short_run_job_is_the_cli_short_run(client: TestClient) -> None:
    """horizon short: the numbers of `tradewar escalation --horizon short --json`; d* differs
    from the long run's."""
    job = finished(client, {**BODY, "horizon": "short"})
    assert job["status"] == "done", job
    want = cli_json("escalation", "--allies", "JPN", "--threat", "1.45", "--retaliation",
                    "mirror", "--capitulation-cost", "1.2", "--horizon", "short")
    close(without_timing(job["result"]), without_timing(want))
    long_run = finished(client, BODY)["result"]
    assert job["result"]["d_star_pct"] != pytest.approx(long_run["d_star_pct"], rel=1e-3)


@pytest.mark.parametrize(("body", "loc", "words"), [
    ({"horizon": "medium"}, ["body", "horizon"], "'short' or 'long'"),
    ({"allies": [f"A{k:02d}" for k in range(11)]}, ["body", "allies"], "at most 10 allies"),
    ({"allies": ["USA"]}, ["body", "allies"], "leader 'USA' is among the allies"),
    ({"target": "USA"}, ["body", "target"], "is the leader"),
    ({"allies": ["JPN", "KOR"], "retaliation": "optimal"}, ["body", "retaliation"],
     "at most 1 ally"),
    ({"threat": 0}, ["body", "threat"], "greater than 0"),
    ({"audience_cost": False}, ["body", "audience_cost"], "valid number"),
    ({"capitulation_cost": -1}, ["body", "capitulation_cost"], "greater than or equal to 0"),
    ({"regions": None}, ["body", "regions"], "'g14' or 'blocs'"),
    ({"demand": "/etc/passwd"}, ["body", "demand"], "files are not read"),
    ({"resist_with": "war"}, ["body", "resist_with"], "'tariffs', 'export_controls' or 'both'"),
])
def test_invalid_escalation_requests_are_422(client: TestClient, body, loc, words) -> None:
    assert_refused(client, {**BODY, **body}, loc, words)


@pytest.mark.parametrize(("body", "loc", "words"), [
    ({"target": "XYZ"}, ["body", "target"], "unknown country 'XYZ'"),
    ({"allies": ["XYZ"]}, ["body", "allies"], "unknown country 'XYZ' in allies"),
])
def test_an_economy_the_baseline_lacks_fails_the_job_at_its_field(client: TestClient, body, loc,
                                                                 words) -> None:
    job = finished(client, {**BODY, **body})
    assert job["status"] == "failed" and (job["error"] or {}).get("status") == 422, job
    (error,) = job["error"]["detail"]
    assert error["loc"] == loc and words in error["msg"], error


@pytest.mark.slow
def test_escalation_page_draws_the_analysis(session: Session, live_server) -> None:
    """The page: its form, the job, the outcome regions and d* charts, the table equal to the
    API's JSON; an invalid entry shows the server's message at its field; nothing leaves
    localhost."""
    session.open()
    page = session.run_page("escalation", {"#escalation-allies": "JPN", "#escalation-d": "1.2"})
    assert "USA + JPN threaten CHN with +145 points" in page.text_content("#escalation-title")
    page.locator("#escalation-outcomes .heatmaplayer image").first.wait_for(
        state="attached", timeout=TIMEOUT)
    assert page.locator("#escalation-dstar .scatterlayer .trace").count() == 2
    assert "% of real income" in page.text_content("#escalation-outcomes .xtitle")
    assert "points on CHN" in page.text_content("#escalation-outcomes .ytitle")
    assert "d*" in page.text_content("#escalation-dstar .ytitle")
    session.screenshot("#escalation-view", "web-escalation.png")  # docs/img
    rows = page.eval_on_selector_all("#escalation-table tbody tr", ROWS_JS)
    api = finished_on(live_server.url, BODY)
    by_threat = {100 * r["threat"]: r for r in api["result"]["by_threat"]}
    assert sorted(float(r["threat"]) for r in rows) == sorted(by_threat)
    for row in rows:
        want = by_threat[float(row["threat"])]
        assert float(row["d_star_pct"]) == want["d_star_pct"]
        assert float(row["d_star_alone_pct"]) == want["without_allies"]["d_star_pct"]
        assert float(row["target_war_pct"]) == want["target_war_pct"]
    assert f"{api['result']['d_star_pct']:.3f}" in page.text_content("#escalation-summary")

    session.invalid_entry("#escalation-allies", "JPN, JPN", "#run-escalation", "listed twice")  # invalid: the server's message, marked
    session.assert_offline()  # the 422 of the invalid entry is on purpose
