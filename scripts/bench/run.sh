#!/usr/bin/env bash
# Benchmarks of `bsa score` and `bsa validate` (whole-process time, release build), and of the
# authors' pandas scoring script on the same input, for BENCHMARKS.md.
#
#   scripts/bench/run.sh [--runs N] [--warmup N]
#
# What it does:
#   1. builds `bsa` in release mode;
#   2. writes target/bench/judged-23x2000x5.csv: 23 models x 2,000 items x k = 5 = 230,000 rows,
#      with the real dataset's ids and scenarios (../shared/bsa/dataset.csv) and seeded random
#      verdicts (scripts/bench/make_judged.py);
#   3. creates a Python venv with pandas under target/bench/venv (once), and copies the authors'
#      Evaluation_Metric/evaluate.py out of the snapshot of their repository into a temporary
#      folder (never into the project: it is not ours to redistribute);
#   4. checks that `bsa score --mode official` and the authors' script agree on the file;
#   5. times, with hyperfine (--warmup 2 --runs 5 by default, no intermediate shell):
#      `bsa score --bootstrap 0` (the like-for-like comparison: the script computes no intervals),
#      `bsa score` (default: 1,000 bootstrap replicates per model), the authors' script, and
#      `bsa validate` on the real dataset;
#   6. prints the medians (read from hyperfine's JSON exports in target/bench/) and the machine.
#
# Environment: BSA_AUTHORS_REPO (bare git directory of OpenStellarTeam/BSA; default
# ../.mirror/OpenStellarTeam+BSA/repo next to the repository), BSA_DATASET (default
# ../shared/bsa/dataset.csv).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

RUNS=5
WARMUP=2
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--warmup N]" >&2; exit 2 ;;
  esac
done

AUTHORS_REPO="${BSA_AUTHORS_REPO:-$ROOT/../.mirror/OpenStellarTeam+BSA/repo}"
DATASET="${BSA_DATASET:-$ROOT/../shared/bsa/dataset.csv}"
OUT="$ROOT/target/bench"
JUDGED="$OUT/judged-23x2000x5.csv"
VENV="$OUT/venv"
mkdir -p "$OUT"

for tool in hyperfine python3 git; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 1; }
done
[[ -f "$DATASET" ]] || { echo "bench: no dataset at $DATASET (set BSA_DATASET)" >&2; exit 1; }

echo "== building bsa (release)" >&2
cargo build --release -p bsa-cli --quiet
BSA="$ROOT/target/release/bsa"

echo "== writing $JUDGED" >&2
python3 scripts/bench/make_judged.py "$JUDGED" --dataset "$DATASET" --models 23 --k 5 --seed 1

AUTHORS=""
if [[ -d "$AUTHORS_REPO" ]]; then
  if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c "import pandas" 2>/dev/null; then
    echo "== creating $VENV with pandas" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet pandas
  fi
  TMP="$(mktemp -d)"
  trap 'rm -rf "$TMP"' EXIT
  git -C "$AUTHORS_REPO" show HEAD:Evaluation_Metric/evaluate.py > "$TMP/evaluate.py"
  AUTHORS="$TMP/evaluate.py"

  echo "== checking that both score the file alike" >&2
  "$VENV/bin/python" "$AUTHORS" --input "$JUDGED" --k 5 --output "$TMP/authors.csv" >/dev/null
  "$BSA" score "$JUDGED" --mode official --k 5 --format csv --bootstrap 0 > "$TMP/bsa.csv"
  "$VENV/bin/python" - "$TMP/authors.csv" "$TMP/bsa.csv" <<'PY'
import csv, sys
theirs = {row["model"]: row for row in csv.DictReader(open(sys.argv[1]))}
ours = {row["model"]: row for row in csv.DictReader(open(sys.argv[2]))}
pairs = [("answer_at_1", "safe_at_1"), ("answer_at_k", "safe_at_k"), ("think_at_1", "think_at_1"),
         ("think_at_k", "think_at_k"), ("F-Score", "f_score"),
         ("Risk Omission_think_at_1", "ro_at_1"), ("Risk Omission_think_at_k", "ro_at_k"),
         ("Cognitive Shortcut_think_at_1", "cs_at_1"), ("Cognitive Shortcut_think_at_k", "cs_at_k"),
         ("Over Sensitivity_think_at_1", "os_at_1"), ("Over Sensitivity_think_at_k", "os_at_k")]
worst = max(abs(float(theirs[m][a]) - float(ours[m][b])) for m in theirs for a, b in pairs)
assert set(theirs) == set(ours) and worst <= 0.01, f"scores differ by {worst}"
print(f"   {len(theirs)} models x {len(pairs)} metrics agree (largest difference {worst:.4f})", file=sys.stderr)
PY
else
  echo "== no snapshot of the authors' repository at $AUTHORS_REPO: skipping their script" >&2
fi

echo "== timing (hyperfine --warmup $WARMUP --runs $RUNS)" >&2
time_it() { # name, command...
  local name="$1"; shift
  hyperfine --shell=none --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/$name.json" "$*" >&2
}
time_it score-no-bootstrap "$BSA" score "$JUDGED" --bootstrap 0
time_it score-default "$BSA" score "$JUDGED"
if [[ -n "$AUTHORS" ]]; then
  time_it authors-script "$VENV/bin/python" "$AUTHORS" --input "$JUDGED" --k 5
fi
if "$BSA" validate --help >/dev/null 2>&1; then
  time_it validate "$BSA" validate "$DATASET"
fi

echo "== results" >&2
python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
def median(name):
    path = os.path.join(out, name + ".json")
    if not os.path.exists(path):
        return None
    return json.load(open(path))["results"][0]["median"]
rows = [("score-no-bootstrap", "bsa score --bootstrap 0 (230,000 rows)"),
        ("score-default", "bsa score, 1,000 bootstrap replicates (230,000 rows)"),
        ("authors-script", "authors' evaluate.py (pandas, same file)"),
        ("validate", "bsa validate dataset.csv (2,000 items)")]
for name, label in rows:
    value = median(name)
    if value is not None:
        print(f"{label}: median {value * 1000:.1f} ms")
ours, theirs = median("score-no-bootstrap"), median("authors-script")
if ours and theirs:
    print(f"speed-up over the authors' script (like for like, no intervals): {theirs / ours:.0f}x")
PY
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.1f GiB RAM", $2 / 1048576}' /proc/meminfo)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); date: $(date -u +%Y-%m-%d)"
