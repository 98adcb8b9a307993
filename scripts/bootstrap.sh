#!/usr/bin/env bash
# Installs what building and testing BSA Studio needs, and nothing that is already there.
# Sourced by scripts/serve.sh and scripts/test.sh; safe to run any number of times.
#
#   bash scripts/bootstrap.sh          # build tools: wasm32 target, trunk, wasm-bindgen-cli, npm packages
#   bash scripts/bootstrap.sh --test   # the same, plus Debian's chromium and chromium-driver
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"

say() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*" >&2; }

# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock, to the patch version.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_rust_tools() {
  export PATH="$HOME/.cargo/bin:$PATH"
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (takes about 8 minutes once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  [ -f "$ROOT/Cargo.lock" ] || (cd "$ROOT" && cargo generate-lockfile)
  local want; want="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (matches Cargo.lock)"
    # Not --locked: that fails to resolve for this version.
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

ensure_npm_packages() {
  if [ ! -x "$ROOT/node_modules/.bin/wasm-opt" ] || [ ! -d "$ROOT/node_modules/playwright-core" ] \
     || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    say "installing npm packages (binaryen for wasm-opt, playwright-core)"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
  fi
  # Debian's binaryen is too old for current Rust output: the npm one goes first.
  export PATH="$ROOT/node_modules/.bin:$PATH"
}

ensure_browser() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Debian's chromium and chromium-driver"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver
  fi
  export CHROMEDRIVER=/usr/bin/chromedriver
}

bootstrap() {
  ensure_rust_tools
  ensure_npm_packages
  if [ "${1:-}" = "--test" ]; then ensure_browser; fi
}

# Run directly: install; sourced: only define the functions.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  bootstrap "$@"
fi
