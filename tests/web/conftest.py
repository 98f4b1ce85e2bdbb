"""Fixtures of the web tests: the real data directory, an in-process API client, a live server
on a free loopback port (uvicorn in a thread) and the browser (Debian's Chromium).

Computations run in worker processes (``spawn``), so each app costs a couple of seconds to
start; the fixtures are shared per module or session.

The browser: headless Debian Chromium driven by Playwright (``chromium`` fixture). Needs
``pip install playwright`` and Debian's Chromium at /usr/bin/chromium
(``apt-get install -y chromium``); never ``playwright install`` (it downloads a browser). The
fixture fails, never skips, when either is missing, so CI cannot pass without running the
browser tests. A :class:`Session` records every request a page makes and blocks any that
would leave the test server; :meth:`Session.assert_offline` fails a test that tried.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tradewar.web._loopback import LoopbackServer

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - reported as a failure by the chromium fixture
    sync_playwright = None  # type: ignore[assignment]

#: Host names the in-process clients send (the apps under test accept them).
TEST_HOSTS = ("testserver", "127.0.0.1", "localhost", "::1")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
HOW_TO_INSTALL = (
    "install the browser test's tools: `pip install playwright` and "
    "`apt-get update && apt-get install -y chromium` (Debian's Chromium at /usr/bin/chromium); "
    "never run `playwright install`"
)
#: Where the browser tests write the screenshots docs/web.md shows.
IMG_DIR = Path(__file__).resolve().parents[2] / "docs" / "img"
#: URL schemes that are not network requests.
LOCAL_SCHEMES = {"data", "blob", "about"}
TIMEOUT = 120_000  # ms; a first run may wait for the worker processes to start
#: The console error Chromium logs for a 422 the test provokes on purpose.
INVALID_ENTRY = "the server responded with a status of 422"
#: JavaScript: the rows of a table's body as {data-key: data-value or text}.
ROWS_JS = ("rs => rs.map(r => Object.fromEntries(Array.from(r.querySelectorAll('td'))"
           ".map(td => [td.dataset.key, td.dataset.value || td.textContent])))")


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


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright, one per test session (fails, never skips, if absent)."""
    if sync_playwright is None:
        pytest.fail(f"playwright is not importable: {HOW_TO_INSTALL}", pytrace=False)
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: {HOW_TO_INSTALL}", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        try:
            yield browser
        finally:
            browser.close()


