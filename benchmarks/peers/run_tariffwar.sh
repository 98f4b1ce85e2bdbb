#!/usr/bin/env bash
# Run Ahmad Lashkaripour's MATLAB package tariffwar (github.com/ahmadlp/tariffwar), the field's
# reference Nash tariff-war solver, under GNU Octave, and write its Nash tariffs and welfare
# changes as a CSV (reference numbers for tests/reference/ and timings for the benchmarks).
#
# tariffwar's own code is NOT part of this repository: check it out somewhere else.
#
# Reproduce
# ---------
#   1. GNU Octave (Debian's; 7.3.0 was used):
#        apt-get update && apt-get install -y octave
#   2. tariffwar (commit 98636984981426dd17be3a9e532973a2995ce601 was used):
#        git clone https://github.com/ahmadlp/tariffwar /work/peers/tariffwar
#      (its mat/ITPD*.mat files are not needed; a checkout without them is fine)
#   3. Python 3 with h5py, numpy and scipy (the tradewar .venv has them).
#   4. Run, from the tradewar repository root:
#        benchmarks/peers/run_tariffwar.sh /work/peers/tariffwar wiod 2014
#        benchmarks/peers/run_tariffwar.sh /work/peers/tariffwar icio 2022
#      This writes, all in $WORK_DIR: tariffwar_<dataset><year>.csv
#      (country,nash_tariff,welfare_pct; nash_tariff a fraction, welfare_pct in percent),
#      a per-run summary (timings, residuals, exit flags, summary statistics)
#      tariffwar_<dataset><year>.summary.txt, and the solve seconds merged into
#      $TIMING_JSON (default $WORK_DIR/tariffwar_timing.json).
#      Reference files are never overwritten as a side effect: only with --write-reference
#      (as the LAST argument) is the CSV copied to tests/reference/tariffwar_<dataset><year>.csv.
#
# What it does
# ------------
#   * converts <tariffwar>/mat/<DATASET><YEAR>.mat (MATLAB v7.3 = HDF5, unreadable by Octave)
#     to a MATLAB v7 file with the same struct layout (benchmarks/peers/convert_mat_v7.py)
#     in $DATA_DIR (default /work/peers/tariffwar-data); the files are byte-identical to
#     /work/shared/data/{wiod2016,icio}/*.mat, which are used if the checkout lacks them;
#   * installs the compatibility shims (benchmarks/peers/tariffwar_shims/*.m: optimoptions,
#     string, readtable, height, ismissing, tw_strcol) into $SHIM_DIR (default
#     /work/peers/tariffwar-shims) and puts them on Octave's path; tariffwar's model files run
#     unchanged;
#   * runs tw_reference_run.m (in the shims directory), which calls tariffwar's own functions
#     in the same order and with the same arguments as tariffwar.pipeline.run(<ds>, <year>,
#     'IS', 'Display', 'off') -- default configuration: tariffwar.defaults() -- timing each
#     stage (data load; deficit purge; Nash solve; welfare);
#   * with CHECK_PIPELINE=1 it also runs the unmodified entry point tariffwar.pipeline.run on a
#     copy of the checkout whose mat/ points at $DATA_DIR and checks that its results.csv
#     welfare numbers equal ours (slow: tariffwar's GDP lookup builds a containers.Map of
#     7,481 keys, which takes ~4 minutes in Octave 7).
#
# Environment: DATA_DIR, SHIM_DIR, WORK_DIR (default /work/peers/tariffwar-runs), NREP (timed
# repetitions of the solve, default 3; the minimum is reported), OCTAVE (default octave-cli),
# PYTHON (default: .venv/bin/python if present, else python3), OUT_CSV, TIMING_JSON,
# CHECK_PIPELINE.
set -euo pipefail

