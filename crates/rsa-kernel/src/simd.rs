//! Montgomery multiplication with wasm simd128: 28-bit limbs, product scanning (two columns of
//! the double-width product per pass, summed in registers), two products per
//! `i64x2.extmul` (a·b in one lane, m·n in the other), carries delayed to the end of each
//! column, and no final subtraction (R > 4n keeps every value below 2n).
//!
//! Squaring has its own routine (same radix, invariants and column loop): a·a takes each
//! off-diagonal product once against a doubled copy of a, and both halves pack four limbs per
//! vector (`(a_i..a_i+3)·(2a_k-i..)` and `(m_j..m_j+3)·(n_k-j..)`), about 3/4 of the extmuls of a
//! multiplication.
//!
//! Both operands of every `extmul` are loaded vectors, never a splat: LLVM turns an extended
//! multiply by a splatted operand into `i64x2.mul`, which V8 expands into a long scalar-like
//! sequence (checked on the built module by tests/package/wasm-simd.mjs).

use crate::exp::MontMul;
use crate::limbs;
use crate::mont::Mont;
use alloc::vec;
use alloc::vec::Vec;
use core::arch::wasm32::{
    i64x2_add, u32x4, u32x4_replace_lane, u32x4_splat, u64x2_extmul_high_u32x4, u64x2_extmul_low_u32x4,
    u64x2_extract_lane, u64x2_splat, v128, v128_and, v128_andnot, v128_or,
};
use zeroize::Zeroizing;

const BITS: usize = 28;
const MASK: u32 = (1 << BITS) - 1;
/// Lanes hold sums of at most this many 56-bit products without overflow.
const MAX_LIMBS: usize = 255;
/// Zero `(b, n)` elements before the reversed multiplicand, so that every column reads whole pairs.
const PAD: usize = 2;
/// Limb `j` of a reversed sequence (see [`reversed_shifts`]) sits at position `len + 3 − j`.
const fn reversed_position(len: usize, j: usize) -> usize {
    len + 3 - j
}

/// Vectors per copy of [`reversed_shifts`].
const fn shift_width(len: usize) -> usize {
    (reversed_position(len, 0) + 1) / 4 + 2
}

/// Vectors of four limbs for `len` limbs, with the zero vectors a squaring's pass reads beyond.
const fn quads(len: usize) -> usize {
    len.div_ceil(4) + 2
}

/// `v` (`len` limbs) reversed (limb `j` at [`reversed_position`], zeros around it), as
/// four copies of vectors of four consecutive positions, copy `r` starting at position `r`:
/// vector `w` of copy `r` is `out[r·W + w]` (`W` = [`shift_width`]), so that any four
/// consecutive positions `p..p+3` with `p ≤ len + 4` are one vector. `flat` is scratch of
/// `4·W + 3` zeros outside the positions written.
fn reversed_shifts(out: &mut [v128], flat: &mut [u32], v: &[u32], scale: u32) {
    let len = v.len();
    for (j, &limb) in v.iter().enumerate() {
        flat[reversed_position(len, j)] = limb * scale;
    }
    let width = shift_width(len);
    for (r, copy) in out.chunks_exact_mut(width).enumerate() {
        for (vector, c) in copy.iter_mut().zip(flat[r..].chunks_exact(4)) {
            *vector = u32x4(c[0], c[1], c[2], c[3]);
        }
    }
}

/// A radix-2^28 Montgomery context for one modulus, R = 2^(28·limbs) > 4n.
#[derive(Clone)]
pub(crate) struct SimdMont {
    n: Zeroizing<Vec<u32>>,
    /// `n` reversed, for squarings ([`reversed_shifts`]).
    n_shifts: Vec<v128>,
    n0: u32,
    one: Zeroizing<Vec<u32>>,
    rr: Zeroizing<Vec<u32>>,
}

