"""Deficit changes read honestly: welfare = transfer (the change in borrowing, at new prices)
+ the rest (terms of trade, efficiency). Analytic cases of the transfer problem, then the
built-in `rebalance-china` on real data."""

from __future__ import annotations

import numpy as np
import pytest

from tradewar.data import load_baseline
from tradewar.model import Economy, solve
from tradewar.scenario import run_scenario


def _two_countries(domestic: float) -> Economy:
    """Two identical one-sector endowment economies (no intermediates, no tariffs), balanced
    trade; ``domestic`` = each country's spending on its own good (home bias if > 0.5)."""
    flows = np.array([[domestic, 1 - domestic], [1 - domestic, domestic]])[:, :, None] * 100.0
    return Economy(countries=("A", "B"), sectors=("good",), flows=flows, tariffs=np.zeros((2, 2, 1)),
                   theta=np.array([4.0]), va_share=np.ones((2, 1)), input_share=np.zeros((2, 1, 1)),
                   final_share=np.ones((2, 1)))


def test_no_home_bias_the_transfer_is_all_there_is() -> None:
    """Keynes-Ohlin: with identical spending patterns (no home bias) a transfer moves no
    relative price, so A's welfare is exactly the transfer, 10/100 = +10 %, and the rest 0."""
    eq = solve(_two_countries(0.5), deficits="given", deficits_new=np.array([10.0, -10.0]))
    split = eq.welfare_transfer_split()
    assert split["deficit_change_musd"] == pytest.approx([10.0, -10.0], abs=1e-9)
    assert split["transfer_pct"] == pytest.approx([10.0, -10.0], abs=1e-8)
    assert np.abs(split["rest_pct"]).max() < 1e-8
    assert eq.welfare_pct == pytest.approx(split["transfer_pct"] + split["rest_pct"], abs=1e-12)


def test_home_bias_the_recipient_also_gains_terms_of_trade() -> None:
    """With home bias the recipient spends the transfer mostly on its own good: its terms of
    trade improve (rest > 0) and the payer's worsen (rest < 0); the rest agrees with the
    Caliendo-Parro terms-of-trade term to first order (a 1 % transfer)."""
    eq = solve(_two_countries(0.8), deficits="given", deficits_new=np.array([1.0, -1.0]))
    split = eq.welfare_transfer_split()
    rest, tot = split["rest_pct"], eq.welfare_decomposition()["terms_of_trade"]
    assert rest[0] > 0 > rest[1]
    assert rest == pytest.approx(tot, rel=0.02)
    # the transfer is valued at the recipient's new (higher) prices: a bit less than 1 %
    assert 0.9 < split["transfer_pct"][0] < 1.0


def test_fixed_deficits_leave_no_transfer() -> None:
    eq = solve(_two_countries(0.8), np.array([[[0.0], [0.5]], [[0.0], [0.0]]]))
    split = eq.welfare_transfer_split()
    assert np.abs(split["transfer_pct"]).max() == 0.0
    assert split["rest_pct"] == pytest.approx(eq.welfare_pct, abs=0.0)


@pytest.mark.slow
def test_rebalance_china_is_mostly_the_end_of_its_lending() -> None:
    """ICIO 2022: China's +3.8 % real income when its surplus goes to zero is +3.3 points of
    transfer (it stops lending ~555 bn USD abroad and spends it) and only +0.5 points of terms of
    trade and efficiency — the part that agrees with CP's terms-of-trade term (+0.42) to within
    0.15 points. Every payer's welfare is mostly its transfer too."""
    result = run_scenario(load_baseline("icio", 2022, "IS"), "rebalance-china")
    frame = result.countries_frame()
    chn = frame.loc["CHN"]
    assert chn.welfare_pct == pytest.approx(3.8, abs=0.05)
    assert chn.welfare_transfer_pct == pytest.approx(3.3, abs=0.05)
    assert chn.welfare_excl_transfer_pct == pytest.approx(chn.welfare_pct - chn.welfare_transfer_pct, abs=1e-12)
    assert abs(chn.welfare_excl_transfer_pct - chn.terms_of_trade_pct) < 0.15
    surplus = -result.final.reference.deficit[result.final.reference.index_of("CHN")]
    assert chn.deficit_change_musd == pytest.approx(surplus, rel=1e-9)
    payers = frame.drop(index="CHN")
    assert (payers.deficit_change_musd < 0).all()
    assert (payers.welfare_transfer_pct.abs() > payers.welfare_excl_transfer_pct.abs()).mean() > 0.8
    payload = result.to_json()
    assert payload["countries"]["CHN"]["welfare_transfer_pct"] == pytest.approx(chn.welfare_transfer_pct)
    assert payload["countries"]["CHN"]["welfare_excl_transfer_pct"] == pytest.approx(chn.welfare_excl_transfer_pct)


@pytest.mark.slow
def test_report_and_cli_show_the_split_only_when_deficits_change(capsys) -> None:
    from tradewar.cli import main
    from tradewar.report import load_world_topojson, render_report

    baseline = load_baseline("icio", 2022, "IS", regions="g14")
    geo = load_world_topojson()
    rebalance = render_report(run_scenario(baseline, "rebalance-china").to_json(), geo)
    tariffs_only = render_report(run_scenario(baseline, "us-china-april-11").to_json(), geo)
    assert "of which transfer, %" in rebalance and "no intertemporal budget" in rebalance
    assert "of which transfer, %" not in tariffs_only
    with pytest.raises(SystemExit) as info:
        main(["run", "rebalance-china", "--regions", "g14"])
    out = capsys.readouterr().out
    assert int(info.value.code or 0) == 0 and "transfer" in out and "rest %" in out
