"""The comparisons of docs/results.md redone on matched scenarios, each difference isolated by a
run that changes ONE thing at a time (issue 11, item 5):

* **KITE** (Kiel, 30 April 2025): from our headline (``us-china-april-11``) to KITE's scenario
  as KITE ran it (145 / 125 + the US 10 % on all other imports), then its setup one switch at a
  time (elasticities, horizon, aggregation, deficits).
* **ILMS Case 3** (Ignatenko, Lashkaripour, Macedoni & Simonovska 2025, Table 8: 108 % both ways
  between the US and China, the US 10 % on everyone else, 10 % retaliation by all): from ILMS's
  model on ILMS's own data (``validation/ilms2025``) down to our headline run on our data, one
  switch a rung: their extra margins off one by one, our engine on their data, our data at one
  sector, the dataset's starting tariffs, input-output links, 28 sectors, our elasticities.
* **WTO** (April 2025): goods-only US-China trade, −81 %.

Each rung is one solve. The ladders are written to ``docs/matched_comparisons.json`` (with the
date and the commit) and rendered into docs/results.md between the markers
``<!-- matched-comparisons:begin -->`` and ``<!-- matched-comparisons:end -->``;
tests/analysis/test_matched_comparisons.py checks the ladders against ILMS's published figures
and the identities (rung 0 = ILMS's print; our engine on their data = their model reduced to
Eaton-Kortum; the last rung = our headline run) and that the committed file is current.

Run: .venv/bin/python scripts/matched_comparisons.py           (writes both files)
     .venv/bin/python scripts/matched_comparisons.py --print   (prints the markdown only)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from tradewar.analysis.ilms import ILMS_PUBLISHED, IlmsOptions, calibrate, solve_ilms
from tradewar.data import default_data_dir, load_baseline, with_horizon
from tradewar.data.ilms2025 import load_ilms2025
from tradewar.model import economy_from_io
from tradewar.options import DeficitClosure
from tradewar.scenario import run_scenario, scenario_from_dict

REPO = Path(__file__).resolve().parents[1]
JSON_FILE = REPO / "docs" / "matched_comparisons.json"
RESULTS_MD = REPO / "docs" / "results.md"
BEGIN, END = "<!-- matched-comparisons:begin -->", "<!-- matched-comparisons:end -->"

#: Published figures the ladders are set against (their sources in docs/results.md).
KITE_PUBLISHED = "US–China trade ≈ −50 % within a year, more than −70 % in the longer term"
WTO_PUBLISHED_PCT = -81.0


# --------------------------------------------------------------------------------------------
# scenarios
# --------------------------------------------------------------------------------------------
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


def ilms_case3(start: str = "baseline", sectors: str = "goods") -> Any:
    """ILMS (2025) Table 8 Case 3: 108 % both ways between the US and China, the US 10 % on
    everybody else and everybody else 10 % on the US (``sectors="all"`` on a one-sector
    economy)."""
    return scenario("ilms-case-3", [
        {"importer": "USA", "exporter": "ALL", "sectors": sectors, "add": 0.10},
        {"importer": "ALL", "exporter": "USA", "sectors": sectors, "add": 0.10},
        {"importer": "USA", "exporter": "CHN", "sectors": sectors, "add": 0.98},
        {"importer": "CHN", "exporter": "USA", "sectors": sectors, "add": 0.98},
    ], start)


def ilms_case3_tariffs(countries: tuple[str, ...]) -> np.ndarray:
    """Case 3 as ILMS's code builds it (``main_baseline.m``: t[US, i] = t[i, US] = 0.10, 1.08
    with China), [importer, exporter], from zero."""
    us, cn = countries.index("USA"), countries.index("CHN")
    t = np.zeros((len(countries), len(countries)))
    t[us, :] = 0.10
    t[:, us] = 0.10
    t[us, us] = 0.0
    t[us, cn] = t[cn, us] = 1.08
    return t


# --------------------------------------------------------------------------------------------
# economies for the rungs
# --------------------------------------------------------------------------------------------
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


def one_sector(baseline: Any, *, theta: float = 4.0, io: bool = False, tariffs: bool = False) -> Any:
    """The baseline's economy summed to ONE sector (every sector, services included): flows
    summed; with ``tariffs`` the dataset's tariffs trade-weighted (else zero, as ILMS start);
    with ``io`` the aggregate input share of each country, output-weighted (else value added =
    gross output). Totals of trade, output and deficits are those of the 28-sector economy."""
    e = baseline.economy
    flows = np.asarray(e.flows).sum(axis=2, keepdims=True)
    weighted = (np.asarray(e.tariffs) * np.asarray(e.flows)).sum(axis=2, keepdims=True)
    rate = np.divide(weighted, flows, out=np.zeros_like(flows), where=flows > 0)
    output = np.asarray(e.flows).sum(axis=0)                     # (N, S) producer sales
    n = len(e.countries)
    if io:
        va = (np.asarray(e.va_share) * output).sum(axis=1) / output.sum(axis=1)
        gamma = (1.0 - va).reshape(n, 1, 1)
    else:
        va, gamma = np.ones(n), np.zeros((n, 1, 1))
    economy = economy_from_io(
        e.countries, ("ALL",), flows, rate if tariffs else np.zeros_like(flows), np.array([theta]),
        va.reshape(n, 1), gamma,
        notes=("one sector" + (", input-output" if io else "") + (", dataset tariffs" if tariffs else ""),))
    return replace(baseline, economy=economy, sector_labels={"ALL": "all sectors (one sector)"})


def from_ilms_data(baseline: Any, ilms_economy: Any, theta: float = 4.0) -> Any:
    """ILMS's calibrated Eaton-Kortum economy (their data, 194 economies, one sector, domestic
    sales completed as their code does) as one of our economies: no IO, zero tariffs, θ."""
    flows = np.asarray(ilms_economy.flows, dtype=float)[:, :, None]
    n = flows.shape[0]
    economy = economy_from_io(ilms_economy.countries, ("ALL",), flows, np.zeros_like(flows),
                              np.array([theta]), np.ones((n, 1)), np.zeros((n, 1, 1)),
                              notes=("ILMS 2025 data (CEPII BACI 2023), one sector",))
    return replace(baseline, economy=economy, regions=None, region_members=None,
                   gdp_musd=np.asarray(ilms_economy.gdp, dtype=float),
                   sector_labels={"ALL": "all goods (one sector)"})


# --------------------------------------------------------------------------------------------
# measures
# --------------------------------------------------------------------------------------------
def _goods(sectors: tuple[str, ...]) -> np.ndarray:
    return np.array([not s.lower().startswith("serv") for s in sectors])


def trade(result: Any, exporter: str, importer: str, goods_only: bool = True) -> float:
    eq = result.final
    i, n = eq.reference.index_of(exporter), eq.reference.index_of(importer)
    keep = _goods(eq.reference.sectors) if goods_only else np.ones(len(eq.reference.sectors), dtype=bool)
    return float((eq.flows[n, i, keep].sum() / eq.reference.flows[n, i, keep].sum() - 1.0) * 100)


def both(result: Any) -> float:
    eq = result.final
    us, cn = eq.reference.index_of("USA"), eq.reference.index_of("CHN")
    keep = _goods(eq.reference.sectors)
    before = eq.reference.flows[us, cn, keep].sum() + eq.reference.flows[cn, us, keep].sum()
    after = eq.flows[us, cn, keep].sum() + eq.flows[cn, us, keep].sum()
    return float((after / before - 1.0) * 100)


@dataclass(frozen=True)
class Rung:
    """One solve of a ladder: what it is, the one thing it changes from the rung before, and
    its results (welfare: % change in real income; trade: % change of bilateral flows at
    producer prices, goods sectors, or all trade in a one-sector economy)."""

    label: str
    switch: str
    usa_welfare_pct: float
    chn_welfare_pct: float
    chn_to_usa_pct: float
    usa_to_chn_pct: float
    both_ways_pct: float
    base: int | None = None


def ours(label: str, switch: str, baseline: Any, spec: Any, deficits: DeficitClosure = "fixed",
         base: int | None = None) -> Rung:
    """A rung solved by our engine; ``base``: the row it changes one thing from (default: the
    row above)."""
    result = run_scenario(baseline, spec, deficits=deficits)
    w = result.countries_frame().welfare_pct
    return Rung(label, switch, float(w["USA"]), float(w["CHN"]), trade(result, "CHN", "USA"),
                trade(result, "USA", "CHN"), both(result), base)


def theirs(label: str, switch: str, economy: Any, options: IlmsOptions) -> Rung:
    eq = solve_ilms(economy, ilms_case3_tariffs(economy.countries), options)
    us, cn = economy.index_of("USA"), economy.index_of("CHN")
    # in units of world GDP, our numeraire (world value added unchanged); theirs is a price index
    world_gdp = float((np.asarray(eq.w_hat) * np.asarray(eq.L_hat) * np.asarray(economy.gdp)).sum())
    base = np.asarray(economy.flows)
    new = np.asarray(eq.flows_new) * float(np.asarray(economy.gdp).sum()) / world_gdp
    chg = lambda n, i: float((new[n, i] / base[n, i] - 1.0) * 100)  # noqa: E731
    both_ways = float(((new[us, cn] + new[cn, us]) / (base[us, cn] + base[cn, us]) - 1.0) * 100)
    return Rung(label, switch, float(eq.welfare_pct[us]), float(eq.welfare_pct[cn]), chg(us, cn),
                chg(cn, us), both_ways)


# --------------------------------------------------------------------------------------------
# the ladders
# --------------------------------------------------------------------------------------------
def ilms_published_case3() -> dict[str, float]:
    """ILMS's printed Case 3 welfare (percent) for the US and China (Table 8)."""
    rows = ILMS_PUBLISHED[(ILMS_PUBLISHED["case"] == "war_china_108") & (ILMS_PUBLISHED["measure"] == "welfare")]
    return {str(r["group"]): float(r["published"]) for r in rows.to_dict("records")}


