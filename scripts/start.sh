#!/usr/bin/env bash
# The main job: set up, build the package, run the short end-to-end demo in the terminal, then
# serve the playground (www/) and the local demo authorization server on 127.0.0.1 until Ctrl-C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash scripts/build-wasm.sh
node examples/demo.mjs
echo
echo "Open the playground in a browser (PORT=… to change the port; Ctrl-C stops it):"
exec node scripts/serve.mjs
