#!/usr/bin/env bash
# Run the authors' own MATLAB code of Ignatenko, Lashkaripour, Macedoni & Simonovska (2025)
# (main_baseline.m, main_regional.m, main_deficit.m)
# under GNU Octave and write every country's result of every one-sector scenario to
# tests/reference/ilms2025_octave.csv (the peer numbers tests/analysis/test_ilms2025.py checks
# tradewar's ILMS configuration against).
#
# Usage: scripts/ilms2025_peer.sh [--write-reference] GIT_DIR [OUT_CSV]
#   GIT_DIR: a clone (or bare mirror) of github.com/JoeLoera/liberation-day-replication.
#   Writes OUT_CSV (default: ${TMPDIR:-/tmp}/ilms2025_octave.csv); only with --write-reference
#   does it replace the committed tests/reference/ilms2025_octave.csv.
# Needs: octave (apt-get install -y octave); python with pandas (default: the repo .venv, or $PYTHON).
#
# Nothing of theirs is copied into this repository: the script reads their
# code/analysis/main_baseline.m, main_regional.m and main_deficit.m from GIT_DIR, splits each script from its
# local functions (Octave wants functions in their own files), replaces the MATLAB functions
# Octave lacks (readtable/table2array, by a CSV reader; optimoptions, by optimset) and drops the
# parts that need data not in validation/ilms2025 (multi-sector model, ITPD-S) or only print
# LaTeX. The model functions (Balanced_Trade_EQ, solveNu, eqFun) run unmodified.
set -euo pipefail
WRITE_REFERENCE=0
if [ "${1:-}" = "--write-reference" ]; then WRITE_REFERENCE=1; shift; fi
GIT_DIR=${1:?usage: scripts/ilms2025_peer.sh [--write-reference] GIT_DIR [OUT_CSV]}
HERE=$(cd "$(dirname "$0")/.." && pwd)
if [ "$WRITE_REFERENCE" = 1 ]; then
  OUT=$HERE/tests/reference/ilms2025_octave.csv
else
  OUT=${2:-${TMPDIR:-/tmp}/ilms2025_octave.csv}
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/data/base_data" "$WORK/code/analysis" "$WORK/output"
show() { git --git-dir="$GIT_DIR" show "HEAD:$1"; }
for f in trade_cepii gdp tariffs; do show "data/base_data/$f.csv" > "$WORK/data/base_data/$f.csv"; done
COMMIT=$(git --git-dir="$GIT_DIR" rev-parse HEAD)
cd "$WORK/code/analysis"
# readtable(...) + table2array(...) -> numeric matrix without the header row; NaN for empty cells.
cat > readtable.m <<'M'
function A = readtable(path)
  A = dlmread(path, ',', 1, 0);
  raw = fileread(path); lines = strsplit(strtrim(raw), "\n"); n = numel(lines) - 1;
  m = numel(strsplit(lines{1}, ','));
  if size(A, 1) < n || size(A, 2) < m, A(n, m) = 0; end
