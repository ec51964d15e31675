#!/usr/bin/env bash
# Runs the wasm-bindgen tests of the JS boundary (tests/web.rs) in Node.js and in headless Chromium,
# and the RSA kernel's simd128 unit tests (crates/rsa-kernel/src/simd.rs, wasm32 only) in Node.js.
#
#   bash scripts/test-wasm.sh            # all three
#   bash scripts/test-wasm.sh --node     # Node.js only
#   bash scripts/test-wasm.sh --chrome   # headless Chromium only
#   bash scripts/test-wasm.sh --kernel   # the RSA kernel's simd128 unit tests only
#
# Environment:
#   CHROMEDRIVER=/path       chromedriver to use (default: /usr/bin/chromedriver, else the one on PATH)
#
# Why --release: the #[wasm_bindgen] exports live in the pkjwt rlib and nothing in the test crate
# references their object file, so a debug test binary does not contain them at all; the release
# profile's fat LTO keeps them. It is also the faster choice end to end: the suite signs and
# verifies a few thousand times (RSA included, plus one RSA key generation), which an
# unoptimised build does orders of magnitude slower, while the extra compile time is paid once
# and shared by both runs — the same test binary serves Node.js and the browser.
#
# One binary, two runtimes: tests/web.rs has no wasm_bindgen_test_configure!, so the runner uses
# Node.js by default, and WASM_BINDGEN_USE_BROWSER=1 sends the same binary to the browser.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in *":$CARGO_BIN:"*) ;; *) export PATH="$CARGO_BIN:$PATH" ;; esac

RUN_NODE=1
RUN_CHROME=1
RUN_KERNEL=1
for arg in "$@"; do
  case "$arg" in
    --node) RUN_CHROME=0; RUN_KERNEL=0 ;;
    --chrome) RUN_NODE=0; RUN_KERNEL=0 ;;
    --kernel) RUN_NODE=0; RUN_CHROME=0 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "test-wasm: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

for tool in wasm-pack wasm-bindgen-test-runner node; do
  command -v "$tool" >/dev/null || { echo "test-wasm: $tool not found (run scripts/setup.sh)" >&2; exit 1; }
done

# The test runner must match the wasm-bindgen the crate is locked to.
locked=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
runner=$(wasm-bindgen-test-runner --version | awk '{ print $2 }')
if [[ -n "$locked" && "$locked" != "$runner" ]]; then
  echo "test-wasm: wasm-bindgen-test-runner is $runner but Cargo.lock has wasm-bindgen $locked" >&2
  exit 1
fi

# Per-test timeout (seconds): generous, RSA key generation is included.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
# Test the production glue, the one the package ships, not the debug glue's extra checks.
export WASM_BINDGEN_NO_DEBUG=1

ARGS=(--release)
TEST_ARGS=(-- --test web)

timed() {
  local label=$1; shift
  local t0=$SECONDS
  echo "test-wasm: $label: $*"
  "$@"
  echo "test-wasm: $label: passed in $((SECONDS - t0)) s"
}

if [[ $RUN_KERNEL == 1 ]]; then
  # A plain cargo test with the runner: the kernel crate has no wasm-bindgen exports to keep.
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    timed kernel cargo test --release --target wasm32-unknown-unknown -p pkjwt-rsa-kernel --lib
fi

if [[ $RUN_NODE == 1 ]]; then
  timed node wasm-pack test --node "${ARGS[@]}" "${TEST_ARGS[@]}"
fi

if [[ $RUN_CHROME == 1 ]]; then
  CHROMEDRIVER=${CHROMEDRIVER:-}
  if [[ -z "$CHROMEDRIVER" ]]; then
    if [[ -x /usr/bin/chromedriver ]]; then CHROMEDRIVER=/usr/bin/chromedriver; else CHROMEDRIVER=$(command -v chromedriver || true); fi
  fi
  [[ -n "$CHROMEDRIVER" && -x "$CHROMEDRIVER" ]] || {
    echo "test-wasm: chromedriver not found (apt-get install -y chromium chromium-driver)" >&2
    exit 1
  }
  # webdriver.json (crate root) holds Chromium's binary and flags: headless, no sandbox, …
  [[ -f webdriver.json ]] || { echo "test-wasm: webdriver.json missing from the crate root" >&2; exit 1; }
  WASM_BINDGEN_USE_BROWSER=1 timed chrome \
    wasm-pack test --headless --chrome --chromedriver "$CHROMEDRIVER" "${ARGS[@]}" "${TEST_ARGS[@]}"
fi
