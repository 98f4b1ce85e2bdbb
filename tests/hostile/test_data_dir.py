"""A damaged data directory: exit 2 naming the file, and no cache entry built from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradewar.data import default_data_dir

from .conftest import run_cli

SOURCES = ("wiod2013/wiot_2011.RData", "gdp/WDI_GDP_constant2015USD.csv")


def _data_dir_with(tmp_path: Path, damaged: str, content: bytes | None) -> Path:
    """A data directory linking every real source folder except the one holding ``damaged``,
    whose other files are linked and ``damaged`` replaced by ``content`` (None: removed)."""
    real = Path(default_data_dir())
    root = tmp_path / "data"
    root.mkdir()
    folder = damaged.split("/")[0]
    for entry in real.iterdir():
        if entry.is_dir() and entry.name != folder:
            (root / entry.name).symlink_to(entry)
    (root / folder).mkdir()
    for item in (real / folder).iterdir():
        if item.name != Path(damaged).name:
            (root / folder / item.name).symlink_to(item)
    if content is not None:
        (root / damaged).write_bytes(content)
    return root


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("damage", ["truncated", "empty", "missing"])
def test_damaged_source_is_refused_naming_it(tmp_path: Path, capsys, empty_cache: Path, source: str,
                                             damage: str) -> None:
    original = (Path(default_data_dir()) / source).read_bytes()
    content = {"truncated": original[: len(original) // 3], "empty": b"", "missing": None}[damage]
    data = _data_dir_with(tmp_path, source, content)
    code, _, err = run_cli(["data", "info", "--dataset", "wiot2011", "--data-dir", str(data)], capsys)
    assert code == 2 and "Traceback" not in err
    assert Path(source).name in err
    assert not list(empty_cache.glob("*.npz")) and not list(empty_cache.glob("*.json"))  # nothing cached
