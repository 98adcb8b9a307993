#!/usr/bin/env bash
# Benchmarks of the Run page's engine (see scripts/bench/run_engine.mjs): builds the release app
# and the provider simulator, then runs the benchmark and prints a JSON report.
#
#   scripts/bench/run_engine.sh [--runs N] [--skip-memory]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source scripts/bootstrap.sh
bootstrap --test
trunk build --release --offline
cargo build --release -p bsa-sim --quiet
node scripts/bench/run_engine.mjs "$@"