def ilms_ladder(icio: Any, data_dir: Any = None) -> list[Rung]:
    data = load_ilms2025(data_dir or default_data_dir())
    full, ek = calibrate(data), calibrate(data, "eaton-kortum")
    o = IlmsOptions()
    no_scale = replace(o, scale_elasticity=0.0)
    lump = replace(no_scale, revenue="lump-sum")
    no_kappa = replace(lump, labour_supply_elasticity=0.0)
    u4 = icio.with_elasticity("U4")
    return [
        theirs("ILMS as published: their model and data (BACI 2023, 194 economies, one sector)",
               "—", full, o),
        theirs("… without scale economies", "ψ 0.17 → 0", full, no_scale),
        theirs("… tariff revenue rebated lump-sum", "revenue: income-tax cut → lump-sum", full, lump),
        theirs("… without endogenous labour supply", "κ 0.5 → 0", full, no_kappa),
        theirs("… Eaton–Kortum (ν = 0, full pass-through)", "ILMS structure → Eaton–Kortum", ek, no_kappa),
        ours("a plain scenario run on ILMS's data (one sector, no IO, θ = 4, deficits fixed)",
             "ILMS configuration → plain scenario run (same model: an identity)",
             from_ilms_data(icio, ek), ilms_case3(sectors="all")),
        ours("our data (ICIO 2022, 81 economies) summed to one sector, no IO, zero start",
             "ILMS data → ours", one_sector(icio), ilms_case3(sectors="all")),
        ours("… the dataset's tariffs as the starting point", "start 0 → dataset tariffs",
             one_sector(icio, tariffs=True), ilms_case3(sectors="all")),
        ours("… input–output links (one aggregate input share)", "no IO → IO",
             one_sector(icio, tariffs=True, io=True), ilms_case3(sectors="all")),
        ours("… 28 sectors (tariffs on goods only, sector IO), θ = 4", "1 sector → 28", u4, ilms_case3()),
        ours("… our elasticities (IS): our headline Case 3 run", "θ = 4 → IS", icio, ilms_case3()),
    ]


