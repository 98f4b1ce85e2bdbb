"""The WIOD 2013 table of 2011 as the check on the reconciled baselines: the same scenario on
wiot2011 (consistent as published), wiod 2011 and icio 2011 (IO structure borrowed and
reconciled). Prints the markdown table of docs/results.md ("Cross-check on 2011 data").

Run: python scripts/crosscheck_wiot2011.py
"""

from __future__ import annotations

from tradewar.data import load_baseline
from tradewar.scenario import run_scenario


def main() -> None:
    print("| baseline (2011) | economies × sectors | USA welfare % | CHN welfare % | CHN→USA trade % | USA→CHN trade % | MEX welfare % | adjustments |")
    print("|---|---|---|---|---|---|---|---|")
    for dataset in ("wiot2011", "wiod", "icio"):
        baseline = load_baseline(dataset, 2011, "IS")
        result = run_scenario(baseline, "us-china-april-11")
        eq = result.final
        ref = eq.reference
        us, cn, mx = (ref.index_of(c) for c in ("USA", "CHN", "MEX"))

        def trade(i: int, n: int, eq=eq, ref=ref) -> float:
            return (eq.flows[n, i].sum() / ref.flows[n, i].sum() - 1) * 100

        print(f"| {dataset} | {ref.n_countries} × {ref.n_sectors} | {eq.welfare_pct[us]:+.2f} | {eq.welfare_pct[cn]:+.2f} | "
              f"{trade(cn, us):+.1f} | {trade(us, cn):+.1f} | {eq.welfare_pct[mx]:+.2f} | {len(baseline.adjustments)} |")


if __name__ == "__main__":
    main()
