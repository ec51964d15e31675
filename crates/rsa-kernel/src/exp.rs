//! Modular exponentiation in a Montgomery domain: a constant-time fixed window for secret
//! exponents and plain square-and-multiply for a public 32-bit exponent. Generic over the
//! multiplication (32-bit limbs, or the simd128 one on 29- or 28-bit limbs), monomorphised in this crate.

use crate::limbs;
use crate::mont::Mont;
use alloc::vec;
use zeroize::Zeroizing;

/// Bits per window of the constant-time exponentiation.
const WINDOW: usize = 5;
/// Entries of its table.
const TABLE: usize = 1 << WINDOW;

/// A Montgomery multiplication with its own limb representation.
pub(crate) trait MontMul {
    /// Scratch space one multiplication needs.
    type Scratch;
    /// Limbs of one element.
    fn width(&self) -> usize;
    /// The Montgomery form of 1.
    fn one(&self) -> &[u32];
    /// Fresh scratch space.
    fn scratch(&self) -> Self::Scratch;
    /// `out = a·b·R⁻¹` (`out` distinct from the inputs).
    fn mul(&self, out: &mut [u32], a: &[u32], b: &[u32], scratch: &mut Self::Scratch);
    /// A table of precomputed powers in the form that [`MontMul::select`] reads.
    type Table;
    /// `entries` (each of [`MontMul::width`] limbs) as a table.
    fn table(&self, entries: &[u32]) -> Self::Table;
    /// `out` = entry `index` of `table`, reading every entry whole and keeping the wanted one
    /// with arithmetic masks: no branch or memory address depends on `index`.
    fn select(&self, out: &mut [u32], table: &mut Self::Table, index: u32);
}

impl MontMul for Mont {
    type Scratch = Zeroizing<alloc::vec::Vec<u32>>;

    fn width(&self) -> usize {
        self.limbs()
    }

    fn one(&self) -> &[u32] {
        &self.one
    }

    fn scratch(&self) -> Self::Scratch {
        Zeroizing::new(vec![0u32; self.scratch_len()])
    }

    fn mul(&self, out: &mut [u32], a: &[u32], b: &[u32], scratch: &mut Self::Scratch) {
        Mont::mul(self, out, a, b, scratch);
    }

    type Table = Zeroizing<alloc::vec::Vec<u32>>;

    fn table(&self, entries: &[u32]) -> Self::Table {
        Zeroizing::new(entries.to_vec())
    }

    fn select(&self, out: &mut [u32], table: &mut Self::Table, index: u32) {
        out.fill(0);
        for (i, candidate) in table.chunks_exact(out.len()).enumerate() {
            let hit = limbs::mask(((i as u32) ^ index).wrapping_sub(1) >> 31);
            for (e, &c) in out.iter_mut().zip(candidate) {
                *e |= c & hit;
            }
        }
    }
}

/// `base^exp` for `base` in Montgomery form, result in Montgomery form.
///
/// Every bit of `exp` is processed, all `exp.len()·32` of them whatever their values, and each
/// table entry is read for every window: the running time and the memory addresses touched depend
/// only on the limb counts.
pub(crate) fn pow_ct(mont: &Mont, out: &mut [u32], base: &[u32], exp: &[u32]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if let Some(simd) = &mont.simd {
        return simd.pow(mont, out, base, |m, o, b| pow_window(m, o, b, exp));
    }
    pow_window(mont, out, base, exp);
}

