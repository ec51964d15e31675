#!/usr/bin/env bash
# Idempotent dev/CI setup for pkjwt. Fast (seconds) when everything is present.
#   bash scripts/setup.sh            # wasm target, wasm-pack, wasm-bindgen-cli, chromium, redis-server, npm deps
#   bash scripts/setup.sh --fuzz     # ... plus cargo-fuzz (or PKJWT_SETUP_FUZZ=1)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

FUZZ=${PKJWT_SETUP_FUZZ:-0}
for arg in "$@"; do
  case "$arg" in
    --fuzz) FUZZ=1 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "setup: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

# cargo-installed binaries live here; make sure they are found even if PATH lacks it.
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in *":$CARGO_BIN:"*) ;; *) export PATH="$CARGO_BIN:$PATH" ;; esac

LOG=$(mktemp "${TMPDIR:-/tmp}/pkjwt-setup.XXXXXX.log")
trap 'rm -f "$LOG"' EXIT

say() { printf 'setup: %-18s %s\n' "$1" "$2"; }

# run STEP CMD...: run quietly into the log; on failure show the log tail and stop.
run() {
  local step=$1; shift
  local t0=$SECONDS
  if ! "$@" >"$LOG" 2>&1; then
    say "$step" "FAILED: $*" >&2
    tail -n 60 "$LOG" >&2
    exit 1
  fi
  echo $((SECONDS - t0))
}

# cargo_install STEP ARGS...: `cargo install --locked ARGS`; if the locked resolution
# cannot be satisfied from the registry here (e.g. a locked dependency version the
# index does not serve), retry once without --locked. Prints seconds taken.
cargo_install() {
  local step=$1; shift
  local t0=$SECONDS
  if ! cargo install --locked "$@" >"$LOG" 2>&1; then
    if ! grep -qE 'failed to select a version|no matching package' "$LOG" \
       || ! cargo install "$@" >"$LOG" 2>&1; then
      say "$step" "FAILED: cargo install $*" >&2
      tail -n 60 "$LOG" >&2
      exit 1
    fi
    echo "$((SECONDS - t0))s, without --locked"
    return
  fi
  echo "$((SECONDS - t0))s"
}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. wasm32 target
if rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
  say "wasm32 target" "ok (present)"
else
  s=$(run "wasm32 target" rustup target add wasm32-unknown-unknown)
  say "wasm32 target" "installed wasm32-unknown-unknown (${s}s)"
fi

# 2a. wasm-pack
if command -v wasm-pack >/dev/null 2>&1; then
  say "wasm-pack" "ok (present: $(wasm-pack --version 2>/dev/null | awk '{print $2}'))"
else
  s=$(cargo_install "wasm-pack" wasm-pack)
  say "wasm-pack" "installed $(wasm-pack --version | awk '{print $2}') (${s})"
fi

# 2b. wasm-bindgen-cli, pinned to the wasm-bindgen version in Cargo.lock (wasm-pack
#     cannot download it here and must find the exact version on PATH).
WB_VER=""
if [ -f Cargo.lock ]; then
  WB_VER=$(awk '
    /^\[\[package\]\]/ { name = "" }
    /^name = / { name = $3; gsub(/"/, "", name) }
    /^version = / && name == "wasm-bindgen" { v = $3; gsub(/"/, "", v); print v }
  ' Cargo.lock | sort -V | tail -n 1)
fi
if [ -z "$WB_VER" ]; then
  say "wasm-bindgen-cli" "ok (skipped: no wasm-bindgen in Cargo.lock)"
else
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" = "$WB_VER" ]; then
    say "wasm-bindgen-cli" "ok (present: $WB_VER)"
  else
    s=$(cargo_install "wasm-bindgen-cli" wasm-bindgen-cli --version "$WB_VER" --force)
    say "wasm-bindgen-cli" "installed $WB_VER${have:+ (was $have)} (${s})"
  fi
fi

# 3. cargo-fuzz (opt-in)
if [ "$FUZZ" = "1" ]; then
  if command -v cargo-fuzz >/dev/null 2>&1; then
    say "cargo-fuzz" "ok (present: $(cargo-fuzz --version 2>/dev/null | awk '{print $2}'))"
  else
    s=$(cargo_install "cargo-fuzz" cargo-fuzz)
    say "cargo-fuzz" "installed $(cargo-fuzz --version | awk '{print $2}') (${s})"
  fi
else
  say "cargo-fuzz" "skipped (use --fuzz or PKJWT_SETUP_FUZZ=1)"
fi

# 4. Chromium + chromedriver (Debian packages)
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  say "chromium" "ok (present)"
else
  s=$(run "chromium" as_root env DEBIAN_FRONTEND=noninteractive bash -c \
        'apt-get update && apt-get install -y chromium chromium-driver')
  say "chromium" "installed $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), chromedriver $(/usr/bin/chromedriver --version 2>/dev/null | awk '{print $2}') (${s}s)"
fi

# 5. redis-server (Debian package): tests/verifier start their own on a free loopback port to test
#    the Redis replay store across processes; no service is enabled or started here.
if command -v redis-server >/dev/null 2>&1; then
  say "redis-server" "ok (present: $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p'))"
else
  s=$(run "redis-server" as_root env DEBIAN_FRONTEND=noninteractive bash -c \
        'apt-get update && apt-get install -y --no-install-recommends redis-server')
  say "redis-server" "installed $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') (${s}s)"
fi

# 6. npm dependencies
if [ -f package.json ]; then
  if [ ! -f package-lock.json ]; then
    s=$(run "npm deps" npm install --no-audit --no-fund)
    say "npm deps" "ran npm install (no package-lock.json) (${s}s)"
  elif [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] \
       || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    # One retry from an empty node_modules: a registry hiccup (a corrupted tarball) or a
    # half-written node_modules otherwise fails the whole run.
    if ! s=$(run "npm deps" npm ci --no-audit --no-fund 2>/dev/null); then
      rm -rf node_modules
      s=$(run "npm deps" npm ci --no-audit --no-fund)
    fi
    say "npm deps" "ran npm ci (${s}s)"
  else
    say "npm deps" "ok (present)"
  fi
else
  say "npm deps" "ok (skipped: no package.json)"
fi
