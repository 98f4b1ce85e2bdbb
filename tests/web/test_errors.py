"""How failures reach a client: statuses and details of computations and of the run layer's
pool, and no server path in any message."""

from __future__ import annotations

from concurrent.futures import CancelledError

from tradewar.errors import DataSourceError, NonConvergenceError, ScenarioError
from tradewar.run import PoolClosed, QueueFull, TaskFailed, TaskTimeout, WorkerDied
from tradewar.web._errors import describe_failure, from_pool, scrub


def test_failures_map_to_statuses() -> None:
    status, detail = describe_failure(ScenarioError(
        "scenario 'x': coalition[0].members[2]: unknown country 'ZZZ'; allowed: USA"))
    assert status == 422
    assert detail[0]["loc"] == ["body", "scenario", "coalition", 0, "members", 2]
    assert detail[0]["msg"].startswith("coalition[0].members[2]: unknown country 'ZZZ'")
    status, detail = describe_failure(ScenarioError("builtin:tpp: cannot recalibrate"))
    assert status == 422 and detail[0]["loc"] == ["body", "scenario"]
    status, detail = describe_failure(NonConvergenceError("did not converge"))
    assert status == 422 and detail[0]["type"] == "non_convergence_error"
    assert describe_failure(DataSourceError("source file 'x' not found"))[0] == 503
    status, detail = describe_failure(KeyError("/etc/secret"))
    assert status == 500 and detail == "internal error (KeyError); see the server log"


def test_pool_refusals_map_to_statuses() -> None:
    full = from_pool(QueueFull("too many computations waiting (3 queued)", 7))
    assert full.status == 429 and full.headers == {"Retry-After": "7"}
    assert from_pool(PoolClosed("closed")).status == 503
    slow = from_pool(TaskTimeout(0.5))
    assert slow.status == 504 and "time limit of 0.5 s" in str(slow.detail)
    assert "run it as a job" in str(slow.detail)
    died = from_pool(WorkerDied("the worker process died (exit code 3)", 3))
    assert died.status == 500 and "exit code 3" in str(died.detail)
    assert from_pool(CancelledError()).status == 409
    other = from_pool(TaskFailed("ValueError: /root/x"))
    assert other.status == 500 and "/root" not in str(other.detail)


def test_messages_lose_server_paths_but_keep_url_paths(data_dir) -> None:
    text = (f"expected it at {data_dir}/icio/ICIO2022.mat; cache {__file__}; "
            "see /api/jobs/abc and 'allowed: > -1'")
    out = scrub(text, str(data_dir))
    assert "<data dir>/icio/ICIO2022.mat" in out
    assert str(data_dir) not in out and __file__ not in out and "test_errors.py" in out
    assert "/api/jobs/abc" in out and "allowed: > -1" in out