def kite_ladder(icio: Any) -> list[Rung]:
    cp = icio.with_elasticity("CP")
    g14 = with_horizon(load_baseline("icio", 2022, "CP", regions="g14"), "short")
    return [
        ours("our headline: us-china-april-11 (in force, carve-outs), IS, long run", "—", icio,
             "us-china-april-11"),
        ours("KITE's scenario: 145 / 125 on all goods + US 10 % on all other imports",
             "scenario → KITE's", icio, kite()),
        ours("… from the dataset's tariffs (as a model calibrated to its own data starts)",
             "start: in force on 1 Jan 2025 → dataset tariffs", icio, kite("baseline")),
        ours("… Caliendo–Parro elasticities (KITE builds on CP 2015)", "IS → CP", cp, kite("baseline")),
        ours("… one-year horizon (θ × 0.38)", "long run → one year", with_horizon(cp, "short"),
             kite("baseline")),
        ours("… aggregated to 14 regions", "81 economies → 14 regions", g14, kite("baseline")),
        ours("(sensitivity: KITE's closure is not stated) … deficits to zero", "deficits fixed → zero",
             g14, kite("baseline"), deficits="zero"),
    ]


def wto_rows(icio: Any) -> list[Rung]:
    short = with_horizon(icio, "short")
    return [
        ours("us-china-statutory-145, our default (long run)", "—", icio, "us-china-statutory-145"),
        ours("us-china-statutory-145, goods-only economy, no IO", "services and IO dropped",
             no_io(icio, goods_only=True), "us-china-statutory-145", base=0),
        ours("us-china-statutory-145, one-year horizon", "long run → one year", short,
             "us-china-statutory-145", base=0),
        ours("us-china-april-11 (in force, carve-outs), long run", "statutory → in force", icio,
             "us-china-april-11", base=0),
        ours("us-china-april-11, one-year horizon", "long run → one year", short, "us-china-april-11",
             base=3),
    ]


