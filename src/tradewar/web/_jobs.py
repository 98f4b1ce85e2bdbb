"""Jobs and synchronous computations of the web app, on the run layer's :class:`TaskPool`.

The server keeps a registry of jobs (status, progress, result), a cache of runs and a cache of
results by request hash (:mod:`tradewar.web._kind_memo`: an identical request of any kind is
answered without a worker, until the data epoch changes); every
computation — a job of a registered kind (:mod:`tradewar.web._kinds`), a ``POST /api/run``, a
report, a baseline's description — is one task of the run layer's pool (local worker
processes, or a Dask cluster when the settings name a scheduler). How work is queued, timed
out, retried and cancelled is decided there, once; this module only keeps the records.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from ..run import INTERACTIVE, TaskFailed, TaskHandle, TaskPool
from ._cache import CachedRun, RunCache, resolve_spec, run_key
from ._epochs import Instances
from ._errors import TaskError, describe_failure, from_pool, scrub_detail
from ._kind_memo import DataEpoch, ResultCache, request_hash
from ._kinds import JOB_KINDS, RunRequest, run_scenario_job
from ._work import JobContext, web_task

__all__ = ["Job", "JobManager", "JobStatus"]

JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]


@dataclass(eq=False)
class Job:
    """One job's record (what ``GET /api/jobs/{id}`` shows)."""

    id: str
    kind: str
    status: JobStatus = "queued"
    done: int = 0
    total: int = 0
    message: str = ""
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    result: Any = None
    error: dict[str, Any] | None = None
    cached: bool = False
    task: TaskHandle | None = None
    shared: _Shared | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "status": self.status,
            "progress": {"done": self.done, "total": self.total, "message": self.message},
            "created": self.created, "started": self.started, "finished": self.finished,
            "result": self.result, "error": self.error, "cached": self.cached,
        }


@dataclass(eq=False)
class _Shared:
    """One computation in a worker and the jobs of identical requests that wait for it (the
    first one and those submitted while it ran); it is cancelled when its last job is."""

    jobs: list[Job]
    task: TaskHandle | None = None

    def each(self, update: Callable[[Job], None]) -> None:
        for job in list(self.jobs):
            update(job)


def _error_of(exc: BaseException) -> TaskError:
    if isinstance(exc, TaskError):
        return exc
    if isinstance(exc, TaskFailed | CancelledError):
        return from_pool(exc)
    status, detail = describe_failure(exc)
    return TaskError(status, detail)


