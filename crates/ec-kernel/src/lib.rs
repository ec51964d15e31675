//! ECDSA P-256 / P-384 and Ed25519 signing and verification for pkjwt.
//!
//! Every entry point is non-generic, so the generic curve code of the RustCrypto crates is
//! monomorphised here and a profile override can compile it at its own opt-level (pkjwt keeps
//! "s": opt-level 3 did not earn its bytes). ES384 signing stays in the audited crates (RFC 6979
//! deterministic ECDSA, constant time); ES256 signing takes its nonce, scalar arithmetic and
//! checks from them too, and computes R = k·G with this crate's own constant-time P-256 field and
//! fixed-base table (`p256_field`, `p256_base`); Ed25519 signing is RFC 8032 over
//! curve25519-dalek's constant-time types with a run-time basepoint table (no secret-dependent
//! branch or index). Otherwise only verification, which handles no secret, uses this
//! crate's own variable-time code: for ECDSA, Jacobian a = −3 formulas over the crates' field
//! types, affine tables of odd multiples for the generator (built once per process) and for each
//! key (built once per key) and an inversion-free final check; for Ed25519, the same multi-base
//! structure over curve25519-dalek's public point type.

#![forbid(unsafe_code)]

pub mod ecdsa_p256;
pub mod ecdsa_p384;
mod ecdsa_verify;
pub mod ed25519;
mod ed25519_base;
mod jacobian;
mod p256_base;
mod p256_field;
mod wnaf;

/// The x-coordinate (big-endian) of k·G on P-256 for the big-endian scalar `k`, computed the way
/// ES256 signing computes R; for the timing-class benchmark (crates/rsa-timing-probe) only.
#[cfg(feature = "timing-probe")]
pub fn p256_base_x(k: &[u8; 32]) -> Option<[u8; 32]> {
    p256_base::table().map(|table| table.mul_x(k))
}
