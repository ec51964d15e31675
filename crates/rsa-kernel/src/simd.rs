//! Montgomery multiplication with wasm simd128: 28-bit limbs in 64-bit lanes, two products per
//! `i64x2.extmul` (a·b in one lane, m·n in the other), carries delayed to the end of each
//! column, and no final subtraction (R > 4n keeps every value below 2n).
//!
//! LLVM turns an extended multiply by a splatted operand back into `i64x2.mul`, which V8
//! expands into a long scalar-like sequence; [`core::hint::black_box`] on the multiplier vector
//! keeps the `extmul` instructions (checked on the built module by tests/package/wasm-simd.mjs).

use crate::exp::MontMul;
use crate::limbs;
use crate::mont::Mont;
use alloc::vec;
use alloc::vec::Vec;
use core::arch::wasm32::{
    i64x2_add, u32x4, u64x2_extmul_high_u32x4, u64x2_extmul_low_u32x4, u64x2_extract_lane, u64x2_splat, v128,
};
use zeroize::Zeroizing;

const BITS: usize = 28;
const MASK: u32 = (1 << BITS) - 1;
/// Lanes hold sums of at most this many 56-bit products without overflow.
const MAX_LIMBS: usize = 255;

/// A radix-2^28 Montgomery context for one modulus, R = 2^(28·limbs) > 4n.
#[derive(Clone)]
pub(crate) struct SimdMont {
    n: Zeroizing<Vec<u32>>,
    n0: u32,
    one: Zeroizing<Vec<u32>>,
    rr: Zeroizing<Vec<u32>>,
}

/// Scratch of one multiplication: the interleaved `(b_j, n_j)` pairs and the column sums.
pub(crate) struct Scratch {
    pairs: Vec<v128>,
    columns: Vec<v128>,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        self.pairs.fill(u64x2_splat(0));
        self.columns.fill(u64x2_splat(0));
        core::hint::black_box((&self.pairs, &self.columns));
    }
}

/// `x` (32-bit limbs) as `len` 28-bit limbs.
fn to_radix28(x: &[u32], len: usize) -> Zeroizing<Vec<u32>> {
    let mut out = Zeroizing::new(vec![0u32; len]);
    for (k, limb) in out.iter_mut().enumerate() {
        let (word, shift) = ((k * BITS) / 32, (k * BITS) % 32);
        let low = x.get(word).map_or(0, |&w| w >> shift);
        let high = if shift > 32 - BITS {
            x.get(word + 1).map_or(0, |&w| w << (32 - shift))
        } else {
            0
        };
        *limb = (low | high) & MASK;
    }
    out
}

/// `y` (28-bit limbs) as `len` 32-bit limbs; bits beyond are dropped (they are zero here).
fn from_radix28(y: &[u32], len: usize) -> Zeroizing<Vec<u32>> {
    let mut out = Zeroizing::new(vec![0u32; len]);
    for (k, &limb) in y.iter().enumerate() {
        let (word, shift) = ((k * BITS) / 32, (k * BITS) % 32);
        if let Some(w) = out.get_mut(word) {
            *w |= limb << shift;
        }
        if shift > 32 - BITS {
            if let Some(w) = out.get_mut(word + 1) {
                *w |= limb >> (32 - shift);
            }
        }
    }
    out
}

impl SimdMont {
    /// The radix-2^28 context for the modulus of `mont`, or `None` when it has too many limbs.
    pub(crate) fn new(mont: &Mont) -> Option<SimdMont> {
        let len = (32 * mont.limbs() + 2).div_ceil(BITS);
        if len > MAX_LIMBS {
            return None;
        }
        let powers = mont.powers_of_two(&[BITS * len, 2 * BITS * len]);
        let [one, rr] = powers.as_slice() else {
            return None;
        };
        Some(SimdMont {
            n: to_radix28(&mont.n, len),
            n0: mont.n0 & MASK,
            one: to_radix28(one, len),
            rr: to_radix28(rr, len),
        })
    }

