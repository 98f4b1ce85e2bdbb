"""The ``talks`` job kind (Nash war and talks): through the API (the JSON of
tradewar.analysis.nash_tariffs and trade_talks, field-level refusals, the size limits) and in
the real browser (both charts drawn, the table equal to the API's JSON)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tradewar.analysis import nash_tariffs, trade_talks
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

BODY: dict[str, Any] = {"kind": "talks", "players": ["USA", "CHN"]}
TIMING = ("seconds", "trace", "iterations", "evaluations")



def numbers(data: Any) -> Any:
    """The JSON without the timing (seconds), the iteration record and the first-order
    residual at the candidate (rounding noise, ~1e-11: checked below the tolerance instead)."""
    if isinstance(data, dict):
        return {k: numbers(v) for k, v in data.items()
                if k not in TIMING and k != "max_foc_at_candidate"}
    return data


def test_the_job_returns_the_war_and_the_talks(client: TestClient, data_dir) -> None:
    job = finished(client, BODY)
    assert job["status"] == "done", job
    economy = load_baseline("icio", 2022, "IS", regions="g14", data_dir=data_dir).economy
    war = nash_tariffs(economy, ["USA", "CHN"], deficits="zero")
    talks = trade_talks(economy, war)
    got = job["result"]
    assert got["war"]["converged"] and got["talks"]["converged"]
    close(numbers(got["war"]), numbers(war.to_json()))
    close(numbers(got["talks"]), numbers(talks.to_json()))
    assert set(got["war"]["tariffs"]) == {"USA", "CHN"}
    assert abs(got["war"]["check"]["max_foc_at_candidate"]) < got["war"]["tol"]


def test_the_short_run_job_is_the_cli_short_run(client: TestClient) -> None:
    """horizon short: the war of `tradewar nash --horizon short --json` and the talks of
    `tradewar talks --horizon short --json`; the Nash tariffs differ from the long run's."""
    job = finished(client, {**BODY, "horizon": "short"})
    assert job["status"] == "done", job
    got = job["result"]
    options = ("--players", "USA,CHN", "--horizon", "short")
    close(numbers(got["war"]), numbers(cli_json("nash", *options)))
    close(numbers(got["talks"]), numbers(cli_json("talks", *options)))
    long_run = finished(client, BODY)["result"]
    assert got["war"]["tariffs"]["USA"] != pytest.approx(long_run["war"]["tariffs"]["USA"],
                                                         rel=1e-3)


@pytest.mark.parametrize(("body", "loc", "words"), [
    ({"horizon": "medium"}, ["body", "horizon"], "'short' or 'long'"),
    ({"players": ["USA", "CHN", "JPN", "KOR", "EU27"]}, ["body", "players"], "at most 4"),
    ({"players": ["USA"]}, ["body", "players"], "at least 2"),
    ({"players": ["USA", "USA"]}, ["body", "players"], "listed twice"),
    ({"regions": None}, ["body", "regions"], "'g14' or 'blocs'"),
    ({"players": ["USA", "chn"]}, ["body", "players", 1], "pattern"),
])
def test_invalid_talks_requests_are_422(client: TestClient, body, loc, words) -> None:
    assert_refused(client, {**BODY, **body}, loc, words)


def test_a_player_the_baseline_lacks_fails_the_job_at_its_field(client: TestClient) -> None:
    job = finished(client, {**BODY, "players": ["USA", "DEU"]})  # DEU is in EU27 on g14
    assert job["status"] == "failed" and (job["error"] or {}).get("status") == 422, job
    (error,) = job["error"]["detail"]
    assert error["loc"] == ["body", "players"] and "unknown country 'DEU'" in error["msg"]


@pytest.mark.slow
def test_talks_page_draws_the_war_and_the_talks(session: Session, live_server) -> None:
    session.open()
    page = session.run_page("talks", {"#talks-players": "USA, CHN"})
    for chart in ("tariffs", "welfare"):
        page.locator(f"#talks-{chart} .barlayer .trace").nth(1).wait_for(timeout=TIMEOUT)
    assert "%" in page.text_content("#talks-tariffs .ytitle")
    assert "% of real income" in page.text_content("#talks-welfare .ytitle")
    session.screenshot("#talks-view", "web-talks.png")  # docs/img
    assert_table_is_the_api(page, finished_on(live_server.url, BODY))

    session.invalid_entry("#talks-players", "USA, USA", "#run-talks", "listed twice")  # invalid: the server's message, marked
    session.assert_offline()  # the 422 of the invalid entry is on purpose


def assert_table_is_the_api(page: Any, api: dict[str, Any]) -> None:
    """The page's table shows the players' tariffs and welfare of the API's job. The page's job
    and this one may run in different worker processes: equal to the rounding of the solves
    (1e-10 relative), as the API test compares with the Python run."""
    rows = page.eval_on_selector_all("#talks-table tbody tr", ROWS_JS)
    war, talks = api["result"]["war"], api["result"]["talks"]
    assert {r["country"] for r in rows} == {"USA", "CHN"}
    for row in rows:
        p = row["country"]
        for key, value in (("war_tariff", 100 * war["tariffs"][p]),
                           ("talks_tariff", 100 * talks["tariffs"][p]),
                           ("war_welfare", war["welfare_pct"][p]),
                           ("talks_welfare", talks["welfare_pct"][p])):
            assert float(row[key]) == pytest.approx(value, rel=1e-10), (p, key)


@pytest.mark.slow
def test_talks_page_at_the_short_horizon(session: Session, live_server) -> None:
    """The page's Horizon control: a short-run war and talks, said in the title, the table
    equal to the API's short-run job (and so to the CLI's --horizon short, tested above)."""
    session.open()
    session.page.select_option("#talks-horizon", "short")
    page = session.run_page("talks", {"#talks-players": "USA, CHN"})
    assert "short run" in page.text_content("#talks-title")
    assert_table_is_the_api(page, finished_on(live_server.url, {**BODY, "horizon": "short"}))
    session.assert_offline(())
