"""Run a task over chunks of work: serially, in local processes, or on a Dask cluster.

One entry point, :func:`run_chunks`. The backend changes where chunks run, never what they
return: rows come back in chunk order, every finished chunk is checkpointed to disk as it
arrives, failed chunks are retried and then reported, and Ctrl-C keeps what is finished.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import socket
import sys
import time
import traceback
import uuid
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa

from ..errors import UserInputError
from ._checkpoint import ChunkStore, as_table, fingerprint, to_frame
from ._progress import ProgressCallback, Reporter

Shared = TypeVar("Shared")
Chunk = TypeVar("Chunk")
T = TypeVar("T")
Backend = Literal["serial", "processes", "dask"]

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


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`run_chunks`; finished chunks are kept on disk (CLI exit code 130)."""

    def __init__(self, kept: int, total: int, directory: Path | None):
        if directory is None:
            message = (f"stopped; {kept} of {total} chunks were finished but not kept "
                       "(no checkpoint directory)")
        else:
            message = (f"stopped; {kept} of {total} chunks kept in {directory} — "
                       "rerun the same command to resume")
        super().__init__(message)
        self.kept, self.total, self.directory = kept, total, directory


@dataclass(frozen=True)
class RunOutcome:
    """What :func:`run_chunks` did.

    Attributes
    ----------
    frame : DataFrame
        Rows of every successful chunk, in chunk order (whatever the scheduling).
    failed : list of (chunk index, error message)
        Chunks that still raised after all retries (also in ``failed.json``).
    resumed_chunks : int
        Chunks loaded from the checkpoint directory instead of computed.
    seconds : float
        Wall time of the call.
    backend : {"serial", "processes", "dask"}
    directory : Path or None
        Where the chunks are kept (``checkpoint_dir / run_key``).
    """

    frame: pd.DataFrame
    failed: list[tuple[int, str]]
    resumed_chunks: int
    seconds: float
    backend: Backend
    directory: Path | None = field(default=None)

    @property
    def ok(self) -> bool:
        return not self.failed


def run_chunks(
    task: Callable[[Shared, Chunk], list[dict[str, Any]] | pd.DataFrame],
    shared: Shared,
    chunks: Sequence[Chunk],
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    checkpoint_dir: Path | str | None = None,
    run_key: str | None = None,
    progress: bool | ProgressCallback = True,
    retries: int = 2,
    description: str = "running",
) -> RunOutcome:
    """Compute ``task(shared, chunk)`` for every chunk and stack the rows.

    Parameters
    ----------
    task : module-level function ``(shared, chunk) -> list of dicts | DataFrame``
        Must be picklable (defined at module level). A DataFrame's index is dropped.
    shared : object
        Sent once to each worker (e.g. the baseline ``Economy``), not with every chunk.
    chunks : sequence
        The units of work; aim for 0.1-few seconds each (:func:`suggest_chunk_size`).
    scheduler : str, optional
        ``tcp://HOST:PORT`` of a Dask scheduler; default ``$DASK_SCHEDULER_ADDRESS``; ``"local"``
        (or neither) runs on this machine.
    workers : int, optional
        Local processes (default: the CPUs available). ``1`` (or a single pending chunk) runs
        serially in this process. Ignored on a Dask cluster.
    checkpoint_dir : path, optional
        Each finished chunk is written to ``checkpoint_dir/run_key/chunk-NNNNNN.parquet`` as it
        arrives; chunks found there are loaded instead of recomputed. ``None``: keep nothing.
    run_key : str, optional
        Identifies the job for resuming; default: :func:`fingerprint` of task, shared, chunks.
    progress : bool or callable
        ``True``: a progress bar when stderr is a terminal; or ``progress(done, total)``.
    retries : int
        Times a raising chunk is retried before it is recorded in ``failed``.

    Raises
    ------
    SchedulerUnreachableError
        The scheduler cannot be reached within ``CONNECT_TIMEOUT`` seconds.
    RunInterrupted
        On Ctrl-C, after stopping the workers; finished chunks stay on disk.
    """
    start = time.perf_counter()
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise UserInputError(f"workers must be a positive integer, got {workers!r}")
    if not isinstance(retries, int) or retries < 0:
        raise UserInputError(f"retries must be a non-negative integer, got {retries!r}")
    address = _scheduler_address(scheduler)
    if run_key is None:
        run_key = "run" if checkpoint_dir is None else fingerprint(task, shared, list(chunks))
    store = ChunkStore(checkpoint_dir, run_key, len(chunks))
    tables = store.load()
    resumed = len(tables)
    pending = [i for i in range(len(chunks)) if i not in tables]
    failures: dict[int, tuple[str, str]] = {}
    reporter = Reporter(progress, len(chunks), resumed, description)

    def done(index: int, table: pa.Table) -> None:
        store.save(index, table)
        tables[index] = table
        failures.pop(index, None)
        reporter.advance()

    def fail(index: int, error: BaseException) -> None:
        failures[index] = (f"{type(error).__name__}: {error}",
                           "".join(traceback.format_exception(error)))
        reporter.advance()

    n_local = min(workers or _cpu_count(), len(pending))
    backend: Backend = "dask" if address else ("serial" if n_local <= 1 else "processes")
    try:
        if pending and backend == "dask":
            assert address is not None
            _run_dask(address, task, shared, chunks, pending, retries, done, fail)
        elif backend == "processes":
            _run_processes(n_local, task, shared, chunks, pending, retries, done, fail)
        else:
            _run_serial(task, shared, chunks, pending, retries, done, fail)
    except KeyboardInterrupt as exc:
        raise RunInterrupted(len(tables), len(chunks), store.directory) from exc
    finally:
        reporter.close()
        store.save_failures([(i, *failures[i]) for i in sorted(failures)])
    frames = [to_frame(tables[i]) for i in sorted(tables)]
    frames = [f for f in frames if len(f)] or frames[:1]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return RunOutcome(frame=frame, failed=[(i, failures[i][0]) for i in sorted(failures)],
                      resumed_chunks=resumed, seconds=time.perf_counter() - start,
                      backend=backend, directory=store.directory)


