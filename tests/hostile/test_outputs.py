"""Output paths: refused before any work, never destroyed, never half-written (issue 14 item 1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tradewar.errors import UserInputError
from tradewar.safe_files import check_output_dir, check_output_file, write_atomic, write_tree_atomic

from .conftest import listing, run_cli

RUN = ["run", "us-china-april-11", "--regions", "g14"]


def _refused(args: list[str], capsys, cache: Path, option: str) -> str:
    code, out, err = run_cli(args, capsys)
    assert code == 2, err
    assert option in err and "allowed" in err and "Traceback" not in err
    assert "JSON written" not in out and "CSV written" not in out
    # refused before any work: not even a baseline was loaded (the empty cache stays empty)
    assert not cache.exists() or not any(cache.iterdir())
    return err


def test_json_symlink_is_refused_and_kept(tmp_path: Path, capsys, empty_cache: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("precious")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    err = _refused(RUN + ["--json", str(link)], capsys, empty_cache, "--json")
    assert "symbolic link" in err
    assert link.is_symlink() and real.read_text() == "precious"


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_json_device_is_refused(device: str, capsys, empty_cache: Path) -> None:
    before = os.stat(device)
    _refused(RUN + ["--json", device], capsys, empty_cache, "--json")
    after = os.stat(device)
    assert (after.st_mode, after.st_rdev) == (before.st_mode, before.st_rdev)  # still the device


def test_json_directory_is_refused(tmp_path: Path, capsys, empty_cache: Path) -> None:
    err = _refused(RUN + ["--json", str(tmp_path)], capsys, empty_cache, "--json")
    assert "directory" in err


def test_json_proc_file_is_refused(capsys, empty_cache: Path) -> None:
    err = _refused(RUN + ["--json", "/proc/version"], capsys, empty_cache, "--json")
    assert "system or device path" in err


def test_json_under_a_file_is_refused(tmp_path: Path, capsys, empty_cache: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    err = _refused(RUN + ["--json", str(blocker / "out.json")], capsys, empty_cache, "--json")
    assert "not a directory" in err


def test_csv_existing_file_is_refused_and_kept(tmp_path: Path, capsys, empty_cache: Path) -> None:
    target = tmp_path / "tables"
    target.write_text("keep me")
    err = _refused(RUN + ["--csv", str(target)], capsys, empty_cache, "--csv")
    assert "not a folder" in err and target.read_text() == "keep me"


def test_csv_dev_null_is_refused(capsys, empty_cache: Path) -> None:
    _refused(RUN + ["--csv", "/dev/null"], capsys, empty_cache, "--csv")


def test_csv_symlinked_folder_is_refused(tmp_path: Path, capsys, empty_cache: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    _refused(RUN + ["--csv", str(tmp_path / "link")], capsys, empty_cache, "--csv")
    assert listing(real) == set()


def test_report_directory_is_refused(tmp_path: Path, capsys, empty_cache: Path) -> None:
    _refused(RUN + ["--report", str(tmp_path)], capsys, empty_cache, "--report")


def test_second_bad_output_refuses_the_first_too(tmp_path: Path, capsys, empty_cache: Path) -> None:
    # a good --json and a bad --csv: nothing at all is written
    _refused(RUN + ["--json", str(tmp_path / "ok.json"), "--csv", "/dev/null"], capsys, empty_cache, "--csv")
    assert listing(tmp_path) == {"cache"} or listing(tmp_path) == set()


def test_compare_json_device_is_refused(capsys, empty_cache: Path) -> None:
    _refused(["compare", "tpp", "ttip", "--regions", "g14", "--json", "/dev/full"], capsys, empty_cache, "--json")


@pytest.mark.parametrize("command", [
    ["exposure", "CHN", "--partner", "USA"],
    ["coalitions", "--allies", "JPN"],
    ["sweep", "tpp", "--draws", "1"],
    ["escalation"],
])
def test_chart_directory_is_refused_before_work(command: list[str], tmp_path: Path, capsys,
                                                empty_cache: Path) -> None:
    _refused(command + ["--chart", str(tmp_path)], capsys, empty_cache, "--chart")


@pytest.mark.parametrize("command", [["coalitions", "--allies", "JPN"], ["sweep", "tpp", "--draws", "1"]])
def test_checkpoint_given_a_file_is_refused(command: list[str], tmp_path: Path, capsys,
                                            empty_cache: Path) -> None:
    target = tmp_path / "chunks.parquet"
    target.write_text("not a folder")
    err = _refused(command + ["--checkpoint", str(target)], capsys, empty_cache, "--checkpoint")
    assert "not a folder" in err and target.read_text() == "not a folder"


def test_csv_writes_every_table_or_none(tmp_path: Path, capsys) -> None:
    out = tmp_path / "csv"
    code, _, err = run_cli(RUN + ["--csv", str(out)], capsys)
    assert code == 0, err
    assert listing(out) == {"countries.csv", "bilateral.csv", "sectors.csv", "steps.csv"}
    assert listing(tmp_path) == {"csv"} | {f"csv/{n}" for n in listing(out)}  # no temporary left


# ---- the safe-write functions themselves ----

def test_write_atomic_replaces_a_regular_file_only(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old")
    write_atomic(target, "new")
    assert target.read_text() == "new" and listing(tmp_path) == {"a.txt"}
    link = tmp_path / "b.txt"
    link.symlink_to(target)
    with pytest.raises(UserInputError, match="symbolic link"):
        write_atomic(link, "evil")
    assert target.read_text() == "new" and link.is_symlink()


def test_write_atomic_failure_leaves_target_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(TypeError):
        write_atomic(target, 123)  # type: ignore[arg-type]
    assert target.read_text() == "old" and listing(tmp_path) == {"a.txt"}


def test_write_tree_atomic_is_all_or_nothing(tmp_path: Path) -> None:
    target = tmp_path / "tables"
    with pytest.raises(TypeError):
        write_tree_atomic(target, {"a.csv": "x,y\n", "b.csv": object()})  # type: ignore[dict-item]
    assert listing(tmp_path) == set()  # neither the folder nor a staging folder
    write_tree_atomic(target, {"a.csv": "1\n", "b.csv": "2\n"})
    assert (target / "b.csv").read_text() == "2\n" and listing(tmp_path) == {"tables", "tables/a.csv", "tables/b.csv"}


def test_write_tree_atomic_refuses_a_directory_in_the_way(tmp_path: Path) -> None:
    target = tmp_path / "tables"
    (target / "b.csv").mkdir(parents=True)
    with pytest.raises(UserInputError, match="b.csv"):
        write_tree_atomic(target, {"a.csv": "1\n", "b.csv": "2\n"})
    assert listing(tmp_path) == {"tables", "tables/b.csv"}  # a.csv not written either


@pytest.mark.parametrize("name", ["../evil.csv", "sub/x.csv", "", ".."])
def test_write_tree_atomic_refuses_names_with_folders(tmp_path: Path, name: str) -> None:
    with pytest.raises(UserInputError, match="plain file name"):
        write_tree_atomic(tmp_path / "t", {name: "x"})
    assert listing(tmp_path) == set()


def test_check_output_paths_accept_new_paths(tmp_path: Path) -> None:
    assert check_output_file(tmp_path / "new" / "deeper" / "r.json") == tmp_path / "new" / "deeper" / "r.json"
    assert check_output_dir(tmp_path / "new-folder") == tmp_path / "new-folder"
    assert listing(tmp_path) == set()  # checking creates nothing
