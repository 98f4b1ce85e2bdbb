"""Fixtures of the web tests: the real data directory, an in-process API client, a live server
on a free loopback port (uvicorn in a thread) and the browser (Debian's Chromium).

Computations run in worker processes (``spawn``), so each app costs a couple of seconds to
start; the fixtures are shared per module or session.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tradewar.web._loopback import LoopbackServer

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


LiveServer = LoopbackServer  # the one loopback server of tradewar.web


@pytest.fixture(scope="session")
def live_server(data_dir: Path) -> Iterator[LiveServer]:
    with LiveServer(make_app(data_dir)) as server:
        yield server


def pytest_configure(config: pytest.Config) -> None:
    # starlette 1.x prefers the httpx2 package for its TestClient; httpx works the same here
    config.addinivalue_line(
        "filterwarnings", "ignore:Using `httpx` with `starlette.testclient` is deprecated")
