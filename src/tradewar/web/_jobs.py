"""Computations of the web app: a bounded pool of worker processes and the jobs that use it.

Every computation (a scenario run, a comparison, a report, any registered job kind) runs in one
of a few persistent worker *processes* (``spawn``ed, so nothing is forked from a threaded
server). The pool is bounded twice: at most ``size`` computations at once, and at most
``max_queue`` waiting; a submission beyond that is refused with HTTP 429 and ``Retry-After``.
Each computation has a time limit: a worker still busy at its deadline is killed and replaced,
and the computation fails with HTTP 504. A worker keeps the baselines it loaded (a few, least
recently used first out), so repeated runs skip the load. The queue orders by priority:
interactive runs and reports first, then quick jobs (``scenario``, ``compare``), then long
jobs (every other kind by default), which never take the last free worker.

Job kinds are registered in one line::

    register_job_kind("sweep", SweepJob, run_sweep)

where ``SweepJob`` is a pydantic model with ``kind: Literal["sweep"]`` (the request body of
``POST /api/jobs``, validated and documented in the OpenAPI schema) and ``run_sweep(params,
ctx)`` a module-level function (it runs in a worker process, so it must be importable) that
returns JSON-able data and may call ``ctx.progress(done, total, message)``, ``ctx.baseline(
options)`` and ``ctx.run(scenario, options)``. Register before :func:`tradewar.web.create_app`
(the request schema is the union of the kinds registered then).
"""

from __future__ import annotations

import functools
import json
import logging
import math
import multiprocessing
import multiprocessing.connection
import queue
import re
import secrets
import signal
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..errors import DataSourceError, NonConvergenceError, TradewarError, UserInputError
from ._cache import CachedRun, RunCache, RunOptions, ScenarioSpec, resolve_spec, run_key

__all__ = [
    "JOB_KINDS",
    "CompareJob",
    "JobContext",
    "JobKind",
    "JobManager",
    "RunRequest",
    "ScenarioJob",
    "TaskError",
    "WorkerPool",
    "register_job_kind",
]

log = logging.getLogger("tradewar.web")


class TaskError(Exception):
    """A computation that failed in a way the client is told about (an HTTP status, a detail
    — a message or a list of ``{"loc", "msg", "type"}`` — and optional headers)."""

    def __init__(self, status: int, detail: str | list[dict[str, Any]],
                 headers: Mapping[str, str] | None = None):
        super().__init__(detail if isinstance(detail, str) else json.dumps(detail))
        self.status = status
        self.detail = detail
        self.headers = dict(headers or {})


# ---------------------------------------------------------------------------------------------
# request models of the built-in job kinds
# ---------------------------------------------------------------------------------------------
class RunRequest(RunOptions):
    """Run one scenario: the body of ``POST /api/run``."""

    scenario: ScenarioSpec = Field(description="A built-in name or an inline scenario object.")


class ScenarioJob(RunRequest):
    """Run one scenario as a job."""

    kind: Literal["scenario"] = "scenario"


class CompareJob(RunOptions):
    """Run several scenarios on one baseline and compare them (like ``tradewar compare``)."""

    kind: Literal["compare"] = "compare"
    scenarios: list[ScenarioSpec] = Field(min_length=2, max_length=8,
                                          description="2 to 8 built-in names or inline scenarios.")


# ---------------------------------------------------------------------------------------------
# the worker side
# ---------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=6)
def _baseline(dataset: str, year: int, elasticity: str, regions: str | None,
              data_dir: str | None) -> Any:
    from ..data import load_baseline

    return load_baseline(dataset, year, elasticity, regions=regions, data_dir=data_dir)


