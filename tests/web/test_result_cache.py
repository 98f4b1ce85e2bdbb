"""The server's result cache (tradewar.web._kind_memo): an identical job request of any kind
is answered from it without a worker; a different request is not; a new data epoch empties it
(and the run cache)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tradewar.web._kind_memo import DataEpoch, ResultCache, data_epoch, request_hash
from tradewar.web._kind_talks import TalksJob

from .conftest import finished, make_app

BODY: dict[str, Any] = {"kind": "exposure", "exporter": "CHN", "partner": "USA",
                        "dataset": "wiod", "year": 2014}


class Epoch:
    """A data epoch the test moves on by hand."""

    def __init__(self) -> None:
        self.value = "first"

    def __call__(self) -> str:
        return self.value


@pytest.fixture(scope="module")
def app_and_epoch(data_dir: Path) -> Iterator[tuple[TestClient, Epoch]]:
    epoch = Epoch()
    app = make_app(data_dir, workers=1)
    app.state.manager.epoch = epoch
    with TestClient(app) as client:
        yield client, epoch


def completed(client: TestClient) -> int:
    return client.get("/api/health").json()["pool"]["completed"]


def test_the_same_request_is_answered_from_the_cache_without_a_worker(app_and_epoch) -> None:
    client, _ = app_and_epoch
    first = finished(client, BODY)
    assert first["status"] == "done" and first["cached"] is False, first
    tasks = completed(client)
    again = client.post("/api/jobs", json={**BODY, "elasticity": "IS"})  # the default, spelt out
    assert again.status_code == 202
    job = again.json()
    assert job["status"] == "done" and job["cached"] is True, job  # at once, no polling
    assert job["progress"]["message"] == "from the cache"
    assert job["result"] == first["result"]
    assert completed(client) == tasks  # no worker ran
    assert client.get(f"/api/jobs/{job['id']}").json()["cached"] is True
    health = client.get("/api/health").json()["cache"]
    assert health["result_hits"] >= 1 and health["results"] >= 1

    other = finished(client, {**BODY, "year": 2013})  # another request: computed
    assert other["status"] == "done" and other["cached"] is False
    assert completed(client) == tasks + 1
    assert other["result"] != first["result"]


def test_a_failed_job_is_not_cached(app_and_epoch) -> None:
    client, _ = app_and_epoch
    body = {**BODY, "exporter": "XYZ"}
    for _ in range(2):
        job = finished(client, body)
        assert job["status"] == "failed" and job["cached"] is False, job


def test_a_new_data_epoch_empties_the_caches(app_and_epoch) -> None:
    client, epoch = app_and_epoch
    body = {**BODY, "year": 2012}
    assert finished(client, body)["cached"] is False
    assert client.post("/api/jobs", json=body).json()["cached"] is True
    run = client.post("/api/run", json={"scenario": "tpp", "regions": "g14"})
    assert run.status_code == 200 and client.post(
        "/api/run", json={"scenario": "tpp", "regions": "g14"}).headers["x-cache"] == "hit"
    epoch.value = "second"  # e.g. a source file replaced and the baselines rebuilt
    tasks = completed(client)
    job = finished(client, body)
    assert job["cached"] is False and completed(client) == tasks + 1
    assert client.post("/api/run", json={"scenario": "tpp",
                                         "regions": "g14"}).headers["x-cache"] == "miss"


def test_the_request_hash_resolves_the_year_and_tells_requests_apart() -> None:
    a = TalksJob.model_validate({"players": ["USA", "CHN"]})
    assert request_hash(a) == request_hash(TalksJob.model_validate(
        {"players": ["USA", "CHN"], "year": 2022, "dataset": "icio"}))
    assert request_hash(a) != request_hash(TalksJob.model_validate({"players": ["CHN", "USA"]}))
    assert request_hash(a) != request_hash(TalksJob.model_validate(
        {"players": ["USA", "CHN"], "year": 2021}))


def test_the_cache_is_bounded_by_count_and_bytes() -> None:
    cache = ResultCache(max_entries=2, max_bytes=100)
    for key in "abc":
        cache.lookup(key, "e")
        cache.store(key, {"x": key}, "e")
    assert cache.lookup("a", "e") is None and cache.lookup("c", "e") == {"x": "c"}
    cache.store("big", {"x": "y" * 200}, "e")  # larger than the whole cache: not kept
    assert cache.lookup("big", "e") is None
    cache.store("late", {"x": 1}, "old")  # computed in an earlier epoch: not kept
    assert cache.lookup("late", "e") is None
    emptied: list[bool] = []
    cache.on_new_epoch = lambda: emptied.append(True)
    assert cache.lookup("c", "f") is None and emptied == [True] and len(cache) == 0


def test_the_data_epoch_follows_sources_and_calibrated_baselines(tmp_path: Path) -> None:
    data, cache = tmp_path / "data", tmp_path / "cache"
    (data / "icio").mkdir(parents=True)
    cache.mkdir()
    source = data / "icio" / "table.csv"
    source.write_text("1,2\n")
    first = data_epoch(data, cache)
    assert data_epoch(data, cache) == first
    (cache / "us-schedule.lock").write_text("")  # not a baseline: no new epoch
    (cache / "notes.json").write_text("{}")
    assert data_epoch(data, cache) == first
    sidecar = cache / f"icio-2022-{'0' * 24}.json"
    sidecar.write_text("{}")  # a baseline calibrated
    second = data_epoch(data, cache)
    assert second != first
    source.write_text("1,3\n")  # a source file replaced
    os.utime(source, ns=(1, 1))
    assert data_epoch(data, cache) not in (first, second)


def wait(client: TestClient, job_id: str) -> dict[str, Any]:
    import time

    deadline = time.monotonic() + 300
    while (job := client.get(f"/api/jobs/{job_id}").json())["status"] in ("queued", "running"):
        if time.monotonic() > deadline:  # a hang guard
            pytest.fail(f"the job did not finish: {job}")
        time.sleep(0.05)
    return job


def test_identical_jobs_in_flight_share_one_computation(app_and_epoch) -> None:
    client, _ = app_and_epoch
    body = {"kind": "talks", "players": ["USA", "JPN"]}  # a Nash war: seconds, not instant
    tasks = completed(client)
    first = client.post("/api/jobs", json=body).json()
    second = client.post("/api/jobs", json=body).json()  # while the first is queued or running
    assert first["status"] in ("queued", "running") and second["status"] in ("queued", "running")
    assert second["cached"] is False and second["id"] != first["id"]
    a, b = wait(client, first["id"]), wait(client, second["id"])
    assert a["status"] == b["status"] == "done" and a["result"] == b["result"]
    assert completed(client) == tasks + 1  # one worker task for both


def test_cancelling_one_of_two_identical_jobs_keeps_the_other(app_and_epoch) -> None:
    client, _ = app_and_epoch
    body = {"kind": "talks", "players": ["USA", "KOR"]}
    first = client.post("/api/jobs", json=body).json()
    second = client.post("/api/jobs", json=body).json()
    assert client.delete(f"/api/jobs/{first['id']}").json()["status"] == "cancelled"
    assert wait(client, second["id"])["status"] == "done"  # the computation went on for it
    assert wait(client, first["id"])["status"] == "cancelled"
    alone = client.post("/api/jobs", json={**body, "players": ["USA", "CAN"]}).json()
    client.delete(f"/api/jobs/{alone['id']}")  # the only job: its computation stops
    assert wait(client, alone["id"])["status"] == "cancelled"


def test_a_server_without_data_starts_and_its_epoch_reads(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRADEWAR_DATA_DIR", str(tmp_path / "missing"))  # no such folder
    epoch = DataEpoch(None, tmp_path, seconds=0)
    first = epoch()
    assert first == data_epoch(None, tmp_path)  # missing data: an empty folder, no error
    (tmp_path / f"icio-2022-{'1' * 24}.json").write_text("{}")  # a baseline calibrated
    assert epoch() != first