if [[ $# -lt 3 || $# -gt 4 || ( $# -eq 4 && "$4" != --write-reference ) ]]; then
  sed -n '2,48p' "$0" | sed 's/^# \{0,1\}//'
  echo "usage: $0 TARIFFWAR_DIR DATASET(wiod|icio) YEAR [--write-reference]" >&2
  exit 2
fi
WRITE_REFERENCE=0
[[ "${4:-}" == --write-reference ]] && WRITE_REFERENCE=1

TW_DIR=$(cd "$1" && pwd)
DATASET=$(echo "$2" | tr '[:upper:]' '[:lower:]')
YEAR=$3
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
DATA_DIR=${DATA_DIR:-/work/peers/tariffwar-data}
SHIM_DIR=${SHIM_DIR:-/work/peers/tariffwar-shims}
WORK_DIR=${WORK_DIR:-/work/peers/tariffwar-runs}
NREP=${NREP:-3}
OCTAVE=${OCTAVE:-octave-cli}
OUT_CSV=${OUT_CSV:-$REPO/tests/reference/tariffwar_${DATASET}${YEAR}.csv}
TIMING_JSON=${TIMING_JSON:-$WORK_DIR/tariffwar_timing.json}
if [[ -z "${PYTHON:-}" ]]; then
  if [[ -x "$REPO/.venv/bin/python" ]]; then PYTHON=$REPO/.venv/bin/python; else PYTHON=python3; fi
fi

command -v "$OCTAVE" >/dev/null || { echo "Octave not found: apt-get install -y octave" >&2; exit 1; }
[[ -d "$TW_DIR/+tariffwar" ]] || { echo "$TW_DIR is not a tariffwar checkout" >&2; exit 1; }
case "$DATASET" in
  wiod) SHARED=/work/shared/data/wiod2016 ;;
  icio) SHARED=/work/shared/data/icio ;;
  *) echo "dataset must be wiod or icio (itpd is not converted here)" >&2; exit 2 ;;
esac

FILE=$(echo "$DATASET" | tr '[:lower:]' '[:upper:]')${YEAR}.mat
SRC=$TW_DIR/mat/$FILE
if [[ ! -s "$SRC" || $(head -c 20 "$SRC" | tr -d '\0') == version* ]]; then
  SRC=$SHARED/$FILE   # missing or a Git LFS pointer: use the shared copy (same bytes)
fi
mkdir -p "$DATA_DIR" "$SHIM_DIR" "$WORK_DIR"

# 1. data: v7.3 (HDF5) -> v7
"$PYTHON" "$HERE/convert_mat_v7.py" "$SRC" --out-dir "$DATA_DIR"