class JobContext:
    """What a job function gets in its worker process: progress reports, baselines (cached in
    the worker) and scenario runs (sent back to the server's run cache)."""

    def __init__(self, conn: Any, data_dir: str | None):
        self._conn = conn
        self.data_dir = data_dir
        self.runs: list[CachedRun] = []

    def progress(self, done: int, total: int, message: str = "") -> None:
        """Report progress (shown on the page and in ``GET /api/jobs/{id}``)."""
        self._conn.send(("progress", int(done), int(total), str(message)[:300]))

    def baseline(self, options: RunOptions) -> Any:
        """The :class:`tradewar.data.Baseline` of ``options`` (loaded once per worker)."""
        o = options.canonical()
        return _baseline(o["dataset"], o["year"], o["elasticity"], o["regions"], self.data_dir)

    def run(self, spec: Any, options: RunOptions) -> CachedRun:
        """Run a scenario (a built-in name or a :class:`Scenario`) on ``options``; the result
        is cached by the server under its id."""
        from ..scenario import run_scenario

        scenario = resolve_spec(spec)
        result = run_scenario(self.baseline(options), scenario, deficits=options.deficits,
                              data_dir=self.data_dir)
        body = json.dumps(result.to_json(), allow_nan=False).encode()
        run = CachedRun(run_key(scenario, options), body, scenario.name, options.canonical())
        self.runs.append(run)
        return run


_LOC = re.compile(r"^(?:[^:\n]*: )?(?P<loc>[A-Za-z_]\w*(?:\[\d+\]|\.[A-Za-z_]\w*)*): (?P<msg>.+)$",
                  re.S)


def _parse_loc(text: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in re.findall(r"[A-Za-z_]\w*|\d+", text)]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def describe_failure(exc: BaseException, where: tuple[str | int, ...] = ("body", "scenario")
                     ) -> tuple[int, str | list[dict[str, Any]]]:
    """(HTTP status, detail) of an exception raised by a computation.

    Invalid input (:class:`~tradewar.errors.UserInputError`, e.g. a country the baseline does
    not have) and non-convergence are 422 with a field-level detail; missing data is 503;
    anything else is 500 (its traceback goes to the server log, not to the client).
    """
    if isinstance(exc, DataSourceError):
        return 503, f"the data needed are not available on the server: {exc}"
    if isinstance(exc, UserInputError | NonConvergenceError):
        message = str(exc)
        loc: list[str | int] = list(where)
        match = _LOC.match(message)
        if isinstance(exc, UserInputError) and match and match.group("loc").split(".")[0].split(
                "[")[0] in ("tariff", "agreement", "coalition", "deficit", "step", "name",
                            "start", "closure", "retaliation"):
            loc += _parse_loc(match.group("loc"))
            message = f"{match.group('loc')}: {match.group('msg')}"
        return 422, [{"loc": loc, "msg": message, "type": _snake(type(exc).__name__)}]
    if isinstance(exc, TaskError):
        return exc.status, exc.detail
    return 500, f"internal error ({type(exc).__name__}); see the server log"


