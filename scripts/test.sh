#!/usr/bin/env bash
# Runs every test of BSA Studio, installing whatever is missing first:
#   1. native tests of the whole workspace (cargo test --workspace);
#   2. the wasm-bindgen-test suite in headless Chromium (tests/web/);
#   3. the end-to-end suite: playwright-core driving Debian's Chromium against the release build
#      served on 127.0.0.1 and the provider simulator (tests/e2e/).
# Test artifacts (screenshots, logs) land in test-artifacts/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/bootstrap.sh
bootstrap --test

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "native tests (cargo test --workspace)"
cargo test --workspace --quiet
# The run-file reader as the web app builds it (without the `json-paths` feature).
cargo test -p bsa-core --no-default-features --test run_file --quiet

step "the app shell (no \`full\` feature) builds without a warning"
# The tests build the full app; this keeps code that only the full app uses out of the shell.
cargo rustc --quiet --target wasm32-unknown-unknown -p bsa-studio --no-default-features --lib -- -D warnings

step "browser tests (wasm-bindgen-test in headless Chromium)"
cargo test --target wasm32-unknown-unknown -p bsa-studio

step "end-to-end tests (playwright-core + Chromium, release build, provider simulator)"
bash scripts/e2e.sh
