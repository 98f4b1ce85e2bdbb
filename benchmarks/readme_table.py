"""The README's performance table, rendered from the committed result files.

Every figure of the table comes from ``benchmarks/results/*.json``, each written by the script
that measured it (with date, machine, commit and load average). ``tests/test_readme.py`` parses
the README's table and checks that it equals :func:`rows`; after re-running a benchmark,
``python benchmarks/readme_table.py --write`` puts the new figures into README.md.

A peer that could not run appears as ``FAIL: reason`` (no stored time is ever substituted).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "README.md"
HEADER = ("benchmark", "peer", "peer time", "tradewar", "ratio", "target", "result file, date, load")
NONE = "—"


def _load(name: str) -> dict[str, Any]:
    return json.loads((RESULTS / name).read_text())


def seconds(x: float) -> str:
    """A duration at three significant figures at most: 27.7 s, 3.52 s, 0.649 s, 5.6 ms."""
    if x >= 10:
        return f"{x:.1f} s"
    if x >= 1:
        return f"{x:.2f} s"
    if x >= 0.1:
        return f"{x:.3f} s"
    return f"{x * 1e3:.1f} ms" if x < 0.01 else f"{x * 1e3:.0f} ms"


def ratio(x: float | None) -> str:
    if x is None:
        return NONE
    return f"**{x:.0f}×**" if x >= 20 else f"**{x:.1f}×**"


def _source(name: str, data: dict[str, Any]) -> str:
    return f"`{name}` {data['date'][:10]}, load {data['loadavg_start'][0]:.1f}"


def rows() -> list[list[str]]:
    """The table's rows, from the result files (one list of cells per row)."""
    out: list[list[str]] = []
    engine = _load("engine.json")
    src = _source("engine.json", engine)
    g = engine["gegravity_one_sector"]
    out.append(["one-sector CAN–JPN agreement, gegravity's 30-country sample; the experiment only "
                "(gegravity's model built untimed, a fresh one per repeat)",
                "gegravity 0.3 `OneSectorGE`", seconds(g["peer_seconds"]), seconds(g["tradewar_seconds"]),
                ratio(g["ratio"]), "≥ 20×", src])
    cp = engine["cp2015_nafta"]
    for key, label in (("independent", "independent plain solver written from the paper "
                                       "(`tests/reference/cp_plain.py`, scipy `root`)"),
                       ("ours_unaccelerated", "ours, unaccelerated: CP's nested loops in numpy "
                                              "(`benchmarks/cp_numpy_reference.py`)")):
        row = cp[key]
        out.append(["Caliendo–Parro NAFTA, 31 × 40, both steps (data loaded untimed)", label,
                    seconds(row["peer_seconds"]), seconds(row["tradewar_seconds"]), ratio(row["ratio"]),
                    "≥ 10×, ≤ 0.2 s", src])
    b = engine["batch_icio2022"]
    batch = b["batch_seconds_per_solve"][str(b["best_chunk"])]
    two = b["two_processes_seconds_per_solve"]["numpy"]
    out.append(["256 tariff scenarios, ICIO 2022 81 × 28", "ours, one solve at a time",
                f"{seconds(b['one_at_a_time_seconds_per_solve'])} per solve",
                f"{seconds(batch)} per solve batched, {seconds(two)} on 2 processes",
                f"{b['ratio_batch_vs_one']:.2f}× / {b['ratio_two_processes_vs_one']:.2f}×", "≤ 50 ms per solve", src])

    strategy = _load("strategy.json")
    src = _source("strategy.json", strategy)
    for key, label, target in (("tariffwar_icio2022", "Nash tariffs, tariffwar configuration, ICIO 2022 81 × 28, "
                                                      "all playing (purge + Nash + welfare; data loaded untimed)", "≥ 10×"),
                               ("tariffwar_wiod2014", "same, WIOD 2014 44 × 16", NONE)):
        row = strategy[key]
        if row["status"] == "FAIL":
            out.append([label, "tariffwar under GNU Octave", f"FAIL: {row['reason']}",
                        seconds(row["tradewar_seconds"]), NONE, target, src])
        else:
            out.append([label, f"tariffwar under GNU Octave {row['octave']}", seconds(row["peer_seconds"]),
                        seconds(row["tradewar_seconds"]), ratio(row["ratio"]), target, src])
    row = strategy["full_model_g14_uniform"]
    out.append(["Nash, full model (IO), 14 regions × 28 sectors, uniform tariffs", "no peer (ours only)", NONE,
                seconds(row["seconds"]), NONE, "≤ 60 s", src])
    row = strategy["by_sector_ossa7"]
    out.append(["Nash by sector, Ossa's 7 regions × 28 sectors",
                f"no peer run: Ossa (2014) reports ~{row['ossa_2014_reported_minutes']} min for 7 × 33 "
                "(his MATLAB, his machine; quoted for scale, not a ratio)", NONE, seconds(row["seconds"]),
                NONE, "report", src])

    coal = _load("coalitions.json")
    src = _source("coalitions.json", coal)
    c, s = coal["coalitions"], coal["sweep"]
    serial, pool = c["1,024 coalitions, serial, numpy"], c["1,024 coalitions, process pool (2), numpy"]
    out.append(["all 1,024 coalitions of 10 allies, 14 regions × 28 sectors, mirror retaliation",
                "ours, serial", seconds(serial), f"{seconds(pool)} on 2 processes", ratio(serial / pool), "≤ 60 s", src])
    bvs = coal["batch_vs_single"]
    out.append(["64 coalition worlds, 14 × 28: `solve_batch` in batches of 16", "ours, one `solve` at a time",
                seconds(bvs["single_seconds"]), seconds(bvs["batch_seconds"]), ratio(bvs["ratio"]), NONE, src])
    one_s = s["1000-draw sweep, serial"]
    pool_s = s["1000-draw sweep, process pool (2)"]
    out.append(["1,000-draw sweep of `us-china-april-11` (14 regions)", "ours, serial", seconds(one_s),
                f"{seconds(pool_s)} on 2 processes", ratio(one_s / pool_s), "≤ 60 s", src])
    d1, d2 = s["1000-draw sweep, dask LocalCluster, 1 worker"], s["1000-draw sweep, dask LocalCluster, 2 workers"]
    out.append(["same sweep, Dask LocalCluster, 2 workers vs 1", "ours, 1 worker", seconds(d1), seconds(d2),
                ratio(d1 / d2), "≥ 1.7×", src])
    cluster = _load("cluster.json")
    best = cluster["best_seconds"]
    out.append(["run layer: 1,000 equilibria of a random 14 × 28 economy, Dask 2 workers vs 1",
                "ours, 1 worker", seconds(best["dask LocalCluster, 1 worker"]),
                seconds(best["dask LocalCluster, 2 workers"]), ratio(cluster["dask_2_vs_1_workers"]), "≥ 1.7×",
                _source("cluster.json", cluster)])

    base = _load("baseline.json")
    src = _source("baseline.json", base)
    out.append(["load the ICIO 2022 baseline from the cache", "building it from the sources",
                seconds(base["build_icio2022_seconds"]), seconds(base["cache_load_icio2022_seconds"]),
                ratio(base["build_over_load"]), "≤ 0.5 s", src])
    out.append([f"build every baseline from the sources ({base['build_all_count']} dataset-years)",
                "no peer (ours only)", NONE, seconds(base["build_all_seconds"]), NONE, "report", src])

    floor = _load("solver_floor.json")
    f = floor["floor"]
    out.append(["one pass of the equilibrium map at 81 × 28 (headline scenario)",
                "the floor: the same array passes with no logic", seconds(f["same_passes_no_logic_seconds"]),
                seconds(floor["map_pass_seconds"]), f"{f['map_over_floor']:.2f}× the floor", "report",
                _source("solver_floor.json", floor)])

    web = _load("web_load.json")
    lat = web["latency"]
    out.append([f"web: {web['requests']} requests, {web['concurrency']} concurrent, mixed cached/new/jobs/reads "
                "(loopback)", "no peer (ours only)", NONE,
                f"p50 {lat['all']['p50_ms']:.0f} ms, p95 {lat['all']['p95_ms']:.0f} ms; cached runs p50 "
                f"{lat['cached']['p50_ms']:.0f} ms; {web['errors']} errors, "
                f"{web['jobs']['done']}/{web['jobs']['submitted']} jobs done", NONE, "report",
                _source("web_load.json", web)])
    return out


def render(table: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cells) + " |" for cells in table]
    return "\n".join(lines) + "\n"


def parse_readme_table(text: str) -> list[list[str]]:
    """The rows (cells, stripped) of the first table after the ``## Performance`` heading."""
    section = text.split("## Performance", 1)[1]
    lines = section.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith("|"))
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
    return table[2:]   # header and separator


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="replace the table in README.md")
    args = parser.parse_args(argv)
    table = render(rows())
    if not args.write:
        print(table, end="")
        return 0
    text = README.read_text()
    head, rest = text.split("## Performance", 1)
    lines = rest.splitlines(keepends=True)
    start = next(k for k, line in enumerate(lines) if line.startswith("|"))
    stop = next(k for k in range(start, len(lines)) if not lines[k].startswith("|"))
    README.write_text(head + "## Performance" + "".join(lines[:start]) + table + "".join(lines[stop:]))
    print(f"wrote the performance table of {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