def _worker_main(conn: Any, data_dir: str | None) -> None:
    """Loop of a worker process: receive ``(function, params)``, send progress and then
    ``("done", result, runs)`` or ``("error", status, detail)``; ``None`` stops it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server handles Ctrl-C and stops us
    import tradewar.scenario  # noqa: F401  (imported before "ready": time limits count work only)

    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        fn, params = message
        ctx = JobContext(conn, data_dir)
        try:
            result = fn(params, ctx)
            conn.send(("done", result, ctx.runs))
        except Exception as exc:  # every failure is reported; the worker keeps serving
            if not isinstance(exc, TradewarError | TaskError):
                traceback.print_exc()
            conn.send(("error", *describe_failure(exc)))


# ---------------------------------------------------------------------------------------------
# the pool (server side)
# ---------------------------------------------------------------------------------------------
@dataclass(eq=False)
class Task:
    """One computation submitted to the pool; ``future`` gets ``(result, runs)``."""

    fn: Callable[[Any, JobContext], Any]
    params: Any
    time_limit: float
    priority: int
    future: Future[tuple[Any, list[CachedRun]]] = field(default_factory=Future)
    on_start: Callable[[], None] | None = None
    on_progress: Callable[[int, int, str], None] | None = None
    cancel_requested: threading.Event = field(default_factory=threading.Event)
    waiting: bool = True  # counted in the pool's queue length
    seq: int = 0  # submission order (first in, first out within a priority)


#: Priorities: interactive runs and reports, then quick jobs (scenario, compare), then long jobs
#: (every other kind by default), which never occupy the last free worker.
INTERACTIVE, QUICK_JOB, LONG_JOB = 0, 1, 2


class WorkerPool:
    """``size`` worker processes fed from a priority queue of at most ``max_queue`` tasks.

    Lower ``priority`` runs first (:data:`INTERACTIVE` before jobs); tasks of priority
    :data:`LONG_JOB` or more occupy at most ``long_slots`` workers (default ``size - 1``, at
    least 1), so a long job never holds every worker while interactive runs wait. Started
    lazily (first submission) or by :meth:`start`; :meth:`close` stops every worker.
    """

    def __init__(self, size: int = 2, max_queue: int = 32, data_dir: str | Path | None = None,
                 long_slots: int | None = None):
        if size < 1 or max_queue < 0:
            raise ValueError("size must be >= 1 and max_queue >= 0")
        self.size = size
        self.max_queue = max_queue
        self.long_slots = max(1, size - 1) if long_slots is None else max(1, long_slots)
        self._long_busy = 0
        self._changed = threading.Condition()
        self.data_dir = str(data_dir) if data_dir is not None else None
        self._ctx = multiprocessing.get_context("spawn")
        self._queue: queue.PriorityQueue[tuple[int, int, Task | None]] = queue.PriorityQueue()
        self._lock = threading.Lock()
        self._seq = 0
        self._queued = 0
        self._busy = 0
        self._threads: list[threading.Thread] = []
        self._closed = False
        self._mean_seconds = 1.0
        self.completed = 0
        self.failed = 0

    # ---- lifecycle ----
    def start(self) -> None:
        with self._lock:
            if self._threads or self._closed:
                return
            for k in range(self.size):
                thread = threading.Thread(target=self._runner, name=f"tradewar-worker-{k}",
                                          daemon=True)
                thread.start()
                self._threads.append(thread)

    def close(self) -> None:
        """Fail the waiting tasks (503), stop the workers (running tasks are killed)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            threads = list(self._threads)
        while True:
            try:
                _, _, task = self._queue.get_nowait()
            except queue.Empty:
                break
            if task is not None and task.future.set_running_or_notify_cancel():
                task.future.set_exception(TaskError(503, "the server is shutting down"))
        for _ in threads:
            self._queue.put((-1, 0, None))  # before any task
        with self._changed:
            self._changed.notify_all()
        for thread in threads:
            thread.join(timeout=10)

    def _put(self, task: Task) -> None:
        self._queue.put((task.priority, task.seq, task))
        with self._changed:
            self._changed.notify_all()

    # ---- submission ----
    def retry_after(self) -> int:
        """Seconds a refused client should wait (about one round of the queue)."""
        waiting = self._queued + self._busy
        return int(min(60, max(1, math.ceil(self._mean_seconds * waiting / self.size))))

    def submit(self, fn: Callable[[Any, JobContext], Any], params: Any, *, time_limit: float,
               priority: int = QUICK_JOB, on_start: Callable[[], None] | None = None,
               on_progress: Callable[[int, int, str], None] | None = None) -> Task:
        """Queue a computation; raise :class:`TaskError` 429 (with ``Retry-After``) when
        ``max_queue`` tasks already wait, 503 after :meth:`close`."""
        self.start()
        task = Task(fn, params, float(time_limit), priority, on_start=on_start,
                    on_progress=on_progress)
        with self._lock:
            if self._closed:
                raise TaskError(503, "the server is shutting down")
            if self._queued >= self.max_queue:
                raise TaskError(
                    429, f"too many computations waiting ({self._queued} queued, {self._busy} "
                    f"running, at most {self.max_queue} may wait); retry later",
                    {"Retry-After": str(self.retry_after())})
            self._queued += 1
            self._seq += 1
            task.seq = self._seq
        self._put(task)
        return task

    def _finish_long(self) -> None:
        with self._lock:
            self._long_busy -= 1
        with self._changed:
            self._changed.notify_all()

    def _leave_queue(self, task: Task) -> None:
        with self._lock:
            if task.waiting:
                task.waiting = False
                self._queued -= 1

    def cancel(self, task: Task) -> None:
        """Cancel a waiting task (it leaves the queue at once), or stop a running one (its
        worker is replaced)."""
        task.cancel_requested.set()
        if task.future.cancel():  # succeeds only while it waits
            self._leave_queue(task)

    def stats(self) -> dict[str, Any]:
        return {"workers": self.size, "running": self._busy, "queued": self._queued,
                "max_queue": self.max_queue, "long_slots": self.long_slots,
                "completed": self.completed,
                "failed": self.failed, "mean_seconds": round(self._mean_seconds, 3)}

    # ---- the runner threads, one per worker process ----
    def _spawn(self) -> tuple[Any, Any]:
        """Start a worker process and wait until it has imported the model (at most 120 s)."""
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, args=(child, self.data_dir),
                                    name="tradewar-web-worker", daemon=True)
        process.start()
        child.close()
        ready = multiprocessing.connection.wait([parent, process.sentinel], timeout=120)
        try:
            if parent in ready and parent.recv() == ("ready",):
                return process, parent
        except (EOFError, OSError):
            pass
        log.error("a worker process did not start (exit code %s)", process.exitcode)
        return process, parent  # a dead worker: the next task finds it dead and respawns

    @staticmethod
    def _stop(process: Any, conn: Any, kill: bool) -> None:
        if not kill:
            try:
                conn.send(None)
            except (OSError, ValueError):
                kill = True
            process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
        conn.close()

    def _runner(self) -> None:
        process, conn = self._spawn()
        try:
            while True:
                _, _, task = self._queue.get()
                if task is None:
                    return
                if self._closed:  # put back by a runner after close() emptied the queue
                    if task.future.set_running_or_notify_cancel():
                        task.future.set_exception(TaskError(503, "the server is shutting down"))
                    continue
                long = False  # holds one of the long_slots
                if task.priority >= LONG_JOB and not task.future.cancelled():
                    with self._lock:
                        blocked = self._long_busy >= self.long_slots
                        if not blocked:
                            self._long_busy += 1
                            long = True
                    if blocked:  # back in line; wake up when something changes
                        with self._changed:
                            self._queue.put((task.priority, task.seq, task))
                            self._changed.wait(timeout=0.5)
                        continue
                self._leave_queue(task)
                if task.cancel_requested.is_set() or not task.future.set_running_or_notify_cancel():
                    if long:
                        self._finish_long()
                    continue
                if not process.is_alive():
                    self._stop(process, conn, kill=True)
                    process, conn = self._spawn()
                with self._lock:
                    self._busy += 1
                started = time.monotonic()
                try:
                    outcome, replace = self._execute(task, process, conn)
                finally:
                    with self._lock:
                        self._busy -= 1
                    if long:
                        self._finish_long()
                seconds = time.monotonic() - started
                self._mean_seconds = 0.8 * self._mean_seconds + 0.2 * seconds
                if replace:
                    self._stop(process, conn, kill=True)
                    process, conn = self._spawn()
                if isinstance(outcome, BaseException):
                    self.failed += 1
                    task.future.set_exception(outcome)
                else:
                    self.completed += 1
                    task.future.set_result(outcome)
        finally:
            self._stop(process, conn, kill=self._closed)

    def _execute(self, task: Task, process: Any, conn: Any
                 ) -> tuple[tuple[Any, list[CachedRun]] | BaseException, bool]:
        """Run ``task`` on the worker; return (result or exception, whether to replace the
        worker)."""
        if task.on_start is not None:
            task.on_start()
        try:
            conn.send((task.fn, task.params))
        except (OSError, ValueError) as exc:
            return TaskError(500, f"could not reach the worker process ({exc})"), True
        except Exception as exc:  # e.g. a job function that cannot be pickled
            log.error("cannot send a task to a worker: %r", exc)
            return TaskError(500, f"internal error ({type(exc).__name__}); see the server log"), False
        deadline = time.monotonic() + task.time_limit
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return TaskError(
                    504, f"the computation took longer than the time limit of "
                    f"{task.time_limit:g} s and was stopped; try a smaller baseline (e.g. "
                    "regions 'g14'), fewer steps, or run it as a job"), True
            if task.cancel_requested.is_set():
                return CancelledError("cancelled by the client"), True
            if self._closed:
                return TaskError(503, "the server is shutting down"), True
            ready = multiprocessing.connection.wait([conn, process.sentinel],
                                                    timeout=min(remaining, 0.2))
            if not ready:
                continue
            message = None
            if conn in ready:
                try:
                    message = conn.recv()
                except (EOFError, OSError):
                    message = None
            if message is None:
                process.join(timeout=1)
                return TaskError(500, "the worker process died during the computation "
                                      f"(exit code {process.exitcode}); see the server log"), True
            if message[0] == "progress":
                if task.on_progress is not None:
                    task.on_progress(*message[1:])
            elif message[0] == "done":
                return (message[1], message[2]), False
            else:
                return TaskError(message[1], message[2]), False


