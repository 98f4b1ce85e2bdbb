"""`tradewar serve`: the web app (JSON API and page) with uvicorn, on 127.0.0.1 by default."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UserInputError
from ._common import DataDirOption, console, line, warn


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _scheduler(value: str | None) -> str | None:
    """The Dask address to use, or None for local worker processes."""
    import os

    address = value if value is not None else os.environ.get("DASK_SCHEDULER_ADDRESS", "")
    address = address.strip()
    if address.lower() in ("", "local"):
        return None
    if not address.startswith(("tcp://", "tls://", "inproc://", "ws://", "wss://")):
        raise UserInputError(f"--scheduler {address!r}: not a scheduler address; allowed: "
                             "tcp://HOST:PORT (or 'local')")
    return address


def serve(
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on. The default answers this machine only; any other "
                       "address lets everyone who can reach it run computations.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, max=32, help="Computations at once (one worker process each).")] = 2,
    time_limit: Annotated[float, typer.Option(
        "--time-limit", min=1.0, help="Seconds one run may take before it is stopped (HTTP 504).")] = 60.0,
    job_time_limit: Annotated[float, typer.Option(
        "--job-time-limit", min=1.0, help="Seconds one job may take before it is stopped.")] = 600.0,
    max_queue: Annotated[int, typer.Option(
        "--max-queue", min=0, help="Computations that may wait; more get HTTP 429.")] = 32,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Dask scheduler tcp://HOST:PORT to compute on (default "
        "$DASK_SCHEDULER_ADDRESS; 'local' or unset: worker processes of this machine).",
        show_default=False)] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Serve the web page and JSON API (see docs/web.md): pick or build a scenario, run it, see
    the map, tables and charts, compare runs, download JSON, CSV and HTML reports."""
    try:
        import uvicorn

        from ..web import WebSettings, create_app
    except ImportError as exc:  # pragma: no cover - the web extras are not installed
        raise UserInputError(f"the web app needs fastapi and uvicorn ({exc}); "
                             "install them with `pip install fastapi uvicorn`") from None
    from ..data import default_data_dir

    base = Path(data_dir) if data_dir is not None else default_data_dir()
    loopback = _is_loopback(host)
    if not loopback:
        warn(f"listening on {host}: the API has no authentication, so anyone who can reach "
             "this address can run computations (within the limits of docs/web.md)")
    settings = WebSettings(
        data_dir=str(base), workers=workers, max_queue=max_queue, run_time_limit=time_limit,
        job_time_limit=job_time_limit,
        allowed_hosts=("127.0.0.1", "localhost", "::1") if loopback else ("*",),
        scheduler=_scheduler(scheduler),
    )
    shown = f"[{host}]" if ":" in host else host
    console.print(line("tradewar web app on ", (f"http://{shown}:{port}/", "bold"),
                       f" ({workers} workers, {time_limit:g} s per run; Ctrl-C stops it)"))
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info",
                server_header=False, timeout_keep_alive=5, limit_concurrency=256,
                timeout_graceful_shutdown=5)