def _call(task: Callable[[Any, Any], Any], shared: Any, chunk: Any) -> pa.Table:
    return as_table(task(shared, chunk))


def _remote_call(task: Callable[[Any, Any], Any], shared: Any, chunk: Any) -> pa.Table:
    _heap_for_arrays()
    return _call(task, shared, chunk)


_HEAP_TUNED: list[bool] = []


def _heap_for_arrays() -> None:
    """Undo, in a worker process, the 2-3x slowdown of array code under Dask's default
    ``MALLOC_TRIM_THRESHOLD_=65536`` (set for Dask workers, and by ``distributed`` in the
    process that starts a LocalCluster, hence inherited by a process pool started later).

    With that variable glibc stops raising its mmap threshold dynamically, so every array
    above 128 kB is a fresh ``mmap`` whose pages are faulted in again at each allocation.
    Raising the mmap threshold to 32 MB (glibc's own dynamic ceiling) keeps such arrays on
    the heap; Dask's trim threshold stays as configured. Linux/glibc only, once per process,
    and not when ``MALLOC_MMAP_THRESHOLD_`` is set explicitly.
    """
    if _HEAP_TUNED:
        return
    _HEAP_TUNED.append(True)
    if (not sys.platform.startswith("linux") or "MALLOC_TRIM_THRESHOLD_" not in os.environ
            or "MALLOC_MMAP_THRESHOLD_" in os.environ):
        return
    with suppress(Exception):
        import ctypes

        m_mmap_threshold = -3
        ctypes.CDLL("libc.so.6").mallopt(m_mmap_threshold, 32 << 20)


# ---- serial ----

def _run_serial(task, shared, chunks, pending, retries, done, fail) -> None:
    for index in pending:
        for attempt in range(retries + 1):
            try:
                table = _call(task, shared, chunks[index])
            except Exception as exc:
                if attempt == retries:
                    fail(index, exc)
            else:
                done(index, table)
                break


# ---- local processes ----

_WORKER: dict[str, Any] = {}


