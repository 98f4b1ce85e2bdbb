"""Tests of the HTML report: self-contained, offline, escaped, written atomically."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import plotly.offline
import pytest

from tradewar.errors import DataSourceError, UserInputError
from tradewar.report import write_report

from .conftest import make_run

#: Attributes through which a browser would load something.
_FETCHING_ATTRIBUTES = {"src", "href", "srcset", "data", "action", "poster", "background",
                        "xlink:href", "formaction", "manifest", "ping"}


class _Page(HTMLParser):
    """Collects tags, attributes, script bodies and the text outside scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in: str | None = None
        self._attrs: dict[str, str | None] = {}
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in, self._attrs, self._buffer = tag, dict(attrs), []

    def handle_endtag(self, tag):
        if tag == self._in:
            body = "".join(self._buffer)
            if tag == "script":
                self.scripts.append((self._attrs, body))
            else:
                self.styles.append(body)
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._buffer.append(data)
        else:
            self.text.append(data)


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


@pytest.fixture(scope="module")
def report(tmp_path_factory, data_dir) -> tuple[Path, str]:
    path = write_report(make_run(), tmp_path_factory.mktemp("report") / "report.html",
                        data_dir=data_dir)
    return path, path.read_text(encoding="utf-8")


def test_no_url_the_browser_would_fetch(report):
    _, text = report
    page = _parse(text)
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe", "embed", "object", "base", "source",
                           "video", "audio"), f"<{tag}> may fetch"
        for name, value in attrs.items():
            if name in _FETCHING_ATTRIBUTES:
                assert tag == "a" and name == "href" and (value or "").startswith("#"), (
                    f"<{tag} {name}={value!r}> would fetch")
    for attrs, _ in page.scripts:
        assert "src" not in attrs
    for css in page.styles:
        assert "url(" not in css and "@import" not in css
    outside_scripts = "".join(page.text) + "".join(page.styles)
    assert not re.search(r"https?://", outside_scripts)
    # Only plotly.js itself (vendored library code) may mention URLs; our scripts do not.
    ours = [body for attrs, body in page.scripts if attrs.get("id") != "plotlyjs"]
    assert len(ours) == 2 and not any(re.search(r"https?:|//cdn", body) for body in ours)
    # A Content-Security-Policy forbids any fetch the page might attempt anyway.
    csp = [a["content"] for t, a in page.tags
           if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"]
    assert csp and "default-src 'none'" in csp[0] and "connect-src 'none'" in csp[0]


def test_geometry_inlined_before_plotly_js(report):
    _, text = report
    page = _parse(text)
    ids = [attrs.get("id") for attrs, _ in page.scripts]
    assert ids == ["tradewar-geo-assets", "plotlyjs", "tradewar-figures"]
    geo_script = page.scripts[0][1]
    match = re.search(r'topojson\["world_50m"\] = (\{.*\});\s*$', geo_script, re.S)
    assert match
    topology = json.loads(match.group(1))
    assert topology["type"] == "Topology"
    assert len(topology["objects"]["countries"]["geometries"]) > 200
    assert page.scripts[1][1] == plotly.offline.get_plotlyjs()
    # every geo subplot uses the inlined world_50m geometry
    figures = page.scripts[2][1]
    assert figures.count('"resolution":50') >= 1
    assert '"scope":"world"' in figures
    assert "topojsonURL" not in figures


def test_bundled_plotly_js_reads_plotly_geo_assets():
    """The mechanism the offline map relies on, in the plotly.js bundled with plotly (if a
    plotly upgrade changes it, re-check the offline map): registering the geo module keeps an
    existing ``window.PlotlyGeoAssets``, and a geo subplot fetches its TopoJSON only when
    ``PlotlyGeoAssets.topojson[name]`` is undefined."""
    js = plotly.offline.get_plotlyjs()
    assert re.search(r"window\.PlotlyGeoAssets\s*===\s*void 0\s*&&\s*\(\s*window\."
                     r"PlotlyGeoAssets\s*=\s*\{\s*topojson:\s*\{\}\s*\}", js)
    assert re.search(r"PlotlyGeoAssets\.topojson\[[\w.$]+\]\s*===\s*void 0\s*&&\s*[\w.$]+"
                     r"\.push\([\w.$]+\.fetchTopojson\(\)\)", js)


def test_content(report):
    path, text = report
    assert path.name == "report.html"
    size_mb = path.stat().st_size / 1e6
    assert 3 < size_mb < 12
    assert "<title>Trade-war scenario: us-china-april-ladder</title>" in text
    # headline table sorted from the largest loss to the largest gain
    table = text.split('<table class="headline">')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>(\w+)", table)
    assert rows[:2] == ["CHN", "USA"] and rows[-1] == "VNM" and len(rows) == 10
    for header in ("welfare, %", "real income change, USD bn", "real wage, %", "exports, %",
                   "imports, %", "tariff revenue, USD bn"):
        assert header in table
    assert "-152.3" in table  # CHN real income change in USD bn
    for needle in ("Welfare around the world", "Bilateral trade", "Sectors of the main countries",
                   "Step by step", "Baseline and assumptions", "starting tariffs",
                   "in force on 2025-01-01", "closure", "Solver diagnostics", "Data sources",
                   "OECD Inter-Country Input-Output", "Natural Earth", "EO 14257",
                   "deficits fixed in numeraire units"):
        assert needle in text, needle
    assert text.count('class="chart"') == 6  # map, welfare, bilateral, 2 sectors, ladder
    assert "The solver did not converge" not in text


def test_one_step_run_has_no_ladder(tmp_path, data_dir):
    run = make_run()
    run["steps"] = run["steps"][1:]
    text = write_report(run, tmp_path / "one.html", data_dir=data_dir).read_text()
    assert "Step by step" not in text


def test_unconverged_solve_is_flagged(tmp_path, data_dir):
    run = make_run()
    run["solver"]["converged"] = False
    text = write_report(run, tmp_path / "bad.html", data_dir=data_dir).read_text()
    assert "The solver did not converge</strong>" in text


def test_comparison_report(tmp_path, data_dir):
    other = make_run(scenario="us-china-truce-may-12")
    text = write_report([make_run(), other], tmp_path / "cmp.html", data_dir=data_dir).read_text()
    assert "Trade-war scenarios compared" in text
    assert 'id="r1"' in text and 'id="r2"' in text
    assert "Welfare by scenario" in text or "Welfare in each scenario" in text
    assert text.count('"resolution":50') == 2


def test_text_from_the_json_is_escaped(tmp_path, data_dir):
    evil = "<script>alert('x')</script><img src=https://example.org/x.png>"
    run = make_run(description=evil, scenario=evil, assumptions=[evil], sources=[evil])
    run["countries"][evil] = {"welfare_pct": 0.5}
    run["baseline"]["note"] = evil
    text = write_report(run, tmp_path / "evil.html", data_dir=data_dir).read_text()
    assert evil not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    page = _parse(text)
    assert not any(tag == "img" for tag, _ in page.tags)
    assert [a.get("id") for a, _ in page.scripts] == [
        "tradewar-geo-assets", "plotlyjs", "tradewar-figures"]


def test_bad_input_is_a_clear_error(tmp_path, data_dir):
    with pytest.raises(UserInputError, match="countries"):
        write_report({"scenario": "x"}, tmp_path / "x.html", data_dir=data_dir)
    with pytest.raises(UserInputError, match="non-empty list"):
        write_report([], tmp_path / "x.html", data_dir=data_dir)
    with pytest.raises(UserInputError, match="does not exist"):
        write_report(make_run(), tmp_path / "no" / "x.html", data_dir=data_dir)
    with pytest.raises(UserInputError, match="is a directory"):
        write_report(make_run(), tmp_path, data_dir=data_dir)
    assert not list(tmp_path.iterdir())


def test_geometry_read_from_the_given_data_dir(tmp_path):
    empty = tmp_path / "data"
    empty.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(DataSourceError, match="world_50m.json"):
        write_report(make_run(), out / "r.html", data_dir=empty)
    assert not list(out.iterdir())


def test_write_is_atomic(tmp_path, data_dir, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("previous report")

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        write_report(make_run(), target, data_dir=data_dir)
    assert target.read_text() == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    monkeypatch.undo()
    write_report(make_run(), target, data_dir=data_dir)
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_run_without_any_welfare_number_is_a_clear_error(tmp_path, data_dir):
    run = make_run()
    for row in run["countries"].values():
        row["welfare_pct"] = None
    with pytest.raises(UserInputError, match="welfare_pct"):
        write_report(run, tmp_path / "none.html", data_dir=data_dir)
    assert not list(tmp_path.iterdir())