class Session:
    """A page on the live server; records every request and blocks any that leaves it."""

    def __init__(self, browser: Any, origin: str):
        self.origin = origin
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1440, "height": 1000},
                                           service_workers="block", accept_downloads=False)
        self.context.route("**/*", self._guard)
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))

    def _guard(self, route: Any) -> None:
        url = route.request.url
        if self._local(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _local(self, url: str) -> bool:
        return url.startswith(self.origin + "/") or urlsplit(url).scheme in LOCAL_SCHEMES

    def remote(self) -> list[str]:
        """The requests that would have left the test server (all blocked)."""
        return [u for u in self.requests if not self._local(u)] + self.blocked

    def open(self, path: str = "/") -> Any:
        """Load a page of the app and wait for its form (the built-in scenarios listed)."""
        self.page.goto(self.origin + path, wait_until="load")
        self.page.locator("#builtin option").first.wait_for(state="attached", timeout=30_000)
        return self.page

    def close(self) -> None:
        self.context.close()

    def run_page(self, name: str, fields: dict[str, str] | None = None) -> Any:
        """Fill fields (selector -> text) of the page NAME, press #run-NAME and wait for its
        view (#NAME-view)."""
        for selector, value in (fields or {}).items():
            self.page.fill(selector, value)
        self.page.click(f"#run-{name}")
        self.page.locator(f"#{name}-view").wait_for(state="visible", timeout=TIMEOUT)
        return self.page

    def invalid_entry(self, selector: str, value: str, button: str, message: str) -> None:
        """An invalid entry: the server's message shows and the field is marked."""
        self.page.fill(selector, value)
        self.page.click(button)
        self.page.locator("#errors", has_text=message).wait_for(timeout=TIMEOUT)
        assert "invalid" in (self.page.get_attribute(selector, "class") or ""), selector

    def screenshot(self, selector: str, name: str) -> Path:
        """A screenshot of one element to docs/img/NAME (for docs/web.md), without the sticky
        header over its top."""
        path = IMG_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.evaluate("document.querySelector('header.top').style.position = 'static'")
        try:
            self.page.locator(selector).screenshot(path=str(path))
        finally:
            self.page.evaluate("document.querySelector('header.top').style.position = ''")
        return path

    def assert_offline(self, expected_errors: Iterable[str] = (INVALID_ENTRY,)) -> None:
        """No console error but those expected (by substring) and no request that left
        localhost."""
        expected = tuple(expected_errors)
        unexpected = [e for e in self.errors if not any(x in e for x in expected)]
        assert not unexpected, f"console errors: {unexpected}"
        assert not self.remote(), f"requests that left the test server: {self.remote()}"


@pytest.fixture
def session(chromium: Any, live_server: LiveServer) -> Iterator[Session]:
    """A fresh browser context on the live server, closed after the test."""
    browser_session = Session(chromium, live_server.url)
    try:
        yield browser_session
    finally:
        browser_session.close()


def finished(client: Any, body: dict[str, Any], *, budget: float = 300) -> dict[str, Any]:
    """Submit a job through an in-process client (or an httpx client) and wait for its end.

    A failed job's status is set a moment before its error (JobManager._finish): wait for both.
    """
    submitted = client.post("/api/jobs", json=body)
    assert submitted.status_code == 202, submitted.text
    deadline = time.monotonic() + budget
    while (job := client.get(f"/api/jobs/{submitted.json()['id']}").json())["status"] in (
            "queued", "running") or (job["status"] == "failed" and job["error"] is None):
        if time.monotonic() > deadline:  # a hang guard
            pytest.fail(f"the job did not finish: {job}")
        time.sleep(0.05)
    return job


def assert_refused(client: Any, body: dict[str, Any], loc: list[str | int], words: str) -> None:
    """``POST /api/jobs`` with ``body`` is a 422 whose entry at ``loc`` (or below it) says
    ``words``."""
    response = client.post("/api/jobs", json=body)
    assert response.status_code == 422, response.text
    hits = [d for d in response.json()["detail"] if d["loc"][:len(loc)] == loc]
    assert hits and words in hits[0]["msg"], response.json()


def cli_json(*args: str) -> Any:
    """What ``tradewar ARGS --json`` prints (the CLI in this process, exit 0 asserted)."""
    import json

    from typer.testing import CliRunner

    from tradewar.cli import app

    out = CliRunner().invoke(app, [*args, "--json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout[out.stdout.index("{"):out.stdout.rindex("}") + 1])


def finished_on(url: str, body: dict[str, Any]) -> dict[str, Any]:
    """:func:`finished` against a live server's URL."""
    import httpx

    with httpx.Client(base_url=url, timeout=60) as http:
        return finished(http, body)


def untimed(data: Any) -> Any:
    """JSON without the solver's wall-clock ``seconds`` (at any depth)."""
    if isinstance(data, dict):
        return {k: untimed(v) for k, v in data.items() if k != "seconds"}
    if isinstance(data, list):
        return [untimed(v) for v in data]
    return data


def close(got: Any, want: Any) -> None:
    """Equal JSON, floats to 1e-10 relative (the worker runs one BLAS thread, this process
    several: sums in another order)."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and set(got) == set(want), (got, want)
        for k in want:
            close(got[k], want[k])
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), (got, want)
        for g, w in zip(got, want, strict=True):
            close(g, w)
    elif isinstance(want, float):
        assert got == pytest.approx(want, rel=1e-10, abs=1e-12)
    else:
        assert got == want


def pytest_configure(config: pytest.Config) -> None:
    # starlette 1.x prefers the httpx2 package for its TestClient; httpx works the same here
    config.addinivalue_line(
        "filterwarnings", "ignore:Using `httpx` with `starlette.testclient` is deprecated")