/// The fixed-window exponentiation on any [`MontMul`].
///
/// Kept out of [`pow_ct`]: V8 compiles a hot function again with its optimising tier in the
/// background, and Node waits for those compilations before a process exits. Inlined, the
/// loop made all of `pow_ct` (both paths and the conversions, 5.3 KB of wasm) such a
/// compilation in every cold RS256 signature; on its own it is half that. Cold start to the
/// first RS256 assertion 6–16 ms shorter in seven of eight interleaved comparisons of 21–31
/// runs each (the eighth read 4 ms longer); warm signing unchanged (issue 7).
#[inline(never)]
pub(crate) fn pow_window<M: MontMul>(mont: &M, out: &mut [u32], base: &[u32], exp: &[u32]) {
    let l = mont.width();
    let mut s = mont.scratch();
    let mut table = Zeroizing::new(vec![0u32; TABLE * l]);
    table[..l].copy_from_slice(mont.one());
    table[l..2 * l].copy_from_slice(&base[..l]);
    for i in 2..TABLE {
        let (done, next) = table.split_at_mut(i * l);
        mont.mul(&mut next[..l], &done[(i - 1) * l..], &base[..l], &mut s);
    }
    let mut acc = Zeroizing::new(mont.one().to_vec());
    let mut tmp = Zeroizing::new(vec![0u32; l]);
    let mut entry = Zeroizing::new(vec![0u32; l]);
    let mut table = mont.table(&table);
    let bits = exp.len() * 32;
    for window in (0..bits.div_ceil(WINDOW)).rev() {
        for _ in 0..WINDOW {
            mont.mul(&mut tmp, &acc, &acc, &mut s);
            core::mem::swap(&mut acc, &mut tmp);
        }
        mont.select(&mut entry, &mut table, window_bits(exp, window * WINDOW));
        mont.mul(&mut tmp, &acc, &entry, &mut s);
        core::mem::swap(&mut acc, &mut tmp);
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

/// `x^e mod n` for a public exponent `e ≥ 1` and `x < n`, plain limbs in and out.
pub(crate) fn pow_public_plain(mont: &Mont, out: &mut [u32], x: &[u32], e: u32) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if let Some(simd) = &mont.simd {
        return simd.pow_plain(mont, out, x, |m, o, b| square_and_multiply(m, o, b, e));
    }
    let l = mont.limbs();
    let mut xm = Zeroizing::new(vec![0u32; l]);
    let mut ym = Zeroizing::new(vec![0u32; l]);
    mont.enter(&mut xm, x);
    square_and_multiply(mont, &mut ym, &xm, e);
    mont.leave(out, &ym);
}

/// `base^e` for a public exponent `e ≥ 1`, `base` and result in Montgomery form; the sequence of
/// operations depends on `e` only.
pub(crate) fn pow_public(mont: &Mont, out: &mut [u32], base: &[u32], e: u32) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    if let Some(simd) = &mont.simd {
        return simd.pow(mont, out, base, |m, o, b| square_and_multiply(m, o, b, e));
    }
    square_and_multiply(mont, out, base, e);
}

/// Left-to-right square-and-multiply on any [`MontMul`].
pub(crate) fn square_and_multiply<M: MontMul>(mont: &M, out: &mut [u32], base: &[u32], e: u32) {
    let l = mont.width();
    let mut s = mont.scratch();
    let mut acc = Zeroizing::new(base[..l].to_vec());
    let mut tmp = Zeroizing::new(vec![0u32; l]);
    let top = 31 - e.leading_zeros();
    for bit in (0..top).rev() {
        mont.mul(&mut tmp, &acc, &acc, &mut s);
        core::mem::swap(&mut acc, &mut tmp);
        if (e >> bit) & 1 == 1 {
            mont.mul(&mut tmp, &acc, &base[..l], &mut s);
            core::mem::swap(&mut acc, &mut tmp);
        }
    }
    out[..l].copy_from_slice(&acc);
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::{MontMul, TABLE};
    use crate::mont::Mont;
    use crate::test_stream::Stream;
    use alloc::vec;

    #[test]
    fn select_returns_each_entry_whole() {
        let mut stream = Stream(0x7A3B_1C2D_9E8F_4051);
        for limbs in [1usize, 2, 3, 32, 33, 64] {
            let mont = Mont::new(stream.modulus(32 * limbs, limbs)).expect("odd modulus");
            let entries = stream.limbs(TABLE * limbs);
            let mut table = mont.table(&entries);
            let mut out = vec![0u32; limbs];
            for index in 0..TABLE {
                mont.select(&mut out, &mut table, index as u32);
                assert_eq!(
                    out,
                    entries[index * limbs..(index + 1) * limbs],
                    "{limbs} limbs, entry {index}"
                );
            }
        }
    }
}
