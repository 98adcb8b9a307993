#!/usr/bin/env bash
# Builds the web app for profiling into target/profile-dist: the release profile of the real
# build, but without wasm-opt, so the wasm keeps its function names for Chromium's profiler
# (scripts/bench/profile.mjs). Code generation is the same as the shipped build's up to
# wasm-opt's passes, so the profile shows where the shipped build spends its time too.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
WWW=target/profile-www
mkdir -p "$WWW"
cp www/styles.css www/favicon.svg "$WWW/"
# The page's own index.html, one level deeper (so the manifest path gains a ../) and with
# wasm-opt off.
sed -e 's#href="../Cargo.toml"#href="../../Cargo.toml"#' -e 's#data-wasm-opt="[^"]*"#data-wasm-opt="0"#' \
  www/index.html > "$WWW/index.html"
trunk build --release --offline --dist target/profile-dist "$WWW/index.html"
