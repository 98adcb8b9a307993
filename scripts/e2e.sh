#!/usr/bin/env bash
# Builds the release app and the provider simulator, then runs the end-to-end suite.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/bootstrap.sh
bootstrap --test
mkdir -p test-artifacts
# A build of its own for this run (not dist/), so that two runs in one checkout, or a
# `trunk serve` meanwhile, do not replace each other's files.
BSA_E2E_DIST="$ROOT/target/e2e-dist/$$"
export BSA_E2E_DIST
trap 'rm -rf "$BSA_E2E_DIST"' EXIT
trunk build --release --offline --dist "$BSA_E2E_DIST"
cargo build --release -p bsa-cli -p bsa-sim --quiet
node tests/e2e/run.mjs "$@"
