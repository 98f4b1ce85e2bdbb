"""Print the China ↔ USA exposure tables of docs/exposure.md as markdown.

Usage (from the repository root):

    PYTHONPATH=src python scripts/exposure_table.py [--exporter CHN] [--partner USA]
                                                    [--data-dir DIR]

Tables: (1) both measures in both directions for every year of ``wiod`` (2000–2014) and ``icio``
(2011–2022), as % of the baseline's value added; (2) the same numerators as % of WDI GDP
(constant 2015 USD), a cross-check; (3) the WIOD 2013 table of 2011 with its true
intermediate/final split vs the proportionality assumption.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Sequence

import pandas as pd

from tradewar.analysis import exposure_series, true_split_value_added_absorbed


def _fmt(value: float, digits: int = 2) -> str:
    return "–" if pd.isna(value) else f"{value:.{digits}f}"


def _markdown(frame: pd.DataFrame, digits: dict[str, int]) -> str:
    head = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "|".join("---:" if c in digits else "---" for c in frame.columns) + "|"
    rows = [
        "| " + " | ".join(
            _fmt(v, digits[c]) if c in digits else str(v) for c, v in zip(frame.columns, row, strict=True)
        ) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([head, rule, *rows])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exporter", default="CHN")
    parser.add_argument("--partner", default="USA")
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args(argv)
    a, b = args.exporter, args.partner

    from tradewar.data import load_baseline

    @functools.cache
    def loader(dataset: str, year: int):
        return load_baseline(dataset, year, data_dir=args.data_dir)

    there = exposure_series(a, b, None, loader=loader).set_index(["dataset", "year"])
    back = exposure_series(b, a, None, loader=loader).set_index(["dataset", "year"])

    main_table = pd.DataFrame(
        {
            "dataset": [d for d, _ in there.index],
            "year": [int(y) for _, y in there.index],
            f"{a}→{b} gross exports, % {a} GDP": there["gross_exports_pct_gdp"].to_numpy(),
            f"{a} VA absorbed by {b}, % {a} GDP": there["value_added_absorbed_pct_gdp"].to_numpy(),
            f"{b} share of {a} exports, %": there["partner_share_of_exports_pct"].to_numpy(),
            f"{b}→{a} gross exports, % {b} GDP": back["gross_exports_pct_gdp"].to_numpy(),
            f"{b} VA absorbed by {a}, % {b} GDP": back["value_added_absorbed_pct_gdp"].to_numpy(),
            f"{a} share of {b} exports, %": back["partner_share_of_exports_pct"].to_numpy(),
            f"{a} VA, bn USD": there["exporter_value_added_musd"].to_numpy() / 1e3,
            f"{b} VA, bn USD": back["exporter_value_added_musd"].to_numpy() / 1e3,
        }
    )
    digits = {c: 2 for c in main_table.columns[2:]}
    digits.update({c: 0 for c in main_table.columns[-2:]})
    print(f"### {a} ↔ {b}: exposure as % of the baseline's value added (current USD)\n")
    print(_markdown(main_table, digits))

    wdi = pd.DataFrame(
        {
            "dataset": main_table["dataset"],
            "year": main_table["year"],
            f"{a}→{b} gross, % WDI GDP": there["gross_exports_pct_wdi_gdp"].to_numpy(),
            f"{a} VA absorbed by {b}, % WDI GDP": there["value_added_absorbed_pct_wdi_gdp"].to_numpy(),
            f"{b}→{a} gross, % WDI GDP": back["gross_exports_pct_wdi_gdp"].to_numpy(),
            f"{b} VA absorbed by {a}, % WDI GDP": back["value_added_absorbed_pct_wdi_gdp"].to_numpy(),
            f"{a} VA / WDI GDP": (there["exporter_value_added_musd"]
                                  / there["exporter_wdi_gdp_musd_2015"]).to_numpy(),
            f"{b} VA / WDI GDP": (back["exporter_value_added_musd"]
                                  / back["exporter_wdi_gdp_musd_2015"]).to_numpy(),
        }
    )
    print("\n### Cross-check: the same numerators as % of WDI GDP (constant 2015 USD)\n")
    print(_markdown(wdi, {c: 2 for c in wdi.columns[2:]}))

    comparison = true_split_value_added_absorbed(
        data_dir=args.data_dir
    ).table().set_index(["exporter", "partner"])
    rows = comparison.loc[[(a, b), (b, a)]].reset_index()
    split = pd.DataFrame(
        {
            "pair": rows["exporter"] + "→" + rows["partner"],
            "gross exports, % GDP": rows["gross_exports_pct_gdp"],
            "VA absorbed, true split, % GDP": rows["value_added_absorbed_pct_gdp_true"],
            "VA absorbed, proportional, % GDP": rows["value_added_absorbed_pct_gdp_proportional"],
            "difference, pp": rows["difference_pp"],
            "difference, % of true": rows["difference_pct"],
        }
    )
    print("\n### WIOD 2013 table of 2011: true split vs proportionality assumption\n")
    print(_markdown(split, {c: 3 for c in split.columns[1:]}))

    sizeable = comparison[comparison["value_added_absorbed_pct_gdp_true"] > 1.0]
    abs_pp, abs_pct = comparison["difference_pp"].abs(), sizeable["difference_pct"].abs()
    print(
        f"\nAll {len(comparison)} ordered pairs: |difference| median {abs_pp.median():.3f} pp, "
        f"90th percentile {abs_pp.quantile(0.9):.3f} pp, max {abs_pp.max():.2f} pp "
        f"({'→'.join(abs_pp.idxmax())}). The {len(sizeable)} pairs whose true figure exceeds 1 % "
        f"of GDP: |relative difference| median {abs_pct.median():.1f} %, 90th percentile "
        f"{abs_pct.quantile(0.9):.1f} %; proportional − true has mean "
        f"{sizeable['difference_pct'].mean():+.1f} %."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
