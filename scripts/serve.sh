#!/usr/bin/env bash
# Builds and serves BSA Studio on http://127.0.0.1:8080 (installing whatever is missing first),
# with the provider simulator on http://127.0.0.1:8788 so a whole evaluation runs with no key.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/bootstrap.sh
bootstrap

cargo build --release -p bsa-sim --quiet
./target/release/bsa-sim --port 8788 &
SIM_PID=$!
trap 'kill $SIM_PID 2>/dev/null || true' EXIT INT TERM
echo "provider simulator (simulated replies, no real model): http://127.0.0.1:8788" >&2
trunk serve --release --offline --address 127.0.0.1 --port 8080