    /// Runs `f` on `base` (a scalar Montgomery form of `mont`) moved into this context, and
    /// moves its result back: `out` is the scalar Montgomery form of `f`'s result.
    pub(crate) fn pow(
        &self,
        mont: &Mont,
        out: &mut [u32],
        base: &[u32],
        f: impl FnOnce(&SimdMont, &mut [u32], &[u32]),
    ) {
        let mut plain = Zeroizing::new(vec![0u32; mont.limbs()]);
        mont.leave(&mut plain, base);
        let mut result = Zeroizing::new(vec![0u32; mont.limbs()]);
        self.pow_plain(mont, &mut result, &plain, f);
        mont.enter(out, &result);
    }

    /// Runs `f` on `x < n` (plain 32-bit limbs) moved into this context; `out` is `f`'s result
    /// as plain 32-bit limbs below n.
    pub(crate) fn pow_plain(
        &self,
        mont: &Mont,
        out: &mut [u32],
        x: &[u32],
        f: impl FnOnce(&SimdMont, &mut [u32], &[u32]),
    ) {
        let (l, len) = (mont.limbs(), self.n.len());
        let mut s = self.scratch();
        let wide = to_radix28(x, len);
        let mut entered = Zeroizing::new(vec![0u32; len]);
        self.mul(&mut entered, &wide, &self.rr, &mut s);
        let mut raised = Zeroizing::new(vec![0u32; len]);
        f(self, &mut raised, &entered);
        let mut unit = vec![0u32; len];
        unit[0] = 1;
        self.mul(&mut entered, &raised, &unit, &mut s);
        let result = from_radix28(&entered, l);
        let borrow = limbs::sub_into(&mut out[..l], &result, &mont.n);
        let keep = limbs::mask(borrow);
        let reduced = Zeroizing::new(out[..l].to_vec());
        limbs::select(&mut out[..l], &result, &reduced, keep);
    }
}

impl MontMul for SimdMont {
    type Scratch = Scratch;

    fn width(&self) -> usize {
        self.n.len()
    }

    fn one(&self) -> &[u32] {
        &self.one
    }

    fn scratch(&self) -> Scratch {
        let len = self.n.len();
        Scratch {
            pairs: vec![u64x2_splat(0); len.div_ceil(2)],
            columns: vec![u64x2_splat(0); 2 * len + 2],
        }
    }

    fn mul(&self, out: &mut [u32], a: &[u32], b: &[u32], s: &mut Scratch) {
        let len = self.n.len();
        let (a, b, out, n) = (&a[..len], &b[..len], &mut out[..len], &self.n[..len]);
        for (k, pair) in s.pairs.iter_mut().enumerate() {
            let j = 2 * k;
            let second = |v: &[u32]| v.get(j + 1).copied().unwrap_or(0);
            *pair = u32x4(b[j], n[j], second(b), second(n));
        }
        let columns = &mut s.columns[..2 * len + 2];
        columns.fill(u64x2_splat(0));
        let lanes = |v: v128| u128::from(u64x2_extract_lane::<0>(v)) + u128::from(u64x2_extract_lane::<1>(v));
        let mut carry = 0u128;
        for (i, &ai) in a.iter().enumerate() {
            let column = columns[i];
            let low = (u64x2_extract_lane::<0>(column) as u32)
                .wrapping_add(u64x2_extract_lane::<1>(column) as u32)
                .wrapping_add(carry as u32)
                .wrapping_add(ai.wrapping_mul(b[0]));
            let mi = low.wrapping_mul(self.n0) & MASK;
            let multiplier = u32x4(ai, mi, ai, mi);
            let window = &mut columns[i..i + 2 * s.pairs.len()];
            for (pair, cols) in s.pairs.iter().zip(window.chunks_exact_mut(2)) {
                let multiplier = core::hint::black_box(multiplier);
                cols[0] = i64x2_add(cols[0], u64x2_extmul_low_u32x4(*pair, multiplier));
                cols[1] = i64x2_add(cols[1], u64x2_extmul_high_u32x4(*pair, multiplier));
            }
            carry = (lanes(columns[i]) + carry) >> BITS;
        }
        for (k, limb) in out.iter_mut().enumerate() {
            let v = lanes(columns[len + k]) + carry;
            *limb = (v as u32) & MASK;
            carry = v >> BITS;
        }
    }
}
