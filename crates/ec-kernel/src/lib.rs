//! ECDSA P-256 / P-384 and Ed25519 signing and verification for pkjwt.
//!
//! Every entry point is non-generic, so the generic curve code of the RustCrypto crates is
//! monomorphised here and compiled at this crate's opt-level (3 in pkjwt's release profile) while
//! the rest of the module stays size-optimised. Signing stays in the audited crates (RFC 6979
//! deterministic ECDSA, constant time); only verification, which handles no secret, uses this
//! crate's own variable-time code: Jacobian a = −3 formulas over the crates' field types, affine
//! tables of odd multiples for the generator (built once per process) and for each key (built
//! once per key), and an inversion-free final check.

#![forbid(unsafe_code)]

pub mod ecdsa_p256;
pub mod ecdsa_p384;
mod ecdsa_verify;
pub mod ed25519;
mod jacobian;
mod wnaf;
