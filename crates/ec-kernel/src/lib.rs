//! ECDSA P-256 / P-384 and Ed25519 signing and verification for pkjwt.
//!
//! Every entry point is non-generic, so the generic curve code of the RustCrypto crates is
//! monomorphised here and a profile override can compile it at its own opt-level (pkjwt keeps
//! "s": opt-level 3 did not earn its bytes). ECDSA signing stays in the audited crates (RFC 6979
//! deterministic ECDSA, constant time); Ed25519 signing is RFC 8032 over curve25519-dalek's
//! constant-time types with a run-time basepoint table (no secret-dependent branch or index).
//! Otherwise only verification, which handles no secret, uses this
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
mod wnaf;
