"""Hostile web cases of issue 14: a killed server's job ids, an empty data directory, region
mappings that cannot hold a built-in, and no server path or traceback in any response.

The restart test runs the real ``tradewar serve`` (the installed console script) on a free
loopback port, kills it with SIGKILL and starts it again.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tradewar.scenario import builtin_names

from .conftest import make_app

TRADEWAR = Path(sys.executable).with_name("tradewar")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _call(url: str, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _serve(port: int, env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([str(TRADEWAR), "serve", "--port", str(port), "--workers", "1"],
                            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    for _ in range(600):  # a hang guard (60 s), not a speed check
        if proc.poll() is not None:
            pytest.fail(f"tradewar serve exited with {proc.returncode}: {proc.stdout.read()}")
        try:
            _call(f"http://127.0.0.1:{port}/api/health")
            return proc
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    proc.kill()
    pytest.fail("tradewar serve did not answer on its port within 60 s")


def test_a_job_of_a_killed_server_is_answered_lost_after_a_restart(tmp_path) -> None:
    assert TRADEWAR.is_file(), f"{TRADEWAR} missing: install with scripts/setup.sh --test"
    env = {**os.environ, "TRADEWAR_CACHE_DIR": str(tmp_path / "cache")}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    first = _serve(port, env, tmp_path)
    try:
        status, job = _call(base + "/api/jobs", {"kind": "compare",
                                                 "scenarios": ["allied-front", "tpp"]})
        assert status == 202, job
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    second = _serve(port, env, tmp_path)
    try:
        status, answer = _call(f"{base}/api/jobs/{job['id']}")
        assert status == 404
        assert "lost when the server stopped; rerun it" in answer["detail"], answer
        assert "newer ones" not in answer["detail"]
        status, never = _call(f"{base}/api/jobs/{'0' * 32}")
        assert status == 404 and "lost" not in never["detail"]
        status, new = _call(base + "/api/jobs", {"kind": "scenario", "scenario": "tpp",
                                                 "regions": "g14"})
        assert status == 202 and new["id"][:8] != job["id"][:8]  # another instance's tag
        status, mine = _call(f"{base}/api/jobs/{new['id']}")
        assert status == 200 and mine["id"] == new["id"]
    finally:
        second.send_signal(signal.SIGINT)
        try:
            second.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            second.kill()
    assert (tmp_path / "cache" / "web" / "web-instances.txt").read_text().count("\n") == 2


def _no_leak(response: Any, *paths: str) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/json"), response.text
    text = response.text
    for path in paths:
        assert path not in text, text
    assert "Traceback" not in text and 'File "' not in text, text
    return response.json()


def test_an_empty_data_directory_answers_json_without_paths(tmp_path) -> None:
    empty = tmp_path / "no-data-here"
    empty.mkdir()
    home = str(Path.home())
    app = make_app(empty, workers=1, state_dir=str(tmp_path / "state"))
    with TestClient(app, raise_server_exceptions=False) as client:
        run = client.post("/api/run", json={"scenario": "tpp"})
        assert run.status_code == 503
        assert "not available on the server" in _no_leak(run, str(empty), home)["detail"]
        for name in ("world_50m.json", "world_110m.json"):
            geo = client.get(f"/geo/{name}")
            assert geo.status_code == 503
            assert f"geo/{name}" in _no_leak(geo, str(empty), home)["detail"]
        baseline = client.get("/api/baseline", params={"regions": "g14"})
        assert baseline.status_code == 503
        _no_leak(baseline, str(empty), home)
        job = client.post("/api/jobs", json={"kind": "scenario", "scenario": "tpp"}).json()
        deadline = time.monotonic() + 120
        while (state := client.get(f"/api/jobs/{job['id']}")).json()["status"] in (
                "queued", "running"):
            if time.monotonic() > deadline:  # a hang guard
                pytest.fail("timed out waiting")
            time.sleep(0.05)
        failed = _no_leak(state, str(empty), home)
        assert failed["status"] == "failed" and failed["error"]["status"] == 503
        for url in ("/nowhere", "/static/nothing.js", "/api/runs/" + "0" * 32 + ".csv"):
            assert client.get(url).status_code == 404
            _no_leak(client.get(url), str(empty), home)
        assert client.put("/api/run").status_code == 405
        _no_leak(client.put("/api/run"), str(empty), home)


def test_an_unexpected_error_is_json_without_a_traceback(data_dir, tmp_path) -> None:
    app = make_app(data_dir, workers=1, state_dir=str(tmp_path))

    @app.get("/api/boom")
    async def boom() -> None:
        raise RuntimeError(f"failed reading {data_dir}/secret/file.bin")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/boom")
        assert response.status_code == 500
        body = _no_leak(response, str(data_dir))
        assert body == {"detail": "internal error (RuntimeError); see the server log"}


def test_options_list_what_the_api_accepts(client: TestClient) -> None:
    options = client.get("/api/options").json()
    assert options["retaliation"] == ["none", "mirror", "optimal"]
    for rule in options["retaliation"]:
        body = {"scenario": {"name": f"r-{rule}", "retaliation": rule, "tariff": [
            {"importer": "USA", "exporter": "MEX", "add": 0.1}]}, "regions": "g14"}
        response = client.post("/api/run", json=body)
        assert response.status_code == 200, (rule, response.text)
    for closure in options["deficits"]:
        body = {"scenario": {"name": "d", "tariff": [{"importer": "USA", "exporter": "MEX",
                                                      "add": 0.1}]},
                "regions": "g14", "deficits": closure}
        assert client.post("/api/run", json=body).status_code == 200, closure
    refused = client.post("/api/run", json={"scenario": "tpp", "deficits": "given"})
    assert refused.status_code == 422  # not offered, not accepted


@pytest.mark.slow
@pytest.mark.parametrize("regions", ["g14", "blocs"])
def test_every_builtin_on_a_region_mapping_runs_or_says_why(client: TestClient, regions) -> None:
    assert regions in client.get("/api/options").json()["regions"]
    outcomes = {}
    for name in builtin_names():
        response = client.post("/api/run", json={"scenario": name, "regions": regions})
        outcomes[name] = response.status_code
        if response.status_code == 422:
            (error,) = response.json()["detail"]
            assert error["loc"] == ["body", "regions"], error
            assert f"built-in scenario {name!r} cannot run on regions {regions!r}" in error["msg"]
            assert "run it on every economy" in error["msg"]
        else:
            assert response.status_code == 200, (name, response.text)
            assert response.json()["baseline"]["regions"] == regions
    assert 200 in outcomes.values(), outcomes  # the mapping is usable at all


@pytest.mark.slow
def test_every_offered_option_combination_runs(client: TestClient) -> None:
    """Every dataset x region mapping x closure that /api/options offers runs (a scenario naming
    economies every mapping keeps), and every elasticity set on each dataset."""
    import itertools

    options = client.get("/api/options").json()
    scenario = {"name": "chn-jpn", "tariff": [{"importer": "CHN", "exporter": "JPN", "add": 0.2}]}
    combos = [(d, r, c, "IS") for d, r, c in itertools.product(
        options["datasets"], [None, *options["regions"]], options["deficits"])]
    combos += [(d, "g14", "fixed", e) for d in options["datasets"] for e in options["elasticities"]]
    for dataset, regions, closure, elasticity in combos:
        body = {"scenario": scenario, "dataset": dataset, "regions": regions,
                "deficits": closure, "elasticity": elasticity}
        response = client.post("/api/run", json=body)
        assert response.status_code == 200, (body, response.text)
        run = response.json()
        assert run["baseline"]["dataset"] == dataset and run["closure"] == closure
        assert run["solver"]["converged"] is True


def test_no_response_names_a_server_path(client: TestClient, data_dir) -> None:
    """Pages, downloads, reports and the schema of a working server name no path of it."""
    import tradewar

    package = str(Path(tradewar.__file__).resolve().parent)
    ids = [client.post("/api/run", json={"scenario": s, "regions": "g14"}).headers["x-run-id"]
           for s in ("us-china-ladder-2025", "tpp")]
    urls = [f"/api/runs/{ids[0]}.json", f"/api/runs/{ids[0]}.html", f"/api/runs/{ids[0]}/map",
            *(f"/api/runs/{ids[0]}.csv?table={t}" for t in ("countries", "bilateral", "sectors",
                                                           "steps")),
            f"/api/compare.html?runs={ids[0]}&runs={ids[1]}", f"/api/compare.json?runs={ids[0]}"
            f"&runs={ids[1]}", "/api/health", "/api/options", "/api/scenarios", "/api/runs",
            "/api/baseline?regions=g14", "/openapi.json", "/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        for path in (str(data_dir), str(Path.home()), package, sys.prefix):
            assert path not in response.text, (url, path)
        assert "Traceback" not in response.text, url
