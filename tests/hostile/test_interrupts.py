"""Ctrl-C: the resume line, exit 130, no worker tracebacks (issue 14 item 7)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import typer

from tradewar.cli import _app
from tradewar.run import RunInterrupted

from .conftest import run_cli

TRADEWAR = Path(sys.executable).with_name("tradewar")


def test_run_interrupted_inside_a_command_prints_the_resume_line(monkeypatch, tmp_path: Path,
                                                                capsys) -> None:
    # what typer does to Ctrl-C (KeyboardInterrupt -> Exit(130)) must not hide the message
    def interrupted(*args, **kwargs):
        raise RunInterrupted(3, 10, tmp_path)

    monkeypatch.setattr("tradewar.analysis.sweep", interrupted)
    code, _, err = run_cli(["sweep", "tpp", "--draws", "1", "--checkpoint", str(tmp_path)], capsys)
    assert code == 130
    assert "3 of 10 chunks kept" in err and "rerun the same command to resume" in " ".join(err.split())


def test_the_interrupt_is_found_behind_typer_exit() -> None:
    try:
        try:
            raise RunInterrupted(1, 2, None)
        except KeyboardInterrupt as exc:
            raise typer.Exit(130) from exc
    except typer.Exit as exit_:
        found = _app._interrupt(exit_)
    assert isinstance(found, RunInterrupted) and "1 of 2 chunks" in str(found)
    assert _app._interrupt(SystemExit(2)) is None


@pytest.mark.slow
def test_ctrl_c_on_a_sweep_with_workers(tmp_path: Path) -> None:
    """A real terminal-style Ctrl-C (SIGINT to the process group) while the workers start."""
    checkpoint = tmp_path / "ck"
    log = tmp_path / "stderr.txt"
    mark = f"TRADEWAR_HOSTILE_RUN={uuid.uuid4().hex}"
    env = dict(os.environ, TRADEWAR_HOSTILE_RUN=mark.split("=", 1)[1])
    with open(log, "w") as stderr:
        proc = subprocess.Popen(
            [str(TRADEWAR), "sweep", "us-china-april-11", "--draws", "400", "--workers", "2",
             "--regions", "none", "--checkpoint", str(checkpoint)],
            stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True, env=env)
    deadline = time.monotonic() + 120
    while not checkpoint.exists() and time.monotonic() < deadline:  # the run (and its pool) began
        time.sleep(0.1)
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    err = log.read_text()
    assert proc.returncode == 130, err
    assert "rerun the same command to resume" in " ".join(err.split())
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert _workers_left(mark) == []  # every worker was stopped, none orphaned


def _workers_left(mark: str) -> list[int]:
    """Worker processes of this run still alive a moment after it exited."""
    time.sleep(1.0)
    left = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if b"spawn_main" in (entry / "cmdline").read_bytes() and \
                    mark.encode() in (entry / "environ").read_bytes():
                left.append(int(entry.name))
        except OSError:
            continue
    return left
