"""Scenario language: every bad input is a ScenarioError naming the file, line, key path and the
allowed values; good input round-trips between TOML and Python objects."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tradewar.errors import ScenarioError, UserInputError
from tradewar.scenario import (
    Agreement,
    Coalition,
    DeficitChange,
    Scenario,
    Step,
    TariffAction,
    builtin_names,
    builtin_scenario,
    compile_tariffs,
    load_scenario,
    register_retaliation_rule,
    scenario_from_toml,
)
from tradewar.scenario._schema import RETALIATION_RULES

HEAD = 'name = "x"\nstart = "baseline"\n'
GOOD_TARIFF = '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = 0.1\n'

# (case, TOML text, fragments the message must contain)
BAD_FILES = [
    ("both set and add", HEAD + '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nset = 0.1\nadd = 0.2\n',
     ["line 3", "tariff[0]", "both of `set` and `add`", "exactly one of `set`"]),
    ("neither set nor add", HEAD + '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\n',
     ["line 3", "tariff[0]", "neither", "exactly one of `set`"]),
    ("misspelled key", HEAD + GOOD_TARIFF + '\n[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nsett = 0.1\n',
     ["line 11", "unknown key 'sett'", "tariff[1]", "did you mean 'set'", "allowed keys: importer, exporter"]),
    ("misspelled top-level key", HEAD + 'retalation = "mirror"\n' + GOOD_TARIFF,
     ["line 3", "unknown key 'retalation'", "did you mean 'retaliation'", "allowed keys: name"]),
    ("set at -100 %", HEAD + '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nset = -1.0\n',
     ["line 6", "tariff[0].set", "allowed: > -1"]),
    ("not a number", HEAD + '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = nan\n',
     ["line 6", "tariff[0].add", "not a finite number", "allowed: a number"]),
    ("boolean", HEAD + '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = true\n',
     ["tariff[0].add", "boolean", "allowed: a number"]),
    ("bad layer", HEAD + '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = "us-2024:2025-04-09"\n',
     ["line 6", "unknown tariff layer 'us-2024'", "us-2025", "china-2025"]),
    ("bad layer date", HEAD + '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = "us-2025:April"\n',
     ["line 6", "not a layer reference", "<layer>:<YYYY-MM-DD>"]),
    ("sectors not a list", HEAD + '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nsectors = 3\nadd = 0.1\n',
     ["line 6", "tariff[0].sectors", "'all', 'goods' or a list of sector codes"]),
    ("bad start", 'name = "x"\nstart = "today"\n' + GOOD_TARIFF,
     ["line 2", "start", "'in-force-2025' or 'baseline'"]),
    ("bad retaliation", HEAD + 'retaliation = "tit-for-tat"\n' + GOOD_TARIFF,
     ["line 3", "retaliation", "'none', 'mirror', 'optimal'"]),
    ("empty scenario", HEAD, ["empty scenario", "at least one of them"]),
    ("ladder out of order", HEAD
     + '[[step]]\ndate = 2025-04-10\nlabel = "b"\n[[step.tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = 0.1\n'
     + '[[step]]\ndate = 2025-04-01\nlabel = "a"\n[[step.tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = 0.1\n',
     ["line 11", "step[1].date", "out of date order", "non-decreasing date order"]),
    ("typo inside a step", HEAD
     + '[[step]]\ndate = 2025-04-10\nlabel = "b"\n[[step.tariff]]\nimporter = "USA"\nexporter = "CHN"\nad = 0.1\n',
     ["line 9", "unknown key 'ad'", "step[0].tariff[0]", "did you mean 'add'"]),
    ("step without action", HEAD + '[[step]]\ndate = 2025-04-10\nlabel = "b"\n',
     ["line 3", "step[0]", "has no action"]),
    ("deficit both", HEAD + '[[deficit]]\ncountry = "CHN"\nset = 0\nscale = 0\n',
     ["line 3", "deficit[0]", "both of `set` and `scale`", "allowed: exactly one of `set`"]),
    ("deficit with a wrong closure", HEAD + 'closure = "fixed"\n[[deficit]]\ncountry = "CHN"\nscale = 0\n',
     ["closure 'fixed' with [[deficit]]", "allowed: 'given'"]),
    ("missing key", HEAD + '[[tariff]]\nexporter = "CHN"\nadd = 0.1\n',
     ["line 3", "missing key 'importer'", "tariff[0]", "allowed: a country or bloc code"]),
    ("empty country list", HEAD + '[[tariff]]\nimporter = []\nexporter = "CHN"\nadd = 0.1\n',
     ["line 4", "tariff[0].importer", "empty list"]),
]


@pytest.mark.parametrize(("case", "text", "fragments"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_file_is_a_scenario_error_naming_file_line_key_and_allowed(tmp_path: Path, case: str,
                                                                      text: str, fragments: list[str]) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, f"{case}: {fragment!r} not in {message!r}"
    assert sorted(os.listdir(tmp_path)) == before  # nothing written
    assert isinstance(info.value, UserInputError)


def test_malformed_toml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('name = "x"\n[[tariff]\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"broken\.toml: not valid TOML.*line 2"):
        load_scenario(path)


def test_missing_file() -> None:
    with pytest.raises(ScenarioError, match="cannot read the scenario file"):
        load_scenario("/nonexistent/dir/scenario.toml")


def test_python_objects_raise_scenario_errors_too() -> None:
    with pytest.raises(ScenarioError, match="exactly one of `set`"):
        TariffAction(importer="USA", exporter="CHN", set=0.1, add=0.2)
    with pytest.raises(ScenarioError, match="allowed: > -1"):
        TariffAction(importer="USA", exporter="CHN", set=-2.0)
    with pytest.raises(ScenarioError, match="unknown key 'sett'"):
        TariffAction(importer="USA", exporter="CHN", sett=0.1)  # type: ignore[call-arg]
    with pytest.raises(ScenarioError, match="empty scenario"):
        Scenario(name="x")
    with pytest.raises(ScenarioError, match="neither of `set` and `scale`"):
        DeficitChange(country="CHN")


def test_toml_and_python_objects_are_one_schema() -> None:
    text = HEAD + (
        'description = "d"\nsources = ["s"]\nretaliation = "mirror"\n'
        '[[tariff]]\nimporter = "USA"\nexporter = ["CHN", "VNM"]\nsectors = ["C26"]\nset = 0.3\n'
        '[[agreement]]\nmembers = ["USA", "EU27"]\n'
        '[[coalition]]\nmembers = ["JPN"]\ntarget = "CHN"\ntariff = 0.5\n'
        '[[deficit]]\ncountry = "CHN"\nscale = 0.5\n'
        '[[step]]\ndate = 2025-04-10\nlabel = "one"\n[[step.tariff]]\nimporter = "CHN"\nexporter = "USA"\nadd = 0.34\n'
    )
    from_toml = scenario_from_toml(text)
    from_python = Scenario(
        name="x", start="baseline", description="d", sources=["s"], retaliation="mirror",
        tariff=[TariffAction(importer="USA", exporter=["CHN", "VNM"], sectors=["C26"], set=0.3)],
        agreement=[Agreement(members=["USA", "EU27"])],
        coalition=[Coalition(members=["JPN"], target="CHN", tariff=0.5)],
        deficit=[DeficitChange(country="CHN", scale=0.5)],
        step=[Step(date="2025-04-10", label="one",  # type: ignore[arg-type]
                   tariff=[TariffAction(importer="CHN", exporter="USA", add=0.34)])],
    )
    assert from_toml.model_dump() == from_python.model_dump()
    assert from_toml.tariff[0].sectors == ["C26"]
    assert from_toml.step[0].tariff[0].sectors == "goods"  # the default


def test_unknown_country_and_sector_list_allowed_codes(standin, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(HEAD + '[[tariff]]\nimporter = "USA"\nexporter = ["CHN", "XYZ"]\nadd = 0.1\n')
    with pytest.raises(ScenarioError) as info:
        compile_tariffs(load_scenario(path), standin)
    message = str(info.value)
    assert "line 5" in message and "tariff[0].exporter[1]" in message
    assert "unknown country 'XYZ'" in message and "allowed: AUS, BRA, CAN, CHN" in message
    assert "EU27" in message and "'ALL'" in message
    path.write_text(HEAD + '\n[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nsectors = ["C26", "C99"]\nadd = 0.1\n')
    with pytest.raises(ScenarioError) as info:
        compile_tariffs(load_scenario(path), standin)
    message = str(info.value)
    assert "line 7" in message and "tariff[0].sectors[1]" in message
    assert "unknown sector 'C99'" in message and "A01, B06, C10T12, C26, C29, SERV" in message


def test_resulting_tariff_at_or_below_minus_100_percent(standin) -> None:
    scenario = scenario_from_toml(HEAD + '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = -1.5\n',
                                  source="cut.toml")
    with pytest.raises(ScenarioError, match=r"cut\.toml, line 6: tariff\[0\]\.add: the tariff of USA on CHN.*allowed: > -1"):
        compile_tariffs(scenario, standin)


def test_bloc_without_members_in_the_baseline(standin) -> None:
    scenario = scenario_from_toml(HEAD + '[[agreement]]\nmembers = ["ASEAN"]\n')
    with pytest.raises(ScenarioError, match="at least two economies"):
        compile_tariffs(scenario, standin)


def test_optimal_retaliation_is_supplied_by_the_layer_above(standin) -> None:
    """'optimal' is a best response computed by tradewar.analysis: the scenario layer never
    loads it. Without a rule the compiler says who supplies it; with the strategy layer's rule
    the target answers the tariff by changing its tariffs on the aggressor, and the compiled
    scenario records the rule."""
    from tradewar.analysis import optimal_retaliation_rule

    saved = RETALIATION_RULES.pop("optimal", None)
    try:
        scenario = scenario_from_toml(HEAD + 'retaliation = "optimal"\n' + GOOD_TARIFF)
        with pytest.raises(ScenarioError, match="retaliation_rule"):
            compile_tariffs(scenario, standin)
        assert "optimal" not in RETALIATION_RULES  # nothing was loaded behind the caller's back
        compiled = compile_tariffs(scenario, standin, retaliation_rule=optimal_retaliation_rule)
    finally:
        if saved is not None:
            RETALIATION_RULES["optimal"] = saved
    start = compiled.start_economy.tariffs
    tau = compiled.steps[0].tariffs
    us, cn = 0, 1
    assert abs(tau[cn, us] - start[cn, us]).max() > 1e-4
    assert compiled.retaliation == "optimal"


def test_retaliation_hook(standin) -> None:
    def double(context):
        out = context.after.copy()
        for m, e in context.touched:
            out[e, m] += 2 * (context.after[m, e] - context.before[m, e])
        return out

    register_retaliation_rule("optimal", double)
    try:
        scenario = scenario_from_toml(HEAD + 'retaliation = "optimal"\n' + GOOD_TARIFF)
        compiled = compile_tariffs(scenario, standin)
        start = compiled.start_economy.tariffs
        tau = compiled.steps[0].tariffs
        us, cn = 0, 1
        assert tau[cn, us, 0] - start[cn, us, 0] == pytest.approx(0.2)
    finally:
        RETALIATION_RULES.pop("optimal", None)
    with pytest.raises(ScenarioError):
        register_retaliation_rule("mirror", double)


def test_builtins_listed_and_unknown_name() -> None:
    names = builtin_names()
    for expected in ("liberation-day", "us-china-ladder-2025", "us-china-april-11", "geneva-truce",
                     "china-surrounded", "america-first", "allied-front", "tpp", "cptpp", "ttip",
                     "rebalance-china"):
        assert expected in names
    with pytest.raises(ScenarioError, match="unknown built-in scenario 'nope'; allowed: allied-front"):
        builtin_scenario("nope")


def test_scenario_source_is_recorded(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(HEAD + GOOD_TARIFF)
    assert load_scenario(path).source == str(path)
    assert builtin_scenario("tpp").source == "builtin:tpp"
