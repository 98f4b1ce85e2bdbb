"""The ``coalitions`` job kind: through the API (the JSON of tradewar.analysis.coalition_analysis,
field-level refusals, the size limits) and in the real browser (the page draws its charts and
shows the numbers of the API's JSON)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tradewar.analysis import COALITION_JSON_KEYS, coalition_analysis
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

BODY: dict[str, Any] = {"kind": "coalitions", "leader": "USA", "target": "CHN",
                        "allies": ["JPN", "KOR"], "tariff": 0.5, "retaliation": "mirror",
                        "reliability": 0.6}



def reference(data_dir: Any, **options: Any) -> dict[str, Any]:
    """What the CLI's `tradewar coalitions --json` prints for the same options."""
    baseline = load_baseline("icio", 2022, "IS", regions="g14", data_dir=data_dir)
    return coalition_analysis(baseline, workers=1, checkpoint_dir=None, **options).to_json()


def without_timing(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "solver": {k: v for k, v in data["solver"].items() if k != "seconds"}}


def test_the_job_returns_the_analysis_json(client: TestClient, data_dir) -> None:
    job = finished(client, BODY)
    assert job["status"] == "done", job
    got = job["result"]
    assert list(got)[:4] == list(COALITION_JSON_KEYS)
    want = reference(data_dir, leader="USA", target="CHN", allies=["JPN", "KOR"], tariff=0.5,
                     retaliation="mirror", reliability=0.6)
    labels = got.pop("sector_labels")
    close(without_timing(got), without_timing(want))
    assert len(got["coalitions"]) == 4 and got["solver"]["backend"] == "serial"
    assert labels["C26"] == load_baseline("icio", 2022, "IS", regions="g14",
                                          data_dir=data_dir).sector_labels["C26"] != "C26"
    assert set(labels) == set(got["settings"]["sectors"])
    # the same request again: from the server's result cache, the same numbers
    again = finished(client, BODY)
    assert again["status"] == "done" and again["cached"] is True
    close(without_timing(again["result"]), without_timing(got | {"sector_labels": labels}))


def test_the_short_run_job_is_the_cli_short_run(client: TestClient) -> None:
    """horizon short: the numbers of `tradewar coalitions --horizon short --json` (the same
    baseline, tradewar.data.with_horizon); the long-run job's differ."""
    job = finished(client, {**BODY, "horizon": "short"})
    assert job["status"] == "done", job
    got = job["result"]
    got.pop("sector_labels")
    want = cli_json("coalitions", "--allies", "JPN,KOR", "--tariff", "0.5", "--retaliation",
                    "mirror", "--reliability", "0.6", "--horizon", "short", "--workers", "1",
                    "--checkpoint", "none")
    close(numbers(got), numbers(want))
    long_run = finished(client, BODY)["result"]
    assert got["coalitions"][-1]["target_welfare_pct"] != pytest.approx(
        long_run["coalitions"][-1]["target_welfare_pct"], rel=1e-3)


def numbers(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON without how it was computed (timing, backend, workers)."""
    return {k: v for k, v in data.items() if k != "solver"}


@pytest.mark.parametrize(("body", "loc", "words"), [
    ({"horizon": "medium"}, ["body", "horizon"], "'short' or 'long'"),
    ({"allies": [f"A{k:02d}" for k in range(11)]}, ["body", "allies"], "at most 10 allies"),
    ({"allies": ["JPN", "JPN"]}, ["body", "allies"], "listed twice"),
    ({"allies": ["CHN"]}, ["body", "allies"], "target 'CHN' is among the allies"),
    ({"target": "USA"}, ["body", "target"], "is the leader"),
    ({"allies": ["JPN", "KOR", "EU27", "GBR"], "retaliation": "optimal"},
     ["body", "retaliation"], "at most 3 allies"),
    ({"reliability": 1.5}, ["body", "reliability"], "less than or equal to 1"),
    ({"tariff": -0.1}, ["body", "tariff"], "greater than or equal to 0"),
    ({"tariff": True}, ["body", "tariff"], "valid number"),
    ({"regions": None}, ["body", "regions"], "'g14' or 'blocs'"),
    ({"us_tariffs_on_allies": "/etc/passwd"}, ["body", "us_tariffs_on_allies"],
     "files are not read"),
    ({"retaliation": "nuclear"}, ["body", "retaliation"], "'none', 'mirror' or 'optimal'"),
])
def test_invalid_coalition_requests_are_422(client: TestClient, body, loc, words) -> None:
    assert_refused(client, {**BODY, **body}, loc, words)


def test_an_ally_the_baseline_lacks_fails_the_job_at_its_field(client: TestClient) -> None:
    job = finished(client, {**BODY, "allies": ["JPN", "XYZ"]})
    assert job["status"] == "failed" and (job["error"] or {}).get("status") == 422, job
    (error,) = job["error"]["detail"]
    assert error["loc"] == ["body", "allies"] and "unknown country 'XYZ'" in error["msg"]


@pytest.mark.slow
def test_coalitions_page_draws_the_analysis(session: Session, live_server, data_dir) -> None:
    """The page: its form, the job, three charts, the tables equal to the API's JSON; an
    invalid entry shows the server's message at its field; nothing leaves localhost."""

    session.open()
    page = session.run_page("coalitions", {"#coalitions-allies": "JPN, KOR", "#coalitions-reliability": "0.6"})
    assert "USA + allies against CHN" in page.text_content("#coalitions-title")
    for chart in ("leverage", "shapley", "stable"):
        page.locator(f"#coalitions-{chart} .main-svg").first.wait_for(timeout=TIMEOUT)
    assert page.locator("#coalitions-leverage .scatterlayer .trace").count() >= 1
    assert page.locator("#coalitions-shapley .barlayer .trace").count() == 1
    assert "bn USD" in page.text_content("#coalitions-shapley .xtitle")
    assert "leverage" in page.text_content("#coalitions-leverage .ytitle")
    names = load_baseline("icio", 2022, "IS", regions="g14", data_dir=data_dir).sector_labels
    assert f"C26 {names['C26']}" in page.text_content("#coalitions-sectors")  # code + name
    session.screenshot("#coalitions-view", "web-coalitions.png")  # docs/img
    rows = page.eval_on_selector_all("#coalitions-table tbody tr", ROWS_JS)
    api = finished_on(live_server.url, BODY)
    by_members = {" + ".join(c["members"]): c for c in api["result"]["coalitions"]}
    assert {r["country"] for r in rows} == set(by_members)
    for row in rows:
        want = by_members[row["country"]]
        for key in ("target_welfare_pct", "target_loss_musd", "coalition_loss_musd",
                    "leverage"):
            assert (row[key] == "—") if want[key] is None else float(row[key]) == want[key]
    shap = page.eval_on_selector_all(
        "#coalitions-shapley-table tbody tr",
        "rs => rs.map(r => [r.dataset.country, r.querySelector('td[data-key=shapley_musd]')"
        ".dataset.value])")
    assert {a: float(v) for a, v in shap} == api["result"]["shapley"]

    session.invalid_entry("#coalitions-allies", "JPN, JPN", "#run-coalitions", "listed twice")  # invalid: the server's message, marked
    session.assert_offline()  # the 422 of the invalid entry is on purpose
