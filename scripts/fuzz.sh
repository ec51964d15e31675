#!/usr/bin/env bash
# Runs a fuzz target (fuzz/) for a given number of seconds (default 60).
#
#   scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]
#   FUZZ_TARGET=decrypt_open scripts/fuzz.sh 300
#
# Targets: decode_verify (default: JWS decoding, client-assertion verification, key import),
# decrypt_open (JWE decryption, request-object / ID-token / userinfo / signed-JWKS verification)
# and json_differential (pkjwt's JSON parser and writer against serde_json, the reference it
# replaced: same decisions, same output).
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo-fuzz wants nightly flags; on a stable
# toolchain RUSTC_BOOTSTRAP=1 lets them through (AddressSanitizer included). Set FUZZ_SANITIZER=none
# if a sanitizer build fails. One job: the machine is shared.
#
# The corpus grows in fuzz/corpus/TARGET (gitignored), starting from the committed seeds in
# fuzz/seeds/TARGET; a crash is written to fuzz/artifacts/TARGET/ and makes this script exit
# non-zero. Replay one with:
#   RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET fuzz/artifacts/TARGET/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
sanitizer="${FUZZ_SANITIZER:-address}"
target="${FUZZ_TARGET:-decode_verify}"
corpus=fuzz/corpus/$target
seeds=fuzz/seeds/$target
log="${FUZZ_LOG:-fuzz/artifacts/$target.log}"
dict=()
if [ -f "fuzz/$target.dict" ]; then
    dict=(-dict="fuzz/$target.dict")
fi
mkdir -p "$corpus" "$(dirname "$log")"

start=$(date +%s)
status=0
RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer "$sanitizer" "$target" "$corpus" "$seeds" -- \
    -max_total_time="$seconds" -max_len=20000 -timeout=5 -rss_limit_mb=2048 \
    "${dict[@]}" -print_final_stats=1 "$@" 2>&1 | tee "$log" || status=$?
end=$(date +%s)

echo "---- fuzz summary ----"
echo "target: ${target}; wall time: $((end - start)) s (including the build), max_total_time=${seconds} s, sanitizer=${sanitizer}"
grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" || true
grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n1 || true
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" || true
echo "corpus: $(find "$corpus" -type f | wc -l) files in $corpus"
if [ "$status" -ne 0 ]; then
    echo "fuzzing FAILED (exit $status): see $log and fuzz/artifacts/$target/" >&2
fi
exit "$status"
