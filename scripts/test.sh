#!/usr/bin/env bash
# The whole test suite, as `npm test` and CI run it. Set-up first (idempotent), then each layer:
# the Rust core natively, the wasm boundary in Node and Chromium, the npm package by name
# (Node tests, peers' interop), the same suite on every runtime, and the packaging checks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }

step "setup"
bash scripts/setup.sh

step "rust: format, lints, tests (unit, vectors, Wycheproof, attack catalogue, policy, JWE, FTN, the RSA and EC kernels against RustCrypto, doc)"
cargo fmt --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy --workspace --target wasm32-unknown-unknown --quiet -- -D warnings
cargo test --workspace --quiet

step "wasm: build the package's module"
bash scripts/build-wasm.sh

step "wasm: the JS boundary under wasm-bindgen-test (Node, headless Chromium)"
bash scripts/test-wasm.sh

step "js: the package by name on Node, interop with jose, node:crypto and oidc-provider"
node --test --test-concurrency=1 tests/js/

step "verifier: ClientAssertionVerifier with remote JWKS, a real redis-server, several processes"
node --test --test-concurrency=1 tests/verifier/

step "ftn: the FTN-style oidc-provider with jose as the client, then the whole FTN flow driven by pkjwt (examples/ftn.mjs)"
node --test --test-concurrency=1 tests/ftn/

step "cli: the pkjwt executable as a subprocess (keygen → jwks → sign → verify, token against oidc-provider)"
node --test --test-concurrency=1 tests/cli/

step "js: the same suite on Node, Deno, Bun, workerd, edge-runtime and Chromium"
bash scripts/test-runtimes.sh

step "playground: the page as npm start serves it, in headless Chromium (Playwright)"
node --test --test-concurrency=1 tests/playground/

step "package: tarball contents, publint, arethetypeswrong, types, size budget"
bash scripts/test-package.sh
