"""run_chunks on a real Dask LocalCluster (loopback, 2 worker processes): same results as
local execution, scattered baseline, retried worker deaths."""

from __future__ import annotations

import pandas as pd
import pytest

from tradewar.run import chunk, run_chunks, spawn_seeds
from tradewar.testing import random_economy

from ._tasks import counting_task, dying_task, solve_task

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sweep():
    economy = random_economy(6, 4, seed=3, balanced=True)
    items = list(enumerate(spawn_seeds(2024, 24)))
    return economy, chunk(items, 4)


@pytest.fixture(scope="module")
def serial_frame(sweep):
    economy, chunks = sweep
    out = run_chunks(solve_task, economy, chunks, workers=1, progress=False)
    assert out.backend == "serial" and out.ok
    return out.frame


def test_sweep_rows_are_sane(sweep, serial_frame):
    economy, _ = sweep
    assert len(serial_frame) == 24 * len(economy.countries)
    assert serial_frame["converged"].all()
    assert list(serial_frame["draw"].drop_duplicates()) == list(range(24))
    assert serial_frame["welfare_pct"].abs().max() > 0.01  # the tariffs did something


def test_processes_give_identical_frame(sweep, serial_frame):
    economy, chunks = sweep
    out = run_chunks(solve_task, economy, chunks, workers=2, progress=False)
    assert out.backend == "processes"
    pd.testing.assert_frame_equal(out.frame, serial_frame, check_exact=True)


def test_dask_cluster_gives_identical_frame(cluster, sweep, serial_frame, tmp_path):
    economy, chunks = sweep
    out = run_chunks(solve_task, economy, chunks, scheduler=cluster.scheduler_address,
                     checkpoint_dir=tmp_path, run_key="sweep", progress=False)
    assert out.backend == "dask" and out.ok
    pd.testing.assert_frame_equal(out.frame, serial_frame, check_exact=True)
    assert len(list((tmp_path / "sweep").glob("chunk-*.parquet"))) == len(chunks)


def test_dask_via_environment_variable_with_failures(cluster, monkeypatch, tmp_path):
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster.scheduler_address)
    calls = tmp_path / "calls"
    calls.mkdir()
    out = run_chunks(counting_task, {"calls": str(calls), "fail": 1, "flaky": 3}, range(5),
                     retries=1, checkpoint_dir=tmp_path, run_key="job", progress=False)
    assert out.backend == "dask"
    assert out.failed == [(1, "ValueError: chunk 1 is broken")]
    assert list(out.frame["chunk"]) == [0, 2, 3, 4]
    assert (tmp_path / "job" / "failed.json").exists()


def test_worker_death_mid_task_loses_nothing(cluster, tmp_path):
    marker = tmp_path / "died-once"
    out = run_chunks(dying_task, {"victim": 1, "marker": str(marker)}, range(6),
                     scheduler=cluster.scheduler_address, checkpoint_dir=tmp_path,
                     run_key="job", progress=False)
    assert marker.exists()  # the worker really died
    assert out.ok
    assert list(out.frame["chunk"]) == list(range(6))


def test_chunk_that_keeps_killing_workers_is_recorded_not_dropped(cluster, tmp_path):
    shared = {"victim": 0, "marker": str(tmp_path / "died"), "always": True}
    out = run_chunks(dying_task, shared, range(1), scheduler=cluster.scheduler_address,
                     checkpoint_dir=tmp_path, run_key="job", progress=False)
    assert [i for i, _ in out.failed] == [0]
    assert out.failed[0][1].startswith("KilledWorker")
    assert (tmp_path / "job" / "failed.json").exists()
