"""Bad command-line arguments and scenario files: exit 2, the field named, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import listing, run_cli


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("args", "fragment"), [
    (["serve", "--scheduler", "bogus"], "--scheduler"),
    (["run", "tpp", "--year", "1990"], "unknown year 1990"),
    (["run", "tpp", "--dataset", "wiod", "--year", "2020"], "unknown year 2020"),
    (["run", "tpp", "--data-dir", "/nonexistent"], "--data-dir"),
    (["sweep", "tpp", "--draws", "1", "--workers", "0"], "workers"),
    (["sweep", "tpp", "--draws", "1", "--seed", "-1"], "seed"),
    (["coalitions", "--allies", ",,,"], "--allies"),
    (["coalitions", "--reliability", "2"], "--reliability"),
    (["coalitions", "--allies", "JPN", "--tariff", "nan"], "tariff"),
    (["escalation", "--threat", "nan"], "threat"),
    (["escalation", "--allies", "JPN,,KOR"], "--allies"),
    (["sweep", "tpp", "--leader", "USA"], "--leader"),
    (["run", "in-force", "--date", "1990-01-01"], "1990-01-01"),
    (["run", "tpp", "--date", "2025-05-01"], "--date"),
])
def test_bad_arguments_exit_2_naming_the_field(tmp_path: Path, capsys, args: list[str], fragment: str) -> None:
    code, out, err = run_cli(args, capsys)
    assert code == 2, err
    assert fragment in _flat(err) and "Traceback" not in err


def _toml(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "s.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


@pytest.mark.parametrize(("text", "fragment"), [
    (b"\xed\x00\xff garbage", "cannot read the scenario file"),
    ('name = "x"\n[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = nan\n', "tariff[0].add: nan"),
    ('name = "x"\n[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = inf\n', "tariff[0].add: inf"),
    ('name = "x"\n[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = "1.45"\n', "tariff[0].add"),
    ('name = "x"\n[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nsectors = ["ZZZ"]\nadd = 0.1\n', "ZZZ"),
    ('name = "x"\n[[tariff]\n', "line"),
    ('name = ""\n[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = 0.1\n', "name"),
])
def test_bad_scenario_files_exit_2_and_write_nothing(tmp_path: Path, capsys, text: str | bytes,
                                                     fragment: str) -> None:
    path = _toml(tmp_path, text)
    out = tmp_path / "out"
    code, _, err = run_cli(["run", str(path), "--regions", "g14", "--json", str(out / "r.json"),
                            "--csv", str(out / "csv")], capsys)
    assert code == 2 and fragment in _flat(err) and "Traceback" not in err
    assert listing(tmp_path) == {"s.toml"}


@pytest.mark.parametrize("spec", ["/dev/null", "/proc/self/status"])
def test_special_files_as_scenarios_are_refused(spec: str, capsys) -> None:
    code, _, err = run_cli(["run", spec, "--regions", "g14"], capsys)
    assert code == 2 and "Traceback" not in err and spec in err


def test_a_folder_named_like_a_scenario_is_refused(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "dir.toml"
    folder.mkdir()
    code, _, err = run_cli(["run", str(folder), "--regions", "g14"], capsys)
    assert code == 2 and "neither a built-in nor an existing TOML file" in _flat(err)


def test_data_directory_without_sources_is_refused(tmp_path: Path, capsys, empty_cache: Path) -> None:
    code, _, err = run_cli(["run", "tpp", "--data-dir", str(tmp_path)], capsys)
    assert code == 2 and "not found" in err and "--data-dir" in err
    assert not empty_cache.exists() or listing(empty_cache) <= {p for p in listing(empty_cache) if p.endswith(".lock")}
