"""Fixtures of the web tests: the real data directory, an in-process API client, a live server
on a free loopback port (uvicorn in a thread) and the browser (Debian's Chromium).

Computations run in worker processes (``spawn``), so each app costs a couple of seconds to
start; the fixtures are shared per module or session.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

#: Host names the in-process clients send (the apps under test accept them).
TEST_HOSTS = ("testserver", "127.0.0.1", "localhost", "::1")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    from tradewar.data import default_data_dir

    return default_data_dir()  # CI always has ../shared/data; a missing folder must fail


def make_app(data_dir: Path, **settings: Any) -> Any:
    from tradewar.web import create_app

    return create_app(data_dir=str(data_dir), allowed_hosts=TEST_HOSTS, **settings)


@pytest.fixture(scope="session")
def client(data_dir: Path) -> Iterator[Any]:
    """A TestClient of an app with the default limits (its lifespan starts the workers)."""
    from fastapi.testclient import TestClient

    with TestClient(make_app(data_dir)) as test_client:
        yield test_client


class LiveServer:
    """uvicorn serving ``app`` in a thread on a free port of 127.0.0.1."""

    def __init__(self, app: Any):
        import uvicorn

        self.app = app
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       name="uvicorn-test", daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


@pytest.fixture(scope="session")
def live_server(data_dir: Path) -> Iterator[LiveServer]:
    with LiveServer(make_app(data_dir)) as server:
        yield server


def pytest_configure(config: pytest.Config) -> None:
    # starlette 1.x prefers the httpx2 package for its TestClient; httpx works the same here
    config.addinivalue_line(
        "filterwarnings", "ignore:Using `httpx` with `starlette.testclient` is deprecated")
