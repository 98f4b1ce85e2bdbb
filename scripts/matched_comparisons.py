"""The comparisons of docs/results.md redone on matched scenarios, each difference isolated by a
run that changes one thing at a time (elasticities, horizon, input–output links, services,
deficits). Prints the markdown tables pasted into docs/results.md.

Run: .venv/bin/python scripts/matched_comparisons.py
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from tradewar.data import load_baseline, with_horizon
from tradewar.model import economy_from_io
from tradewar.options import DeficitClosure
from tradewar.scenario import run_scenario, scenario_from_dict


def scenario(name: str, tariffs: list[dict[str, Any]], start: str) -> Any:
    return scenario_from_dict({"name": name, "description": name, "start": start,
                               "retaliation": "none", "tariff": tariffs})


def kite(start: str = "in-force-2025") -> Any:
    """KITE (Kiel, 30 April 2025): US 145 % on China, China 125 % on the US, and the US +10 % on
    (almost) all other imports."""
    return scenario("kite-as-run", [
        {"importer": "USA", "exporter": "CHN", "sectors": "goods", "add": 1.45},
        {"importer": "CHN", "exporter": "USA", "sectors": "goods", "add": 1.25},
        {"importer": "USA", "exporter": "ALL", "sectors": "goods", "add": 0.10},
    ], start)


def ilms_case3(start: str = "baseline") -> Any:
    """ILMS (2025) Table 8 Case 3: 108 % both ways between the US and China, the US 10 % on
    everybody else and everybody else 10 % on the US."""
    return scenario("ilms-case-3", [
        {"importer": "USA", "exporter": "ALL", "sectors": "goods", "add": 0.10},
        {"importer": "ALL", "exporter": "USA", "sectors": "goods", "add": 0.10},
        {"importer": "USA", "exporter": "CHN", "sectors": "goods", "add": 0.98},
        {"importer": "CHN", "exporter": "USA", "sectors": "goods", "add": 0.98},
    ], start)


def no_io(baseline: Any, goods_only: bool = False) -> Any:
    """The same flows without input-output links (value added = gross output); optionally the
    goods sectors only (services dropped, deficits then on goods only, as ILMS and the WTO)."""
    e = baseline.economy
    keep = np.array([not s.lower().startswith("serv") for s in e.sectors]) if goods_only else \
        np.ones(len(e.sectors), dtype=bool)
    sectors = tuple(s for s, k in zip(e.sectors, keep, strict=True) if k)
    economy = economy_from_io(
        e.countries, sectors, e.flows[:, :, keep], e.tariffs[:, :, keep], e.theta[keep],
        np.ones((len(e.countries), len(sectors))),
        np.zeros((len(e.countries), len(sectors), len(sectors))),
        notes=("no input-output links" + (", goods only" if goods_only else ""),))
    return replace(baseline, economy=economy)


def trade(result: Any, exporter: str, importer: str, goods_only: bool = True) -> float:
    eq = result.final
    i, n = eq.reference.index_of(exporter), eq.reference.index_of(importer)
    keep = np.array([not s.lower().startswith("serv") for s in eq.reference.sectors]) if goods_only \
        else np.ones(len(eq.reference.sectors), dtype=bool)
    return float((eq.flows[n, i, keep].sum() / eq.reference.flows[n, i, keep].sum() - 1.0) * 100)


def both(result: Any) -> float:
    eq = result.final
    us, cn = eq.reference.index_of("USA"), eq.reference.index_of("CHN")
    keep = np.array([not s.lower().startswith("serv") for s in eq.reference.sectors])
    before = eq.reference.flows[us, cn, keep].sum() + eq.reference.flows[cn, us, keep].sum()
    after = eq.flows[us, cn, keep].sum() + eq.flows[cn, us, keep].sum()
    return float((after / before - 1.0) * 100)


def row(label: str, baseline: Any, spec: Any, deficits: DeficitClosure = "fixed") -> str:
    result = run_scenario(baseline, spec, deficits=deficits)
    w = result.countries_frame().welfare_pct
    return (f"| {label} | {w['USA']:+.2f} | {w['CHN']:+.2f} | {trade(result, 'CHN', 'USA'):+.1f} | "
            f"{trade(result, 'USA', 'CHN'):+.1f} | {both(result):+.1f} |")


def main() -> None:
    icio = load_baseline("icio", 2022, "IS")
    header = ("| run (ICIO 2022, 81 economies) | USA welfare % | CHN welfare % | CHN→USA goods % | "
              "USA→CHN goods % | US–China goods both ways % |\n|---|---|---|---|---|---|")
    print("### KITE's scenario as KITE ran it (145 / 125 + US 10 % on all other imports)")
    print(header)
    print(row("long run, IS (our default)", icio, kite()))
    print(row("short run (~1 year, θ × 0.38), IS", with_horizon(icio, "short"), kite()))
    print(row("long run, CP elasticities", icio.with_elasticity("CP"), kite()))
    print(row("long run, uniform θ = 4", icio.with_elasticity("U4"), kite()))
    print(row("long run, IS, start = dataset tariffs", icio, kite("baseline")))
    print()
    print("### ILMS Case 3 on our data (108 both ways, US 10 % on all, 10 % retaliation by all)")
    print(header)
    u4 = icio.with_elasticity("U4")
    print(row("our default (IS, IO, services, deficits fixed)", icio, ilms_case3()))
    print(row("θ = 4 (ILMS)", u4, ilms_case3()))
    print(row("θ = 4, no input-output links", no_io(u4), ilms_case3()))
    print(row("θ = 4, no IO, goods only", no_io(u4, goods_only=True), ilms_case3()))
    print(row("θ = 4, no IO, goods only, deficits zero", no_io(u4, goods_only=True), ilms_case3(),
              deficits="zero"))
    print()
    print("### WTO (April 2025): 145 / 125, US–China goods trade −81 %")
    print(header)
    print(row("us-china-statutory-145, our default", icio, "us-china-statutory-145"))
    print(row("us-china-statutory-145, goods-only economy, no IO", no_io(icio, goods_only=True),
              "us-china-statutory-145"))
    print(row("us-china-statutory-145, short run", with_horizon(icio, "short"), "us-china-statutory-145"))
    print(row("us-china-april-11 (in force, carve-outs)", icio, "us-china-april-11"))
    print(row("us-china-april-11, short run", with_horizon(icio, "short"), "us-china-april-11"))


if __name__ == "__main__":
    main()
