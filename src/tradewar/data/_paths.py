"""Where the raw source data live, and how to name and fingerprint a source file.

The project never copies the data into its repository: the files are read in place from a data
directory, by default ``../shared/data`` next to the project (see ``MANIFEST.md`` there).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import DataSourceError

#: Environment variable naming the data directory (overrides the search).
DATA_DIR_ENV = "TRADEWAR_DATA_DIR"

#: Where the data directory sits relative to the project root (and to the working directory).
_RELATIVE_DATA_DIR = Path("..") / "shared" / "data"

_HOW_TO_SET = (
    f"pass --data-dir DIR or set the environment variable {DATA_DIR_ENV}=DIR "
    "(DIR holds icio/, wiod2016/, wiod2013/, gdp/, tariffs2025/, concordance/)"
)


def _candidates() -> list[Path]:
    """Places searched for the data directory, in order (without the environment variable)."""
    found: list[Path] = [Path.cwd() / _RELATIVE_DATA_DIR]
    # The repository root is an ancestor of this file (src/tradewar/data/_paths.py); the data
    # sit beside it: <repo>/../shared/data. Try every ancestor, nearest first.
    for ancestor in Path(__file__).resolve().parents:
        found.append(ancestor / _RELATIVE_DATA_DIR)
    return found


def default_data_dir() -> Path:
    """Return the data directory.

    Order: the environment variable ``TRADEWAR_DATA_DIR`` if set (it must name an existing
    directory); else ``../shared/data`` relative to the current working directory; else
    ``<ancestor>/../shared/data`` for each ancestor of this module's file, nearest first (with the
    repository at ``/work/main`` this finds ``/work/shared/data``).

    Raises :class:`~tradewar.errors.DataSourceError` saying what was expected and how to set it.
    """
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        path = Path(env).expanduser()
        if not path.is_dir():
            raise DataSourceError(
                f"{DATA_DIR_ENV}={env!r} is not an existing directory; expected the tradewar "
                f"data directory (with icio/, wiod2016/, … and MANIFEST.md); {_HOW_TO_SET}"
            )
        return path.resolve()
    tried: list[str] = []
    for candidate in _candidates():
        resolved = candidate.resolve()
        if resolved.is_dir():
            return resolved
        if str(resolved) not in tried:
            tried.append(str(resolved))
    raise DataSourceError(
        "tradewar data directory not found; expected a directory 'shared/data' beside the "
        f"project (looked in: {', '.join(tried)}); {_HOW_TO_SET}"
    )


def source_file(data_dir: str | os.PathLike[str], relative: str | os.PathLike[str]) -> Path:
    """Return ``data_dir / relative`` after checking that it is an existing file.

    Raises :class:`~tradewar.errors.DataSourceError` naming the missing file and where it was
    expected.
    """
    base = Path(data_dir)
    path = base / relative
    if not path.is_file():
        where = "the data directory does not exist" if not base.is_dir() else "no such file"
        raise DataSourceError(
            f"source file {str(relative)!r} not found: expected it at {path} ({where}); "
            f"{_HOW_TO_SET}"
        )
    return path


def file_checksum(path: str | os.PathLike[str], chunk_size: int = 1 << 20) -> str:
    """Return the SHA-256 hex digest of a file, read in chunks of ``chunk_size`` bytes.

    Used in cache keys, so that a changed source file invalidates derived data.
    Raises :class:`~tradewar.errors.DataSourceError` if the file cannot be read.
    """
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(chunk_size):
                digest.update(chunk)
    except OSError as exc:
        raise DataSourceError(f"cannot read source file {path}: {exc}") from exc
    return digest.hexdigest()
