"""The JSON API in process (TestClient): the run contract, the cache, jobs, downloads and the
safety limits (422 field errors, 413, 429, 504, Host check, no paths from the client)."""

from __future__ import annotations

import csv
import io
import json
import time
from typing import Any, Literal

import pytest
from fastapi.testclient import TestClient

from tradewar.data import load_baseline
from tradewar.scenario import builtin_names, builtin_scenario, run_scenario, scenario_from_dict
from tradewar.web import (
    JOB_KINDS,
    JobContext,
    RunOptions,
    create_app,
    register_job_kind,
    run_key,
)
from tradewar.web.app import field_errors

from .conftest import TEST_HOSTS, make_app

SMALL = {"regions": "g14"}  # a 14-region baseline: runs take a few milliseconds


def small_scenario(points: float, name: str = "usa-mex") -> dict[str, Any]:
    return {"name": name, "tariff": [{"importer": "USA", "exporter": "MEX", "add": points}]}


def wait_job(client: TestClient, job_id: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] not in ("queued", "running"):
            return job
        if time.monotonic() > deadline:  # a hang guard
            pytest.fail(f"job {job_id} did not finish: {job}")
        time.sleep(0.05)


def without_seconds(run: dict[str, Any]) -> dict[str, Any]:
    """A run without its timings (the only thing that changes between two identical runs)."""
    run = json.loads(json.dumps(run))
    run["solver"].pop("seconds")
    for step in run["steps"]:
        step["solver"].pop("seconds")
    return run


