//! What RSA keys pkjwt accepts: 2048 to 8192 bits (RFC 7518 §3.3 sets the floor; the ceiling
//! bounds the CPU an attacker-chosen key can cost), and an odd public exponent from 3 to 2^32 − 1.

use crate::error::{Error, Result};

/// The smallest modulus accepted, per RFC 7518 §3.3.
pub const MIN_BITS: usize = 2048;
/// The largest modulus accepted.
pub const MAX_BITS: usize = 8192;

/// The bit length of the big-endian modulus `n`.
pub fn modulus_bits(n: &[u8]) -> usize {
    let n = super::without_leading_zeros(n);
    n.first().map_or(0, |&top| n.len() * 8 - top.leading_zeros() as usize)
}

/// Checks the modulus size and public exponent (both big-endian) of a key about to be accepted;
/// returns the exponent.
pub fn check(n: &[u8], e: &[u8]) -> Result<u32> {
    let bits = modulus_bits(n);
    if !(MIN_BITS..=MAX_BITS).contains(&bits) {
        return Err(Error::key(format!(
            "RSA modulus of {bits} bits is outside {MIN_BITS}..={MAX_BITS}"
        )));
    }
    let significant = super::without_leading_zeros(e);
    let exponent = if significant.len() <= 4 {
        significant.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
    } else {
        u64::MAX
    };
    match u32::try_from(exponent) {
        Ok(e) if e >= 3 && e % 2 == 1 => Ok(e),
        _ => Err(Error::key("RSA public exponent must be odd and between 3 and 2^32 - 1")),
    }
}
