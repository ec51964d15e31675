#!/usr/bin/env bash
# The same JS suite (tests/runtimes/suite.mjs) on Node, Deno, Bun, workerd (miniflare),
# edge-runtime and headless Chromium (/usr/bin/chromium via playwright-core), each against the
# packed tarball npm-installed into a throwaway consumer project and imported by name. Assumes
# pkg/wasm is built (scripts/test.sh runs scripts/build-wasm.sh first) and Chromium is installed
# (scripts/setup.sh); a missing Chromium is a failure, not a skip.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ! -f pkg/wasm/pkjwt_bg.wasm || ! -f pkg/wasm/pkjwt.js ]]; then
  echo "test-runtimes: pkg/wasm is not built; run: bash scripts/build-wasm.sh" >&2
  exit 1
fi

node tests/runtimes/run.mjs
