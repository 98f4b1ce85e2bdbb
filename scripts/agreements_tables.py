"""Print the tables of docs/agreements.md: deep vs tariff-only agreements (TPP, TTIP, CPTPP,
USMCA) with our PPML estimate and a meta-analysis value, on three elasticity sets; China's
2025 export controls step by step; the escalation game with export controls; allied export
controls in the coalition game. ICIO 2022, deficits fixed, welfare in % of real income.

Run: python scripts/agreements_tables.py
"""

from __future__ import annotations

from typing import Any

from tradewar.analysis import coalition_analysis, escalation_game
from tradewar.data import BLOCS, load_baseline
from tradewar.scenario import builtin_scenario, run_scenario, scenario_from_dict

META = {"effect": 0.28, "effect_source": "Head & Mayer (2014), Handbook of International Economics "
        "vol. 4, ch. 3, Table 4: structural-gravity RTA/FTA estimates, median 0.28"}


def eu_welfare(eq: Any) -> float:
    """Income-weighted mean welfare of the EU27 members, %."""
    ref = eq.reference
    idx = [ref.countries.index(c) for c in BLOCS["EU27"] if c in ref.countries]
    weights = ref.income[idx]
    return float((eq.welfare_pct[idx] * weights).sum() / weights.sum())


def variant(name: str, **agreement: Any) -> Any:
    """Built-in ``name`` with keys of its first agreement changed."""
    data = builtin_scenario(name).model_dump(mode="json", exclude_none=True)
    data["name"] = name + "+" + ",".join(agreement)
    data["agreement"][0].update(agreement)
    return scenario_from_dict(data)


def agreements() -> None:
    runs = [("tpp (tariffs only)", "tpp"), ("tpp-deep, our PPML 0.4711", "tpp-deep"),
            ("tpp-deep, meta-analysis 0.28", variant("tpp-deep", **META)),
            ("tpp-deep, no pair excluded", variant("tpp-deep", existing=[])),
            ("ttip (tariffs only)", "ttip"), ("ttip-deep, our PPML 0.4711", "ttip-deep"),
            ("ttip-deep, meta-analysis 0.28", variant("ttip-deep", **META)),
            ("cptpp (tariffs only)", "cptpp"), ("cptpp-deep", "cptpp-deep"),
            ("usmca (tariffs only)", "usmca"), ("usmca-deep", "usmca-deep")]
    print("| elasticity | run | USA | EU27 | JPN | VNM | MEX | CHN |")
    print("|---|---|---|---|---|---|---|---|")
    for elasticity in ("IS", "CP", "U4"):
        baseline = load_baseline(elasticity=elasticity)
        for label, scenario in runs:
            if elasticity != "IS" and scenario not in ("tpp", "tpp-deep", "ttip", "ttip-deep"):
                continue
            eq = run_scenario(baseline, scenario).final
            c = eq.reference.countries
            w = [eq.welfare_pct[c.index("USA")], eu_welfare(eq)] + [
                eq.welfare_pct[c.index(k)] for k in ("JPN", "VNM", "MEX", "CHN")]
            print(f"| {elasticity} | {label} | " + " | ".join(f"{v:+.2f}" for v in w) + " |")


def export_controls() -> None:
    result = run_scenario(load_baseline(), "china-export-controls-2025")
    print("\n| step | CHN | USA | JPN | KOR | DEU | KHM |\n|---|---|---|---|---|---|---|")
    for label, _, eq in result.steps:
        c = eq.reference.countries
        print(f"| {label} | " + " | ".join(f"{eq.welfare_pct[c.index(k)]:+.3f}"
                                            for k in ("CHN", "USA", "JPN", "KOR", "DEU", "KHM")) + " |")


def escalation() -> None:
    print("\n| regions | resists with | control sectors | W_US(war) | W_CN(war) | W_CN(concede) | d* | "
          "credible if c > |\n|---|---|---|---|---|---|---|---|")
    for regions in (None, "g14"):
        baseline = load_baseline(regions=regions) if regions else load_baseline()
        for resist, sectors in (("tariffs", None), ("export_controls", ("B07", "C24B")),
                                ("both", ("B07", "C24B")), ("export_controls", ("B07", "C24B", "C20", "C27")),
                                ("both", ("B07", "C24B", "C20", "C27"))):
            kw = {} if sectors is None else {"control_sectors": sectors}
            r = escalation_game(baseline, resist_with=resist, threats=(1.45,), **kw)
            war = r.war_at(None)
            print(f"| {regions or 'ICIO 81'} | {resist} | {','.join(sectors or ['-'])} | "
                  f"{war.leader_pct:+.3f} | {war.target_pct:+.3f} | {r.concede_target_pct:+.3f} | "
                  f"{r.d_star():+.3f} | {r.to_json()['credible_if_c_above_pct']:.3f} |")


def coalitions() -> None:
    baseline = load_baseline(regions="g14")
    print("\n| coalition instrument | China welfare % | US welfare % | China's loss, bn USD | "
          "members' loss, bn USD | leverage |\n|---|---|---|---|---|---|")
    for label, kw in (("tariff +50 points on goods", {"tariff": 0.5}),
                      ("ban of C26 exports only", {"tariff": 0.0, "ban_sectors": ["C26"]}),
                      ("tariff +50 and ban of C26", {"tariff": 0.5, "ban_sectors": ["C26"]})):
        r = coalition_analysis(baseline, allies=["JPN", "KOR", "EU27", "TWN"], retaliation="none", **kw)
        g = r.game
        full = 2 ** g.n - 1
        change = r.change_musd()[full]
        income = g.economy.income
        members = g.member_economies(full)
        target_loss, member_loss = -change[g.target], -change[members].sum()
        print(f"| {label} | {100 * change[g.target] / income[g.target]:+.2f} | "
              f"{100 * change[g.leader] / income[g.leader]:+.2f} | {target_loss / 1000:.0f} | "
              f"{member_loss / 1000:.0f} | {target_loss / member_loss:.2f} |")


if __name__ == "__main__":
    agreements()
    export_controls()
    escalation()
    coalitions()
