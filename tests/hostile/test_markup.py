"""User text is printed as text, never as rich markup (issue 14 item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_cli


def _flat(text: str) -> str:
    return " ".join(text.split())


def _scenario(tmp_path: Path, exporter: str, name: str = "x") -> Path:
    path = tmp_path / "s.toml"
    path.write_text(f'name = "{name}"\n[[tariff]]\nimporter = "USA"\nexporter = "{exporter}"\nadd = 0.1\n')
    return path


@pytest.mark.parametrize("text", ["[/]", "[red]CHN", "[bold]", "[/red]", "[link=file:///etc/passwd]x"])
def test_markup_in_a_toml_exporter_is_quoted_verbatim(tmp_path: Path, capsys, text: str) -> None:
    code, _, err = run_cli(["run", str(_scenario(tmp_path, text)), "--regions", "g14"], capsys)
    assert code == 2 and "Traceback" not in err
    assert f"unknown country '{text}'" in _flat(err)
    assert "tariff[0].exporter" in err


@pytest.mark.parametrize("spec", ["[/]", "[red]tpp"])
def test_markup_as_a_scenario_name_on_the_command_line(capsys, spec: str) -> None:
    code, _, err = run_cli(["run", spec, "--regions", "g14"], capsys)
    assert code == 2 and "Traceback" not in err
    assert spec in err and "allowed" in err


def test_table_headers_in_messages_survive(tmp_path: Path, capsys) -> None:
    path = tmp_path / "empty.toml"
    path.write_text('name = "x"\n')
    code, _, err = run_cli(["run", str(path), "--regions", "g14"], capsys)
    assert code == 2
    assert "[[tariff]]" in err and "[[step]]" in err


def test_regions_table_name_survives(tmp_path: Path, capsys) -> None:
    path = tmp_path / "regions.toml"
    path.write_text("foo = 1\n")
    code, _, err = run_cli(["run", "tpp", "--regions", str(path)], capsys)
    assert code == 2 and "[regions]" in err


@pytest.mark.parametrize(("option", "value"), [("--regions", "[/]"), ("--dataset", "[/]"),
                                               ("--elasticity", "[red]IS"), ("--deficits", "[/]")])
def test_markup_in_options(capsys, option: str, value: str) -> None:
    code, _, err = run_cli(["run", "tpp", option, value], capsys)
    assert code == 2 and "Traceback" not in err
    assert value in err


def test_a_scenario_named_with_markup_runs_and_is_shown_verbatim(tmp_path: Path, capsys) -> None:
    path = _scenario(tmp_path, "CHN", name="[bold red]mine[/] [/]")
    code, out, err = run_cli(["run", str(path), "--regions", "g14"], capsys)
    assert code == 0, err
    assert "[bold red]mine[/] [/]" in out


def test_scenario_text_is_escaped_in_the_html_report(tmp_path: Path, capsys) -> None:
    path = tmp_path / "s.toml"
    path.write_text('name = "<script>alert(1)</script> [/]"\ndescription = "<img src=x onerror=alert(2)>"\n'
                    '[[tariff]]\nimporter = "USA"\nexporter = "CHN"\nadd = 0.1\n')
    report = tmp_path / "r.html"
    code, _, err = run_cli(["run", str(path), "--regions", "g14", "--report", str(report)], capsys)
    assert code == 0, err
    html = report.read_text()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [/]" in html
