#!/usr/bin/env bash
# Builds the one .wasm every runtime loads, into pkg/wasm/, and readies pkg/ for packing.
# `cargo rustc --crate-type cdylib` instead of `wasm-pack build`: with both crate types of
# Cargo.toml (cdylib for this module, rlib for the tests) cargo silently drops `lto = true`
# (rust-lang/cargo#9672, #14612); the fat-LTO module is 92 KB raw / 23 KB gzip smaller.
# The LTO pass runs at this crate's opt-level "s" (inline threshold 75); 20 is 13.9 KB raw /
# 4.4 KB gzip smaller with no measurable change in sign/verify (5 and "z" made EdDSA and RSA slower).
# wasm-bindgen-cli (pinned to Cargo.lock by scripts/setup.sh) writes the glue; binaryen's
# wasm-opt from npm then inlines __multi3 (below) and shrinks the module (--converge: another
# 1.1 KB gzip). Skips the work
# when the sources are older than the build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

out=pkg/wasm/pkjwt_bg.wasm
if [ "${1:-}" != "--force" ] && [ -f "$out" ] && [ -z "$(find src crates Cargo.toml Cargo.lock .cargo -newer "$out" -print -quit)" ]; then
  echo "build-wasm: pkg/wasm is up to date"
else
  cargo rustc --quiet --release --target wasm32-unknown-unknown --lib --crate-type cdylib -- \
    -C llvm-args=-inline-threshold=20
  # Without `multivalue` in its target features wasm-bindgen returns results through a pointer
  # instead of multi-value exports, for which V8 compiles wrappers eagerly at module compile time
  # (scripts/wasm-drop-feature.mjs says more).
  node scripts/wasm-drop-feature.mjs target/wasm32-unknown-unknown/release/pkjwt.wasm target/wasm32-unknown-unknown/release/pkjwt-single-value.wasm multivalue
  wasm-bindgen --target web --out-dir pkg/wasm --out-name pkjwt target/wasm32-unknown-unknown/release/pkjwt-single-value.wasm
  # The raw typings are replaced by pkg/index.d.ts.
  rm -f pkg/wasm/.gitignore pkg/wasm/*.d.ts
  sed -i '1{/@ts-self-types/d}' pkg/wasm/pkjwt.js
  node scripts/glue-random-source.mjs pkg/wasm/pkjwt.js
  features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
    --enable-multivalue --enable-reference-types --enable-simd"
  # LLVM lowers every 64x64->128-bit product (P-256/P-384 field and scalar arithmetic) to a call of
  # compiler-rt's __multi3, which LTO never inlines. Inlining it, and nothing else, lets the zero
  # high halves fold away: ES256 signing ~1.1x, ES256 verification ~1.3x, ES384 ~1.2x, for
  # +3.6 KB gzip (measured interleaved for issue 7). Every other function is renamed f<index> so
  # that one --no-inline pattern exempts only __multi3; -Oz then strips the names.
  node scripts/wasm-rename-functions.mjs "$out" "$out.tmp" __multi3
  # shellcheck disable=SC2086
  npx --no-install wasm-opt -g --no-inline='f*' -aimfs 200 --inlining-optimizing $features "$out.tmp" -o "$out.tmp"
  if grep -q __multi3 "$out.tmp"; then
    echo "build-wasm: __multi3 was not inlined" >&2
    exit 1
  fi
  # shellcheck disable=SC2086
  npx --no-install wasm-opt -Oz --converge --strip-debug --strip-producers --strip-target-features $features \
    "$out.tmp" -o "$out"
  rm -f "$out.tmp"
fi
# The Node entry as one file, rebuilt every time so that it never lags behind its sources.
bash scripts/bundle-node-entry.sh
cp README.md LICENSE pkg/
raw=$(wc -c <"$out")
gz=$(gzip -9 -c "$out" | wc -c)
echo "build-wasm: $out $raw bytes, $gz gzip -9"