/// Scratch of one multiplication: `(a_j, m_j, a_j+1, m_j+1)` for even `j`, the multiplicand
/// interleaved with the modulus in reverse order, `(b_s, n_s, b_s-1, n_s-1)`, and that sequence
/// as vectors starting at even and at odd positions.
///
/// A squaring's: the limbs of `a` and `m` used so far four per vector, `2a` reversed
/// ([`reversed_shifts`]) and its flat form.
pub(crate) struct Scratch {
    am: Vec<v128>,
    reversed: Vec<u32>,
    even: Vec<v128>,
    odd: Vec<v128>,
    a_quads: Vec<v128>,
    m_quads: Vec<v128>,
    doubled: Vec<u32>,
    doubled_shifts: Vec<v128>,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        self.am.fill(u64x2_splat(0));
        self.reversed.fill(0);
        self.even.fill(u64x2_splat(0));
        self.odd.fill(u64x2_splat(0));
        self.a_quads.fill(u64x2_splat(0));
        self.m_quads.fill(u64x2_splat(0));
        self.doubled.fill(0);
        self.doubled_shifts.fill(u64x2_splat(0));
        core::hint::black_box((&self.am, &self.reversed, &self.even, &self.odd));
        core::hint::black_box((&self.a_quads, &self.m_quads, &self.doubled, &self.doubled_shifts));
    }
}

