"""Tests of the raw-source readers against the real data in ../shared/data."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import h5py
import numpy as np
import pytest

from tradewar.data._concordance import ICIO28_CODES, WIOD35_CODES, read_sector_concordance
from tradewar.data._cubes import read_cube
from tradewar.data._gdp import read_gdp
from tradewar.data._paths import (
    DATA_DIR_ENV,
    default_data_dir,
    file_checksum,
    source_file,
)
from tradewar.data._tariffs2025 import (
    COUNTRY_BY_TIME_FILE,
    COUNTRY_MAPPING_FILE,
    action_dates,
    read_country_by_time,
    read_hs2,
)
from tradewar.data._wiot import read_wiot2011
from tradewar.errors import DataSourceError, UnknownNameError
from tradewar.options import ELASTICITY_SETS, YEARS

GARBAGE = b"this is not a data file\x00\x01\x02" * 50


@pytest.fixture(scope="session")
def data_dir() -> Path:
    try:
        return default_data_dir()
    except DataSourceError as exc:  # pragma: no cover - CI always has ../shared/data
        pytest.fail(f"real data not available (tests need ../shared/data): {exc}")


@pytest.fixture(scope="module")
def icio2022(data_dir):
    return read_cube(data_dir, "icio", 2022)


@pytest.fixture(scope="module")
def wiot(data_dir):
    return read_wiot2011(data_dir)


# --- paths ------------------------------------------------------------------------------


def test_default_data_dir_env(monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    assert default_data_dir() == tmp_path.resolve()
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(DataSourceError, match=DATA_DIR_ENV):
        default_data_dir()


def test_default_data_dir_finds_shared_data(monkeypatch, data_dir):
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.chdir("/")  # not via the working directory: via the repository root
    assert (default_data_dir() / "MANIFEST.md").is_file()


def test_source_file_missing(tmp_path):
    with pytest.raises(DataSourceError, match="ICIO2099.mat") as info:
        source_file(tmp_path, "icio/ICIO2099.mat")
    assert str(tmp_path) in str(info.value)
    assert "--data-dir" in str(info.value)


def test_file_checksum(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(GARBAGE)
    assert file_checksum(path, chunk_size=7) == hashlib.sha256(GARBAGE).hexdigest()


# --- trade cubes ------------------------------------------------------------------------


def test_icio_shapes_and_labels(icio2022):
    cube = icio2022
    assert cube.flows.shape == (81, 81, 28)
    assert cube.tariffs.shape == (81, 81, 28)
    assert cube.countries[-1] == "ROW" and {"USA", "CHN", "TWN", "VNM"} <= set(cube.countries)
    assert cube.sectors == ICIO28_CODES
    assert cube.sectors[cube.services_index] == "Services (aggregate)"
    assert cube.services_index == 27
    assert len(cube.checksum) == 64
    assert not cube.flows.flags.writeable


def test_icio_axis_order_us_imports_from_china(icio2022):
    cube = icio2022
    usa, chn = cube.countries.index("USA"), cube.countries.index("CHN")
    imports_from_china = cube.flows[usa, chn, :].sum()  # [importer, exporter, sector]
    assert imports_from_china == pytest.approx(532_000, rel=0.02)
    # the reverse direction (US exports to China) is far smaller
    assert cube.flows[chn, usa, :].sum() < 0.5 * imports_from_china


def test_icio_axis_order_us_deficit(icio2022):
    cube = icio2022
    usa = cube.countries.index("USA")
    bilateral = cube.flows.sum(axis=2)
    np.fill_diagonal(bilateral, 0.0)
    imports = bilateral[usa, :].sum()
    exports = bilateral[:, usa].sum()
    assert imports - exports == pytest.approx(962_000, rel=0.03)


def test_us_tariff_on_chinese_food_is_importer_on_exporter(icio2022):
    cube = icio2022
    usa, chn = cube.countries.index("USA"), cube.countries.index("CHN")
    food = cube.sectors.index("C10T12")
    assert cube.tariffs[usa, chn, food] == pytest.approx(0.91, abs=0.01)  # MANIFEST: US 0.91


@pytest.mark.parametrize(("dataset", "year"), [(d, y) for d in ("icio", "wiod") for y in YEARS[d]])
def test_every_cube(data_dir, dataset, year):
    cube = read_cube(data_dir, dataset, year)
    n, j = (81, 28) if dataset == "icio" else (44, 16)
    assert (cube.dataset, cube.year) == (dataset, year)
    assert cube.flows.shape == cube.tariffs.shape == (n, n, j)
    assert len(cube.countries) == n and len(cube.sectors) == j
    assert cube.sectors[cube.services_index] == "Services (aggregate)"
    assert set(cube.elasticities) == set(ELASTICITY_SETS)
    for name, theta in cube.elasticities.items():
        assert theta.shape == (j,), name
        assert (theta > 0).all(), name
    diagonal = cube.tariffs[np.arange(n), np.arange(n), :]
    assert (diagonal == 0).all()
    assert (cube.flows >= 0).all() and (cube.tariffs >= 0).all()
    # domestic sales dominate for the US
    usa = cube.countries.index("USA")
    assert cube.flows[usa, usa].sum() > cube.flows[usa].sum() - cube.flows[usa, usa].sum()


def test_cube_unknown_dataset_or_year(data_dir):
    with pytest.raises(UnknownNameError, match="2010"):
        read_cube(data_dir, "icio", 2010)
    with pytest.raises(UnknownNameError, match="2000"):  # the message lists allowed years
        read_cube(data_dir, "wiod", 1999)
    with pytest.raises(UnknownNameError, match="icio, wiod"):
        read_cube(data_dir, "gtap", 2014)


def test_cube_missing_file(tmp_path):
    with pytest.raises(DataSourceError, match="ICIO2022.mat"):
        read_cube(tmp_path, "icio", 2022)


def test_cube_corrupted_file(tmp_path):
    path = tmp_path / "icio" / "ICIO2022.mat"
    path.parent.mkdir()
    path.write_bytes(GARBAGE)
    with pytest.raises(DataSourceError) as info:
        read_cube(tmp_path, "icio", 2022)
    assert str(path) in str(info.value)


def test_cube_wrong_layout(tmp_path):
    path = tmp_path / "wiod2016" / "WIOD2014.mat"
    path.parent.mkdir()
    with h5py.File(path, "w") as f:
        f.create_dataset("data/Xjik_3D", data=np.zeros((16, 44, 44)))
    with pytest.raises(DataSourceError, match="tjik_3D") as info:
        read_cube(tmp_path, "wiod", 2014)
    assert str(path) in str(info.value)


# --- WIOD 2013 world input-output table -------------------------------------------------


def test_wiot_shapes(wiot):
    assert wiot.year == 2011
    assert len(wiot.countries) == 41 and wiot.countries[-1] == "ROW"
    assert "ROU" in wiot.countries and "ROM" not in wiot.countries
    assert wiot.industries == WIOD35_CODES
    assert wiot.intermediate.shape == (41, 35, 41, 35)
    assert wiot.final.shape == (41, 35, 41, 5)
    assert wiot.output.shape == wiot.value_added.shape == (41, 35)


def test_wiot_balance(wiot):
    rows = wiot.intermediate.sum(axis=(2, 3)) + wiot.final.sum(axis=(2, 3))
    discrepancy = np.abs(wiot.output - rows)
    # the file's integers do not add up exactly: the largest gap is 108 million (NLD c23),
    # output exceeds the row sums in most rows (mean +41 million), 0.04 % of world output
    assert discrepancy.max() == wiot.max_balance_discrepancy
    assert discrepancy.max() <= 200
    assert discrepancy.sum() / wiot.output.sum() < 1e-3
    np.testing.assert_allclose(wiot.value_added, wiot.output - wiot.intermediate.sum(axis=(0, 1)))
    assert (wiot.value_added >= 0).all()


def test_wiot_domestic_use_dominates(wiot):
    usa = wiot.countries.index("USA")
    assert wiot.output[usa].sum() == pytest.approx(2.69e7, rel=0.02)  # US gross output 2011
    domestic = wiot.intermediate[usa, :, usa, :].sum()
    assert domestic > 0.8 * wiot.intermediate[:, :, usa, :].sum()


def test_wiot_corrupted_file(tmp_path):
    path = tmp_path / "wiod2013" / "wiot_2011.RData"
    path.parent.mkdir()
    path.write_bytes(GARBAGE)
    with pytest.raises(DataSourceError) as info:
        read_wiot2011(tmp_path)
    assert str(path) in str(info.value)


# --- GDP --------------------------------------------------------------------------------


def test_gdp(data_dir):
    gdp = read_gdp(data_dir)
    assert gdp.index.names == ["iso3", "year"]
    assert 2.0e7 <= gdp.loc[("USA", 2022)] <= 2.3e7  # millions of 2015 USD
    assert gdp.loc[("NAM", 2022)] > 0  # Namibia ("NA") is not read as missing
    assert ("HIC", 2022) in gdp.index  # income aggregate with an empty ISO3 in the file
    assert gdp.index.is_unique and (gdp > 0).all()


def test_gdp_corrupted_file(tmp_path):
    path = tmp_path / "gdp" / "WDI_GDP_constant2015USD.csv"
    path.parent.mkdir()
    path.write_text("a,b\n1,2\n")
    with pytest.raises(DataSourceError, match="CountryCode_ISO3") as info:
        read_gdp(tmp_path)
    assert str(path) in str(info.value)


# --- 2025 US tariffs --------------------------------------------------------------------


def test_country_by_time(data_dir):
    df = read_country_by_time(data_dir)
    assert list(df.columns[:2]) == ["date", "iso3"]
    assert df["iso3"].nunique() == 51 and {"EU27", "KOR", "TUR", "CHN"} <= set(df["iso3"])
    dates = action_dates(df)
    assert len(dates) == 23 and dates[0] == date(2025, 2, 4)
    assert len(df) == 51 * 23
    china = df[df["iso3"] == "CHN"]
    first = china[china["date"] == dates[0]].iloc[0]
    assert first["effective_tariff"] == pytest.approx(0.20)
    assert first["tariff_2024"] == pytest.approx(0.1087, abs=1e-4)
    assert first["imports_2024_musd"] == pytest.approx(429_426, rel=1e-4)
    assert df["effective_tariff"].max() < 1.5  # fractions, not percent


def test_country_by_time_unmapped_name(data_dir, tmp_path):
    (tmp_path / COUNTRY_MAPPING_FILE).parent.mkdir(parents=True)
    shutil.copy(data_dir / COUNTRY_MAPPING_FILE, tmp_path / COUNTRY_MAPPING_FILE)
    (tmp_path / COUNTRY_BY_TIME_FILE).write_text(
        "date,country_name,effective tariff,total imports,2024 tariff\n"
        "2025-02-04,CHINA,20.0,4.0e11,10.0\n"
        "2025-02-04,ATLANTIS,10.0,1.0e9,1.0\n"
    )
    with pytest.raises(DataSourceError, match="ATLANTIS"):
        read_country_by_time(tmp_path)


def test_hs2(data_dir):
    df = read_hs2(data_dir)
    assert df["cty_code"].nunique() == 226
    assert df["hs2"].between(1, 99).all()
    china = df[df["iso3"] == "CHN"]
    assert china["imports_2024_musd"].sum() == pytest.approx(438_947, rel=0.05)
    rate = china["duty_2024_musd"] / china["imports_2024_musd"]
    np.testing.assert_allclose(china["tariff_2024"], rate, rtol=1e-9)
    # rates are missing only where there were no imports
    missing = df["tariff_2024"].isna() | df["tariff_increase_2025"].isna()
    assert (df.loc[missing, "imports_2024_musd"] == 0).all()
    assert df["tariff_increase_2025"].max() <= 1.0


# --- sector concordance -----------------------------------------------------------------


def test_sector_concordance(data_dir, icio2022):
    groups = read_sector_concordance(data_dir)
    assert len(groups) == 14
    assert ICIO28_CODES == icio2022.sectors
    icio = [c for g in groups for c in g.icio28_codes]
    wiod = [c for g in groups for c in g.wiod35_codes]
    assert sorted(icio) == sorted(ICIO28_CODES)
    assert sorted(wiod) == sorted(WIOD35_CODES)


def test_sector_concordance_duplicate_code(data_dir, tmp_path):
    rel = Path("concordance") / "sector_concordance_wiod35_icio28.csv"
    (tmp_path / rel).parent.mkdir()
    text = (data_dir / rel).read_text()
    (tmp_path / rel).write_text(text.replace(",c3,", ",c3;c2,", 1))
    with pytest.raises(DataSourceError, match="'c2'"):
        read_sector_concordance(tmp_path)
