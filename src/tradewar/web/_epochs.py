"""Job ids that outlive the server: each start of a server is an *instance* with a random tag,
recorded on disk; a job id begins with its instance's tag.

Jobs live in memory, so a server that stops (Ctrl-C, a crash, ``kill -9``) loses them. After a
restart, an id whose tag belongs to an earlier instance is answered "lost when the server
stopped; rerun it" instead of a bare "not found". The record is one short line per start
(``<state_dir>/web-instances.txt``, the last :data:`KEEP` starts), written atomically.
"""

from __future__ import annotations

import logging
import secrets
import time
from pathlib import Path
from typing import Literal

__all__ = ["Instances"]

log = logging.getLogger("tradewar.web")

#: Starts remembered (older ids are then just "not found").
KEEP = 1000
TAG_HEX = 8
FILE_NAME = "web-instances.txt"


class Instances:
    """This server's tag and the tags of the instances before it (read once, at start)."""

    def __init__(self, state_dir: str | Path | None):
        self.current = secrets.token_hex(TAG_HEX // 2)
        self.path: Path | None = None
        self.past: frozenset[str] = frozenset()
        try:
            self.path = _state_dir(state_dir) / FILE_NAME
            lines = self.path.read_text().splitlines() if self.path.exists() else []
            self.past = frozenset(line.split()[0] for line in lines if line.strip())
            _record(self.path, [*lines[-(KEEP - 1):], f"{self.current} {time.time():.0f}"])
        except (OSError, ValueError, IndexError) as exc:  # the server runs, ids just forget
            log.warning("cannot keep the record of server instances (%s): job ids of a "
                        "stopped server will be answered 'not found'", type(exc).__name__)

    def new_id(self) -> str:
        """A fresh job id: this instance's tag and 96 random bits (32 hex digits)."""
        return self.current + secrets.token_hex((32 - TAG_HEX) // 2)

    def origin(self, job_id: str) -> Literal["this", "earlier", "unknown"]:
        """Which instance issued ``job_id``: this one, an earlier one, or none we know."""
        tag = job_id[:TAG_HEX]
        if tag == self.current:
            return "this"
        return "earlier" if tag in self.past else "unknown"


def _state_dir(state_dir: str | Path | None) -> Path:
    if state_dir is not None:
        return Path(state_dir)
    from ..data import cache_dir

    return cache_dir() / "web"


def _record(path: Path, lines: list[str]) -> None:
    from ..safe_files import write_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, "\n".join(lines) + "\n")
