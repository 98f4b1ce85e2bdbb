"""run_chunks on this machine: serial and process pool, checkpoints, resume, failures."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from tradewar.errors import UserInputError
from tradewar.run import (
    RunInterrupted,
    SchedulerUnreachableError,
    chunk,
    fingerprint,
    run_chunks,
    spawn_seeds,
    suggest_chunk_size,
)

from ._tasks import counting_task, dying_task, slow_task

N = 8


def calls_by_chunk(directory: Path) -> dict[int, int]:
    counts: dict[int, int] = {}
    for name in os.listdir(directory):
        index = int(name.split("-")[1])
        counts[index] = counts.get(index, 0) + 1
    return counts


@pytest.fixture
def calls(tmp_path):
    path = tmp_path / "calls"
    path.mkdir()
    return path


def expected_frame(indices):
    return pd.DataFrame({"chunk": list(indices), "square": [i * i for i in indices],
                         "label": [f"c{i}" for i in indices]})


@pytest.mark.parametrize("workers", [1, 2])
def test_rows_in_chunk_order_with_checkpoints(tmp_path, calls, workers):
    out = run_chunks(counting_task, {"calls": str(calls)}, range(N), workers=workers,
                     checkpoint_dir=tmp_path / "ck", run_key="job", progress=False)
    assert out.backend == ("serial" if workers == 1 else "processes")
    assert out.ok and out.resumed_chunks == 0
    pd.testing.assert_frame_equal(out.frame[["chunk", "square"]],
                                  expected_frame(range(N))[["chunk", "square"]])
    assert list(out.frame["label"]) == [f"c{i}" for i in range(N)]
    assert sorted(p.name for p in (tmp_path / "ck" / "job").glob("chunk-*.parquet")) == [
        f"chunk-{i:06d}.parquet" for i in range(N)]
    assert not list((tmp_path / "ck" / "job").glob(".*tmp"))  # no temp files left behind
    # rerun: everything is loaded, nothing computed, the same frame
    again = run_chunks(counting_task, {"calls": str(calls)}, range(N), workers=workers,
                       checkpoint_dir=tmp_path / "ck", run_key="job", progress=False)
    assert again.resumed_chunks == N
    assert calls_by_chunk(calls) == dict.fromkeys(range(N), 1)
    pd.testing.assert_frame_equal(again.frame, out.frame)


@pytest.mark.parametrize("workers", [1, 2])
def test_interrupted_run_resumes_where_it_stopped(tmp_path, workers):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    with pytest.raises(KeyboardInterrupt) as info:
        run_chunks(counting_task, {"calls": str(first), "stop_at": 4}, range(N),
                   workers=workers, checkpoint_dir=tmp_path / "ck", run_key="job",
                   progress=False)
    stop = info.value
    assert isinstance(stop, RunInterrupted)
    kept = sorted(int(p.stem.split("-")[1]) for p in (tmp_path / "ck/job").glob("chunk-*"))
    assert stop.kept == len(kept) and stop.total == N
    assert 1 <= len(kept) <= 3
    assert str(stop) == (f"stopped; {len(kept)} of {N} chunks kept in {tmp_path / 'ck/job'}"
                         " — rerun the same command to resume")
    out = run_chunks(counting_task, {"calls": str(second)}, range(N), workers=workers,
                     checkpoint_dir=tmp_path / "ck", run_key="job", progress=False)
    assert out.resumed_chunks == len(kept)
    assert calls_by_chunk(second) == {i: 1 for i in range(N) if i not in kept}
    pd.testing.assert_frame_equal(out.frame, expected_frame(range(N)))


@pytest.mark.parametrize("workers", [1, 2])
def test_failing_chunk_is_retried_then_recorded(tmp_path, calls, workers):
    shared = {"calls": str(calls), "fail": 2, "flaky": 5}
    out = run_chunks(counting_task, shared, range(N), workers=workers, retries=2,
                     checkpoint_dir=tmp_path / "ck", run_key="job", progress=False)
    assert [i for i, _ in out.failed] == [2]
    assert out.failed[0][1] == "ValueError: chunk 2 is broken"
    assert not out.ok
    counts = calls_by_chunk(calls)
    assert counts[2] == 3 and counts[5] == 2  # 1 + 2 retries; flaky succeeded on its retry
    pd.testing.assert_frame_equal(out.frame, expected_frame([i for i in range(N) if i != 2]))
    record = json.loads((tmp_path / "ck/job/failed.json").read_text())
    assert record[0]["chunk"] == 2 and "chunk 2 is broken" in record[0]["traceback"]
    # a rerun recomputes only the failed chunk (and removes failed.json once it succeeds)
    fixed = run_chunks(counting_task, {"calls": str(calls)}, range(N), workers=workers,
                       checkpoint_dir=tmp_path / "ck", run_key="job", progress=False)
    assert fixed.ok and fixed.resumed_chunks == N - 1
    assert not (tmp_path / "ck/job/failed.json").exists()
    pd.testing.assert_frame_equal(fixed.frame, expected_frame(range(N)))


def test_wrong_return_type_is_a_failure_not_a_crash(calls):
    out = run_chunks(counting_task, {"calls": str(calls), "bad_type": 1}, range(3),
                     workers=1, retries=0, progress=False)
    assert out.failed == [(1, "TypeError: a task must return a pandas.DataFrame or a list "
                              "of dicts, not dict")]
    assert list(out.frame["chunk"]) == [0, 2]


def test_progress_callback_counts_resumed_and_finished(tmp_path, calls):
    seen = []
    run_chunks(counting_task, {"calls": str(calls)}, range(3), workers=1,
               checkpoint_dir=tmp_path, run_key="job", progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    (tmp_path / "job/chunk-000001.parquet").unlink()
    seen.clear()
    run_chunks(counting_task, {"calls": str(calls)}, range(3), workers=1,
               checkpoint_dir=tmp_path, run_key="job", progress=lambda d, t: seen.append((d, t)))
    assert seen == [(2, 3), (3, 3)]


def test_checkpoint_of_another_job_is_refused(tmp_path, calls):
    run_chunks(counting_task, {"calls": str(calls)}, range(3), workers=1,
               checkpoint_dir=tmp_path, run_key="job", progress=False)
    with pytest.raises(UserInputError, match="holds a run of 3 chunks, this run has 4"):
        run_chunks(counting_task, {"calls": str(calls)}, range(4), workers=1,
                   checkpoint_dir=tmp_path, run_key="job", progress=False)
    with pytest.raises(UserInputError, match="run_key"):
        run_chunks(counting_task, {}, range(1), checkpoint_dir=tmp_path, run_key="../x")


def test_unreachable_scheduler_fails_fast_with_a_clear_message(calls):
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(1)
    future = pool.submit(run_chunks, counting_task, {"calls": str(calls)}, range(2),
                         scheduler="tcp://127.0.0.1:1", progress=False)
    # "fast" = it raises instead of retrying: ~1 s here; the 15 s hang guard (>10x typical)
    # holds on a loaded 2-core machine. A hang makes result() raise TimeoutError, failing the test.
    with pytest.raises(SchedulerUnreachableError) as info:
        future.result(timeout=15)
    pool.shutdown(wait=False)
    message = str(info.value)
    assert "tcp://127.0.0.1:1" in message
    assert "dask scheduler" in message and "dask worker" in message
    assert isinstance(info.value, UserInputError)
    assert calls_by_chunk(calls) == {}


def test_scheduler_address_from_environment_and_local_override(monkeypatch, calls):
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://127.0.0.1:1")
    with pytest.raises(SchedulerUnreachableError, match="127.0.0.1:1"):
        run_chunks(counting_task, {"calls": str(calls)}, range(2), progress=False)
    out = run_chunks(counting_task, {"calls": str(calls)}, range(2), scheduler="local",
                     workers=1, progress=False)
    assert out.backend == "serial" and len(out.frame) == 2
    with pytest.raises(SchedulerUnreachableError, match="HOST:PORT"):
        run_chunks(counting_task, {}, range(2), scheduler="nonsense", progress=False)


@pytest.mark.slow
def test_ctrl_c_stops_the_pool_and_keeps_finished_chunks(tmp_path):
    """A real SIGINT to a process running a 2-worker pool: it exits promptly with the message,
    finished chunks stay on disk, and a rerun computes only the rest."""
    script = (
        "import sys; from tradewar.run import run_chunks; from tests.run._tasks import slow_task\n"
        "try:\n"
        f"    run_chunks(slow_task, {{'sleep': 0.3}}, range(40), workers=2,\n"
        f"               checkpoint_dir={str(tmp_path)!r}, run_key='job', progress=False)\n"
        "except KeyboardInterrupt as exc:\n"
        "    print(exc); sys.exit(130)\n")
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 30
    while len(list(tmp_path.glob("job/chunk-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    # Promptness is shown by behaviour, not by a clock: running to the end would keep all 40
    # chunks (40 x 0.3 s on 2 workers), so `kept < 40` fails if Ctrl-C waits for the pool. The
    # timeout below only guards against a hang (10x the ~2 s a loaded 2-core machine needs).
    out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 130
    kept = len(list(tmp_path.glob("job/chunk-*")))
    assert 2 <= kept < 40
    assert f"stopped; {kept} of 40 chunks kept in {tmp_path / 'job'}" in out
    done = run_chunks(slow_task, {"sleep": 0.0}, range(40), workers=1,
                      checkpoint_dir=tmp_path, run_key="job", progress=False)
    assert done.resumed_chunks == kept and list(done.frame["chunk"]) == list(range(40))


def test_spawn_seeds_are_deterministic_and_prefix_stable():
    seeds = spawn_seeds(42, 10)
    assert seeds == spawn_seeds(42, 10)
    assert seeds[:4] == spawn_seeds(42, 4)
    assert len(set(seeds)) == 10 and all(0 <= s < 2**63 for s in seeds)
    assert seeds != spawn_seeds(43, 10)


def test_chunk_and_chunk_size_helpers():
    assert chunk(range(7), 3) == [[0, 1, 2], [3, 4, 5], [6]]
    assert chunk([], 3) == []
    with pytest.raises(UserInputError):
        chunk(range(3), 0)
    assert suggest_chunk_size(0.02) == 50
    assert suggest_chunk_size(0.02, target_seconds=0.01) == 5  # never under 100 ms
    assert suggest_chunk_size(5.0) == 1
    assert suggest_chunk_size(0.001, n_items=1000, workers=2) == 125  # 4 chunks per worker
    assert suggest_chunk_size(0.001, n_items=50) == 50
    with pytest.raises(UserInputError):
        suggest_chunk_size(0.0)


def test_fingerprint_is_stable_and_sensitive():
    import numpy as np

    a = {"x": np.arange(4.0), "names": ("USA", "CHN")}
    assert fingerprint(counting_task, a, [1, 2]) == fingerprint(counting_task, dict(a), [1, 2])
    b = {"x": np.arange(4.0) + 1e-12, "names": ("USA", "CHN")}
    assert fingerprint(counting_task, a, [1, 2]) != fingerprint(counting_task, b, [1, 2])
    assert fingerprint(counting_task, a, [1, 2]) != fingerprint(slow_task, a, [1, 2])


@pytest.mark.slow
def test_local_worker_death_is_retried_on_a_fresh_pool(tmp_path):
    marker = tmp_path / "died-once"
    out = run_chunks(dying_task, {"victim": 3, "marker": str(marker)}, range(8), workers=2,
                     progress=False)
    assert marker.exists() and out.ok
    assert list(out.frame["chunk"]) == list(range(8))


def test_solve_tariff_scenarios_equals_single_solves() -> None:
    """The ready-made task: chunks of scenarios across processes give the single solves' numbers."""
    import numpy as np

    from tradewar.model import solve
    from tradewar.run import solve_tariff_scenarios
    from tradewar.testing import random_economy

    economy = random_economy(4, 2, seed=5)
    rng = np.random.default_rng(0)
    taus = economy.tariffs[None] + rng.uniform(0, 0.6, (5,) + economy.tariffs.shape)
    outcome = solve_tariff_scenarios(economy, taus, chunk_size=2, workers=2)
    assert outcome.ok and outcome.frame.converged.all()
    for b in range(5):
        rows = outcome.frame[outcome.frame.scenario == b]
        np.testing.assert_allclose(rows.welfare_pct.to_numpy(), solve(economy, taus[b]).welfare_pct, rtol=1e-10)


def test_fingerprint_changes_with_the_code(monkeypatch):
    """A checkpoint of other code (an older version, a half-edited tree) is never reused:
    the key depends on the package's source, not only on the names of its functions."""
    import numpy as np

    from tradewar.run import _checkpoint

    a = {"x": np.arange(3.0)}
    before = fingerprint(counting_task, a, [1, 2])
    assert _checkpoint.code_identity() == _checkpoint.code_identity()   # stable in a version
    monkeypatch.setattr(_checkpoint, "code_identity", lambda: "other-source")
    assert fingerprint(counting_task, a, [1, 2]) != before
