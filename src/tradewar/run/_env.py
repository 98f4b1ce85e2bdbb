"""The environment of worker processes, shared by every backend of the run layer: Ctrl-C
stays with the parent, one BLAS thread per worker, glibc's heap tuned for arrays, the CPUs
this process may use."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress

__all__ = ["cpu_count", "heap_for_arrays", "sigint_blocked", "single_threaded_blas"]


_HEAP_TUNED: list[bool] = []


def heap_for_arrays() -> None:
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


@contextmanager
def sigint_blocked() -> Iterator[None]:
    """Defer Ctrl-C while worker processes may be spawned (``submit`` starts them).

    SIGINT is blocked in this thread, so a spawned child inherits the blocked mask before it
    imports anything: Ctrl-C reaches only this process (no traceback from a worker still
    importing; issue 14). Blocking one thread is not enough in a threaded process (the
    kernel hands the signal to another thread and Python would still raise here, half-way
    through starting a worker, which is then never terminated), so the Python handler is
    replaced by one that only records the signal; a Ctrl-C that arrived meanwhile is raised
    as ``KeyboardInterrupt`` as soon as the block ends, never lost. Main thread only; elsewhere
    (or off POSIX) it does nothing."""
    import threading

    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
        signal.signal(signal.SIGINT, previous)
    if received and previous is not signal.SIG_IGN:
        if callable(previous):
            previous(signal.SIGINT, None)  # Python's default handler raises KeyboardInterrupt
        raise KeyboardInterrupt


@contextmanager
def single_threaded_blas() -> Iterator[None]:
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


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
