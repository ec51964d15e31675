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

mod arith;
mod exp;
mod inverse;
mod limbs;
mod mont;
mod private;
mod public;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd;
#[cfg(test)]
mod test_stream;

pub use arith::{crt_coefficient, crt_exponent, is_strong_probable_prime, modulus, private_exponent, recover_primes};
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

#[cfg(feature = "timing-probe")]
pub use probe::TimingProbe;

#[cfg(feature = "timing-probe")]
mod probe {
    use crate::{Error, exp, inverse, limbs, mont::Mont};
    use alloc::vec;
    use alloc::vec::Vec;

    /// The constant-time exponentiation and inversion alone, for the timing-class benchmark
    /// (bench/rsa-timing.mjs): one odd modulus and one base, any exponent of the modulus' length.
    pub struct TimingProbe {
        mont: Mont,
        base: Vec<u32>,
    }

    impl TimingProbe {
        /// A probe for the big-endian odd `modulus` and a `base` below it.
        pub fn new(modulus: &[u8], base: &[u8]) -> Result<TimingProbe, Error> {
            let len = limbs::limbs_for_bytes(modulus.len());
            let mont = Mont::new(limbs::from_be(modulus, len).ok_or(Error::InvalidKey)?).ok_or(Error::InvalidKey)?;
            let plain = limbs::from_be(base, len).ok_or(Error::InvalidInput)?;
            let mut entered = vec![0u32; len];
            mont.enter(&mut entered, &plain);
            Ok(TimingProbe { mont, base: entered })
        }

        /// `base^exponent` (the exponent padded to the modulus' length, as for `dp` and `dq`);
        /// returns the low limb of the result so the work cannot be optimised away.
        pub fn pow(&self, exponent: &[u8]) -> Result<u32, Error> {
            let exponent = limbs::from_be(exponent, self.mont.limbs()).ok_or(Error::InvalidInput)?;
            let mut out = vec![0u32; self.mont.limbs()];
            exp::pow_ct(&self.mont, &mut out, &self.base, &exponent);
            Ok(out.first().copied().unwrap_or(0))
        }

        /// `x⁻¹` modulo the probe's modulus for a big-endian `x` below it (the constant-time
        /// inversion the blinding pair uses); returns the low limb of the result.
        pub fn invert(&self, x: &[u8]) -> Result<u32, Error> {
            let x = limbs::from_be(x, self.mont.limbs()).ok_or(Error::InvalidInput)?;
            Ok(inverse::invert(&self.mont.n, &x).first().copied().unwrap_or(0))
        }
    }
}