def _init_worker(task: Callable[[Any, Any], Any], shared: Any) -> None:
    """Runs once per worker process: keeps ``task`` and ``shared``; Ctrl-C is the parent's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _heap_for_arrays()
    _WORKER["task"], _WORKER["shared"] = task, shared


def _worker_call(chunk: Any) -> pa.Table:
    return _call(_WORKER["task"], _WORKER["shared"], chunk)


def _run_processes(n_workers, task, shared, chunks, pending, retries, done, fail) -> None:
    """A spawn-context process pool; at most ``2 * n_workers`` chunks in flight so that a
    dying worker (which breaks the whole pool) costs the in-flight chunks one attempt each."""
    queue = deque(pending)
    attempts = dict.fromkeys(pending, 0)
    running: dict[Future[pa.Table], int] = {}

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker, initargs=(task, shared))

    def settle(future: Future[pa.Table]) -> bool:
        """Handle one finished future; True if the pool broke."""
        index = running.pop(future)
        exc = future.exception()
        if exc is None:
            done(index, future.result())
            return False
        if isinstance(exc, KeyboardInterrupt):
            raise exc
        attempts[index] += 1
        if attempts[index] > retries:
            fail(index, exc)
        else:
            queue.appendleft(index)
        return isinstance(exc, BrokenProcessPool)

    with _single_threaded_blas():
        pool = new_pool()
        try:
            while queue or running:
                while queue and len(running) < 2 * n_workers:
                    index = queue.popleft()
                    with _sigint_blocked():  # a worker spawned here never sees Ctrl-C
                        running[pool.submit(_worker_call, chunks[index])] = index
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                broken = [settle(f) for f in sorted(finished, key=running.__getitem__)]
                if any(broken):
                    wait(running)  # the others fail with the same BrokenProcessPool
                    for future in list(running):
                        settle(future)
                    pool.shutdown(wait=True)
                    pool = new_pool()
        except BaseException:
            _kill(pool)
            raise
        pool.shutdown(wait=True)


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Block SIGINT while worker processes may be spawned (``submit`` starts them): a spawned
    child inherits the blocked mask before it imports anything, so Ctrl-C reaches only this
    process (no traceback from a worker still importing; issue 14). A Ctrl-C arriving
    meanwhile is delivered here as soon as the block ends, never lost."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: cancel queued chunks and terminate the workers (no waiting)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)


@contextmanager
def _single_threaded_blas() -> Iterator[None]:
    """Worker processes started inside use one BLAS/OpenMP thread each (as Dask workers do):
    N single-threaded processes on N cores, not N x N threads."""
    names = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    added = [name for name in names if name not in os.environ]
    for name in added:
        os.environ[name] = "1"
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


# ---- Dask ----

def _run_dask(address, task, shared, chunks, pending, retries, done, fail) -> None:
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


def _scheduler_address(scheduler: str | None) -> str | None:
    if scheduler is None:
        scheduler = os.environ.get("DASK_SCHEDULER_ADDRESS", "")
    scheduler = scheduler.strip()
    return None if scheduler.lower() in ("", "local") else scheduler


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# ---- helpers for building chunks ----

def spawn_seeds(seed: int, n: int) -> list[int]:
    """``n`` independent seeds from one, via ``numpy.random.SeedSequence(seed).spawn(n)``.

    Give item ``k`` of a sweep ``seeds[k]`` (``numpy.random.default_rng(seeds[k])``) and its
    draws do not depend on chunking or scheduling. Seeds are non-negative and fit in int64,
    so they can be stored in result tables.
    """
    children = np.random.SeedSequence(seed).spawn(n)
    return [int(child.generate_state(1, np.uint64)[0] >> np.uint64(1)) for child in children]


def chunk(items: Iterable[T], size: int) -> list[list[T]]:
    """Consecutive chunks of ``size`` items (the last may be shorter)."""
    if not isinstance(size, int) or size < 1:
        raise UserInputError(f"chunk size must be a positive integer, got {size!r}")
    items = list(items)
    return [items[k:k + size] for k in range(0, len(items), size)]


def suggest_chunk_size(seconds_per_item: float, target_seconds: float = 1.0, *,
                       n_items: int | None = None, workers: int | None = None) -> int:
    """Items per chunk so that a chunk takes about ``target_seconds`` (never under 100 ms).

    With ``n_items`` and ``workers``, chunks shrink (not below 100 ms) to give each worker at
    least four, so that the work balances.
    """
    if not (seconds_per_item > 0 and math.isfinite(seconds_per_item)):
        raise UserInputError(f"seconds_per_item must be positive, got {seconds_per_item!r}")
    floor = math.ceil(0.1 / seconds_per_item)
    size = max(floor, math.ceil(max(target_seconds, 0.1) / seconds_per_item))
    if n_items is not None and workers is not None:
        size = max(floor, min(size, math.ceil(n_items / (4 * workers))))
    if n_items is not None:
        size = min(size, max(n_items, 1))
    return max(size, 1)
