#!/usr/bin/env bash
# Runs the decode_verify fuzz target (fuzz/) for a given number of seconds (default 60).
#
#   scripts/fuzz.sh [SECONDS] [extra libFuzzer flags...]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo-fuzz wants nightly flags; on a stable
# toolchain RUSTC_BOOTSTRAP=1 lets them through (AddressSanitizer included). Set FUZZ_SANITIZER=none
# if a sanitizer build fails. One job: the machine is shared.
#
# The corpus grows in fuzz/corpus/decode_verify (gitignored), starting from the committed seeds in
# fuzz/seeds/decode_verify; a crash is written to fuzz/artifacts/decode_verify/ and makes this
# script exit non-zero. Replay one with:
#   RUSTC_BOOTSTRAP=1 cargo fuzz run decode_verify fuzz/artifacts/decode_verify/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
sanitizer="${FUZZ_SANITIZER:-address}"
corpus=fuzz/corpus/decode_verify
seeds=fuzz/seeds/decode_verify
log="${FUZZ_LOG:-fuzz/artifacts/decode_verify.log}"
mkdir -p "$corpus" "$(dirname "$log")"

start=$(date +%s)
status=0
RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer "$sanitizer" decode_verify "$corpus" "$seeds" -- \
    -max_total_time="$seconds" -max_len=20000 -timeout=5 -rss_limit_mb=2048 \
    -dict=fuzz/decode_verify.dict -print_final_stats=1 "$@" 2>&1 | tee "$log" || status=$?
end=$(date +%s)

echo "---- fuzz summary ----"
echo "wall time: $((end - start)) s (including the build), max_total_time=${seconds} s, sanitizer=${sanitizer}"
grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" || true
grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n1 || true
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" || true
echo "corpus: $(find "$corpus" -type f | wc -l) files in $corpus"
if [ "$status" -ne 0 ]; then
    echo "fuzzing FAILED (exit $status): see $log and fuzz/artifacts/decode_verify/" >&2
fi
exit "$status"