def ladders(data_dir: Any = None) -> dict[str, list[Rung]]:
    icio = load_baseline("icio", 2022, "IS")
    return {"kite": kite_ladder(icio), "ilms": ilms_ladder(icio, data_dir), "wto": wto_rows(icio)}


# --------------------------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------------------------
_TITLES = {
    "kite": "KITE (Kiel, 30 April 2025): from our headline to KITE's scenario and setup, one switch a rung",
    "ilms": "ILMS Case 3 (108 both ways, US 10 % on all, 10 % retaliation by all): from their model and data to ours, one switch a rung",
    "wto": "WTO (April 2025): 145 / 125, US–China goods trade −81 %",
}


def render(payload: dict[str, Any]) -> str:
    """The markdown tables of a payload (as written to the JSON file)."""
    lines = [f"*Generated by `scripts/matched_comparisons.py` on {payload['generated']} at commit "
             f"`{payload['commit']}` (`docs/matched_comparisons.json`); every row is one solve that "
             "changes one thing from the row named in its switch. Trade: goods sectors; in the "
             "one-sector rows, all trade (services included).*", ""]
    for key, title in _TITLES.items():
        lines += [f"#### {title}",
                  "| # | run | switch (from row) | USA welfare % | CHN welfare % | CHN→USA % | USA→CHN % | both ways % |",
                  "|---|---|---|---|---|---|---|---|"]
        for k, r in enumerate(payload["ladders"][key]):
            base = k - 1 if r.get("base") is None else r["base"]
            switch = r["switch"] if k == 0 else f"{r['switch']} (from {base})"
            lines.append(f"| {k} | {r['label']} | {switch} | {r['usa_welfare_pct']:+.2f} | "
                         f"{r['chn_welfare_pct']:+.2f} | {r['chn_to_usa_pct']:+.1f} | "
                         f"{r['usa_to_chn_pct']:+.1f} | {r['both_ways_pct']:+.1f} |")
        lines.append("")
    published = payload["ilms_published"]
    lines.append(f"ILMS's print (Table 8, Case 3): USA {published['USA']:+.2f} %, China "
                 f"{published['CHN']:+.2f} %. KITE: {KITE_PUBLISHED}. WTO: {WTO_PUBLISHED_PCT:+.0f} %.")
    return "\n".join(lines)


def payload_of(result: dict[str, list[Rung]], commit: str, generated: str) -> dict[str, Any]:
    return {"generated": generated, "commit": commit, "ilms_published": ilms_published_case3(),
            "ladders": {k: [asdict(r) for r in v] for k, v in result.items()}}


def spliced(markdown: str, text: str) -> str:
    """``text`` with the part between the markers replaced by ``markdown``."""
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{markdown}\n{END}{tail}"


def _commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], check=True,
                              capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--print", action="store_true", help="print the markdown, write nothing")
    args = parser.parse_args(argv)
    payload = payload_of(ladders(), _commit(), dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"))
    markdown = render(payload)
    if args.print:
        print(markdown)
        return 0
    JSON_FILE.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
    RESULTS_MD.write_text(spliced(markdown, RESULTS_MD.read_text()))
    print(f"wrote {JSON_FILE.relative_to(REPO)} and the tables of {RESULTS_MD.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
