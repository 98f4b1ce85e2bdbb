"""docs/glossary.md documents every output key: each key of the run JSON's tables, the sweep's
summary, and the two validation experiments appears there as `key` (with its formula and unit
beside it). A key added to a result without a glossary entry fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tradewar.scenario import (
    BILATERAL_KEYS,
    COUNTRY_KEYS,
    EMPLOYMENT_KEYS,
    SECTOR_KEYS,
    SOLVER_KEYS,
)

GLOSSARY = Path(__file__).resolve().parents[1] / "docs" / "glossary.md"


def documented() -> set[str]:
    return set(re.findall(r"`([A-Za-z_][A-Za-z0-9_.\->]*)`", GLOSSARY.read_text(encoding="utf-8")))


def _sweep_keys() -> list[str]:
    from tradewar.analysis.uncertainty import SWEEP_JSON_KEYS
    from tradewar.analysis.uncertainty.results import SUMMARY_KEYS

    return list(SUMMARY_KEYS) + [k for k in SWEEP_JSON_KEYS if k in ("published", "failed")]


def _expost_keys() -> list[str]:
    from tradewar.analysis.expost import trade_war_2018
    from tradewar.data import default_data_dir

    payload = trade_war_2018(default_data_dir()).to_json()
    return sorted({*payload["statistics"][0], *payload["aggregate"][0]})


def _ilms_keys() -> list[str]:
    from tradewar.analysis.ilms import reproduce_ilms2025
    from tradewar.data import default_data_dir

    payload = reproduce_ilms2025(default_data_dir()).to_json()
    return sorted({*payload["figures"][0], "optimal_tariff_pct", "all_match", "all_accounted"})


@pytest.mark.parametrize(("what", "keys"), [
    ("countries", lambda: list(COUNTRY_KEYS) + list(EMPLOYMENT_KEYS)),
    ("bilateral", lambda: list(BILATERAL_KEYS)),
    ("sectors", lambda: list(SECTOR_KEYS)),
    ("solver", lambda: list(SOLVER_KEYS)),
    ("sweep summary", _sweep_keys),
    ("validate trade-war-2018", _expost_keys),
    ("validate ilms2025", _ilms_keys),
])
def test_every_output_key_is_in_the_glossary(what: str, keys) -> None:
    missing = [k for k in keys() if k not in documented()]
    assert not missing, f"{what}: keys without a glossary entry: {missing}"
