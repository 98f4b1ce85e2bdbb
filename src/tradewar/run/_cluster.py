"""Reaching a Dask cluster, and running chunks of a batch on it."""

from __future__ import annotations

import os
import socket
import uuid
import warnings
from collections.abc import Callable
from contextlib import suppress
from typing import Any, TypeVar

import pyarrow as pa

from ..errors import UserInputError
from ._checkpoint import as_table
from ._env import heap_for_arrays

__all__ = ["CONNECT_TIMEOUT", "SchedulerUnreachableError", "connect", "run_dask",
           "scheduler_address"]

T = TypeVar("T")

#: Seconds allowed to reach a Dask scheduler before giving up.
CONNECT_TIMEOUT = 10.0

_START_SCHEDULER = ("start one with `dask scheduler` (it prints its address, tcp://HOST:8786) "
                    "and workers with `dask worker ADDRESS`, then pass --scheduler ADDRESS or set "
                    "DASK_SCHEDULER_ADDRESS; or use --scheduler local to run on this machine")


class SchedulerUnreachableError(UserInputError):
    """The Dask scheduler address cannot be reached (or is malformed)."""

    def __init__(self, address: str, reason: str):
        super().__init__(f"cannot reach the Dask scheduler at {address!r} ({reason}); "
                         + _START_SCHEDULER)
        self.address = address


def _remote_call(task: Callable[[Any, Any], Any], shared: Any, chunk: Any) -> pa.Table:
    heap_for_arrays()
    return as_table(task(shared, chunk))


def run_dask(address, task, shared, chunks, pending, retries, done, fail) -> None:
    """Send ``shared`` to the cluster once, submit one task per chunk, collect them as they
    finish.

    ``shared`` enters the cluster as the result of a task (not ``client.scatter``): workers
    fetch it from each other once, and if every worker holding it dies the scheduler simply
    recomputes it, whereas scattered data would be lost with its dependent chunks. Dask
    retries a raising chunk ``retries`` times and reschedules a chunk whose worker died
    (``KilledWorker`` once it has killed ``distributed.scheduler.allowed-failures`` workers).
    """
    from distributed import as_completed

    client = connect(address)
    futures: dict[str, tuple[int, Any]] = {}
    try:
        if not client.scheduler_info().get("workers"):
            warnings.warn(f"the Dask scheduler at {address} has no workers yet; chunks wait "
                          f"until one joins (`dask worker {address}`)", stacklevel=3)
        nonce = uuid.uuid4().hex[:8]
        shared_future = client.submit(_identity, shared, key=f"tradewar-shared-{nonce}",
                                      pure=False)
        for index in pending:
            future = client.submit(_remote_call, task, shared_future, chunks[index],
                                   key=f"tradewar-chunk-{index:06d}-{nonce}", retries=retries,
                                   pure=False)
            futures[future.key] = (index, future)
        for future in as_completed([f for _, f in futures.values()], loop=client.loop):
            index, _ = futures.pop(future.key)
            try:
                table = future.result()
            except Exception as exc:
                fail(index, exc)
            else:
                done(index, table)
            future.release()
    except KeyboardInterrupt:
        with suppress(Exception):
            client.cancel([f for _, f in futures.values()], force=True)
        raise
    finally:
        client.close()


def _identity(value: T) -> T:
    return value


def connect(address: str, timeout: float = CONNECT_TIMEOUT) -> Any:
    """A ``distributed.Client`` for ``address``, or :class:`SchedulerUnreachableError` within
    about ``timeout`` seconds."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise UserInputError("running on a Dask cluster needs dask.distributed: "
                             "pip install 'dask[distributed]'") from exc
    _probe(address, timeout)
    try:
        return Client(address, timeout=f"{timeout}s", set_as_default=False)
    except Exception as exc:
        raise SchedulerUnreachableError(address, f"{type(exc).__name__}: {exc}") from exc


def _probe(address: str, timeout: float) -> None:
    """Fail fast on a malformed TCP address or a refused connection."""
    scheme, _, rest = address.rpartition("://")
    if scheme not in ("", "tcp"):
        return  # tls://, ucx://, ...: left to distributed
    host, _, port = rest.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit():
        raise SchedulerUnreachableError(address, "expected tcp://HOST:PORT")
    try:
        socket.create_connection((host, int(port)), timeout=timeout).close()
    except OSError as exc:
        raise SchedulerUnreachableError(address, str(exc) or type(exc).__name__) from exc


def scheduler_address(scheduler: str | None) -> str | None:
    if scheduler is None:
        scheduler = os.environ.get("DASK_SCHEDULER_ADDRESS", "")
    scheduler = scheduler.strip()
    return None if scheduler.lower() in ("", "local") else scheduler
