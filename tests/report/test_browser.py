"""The report in a real browser: headless Debian Chromium driven by Playwright, fully offline.

Needs ``pip install playwright`` and Debian's Chromium at /usr/bin/chromium
(``apt-get install -y chromium``); never ``playwright install`` (it downloads a browser). The
test fails, not skips, when either is missing, so CI cannot pass without running it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tradewar.report import write_report

from .conftest import make_run

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - reported as a failure by the tests below
    sync_playwright = None
    PlaywrightError = Exception

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: URL schemes that are not network requests.
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
HOW_TO_INSTALL = (
    "install the browser test's tools: `pip install playwright` and "
    "`apt-get update && apt-get install -y chromium` (Debian's Chromium at /usr/bin/chromium); "
    "never run `playwright install`"
)


@pytest.fixture(scope="module")
def browser():
    if sync_playwright is None:
        pytest.fail(f"playwright is not importable: {HOW_TO_INSTALL}", pytrace=False)
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: {HOW_TO_INSTALL}", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["single", "comparison"])
def test_report_renders_offline_in_chromium(browser, tmp_path, data_dir, kind):
    runs = make_run() if kind == "single" else [make_run(), make_run(scenario="truce")]
    path = write_report(runs, tmp_path / f"{kind}.html", data_dir=data_dir)

    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  service_workers="block")
    requests: list[str] = []
    blocked: list[str] = []
    errors: list[str] = []

    def guard(route):  # nothing may leave the machine, whatever the page asks for
        url = route.request.url
        if urlsplit(url).scheme in LOCAL_SCHEMES:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    try:
        page.goto(path.as_uri(), wait_until="load")
        try:
            # (locators, not wait_for_function: its polling evaluates strings, which the
            # page's Content-Security-Policy forbids)
            page.locator(".geo path.choroplethlocation").nth(50).wait_for(
                state="attached", timeout=30_000)
            page.wait_for_selector("body[data-plots-ready]", state="attached", timeout=30_000)
        except PlaywrightError as exc:
            pytest.fail(f"the map was not drawn ({exc.message.splitlines()[0]}); console "
                        f"errors: {errors}; requests: {requests + blocked}", pytrace=False)
        n_paths = page.evaluate("document.querySelectorAll('path.choroplethlocation').length")
        n_maps = page.evaluate("document.querySelectorAll('.geo').length")
        geometries = page.evaluate("Object.keys(window.PlotlyGeoAssets.topojson)")
        n_charts = page.evaluate("document.querySelectorAll('.chart .main-svg').length")
        shot = tmp_path / f"{kind}.png"
        page.screenshot(path=str(shot), full_page=True)
    finally:
        context.close()

    assert not errors, f"console errors: {errors}"
    remote = [u for u in requests if urlsplit(u).scheme not in LOCAL_SCHEMES]
    assert not remote and not blocked, f"network requests: {remote + blocked}"
    assert n_maps == (1 if kind == "single" else 2)
    assert n_paths > 200 * n_maps  # every country of the map drawn (data or grey)
    assert geometries == ["world_50m"]  # only the inlined geometry, nothing fetched
    assert n_charts >= 6
    assert shot.stat().st_size > 20_000
