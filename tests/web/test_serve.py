"""`tradewar serve`: loopback by default, limits passed to the app, uvicorn started with it
(uvicorn itself is replaced by a stand-in here)."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from tradewar.cli import _serve


@pytest.fixture
def started(monkeypatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake_run(app: Any, **kwargs: Any) -> None:
        calls.append({"app": app, **kwargs})

    monkeypatch.setattr("uvicorn.run", fake_run)
    return calls


def cli() -> typer.Typer:
    app = typer.Typer()
    app.command("serve")(_serve.serve)

    @app.command("other")
    def _other() -> None:  # a second command, so that typer keeps "serve" as a subcommand
        pass

    return app


def test_serve_defaults_to_loopback_port_8000(started, data_dir) -> None:
    result = CliRunner().invoke(cli(), ["serve", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    (call,) = started
    assert call["host"] == "127.0.0.1" and call["port"] == 8000
    settings = call["app"].state.settings
    assert settings.allowed_hosts == ("127.0.0.1", "localhost", "::1")
    assert settings.workers == 2 and settings.run_time_limit == 60.0
    assert settings.max_body_bytes == 64 * 1024
    assert "http://127.0.0.1:8000/" in result.output


def test_serve_options_and_a_warning_off_loopback(started, data_dir) -> None:
    result = CliRunner().invoke(cli(), ["serve", "--host", "0.0.0.0", "--port", "8123",
                                        "--workers", "1", "--time-limit", "5", "--max-queue", "4",
                                        "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    settings = started[0]["app"].state.settings
    assert started[0]["host"] == "0.0.0.0" and started[0]["port"] == 8123
    assert settings.allowed_hosts == ("*",) and settings.workers == 1
    assert settings.run_time_limit == 5.0 and settings.max_queue == 4
    assert "no authentication" in result.output


def test_serve_rejects_bad_ports(started) -> None:
    result = CliRunner().invoke(cli(), ["serve", "--port", "70000"])
    assert result.exit_code == 2 and not started


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.8.0.1", True), ("localhost", True), ("::1", True),
    ("[::1]", True), ("0.0.0.0", False), ("192.168.0.2", False), ("example.com", False),
])
def test_loopback_detection(host, loopback) -> None:
    assert _serve._is_loopback(host) is loopback
