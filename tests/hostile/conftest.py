"""Hostile inputs: helpers shared by the catalogue (docs/guarantees.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradewar.cli import main


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the real entry point in this process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as info:
        main(args)
    out = capsys.readouterr()
    return int(info.value.code or 0), out.out, out.err


def listing(directory: Path) -> set[str]:
    """Every path under ``directory`` (relative), hidden temporary files included."""
    return {p.relative_to(directory).as_posix() for p in directory.rglob("*")}


@pytest.fixture
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty baseline cache: anything found in it afterwards was built by the test."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("TRADEWAR_CACHE_DIR", str(cache))
    return cache
