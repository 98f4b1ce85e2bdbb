"""Progress of a run: a rich bar on a terminal, or a ``callback(done, total)`` (web app)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ProgressCallback = Callable[[int, int], Any]


class Reporter:
    """Counts finished chunks (succeeded or failed) and shows them.

    ``progress``: ``True`` draws a bar on stderr when it is a terminal (nothing otherwise),
    ``False`` shows nothing, a callable is called as ``progress(done, total)`` at the start
    and after every chunk.
    """

    def __init__(self, progress: bool | ProgressCallback, total: int, done: int,
                 description: str):
        self.total, self.done = total, done
        self._callback: ProgressCallback | None = None
        self._bar: Any = None
        if callable(progress):
            self._callback = progress
        elif progress and done < total:
            self._bar = _rich_bar(total, done, description)
        self._report()

    def advance(self) -> None:
        self.done += 1
        if self._bar is not None:
            bar, task_id = self._bar
            bar.advance(task_id)
        self._report()

    def _report(self) -> None:
        if self._callback is not None:
            self._callback(self.done, self.total)

    def close(self) -> None:
        if self._bar is not None:
            self._bar[0].stop()
            self._bar = None


def _rich_bar(total: int, done: int, description: str) -> tuple[Any, Any] | None:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    if not console.is_terminal:
        return None
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("chunks"), TimeElapsedColumn(), TextColumn("elapsed,"),
                   TimeRemainingColumn(), TextColumn("left"), console=console, transient=False)
    task_id = bar.add_task(description, total=total, completed=done)
    bar.start()
    return bar, task_id