# ---------------------------------------------------------------------------------------------
# job kinds
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class JobKind:
    """A kind of job: its request model, the function run in a worker, an optional ``lookup``
    (run in the server: a result from the cache, or ``None`` to compute) and a time limit
    (``None``: the server's job time limit)."""

    name: str
    params: type[BaseModel]
    run: Callable[[Any, JobContext], Any]
    lookup: Callable[[Any, RunCache], Any] | None = None
    time_limit: float | None = None
    priority: int = LONG_JOB


#: Registered job kinds by name (``POST /api/jobs`` accepts exactly these).
JOB_KINDS: dict[str, JobKind] = {}


def register_job_kind(name: str, params: type[BaseModel], run: Callable[[Any, JobContext], Any],
                      *, lookup: Callable[[Any, RunCache], Any] | None = None,
                      time_limit: float | None = None, priority: int = LONG_JOB) -> JobKind:
    """Register a job kind (see the module docstring); ``params`` must have a field
    ``kind: Literal[name]``. ``priority``: :data:`LONG_JOB` (default: never takes the last free
    worker) or :data:`QUICK_JOB` (for kinds as quick as one run)."""
    annotation = params.model_fields.get("kind")
    if annotation is None or getattr(annotation.annotation, "__args__", None) != (name,):
        raise ValueError(f"{params.__name__} needs a field kind: Literal[{name!r}]")
    kind = JobKind(name, params, run, lookup, time_limit, priority)
    JOB_KINDS[name] = kind
    return kind


