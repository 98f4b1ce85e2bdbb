"""A small, bounded load test on loopback (benchmarks/load_web.py with 100 requests from 10
concurrent clients): no request fails, no 5xx, every job finishes — among them a job of every
registered kind (its example request: kinds registered later are covered too) — and the server
still answers afterwards. Latency is reported by the benchmark, never asserted here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tradewar.web._kinds import JOB_KINDS

from .conftest import LiveServer, make_app

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load_web() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_bench_load_web", BENCHMARKS / "load_web.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_mixed_load_has_no_errors_and_loses_no_job(data_dir) -> None:
    bench = load_web()
    with LiveServer(make_app(data_dir, workers=2, max_queue=32)) as server:
        report = bench.run_load(server.url, requests=100, concurrency=10, seed=1, budget=120)
    assert report["sent"] == 100, report
    assert report["errors"] == 0, report["error_samples"]
    assert report["jobs"]["submitted"] > 0
    assert report["jobs"]["done"] == report["jobs"]["submitted"] and report["jobs"]["lost"] == 0
    analysis = report["analysis"]
    assert set(analysis["kinds"]) == set(JOB_KINDS) and set(analysis["by_kind"]) == set(JOB_KINDS)
    assert all(v["done"] == v["submitted"] >= 1 for v in analysis["by_kind"].values()), analysis
    assert analysis["lost"] == 0
    assert set(report["statuses"]) <= {"200", "202"}  # no 4xx, no 5xx
    assert report["answers_after"]
    assert report["server"]["jobs"]["failed"] == 0 and report["server"]["pool"]["failed"] == 0


def test_load_test_refuses_other_addresses() -> None:
    bench = load_web()
    for url in ("http://10.0.0.1:8000", "http://192.168.1.5", "http://example.com"):
        assert not bench.is_loopback(url)
        with pytest.raises(ValueError, match="this machine only"):
            bench.run_load(url, requests=1, concurrency=1)
    assert bench.is_loopback("http://127.0.0.1:8000") and bench.is_loopback("http://[::1]:8000")