# 2. shims
cp "$HERE"/tariffwar_shims/*.m "$SHIM_DIR"/

# 3. run
COMMIT=$(git -C "$TW_DIR" rev-parse HEAD 2>/dev/null || echo unknown)
OCT_VERSION=$("$OCTAVE" --eval 'printf("%s\n", OCTAVE_VERSION)' 2>/dev/null | tail -1)
TAG=${DATASET}${YEAR}
SUMMARY=$WORK_DIR/tariffwar_${TAG}.summary.txt
RAW_CSV=$WORK_DIR/tariffwar_${TAG}.csv

now() { date +%s.%N; }
t0=$(now)
"$OCTAVE" --no-window-system --eval 'exit(0)' >/dev/null 2>&1 || true
t_startup=$(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.3f", b-a}')

t0=$(now)
"$OCTAVE" --no-window-system --eval "
  addpath('$SHIM_DIR'); addpath('$TW_DIR');
  tw_reference_run('$DATASET', $YEAR, '$DATA_DIR', '$RAW_CSV', '$SUMMARY', 'IS', $NREP);
" 2>&1 | grep -v 'ignoring const execution_exception' || true
t_process=$(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.3f", b-a}')
[[ -s "$SUMMARY" ]] || { echo "Octave run failed (no $SUMMARY)" >&2; exit 1; }
{
  echo "tariffwar_commit = $COMMIT"
  echo "octave_startup_seconds = $t_startup"
  echo "octave_process_seconds = $t_process"
  echo "source_mat = $SRC"
} >> "$SUMMARY"
if [[ $WRITE_REFERENCE == 1 ]]; then
  mkdir -p "$(dirname "$OUT_CSV")" && cp "$RAW_CSV" "$OUT_CSV" && echo "wrote reference $OUT_CSV"
fi

# 4. timing JSON (merged: one entry per dataset-year)
"$PYTHON" - "$SUMMARY" "$TIMING_JSON" "$TAG" "$COMMIT" <<'EOF'
import json, sys
from pathlib import Path
summary, out, tag, commit = sys.argv[1:]
kv = {}
for line in Path(summary).read_text().splitlines():
    if " = " in line:
        k, v = line.split(" = ", 1)
        kv[k.strip()] = v.strip()
p = Path(out)
data = json.loads(p.read_text()) if p.exists() else {}
f = lambda k: round(float(kv[k]), 3)
data[tag] = f("seconds_solve")
data["octave"] = kv["octave"]
data["commit"] = commit
data.setdefault("details", {})[tag] = {
    "solve_seconds_min": f("seconds_solve"),
    "solve_seconds_median": f("seconds_solve_median"),
    "solve_seconds_all": [float(x) for x in kv["seconds_solve_all"].split()],
    "solve_cpu_seconds_min": f("cpu_seconds_solve_min"),
    "deficit_purge_seconds": f("seconds_balance_trade"),
    "nash_seconds": f("seconds_nash"),
    "welfare_seconds": f("seconds_welfare"),
    "data_load_seconds": f("seconds_load"),
    "octave_startup_seconds": f("octave_startup_seconds"),
    "octave_process_seconds_incl_repetitions": f("octave_process_seconds"),
    "repetitions": int(kv["nrep"]),
    "N": int(kv["N"]), "S": int(kv["S"]),
    "nash_exitflag": int(kv["nash_exitflag"]),
    "nash_iterations": int(kv.get("nash_iterations", -1)),
    "blas": kv["blas"],
}
data["note"] = ("seconds = wall-clock of tariffwar's solve under GNU Octave (deficit purge + Nash "
                "fsolve + welfare), excluding Octave start-up and data loading; minimum over "
                "repetitions; see details and tests/reference/tariffwar_README.md")
head = [k for k in ("wiod2014", "icio2022") if k in data]
order = head + sorted(k for k in data if k not in head and not isinstance(data[k], dict | str))
order += ["octave", "commit", "note", "details"]
data["details"] = {k: data["details"][k] for k in sorted(data["details"])}
data = {k: data[k] for k in order + [k for k in data if k not in order]}
p.write_text(json.dumps(data, indent=2) + "\n")
EOF

echo "results $RAW_CSV"
echo "summary $SUMMARY"
echo "timing  $TIMING_JSON ($TAG: $(grep '^seconds_solve = ' "$SUMMARY" | cut -d' ' -f3) s)"

# 5. optional: the unmodified entry point, on a copy whose mat/ is the converted data
if [[ "${CHECK_PIPELINE:-0}" == 1 ]]; then
  ROOT=$WORK_DIR/octroot
  rm -rf "$ROOT" && mkdir -p "$ROOT"
  cp -a "$TW_DIR/+tariffwar" "$TW_DIR/support" "$ROOT"/
  ln -s "$DATA_DIR" "$ROOT/mat"
  PCSV=$WORK_DIR/pipeline_${TAG}.csv
  "$OCTAVE" --no-window-system --eval "
    addpath('$SHIM_DIR'); addpath('$ROOT'); rand('state', 0);
    tariffwar.pipeline.run('$DATASET', $YEAR, 'IS', 'Display', 'off', 'output_file', '$PCSV');
  " 2>&1 | grep -v 'ignoring const execution_exception' || true
  "$PYTHON" - "$PCSV" "$RAW_CSV" <<'EOF'
import csv, sys
pipe = {r["Country"]: float(r["Percent_Change"]) for r in csv.DictReader(open(sys.argv[1]))}
ours = {r["country"]: float(r["welfare_pct"]) for r in csv.DictReader(open(sys.argv[2]))}
diff = max(abs(pipe[c] - ours[c]) for c in ours)
print(f"pipeline.run vs driver: {len(pipe)} countries, max |welfare difference| = {diff:.2e} pp")
sys.exit(0 if set(pipe) == set(ours) and diff < 1e-4 else 1)
EOF
fi