def _compare_result(runs: list[CachedRun]) -> dict[str, Any]:
    names = [r.scenario for r in runs]
    countries = list(dict.fromkeys(c for r in runs for c in r.data["countries"]))
    welfare = {c: [r.data["countries"].get(c, {}).get("welfare_pct") for r in runs]
               for c in countries}
    return {"runs": [{"run_id": r.run_id, "scenario": r.scenario} for r in runs],
            "scenarios": names, "welfare_pct": welfare}


def run_scenario_job(params: RunRequest, ctx: JobContext) -> dict[str, Any]:
    """Job ``scenario``: one run."""
    name = resolve_spec(params.scenario).name
    ctx.progress(0, 1, f"solving {name}")
    run = ctx.run(params.scenario, params)
    ctx.progress(1, 1, "done")
    return {"run_id": run.run_id, "scenario": run.scenario}


def run_compare_job(params: CompareJob, ctx: JobContext) -> dict[str, Any]:
    """Job ``compare``: every scenario on one baseline, with a welfare table."""
    runs = []
    total = len(params.scenarios)
    for k, spec in enumerate(params.scenarios):
        ctx.progress(k, total, f"solving {resolve_spec(spec).name} ({k + 1} of {total})")
        runs.append(ctx.run(spec, params))
    ctx.progress(total, total, "done")
    return _compare_result(runs)


