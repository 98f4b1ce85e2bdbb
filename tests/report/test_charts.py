"""Tests of the chart functions: run JSON in, plotly figure out, units in titles."""

from __future__ import annotations

import copy

import plotly.graph_objects as go
import pytest

from tradewar.data._blocs import EU27
from tradewar.errors import UnknownCountryError, UserInputError
from tradewar.report import (
    bilateral_bars,
    compare_bars,
    country_ids,
    ladder_lines,
    main_countries,
    map_assignment,
    sector_bars,
    welfare_bars,
    welfare_map,
)

from .conftest import make_run


def _title(fig: go.Figure) -> str:
    return fig.layout.title.text


# --- reading the run -------------------------------------------------------------------------


def test_map_assignment_expands_blocs_and_rest_of_world(run, geo):
    universe = country_ids(geo)
    assignment = map_assignment(run, universe)
    for member in EU27:
        assert assignment[member] == "EU27"
    for code in ("USA", "CHN", "CAN", "MEX", "VNM", "JPN", "KOR", "GBR"):
        assert assignment[code] == code
    # everything else on the map belongs to the rest of the world
    for code in ("BRA", "IND", "RUS", "ZAF", "AUS", "TWN"):
        assert assignment[code] == "ROW"
    assert set(assignment) == set(universe) | set(run["countries"]) - {"EU27", "ROW"}


def test_map_assignment_uses_region_members_of_an_aggregated_baseline(geo):
    run = make_run(region_members={"NAM": ["USA", "CAN", "MEX"], "EU27": ["DEU", "FRA"]})
    run["countries"] = {k: run["countries"][k] for k in ("CHN", "EU27")}
    run["countries"]["NAM"] = dict(run["countries"]["CHN"], welfare_pct=-0.3)
    assignment = map_assignment(run, country_ids(geo))
    assert assignment["USA"] == assignment["MEX"] == "NAM"
    assert assignment["DEU"] == "EU27"
    assert "ITA" not in assignment  # region_members overrides the named bloc
    assert "BRA" not in assignment  # no ROW in this run: no data


def test_main_countries_are_largest_changes_plus_named(run):
    main = main_countries(run)
    assert main[:2] == ["CHN", "USA"]
    assert "VNM" in main  # 0.37 >= 25 % of 1.12
    assert "JPN" not in main
    assert set(main) >= {"USA", "CHN"}  # the countries with sector rows (named in the scenario)
    assert 2 <= len(main) <= 6 + 2


def test_malformed_run_names_the_key():
    with pytest.raises(UserInputError, match="'countries'"):
        welfare_bars({"scenario": "x"})
    with pytest.raises(UserInputError, match="scenario run"):
        welfare_bars(["not", "a", "run"])  # type: ignore[arg-type]
    with pytest.raises(UserInputError, match="'steps'"):
        welfare_bars(make_run(steps={"a": 1}))


# --- charts ----------------------------------------------------------------------------------


def test_welfare_map_colours_members_with_region_value(run, geo):
    fig = welfare_map(run, geo)
    assert isinstance(fig, go.Figure)
    data = [t for t in fig.data if t.name == "welfare, %"][0]
    z = dict(zip(data.locations, data.z, strict=True))
    assert z["DEU"] == z["FRA"] == run["countries"]["EU27"]["welfare_pct"]
    assert z["USA"] == run["countries"]["USA"]["welfare_pct"]
    assert z["BRA"] == run["countries"]["ROW"]["welfare_pct"]
    assert data.locationmode == "ISO-3"
    assert data.zmid == 0
    geo_layout = fig.layout.geo
    assert geo_layout.resolution == 50 and geo_layout.scope == "world"
    assert geo_layout.fitbounds is False
    assert "percent" in _title(fig)
    hover = dict(zip(data.locations, data.hovertext, strict=True))
    assert "EU27" in hover["DEU"] and "bn USD" in hover["DEU"]


def test_welfare_map_greys_countries_without_data(run, geo):
    del run["countries"]["ROW"]
    fig = welfare_map(run, geo)
    grey = [t for t in fig.data if t.name == "no data"][0]
    assert "BRA" in grey.locations and "USA" not in grey.locations
    assert not grey.showscale


