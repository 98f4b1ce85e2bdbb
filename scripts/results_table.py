"""Print the markdown tables of docs/results.md: every built-in scenario on the default baseline
(ICIO 2022, IS elasticities, deficits fixed), plus the comparison runs for published analyses.

Run: python scripts/results_table.py [--dataset icio --year 2022]
"""

from __future__ import annotations

import argparse

from tradewar.data import load_baseline
from tradewar.errors import TradewarError
from tradewar.scenario import Scenario, builtin_names, run_scenario, scenario_from_dict

FOCUS = ("USA", "CHN", "EU27", "JPN", "CAN", "MEX", "VNM")


def bilateral(result, exporter: str, importer: str) -> float:
    """Change (%) of total trade exporter -> importer, from the final equilibrium."""
    eq = result.final
    i, n = eq.reference.index_of(exporter), eq.reference.index_of(importer)
    return (eq.flows[n, i].sum() / eq.reference.flows[n, i].sum() - 1.0) * 100.0


def both_ways(rate: float) -> Scenario:
    return scenario_from_dict({
        "name": f"us-china-{round(rate * 100)}-both-ways",
        "description": f"US and China each add {round(rate * 100)} points on the other's goods",
        "tariff": [{"importer": "USA", "exporter": "CHN", "sectors": "goods", "add": rate},
                   {"importer": "CHN", "exporter": "USA", "sectors": "goods", "add": rate}],
    })


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", default="icio")
    parser.add_argument("--year", type=int, default=2022)
    args = parser.parse_args()
    baseline = load_baseline(args.dataset, args.year, "IS")
    g14 = load_baseline(args.dataset, args.year, "IS", regions="g14")
    print("| scenario | USA % | CHN % | EU % | JPN % | CAN % | MEX % | VNM % | CHN→USA trade % | USA→CHN trade % | converged |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name in builtin_names():
        try:
            result = run_scenario(g14, name)
        except TradewarError as exc:  # e.g. a built-in whose schema is not merged yet
            print(f"| `{name}` | not run: {str(exc).splitlines()[0]} |")
            continue
        frame = result.countries_frame()
        cells = [f"{frame.welfare_pct.get(c, float('nan')):+.2f}" for c in FOCUS]
        print(f"| `{name}` | " + " | ".join(cells)
              + f" | {bilateral(result, 'CHN', 'USA'):+.1f} | {bilateral(result, 'USA', 'CHN'):+.1f} | "
              + f"{result.final.diagnostics.converged} |")
    print()
    print("| comparison run (81 economies) | USA welfare % | CHN welfare % | CHN→USA % | USA→CHN % | world trade % |")
    print("|---|---|---|---|---|---|")
    for label, scenario in (("us-china-april-11 (in force that day, carve-outs)", "us-china-april-11"),
                            ("us-china-statutory-145 (145 / 125 on everything)", "us-china-statutory-145"),
                            ("108 points both ways only", both_ways(1.08))):
        result = run_scenario(baseline, scenario)
        eq = result.final
        frame = result.countries_frame()
        world = (eq.flows.sum() - eq.flows.trace(axis1=0, axis2=1).sum()) / (
            eq.reference.flows.sum() - eq.reference.flows.trace(axis1=0, axis2=1).sum()) * 100 - 100
        print(f"| {label} | {frame.welfare_pct['USA']:+.2f} | {frame.welfare_pct['CHN']:+.2f} | "
              f"{bilateral(result, 'CHN', 'USA'):+.1f} | {bilateral(result, 'USA', 'CHN'):+.1f} | {world:+.1f} |")


if __name__ == "__main__":
    main()
