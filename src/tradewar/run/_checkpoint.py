"""Chunk results on disk: one parquet file per finished chunk, written atomically.

Layout of a run directory ``checkpoint_dir / run_key``::

    run.json              {"run_key": ..., "n_chunks": ...}  (guards against mixing two jobs)
    chunk-000000.parquet  rows of chunk 0, written when it finished (temp file + rename)
    failed.json           [{"chunk": 3, "error": "...", "traceback": "..."}] if any chunk failed

A chunk whose file exists is done; everything else is (re)computed on the next run.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import pickle
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import UserInputError

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def as_table(rows: Any) -> pa.Table:
    """The rows a task returned (a DataFrame or a list of dicts) as an Arrow table.

    The index of a DataFrame is dropped: identifiers belong in columns. Every chunk goes
    through this one conversion, in memory and on disk alike, so a resumed run yields the
    same dtypes as a fresh one.
    """
    if isinstance(rows, pd.DataFrame):
        frame = rows.reset_index(drop=True)
    elif isinstance(rows, list | tuple) and all(isinstance(r, Mapping) for r in rows):
        frame = pd.DataFrame.from_records(list(rows))
    else:
        raise TypeError(f"a task must return a pandas.DataFrame or a list of dicts, "
                        f"not {type(rows).__name__}")
    return pa.Table.from_pandas(frame, preserve_index=False)


def to_frame(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas()


class ChunkStore:
    """The finished chunks of one run, in ``root / run_key`` (``root=None``: keep nothing)."""

    def __init__(self, root: Path | str | None, run_key: str, n_chunks: int):
        if not _KEY.match(run_key):
            raise UserInputError(f"run_key {run_key!r} must be 1-128 characters from "
                                 "A-Z a-z 0-9 . _ - (it names a directory)")
        self.n_chunks = n_chunks
        self.directory = None if root is None else Path(root) / run_key
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._check_manifest(run_key)

    def _check_manifest(self, run_key: str) -> None:
        assert self.directory is not None
        manifest = self.directory / "run.json"
        expected = {"run_key": run_key, "n_chunks": self.n_chunks}
        if manifest.exists():
            found = json.loads(manifest.read_text())
            if found.get("n_chunks") != self.n_chunks:
                raise UserInputError(
                    f"checkpoint directory {self.directory} holds a run of "
                    f"{found.get('n_chunks')} chunks, this run has {self.n_chunks}: use another "
                    "run_key (it should identify the job's inputs) or delete the directory")
        else:
            _write_atomic(manifest, json.dumps(expected).encode())

    def path(self, index: int) -> Path:
        assert self.directory is not None
        return self.directory / f"chunk-{index:06d}.parquet"

    def load(self) -> dict[int, pa.Table]:
        """Every chunk already on disk, by index (unreadable files are recomputed)."""
        if self.directory is None:
            return {}
        done = {}
        for index in range(self.n_chunks):
            path = self.path(index)
            if path.exists():
                try:
                    done[index] = pq.read_table(path)
                except (OSError, pa.ArrowException):
                    path.unlink(missing_ok=True)
        return done

    def save(self, index: int, table: pa.Table) -> None:
        if self.directory is None:
            return
        buffer = pa.BufferOutputStream()
        pq.write_table(table, buffer)
        _write_atomic(self.path(index), buffer.getvalue().to_pybytes())

    def save_failures(self, failures: Sequence[tuple[int, str, str]]) -> None:
        """Record failed chunks in ``failed.json`` (or remove a stale one if none failed)."""
        if self.directory is None:
            return
        path = self.directory / "failed.json"
        if not failures:
            path.unlink(missing_ok=True)
            return
        records = [{"chunk": i, "error": msg, "traceback": tb} for i, msg, tb in failures]
        _write_atomic(path, json.dumps(records, indent=1).encode())


def _write_atomic(path: Path, data: bytes) -> None:
    """Every checkpoint file goes through the project's one safe write (a temporary file
    beside it, renamed over a regular file only)."""
    from ..safe_files import write_atomic

    write_atomic(path, data, option="checkpoint")


@functools.lru_cache(maxsize=1)
def code_identity() -> str:
    """A digest of tradewar's own source and package data (every file of the installed
    package but bytecode): a checkpoint written by other code is not reused. Functions are
    hashed by name only (below), so without this a chunk saved by an older version — or by a
    half-edited tree whose every draw failed — would be taken as done after an upgrade."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix not in {".pyc", ".pyo"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def fingerprint(*objects: Any) -> str:
    """A stable hex digest of the inputs of a job, for ``run_chunks(run_key=...)``.

    Arrays are hashed by dtype, shape and bytes; dataclasses, mappings and sequences
    recursively; functions by module and qualified name; anything else by its pickle. The
    digest starts from :func:`code_identity`, so the same inputs under other code give
    another key (stable for one installed version, hence resumable).
    """
    digest = hashlib.sha256()
    digest.update(code_identity().encode())
    for obj in objects:
        _feed(digest, obj)
    return digest.hexdigest()[:24]


def _feed(h: Any, obj: Any) -> None:
    if isinstance(obj, np.ndarray):
        h.update(f"nd{obj.dtype}{obj.shape}".encode())
        if obj.dtype == object:
            for item in obj.ravel().tolist():
                _feed(h, item)
        else:
            h.update(np.ascontiguousarray(obj).tobytes())
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        h.update(f"dc{type(obj).__module__}.{type(obj).__qualname__}".encode())
        for f in dataclasses.fields(obj):
            _feed(h, f.name)
            _feed(h, getattr(obj, f.name))
    elif isinstance(obj, Mapping):
        h.update(f"map{len(obj)}".encode())
        for key in sorted(obj, key=repr):
            _feed(h, key)
            _feed(h, obj[key])
    elif isinstance(obj, list | tuple):
        h.update(f"seq{len(obj)}".encode())
        for item in obj:
            _feed(h, item)
    elif isinstance(obj, pd.DataFrame | pd.Series):
        h.update(repr(getattr(obj, "columns", obj.name)).encode())
        h.update(pd.util.hash_pandas_object(obj, index=True).to_numpy().tobytes())
    elif obj is None or isinstance(obj, str | bytes | bool | int | float | complex | np.generic):
        h.update(f"{type(obj).__name__}:{obj!r}".encode())
    elif callable(obj) and hasattr(obj, "__qualname__"):
        h.update(f"fn{obj.__module__}.{obj.__qualname__}".encode())
    else:
        h.update(pickle.dumps(obj, protocol=5))
