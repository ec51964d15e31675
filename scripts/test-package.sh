#!/usr/bin/env bash
# Checks the npm package in pkg/ as it would be published, failing on any problem:
#   1. pkg/node.js equals a fresh bundle of pkg/node-entry.js and its imports (not stale), and the
#      tarball holds exactly the expected files (tests/package/tarball.mjs);
#   2. publint --strict is clean;
#   3. arethetypeswrong passes under the esm-only profile;
#   4. the typings compile valid uses and reject misuses (tests/types/), the ErrorCode union
#      matches the codes pkjwt produces (tests/package/error-codes.mjs), and the runtime exports
#      match the typings (tests/package/exports.mjs);
#   5. the .wasm is within its size budget (tests/package/size-budget.json), and keeps the RSA
#      kernel's simd128 extended multiplies (tests/package/wasm-simd.mjs).
# Assumes pkg/wasm is built (bash scripts/build-wasm.sh). Packs into a temporary directory,
# never into pkg/, so it can run while other jobs pack or build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n--> %s\n' "$*"; }

if [ ! -f pkg/wasm/pkjwt_bg.wasm ] || [ ! -f pkg/wasm/pkjwt.js ] || [ ! -f pkg/node.js ]; then
  echo "test-package: pkg/wasm is not built; run: bash scripts/build-wasm.sh" >&2
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pkjwt-package.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

step "node.js: the Node entry as packed is the bundle of its current sources"
bash scripts/bundle-node-entry.sh "$tmp/node.js"
if ! cmp -s pkg/node.js "$tmp/node.js"; then
  echo "test-package: pkg/node.js is stale (a source changed since the last build); run: bash scripts/build-wasm.sh" >&2
  exit 1
fi

step "tarball: npm pack ./pkg has exactly the package's files"
if ! npm pack ./pkg --pack-destination "$tmp" --json >"$tmp/pack.json" 2>"$tmp/pack.log"; then
  cat "$tmp/pack.log" >&2
  exit 1
fi
tarball="$tmp/$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].filename)' "$tmp/pack.json")"
node tests/package/tarball.mjs "$tmp/pack.json" "$tarball"

step "publint --strict (on the tarball)"
# --strict turns warnings into errors (exit 1); suggestions are printed but do not fail. The one
# suggestion today is to declare "sideEffects": false, which would be wrong for pkjwt: every
# loader instantiates the wasm at import and api.js patches Key.prototype, so a bundler must not
# drop those modules. The default (side effects assumed) is correct.
npx --no-install publint run "$tarball" --strict

step "arethetypeswrong (on the tarball, profile esm-only)"
# Profile esm-only: pkjwt ships no CommonJS build on purpose ("type": "module", engines
# node >= 20.19). The profile skips the node10 and node16-from-CJS resolutions. node16-from-CJS
# would report CJSResolvesToESM ("require resolved to ESM, use a dynamic import"), which is a
# design choice, not a defect: on Node >= 20.19 require(esm) loads node.js (it has no top-level
# await; tests/package/exports.mjs asserts require('pkjwt') works), and TypeScript >= 5.8 allows
# it under module nodenext, while attw's bundled TypeScript (5.6) predates require(esm). The
# node16 profile would therefore fail by design; esm-only still checks node16-from-ESM and bundler.
# --exclude-entrypoints ./wasm: "pkjwt/wasm" exports the raw .wasm asset (for tools that need
# its path); it has no JavaScript or typings to analyse, so attw would report NoResolution.
# attw resolves only the "types"/"import"/"require"/"node" conditions: the deno, workerd,
# edge-light and browser targets are never analysed by it (all resolve through "types", which
# comes first); the tarball check above proves their files ship.
npx --no-install attw "$tarball" --profile esm-only --exclude-entrypoints ./wasm --no-color

step "types: tests/types compiles (bundler and nodenext resolution)"
npx --no-install tsc -p tests/types
npx --no-install tsc -p tests/types/tsconfig.nodenext.json
echo "types: tests/types/api.test-d.ts compiles under bundler and nodenext resolution"

step "types: ErrorCode matches the codes the core and api.js produce"
node tests/package/error-codes.mjs

step "exports: the runtime package matches index.d.ts; require(esm) works"
node tests/package/exports.mjs

step "simd: the RSA kernel's i64x2.extmul survived the build"
node tests/package/wasm-simd.mjs

step "size: the .wasm within its budget"
node tests/package/size.mjs

printf '\ntest-package: all package checks passed\n'