class JobManager:
    """Jobs and synchronous runs on one :class:`~tradewar.run.TaskPool`, results in one
    :class:`RunCache`.

    Keeps at most ``max_jobs`` job records (finished ones are forgotten oldest first). Job ids
    carry the tag of this server instance (:class:`Instances`), so an id of a stopped server
    is told apart from one never issued. Identical synchronous runs that arrive while one is
    computing share its result, and so do identical jobs (same request hash) submitted while one
    is queued or running. Finished results of job kinds without a ``lookup`` are kept in
    ``results`` by request hash, for the data epoch ``epoch()`` (default: a
    :class:`DataEpoch` of ``data_dir`` and the data cache); a new epoch empties both caches.
    """

    def __init__(self, pool: TaskPool, cache: RunCache, *, data_dir: str | None = None,
                 run_time_limit: float = 60.0, job_time_limit: float = 600.0,
                 max_jobs: int = 500, instances: Instances | None = None,
                 results: ResultCache | None = None, epoch: Callable[[], str] | None = None):
        self.pool = pool
        self.cache = cache
        self.results = results if results is not None else ResultCache()
        if self.results.on_new_epoch is None:
            self.results.on_new_epoch = cache.clear
        self.epoch = epoch if epoch is not None else DataEpoch(data_dir)
        self.data_dir = data_dir
        self.run_time_limit = run_time_limit
        self.job_time_limit = job_time_limit
        self.max_jobs = max_jobs
        self.instances = instances or Instances(None)
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._inflight: dict[str, Future[CachedRun]] = {}
        self._running: dict[str, _Shared] = {}  # request hash -> the computation of that job
        self._lock = threading.Lock()

    def _submit(self, fn: Callable[[Any, JobContext], Any], params: Any, *, time_limit: float,
                priority: int, **callbacks: Any) -> TaskHandle:
        try:
            return self.pool.submit(web_task, (fn, params, self.data_dir), time_limit=time_limit,
                                    priority=priority, **callbacks)
        except TaskFailed as exc:
            raise from_pool(exc) from None

    # ---- jobs ----
    def submit(self, params: BaseModel) -> Job:
        """Start a job of a registered kind, or answer it at once from the cache: the kind's
        ``lookup`` in the run cache if it has one, else the result cache by request hash."""
        kind = JOB_KINDS[params.kind]  # type: ignore[attr-defined]
        job = Job(id=self.instances.new_id(), kind=kind.name)
        epoch = self.epoch()
        key: str | None = None
        if kind.lookup is not None:
            self.results.at_epoch(epoch)  # a new epoch empties the run cache first
            cached = kind.lookup(params, self.cache)
        else:
            key = request_hash(params)
            cached = self.results.lookup(key, epoch)
        if cached is not None:
            job.status, job.done, job.total, job.message = "done", 1, 1, "from the cache"
            job.started = job.finished = time.time()
            job.result, job.cached = cached, True
        elif not self._join(job, key):
            shared = job.shared = _Shared([job])

            def on_start() -> None:
                now = time.time()

                def started(j: Job) -> None:
                    j.status, j.started = "running", now
                shared.each(started)

            def on_progress(done: int, total: int, message: str) -> None:
                def progressed(j: Job) -> None:
                    j.done, j.total, j.message = done, total, message
                shared.each(progressed)

            job.task = shared.task = self._submit(
                kind.run, params, time_limit=kind.time_limit or self.job_time_limit,
                priority=kind.priority, on_start=on_start, on_progress=on_progress)
            if key is not None:
                with self._lock:
                    self._running[key] = shared
            shared.task.future.add_done_callback(lambda f: self._finish(shared, f, key, epoch))
        with self._lock:
            self._jobs[job.id] = job
            finished = [j for j in self._jobs.values() if j.status not in ("queued", "running")]
            for old in finished[: max(0, len(self._jobs) - self.max_jobs)]:
                del self._jobs[old.id]
        return job

    def _join(self, job: Job, key: str | None) -> bool:
        """Attach ``job`` to the computation of an identical request still queued or running."""
        if key is None:
            return False
        with self._lock:
            shared = self._running.get(key)
            if shared is None or not shared.jobs:
                return False
            first = shared.jobs[0]
            job.status, job.started = first.status, first.started
            job.done, job.total, job.message = first.done, first.total, first.message
            job.shared, job.task = shared, shared.task
            shared.jobs.append(job)
        return True

    def _finish(self, shared: _Shared, future: Future[tuple[Any, list[CachedRun]]],
                key: str | None = None, epoch: str = "") -> None:
        with self._lock:
            if key is not None and self._running.get(key) is shared:
                del self._running[key]
        now = time.time()
        try:
            result, runs = future.result()
        except CancelledError:
            def cancelled(job: Job) -> None:
                job.finished, job.status, job.message = now, "cancelled", "cancelled"
            shared.each(cancelled)
        except Exception as exc:
            error = _error_of(exc)
            detail = scrub_detail(error.detail, self.data_dir)

            def failed(job: Job) -> None:
                job.finished = now
                job.error = {"status": error.status, "detail": detail}  # before the status:
                job.status = "failed"                                     # a poll never sees
            shared.each(failed)                                           # failed w/o error
        else:
            for run in runs:
                self.cache.add(run)
            if key is not None:
                self.results.store(key, result, epoch)

            def done(job: Job) -> None:
                job.finished, job.result = now, result
                job.done = job.total = max(job.total, 1)
                job.status = "done"
            shared.each(done)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def missing(self, job_id: str) -> str:
        """Why ``job_id`` has no record: lost with an earlier server, forgotten, or unknown."""
        origin = self.instances.origin(job_id)
        if origin == "earlier":
            return (f"job {job_id} was lost when the server stopped; rerun it "
                    "(jobs are kept in memory only)")
        if origin == "this":
            return (f"job {job_id} not found (finished jobs are forgotten after "
                    f"{self.max_jobs} newer ones)")
        return f"job {job_id} not found"

    def cancel(self, job_id: str) -> Job | None:
        """Cancel a job; the computation stops when no identical job waits for it any more."""
        job = self.get(job_id)
        if job is None or job.shared is None or job.status not in ("queued", "running"):
            return job
        shared = job.shared
        with self._lock:
            others = [j for j in shared.jobs if j is not job]
            if others:  # the others keep the computation; this one leaves it
                shared.jobs.remove(job)
            else:  # the last one: no new identical job may join a cancelled computation
                for key, value in list(self._running.items()):
                    if value is shared:
                        del self._running[key]
        if others:
            job.finished, job.status, job.message = time.time(), "cancelled", "cancelled"
        elif shared.task is not None:
            shared.task.cancel()
        return job

    def jobs(self) -> list[Job]:
        """The job records kept, oldest first."""
        with self._lock:
            return list(self._jobs.values())

    def stats(self) -> dict[str, int]:
        counts = dict.fromkeys(("queued", "running", "done", "failed", "cancelled"), 0)
        for j in self.jobs():
            counts[j.status] += 1
        return counts

    # ---- synchronous computations ----
    def solve(self, params: RunRequest) -> Future[CachedRun]:
        """A future of the run of ``params``: at once from the cache, shared with an identical
        run in progress, or computed (priority over jobs, the run time limit)."""
        key = run_key(resolve_spec(params.scenario), params)
        out: Future[CachedRun] = Future()
        self.results.at_epoch(self.epoch())  # a new data epoch empties the run cache first
        hit = self.cache.get(key)
        if hit is not None:
            out.set_result(hit)
            return out
        with self._lock:
            running = self._inflight.get(key)
            if running is not None:
                return running
            self._inflight[key] = out
        try:
            task = self._submit(run_scenario_job, params, time_limit=self.run_time_limit,
                                priority=INTERACTIVE)
        except TaskError as exc:
            with self._lock:
                self._inflight.pop(key, None)
            out.set_exception(exc)
            return out

        def done(future: Future[tuple[Any, list[CachedRun]]]) -> None:
            try:
                _, runs = future.result()
                for run in runs:
                    self.cache.add(run)
                found = next((r for r in runs if r.run_id == key), None)
                if found is None:  # pragma: no cover - the job always returns its run
                    raise TaskError(500, "internal error (the run was not returned)")
                out.set_result(found)
            except CancelledError as exc:
                out.set_exception(exc)
            except BaseException as exc:
                out.set_exception(_error_of(exc))
            finally:
                with self._lock:
                    self._inflight.pop(key, None)

        task.future.add_done_callback(done)
        return out

    def compute(self, fn: Callable[[Any, JobContext], Any], params: Any) -> Future[Any]:
        """A future of ``fn(params, ctx)`` computed in a worker (priority over jobs, the run
        time limit), e.g. :func:`render_report_task` or :func:`baseline_info_task`."""
        task = self._submit(fn, params, time_limit=self.run_time_limit, priority=INTERACTIVE)
        out: Future[Any] = Future()

        def done(future: Future[tuple[Any, list[CachedRun]]]) -> None:
            try:
                out.set_result(future.result()[0])
            except CancelledError as exc:
                out.set_exception(exc)
            except BaseException as exc:
                out.set_exception(_error_of(exc))

        task.future.add_done_callback(done)
        return out
