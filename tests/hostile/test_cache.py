"""The baseline cache heals itself: every unusable entry is rebuilt with a warning naming the
file, never a crash and never wrong numbers (issue 14 item 2)."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tradewar.data import CacheWarning, array_checksum, cached_arrays, load_baseline

from .conftest import listing, run_cli

DATASET, YEAR = "wiot2011", 2011


def _entry(cache: Path) -> tuple[Path, Path]:
    (npz,) = cache.glob(f"{DATASET}-{YEAR}-*.npz")
    return npz, npz.with_suffix(".json")


def _fresh(cache: Path) -> tuple[Path, Path]:
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)  # building into an empty cache warns nothing
        load_baseline(DATASET, YEAR)
    return _entry(cache)


def _flows_from_sources() -> np.ndarray:
    return load_baseline(DATASET, YEAR, cache=False).economy.flows


def _assert_rebuilt(cache: Path, match: str) -> None:
    with pytest.warns(CacheWarning, match=match):
        baseline = load_baseline(DATASET, YEAR)
    np.testing.assert_array_equal(baseline.economy.flows, _flows_from_sources())
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        load_baseline(DATASET, YEAR)  # the rebuilt entry is valid: read without a warning
    assert not [p for p in listing(cache) if p.endswith(".tmp")]


def _resave(npz: Path, change) -> None:
    with np.load(npz) as data:
        arrays = {k: np.array(data[k]) for k in data.files}
    change(arrays)
    with open(npz, "wb") as fh:
        np.savez(fh, **arrays)


def test_entry_records_checksums_of_arrays_and_sources(empty_cache: Path) -> None:
    _, sidecar = _fresh(empty_cache)
    meta = json.loads(sidecar.read_text())
    assert len(meta["arrays_sha256"]) == 64
    assert meta["sources"] and all(len(v) == 64 for v in meta["sources"].values())


def test_truncated_npz_is_rebuilt_naming_the_file(empty_cache: Path) -> None:
    npz, _ = _fresh(empty_cache)
    npz.write_bytes(npz.read_bytes()[: npz.stat().st_size // 2])
    with pytest.raises(zipfile.BadZipFile):
        np.load(npz)["flows"]  # what crashed every later run before
    _assert_rebuilt(empty_cache, match=npz.name)


def test_garbage_npz_is_rebuilt(empty_cache: Path) -> None:
    npz, _ = _fresh(empty_cache)
    npz.write_bytes(b"not a zip file at all")
    _assert_rebuilt(empty_cache, match=f"{npz.name}.*rebuilding")


def test_empty_npz_is_rebuilt(empty_cache: Path) -> None:
    npz, _ = _fresh(empty_cache)
    npz.write_bytes(b"")
    _assert_rebuilt(empty_cache, match=npz.name)


def test_tampered_values_are_detected_and_rebuilt(empty_cache: Path) -> None:
    npz, _ = _fresh(empty_cache)

    def tamper(arrays):
        arrays["flows"][0, 1, 0] *= 1.5  # a plausible-looking number, but not the sources'

    _resave(npz, tamper)
    _assert_rebuilt(empty_cache, match=f"{npz.name}.*checksum")


def test_nan_in_an_entry_is_rebuilt_naming_the_file(empty_cache: Path) -> None:
    npz, sidecar = _fresh(empty_cache)

    def poison(arrays):
        arrays["tariffs"][2, 3, 1] = np.nan

    _resave(npz, poison)
    # also make the checksum match, so that only the NaN check can catch it
    with np.load(npz) as data:
        meta = json.loads(sidecar.read_text())
        meta["arrays_sha256"] = array_checksum({k: np.array(data[k]) for k in data.files})
    sidecar.write_text(json.dumps(meta))
    _assert_rebuilt(empty_cache, match=f"{npz.name}.*NaN")


def test_malformed_sidecar_is_rebuilt_naming_it(empty_cache: Path) -> None:
    _, sidecar = _fresh(empty_cache)
    sidecar.write_text("{ not json")
    _assert_rebuilt(empty_cache, match=sidecar.name)


def test_missing_half_is_rebuilt(empty_cache: Path) -> None:
    npz, _ = _fresh(empty_cache)
    npz.unlink()
    _assert_rebuilt(empty_cache, match="unusable")


def test_stale_entry_is_rebuilt_naming_the_changed_source(empty_cache: Path) -> None:
    npz, sidecar = _fresh(empty_cache)
    meta = json.loads(sidecar.read_text())
    source = sorted(meta["sources"])[0]
    meta["sources"][source] = "0" * 64
    old = sidecar.with_name(f"{DATASET}-{YEAR}-{'f' * 24}.json")
    old.write_text(json.dumps(meta))
    npz.rename(old.with_suffix(".npz"))
    sidecar.unlink()
    _assert_rebuilt(empty_cache, match=f"{old.name} is stale.*{source}")
    assert not old.exists() and not old.with_suffix(".npz").exists()


def test_cli_heals_a_truncated_entry(empty_cache: Path, capsys) -> None:
    npz, _ = _fresh(empty_cache)
    npz.write_bytes(npz.read_bytes()[:100])
    code, out, err = run_cli(["data", "info", "--dataset", DATASET, "--json"], capsys)
    assert code == 0 and "Traceback" not in err
    assert "warning: cached baseline" in err and npz.name in " ".join(err.split())
    assert json.loads(out)["n_countries"] > 0


_BUILD = """
import sys
from tradewar.data import load_baseline
load_baseline("wiot2011", 2011)
print("ok")
"""


def test_concurrent_builders_do_not_corrupt_each_other(empty_cache: Path) -> None:
    env = {"TRADEWAR_CACHE_DIR": str(empty_cache), "PATH": "/usr/bin:/bin"}
    procs = [subprocess.Popen([sys.executable, "-c", _BUILD], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], results
    assert all("Warning" not in err for _, err in results)
    assert not [p for p in listing(empty_cache) if p.endswith(".tmp")]
    assert len(list(empty_cache.glob("*.npz"))) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        load_baseline(DATASET, YEAR)


# ---- cached_arrays: the same guarantees for derived tables ----

def test_cached_arrays_builds_once_and_heals(empty_cache: Path) -> None:
    calls = []

    def build():
        calls.append(1)
        return {"rates": np.array([0.1, 0.25, 1.45])}, {"dates": ["2025-04-09"]}

    sources = {"tariffs2025/x.csv": "a" * 64}
    arrays, meta = cached_arrays("table", sources, build)
    again, meta2 = cached_arrays("table", sources, build)
    assert len(calls) == 1 and meta2 == meta == {"dates": ["2025-04-09"]}
    np.testing.assert_array_equal(again["rates"], arrays["rates"])
    (npz,) = empty_cache.glob("table-*.npz")
    _resave(npz, lambda a: a["rates"].__setitem__(0, 9.0))
    with pytest.warns(CacheWarning, match=f"{npz.name}.*checksum"):
        healed, _ = cached_arrays("table", sources, build)
    assert len(calls) == 2 and healed["rates"][0] == 0.1
    cached_arrays("table", {"tariffs2025/x.csv": "b" * 64}, build)  # changed source: rebuilt
    assert len(calls) == 3 and len(list(empty_cache.glob("table-*.npz"))) == 1


def test_us_schedule_from_the_cache_equals_a_fresh_build(empty_cache: Path) -> None:
    """The US tariff schedule is read from the cache on later runs (start-up) — the same
    numbers as building it from the 226 source files."""
    from tradewar.data import default_data_dir, us_tariff_schedule
    from tradewar.data._tariff_layer import _SCHEDULE_ARRAYS, _build_schedule, _schedule_cached

    data_dir = str(Path(default_data_dir()).resolve())
    _schedule_cached.cache_clear()
    us_tariff_schedule(data_dir)  # builds and caches
    assert len(list(empty_cache.glob("us-schedule-*.npz"))) == 1
    _schedule_cached.cache_clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        cached = us_tariff_schedule(data_dir)  # from the cache
    fresh = _build_schedule(data_dir)
    for name in _SCHEDULE_ARRAYS:
        np.testing.assert_array_equal(getattr(cached, name), getattr(fresh, name))
    assert (cached.dates, cached.partners, cached.hs2_partners, cached.notes) == \
        (fresh.dates, fresh.partners, fresh.hs2_partners, fresh.notes)
    _schedule_cached.cache_clear()