end
M
printf 'function A = table2array(A)\nend\n' > table2array.m
# optimoptions('fsolve', ...) is in Octave's optim package only; optimset takes the same pairs.
printf 'function o = optimoptions(solver, varargin)\n  o = optimset(varargin{:});\nend\n' > optimoptions.m
split() {  # $1 = their script, $2 = name of the driver to write
  show "code/analysis/$1" > "full_$1"
  # local functions -> own files
  awk -v dir="$PWD" '
    /^function / { name=$0; sub(/^function[^=]*= */, "", name); sub(/\(.*/, "", name); out=dir "/" name ".m" }
    out { print > out }
  ' "full_$1"
  awk '/^function /{exit} {print}' "full_$1" > "$2"
}
split main_baseline.m baseline_driver.m
# drop the output section (country labels table, LaTeX tables, multi-sector model)
sed -i '/^%------------- save results/,$d' baseline_driver.m
cat >> baseline_driver.m <<'M'
for k = 1:9
  dlmwrite(sprintf('../../output/baseline_case%d.csv', k), results(:,:,k), 'precision', '%.12g');
end
dlmwrite('../../output/baseline_d_trade.csv', d_trade, 'precision', '%.12g');
dlmwrite('../../output/baseline_d_employment.csv', d_employment, 'precision', '%.12g');
M
rm -f Balanced_Trade_EQ.m
split main_baseline.m baseline_driver_unused.m
mv Balanced_Trade_EQ.m Balanced_Trade_EQ_baseline.m
sed -i 's/^function \[ceq, results, d_trade\] = Balanced_Trade_EQ(/function [ceq, results, d_trade] = Balanced_Trade_EQ_baseline(/' Balanced_Trade_EQ_baseline.m
sed -i 's/Balanced_Trade_EQ(/Balanced_Trade_EQ_baseline(/g' baseline_driver.m
split main_regional.m regional_driver.m
mv Balanced_Trade_EQ.m Balanced_Trade_EQ_regional.m
sed -i 's/^function \[ceq, results\] = Balanced_Trade_EQ(/function [ceq, results] = Balanced_Trade_EQ_regional(/' Balanced_Trade_EQ_regional.m
sed -i 's/Balanced_Trade_EQ(/Balanced_Trade_EQ_regional(/g' regional_driver.m
awk '/country_labels|fileID *= *fopen/{exit} {print}' regional_driver.m > r.m && mv r.m regional_driver.m
cat >> regional_driver.m <<'M'
for k = 1:3
  dlmwrite(sprintf('../../output/regional_case%d.csv', k), results(:,:,k), 'precision', '%.12g');
end
M
split main_deficit.m deficit_driver.m
mv Balanced_Trade_EQ.m Balanced_Trade_EQ_deficit.m
sed -i 's/^function \[ceq, results\] = Balanced_Trade_EQ(/function [ceq, results] = Balanced_Trade_EQ_deficit(/' Balanced_Trade_EQ_deficit.m
sed -i 's/Balanced_Trade_EQ(/Balanced_Trade_EQ_deficit(/g' deficit_driver.m
awk '/country_labels|fileID *= *fopen/{exit} {print}' deficit_driver.m > r.m && mv r.m deficit_driver.m
cat >> deficit_driver.m <<'M'
for k = 1:4
  dlmwrite(sprintf('../../output/deficit_case%d.csv', k), results(:,:,k), 'precision', '%.12g');
end
M
for driver in baseline_driver regional_driver deficit_driver; do
  octave --no-gui --quiet --eval "page_screen_output(false); warning('off','all'); $driver" \
    > "$WORK/$driver.log" 2>&1 || { tail -n 30 "$WORK/$driver.log"; exit 1; }
done
OCTAVE_VERSION=$(octave --version | head -1)
"${PYTHON:-$HERE/.venv/bin/python}" - "$WORK/output" "$GIT_DIR" "$OUT" "$COMMIT" "$OCTAVE_VERSION" <<'PY'
import io, subprocess, sys
import pandas as pd
out, git_dir, dest, commit, version = sys.argv[1:]
labels = pd.read_csv(io.StringIO(subprocess.run(["git", f"--git-dir={git_dir}", "show", "HEAD:data/base_data/country_labels.csv"], capture_output=True, text=True, check=True).stdout))
cols = ["welfare", "deficit", "exports_gdp", "imports_gdp", "employment", "prices", "revenue_share"]
# results(:,:,k) of main_baseline.m: 1 USTR, 2 partial pass-through, 3 Eaton-Kortum, 4 optimal,
# 5 USTR + optimal retaliation, 6 USTR + reciprocal, 7 optimal + optimal retaliation,
# 8 lump-sum rebate, 9 epsilon = 8; main_regional.m: 1 EU & China, 2 China, 3 China 108 %;
# main_deficit.m (Table 10): 1-4 fixed transfers / balanced trade, before / after retaliation
# (the balanced cases are their temp_b - temp_a).
cases = {("baseline", 1): "liberation", ("baseline", 2): "passthrough", ("baseline", 3): "eaton_kortum",
         ("baseline", 4): "optimal", ("baseline", 5): "optimal_retaliation", ("baseline", 6): "reciprocal",
         ("baseline", 7): "optimal_both", ("baseline", 8): "lump_sum", ("baseline", 9): "epsilon8",
         ("regional", 1): "war_eu_china", ("regional", 2): "war_china", ("regional", 3): "war_china_108",
         ("deficit", 1): "deficit_fixed_pre", ("deficit", 2): "deficit_balanced_pre",
         ("deficit", 3): "deficit_fixed_post", ("deficit", 4): "deficit_balanced_post"}
frames = []
for (script, k), name in cases.items():
    f = pd.read_csv(f"{out}/{script}_case{k}.csv", header=None, names=cols)
    f.insert(0, "iso3", labels["iso3"])
    f.insert(0, "case", name)
    frames.append(f)
table = pd.concat(frames, ignore_index=True)
with open(dest, "w") as handle:
    handle.write(f"# ILMS (2025) authors' code (github.com/JoeLoera/liberation-day-replication @ {commit}, "
                 f"code/analysis/main_baseline.m, main_regional.m and main_deficit.m) run under {version} by scripts/ilms2025_peer.sh.\n"
                 "# Percent changes; revenue_share = tariff revenue / baseline expenditure (fraction). "
                 "regional cases: exports/imports are levels, not ratios to GDP (their main_regional.m).\n")
    table.to_csv(handle, index=False, float_format="%.10g")
print(f"wrote {dest}: {len(table)} rows")
PY
