"""Run a task over chunks of work: serially, in local processes, or on a Dask cluster.

One entry point, :func:`run_chunks`. The backend changes where chunks run, never what they
return: rows come back in chunk order, every finished chunk is checkpointed to disk as it
arrives, failed chunks are retried and then reported, and Ctrl-C keeps what is finished.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import pyarrow as pa

from ..errors import UserInputError
from ..options import Backend
from ._checkpoint import ChunkStore, as_table, fingerprint, to_frame
from ._cluster import run_dask, scheduler_address
from ._env import cpu_count, heap_for_arrays, sigint_blocked, single_threaded_blas
from ._progress import ProgressCallback, Reporter

Shared = TypeVar("Shared")
Chunk = TypeVar("Chunk")
T = TypeVar("T")

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
    address = scheduler_address(scheduler)
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

    n_local = min(workers or cpu_count(), len(pending))
    backend: Backend = "dask" if address else ("serial" if n_local <= 1 else "processes")
    try:
        if pending and backend == "dask":
            assert address is not None
            run_dask(address, task, shared, chunks, pending, retries, done, fail)
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
    heap_for_arrays()
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

    with single_threaded_blas():
        pool = new_pool()
        try:
            while queue or running:
                while queue and len(running) < 2 * n_workers:
                    index = queue.popleft()
                    with sigint_blocked():  # a worker spawned here never sees Ctrl-C
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


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: cancel queued chunks and terminate the workers (no waiting)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)


