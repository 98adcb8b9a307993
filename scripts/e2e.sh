#!/usr/bin/env bash
# Builds the release app and the provider simulator, then runs the end-to-end suite.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/bootstrap.sh
bootstrap --test
mkdir -p test-artifacts
trunk build --release --offline
cargo build --release -p bsa-cli -p bsa-sim --quiet
node tests/e2e/run.mjs "$@"
