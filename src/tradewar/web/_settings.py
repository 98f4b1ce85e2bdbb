"""The web app's settings: limits and locations (defaults: what ``tradewar serve`` uses)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["LOOPBACK_HOSTS", "WebSettings"]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class WebSettings:
    """Limits and locations of the web app (defaults: what ``tradewar serve`` uses).

    Attributes:
        data_dir: the data directory (default: the project's, see ``tradewar data``).
        workers: computations at once (local worker processes, or tasks on the cluster).
        max_queue: computations that may wait; beyond that 429 with ``Retry-After``.
        run_time_limit: seconds for one ``POST /api/run`` computation or report (then 504).
        job_time_limit: seconds for one job (then the job fails with status 504).
        max_body_bytes: largest request body (then 413).
        max_runs, max_cache_bytes: the run cache (least recently used out first).
        max_jobs: job records kept (finished ones are forgotten oldest first).
        allowed_hosts: ``Host`` header values accepted (``"*"``: any).
        scheduler: ``tcp://HOST:PORT`` of a Dask scheduler to compute on (default: local
            worker processes), see :class:`tradewar.run.TaskPool`.
        state_dir: where the server keeps the record of its past instances, so that a job id
            of a stopped server is answered "lost when the server stopped" (default:
            ``<tradewar cache>/web``).
    """

    data_dir: str | None = None
    workers: int = 2
    max_queue: int = 32
    run_time_limit: float = 60.0
    job_time_limit: float = 600.0
    max_body_bytes: int = 64 * 1024
    max_runs: int = 256
    max_cache_bytes: int = 256 * 2**20
    max_jobs: int = 500
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    scheduler: str | None = None
    state_dir: str | None = None

    def limits(self) -> dict[str, Any]:
        """The numeric limits (what ``GET /api/health`` shows; no paths, no addresses)."""
        hidden = ("data_dir", "allowed_hosts", "scheduler", "state_dir")
        return {k: v for k, v in asdict(self).items() if k not in hidden}
