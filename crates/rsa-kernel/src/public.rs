//! The RSA public operation `s^e mod n`, with its Montgomery parameters computed once per key.

use crate::exp;
use crate::limbs;
use crate::mont::Mont;
use crate::{Error, MAX_LIMBS};
use alloc::vec;

/// An RSA public key ready for the public operation: `n`, `e`, `-n⁻¹ mod 2³²` and `R² mod n`.
///
/// The public operation is not constant time in `e` (public) and needs none otherwise.
#[derive(Clone)]
pub struct PublicKey {
    pub(crate) mont: Mont,
    pub(crate) e: u32,
    size: usize,
}

impl PublicKey {
    /// A key from the big-endian modulus (odd, at most 8192 bits) and an odd exponent ≥ 3.
    pub fn new(n: &[u8], e: u32) -> Result<PublicKey, Error> {
        let first = n.iter().position(|&b| b != 0).ok_or(Error::InvalidKey)?;
        let n = &n[first..];
        let limbs = limbs::limbs_for_bytes(n.len());
        if limbs > MAX_LIMBS || e < 3 || e.is_multiple_of(2) {
            return Err(Error::InvalidKey);
        }
        let mont = Mont::new(limbs::from_be(n, limbs).ok_or(Error::InvalidKey)?).ok_or(Error::InvalidKey)?;
        Ok(PublicKey { mont, e, size: n.len() })
    }

    /// The modulus length in bytes: the length of every input and output.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The modulus length in bits.
    pub fn bits(&self) -> usize {
        limbs::bit_length_vartime(&self.mont.n)
    }

    /// `out = input^e mod n` for a big-endian `input < n` of [`PublicKey::size`] bytes.
    pub fn apply(&self, input: &[u8], out: &mut [u8]) -> Result<(), Error> {
        let l = self.mont.limbs();
        if input.len() != self.size || out.len() != self.size {
            return Err(Error::InvalidInput);
        }
        let x = limbs::from_be(input, l).ok_or(Error::InvalidInput)?;
        if limbs::lt_ct(&x, &self.mont.n) == 0 {
            return Err(Error::InvalidInput);
        }
        let mut y = vec![0u32; l];
        self.pow_e(&mut y, &x);
        limbs::write_be(&y, out);
        Ok(())
    }

    /// `out = x^e mod n` on limbs, for `x < n`.
    pub(crate) fn pow_e(&self, out: &mut [u32], x: &[u32]) {
        exp::pow_public_plain(&self.mont, out, x, self.e);
    }
}
