"""Write tests/reference/ilms2025_table.csv: every published ILMS (2025) figure beside ours and
beside the authors' own code run under GNU Octave (tests/reference/ilms2025_octave.csv, from
scripts/ilms2025_peer.sh), aggregated the way their tables are (spending-weighted averages).

Usage: .venv/bin/python scripts/ilms2025_table.py [--data-dir DIR] [--out CSV] [--write-reference]
(default output: $TMPDIR/ilms2025_table.csv; --write-reference replaces the committed table)
The CSV documents the reproduction (docs/validation.md); the tests do not read it — they
recompute ours and compare with the published figures and the Octave peer directly.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from tradewar.analysis.ilms import calibrate, reproduce_ilms2025
from tradewar.data import default_data_dir
from tradewar.data.ilms2025 import load_ilms2025

HERE = Path(__file__).resolve().parents[1] / "tests" / "reference"
COLUMNS = {"welfare": "welfare", "deficit": "deficit", "exports_gdp": "exports_gdp", "imports_gdp": "imports_gdp",
           "employment": "employment", "prices": "prices"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "ilms2025_table.csv")
    parser.add_argument("--write-reference", action="store_true",
                        help="replace tests/reference/ilms2025_table.csv")
    args = parser.parse_args()
    folder = args.data_dir or default_data_dir()
    rep = reproduce_ilms2025(folder)
    data = load_ilms2025(folder)
    econ = calibrate(data)
    spend = pd.Series(np.asarray(econ.expenditure), index=econ.countries)
    eu = set(data.eu)
    members = {"USA": ["USA"], "CHN": ["CHN"], "EU": sorted(eu),
               "non-US": [c for c in econ.countries if c != "USA"],
               "RoW": [c for c in econ.countries if c not in eu | {"USA", "CHN"}]}
    peer = pd.read_csv(HERE / "ilms2025_octave.csv", comment="#").set_index(["case", "iso3"])
    out = rep.figures.drop(columns=["decimals", "ours_as_printed", "match_as_printed"]).copy()
    octave = []
    for row in out.itertuples():
        if row.group == "non-US mean" and (row.case, "USA") in peer.index:
            octave.append(float(peer.loc[row.case].loc[members["non-US"], COLUMNS[row.measure]].mean()))
        elif row.measure in COLUMNS and row.group in members and (row.case, "USA") in peer.index:
            vals = peer.loc[row.case].loc[members[row.group], COLUMNS[row.measure]]
            w = spend[members[row.group]]
            octave.append(float((vals * w).sum() / w.sum()))
        elif row.measure == "revenue_gdp":
            octave.append(100 * float(peer.loc[(row.case, "USA"), "revenue_share"]))
        elif row.measure == "revenue_budget":
            octave.append(100 * float(peer.loc[(row.case, "USA"), "revenue_share"]) / 0.23)
        elif row.group == "world" and row.measure == "employment":
            gdp = pd.Series(np.asarray(econ.gdp), index=econ.countries)
            octave.append(float((peer.loc[row.case]["employment"] * gdp).sum() / gdp.sum()))
        else:
            octave.append(float("nan"))
    out.insert(out.columns.get_loc("published") + 1, "authors_code_octave", octave)
    dest = HERE / "ilms2025_table.csv" if args.write_reference else args.out
    with open(dest, "w") as handle:
        handle.write("# ILMS (2025) reproduced by tradewar (src/tradewar/analysis/ilms) on their data; written by "
                     "scripts/ilms2025_table.py.\n# published: the paper's tables as printed by the authors' "
                     "replication package (output/Table_<k>.tex); authors_code_octave: their MATLAB code under "
                     "GNU Octave 7.3 (tests/reference/ilms2025_octave.csv). Percent; tolerance = half a unit of "
                     "the last printed digit.\n")
        out.to_csv(handle, index=False, float_format="%.6f")
    print(f"wrote {dest}: {len(out)} figures, {int(out['match'].sum())} match")


if __name__ == "__main__":
    main()
