"""The web app on a Dask cluster: with ``scheduler`` set, runs and jobs are tasks on the
cluster (the run layer's TaskPool), with the same answers as on local worker processes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from .conftest import make_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    import distributed

    with distributed.LocalCluster(n_workers=1, processes=True, threads_per_worker=2,
                                  dashboard_address=None, host="127.0.0.1") as cluster:
        yield cluster


def test_runs_and_jobs_run_on_the_cluster(cluster, client: TestClient, data_dir,
                                          tmp_path) -> None:
    body = {"scenario": "us-china-april-11", "regions": "g14"}
    local = client.post("/api/run", json=body)
    assert local.status_code == 200
    app = make_app(data_dir, workers=2, scheduler=cluster.scheduler_address,
                   state_dir=str(tmp_path))
    with TestClient(app) as remote:
        health = remote.get("/api/health").json()
        assert health["pool"]["workers"] == 2 and "scheduler" not in health["limits"]
        assert app.state.services.pool.backend == "dask"
        answer = remote.post("/api/run", json=body)
        assert answer.status_code == 200, answer.text
        assert answer.headers["x-run-id"] == local.headers["x-run-id"]
        for key in ("countries", "bilateral", "sectors"):
            assert answer.json()[key] == local.json()[key]
        job = remote.post("/api/jobs", json={"kind": "compare", "regions": "g14",
                                             "scenarios": ["tpp", "cptpp"]}).json()
        deadline = time.monotonic() + 120
        while (state := remote.get(f"/api/jobs/{job['id']}").json())["status"] in (
                "queued", "running"):
            if time.monotonic() > deadline:  # a hang guard
                pytest.fail("timed out waiting")
            time.sleep(0.05)
        assert state["status"] == "done" and state["progress"]["total"] == 2, state
        assert [r["scenario"] for r in state["result"]["runs"]] == ["tpp", "cptpp"]
        bad = remote.post("/api/run", json={"scenario": {"name": "x", "tariff": [
            {"importer": "USA", "exporter": "DEU", "add": 0.1}]}, "regions": "g14"})
        assert bad.status_code == 422  # the worker's ScenarioError, mapped as locally
        assert bad.json()["detail"][0]["loc"] == ["body", "scenario", "tariff", 0, "exporter"]
