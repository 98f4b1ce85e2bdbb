"""The one-pass reader of the tracker's HS2 files equals the file-by-file reader, and both name
the file of a bad row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from tradewar.data import _tariffs2025 as t2025
from tradewar.data import default_data_dir
from tradewar.errors import DataSourceError


def test_one_pass_equals_file_by_file(monkeypatch) -> None:
    data = str(Path(default_data_dir()).resolve())
    fast = t2025._read_hs2_cached(data, ("fast",))
    monkeypatch.setattr(t2025, "_read_hs2_together", lambda *a, **k: None)
    slow = t2025._read_hs2_cached(data, ("slow",))
    pd.testing.assert_frame_equal(fast, slow)
    assert len(fast) > 10_000 and fast["cty_code"].nunique() == 226


def test_a_bad_row_names_its_file(tmp_path) -> None:
    source = Path(default_data_dir()) / "tariffs2025"
    target = tmp_path / "tariffs2025"
    shutil.copytree(source / "data", target / "data")
    shutil.copytree(source / "data-hs2", target / "data-hs2")
    victim = target / "data-hs2" / "hs2-tariff-5880.csv"
    lines = victim.read_text().splitlines()
    fields = lines[3].split(",")
    fields[1] = "-5"  # 2024_imports negative
    lines[3] = ",".join(fields)
    victim.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataSourceError, match=r"hs2-tariff-5880\.csv: column '2024_imports' row 4"):
        t2025.read_hs2(tmp_path)
