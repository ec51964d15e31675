#!/usr/bin/env bash
# The main job: set up, build the package, run the end-to-end demo.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash scripts/build-wasm.sh
node examples/demo.mjs
