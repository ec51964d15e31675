//! Modular exponentiation in the Montgomery domain: a constant-time fixed window for secret
//! exponents and plain square-and-multiply for a public 32-bit exponent.

use crate::limbs;
use crate::mont::Mont;
use alloc::vec;
use zeroize::Zeroizing;

/// Bits per window of the constant-time exponentiation.
const WINDOW: usize = 5;
/// Entries of its table.
const TABLE: usize = 1 << WINDOW;

/// `base^exp` for `base` in Montgomery form, result in Montgomery form.
///
/// Every bit of `exp` is processed, all `exp.len()·32` of them whatever their values, and each
/// table entry is read for every window: the running time and the memory addresses touched depend
/// only on the limb counts.
pub(crate) fn pow_ct(mont: &Mont, out: &mut [u32], base: &[u32], exp: &[u32]) {
    let l = mont.limbs();
    let mut t = Zeroizing::new(vec![0u32; mont.scratch_len()]);
    let mut table = Zeroizing::new(vec![0u32; TABLE * l]);
    table[..l].copy_from_slice(&mont.one);
    table[l..2 * l].copy_from_slice(&base[..l]);
    for i in 2..TABLE {
        let (done, next) = table.split_at_mut(i * l);
        mont.mul(&mut next[..l], &done[(i - 1) * l..], &base[..l], &mut t);
    }
    let mut acc = Zeroizing::new(mont.one.to_vec());
    let mut entry = Zeroizing::new(vec![0u32; l]);
    let bits = exp.len() * 32;
    for window in (0..bits.div_ceil(WINDOW)).rev() {
        for _ in 0..WINDOW {
            mont.square_assign(&mut acc, &mut t);
        }
        let index = window_bits(exp, window * WINDOW);
        entry.fill(0);
        for (i, candidate) in table.chunks_exact(l).enumerate() {
            let hit = limbs::mask(((i as u32) ^ index).wrapping_sub(1) >> 31);
            for (e, &c) in entry.iter_mut().zip(candidate) {
                *e |= c & hit;
            }
        }
        mont.mul_assign(&mut acc, &entry, &mut t);
    }
    out[..l].copy_from_slice(&acc);
}

/// The `WINDOW` bits of `exp` starting at bit `position` (positions are public).
fn window_bits(exp: &[u32], position: usize) -> u32 {
    let limb = position / 32;
    let shift = position % 32;
    let low = exp.get(limb).map_or(0, |&l| l >> shift);
    let high = if shift + WINDOW > 32 {
        exp.get(limb + 1).map_or(0, |&l| l << (32 - shift))
    } else {
        0
    };
    (low | high) & (TABLE as u32 - 1)
}

/// `base^e` for a public exponent `e ≥ 1`, `base` and result in Montgomery form; the sequence of
/// operations depends on `e` only.
pub(crate) fn pow_public(mont: &Mont, out: &mut [u32], base: &[u32], e: u32) {
    let l = mont.limbs();
    let mut t = Zeroizing::new(vec![0u32; mont.scratch_len()]);
    out[..l].copy_from_slice(&base[..l]);
    let top = 31 - e.leading_zeros();
    for bit in (0..top).rev() {
        mont.square_assign(&mut out[..l], &mut t);
        if (e >> bit) & 1 == 1 {
            mont.mul_assign(&mut out[..l], &base[..l], &mut t);
        }
    }
}