def test_welfare_bars_sorted_losers_red_winners_blue(run):
    fig = welfare_bars(run)
    bar = fig.data[0]
    values = list(bar.x)
    assert values == sorted(values)
    assert list(bar.y)[0] == "CHN" and list(bar.y)[-1] == "VNM"
    colours = list(bar.marker.color)
    assert all((c == "#b2182b") == (v < 0) for c, v in zip(colours, values, strict=True))
    assert "USD" in bar.hovertemplate or any("USD" in c for c in bar.customdata)
    assert "-152.3 bn USD" in list(bar.customdata)
    assert "percent" in _title(fig)


def test_bilateral_bars_largest_changes_without_domestic(run):
    fig = bilateral_bars(run, top=5)
    bar = fig.data[0]
    assert len(bar.x) == 5
    assert list(bar.y)[0] == "CHN → USA"
    assert abs(bar.x[0] - (148_900.0 - 532_152.0)) < 1e-6
    assert all(abs(bar.x[k]) >= abs(bar.x[k + 1]) for k in range(4))
    assert "USA → USA" not in bar.y
    assert "millions USD" in _title(fig)
    with pytest.raises(UserInputError, match="bilateral"):
        bilateral_bars(make_run(bilateral=[]))


def test_sector_bars(run):
    fig = sector_bars(run, "CHN")
    assert [t.name for t in fig.data] == ["gross output", "exports"]
    assert len(fig.data[0].x) == 6
    # human-readable sector names beside the codes (tradewar.data.sector_labels); a name the
    # sectors module does not know stays as it is
    ticks = list(fig.data[0].x)
    assert ticks[0] == "A01 Crop and animal production…" and ticks[3].startswith("C26 Computer")
    assert ticks[-1] == "Services (aggregate)"
    assert all(len(tick) <= len("C10T12 ") + 29 for tick in ticks)
    assert fig.data[0].customdata[3][2] == "C26 Computer, electronic and optical equipment"
    assert "percent" in _title(fig) and "CHN" in _title(fig)
    with pytest.raises(UnknownCountryError, match="CHN, USA"):
        sector_bars(run, "FRA")


def test_ladder_lines_by_date(run):
    fig = ladder_lines(run)
    assert {t.name for t in fig.data} >= {"USA", "CHN"}
    usa = [t for t in fig.data if t.name == "USA"][0]
    assert list(usa.x) == ["2025-04-09", "2025-04-11"]
    assert usa.y[-1] == run["countries"]["USA"]["welfare_pct"]
    assert fig.layout.xaxis.type == "date"
    assert "percent" in _title(fig)
    with pytest.raises(UserInputError, match="steps"):
        ladder_lines(make_run(steps=[]))


def test_ladder_lines_by_label_without_dates(run):
    for step in run["steps"]:
        del step["date"]
    fig = ladder_lines(run, ["USA"])
    assert fig.layout.xaxis.type == "category"
    assert fig.data[0].x[0].startswith("1. April 9")


def test_compare_bars_one_trace_per_run(run):
    other = make_run(scenario="us-china-truce-may-12")
    for row in other["countries"].values():
        row["welfare_pct"] /= 5
    fig = compare_bars([run, other, copy.deepcopy(run)])
    assert [t.name for t in fig.data] == [
        "us-china-april-ladder", "us-china-truce-may-12", "us-china-april-ladder (2)"]
    assert list(fig.data[0].y)[0] == "CHN"
    assert "percent" in _title(fig)
    with pytest.raises(UserInputError):
        compare_bars([])


def test_charts_do_not_mutate_the_run(run, geo):
    before = copy.deepcopy(run)
    welfare_map(run, geo)
    welfare_bars(run)
    bilateral_bars(run)
    sector_bars(run, "USA")
    ladder_lines(run)
    compare_bars([run, run])
    assert run == before


def test_text_from_the_json_is_escaped(geo):
    run = make_run(scenario="<b>bold</b>")
    run["countries"]["<i>X</i>"] = {"welfare_pct": 1.0}
    assert "<b>bold</b>" not in _title(welfare_map(run, geo))
    assert "&lt;i&gt;X&lt;/i&gt;" in list(welfare_bars(run).data[0].y)


def test_compare_bars_can_draw_the_main_economies_only(run):
    other = make_run(scenario="us-china-truce-may-12")
    fig = compare_bars([run, other], ["USA", "CHN", "VNM"])
    assert all(list(t.y) == ["CHN", "USA", "VNM"] for t in fig.data)
    assert list(fig.data[1].x) == [other["countries"][c]["welfare_pct"] for c in ("CHN", "USA", "VNM")]
