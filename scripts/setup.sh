#!/usr/bin/env bash
# Installs what building and testing glassix-wasm need, skipping whatever is already present at
# the right version, so a warm machine pays nothing. Only the package registries are reachable:
# nothing here downloads a binary from anywhere else.
#   scripts/setup.sh            Rust wasm target, the pinned nightly, wasm-bindgen-cli, wasm-pack, npm packages
#   scripts/setup.sh --browser  also Debian's chromium and chromium-driver, firefox-esr, and
#                               webkit2gtk-driver with Xvfb (browser tests)
# Either way it installs Debian's redis-server when it is missing: the tests of
# glassix-wasm/redis (and the README's example of it) start their own on a free port.
# The ecosystem tests (tests/ecosystem/run.mjs, part of `npm test`) install their own pinned
# runtimes (node@18/20/22/24, deno, bun) and build tools (tests/ecosystem/package-lock.json) from
# the npm registry when they run, into a cache outside the clone; they need the browsers from here.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN=0.2.130   # must equal the wasm-bindgen crate version pinned in Cargo.toml
WASM_PACK=0.15.1

step() { printf '\n== setup: %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
# the pinned nightly (scripts/toolchain.mjs) with rust-src: the release wasm is built with
# -Zbuild-std and immediate-abort panics, which the size budget counts on
NIGHTLY=$(sed -n "s/^export const NIGHTLY = '\(.*\)';$/\1/p" scripts/toolchain.mjs)
if ! rustup toolchain list | grep -q "^$NIGHTLY"; then
  step "rustup toolchain install $NIGHTLY (rust-src, wasm target)"
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src --target wasm32-unknown-unknown
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN" ]; then
  step "cargo install wasm-bindgen-cli $WASM_BINDGEN (a few minutes)"
  # no --locked: its lock file names a crate version the registry mirror lacks
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN" --force
fi
if [ "$(wasm-pack --version 2>/dev/null)" != "wasm-pack $WASM_PACK" ]; then
  step "cargo install wasm-pack $WASM_PACK (a few minutes)"
  cargo install wasm-pack --version "$WASM_PACK" --force
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
fi
APT=()
if [ "${1:-}" = "--browser" ] && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  APT+=(chromium chromium-driver)
fi
command -v redis-server >/dev/null || APT+=(redis-server)
# the other two engines the browser pages are opened in (tests/helpers/engines.mjs): Firefox ESR,
# and WebKitGTK's MiniBrowser with its WebDriver, which needs an X display (Xvfb). Without
# their recommended packages (GStreamer, speech, spelling): the pages need none of them
LEAN=()
if [ "${1:-}" = "--browser" ]; then
  command -v firefox-esr >/dev/null || LEAN+=(firefox-esr)
  command -v WebKitWebDriver >/dev/null || LEAN+=(webkit2gtk-driver)
  command -v Xvfb >/dev/null || LEAN+=(xvfb)
fi
if [ ${#APT[@]} -gt 0 ] || [ ${#LEAN[@]} -gt 0 ]; then
  step "apt-get install ${APT[*]} ${LEAN[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  # the tests start redis-server themselves; the package's system service is not used
  [ ${#APT[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${APT[@]}" >/dev/null
  [ ${#LEAN[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${LEAN[@]}" >/dev/null
fi
exit 0
