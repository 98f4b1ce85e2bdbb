"""Sweeps over trade-elasticity draws: the distribution, invariance to chunking and to the
backend (a real Dask LocalCluster gives the same frame, bit for bit), failed draws kept as
rows, checkpoints, JSON keys and CLI errors."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from tradewar.analysis import uncertainty
from tradewar.analysis.uncertainty import (
    ROW_KEYS,
    SWEEP_JSON_KEYS,
    elasticity_draws,
    sweep,
)
from tradewar.errors import UserInputError
from tradewar.options import ELASTICITY_SETS
from tradewar.scenario import scenario_from_dict
from tradewar.testing import SyntheticBaseline, synthetic_baseline

SETS = ELASTICITY_SETS


@pytest.fixture(scope="module")
def baseline() -> SyntheticBaseline:
    return synthetic_baseline(5, 3, seed=4, sets_seed=0)


@pytest.fixture(scope="module")
def scenario():
    return scenario_from_dict({"name": "c00 tariffs c01", "start": "baseline", "tariff": [
        {"importer": "C00", "exporter": "C01", "sectors": "all", "add": 0.5},
        {"importer": "C01", "exporter": "C00", "sectors": "all", "add": 0.3}]})


# ---- the distribution ----

def test_draws_are_seeded_per_draw(baseline):
    a = elasticity_draws(baseline.elasticities, draws=30, seed=7)
    b = elasticity_draws(baseline.elasticities, draws=60, seed=7)
    assert [d.kind for d in a[:8]] == ["published"] * 8 and [d.seed for d in a[:8]] == [-1] * 8
    for x, y in zip(a, b[:len(a)], strict=True):  # draw k does not depend on how many follow
        assert (x.draw, x.elasticity_set, x.seed) == (y.draw, y.elasticity_set, y.seed)
        np.testing.assert_array_equal(x.theta, y.theta)
    c = elasticity_draws(baseline.elasticities, draws=30, seed=8)
    assert not np.array_equal(a[-1].theta, c[-1].theta)
    for d in a[:8]:
        np.testing.assert_array_equal(d.theta, baseline.elasticities[d.elasticity_set])


def test_draws_follow_the_documented_distribution(baseline):
    draws = elasticity_draws(baseline.elasticities, draws=4000, seed=1, published=False)
    counts = pd.Series([d.elasticity_set for d in draws]).value_counts()
    assert set(counts.index) == set(SETS)
    assert counts.min() > 400 and counts.max() < 600  # uniform over the 8 sets (500 expected)
    logs = np.concatenate([np.log(d.theta / baseline.elasticities[d.elasticity_set]) for d in draws])
    assert abs(logs.mean()) < 0.01 and logs.std() == pytest.approx(0.25, rel=0.03)
    only = elasticity_draws(baseline.elasticities, sets="IS,CP", draws=50, seed=1)
    assert {d.elasticity_set for d in only} == {"IS", "CP"} and len(only) == 52


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"sets": "IS,XX"}, "unknown set 'XX'"),
    ({"draws": -1}, "draws"),
    ({"seed": -3}, "seed"),
    ({"sigma": math.nan}, "sigma"),
])
def test_bad_draw_options(baseline, kwargs, message):
    with pytest.raises(UserInputError, match=message):
        elasticity_draws(baseline.elasticities, **kwargs)


# ---- sweeps ----

def test_sweep_rows_and_invariance_to_chunking(baseline, scenario):
    one = sweep(baseline, scenario, draws=12, seed=3, chunk_size=1, workers=1)
    five = sweep(baseline, scenario, draws=12, seed=3, chunk_size=5, workers=1)
    pd.testing.assert_frame_equal(one.frame, five.frame, check_exact=True)
    frame = one.frame
    assert len(frame) == 8 + 12 and list(frame["draw"]) == list(range(20))
    assert tuple(frame.columns[:len(ROW_KEYS)]) == ROW_KEYS
    assert frame["converged"].all() and (frame["error"] == "").all()
    assert {"trade_pct.C00->C01", "trade_pct.C01->C00"} <= set(frame.columns)
    assert (frame["trade_pct.C01->C00"] < 0).all()  # C00's tariff cuts C01's exports to it
    summary = one.summary()
    x = frame["welfare_pct.C00"].to_numpy()
    assert summary.loc["welfare_pct.C00", "median"] == pytest.approx(np.median(x))
    assert summary.loc["welfare_pct.C00", "p05"] == pytest.approx(np.percentile(x, 5))
    assert summary.loc["welfare_pct.C00", "p95"] == pytest.approx(np.percentile(x, 95))
    assert summary.loc["welfare_pct.C00", "central"] == x[0]  # the IS row
    assert one.published().shape == (8, len(one.value_columns))


def test_failed_draws_are_rows_never_dropped(baseline, scenario):
    result = sweep(baseline, scenario, draws=5, seed=3, max_iter=2, workers=1)
    frame = result.frame
    assert len(frame) == 13 and not frame["converged"].any()
    assert frame["error"].str.contains("not converged").all()
    assert frame["welfare_pct.C00"].isna().all()
    payload = result.to_json()
    assert payload["counts"] == {"published": 8, "random": 5, "total": 13, "failed": 13}
    assert len(payload["failed"]) == 13 and payload["summary"]["welfare_pct"]["C00"]["n"] == 0
    json.dumps(payload, allow_nan=False)


def test_a_failing_chunk_is_recorded_as_rows(baseline, scenario, monkeypatch):
    original = uncertainty.ScenarioJob.evaluate

    def flaky(self, theta):
        if np.array_equal(theta, baseline.elasticities["CP"]):
            raise RuntimeError("worker lost")
        return original(self, theta)

    monkeypatch.setattr(uncertainty.ScenarioJob, "evaluate", flaky)
    result = sweep(baseline, scenario, draws=4, seed=3, chunk_size=3, workers=1)
    frame = result.frame
    assert len(frame) == 12 and list(frame["draw"]) == list(range(12))
    lost = frame[~frame["converged"]]
    assert list(lost["draw"]) == [0, 1, 2]  # the chunk holding CP (draw 2)
    assert lost["error"].str.startswith("chunk failed: RuntimeError: worker lost").all()
    assert result.to_json()["counts"]["failed"] == 3


def test_checkpoint_resume_gives_the_same_frame(baseline, scenario, tmp_path):
    first = sweep(baseline, scenario, draws=6, seed=2, chunk_size=4, workers=1, checkpoint_dir=tmp_path)
    again = sweep(baseline, scenario, draws=6, seed=2, chunk_size=4, workers=1, checkpoint_dir=tmp_path)
    assert first.resumed_chunks == 0 and again.resumed_chunks == first.chunks == 4
    pd.testing.assert_frame_equal(first.frame, again.frame, check_exact=True)
    other = sweep(baseline, scenario, draws=6, seed=5, chunk_size=4, workers=1, checkpoint_dir=tmp_path)
    assert other.resumed_chunks == 0  # another seed is another key


def test_json_keys_are_stable(baseline, scenario):
    payload = sweep(baseline, scenario, draws=3, workers=1).to_json()
    assert tuple(payload)[:len(SWEEP_JSON_KEYS)] == SWEEP_JSON_KEYS
    assert set(payload["summary"]) == {"welfare_pct", "trade_pct"}
    assert set(payload["summary"]["welfare_pct"]["C03"]) == {"median", "p05", "p95", "central",
                                                             "min", "max", "n"}
    assert set(payload["published"]) == set(SETS)
    assert payload["distribution"]["sigma"] == 0.25
    json.dumps(payload, allow_nan=False)


def test_sweep_options_are_checked(baseline, scenario):
    with pytest.raises(UserInputError, match="apply to 'coalitions' only"):
        sweep(baseline, scenario, draws=1, leader="C00")
    with pytest.raises(UserInputError, match="chunk_size"):
        sweep(baseline, scenario, draws=1, chunk_size=0)
    with pytest.raises(UserInputError, match="elasticity sets"):
        sweep(SyntheticBaseline(baseline.economy, {}), scenario)


def test_coalitions_sweep_matches_the_coalition_analysis(baseline):
    from tradewar.analysis import coalition_analysis

    options = {"leader": "C00", "target": "C01", "allies": ["C02", "C03"], "tariff": 0.4,
               "sectors": "all", "start": "baseline"}
    result = sweep(baseline, "coalitions", draws=3, workers=1, **options)
    grand = coalition_analysis(baseline, workers=1, **options).table().iloc[-1]
    central = result.frame.iloc[0]
    assert central["elasticity_set"] == "IS"
    assert central["leverage"] == pytest.approx(grand.leverage, rel=1e-9)
    assert central["target_loss_musd"] == pytest.approx(grand.target_loss_musd, rel=1e-9)
    assert result.to_json()["summary"]["leverage"]["n"] == 11


# ---- a real Dask cluster ----

@pytest.fixture(scope="module")
def cluster():
    import distributed  # a test dependency: missing, the test fails (never skipped)

    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None, host="127.0.0.1") as cluster:
        yield cluster


@pytest.mark.slow
def test_sweep_on_a_local_cluster_matches_the_local_run_exactly(baseline, scenario, cluster, tmp_path):
    local = sweep(baseline, scenario, draws=20, seed=11, chunk_size=4, workers=1)
    pool = sweep(baseline, scenario, draws=20, seed=11, chunk_size=4, workers=2)
    dask = sweep(baseline, scenario, draws=20, seed=11, chunk_size=4,
                 scheduler=cluster.scheduler_address, checkpoint_dir=tmp_path)
    assert (local.backend, pool.backend, dask.backend) == ("serial", "processes", "dask")
    pd.testing.assert_frame_equal(local.frame, pool.frame, check_exact=True)
    pd.testing.assert_frame_equal(local.frame, dask.frame, check_exact=True)
    assert len(list(tmp_path.glob("sweep-*/chunk-*.parquet"))) == dask.chunks


@pytest.mark.slow
def test_g14_sweep_on_a_local_cluster_matches_exactly(cluster):
    from tradewar.data import load_baseline

    g14 = load_baseline("icio", 2022, "IS", regions="g14")
    local = sweep(g14, "us-china-april-11", draws=8, seed=1, workers=1)
    dask = sweep(g14, "us-china-april-11", draws=8, seed=1, scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(local.frame, dask.frame, check_exact=True)
    usa = local.summary().loc["welfare_pct.USA"]
    assert usa.p05 <= usa["median"] <= usa.p95 < 0
    # the central row is the scenario run itself
    from tradewar.scenario import run_scenario

    run = run_scenario(g14, "us-china-april-11").countries_frame()["welfare_pct"]
    assert usa.central == pytest.approx(run["USA"], rel=1e-9, abs=1e-12)


# ---- CLI ----

@pytest.fixture
def cli():
    from tradewar.cli import _coalitions
    from tradewar.cli._app import app, main

    if "sweep" not in {c.name for c in app.registered_commands}:  # until the app registers it
        app.command("coalitions")(_coalitions.coalitions)
        app.command("sweep")(_coalitions.sweep)
    return main


def _run(main, argv) -> int:
    with pytest.raises(SystemExit) as info:
        main(argv)
    return int(info.value.code)


@pytest.mark.slow
@pytest.mark.parametrize(("argv", "message"), [
    (["no-such-scenario"], "no-such-scenario"),
    (["us-china-april-11", "--leader", "USA"], "--leader apply to 'tradewar sweep coalitions' only"),
    (["us-china-april-11", "--elasticities", "IS,XX"], "unknown set 'XX'"),
    (["coalitions", "--allies", "USA"], "USA is the leader"),
])
def test_cli_errors_exit_2(cli, capsys, argv, message):
    assert _run(cli, ["sweep", *argv, "--draws", "2", "--checkpoint", "none"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert message in err and "Traceback" not in err


@pytest.mark.slow
def test_cli_unreachable_scheduler_is_a_clear_error_without_hanging(cli, capsys):
    # no clock here: the run layer's promptness guard is tests/run/test_runner.py
    code = _run(cli, ["sweep", "us-china-april-11", "--draws", "2", "--checkpoint", "none",
                      "--scheduler", "tcp://127.0.0.1:1"])
    assert code == 2
    assert "cannot reach the Dask scheduler" in " ".join(capsys.readouterr().err.split())


@pytest.mark.slow
def test_cli_json(cli, capsys, tmp_path):
    chart = tmp_path / "s.html"
    code = _run(cli, ["sweep", "us-china-april-11", "--draws", "4", "--json", "--workers", "1",
                      "--checkpoint", str(tmp_path), "--chart", str(chart)])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert tuple(payload)[:len(SWEEP_JSON_KEYS)] == SWEEP_JSON_KEYS
    assert payload["counts"] == {"published": 8, "random": 4, "total": 12, "failed": 0}
    assert set(payload["summary"]["trade_pct"]) == {"USA->CHN", "CHN->USA"}
    assert chart.exists()
