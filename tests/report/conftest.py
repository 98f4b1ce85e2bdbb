"""Fixtures of the report tests: a small, realistic run JSON written by hand after the contract
of docs/json-contract.md (a handful of ISO3 economies, EU27 and ROW as regions, a two-step
ladder), and the world geometry from the real data directory."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tradewar.data._paths import default_data_dir
from tradewar.report import load_world_topojson

#: (welfare %, real income change musd, real wage %, exports %, imports %, tariff revenue musd)
_COUNTRIES: dict[str, tuple[float, float, float, float, float, float]] = {
    "USA": (-0.41, -98_500.0, -0.62, -11.8, -16.9, 312_000.0),
    "CHN": (-1.12, -152_300.0, -1.45, -9.6, -12.1, 118_400.0),
    "CAN": (-0.18, -3_900.0, -0.22, -1.1, -0.9, 6_100.0),
    "MEX": (-0.09, -1_300.0, -0.15, -0.4, -0.5, 4_800.0),
    "VNM": (0.37, 1_650.0, 0.52, 3.9, 2.8, 2_300.0),
    "JPN": (0.04, 1_900.0, 0.03, 0.6, 0.4, 9_200.0),
    "KOR": (0.09, 1_500.0, 0.11, 1.2, 0.8, 7_400.0),
    "GBR": (0.02, 640.0, 0.01, 0.3, 0.2, 5_200.0),
    "EU27": (0.03, 4_700.0, 0.02, 0.5, 0.3, 31_000.0),
    "ROW": (0.06, 9_800.0, 0.05, 0.8, 0.6, 74_000.0),
}
_STEP1_SHARE = {"USA": 0.3, "CHN": 0.25}  # share of the final change reached at the first step
_SECTORS = {
    "A01": (412_000.0, 95_000.0), "C10T12": (980_000.0, 88_000.0), "C20": (760_000.0, 190_000.0),
    "C26": (1_320_000.0, 610_000.0), "C29": (690_000.0, 150_000.0),
    "Services (aggregate)": (18_500_000.0, 720_000.0),
}
_BILATERAL = [  # exporter, importer, before musd, after musd
    ("CHN", "USA", 532_152.0, 148_900.0), ("USA", "CHN", 187_400.0, 61_200.0),
    ("VNM", "USA", 136_800.0, 171_500.0), ("MEX", "USA", 475_600.0, 497_300.0),
    ("CHN", "EU27", 540_100.0, 571_800.0), ("CHN", "VNM", 161_900.0, 183_200.0),
    ("CAN", "USA", 421_700.0, 415_900.0), ("KOR", "USA", 116_200.0, 128_400.0),
    ("EU27", "USA", 606_300.0, 611_700.0), ("JPN", "USA", 148_100.0, 156_000.0),
    ("USA", "EU27", 370_200.0, 378_900.0), ("CHN", "ROW", 1_720_000.0, 1_805_000.0),
    ("USA", "USA", 28_400_000.0, 28_550_000.0),
]


def make_run(**changes: Any) -> dict[str, Any]:
    """A realistic run of a US-China tariff ladder (April 9 and 11, 2025), built by hand."""
    countries = {
        code: {
            "welfare_pct": w, "real_wage_pct": rw, "exports_pct": x, "imports_pct": m,
            "tariff_revenue_musd": rev, "real_income_change_musd": inc,
            "welfare_decomposition_pct": round(w * 0.98, 4), "terms_of_trade_pct": round(w * 0.3, 4),
            "volume_of_trade_pct": round(w * 0.68, 4), "price_index_pct": round(-w * 1.5, 4),
        }
        for code, (w, inc, rw, x, m, rev) in _COUNTRIES.items()
    }
    step1 = {code: {"welfare_pct": round(row["welfare_pct"] * _STEP1_SHARE.get(code, 0.5), 4)}
             for code, row in countries.items()}
    step2 = {code: {"welfare_pct": row["welfare_pct"]} for code, row in countries.items()}
    sectors = []
    for k, country in enumerate(("USA", "CHN")):
        for j, (sector, (output, exports)) in enumerate(_SECTORS.items()):
            out_pct = (-1) ** (j + k) * (0.4 + 0.7 * j) - 0.3 * k
            exp_pct = -4.0 * (j + 1) / (k + 1) if sector != "Services (aggregate)" else 1.2
            sectors.append({
                "country": country, "sector": sector,
                "output_before_musd": output / (k + 1),
                "output_after_musd": output / (k + 1) * (1 + out_pct / 100),
                "output_pct": out_pct,
                "exports_before_musd": exports, "exports_after_musd": exports * (1 + exp_pct / 100),
                "exports_pct": exp_pct,
            })
    run: dict[str, Any] = {
        "scenario": "us-china-april-ladder",
        "description": "US and Chinese tariff escalation of April 2025: 104% / 84% on April 9, "
                       "then 145% / 125% on April 11 (goods sectors).",
        "sources": ["EO 14257 and its amendments of April 8-9, 2025",
                    "China's State Council Tariff Commission announcements of April 9 and 11, 2025"],
        "baseline": {"dataset": "icio", "year": 2022, "elasticity": "IS", "regions": "G14",
                     "starting_tariffs": "in force on 2025-01-01 (ICIO MFN + 2018-19 war layer)"},
        "closure": "fixed",
        "countries": countries,
        "bilateral": [
            {"exporter": e, "importer": i, "before_musd": b, "after_musd": a,
             "change_pct": round(100 * (a / b - 1), 2)} for e, i, b, a in _BILATERAL
        ],
        "sectors": sectors,
        "steps": [
            {"label": "April 9: US 104%, China 84%", "date": "2025-04-09", "countries": step1,
             "solver": {"converged": True, "iterations": 27, "max_residual": 3e-12,
                        "seconds": 0.05}},
            {"label": "April 11: US 145%, China 125%", "date": "2025-04-11", "countries": step2,
             "solver": {"converged": True, "iterations": 31, "max_residual": 4e-12,
                        "seconds": 0.06}},
        ],
        "solver": {"converged": True, "iterations": 31, "max_residual": 4e-12, "seconds": 0.06,
                   "residuals": {"price_index": 1e-13, "goods_market": 4e-12,
                                 "labour_market": 2e-12}},
        "assumptions": ["deficits fixed in numeraire units (world value added)",
                        "tariffs on services treated as 0"],
    }
    run.update(copy.deepcopy(changes))
    return run


@pytest.fixture
def run() -> dict[str, Any]:
    return make_run()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return default_data_dir()  # CI always has ../shared/data; a missing folder must fail


@pytest.fixture(scope="session")
def geo(data_dir: Path) -> dict[str, Any]:
    return load_world_topojson(data_dir)