impl Drop for SimdMont {
    fn drop(&mut self) {
        self.n_shifts.fill(u64x2_splat(0));
        core::hint::black_box(&self.n_shifts);
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
    /// Its `R' = 2^(28·len)`: `R' mod n` by doublings, and `R'² mod n` as the scalar Montgomery
    /// product of `(R' mod n)²` and `R² mod n`, which is `R'²·R⁻¹·R²·R⁻¹ = R'²`.
    pub(crate) fn new(mont: &Mont) -> Option<SimdMont> {
        let len = (32 * mont.limbs() + 2).div_ceil(BITS);
        if len > MAX_LIMBS {
            return None;
        }
        let one = mont.power_of_two(BITS * len);
        let mut t = Zeroizing::new(vec![0u32; mont.scratch_len()]);
        let mut square = Zeroizing::new(vec![0u32; mont.limbs()]);
        mont.mul(&mut square, &one, &one, &mut t);
        let mut rr = Zeroizing::new(vec![0u32; mont.limbs()]);
        mont.mul(&mut rr, &square, &mont.rr, &mut t);
        let n = to_radix28(&mont.n, len);
        let mut n_shifts = vec![u64x2_splat(0); 4 * shift_width(len)];
        let mut flat = Zeroizing::new(vec![0u32; 4 * shift_width(len) + 3]);
        reversed_shifts(&mut n_shifts, &mut flat, &n, 1);
        Some(SimdMont {
            n,
            n_shifts,
            n0: mont.n0 & MASK,
            one: to_radix28(&one, len),
            rr: to_radix28(&rr, len),
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
        let vectors = (PAD + len + 2).div_ceil(2) + 1;
        Scratch {
            am: vec![u64x2_splat(0); len.div_ceil(2)],
            reversed: vec![0; 4 * vectors + 2],
            even: vec![u64x2_splat(0); vectors],
            odd: vec![u64x2_splat(0); vectors],
            a_quads: vec![u64x2_splat(0); quads(len)],
            m_quads: vec![u64x2_splat(0); quads(len)],
            doubled: vec![0; 4 * shift_width(len) + 3],
            doubled_shifts: vec![u64x2_splat(0); 4 * shift_width(len)],
        }
    }

    fn mul(&self, out: &mut [u32], a: &[u32], b: &[u32], s: &mut Scratch) {
        let len = self.n.len();
        let (a, b, out, n) = (&a[..len], &b[..len], &mut out[..len], &self.n[..len]);
        for (i, (&bi, &ni)) in b.iter().zip(n).enumerate() {
            let u = 2 * (PAD + len - 1 - i);
            s.reversed[u] = bi;
            s.reversed[u + 1] = ni;
        }
        let vector = |c: &[u32]| u32x4(c[0], c[1], c[2], c[3]);
        for (even, c) in s.even.iter_mut().zip(s.reversed.chunks_exact(4)) {
            *even = vector(c);
        }
        for (odd, c) in s.odd.iter_mut().zip(s.reversed[2..].chunks_exact(4)) {
            *odd = vector(c);
        }
        for (v, am) in s.am.iter_mut().enumerate() {
            *am = u32x4(a[2 * v], 0, a.get(2 * v + 1).copied().unwrap_or(0), 0);
        }
        let (mask, n_low, n_next) = (u64::from(MASK), u64::from(n[0]), u64::from(n[1]));
        let mut carry = 0u64;
        for k in (0..2 * len).step_by(2) {
            let low = k.saturating_sub(len - 1) & !1;
            let pairs = ((k + 1).min(len - 1) + 2 - low) / 2;
            let start = PAD + len - 1 + low - k;
            let (this, next) = if start.is_multiple_of(2) {
                (&s.even[start / 2..], &s.odd[start / 2 - 1..])
            } else {
                (&s.odd[start / 2..], &s.even[start / 2..])
            };
            let mut sum = u64x2_splat(0);
            let mut sum_next = u64x2_splat(0);
            for ((&x, &y), &z) in s.am[low / 2..low / 2 + pairs]
                .iter()
                .zip(&this[..pairs])
                .zip(&next[..pairs])
            {
                sum = i64x2_add(sum, u64x2_extmul_low_u32x4(x, y));
                sum = i64x2_add(sum, u64x2_extmul_high_u32x4(x, y));
                sum_next = i64x2_add(sum_next, u64x2_extmul_low_u32x4(x, z));
                sum_next = i64x2_add(sum_next, u64x2_extmul_high_u32x4(x, z));
            }
            let mut late = 0u64;
            for (column, sum) in [(k, sum), (k + 1, sum_next)] {
                let (ab, mn) = (u64x2_extract_lane::<0>(sum), u64x2_extract_lane::<1>(sum));
                let mut digit = (ab & mask) + (mn & mask) + (carry & mask) + (late & mask);
                let mut high = (ab >> BITS) + (mn >> BITS) + (carry >> BITS) + (late >> BITS);
                if column < len {
                    let mk = (digit as u32).wrapping_mul(self.n0) & MASK;
                    let product = u64::from(mk) * n_low;
                    digit += product & mask;
                    high += product >> BITS;
                    late = u64::from(mk) * n_next;
                    let slot = &mut s.am[column / 2];
                    *slot = if column.is_multiple_of(2) {
                        u32x4_replace_lane::<1>(*slot, mk)
                    } else {
                        u32x4_replace_lane::<3>(*slot, mk)
                    };
                } else {
                    out[column - len] = (digit as u32) & MASK;
                }
                carry = high + (digit >> BITS);
            }
        }
    }

    /// `out = a²·R⁻¹`: the columns of [`SimdMont::mul`], two per pass, with `a_i·a_j + a_j·a_i`
    /// (`i < j`) as the one product `a_i·2a_j`.
    ///
    /// A column `k` sums `a_i·2a_(k−i)` for `i < k − i` (each below `(2^28−1)(2^29−2)`) and
    /// `m_j·n_(k−j)` for `j < k` (each below `(2^28−1)²`) in one accumulator; lane 0 takes the
    /// even `i` and `j`, lane 1 the odd ones: at most `⌈len/4⌉` and `⌈len/2⌉` products, whose
    /// sum stays below 2^64 for every `len ≤ MAX_LIMBS = 255` (at `len = 255`, `k = 254`: 64
    /// and 128 products, 0.99999999·2^64, checked for every `len` and `k` when this was written).
    ///
    /// A pass over columns `k` (even) and `k + 1` reads `a_i` and `m_j` four at a time from
    /// `4·⌊(k − len + 1)/4⌋`; lanes below a column's terms meet zeros of the reversed operands.
    /// Above, the lanes of `a_i` for `i ≥ k/2` and of `m_j` for `j ≥ k` are still zero: each
    /// limb enters its vector once a pass has used it. The terms left out, `a_(k/2)²`,
    /// `a_(k/2)·2a_(k/2+1)` and `m_k·n_1`, are added in scalar code. Every index depends on `k`
    /// and `len` only.
    fn square(&self, out: &mut [u32], a: &[u32], s: &mut Scratch) {
        let len = self.n.len();
        let (a, out) = (&a[..len], &mut out[..len]);
        let width = shift_width(len);
        reversed_shifts(&mut s.doubled_shifts, &mut s.doubled, a, 2);
        s.a_quads.fill(u64x2_splat(0));
        s.m_quads.fill(u64x2_splat(0));
        let (mask, n_low, n_second) = (u64::from(MASK), u64::from(self.n[0]), u64::from(self.n[1]));
        let copy_at = |start: usize| width * (start % 4) + start / 4;
        let mut carry = 0u64;
        for k in (0..2 * len).step_by(2) {
            let (low, half) = (k.saturating_sub(len - 1) / 4, k / 2);
            let (split, last) = (low.max(half.div_ceil(4)), (k + 1).min(len - 1) / 4);
            let start = reversed_position(len, 0) + 4 * low - k;
            let (this, next) = (copy_at(start), copy_at(start - 1));
            let zero = u64x2_splat(0);
            let (mut aa, mut aa_next) = (zero, zero);
            let steps = (split - low).max((last - low + 2) / 2);
            for (((((&xa, &ya), &yb), xm), na), nb) in s.a_quads[low..low + steps]
                .iter()
                .zip(&s.doubled_shifts[this..this + steps])
                .zip(&s.doubled_shifts[next..next + steps])
                .zip(s.m_quads[low..low + 2 * steps].chunks_exact(2))
                .zip(self.n_shifts[this..this + 2 * steps].chunks_exact(2))
                .zip(self.n_shifts[next..next + 2 * steps].chunks_exact(2))
            {
                aa = i64x2_add(aa, u64x2_extmul_low_u32x4(xa, ya));
                aa = i64x2_add(aa, u64x2_extmul_high_u32x4(xa, ya));
                aa_next = i64x2_add(aa_next, u64x2_extmul_low_u32x4(xa, yb));
                aa_next = i64x2_add(aa_next, u64x2_extmul_high_u32x4(xa, yb));
                for (&xm, (&na, &nb)) in xm.iter().zip(na.iter().zip(nb)) {
                    aa = i64x2_add(aa, u64x2_extmul_low_u32x4(xm, na));
                    aa = i64x2_add(aa, u64x2_extmul_high_u32x4(xm, na));
                    aa_next = i64x2_add(aa_next, u64x2_extmul_low_u32x4(xm, nb));
                    aa_next = i64x2_add(aa_next, u64x2_extmul_high_u32x4(xm, nb));
                }
            }
            let middle = u64::from(a[half]);
            let above = a.get(half + 1).map_or(0, |&limb| 2 * u64::from(limb));
            let mut late = 0u64;
            let mut column = |column: usize, aa: v128, extra: u64| {
                let parts = [
                    u64x2_extract_lane::<0>(aa),
                    u64x2_extract_lane::<1>(aa),
                    extra,
                    carry,
                    late,
                ];
                let mut digit: u64 = parts.iter().map(|p| p & mask).sum();
                let mut high: u64 = parts.iter().map(|p| p >> BITS).sum();
                if column < len {
                    let mk = (digit as u32).wrapping_mul(self.n0) & MASK;
                    let product = u64::from(mk) * n_low;
                    digit += product & mask;
                    high += product >> BITS;
                    late = u64::from(mk) * n_second;
                    set_lane(&mut s.m_quads, column, mk);
                } else {
                    out[column - len] = (digit as u32) & MASK;
                }
                carry = high + (digit >> BITS);
            };
            column(k, aa, middle * middle);
            column(k + 1, aa_next, middle * above);
            set_lane(&mut s.a_quads, half, a[half]);
        }
    }
}

/// Lane `t` of a vector of four limbs, by `t`.
const LANES: [v128; 4] = [
    u32x4(u32::MAX, 0, 0, 0),
    u32x4(0, u32::MAX, 0, 0),
    u32x4(0, 0, u32::MAX, 0),
    u32x4(0, 0, 0, u32::MAX),
];

/// Sets element `i` of `quads` (four per vector) to `value`, without a branch on `i`.
fn set_lane(quads: &mut [v128], i: usize, value: u32) {
    let (slot, lane) = (&mut quads[i / 4], LANES[i % 4]);
    *slot = v128_or(v128_andnot(*slot, lane), v128_and(u32x4_splat(value), lane));
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::{SimdMont, from_radix28, to_radix28};
    use crate::exp::{MontMul, pow_window, square_and_multiply};
    use crate::mont::Mont;
    use crate::test_stream::Stream;
    use alloc::vec;
    use alloc::vec::Vec;
    use crypto_bigint::{BoxedUint, ConcatenatingMul, NonZero};
    use wasm_bindgen_test::wasm_bindgen_test;

    /// 32-bit limbs (least significant first) as a crypto-bigint number.
    fn big(value: &[u32]) -> BoxedUint {
        let bytes: Vec<u8> = value.iter().rev().flat_map(|l| l.to_be_bytes()).collect();
        BoxedUint::from_be_slice_vartime(&bytes)
    }

    fn bytes(value: &BoxedUint) -> Vec<u8> {
        let b = value.to_be_bytes();
        let zeros = b.iter().take_while(|&&x| x == 0).count();
        b[zeros..].to_vec()
    }

    /// Modulus sizes in bits: small and odd ones, 512…4096 bits, and both sides of every change
    /// of the radix-2^28 limb count modulo 4 from 1 to 128 32-bit limbs, up to the largest
    /// modulus the simd128 context takes (223 limbs, 255 radix-2^28 limbs).
    fn sizes() -> Vec<usize> {
        let mut bits = vec![
            3, 17, 61, 512, 521, 1023, 1024, 1025, 1536, 2047, 2048, 2049, 3071, 3072, 4095, 4096,
        ];
        for limbs in 1..=128usize {
            bits.extend([32 * limbs - 1, 32 * limbs]);
        }
        bits.extend([32 * 222 - 7, 32 * 223 - 1, 32 * 223]);
        bits
    }

    /// Values of the working domain (below 2n): 0, 1, 2, n − 1, n, n + 1, 2n − 2, 2n − 1 and
    /// random ones, as 32-bit limbs of `limbs + 1` limbs.
    fn values(stream: &mut Stream, n: &[u32], random: usize) -> Vec<Vec<u32>> {
        let wide = n.len() + 1;
        let twice = big(n).concatenating_add(big(n));
        let from = |x: &BoxedUint| {
            let b = bytes(x);
            let mut out = vec![0u32; wide];
            for (i, &byte) in b.iter().rev().enumerate() {
                out[i / 4] |= u32::from(byte) << (8 * (i % 4));
            }
            out
        };
        let mut out: Vec<Vec<u32>> = [0u64, 1, 2].iter().map(|&k| from(&BoxedUint::from(k))).collect();
        for k in [1u64, 0] {
            out.push(from(&big(n).wrapping_sub(&BoxedUint::from(k))));
        }
        out.push(from(&big(n).concatenating_add(BoxedUint::from(1u64))));
        for k in [2u64, 1] {
            out.push(from(&twice.wrapping_sub(&BoxedUint::from(k))));
        }
        let modulus = NonZero::new(twice).expect("n > 0");
        for _ in 0..random {
            let x = big(&stream.limbs(wide));
            out.push(from(&x.rem_vartime(&modulus)));
        }
        out
    }

    /// Checks `got` (radix 2^28, `len` limbs) is below 2n and is `x²·2^(−28·len) mod n`.
    fn check_square(got: &[u32], x: &[u32], n: &[u32], len: usize, label: &str) {
        let got = big(&from_radix28(got, n.len() + 1));
        let modulus = NonZero::new(big(n)).expect("n > 0");
        let (quotient, _) = got.div_rem(&modulus);
        assert!(
            bytes(&quotient).iter().all(|&b| b <= 1) && bytes(&quotient).len() <= 1,
            "{label}: not below 2n"
        );
        let mut power = vec![0u32; (28 * len) / 32 + 1];
        power[(28 * len) / 32] = 1 << ((28 * len) % 32);
        let lhs = got.concatenating_mul(&big(&power)).div_rem(&modulus).1;
        let rhs = big(x).concatenating_mul(&big(x)).div_rem(&modulus).1;
        assert_eq!(bytes(&lhs), bytes(&rhs), "{label}: not x²·R⁻¹ mod n");
    }

    #[wasm_bindgen_test]
    fn squaring_matches_multiplication_and_big_integers() {
        let mut stream = Stream(0x5157_A4E5_0DD5_1ECE);
        for bits in sizes() {
            let limbs = bits.div_ceil(32);
            let n = stream.modulus(bits, limbs);
            let mont = Mont::new(n.clone()).expect("odd modulus");
            let simd = SimdMont::new(&mont).expect("within MAX_LIMBS");
            let len = simd.width();
            let mut s = simd.scratch();
            let (mut squared, mut product) = (vec![0u32; len], vec![0u32; len]);
            for x in values(&mut stream, &n, 4) {
                let wide = to_radix28(&x, len);
                simd.square(&mut squared, &wide, &mut s);
                simd.mul(&mut product, &wide, &wide, &mut s);
                assert_eq!(squared, product, "{bits} bits: square ≠ mul(a, a)");
                check_square(&squared, &x, &n, len, &alloc::format!("{bits} bits"));
            }
        }
    }

    #[wasm_bindgen_test]
    fn squaring_with_every_limb_at_its_maximum() {
        let mut stream = Stream(0x0F0F_1234_5678_9ABD);
        for limbs in [1usize, 2, 36, 37, 64, 128, 223] {
            let n = vec![u32::MAX; limbs];
            let mont = Mont::new(n.clone()).expect("odd modulus");
            let simd = SimdMont::new(&mont).expect("within MAX_LIMBS");
            let len = simd.width();
            let mut s = simd.scratch();
            let mut squared = vec![0u32; len];
            for x in values(&mut stream, &n, 1) {
                let wide = to_radix28(&x, len);
                simd.square(&mut squared, &wide, &mut s);
                check_square(&squared, &x, &n, len, &alloc::format!("n = 2^{} − 1", 32 * limbs));
            }
        }
        assert!(SimdMont::new(&Mont::new(vec![u32::MAX; 224]).expect("odd modulus")).is_none());
    }

    #[wasm_bindgen_test]
    fn exponentiations_match_the_scalar_ones() {
        let mut stream = Stream(0x2545_F491_4F6C_DD1D);
        for bits in [61usize, 512, 1023, 1024, 1536, 2048, 2049, 3072, 4096] {
            let limbs = bits.div_ceil(32);
            let n = stream.modulus(bits, limbs);
            let mont = Mont::new(n.clone()).expect("odd modulus");
            let simd = mont.simd.clone().expect("within MAX_LIMBS");
            let base = stream.below_power(bits - 1, limbs);
            let mut entered = vec![0u32; limbs];
            mont.enter(&mut entered, &base);
            let exp = stream.limbs(limbs);
            let (mut ours, mut scalar) = (vec![0u32; limbs], vec![0u32; limbs]);
            simd.pow(&mont, &mut ours, &entered, |m, o, b| pow_window(m, o, b, &exp));
            pow_window(&mont, &mut scalar, &entered, &exp);
            assert_eq!(ours, scalar, "{bits} bits: fixed window");
            for e in [3u32, 65537, 0xFFFF_FFFF] {
                simd.pow(&mont, &mut ours, &entered, |m, o, b| square_and_multiply(m, o, b, e));
                square_and_multiply(&mont, &mut scalar, &entered, e);
                assert_eq!(ours, scalar, "{bits} bits: e = {e}");
            }
        }
    }
}
