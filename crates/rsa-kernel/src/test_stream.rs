//! Reproducible random limbs for the unit tests: a xorshift64* stream, no dependency.

use alloc::vec::Vec;

/// A xorshift64* stream seeded with a non-zero value.
pub(crate) struct Stream(pub(crate) u64);

impl Stream {
    /// The next 32 random bits.
    pub(crate) fn next(&mut self) -> u32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as u32
    }

    /// `len` random limbs.
    pub(crate) fn limbs(&mut self, len: usize) -> Vec<u32> {
        (0..len).map(|_| self.next()).collect()
    }

    /// A random number below `2^bits` in `limbs` limbs.
    pub(crate) fn below_power(&mut self, bits: usize, limbs: usize) -> Vec<u32> {
        (0..limbs)
            .map(|i| {
                let word = self.next();
                match bits.saturating_sub(32 * i) {
                    0 => 0,
                    b if b < 32 => word & ((1 << b) - 1),
                    _ => word,
                }
            })
            .collect()
    }

    /// A random odd modulus of exactly `bits` bits in `limbs` limbs.
    pub(crate) fn modulus(&mut self, bits: usize, limbs: usize) -> Vec<u32> {
        let mut n = self.below_power(bits, limbs);
        if let Some(low) = n.first_mut() {
            *low |= 1;
        }
        if let Some(top) = n.get_mut((bits - 1) / 32) {
            *top |= 1 << ((bits - 1) % 32);
        }
        n
    }
}