def _lookup_scenario(params: RunRequest, cache: RunCache) -> dict[str, Any] | None:
    run = cache.get(run_key(resolve_spec(params.scenario), params))
    return None if run is None else {"run_id": run.run_id, "scenario": run.scenario}


def _lookup_compare(params: CompareJob, cache: RunCache) -> dict[str, Any] | None:
    runs = [cache.get(run_key(resolve_spec(s), params)) for s in params.scenarios]
    return None if any(r is None for r in runs) else _compare_result(runs)  # type: ignore[arg-type]


register_job_kind("scenario", ScenarioJob, run_scenario_job, lookup=_lookup_scenario,
                  priority=QUICK_JOB)
register_job_kind("compare", CompareJob, run_compare_job, lookup=_lookup_compare,
                  priority=QUICK_JOB)


def render_report_task(params: tuple[list[CachedRun], str | None], ctx: JobContext) -> bytes:
    """The HTML report of one run (or a comparison of several), rendered in a worker."""
    from ..report import render_report

    runs, data_dir = params
    geo = _geo(data_dir)
    data = [r.data for r in runs]
    return render_report(data[0] if len(data) == 1 else data, geo).encode()


def baseline_info_task(options: RunOptions, ctx: JobContext) -> dict[str, Any]:
    """What the page's form needs to know of a baseline: its economies and sectors."""
    baseline = ctx.baseline(options)
    members = baseline.region_members
    return {
        **options.canonical(),
        "description": baseline.description,
        "countries": list(baseline.countries),
        "sectors": [{"code": s, "label": baseline.sector_labels.get(s, s)}
                    for s in baseline.sectors],
        "region_members": {k: list(v) for k, v in members.items()} if members else None,
    }


def _task_result(future: Future[tuple[Any, list[CachedRun]]], out: Future[Any]) -> None:
    try:
        out.set_result(future.result()[0])
    except BaseException as exc:
        out.set_exception(exc)


@functools.lru_cache(maxsize=2)
def _geo(data_dir: str | None) -> dict[str, Any]:
    from ..report import load_world_topojson

    return load_world_topojson(data_dir)


# ---------------------------------------------------------------------------------------------
# jobs (server side)
# ---------------------------------------------------------------------------------------------
JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]


@dataclass(eq=False)
class Job:
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
    task: Task | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "status": self.status,
            "progress": {"done": self.done, "total": self.total, "message": self.message},
            "created": self.created, "started": self.started, "finished": self.finished,
            "result": self.result, "error": self.error,
        }


