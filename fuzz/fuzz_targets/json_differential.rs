//! Fuzzes pkjwt's JSON parser and writer (src/json) against the reference it replaced:
//! `serde_json` with the duplicate-refusing visitor pkjwt used before (tests/support/
//! json_reference.rs, shared with tests/json_differential.rs). For every input both must accept or
//! refuse alike, and what pkjwt writes must be what `serde_json` writes (or, for non-integer
//! numbers, which pkjwt writes back verbatim, read back as the same value) and read back in pkjwt
//! as the same value. Here serde_json runs with its `float_roundtrip` feature, which makes its
//! overflow decision next to `f64::MAX` exact, as pkjwt's is.

#![no_main]

#[path = "../../tests/support/json_reference.rs"]
mod json_reference;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| json_reference::check(data));
