"""Work a user can ask for has a ceiling, checked before it starts (issue 14 item 6)."""

from __future__ import annotations

import numpy as np
import pytest

from tradewar.analysis.uncertainty.draws import draw_blocks, elasticity_draws
from tradewar.run import spawn_seeds

from .conftest import run_cli


def _flat(text: str) -> str:
    return " ".join(text.split())


def _refused(args: list[str], capsys, *fragments: str) -> str:
    code, out, err = run_cli(args, capsys)
    assert code == 2, err
    err = _flat(err)
    assert "Traceback" not in err and "allowed" in err
    for fragment in fragments:
        assert fragment in err, err
    return err


def test_ten_million_draws_are_refused_with_time_and_memory(capsys) -> None:
    err = _refused(["sweep", "tpp", "--draws", "10000000"], capsys, "--draws 10,000,000", "--force",
                   "at most 100,000")
    assert "take about" in err and "GB of memory" in err


@pytest.mark.parametrize(("args", "fragment"), [
    (["--draws", "-1"], "--draws -1"),
    (["--sigma", "nan"], "--sigma nan"),
    (["--sigma", "-0.1"], "--sigma -0.1"),
    (["--elasticities", "IS,XX"], "XX"),
])
def test_bad_sweep_counts_are_refused(capsys, args: list[str], fragment: str) -> None:
    _refused(["sweep", "tpp", *args], capsys, fragment)


@pytest.mark.parametrize("command", ["nash", "talks"])
def test_every_economy_as_a_player_is_refused_without_force(capsys, command: str) -> None:
    _refused([command, "--regions", "none"], capsys, "--players 81", "at most 20", "--force")


def test_a_player_named_twice_is_refused(capsys) -> None:
    _refused(["nash", "--players", "USA,CHN,USA"], capsys, "twice")


def test_partner_by_sector_tariffs_of_every_economy_are_refused(capsys) -> None:
    _refused(["optimal", "USA", "--by", "partner_sector", "--regions", "none"], capsys,
             "--by partner_sector 2,240", "at most 600", "--force")


def test_optimal_tariffs_on_itself_are_refused(capsys) -> None:
    _refused(["optimal", "USA", "--against", "USA"], capsys, "--against USA", "itself")


def test_more_than_sixteen_allies_are_refused_with_an_estimate(capsys) -> None:
    allies = "JPN,KOR,IND,VNM,GBR,CAN,MEX,AUS,TWN,BRA,IDN,THA,MYS,SGP,PHL,CHE,NOR"
    _refused(["coalitions", "--allies", allies, "--regions", "none", "--retaliation", "none"], capsys,
             "17 allies", "131,072 coalitions", "--force")


# ---- draws stream in blocks: the same draws, never all of them at once ----

def test_blocks_make_exactly_the_draws_of_the_whole_list() -> None:
    sets = {"IS": np.linspace(1.0, 5.0, 6), "CP": np.linspace(2.0, 9.0, 6)}
    whole = elasticity_draws(sets, draws=23, seed=5, sigma=0.2)
    blocks = draw_blocks(sets, draws=23, seed=5, sigma=0.2, size=4)
    streamed = [d for b in blocks for d in b.draws()]
    assert [len(b) for b in blocks] == [4] * 6 + [1]
    assert [(d.draw, d.kind, d.elasticity_set, d.seed) for d in streamed] == \
        [(d.draw, d.kind, d.elasticity_set, d.seed) for d in whole]
    assert all(np.array_equal(a.theta, b.theta) for a, b in zip(streamed, whole, strict=True))
    # draw k is seeded with SeedSequence(seed).spawn(n)[k], whatever the blocks
    assert [d.seed for d in streamed if d.kind == "random"] == spawn_seeds(5, 23)


def test_ten_million_draws_are_blocks_not_arrays() -> None:
    sets = {"IS": np.linspace(1.0, 5.0, 28)}
    blocks = draw_blocks(sets, draws=10_000_000, seed=0, size=50_000)
    assert len(blocks) == 201 and blocks[-1].stop == 10_000_001
    assert all(not hasattr(b, "theta") for b in blocks)  # no draw exists until a block is made
    last = blocks[-1].draws()  # made on demand, from its own rows only
    assert [d.draw for d in last] == [10_000_000] and last[0].kind == "random"
    assert np.array_equal(blocks[-1].draws()[0].theta, last[0].theta)  # deterministic
