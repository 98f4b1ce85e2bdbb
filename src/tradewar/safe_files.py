"""Writing files safely: every file tradewar writes goes through this module.

Two guarantees (docs/guarantees.md):

* **Nothing is destroyed by mistake.** Output goes to a temporary file beside the target and is
  renamed over it only if the target is absent or a *regular* file. A symlink, a device
  (``/dev/null``, ``/dev/full``), a directory, a file under ``/proc`` or ``/sys``, or a folder
  that cannot be written is refused with a :class:`~tradewar.errors.UserInputError` naming the
  option — and the ``check_*`` functions let the interfaces refuse it *before* any work is done.
* **All or nothing.** :func:`write_tree_atomic` writes a folder of files (``--csv DIR``) into a
  temporary folder and moves it into place whole; on any failure nothing is left behind.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import UserInputError

__all__ = ["check_output_dir", "check_output_file", "write_atomic", "write_tree_atomic"]

_PSEUDO = (Path("/proc"), Path("/sys"), Path("/dev"))


def _pseudo(path: Path) -> bool:
    resolved = path.resolve(strict=False)
    return any(resolved == p or p in resolved.parents for p in _PSEUDO)


def _writable_parent(path: Path, option: str, what: str) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    probe = parent
    while not probe.exists():  # the folders will be created: the first existing one must be writable
        if probe.is_symlink():
            raise UserInputError(f"{option}: {probe} is a broken symbolic link; allowed: {what}")
        probe = probe.parent
    if not probe.is_dir():
        raise UserInputError(f"{option}: {probe} is not a directory, so {path} cannot be written; "
                             f"allowed: {what}")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UserInputError(f"{option}: cannot write in {probe} (permission denied); allowed: {what}")


def _refuse_link_or_system(path: str | os.PathLike[str], option: str, what: str) -> Path:
    """The path, unless it is empty, a symbolic link (never followed nor replaced) or under
    ``/proc``, ``/sys`` or ``/dev``."""
    target = Path(path).expanduser()
    if str(path).strip() == "":
        raise UserInputError(f"{option}: empty path; allowed: {what}")
    if target.is_symlink():
        raise UserInputError(f"{option}: {target} is a symbolic link; it is not replaced "
                             f"(give the real path); allowed: {what}")
    if _pseudo(target):
        raise UserInputError(f"{option}: {target} is a system or device path; allowed: {what}")
    return target


def check_output_file(path: str | os.PathLike[str], option: str = "output file", *,
                      create_parents: bool = True) -> Path:
    """Refuse an output path that is not (or would not become) a regular file; return it.

    Refused: a symbolic link (even to a regular file: the link would be replaced), a device,
    FIFO or socket, a directory, anything under ``/proc``, ``/sys`` or ``/dev``, a path whose
    parent is a file, and a folder without write permission. Missing parent folders are fine
    (they are created when writing) unless ``create_parents`` is False.

    Raises:
        UserInputError: the message names ``option`` and says what is allowed.
    """
    what = "a new or existing regular file in a writable folder"
    target = _refuse_link_or_system(path, option, what)
    if target.exists():
        mode = target.stat().st_mode
        if stat.S_ISDIR(mode):
            raise UserInputError(f"{option}: {target} is a directory; allowed: {what}")
        if not stat.S_ISREG(mode):
            raise UserInputError(f"{option}: {target} is not a regular file (a device, pipe or "
                                 f"socket); allowed: {what}")
        if not os.access(target, os.W_OK):
            raise UserInputError(f"{option}: {target} is read-only; allowed: {what}")
    if not create_parents and not target.parent.is_dir():
        raise UserInputError(f"{option}: cannot write {target}: directory {target.parent} does not "
                             "exist; allowed: a file name in an existing directory")
    _writable_parent(target, option, what)
    return target


def check_output_dir(path: str | os.PathLike[str], option: str = "output folder") -> Path:
    """Refuse an output folder that is a file, a symlink, a device or system path, or not
    writable; a missing folder is fine (it is created). Return the path.

    Raises:
        UserInputError: the message names ``option`` and says what is allowed.
    """
    what = "a new or existing folder you can write in"
    target = _refuse_link_or_system(path, option, what)
    if target.exists():
        if not target.is_dir():
            raise UserInputError(f"{option}: {target} exists and is not a folder; allowed: {what}")
        if not os.access(target, os.W_OK | os.X_OK):
            raise UserInputError(f"{option}: cannot write in {target} (permission denied); "
                                 f"allowed: {what}")
        return target
    _writable_parent(target, option, what)
    return target


def _mode_for(target: Path) -> int:
    """The permissions of the file being replaced, or those of a new file (0666 less the umask)
    — not the 0600 of a temporary file."""
    if target.is_file():
        return stat.S_IMODE(target.stat().st_mode)
    return 0o666 & ~_umask()


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *,
                 option: str = "output file") -> Path:
    """Write ``data`` (str is UTF-8 encoded) to ``path`` all at once: a temporary file beside it,
    flushed to disk, then renamed over the target — only if the target is absent or a regular
    file (see :func:`check_output_file`). On failure the target is untouched and no temporary
    file is left. Missing parent folders are created. Returns the path.

    Raises:
        UserInputError: the target is not a regular file or cannot be written.
    """
    target = check_output_file(path, option)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(_bytes(data))
            fh.flush()
            os.fsync(fh.fileno())
        if target.is_symlink() or (target.exists() and not target.is_file()):  # changed meanwhile
            raise UserInputError(f"{option}: {target} stopped being a regular file while writing")
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_tree_atomic(directory: str | os.PathLike[str], files: Mapping[str, bytes | str], *,
                      option: str = "output folder") -> list[Path]:
    """Write every ``{name: data}`` into ``directory``, all or nothing.

    The files are written into a temporary folder beside ``directory``; then, if ``directory``
    does not exist, the temporary folder is renamed to it; if it exists, each file is renamed
    into it (same file system, so each rename is atomic) after checking that no target is
    anything but a regular file. On failure nothing new is left in ``directory``. Names must
    be plain file names (no folders). Returns the written paths in the order given.

    Raises:
        UserInputError: the folder or one of its targets cannot be written.
    """
    target = check_output_dir(directory, option)
    for name in files:
        if not name or Path(name).name != name or name in (".", ".."):
            raise UserInputError(f"{option}: {name!r} is not a plain file name")
    if target.exists():
        for name in files:
            check_output_file(target / name, f"{option} {name}")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        os.chmod(staging, 0o777 & ~_umask())
        for name, data in files.items():
            with open(staging / name, "wb") as fh:
                fh.write(_bytes(data))
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(staging / name, _mode_for(target / name))
        if not target.exists():
            os.rename(staging, target)
        else:
            for name in files:
                os.replace(staging / name, target / name)
            staging.rmdir()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / name for name in files]
