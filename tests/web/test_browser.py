"""The page in a real browser: headless Debian Chromium driven by Playwright, against the app
served by uvicorn in a thread on a free loopback port.

The browser and the request guard are conftest's (``chromium``, ``session``): every request
the page makes is recorded; any that would leave the test server is blocked and fails the test.
The screenshot of the page is written to docs/img/web.png.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from .conftest import IMG_DIR, ROWS_JS, TIMEOUT, Session

SCREENSHOT = IMG_DIR / "web.png"


def table_rows(page: Any) -> dict[str, dict[str, tuple[float | None, str]]]:
    """country -> column key -> (exact value from data-value, text shown)."""
    rows = page.eval_on_selector_all(
        "#country-table tbody tr",
        "rows => rows.map(r => [r.dataset.country, Array.from(r.querySelectorAll('td[data-value]'))"
        ".map(td => [td.dataset.key, td.dataset.value, td.textContent])])")
    return {country: {key: (float(value) if value else None, text) for key, value, text in cells}
            for country, cells in rows}


def build(page: Any, name: str, importer: str, exporter: str, points: str) -> Any:
    """*Build your own*: a scenario NAME whose first tariff action adds POINTS (percent) on
    IMPORTER's imports from EXPORTER; returns that action's row."""
    page.click("#tab-custom")
    page.fill("#custom-name", name)
    row = page.locator("#tariff-rows .tariff").first
    row.locator(".importer").fill(importer)
    row.locator(".exporter").fill(exporter)
    row.locator(".mode").select_option("add")
    row.locator(".rate").fill(points)
    return row


def wait_for_run(page: Any, title: str) -> None:
    page.locator("#run-title", has_text=title).wait_for(timeout=TIMEOUT)
    page.locator("#country-table tbody tr").first.wait_for(timeout=TIMEOUT)
    page.locator("#map path.choroplethlocation").nth(50).wait_for(state="attached", timeout=30_000)


@pytest.mark.slow
def test_page_runs_builds_validates_and_compares_offline(session: Session, live_server) -> None:
    origin = live_server.url
    page = session.page
    api = httpx.Client(base_url=origin, timeout=120)
    try:
        page.goto(origin + "/", wait_until="load")
        page.locator("#builtin option").first.wait_for(state="attached", timeout=30_000)
        page.locator("#baseline-description", has_text="81 economies").wait_for(timeout=TIMEOUT)
        offered = api.get("/api/options").json()  # the form offers exactly what the API accepts
        for select, key in (("#retaliation", "retaliation"), ("#deficits", "deficits")):
            values = page.eval_on_selector_all(f"{select} option", "os => os.map(o => o.value)")
            assert values == offered[key], (select, values)
        regions = page.eval_on_selector_all("#regions option", "os => os.map(o => o.value)")
        assert regions == ["", *offered["regions"]]

        # ---- a built-in scenario: map, table, charts, numbers equal to the API's
        page.select_option("#builtin", "us-china-april-11")
        page.click("#run")
        wait_for_run(page, "us-china-april-11")
        n_paths = page.locator("#map path.choroplethlocation").count()
        assert n_paths >= 81, n_paths
        shown = table_rows(page)
        answer = api.post("/api/run", json={"scenario": "us-china-april-11"})
        assert answer.headers["x-cache"] == "hit"  # the page's job cached it
        countries = answer.json()["countries"]
        assert set(shown) == set(countries)
        for country, cells in shown.items():
            for key, (value, text) in cells.items():
                expected = countries[country][key]
                assert value == expected, (country, key, value, expected)
                if key.endswith("_pct"):
                    assert abs(float(text) - expected) <= 0.005 + 1e-12, (country, key, text)
        first_rows = page.eval_on_selector_all("#country-table tbody tr", "rs => rs.map(r => r.dataset.country)")
        loser = min(countries, key=lambda c: countries[c]["welfare_pct"])
        assert first_rows[0] == loser
        # the summary first: who loses most, who gains most, US-China goods trade both ways
        summary = page.text_content("#run-summary")
        assert f"Loses most: {loser} {countries[loser]['welfare_pct']:+.2f} %" in summary, summary
        gainer = max(countries, key=lambda c: countries[c]["welfare_pct"])
        assert f"Gains most: {gainer} {countries[gainer]['welfare_pct']:+.2f} %" in summary
        facts = api.get(f"/api/runs/{answer.headers['x-run-id']}/summary").json()
        assert (facts["loser"], facts["gainer"]) == (loser, max(countries, key=lambda c: countries[c]["welfare_pct"]))
        pairs = {(r["exporter"], r["importer"]): r for r in answer.json()["bilateral"]}
        for exporter, importer in (("CHN", "USA"), ("USA", "CHN")):
            change = pairs[exporter, importer]["goods_change_pct"]
            assert f"{exporter} → {importer} " in summary and f"({change:+.1f} %)" in summary
        assert page.evaluate("document.querySelector('#run-summary').getBoundingClientRect().top"
                             " < document.querySelector('#country-table').getBoundingClientRect().top")
        names = {s["code"]: s["label"] for s in api.get(
            "/api/baseline", params={"dataset": "icio", "year": 2022, "elasticity": "IS"}).json()["sectors"]}
        page.click('#country-table th[data-key="welfare_pct"]')  # sort: largest gain first
        first_rows = page.eval_on_selector_all("#country-table tbody tr", "rs => rs.map(r => r.dataset.country)")
        assert first_rows[0] == max(countries, key=lambda c: countries[c]["welfare_pct"])
        assert page.locator("#bars .bars .point").count() >= 20
        page.select_option("#pair-exporter", "CHN")
        page.select_option("#pair-importer", "USA")
        assert "CHN → USA" in page.text_content("#pair-text")
        page.select_option("#sector-country", "CHN")
        assert page.locator("#sectors .bars .point").count() >= 2 * 28 - 4
        ticks = page.eval_on_selector_all("#sectors .ytick text", "ts => ts.map(t => t.textContent)")
        assert any(t.startswith("C26 " + names["C26"][:20]) for t in ticks), ticks  # code + name
        for chart in ("bars", "bilateral", "sectors"):  # units on every axis
            titles = page.eval_on_selector_all(f"#{chart} .xtitle, #{chart} .ytitle",
                                               "ts => ts.map(t => t.textContent)")
            assert len(titles) == 2 and any("%" in t for t in titles), (chart, titles)
        hrefs = {k: page.get_attribute(f"#dl-{k}", "href") for k in ("json", "csv-countries", "html")}
        assert api.get(hrefs["json"]).json() == answer.json()
        assert api.get(hrefs["csv-countries"]).text.startswith("country,welfare_pct")
        assert "PlotlyGeoAssets" in api.get(hrefs["html"]).text
        page.evaluate("window.scrollTo(0, 0)")
        page.mouse.move(0, 0)
        page.wait_for_timeout(300)
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))

        # ---- a scenario built with the form
        row = build(page, "usa-mexico-25", "USA", "MEX", "25")
        page.click("#add-agreement")
        page.locator("#agreement-rows .members").first.fill("CAN, JPN")
        page.check("#coalition-on")
        page.fill("#coalition-target", "CHN")
        page.fill("#coalition-tariff", "30")
        page.click("#run")
        wait_for_run(page, "usa-mexico-25")
        built = json.loads(page.text_content("#custom-json"))
        assert built["tariff"] == [{"importer": "USA", "exporter": "MEX", "sectors": "goods", "add": 0.25}]
        assert built["agreement"] == [{"members": ["CAN", "JPN"]}]
        assert built["coalition"][0]["target"] == "CHN" and built["coalition"][0]["tariff"] == 0.3
        assert {"USA", "EU27", "JPN"} <= set(built["coalition"][0]["members"])
        current = page.get_attribute("#history li.current", "data-run")
        same = api.post("/api/run", json={"scenario": built})
        assert same.headers["x-cache"] == "hit" and same.headers["x-run-id"] == current
        assert table_rows(page)["MEX"]["welfare_pct"][0] == same.json()["countries"]["MEX"]["welfare_pct"]

        # ---- invalid entries: the server's field-level message, the field marked
        row.locator(".mode").select_option("set")
        row.locator(".rate").fill("-150")
        page.click("#run")
        page.locator("#errors").wait_for(state="visible", timeout=30_000)
        message = page.text_content("#errors")
        assert "tariff[0].set" in message and "allowed: > -1" in message, message
        assert "invalid" in (row.locator(".rate").get_attribute("class") or "")
        row.locator(".rate").fill("10")
        row.locator(".exporter").fill("XXX")
        page.click("#run")
        page.locator("#errors", has_text="unknown country 'XXX'").wait_for(timeout=TIMEOUT)
        assert "invalid" in (row.locator(".exporter").get_attribute("class") or "")
        assert page.text_content("#run-title") == "usa-mexico-25"  # the last good run stays

        # ---- a comparison job with progress, then runs side by side
        page.click("details.more summary")
        page.select_option("#compare-builtins", ["tpp", "ttip"])
        page.click("#run-compare")
        page.locator("#progress").wait_for(state="visible", timeout=10_000)
        page.locator("#compare-view").wait_for(state="visible", timeout=TIMEOUT)
        compare_summary = page.eval_on_selector_all("#compare-summary li", "ls => ls.map(l => l.textContent)")
        assert [line.split(":")[0] for line in compare_summary] == ["tpp", "ttip"]
        assert all("Loses most: " in line for line in compare_summary), compare_summary
        assert "% of real income" in page.text_content("#compare-bars .ytitle")
        headers = page.eval_on_selector_all("#compare-table th", "ths => ths.map(t => t.textContent)")
        assert headers[0] == "economy" and any("tpp" in h for h in headers) and any("ttip" in h for h in headers)
        assert page.locator("#compare-bars .bars .point").count() >= 2 * 10
        checks = page.locator("#history input[type=checkbox]")
        assert checks.count() >= 4
        for k in range(checks.count()):
            checks.nth(k).uncheck()
        checks.nth(0).check()
        checks.nth(checks.count() - 1).check()
        page.click("#compare-selected")
        page.locator("#compare-table th").nth(2).wait_for(timeout=30_000)
        compare_csv = page.get_attribute("#dl-compare-csv", "href")
        assert api.get(compare_csv).status_code == 200
    finally:
        api.close()
    session.assert_offline()  # the 422 of the invalid entry is on purpose
    paths = {urlsplit(u).path for u in session.requests}
    assert {"/static/plotly.min.js", "/geo/world_50m.json", "/api/jobs"} <= paths
    assert 20_000 < SCREENSHOT.stat().st_size < 1_000_000


@pytest.mark.slow
def test_exposure_page_shows_the_series_of_the_analysis(session: Session, data_dir) -> None:
    """The `exposure` job kind end to end: the page's form, the job, the chart and the table;
    the numbers shown are those of tradewar.analysis on the same baselines."""
    from tradewar.analysis import exposure_table
    from tradewar.data import load_baseline

    session.open()
    page = session.run_page("exposure", {"#exposure-exporter": "CHN", "#exposure-partner": "USA", "#exposure-years": "2000-2022"})
    assert "CHN → USA" in page.text_content("#exposure-title")
    rows = page.eval_on_selector_all("#exposure-table tbody tr", ROWS_JS)
    assert len(rows) == 15 + 12  # wiod 2000-2014 and icio 2011-2022
    assert {r["country"] for r in rows} == {"CHN → USA"}
    assert page.locator("#exposure-chart .scatterlayer .trace").count() == 4
    # the map of the last year (2022, icio): every economy's exposure to the USA, drawn offline
    page.locator("#exposure-map .choroplethlocation").first.wait_for(timeout=TIMEOUT)
    assert page.locator("#exposure-map .choroplethlocation").count() > 60
    assert page.text_content("#exposure-map-title") == (
        "Each economy’s exposure to USA, value added absorbed, icio 2022")
    assert "value added absorbed, % of the economy’s GDP" in page.text_content("#exposure-map")
    session.screenshot("#exposure-view", "web-exposure.png")  # docs/img
    drawn = page.evaluate("(() => { const d = document.getElementById('exposure-map').data;"
                          " return {locations: d[0].locations, z: d[0].z, partner: d[1].locations}; })()")
    from tradewar.analysis import exposure_map
    mapped = exposure_map(load_baseline("icio", 2022, "IS", data_dir=data_dir), "USA").tables()[
        "exposure"]
    to_usa = mapped[(mapped.partner == "USA") & (mapped.exporter != "ROW")]
    assert drawn["partner"] == ["USA"] and drawn["locations"] == list(to_usa.exporter)
    assert drawn["z"] == pytest.approx(list(to_usa.value_added_absorbed_pct_gdp), rel=1e-12)
    page.select_option("#exposure-map-direction", "from")
    page.select_option("#exposure-map-measure", "gross_exports_pct_gdp")
    assert page.text_content("#exposure-map-title") == (
        "USA’s exposure to each economy, gross exports, icio 2022")
    z = page.evaluate("document.getElementById('exposure-map').data[0].z")
    from_usa = mapped[(mapped.exporter == "USA") & (mapped.partner != "ROW")]
    assert z == pytest.approx(list(from_usa.gross_exports_pct_gdp), rel=1e-12)
    session.invalid_entry("#exposure-map-year", "1999", "#run-exposure", "allowed: 2000-2022")
    page.fill("#exposure-map-year", "")
    assert "% of the exporter’s GDP" in page.text_content("#exposure-chart .ytitle")
    first, last = min(rows, key=lambda r: int(r["year"])), max(rows, key=lambda r: int(r["year"]))
    reading = page.text_content("#exposure-summary")
    assert reading.startswith("CHN’s value added absorbed by USA’s final demand: "), reading
    assert f"{float(first['value_added_absorbed_pct_gdp']):.2f} % of its GDP in 2000 (wiod)" in reading
    assert f"{float(last['value_added_absorbed_pct_gdp']):.2f} % in 2022 (icio)" in reading
    shown = {(r["dataset"], int(r["year"])): r for r in rows}
    for dataset, year in (("wiod", 2000), ("icio", 2022)):
        table = exposure_table(load_baseline(dataset, year, "IS", data_dir=data_dir))
        ref = table[(table.exporter == "CHN") & (table.partner == "USA")].iloc[0]
        for key in ("value_added_absorbed_pct_gdp", "gross_exports_pct_gdp",
                    "partner_share_of_exports_pct"):
            assert float(shown[(dataset, year)][key]) == pytest.approx(ref[key], rel=1e-12)

    session.invalid_entry("#exposure-partner", "CHN", "#run-exposure",  # an invalid pair
                          "exposure of an economy to itself")
    session.assert_offline()  # the 422s of the invalid year and pair are on purpose
    assert "/geo/world_50m.json" in {urlsplit(u).path for u in session.requests}


@pytest.mark.slow
def test_a_run_is_shared_and_reopened_by_its_url(chromium, live_server) -> None:
    """A run writes its inputs to the URL; opening that URL in a new browser fills the form
    and reproduces the run. setBusy disables every run button of every page."""
    first = Session(chromium, live_server.url)
    try:
        page = first.open()
        build(page, "usa-japan-15", "USA", "JPN", "15")
        page.select_option("#regions", "g14")
        page.locator("#baseline-description", has_text="14").wait_for(timeout=TIMEOUT)
        page.click("#run")
        wait_for_run(page, "usa-japan-15")
        built = page.text_content("#custom-json")
        shown = table_rows(page)
        scenario_url = page.url
        assert "run=run&" in scenario_url and "regions=g14" in scenario_url

        page.fill("#exposure-exporter", "JPN")
        page.fill("#exposure-partner", "CHN")
        page.fill("#exposure-years", "2014, 2022")
        page.click("#run-exposure")
        page.locator("#exposure-title", has_text="JPN → CHN").wait_for(timeout=TIMEOUT)
        exposure_rows = page.eval_on_selector_all("#exposure-table tbody tr", ROWS_JS)
        exposure_url = page.url
        assert "run=run-exposure" in exposure_url and "exposure-partner=CHN" in exposure_url

        buttons = page.eval_on_selector_all("button[id^='run']", "bs => bs.map(b => b.id)")
        assert {"run", "run-compare", "run-exposure", "run-coalitions", "run-escalation",
                "run-talks"} <= set(buttons)
        page.evaluate("window.tradewar.setBusy(true)")
        assert page.eval_on_selector_all("button[id^='run']", "bs => bs.every(b => b.disabled)")
        page.evaluate("window.tradewar.setBusy(false)")
        assert not page.eval_on_selector_all("button[id^='run']", "bs => bs.some(b => b.disabled)")
    finally:
        first.close()
    first.assert_offline()

    again = Session(chromium, live_server.url)  # a new browser context: nothing remembered
    try:
        page = again.page
        page.goto(scenario_url, wait_until="load")
        wait_for_run(page, "usa-japan-15")
        assert page.get_attribute("#tab-custom", "aria-selected") == "true"
        assert page.input_value("#custom-name") == "usa-japan-15"
        assert page.input_value("#regions") == "g14"
        assert page.text_content("#custom-json") == built
        assert table_rows(page) == shown  # the same run (from the server's cache)

        page.goto(exposure_url, wait_until="load")
        page.locator("#exposure-title", has_text="JPN → CHN").wait_for(timeout=TIMEOUT)
        assert page.input_value("#exposure-years") == "2014, 2022"
        assert page.eval_on_selector_all("#exposure-table tbody tr", ROWS_JS) == exposure_rows
    finally:
        again.close()
    again.assert_offline(expected_errors=())


FORM_VALUES_JS = ("ns => ns.filter(n => n.id && ['INPUT', 'SELECT'].includes(n.tagName))"
                  ".map(n => [n.id, n.type === 'checkbox' ? String(n.checked) : n.value])")


@pytest.mark.slow
def test_every_analysis_page_reopens_from_its_url(session: Session, chromium, live_server) -> None:
    """Each analysis page (every run-NAME button, the pages added later included) writes its
    inputs to the URL when its job is done; the URL opened in a new browser context fills the
    same inputs and shows the page's view again."""
    page = session.open()
    names = [b.removeprefix("run-") for b in page.eval_on_selector_all(
        "button[id^='run-']", "bs => bs.map(b => b.id)") if b != "run-compare"]
    assert {"exposure", "coalitions", "escalation", "talks"} <= set(names), names
    urls: dict[str, tuple[str, list[list[str]]]] = {}
    for name in names:
        page.click(f"#run-{name}")
        page.wait_for_function("n => location.hash.startsWith('#run=run-' + n + '&')", arg=name,
                               timeout=TIMEOUT)
        page.locator(f"#{name}-view").wait_for(state="visible", timeout=TIMEOUT)
        urls[name] = (page.url, page.eval_on_selector_all(f"#{name}-form [id]", FORM_VALUES_JS))
    session.assert_offline(expected_errors=())

    for name, (url, values) in urls.items():
        again = Session(chromium, live_server.url)
        try:
            again.page.goto(url, wait_until="load")
            again.page.locator(f"#{name}-view").wait_for(state="visible", timeout=TIMEOUT)
            assert again.page.eval_on_selector_all(f"#{name}-form [id]", FORM_VALUES_JS) == values
        finally:
            again.close()
        again.assert_offline(expected_errors=())


def test_employment_elasticity_on_the_scenario_page(session: Session, live_server) -> None:
    """κ on the page: the run has the employment columns with the API's numbers; an invalid
    κ shows the server's message at the field; nothing leaves localhost."""
    page = session.open()
    page.select_option("#regions", "g14")
    page.locator("#baseline-description", has_text="14").wait_for(timeout=TIMEOUT)
    page.select_option("#builtin", "us-china-april-11")
    session.invalid_entry("#labour-supply", "11", "#run", "less than or equal to 10")
    page.fill("#labour-supply", "0.5")
    page.click("#run")
    page.locator("#country-table th[data-key='employment_pct']").wait_for(timeout=TIMEOUT)
    shown = table_rows(page)
    body = {"scenario": "us-china-april-11", "regions": "g14", "labour_supply": 0.5}
    api = httpx.post(live_server.url + "/api/run", json=body, timeout=60).json()
    for country in ("USA", "CHN", "VNM"):
        value, _ = shown[country]["employment_pct"]
        assert value == pytest.approx(api["countries"][country]["employment_pct"], rel=1e-10, abs=1e-12)
    assert "labour-supply=0.5" in page.url
    session.assert_offline()