class JobManager:
    """Jobs and synchronous runs on one :class:`WorkerPool`, results in one :class:`RunCache`.

    Keeps at most ``max_jobs`` job records (finished ones are forgotten oldest first).
    Identical synchronous runs that arrive while one is computing share its result.
    """

    def __init__(self, pool: WorkerPool, cache: RunCache, *, run_time_limit: float = 60.0,
                 job_time_limit: float = 600.0, max_jobs: int = 500):
        self.pool = pool
        self.cache = cache
        self.run_time_limit = run_time_limit
        self.job_time_limit = job_time_limit
        self.max_jobs = max_jobs
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._inflight: dict[str, Future[CachedRun]] = {}
        self._lock = threading.Lock()

    # ---- jobs ----
    def submit(self, params: BaseModel) -> Job:
        kind = JOB_KINDS[params.kind]  # type: ignore[attr-defined]
        job = Job(id=secrets.token_hex(16), kind=kind.name)
        cached = kind.lookup(params, self.cache) if kind.lookup is not None else None
        if cached is not None:
            job.status, job.done, job.total, job.message = "done", 1, 1, "from the cache"
            job.started = job.finished = time.time()
            job.result = cached
        else:
            def on_start() -> None:
                job.status, job.started = "running", time.time()

            def on_progress(done: int, total: int, message: str) -> None:
                job.done, job.total, job.message = done, total, message

            job.task = self.pool.submit(
                kind.run, params, time_limit=kind.time_limit or self.job_time_limit,
                priority=kind.priority,
                on_start=on_start, on_progress=on_progress)
            job.task.future.add_done_callback(lambda f: self._finish(job, f))
        with self._lock:
            self._jobs[job.id] = job
            finished = [j for j in self._jobs.values() if j.status not in ("queued", "running")]
            for old in finished[: max(0, len(self._jobs) - self.max_jobs)]:
                del self._jobs[old.id]
        return job

    def _finish(self, job: Job, future: Future[tuple[Any, list[CachedRun]]]) -> None:
        job.finished = time.time()
        try:
            result, runs = future.result()
        except CancelledError:
            job.status, job.message = "cancelled", "cancelled"
        except TaskError as exc:
            job.status, job.error = "failed", {"status": exc.status, "detail": exc.detail}
        except Exception as exc:  # pragma: no cover - the pool only raises TaskError
            job.status = "failed"
            job.error = {"status": 500, "detail": f"internal error ({type(exc).__name__})"}
        else:
            for run in runs:
                self.cache.add(run)
            job.result, job.status = result, "done"
            job.done = job.total = max(job.total, 1)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def cancel(self, job_id: str) -> Job | None:
        job = self.get(job_id)
        if job is not None and job.task is not None and job.status in ("queued", "running"):
            self.pool.cancel(job.task)
        return job

    def jobs(self) -> list[Job]:
        """The job records kept, oldest first."""
        with self._lock:
            return list(self._jobs.values())

    def stats(self) -> dict[str, int]:
        jobs = self.jobs()
        counts = {s: 0 for s in ("queued", "running", "done", "failed", "cancelled")}
        for j in jobs:
            counts[j.status] += 1
        return counts

    # ---- synchronous runs ----
    def solve(self, params: RunRequest) -> Future[CachedRun]:
        """A future of the run of ``params``: at once from the cache, shared with an identical
        run in progress, or computed (priority over jobs, the run time limit)."""
        key = run_key(resolve_spec(params.scenario), params)
        out: Future[CachedRun] = Future()
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
            task = self.pool.submit(run_scenario_job, params, time_limit=self.run_time_limit,
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
            except BaseException as exc:
                out.set_exception(exc if isinstance(exc, TaskError | CancelledError)
                                  else TaskError(500, f"internal error ({type(exc).__name__})"))
            finally:
                with self._lock:
                    self._inflight.pop(key, None)

        task.future.add_done_callback(done)
        return out

    def compute(self, fn: Callable[[Any, JobContext], Any], params: Any) -> Future[Any]:
        """A future of ``fn(params, ctx)`` computed in a worker (priority over jobs, the run
        time limit), e.g. :func:`render_report_task` or :func:`baseline_info_task`."""
        task = self.pool.submit(fn, params, time_limit=self.run_time_limit, priority=INTERACTIVE)
        out: Future[Any] = Future()
        task.future.add_done_callback(lambda f: _task_result(f, out))
        return out
