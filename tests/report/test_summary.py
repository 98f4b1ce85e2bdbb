"""The report's summary, order, labels and units, on real runs (the cached ICIO 2022 baseline).

Every number the summary states is checked against the Result's own tables
(``ScenarioResult.tables()``): who loses most is the argmin of the welfare column, who gains
most its argmax, the US–China collapse the goods columns of the bilateral table; the band the
5–95 % of a real sweep. Nothing here is a number copied from our own output.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import plotly.offline
import pytest

from tradewar.analysis import sweep
from tradewar.cli import main
from tradewar.data import load_baseline, sector_labels, with_horizon
from tradewar.report import render_report, write_report
from tradewar.report._runs import fmt_pct
from tradewar.scenario import ScenarioResult, run_scenario

SCENARIO = "us-china-april-11"


@pytest.fixture(scope="module")
def baseline() -> Any:
    return load_baseline("icio", 2022, "IS")


@pytest.fixture(scope="module")
def long_run(baseline) -> ScenarioResult:
    return run_scenario(baseline, SCENARIO)


@pytest.fixture(scope="module")
def short_run(baseline) -> ScenarioResult:
    return run_scenario(with_horizon(baseline, "short"), SCENARIO)


@pytest.fixture(scope="module")
def report(long_run, short_run, data_dir, tmp_path_factory) -> str:
    path = write_report(long_run.to_json(), tmp_path_factory.mktemp("summary") / "r.html",
                        data_dir=data_dir, other_horizon=short_run.to_json())
    return path.read_text(encoding="utf-8")


def _facts(text: str) -> list[dict[str, str]]:
    """The ``<li data-fact=…>`` items of the (first) summary, attributes unescaped."""
    section = text.split('<section class="summary"', 1)[1].split("</section>", 1)[0]
    items = []
    for attrs, body in re.findall(r"<li (data-fact=[^>]*)>(.*?)</li>", section, re.S):
        found = {k: html.unescape(v) for k, v in re.findall(r'data-([\w-]+)="([^"]*)"', attrs)}
        found["text"] = html.unescape(re.sub(r"<[^>]+>", "", body))
        items.append(found)
    return items


def _figures(text: str) -> list[dict[str, Any]]:
    """The plotly figures of the page, in page order, as ``{"id", "figure"}``."""
    script = text.split('<script id="tradewar-figures">', 1)[1]
    specs = script.split("var figures = ", 1)[1].split(";\n  var config", 1)[0]
    return json.loads(specs)


# --- the summary states the tables' numbers ---------------------------------------------------


def test_summary_numbers_are_the_tables_values(report, long_run):
    tables = long_run.tables()
    countries = tables["countries"].set_index("country")
    facts = {f["fact"]: f for f in _facts(report) if f["fact"] != "pair"}
    loser = countries["welfare_pct"].idxmin()
    gainer = countries["welfare_pct"].idxmax()
    assert facts["loser"]["country"] == loser
    assert float(facts["loser"]["value"]) == float(countries.loc[loser, "welfare_pct"])
    assert facts["gainer"]["country"] == gainer and countries.loc[gainer, "welfare_pct"] > 0
    assert float(facts["gainer"]["value"]) == float(countries.loc[gainer, "welfare_pct"])
    assert f"{loser} {fmt_pct(countries.loc[loser, 'welfare_pct'])} %" in facts["loser"]["text"]
    assert facts["horizon"]["value"] == "long" and "long run" in facts["horizon"]["text"]
    last_date = tables["steps"]["date"].iloc[-1].isoformat()
    assert facts["date"]["value"] == last_date and last_date in facts["date"]["text"]
    assert "in force on 2025-01-01" in facts["date"]["text"]
    assert "not computed" in facts["band"]["text"]  # a plain run has no uncertainty results


def test_summary_us_china_collapse_is_the_goods_columns(report, long_run):
    bilateral = long_run.tables()["bilateral"].set_index(["exporter", "importer"])
    pairs = [f for f in _facts(report) if f["fact"] == "pair"]
    assert [(p["exporter"], p["importer"]) for p in pairs] == [("CHN", "USA"), ("USA", "CHN")]
    for pair in pairs:
        row = bilateral.loc[(pair["exporter"], pair["importer"])]
        assert pair["goods"] == "yes"
        assert float(pair["value"]) == float(row["goods_change_pct"])
        assert f"{fmt_pct(row['goods_change_pct'], 1)} %" in pair["text"]
        assert f"{row['goods_before_musd'] / 1e3:,.1f} → {row['goods_after_musd'] / 1e3:,.1f} bn USD" in pair["text"]
        # goods only: the all-sector change (services untouched by tariffs) is a different number
        assert row["goods_change_pct"] != pytest.approx(row["change_pct"], abs=1.0)


def test_summary_has_both_horizons_side_by_side(report, long_run, short_run):
    section = report.split('<section class="summary"', 1)[1].split("</section>", 1)[0]
    table = section.split('<table class="horizons">', 1)[1].split("</table>", 1)[0]
    heads = [html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", table)]
    assert heads == ["figure (unit)", f"{SCENARIO}, long run", f"{SCENARIO}, short run"]
    for label, code in (("USA: welfare, %", "USA"), ("CHN: welfare, %", "CHN")):
        row = table.split(f"<td>{label}</td>", 1)[1].split("</tr>", 1)[0]
        cells = re.findall(r">([^<]+)</td>", row)
        assert cells == [fmt_pct(r.countries_frame().loc[code, "welfare_pct"]) for r in (long_run, short_run)]
    row = table.split("<td>CHN → USA goods: change, %</td>", 1)[1].split("</tr>", 1)[0]
    goods = [r.tables()["bilateral"].set_index(["exporter", "importer"]).loc[("CHN", "USA"), "goods_change_pct"]
             for r in (long_run, short_run)]
    assert re.findall(r">([^<]+)</td>", row) == [fmt_pct(g, 1) for g in goods]
    assert goods[1] > goods[0]  # lower short-run elasticities: trade falls less after one year


def test_summary_band_is_the_sweeps_5_95(long_run, baseline, geo, tmp_path):
    result = sweep(baseline, SCENARIO, draws=2, seed=3, checkpoint_dir=tmp_path)
    summary = result.tables()["summary"].set_index("value")
    text = render_report(long_run.to_json(), geo, uncertainty=result.to_json())
    band = next(f for f in _facts(text) if f["fact"] == "band")
    ok = int(result.frame["converged"].astype(bool).sum())
    assert ok == 10 and int(band["draws"]) == ok
    bars = next(f for f in _figures(text) if f["id"].endswith("-welfare"))["figure"]["data"][0]
    table = text.split('<table class="headline">', 1)[1].split("</table>", 1)[0]
    assert "<th>welfare 5–95 % band, %</th>" in table
    for code in ("USA", "CHN"):
        row = summary.loc[f"welfare_pct.{code}"]
        assert row["p05"] <= row["median"] <= row["p95"]
        assert (f"{code} {fmt_pct(row['p05'])} to {fmt_pct(row['p95'])} % "
                f"(median {fmt_pct(row['median'])} %)") in band["text"]
        # the whiskers of the bar chart and the table's band column: the same p05 and p95
        k = bars["y"].index(code)
        x = bars["x"][k]
        assert x + bars["error_x"]["array"][k] == pytest.approx(max(row["p95"], x), abs=1e-12)
        assert x - bars["error_x"]["arrayminus"][k] == pytest.approx(min(row["p05"], x), abs=1e-12)
        cells = table.split(f"<tr><td>{code}</td>", 1)[1].split("</tr>", 1)[0]
        assert f"{fmt_pct(row['p05'])} to {fmt_pct(row['p95'])}" in cells


# --- order: summary, map, charts, the full table last -----------------------------------------


def test_summary_comes_first_then_the_map_then_the_charts_then_the_table(report):
    main = report.split("<main>", 1)[1]
    summary = main.index('<section class="summary"')
    charts = [m.start() for m in re.finditer(r'<div class="chart" id="([^"]+)"', main)]
    ids = re.findall(r'<div class="chart" id="([^"]+)"', main)
    table = main.index('<table class="headline">')
    assert summary < charts[0] < table
    assert ids[0].endswith("-map")  # the map first
    assert table > charts[-1]  # the full table after every chart
    assert main.index('<details class="full-table">') < table  # and folded
    assert main[:summary].count("<table") == 0


# --- readable: sector names and units ---------------------------------------------------------


def test_every_sector_label_shows_a_name(report, long_run):
    codes = list(long_run.final.reference.sectors)
    names = sector_labels(codes)
    assert all(names[c] != c for c in codes)  # every ICIO code has a name to show
    sector_figures = [f for f in _figures(report) if "-sector-" in f["id"]]
    assert len(sector_figures) == len({r for r in long_run.tables()["sectors"]["country"]})
    for spec in sector_figures:
        for trace in spec["figure"]["data"]:
            assert len(trace["x"]) == len(codes)
            for code, tick in zip(codes, trace["x"], strict=True):
                assert tick.startswith(f"{code} ") and len(tick) > len(code) + 3, tick
            assert [c[2] for c in trace["customdata"]] == [f"{c} {names[c]}" for c in codes]
    table = report.split('<table class="sectors">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>(\w+)</td><td>([^<]+)</td><td>([^<]+)</td>", table)
    assert len(rows) == len(long_run.tables()["sectors"])
    assert all(html.unescape(name) == names[code] for _, code, name in rows)


def _axes(layout: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in layout.items() if re.fullmatch(r"[xy]axis\d*", k)}


def _has_unit(title: str) -> bool:
    return "%" in title or "USD" in title


def test_every_axis_has_a_title_and_every_value_axis_a_unit(report, baseline, geo):
    ladder = render_report(run_scenario(baseline, "us-china-ladder-2025").to_json(), geo)
    figures = _figures(report) + _figures(ladder)
    assert any(f["id"].endswith("-ladder") for f in figures)  # the step-by-step chart too
    assert len(figures) >= 11
    for spec in figures:
        layout, traces = spec["figure"]["layout"], spec["figure"]["data"]
        if any(t.get("type") == "choropleth" for t in traces):  # the map: its colour bar
            scale = [t for t in traces if t.get("showscale", True) is not False]
            assert all(_has_unit(t["colorbar"]["title"]["text"]) for t in scale), spec["id"]
            continue
        axes = _axes(layout)
        assert axes, spec["id"]
        for name, axis in axes.items():
            title = (axis.get("title") or {}).get("text") or ""
            assert title, f"{spec['id']} {name} has no title"
            if axis.get("type") not in ("category", "date"):
                assert _has_unit(title), f"{spec['id']} {name}: {title!r} names no unit"
    heads = re.findall(r"<th>([^<]*)</th>", report.split('<table class="headline">', 1)[1].split("</thead>", 1)[0])
    assert heads[0] == "economy" and all(_has_unit(h) for h in heads[1:]), heads


def test_the_real_report_embeds_plotly_js_and_fetches_nothing(report):
    scripts = re.findall(r"<script([^>]*)>", report)
    assert all("src" not in attrs for attrs in scripts)
    assert f'<script id="plotlyjs">{plotly.offline.get_plotlyjs()}</script>' in report
    outside = re.sub(r"<script.*?</script>", "", report, flags=re.S)
    assert not re.search(r"https?://", outside)


# --- the CLI: run --report and compare --horizon both ----------------------------------------


def _cli(args: list[str], capsys) -> int:
    with pytest.raises(SystemExit) as info:
        main(args)
    capsys.readouterr()
    return int(info.value.code or 0)


def test_run_report_offers_both_horizons(tmp_path: Path, capsys, short_run):
    path = tmp_path / "run.html"
    assert _cli(["run", SCENARIO, "--report", str(path), "--json", str(tmp_path / "run.json")], capsys) == 0
    text = path.read_text(encoding="utf-8")
    payload = json.loads((tmp_path / "run.json").read_text())
    assert payload["baseline"]["horizon"] == "long"
    table = text.split('<table class="horizons">', 1)[1].split("</table>", 1)[0]
    assert f"{SCENARIO}, long run" in table and f"{SCENARIO}, short run" in table
    row = table.split("<td>USA → CHN goods: change, %</td>", 1)[1].split("</tr>", 1)[0]
    by_pair = {(r["exporter"], r["importer"]): r for r in payload["bilateral"]}
    short = short_run.tables()["bilateral"].set_index(["exporter", "importer"]).loc[("USA", "CHN"), "goods_change_pct"]
    assert re.findall(r">([^<]+)</td>", row) == [fmt_pct(by_pair[("USA", "CHN")]["goods_change_pct"], 1),
                                                 fmt_pct(short, 1)]


def test_compare_report_with_both_horizons(tmp_path: Path, capsys):
    path, out = tmp_path / "cmp.html", tmp_path / "cmp.json"
    scenarios = [SCENARIO, "us-china-statutory-145"]
    assert _cli(["compare", *scenarios, "--horizon", "both", "--report", str(path), "--json", str(out)],
                capsys) == 0
    runs = json.loads(out.read_text())
    assert [(r["horizon"], r["baseline"]["horizon"]) for r in runs] == [("long", "long"), ("short", "short")] * 2
    text = path.read_text(encoding="utf-8")
    main_part = text.split("<main>", 1)[1]
    assert main_part.index('id="summary"') < main_part.index('id="horizons"') < main_part.index('id="r1"')
    # the summary: one row per run, who loses most = argmin of that run's welfare
    summary = main_part.split('id="summary"', 1)[1].split("</section>", 1)[0]
    losers = re.findall(r'data-fact="loser" data-country="(\w+)" data-value="([^"]+)"', summary)
    assert len(losers) == 4
    for run, (code, value) in zip(runs, losers, strict=True):
        welfare = {c: row["welfare_pct"] for c, row in run["countries"].items()}
        assert code == min(welfare, key=welfare.__getitem__) and float(value) == welfare[code]
    # the horizons section: a table with both horizons of each scenario, and a chart
    section = main_part.split('id="horizons"', 1)[1].split('id="compare"', 1)[0]
    heads = [html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", section)]
    assert heads == ["figure (unit)"] + [f"{s}, {h} run" for s in scenarios for h in ("long", "short")]
    row = section.split("<td>CHN: welfare, %</td>", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r">([^<]+)</td>", row) == [fmt_pct(r["countries"]["CHN"]["welfare_pct"]) for r in runs]
    chart = next(f for f in _figures(text) if f["id"].endswith("-horizons"))
    traces = chart["figure"]["data"]
    assert [t["name"] for t in traces] == [f"{s}, {h} run" for s in scenarios for h in ("long", "short")]
    for trace, run in zip(traces, runs, strict=True):
        assert trace["x"] == [run["countries"][c]["welfare_pct"] for c in trace["y"]]
    assert {"USA", "CHN"} <= set(traces[0]["y"])
    assert "%" in chart["figure"]["layout"]["xaxis"]["title"]["text"]


def test_sweep_report_states_the_band(tmp_path: Path, capsys):
    path, out = tmp_path / "sweep.html", tmp_path / "sweep.json"
    assert _cli(["sweep", SCENARIO, "--draws", "2", "--checkpoint", str(tmp_path / "ck"),
                 "--report", str(path)], capsys) == 0
    facts = {f["fact"]: f for f in _facts(path.read_text(encoding="utf-8")) if f["fact"] != "pair"}
    assert int(facts["band"]["draws"]) == 10  # 8 published sets + 2 draws, all converged
    assert "USA" in facts["band"]["text"] and "median" in facts["band"]["text"]
    assert not out.exists()
    assert _cli(["sweep", "coalitions", "--report", str(path.with_name("c.html"))], capsys) == 2


def test_elastic_labour_supply_adds_the_employment_column(baseline, geo):
    result = run_scenario(baseline, SCENARIO, labour_supply=0.5)
    countries = result.tables()["countries"].set_index("country")
    text = render_report(result.to_json(), geo)
    table = text.split('<table class="headline">', 1)[1].split("</table>", 1)[0]
    heads = re.findall(r"<th>([^<]*)</th>", table)
    column = heads.index("employment, %")
    for code in ("USA", "CHN"):
        cells = re.findall(r">([^<]*)</td>", table.split(f"<tr><td>{code}</td>", 1)[1].split("</tr>", 1)[0])
        assert cells[column - 1] == fmt_pct(countries.loc[code, "employment_pct"])
    assert countries.loc["USA", "employment_pct"] != 0


def test_compare_prints_us_china_goods_trade_by_scenario(tmp_path: Path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["compare", SCENARIO, "tpp", "--json", str(tmp_path / "c.json")])
    printed = capsys.readouterr().out
    assert info.value.code in (0, None)
    runs = json.loads((tmp_path / "c.json").read_text())
    assert "US-China goods trade" in printed
    line = next(li for li in printed.splitlines() if "CHN → USA" in li)
    for run in runs:
        row = next((r for r in run["bilateral"] if (r["exporter"], r["importer"]) == ("CHN", "USA")), None)
        assert (fmt_pct(row["goods_change_pct"], 1) if row else "—") in line
