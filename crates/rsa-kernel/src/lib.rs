//! Constant-time RSA arithmetic for pkjwt: Montgomery multiplication on 32-bit limbs, a
//! fixed-window exponentiation for secret exponents, the CRT private operation with a reused
//! blinding pair, a fault check, and the public operation with per-key Montgomery parameters.
//!
//! Padding, key formats and random numbers are the caller's job; this crate only does modular
//! arithmetic on big-endian byte strings. In private-key code no branch and no memory address
//! depends on a secret value: loops run over limb counts fixed by the key's size, conditional
//! subtractions and table reads are selected with arithmetic masks.

#![no_std]

extern crate alloc;

mod exp;
mod limbs;
mod mont;
mod private;
mod public;

pub use private::{Blinding, PrivateKey};
pub use public::PublicKey;

/// The largest modulus handled, in 32-bit limbs (8192 bits).
pub const MAX_LIMBS: usize = 256;

/// Why an operation was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// The key's numbers are inconsistent or out of range.
    InvalidKey,
    /// The input has the wrong length or is not below the modulus.
    InvalidInput,
    /// The private operation's result failed the `s^e = m` check and was withheld.
    Fault,
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Error::InvalidKey => "invalid RSA key",
            Error::InvalidInput => "RSA input out of range",
            Error::Fault => "RSA private operation failed its consistency check",
        })
    }
}