# ---------------------------------------------------------------------------------------------
# information
# ---------------------------------------------------------------------------------------------
def test_health_options_scenarios(client: TestClient) -> None:
    health = client.get("/api/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert health.headers["x-content-type-options"] == "nosniff"
    limits = health.json()["limits"]
    assert limits["max_body_bytes"] == 64 * 1024 and limits["workers"] >= 1
    options = client.get("/api/options").json()
    assert options["regions"] == ["g14", "blocs"] and "IS" in options["elasticities"]
    assert {"scenario", "compare"} <= set(options["job_kinds"])
    scenarios = client.get("/api/scenarios").json()
    assert [s["name"] for s in scenarios] == builtin_names()
    one = client.get("/api/scenarios/us-china-april-11").json()
    assert one["name"] == "us-china-april-11" and one["tariff"][0]["importer"] == "USA"
    assert client.get("/api/scenarios/..%2F..%2Fetc%2Fpasswd").status_code in (404, 422)


def test_baseline_lists_countries_and_sectors(client: TestClient) -> None:
    info = client.get("/api/baseline", params={"regions": "g14"}).json()
    assert info["countries"][:2] == ["USA", "CHN"] and len(info["countries"]) == 14
    assert info["year"] == 2022 and info["sectors"][20]["code"] == "C26"
    assert set(info["region_members"]["EU27"]) >= {"DEU", "FRA"}
    bad = client.get("/api/baseline", params={"regions": "/etc/passwd"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "regions"]


def test_page_and_assets_are_served_locally(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    assert '<script src="/static/plotly.min.js"' in page.text
    assert "https://" not in page.text and "http://" not in page.text
    plotly = client.get("/static/plotly.min.js", headers={"accept-encoding": "identity"})
    assert plotly.status_code == 200 and len(plotly.content) > 1_000_000
    assert client.get("/static/app.js").status_code == 200
    geo = client.get("/geo/world_50m.json")
    assert geo.status_code == 200 and geo.json()["type"] == "Topology"
    assert client.get("/geo/..%2F..%2Fetc%2Fpasswd").status_code in (404, 422)
    assert client.get("/static/../_jobs.py").status_code == 404
    assert client.get("/docs").status_code == 404  # Swagger UI would load a CDN
    assert client.get("/openapi.json").json()["info"]["title"] == "tradewar"


# ---------------------------------------------------------------------------------------------
# runs: the contract and the cache
# ---------------------------------------------------------------------------------------------
def test_run_returns_the_cli_json_and_is_cached(client: TestClient, data_dir) -> None:
    response = client.post("/api/run", json={"scenario": "us-china-april-11"})
    assert response.status_code == 200, response.text
    run_id = response.headers["x-run-id"]
    direct = run_scenario(load_baseline("icio", None, "IS", data_dir=data_dir),
                          builtin_scenario("us-china-april-11"), data_dir=data_dir).to_json()
    assert without_seconds(response.json()) == without_seconds(direct)
    assert list(response.json()) == list(direct)  # same keys, same order

    again = client.post("/api/run", json={"scenario": "us-china-april-11", "dataset": "icio",
                                          "year": 2022, "elasticity": "IS"})
    assert again.headers["x-cache"] == "hit" and again.headers["x-run-id"] == run_id
    assert again.content == response.content
    inline = builtin_scenario("us-china-april-11").model_dump(mode="json")
    same = client.post("/api/run", json={"scenario": inline})
    assert same.headers["x-run-id"] == run_id  # the hash is of the scenario, not of its name
    assert run_id == run_key(builtin_scenario("us-china-april-11"), RunOptions())
    assert client.get(f"/api/runs/{run_id}.json").content == response.content
    assert run_id in [r["id"] for r in client.get("/api/runs").json()]


def test_options_change_the_run(client: TestClient) -> None:
    a = client.post("/api/run", json={"scenario": small_scenario(0.3), **SMALL})
    b = client.post("/api/run", json={"scenario": small_scenario(0.3), **SMALL,
                                      "elasticity": "U4", "deficits": "zero"})
    assert a.status_code == b.status_code == 200
    assert a.headers["x-run-id"] != b.headers["x-run-id"]
    assert b.json()["baseline"]["elasticity"] == "U4" and b.json()["closure"] == "zero"
    assert set(a.json()["countries"]) == {"USA", "CHN", "EU27", "GBR", "JPN", "KOR", "IND", "VNM",
                                          "TWN", "CAN", "MEX", "AUS", "BRA", "ROW"}
    assert a.json()["region_members"]["EU27"]


def test_labour_supply_gives_employment_as_the_cli(client: TestClient, data_dir) -> None:
    """--labour-supply on the web: the run JSON equals run_scenario(..., labour_supply=κ) (the
    CLI's function), has employment for every country, and a fixed-employment run keeps its id."""
    from tradewar.data import load_baseline
    from tradewar.scenario import builtin_scenario, run_scenario

    fixed = client.post("/api/run", json={"scenario": "us-china-april-11", **SMALL})
    zero = client.post("/api/run", json={"scenario": "us-china-april-11", **SMALL, "labour_supply": 0})
    elastic = client.post("/api/run", json={"scenario": "us-china-april-11", **SMALL, "labour_supply": 0.5})
    assert fixed.status_code == zero.status_code == elastic.status_code == 200, elastic.text
    assert fixed.headers["x-run-id"] == zero.headers["x-run-id"] != elastic.headers["x-run-id"]
    baseline = load_baseline("icio", None, "IS", regions="g14", data_dir=data_dir)
    expected = run_scenario(baseline, builtin_scenario("us-china-april-11"), data_dir=data_dir,
                            labour_supply=0.5).to_json()
    got = elastic.json()
    for code, row in expected["countries"].items():
        assert got["countries"][code]["employment_pct"] == pytest.approx(row["employment_pct"], abs=1e-12)
    assert "employment_pct" not in fixed.json()["countries"]["USA"]


def test_downloads_csv_html_map_and_comparison(client: TestClient) -> None:
    ids = [client.post("/api/run", json={"scenario": s, **SMALL}).headers["x-run-id"]
           for s in ("tpp", "ttip")]
    run = client.get(f"/api/runs/{ids[0]}.json").json()
    table = list(csv.DictReader(io.StringIO(client.get(f"/api/runs/{ids[0]}.csv").text)))
    assert {r["country"] for r in table} == set(run["countries"])
    usa = next(r for r in table if r["country"] == "USA")
    assert float(usa["welfare_pct"]) == run["countries"]["USA"]["welfare_pct"]
    for name, key in (("bilateral", "exporter"), ("sectors", "sector"), ("steps", "label")):
        response = client.get(f"/api/runs/{ids[0]}.csv", params={"table": name})
        assert response.status_code == 200 and key in response.text.splitlines()[0]
        assert "attachment" in response.headers["content-disposition"]
    assert client.get(f"/api/runs/{ids[0]}.csv", params={"table": "x"}).status_code == 422

    report = client.get(f"/api/runs/{ids[0]}.html")
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert "connect-src 'none'" in report.headers["content-security-policy"]
    assert "PlotlyGeoAssets" in report.text and "tpp" in report.text

    mapped = client.get(f"/api/runs/{ids[0]}/map").json()
    assert len(mapped["locations"]) == 81  # every economy of the data, by its region
    assert dict(zip(mapped["locations"], mapped["keys"], strict=True))["DEU"] == "EU27"

    both = client.get("/api/compare.json", params={"runs": ids}).json()
    assert [r["scenario"] for r in both] == ["tpp", "ttip"]
    rows = list(csv.reader(io.StringIO(client.get("/api/compare.csv", params={"runs": ids}).text)))
    assert rows[0] == ["country", "tpp", "ttip"] and len(rows) == 15
    html = client.get("/api/compare.html", params={"runs": ids})
    assert html.status_code == 200 and "ttip" in html.text

    missing = "0" * 32
    assert client.get(f"/api/runs/{missing}.json").status_code == 404
    assert "run it again" in client.get(f"/api/runs/{missing}.csv").json()["detail"]
    assert client.get("/api/runs/not-an-id.json").status_code == 422


# ---------------------------------------------------------------------------------------------
# jobs
# ---------------------------------------------------------------------------------------------
def test_scenario_and_compare_jobs(client: TestClient) -> None:
    submitted = client.post("/api/jobs", json={"kind": "scenario",
                                               "scenario": small_scenario(0.41), **SMALL})
    assert submitted.status_code == 202
    assert submitted.headers["location"] == f"/api/jobs/{submitted.json()['id']}"
    job = wait_job(client, submitted.json()["id"])
    assert job["status"] == "done" and job["progress"]["done"] == job["progress"]["total"] == 1
    run = client.get(f"/api/runs/{job['result']['run_id']}.json").json()
    assert run["scenario"] == "usa-mex"

    compare = client.post("/api/jobs", json={"kind": "compare", **SMALL,
                                             "scenarios": ["cptpp", small_scenario(0.41)]})
    job = wait_job(client, compare.json()["id"])
    assert job["status"] == "done" and job["progress"]["total"] == 2
    assert [r["scenario"] for r in job["result"]["runs"]] == ["cptpp", "usa-mex"]
    assert len(job["result"]["welfare_pct"]["USA"]) == 2
    for ref in job["result"]["runs"]:
        assert client.get(f"/api/runs/{ref['run_id']}.json").status_code == 200

    cached = client.post("/api/jobs", json={"kind": "compare", **SMALL,
                                            "scenarios": ["cptpp", small_scenario(0.41)]})
    assert cached.json()["status"] == "done"  # every run was in the cache: no computation
    assert cached.json()["result"] == job["result"]


def test_job_errors(client: TestClient) -> None:
    bad_kind = client.post("/api/jobs", json={"kind": "nash", "scenario": "tpp"})
    assert bad_kind.status_code == 422 and bad_kind.json()["detail"][0]["loc"] == ["body"]
    few = client.post("/api/jobs", json={"kind": "compare", "scenarios": ["tpp"]})
    assert few.status_code == 422 and few.json()["detail"][0]["loc"] == ["body", "scenarios"]
    failing = client.post("/api/jobs", json={"kind": "scenario", **SMALL, "scenario": {
        "name": "x", "tariff": [{"importer": "USA", "exporter": "DEU", "add": 0.1}]}})
    job = wait_job(client, failing.json()["id"])
    assert job["status"] == "failed" and job["error"]["status"] == 422
    assert job["error"]["detail"][0]["loc"] == ["body", "scenario", "tariff", 0, "exporter"]
    assert "unknown country 'DEU'" in job["error"]["detail"][0]["msg"]  # g14 has EU27, not DEU
    assert client.get("/api/jobs/" + "f" * 32).status_code == 404
    assert client.delete("/api/jobs/" + "f" * 32).status_code == 404


# ---------------------------------------------------------------------------------------------
# validation: the scenario schema of files, field-level 422
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("body", "loc", "words"), [
    ({"scenario": {"name": "x", "tariff": [{"importer": "USA", "exporter": "CHN", "ad": 0.1}]}},
     ["body", "scenario", "tariff", 0, "ad"], "did you mean 'add'"),
    ({"scenario": {"name": "x", "tariff": [{"importer": "USA", "exporter": "CHN", "set": -1.5}]}},
     ["body", "scenario", "tariff", 0, "set"], "allowed: > -1"),
    ({"scenario": {"name": "x", "tariff": [{"importer": "USA", "exporter": "CHN"}]}},
     ["body", "scenario", "tariff", 0], "exactly one of `set`"),
    ({"scenario": {"name": "x"}}, ["body", "scenario"], "empty scenario"),
    ({"scenario": {"name": "x", "tariff": [{"importer": "USA", "exporter": "CHN", "add": "nan"}]}},
     ["body", "scenario", "tariff", 0, "add"], "layer reference"),
    ({"scenario": {"name": "x", "tariff": [{"importer": "USA", "exporter": "XXX", "add": 0.1}]}},
     ["body", "scenario", "tariff", 0, "exporter"], "unknown country 'XXX'; allowed: AGO"),
    ({"scenario": {"name": "x", "tariff": [{"importer": "USA", "exporter": "CHN",
                                            "sectors": ["Q99"], "add": 0.1}]}},
     ["body", "scenario", "tariff", 0, "sectors", 0], "unknown sector 'Q99'"),
    ({"scenario": "../../../etc/passwd"}, ["body", "scenario"], "allowed: allied-front"),
    ({"scenario": "/work/shared/data/x.toml"}, ["body", "scenario"], "unknown built-in"),
    ({"scenario": 3}, ["body", "scenario"], "built-in scenario name or a scenario object"),
    ({"scenario": "tpp", "regions": "/tmp/regions.toml"}, ["body", "regions"], "'g14' or 'blocs'"),
    ({"scenario": "tpp", "year": 1999}, ["body", "year"], "allowed: 2011-2022"),
    ({"scenario": "tpp", "dataset": "wiod", "year": 2020}, ["body", "year"], "allowed: 2000-2014"),
    ({"scenario": "tpp", "elasticity": "XX"}, ["body", "elasticity"], "'IS'"),
    ({"scenario": "tpp", "deficits": "given"}, ["body", "deficits"], "'fixed'"),
    ({"scenario": "tpp", "code": "import os"}, ["body", "code"], "Extra inputs"),
    ({"scenario": "tpp", "labour_supply": -0.5}, ["body", "labour_supply"], "greater than or equal to 0"),
    ({"scenario": "tpp", "labour_supply": 11}, ["body", "labour_supply"], "less than or equal to 10"),
    ({"scenario": "tpp", "labour_supply": False}, ["body", "labour_supply"], "valid number"),
    ({"scenario": "tpp", "labour_supply": "0.5"}, ["body", "labour_supply"], "valid number"),
    ({}, ["body", "scenario"], "required"),
])
def test_invalid_requests_get_field_level_422(client: TestClient, body, loc, words) -> None:
    response = client.post("/api/run", json=body)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert {"loc", "msg", "type"} <= set(detail[0])
    hit = [d for d in detail if d["loc"] == loc]
    assert hit, f"no error at {loc}: {detail}"
    assert words in hit[0]["msg"], hit[0]["msg"]


def test_malformed_json_is_422(client: TestClient) -> None:
    response = client.post("/api/run", content=b'{"scenario": ', headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["detail"][0]["type"] == "json_invalid"


def test_field_errors_merge_union_members() -> None:
    errors = [{"loc": ("body", "scenarios", 1, "inline", "tariff", 0, "sectors", "list[str]", 0),
               "type": "string_type", "msg": "Input should be a valid string", "input": 3},
              {"loc": ("body", "scenarios", 1, "inline", "tariff", 0, "sectors", "literal['all','goods']"),
               "type": "literal_error", "msg": "x", "input": [3]}]
    out = field_errors(errors)
    assert [e["loc"] for e in out] == [["body", "scenarios", 1, "tariff", 0, "sectors", 0],
                                       ["body", "scenarios", 1, "tariff", 0, "sectors"]]


# ---------------------------------------------------------------------------------------------
# limits
# ---------------------------------------------------------------------------------------------
def test_body_size_limit_is_413(client: TestClient) -> None:
    big = {"scenario": {"name": "x" * 70_000, "tariff": [{"importer": "USA", "exporter": "CHN", "add": 0.1}]}}
    response = client.post("/api/run", json=big)
    assert response.status_code == 413 and "65536 bytes" in response.json()["detail"]
    chunks = (b"x" * 10_000 for _ in range(10))  # no Content-Length: counted while read
    streamed = client.post("/api/run", content=chunks, headers={"content-type": "application/json"})
    assert streamed.status_code == 413


def test_foreign_host_header_is_refused(client: TestClient) -> None:
    response = client.get("/api/health", headers={"host": "attacker.example:8000"})
    assert response.status_code == 400 and "Host header" in response.json()["detail"]
    assert client.get("/api/health", headers={"host": "[::1]:8000"}).status_code == 200
    assert client.get("/api/health", headers={"host": "localhost:8000"}).status_code == 200


def test_default_app_accepts_only_loopback_hosts(data_dir) -> None:
    app = create_app(data_dir=str(data_dir))
    assert app.state.settings.allowed_hosts == ("127.0.0.1", "localhost", "::1")
    with TestClient(app, base_url="http://127.0.0.1:8000") as local:
        assert local.get("/api/health").status_code == 200
        assert local.get("/api/health", headers={"host": "testserver"}).status_code == 400


def test_time_limit_is_504_and_the_pool_recovers(data_dir) -> None:
    with TestClient(make_app(data_dir, workers=1, run_time_limit=0.05)) as slow:
        response = slow.post("/api/run", json={"scenario": "allied-front"})
        assert response.status_code == 504, response.text
        assert "time limit of 0.05 s" in response.json()["detail"]
        slow.app.state.manager.run_time_limit = 60.0
        again = slow.post("/api/run", json={"scenario": small_scenario(0.2), **SMALL})
        assert again.status_code == 200  # the killed worker was replaced
        assert slow.get("/api/health").json()["pool"]["failed"] == 1


def test_full_queue_is_429_with_retry_after_and_jobs_can_be_cancelled(data_dir) -> None:
    with TestClient(make_app(data_dir, workers=1, max_queue=1)) as busy:
        long = {"kind": "compare", "scenarios": ["allied-front", "us-china-ladder-2025",
                                                 "america-first", "liberation-day"]}
        first = busy.post("/api/jobs", json=long).json()
        deadline = time.monotonic() + 60
        while busy.get(f"/api/jobs/{first['id']}").json()["status"] != "running":
            if time.monotonic() > deadline:  # a hang guard
                pytest.fail("timed out waiting")
            time.sleep(0.05)
        second = busy.post("/api/jobs", json={**long, "elasticity": "CP"})
        assert second.status_code == 202 and second.json()["status"] == "queued"
        refused = busy.post("/api/run", json={"scenario": "tpp"})
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        assert "too many computations waiting" in refused.json()["detail"]

        cancelled = busy.delete(f"/api/jobs/{second.json()['id']}").json()
        assert cancelled["status"] == "cancelled"
        busy.delete(f"/api/jobs/{first['id']}")
        assert wait_job(busy, first["id"])["status"] == "cancelled"  # its worker was stopped
        assert busy.post("/api/run", json={"scenario": small_scenario(0.2), **SMALL}).status_code == 200


# ---------------------------------------------------------------------------------------------
# one-line registration of a job kind
# ---------------------------------------------------------------------------------------------
class CountJob(RunOptions):
    """Request of a job kind defined by the test (module level: workers import it)."""

    kind: Literal["count"] = "count"


class NoKind(RunOptions):
    pass


def count_countries(params: CountJob, ctx: JobContext) -> dict[str, Any]:
    """A job kind for the test: runs in a worker like the real ones."""
    baseline = ctx.baseline(params)
    ctx.progress(1, 1, "counted")
    return {"countries": len(baseline.countries)}


def test_register_a_job_kind_in_one_line(data_dir) -> None:
    with pytest.raises(ValueError, match="kind: Literal"):
        register_job_kind("count", NoKind, count_countries)
    try:
        register_job_kind("count", CountJob, count_countries)  # the one line
        with TestClient(make_app(data_dir, workers=1)) as c:
            assert "count" in c.get("/api/options").json()["job_kinds"]
            job = c.post("/api/jobs", json={"kind": "count", "regions": "g14"})
            assert job.status_code == 202, job.text
            assert wait_job(c, job.json()["id"])["result"] == {"countries": 14}
            again = c.post("/api/jobs", json={"kind": "count", "regions": "g14", "year": 2022})
            assert again.json()["cached"] is True  # a kind registered later: the result cache
            assert again.json()["result"] == {"countries": 14}
            assert "count" in json.dumps(c.get("/openapi.json").json()["paths"]["/api/jobs"])
    finally:
        JOB_KINDS.pop("count", None)


def test_hosts_of_the_tests_are_not_the_default() -> None:
    assert "testserver" in TEST_HOSTS


def test_same_scenario_via_scenario_from_dict_has_the_same_key() -> None:
    data = small_scenario(0.3)
    assert run_key(scenario_from_dict(data), RunOptions(regions="g14")) == run_key(
        scenario_from_dict(json.loads(json.dumps(data))), RunOptions(regions="g14", year=2022))
    assert run_key(scenario_from_dict(data), RunOptions()) != run_key(
        scenario_from_dict(data), RunOptions(regions="g14"))


def test_a_runs_summary_is_the_reports(client) -> None:
    """GET /api/runs/{id}/summary: the facts the HTML report opens with
    (tradewar.report.summary_facts of the run JSON), what the page's summary words."""
    import dataclasses

    from tradewar.report import summary_facts

    run = client.post("/api/run", json={"scenario": "us-china-april-11", "regions": "g14"})
    assert run.status_code == 200
    facts = client.get(f"/api/runs/{run.headers['x-run-id']}/summary").json()
    assert facts == json.loads(json.dumps(dataclasses.asdict(summary_facts(run.json()))))
    welfare = {c: r["welfare_pct"] for c, r in run.json()["countries"].items()}
    assert facts["loser"] == min(welfare, key=welfare.__getitem__)
    assert [(p["exporter"], p["importer"]) for p in facts["pair"]] == [("CHN", "USA"), ("USA", "CHN")]
    assert client.get(f"/api/runs/{'0' * 32}/summary").status_code == 404
