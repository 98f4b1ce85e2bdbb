"""Print the tables of docs/strategy.md: Nash tariff wars of tradewar's full model (Ossa's 7
regions and the 14 regions, uniform and by sector, deficits purged) and of the tariffwar
configuration, on WIOD 2014 and ICIO 2022.

Run: python scripts/strategy_tables.py
"""

from __future__ import annotations

import numpy as np

from tradewar.analysis import closed_form_nash, nash_tariffs, tariffwar_economy, trade_talks
from tradewar.data import load_baseline


def mean_tariff(result) -> float:
    t = result.tariffs
    return float(np.nanmean(t.to_numpy())) * 100


def main() -> None:
    print("| dataset | regions | tariffs | mean Nash tariff % | USA % | CHN % | mean welfare % | USA welfare % | CHN welfare % | world trade % | max gain from deviating % | seconds |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for dataset, year in (("wiod", 2014), ("icio", 2022)):
        for regions in ("ossa7", "g14"):
            economy = load_baseline(dataset, year, "IS", regions=regions).economy
            for by in ("uniform", "sector"):
                if by == "sector" and regions == "g14":
                    continue
                war = nash_tariffs(economy, by=by)
                t = war.tariffs
                usa = float(np.nanmean(np.atleast_1d(t.loc["USA"]))) * 100
                chn = float(np.nanmean(np.atleast_1d(t.loc["CHN"]))) * 100
                w = war.welfare_pct
                print(f"| {dataset} {year} | {regions} | {by} | {mean_tariff(war):.1f} | {usa:.1f} | {chn:.1f} | "
                      f"{w.loc[list(war.players)].mean():+.2f} | {w['USA']:+.2f} | {w['CHN']:+.2f} | "
                      f"{war.world_trade_pct:+.1f} | {war.check['max_gain_from_deviation_pct']:.1e} | "
                      f"{war.seconds if hasattr(war, 'seconds') else float('nan'):.1f} |")
                if by == "uniform" and regions == "g14":
                    talks = trade_talks(economy, war)
                    print(f"| {dataset} {year} | {regions} | talks from Nash | {float(talks.tariffs.mean()) * 100:.1f} | "
                          f"{talks.tariffs['USA'] * 100:.1f} | {talks.tariffs['CHN'] * 100:.1f} | "
                          f"{talks.welfare_pct.loc[list(talks.players)].mean():+.2f} | {talks.welfare_pct['USA']:+.2f} | "
                          f"{talks.welfare_pct['CHN']:+.2f} | {talks.world_trade_pct:+.1f} | gain vs Nash {talks.common_gain_pct:+.2f} | {talks.seconds:.1f} |")
    print()
    print("| tariffwar configuration | mean Nash tariff % | USA % | CHN % | DEU % | min | max | USA welfare % | CHN welfare % | seconds |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for dataset, year in (("wiod", 2014), ("icio", 2022)):
        r = closed_form_nash(tariffwar_economy(dataset, year, "IS"))
        t = dict(zip(r.countries, r.tariffs * 100, strict=True))
        w = dict(zip(r.countries, r.welfare_pct, strict=True))
        lo = min(t, key=t.get)
        hi = max(t, key=t.get)
        print(f"| {dataset} {year} | {np.mean(list(t.values())):.2f} | {t['USA']:.2f} | {t['CHN']:.2f} | {t['DEU']:.2f} | "
              f"{lo} {t[lo]:.2f} | {hi} {t[hi]:.2f} | {w['USA']:+.3f} | {w['CHN']:+.3f} | {r.seconds:.2f} |")


if __name__ == "__main__":
    main()
