"""The web app (interfaces layer): a JSON API and a page to run scenarios in a browser.

>>> from tradewar.web import create_app          # doctest: +SKIP
>>> app = create_app(workers=2, run_time_limit=60)  # doctest: +SKIP

``tradewar serve`` runs it with uvicorn on 127.0.0.1:8000; see docs/web.md for the API, the
safety limits and how to add a job kind (:func:`register_job_kind`). Computations run on the
run layer's :class:`tradewar.run.TaskPool`.
"""

from ._cache import RunCache, RunOptions, run_key
from ._errors import TaskError
from ._jobs import JobManager
from ._kinds import (
    JOB_KINDS,
    LONG_JOB,
    QUICK_JOB,
    CompareJob,
    JobKind,
    RunRequest,
    ScenarioJob,
    register_job_kind,
)
from ._work import JobContext
from .app import WebSettings, create_app

__all__ = [
    "JOB_KINDS",
    "LONG_JOB",
    "QUICK_JOB",
    "CompareJob",
    "JobContext",
    "JobKind",
    "JobManager",
    "RunCache",
    "RunOptions",
    "RunRequest",
    "ScenarioJob",
    "TaskError",
    "WebSettings",
    "create_app",
    "register_job_kind",
    "run_key",
]
