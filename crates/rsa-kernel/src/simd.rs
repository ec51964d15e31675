//! Montgomery multiplication with wasm simd128: 28-bit limbs, product scanning (two columns of
//! the double-width product per pass, summed in registers), two products per
//! `i64x2.extmul` (a·b in one lane, m·n in the other), carries delayed to the end of each
//! column, and no final subtraction (R > 4n keeps every value below 2n).
//!
//! Both operands of every `extmul` are loaded vectors, never a splat: LLVM turns an extended
//! multiply by a splatted operand into `i64x2.mul`, which V8 expands into a long scalar-like
//! sequence (checked on the built module by tests/package/wasm-simd.mjs).
//!
//! Squarings use this multiplication too: a dedicated squaring (each off-diagonal a·a product
//! once, doubled, four limbs per vector) did 10–20 % fewer extmuls but took 1.2–1.8× the time of
//! `mul(a, a)` in V8 for 1024- and 2048-bit moduli, its per-column scalar work and short loops
//! costing more than the products saved (measured for issue 7, branch w/sqr).

use crate::exp::MontMul;
use crate::limbs;
use crate::mont::Mont;
use alloc::vec;
use alloc::vec::Vec;
use core::arch::wasm32::{
    i64x2_add, u32x4, u32x4_replace_lane, u64x2_extmul_high_u32x4, u64x2_extmul_low_u32x4, u64x2_extract_lane,
    u64x2_splat, v128,
};
use zeroize::Zeroizing;

const BITS: usize = 28;
const MASK: u32 = (1 << BITS) - 1;
/// Lanes hold sums of at most this many 56-bit products without overflow.
const MAX_LIMBS: usize = 255;
/// Zero `(b, n)` elements before the reversed multiplicand, so that every column reads whole pairs.
const PAD: usize = 2;

/// A radix-2^28 Montgomery context for one modulus, R = 2^(28·limbs) > 4n.
#[derive(Clone)]
pub(crate) struct SimdMont {
    n: Zeroizing<Vec<u32>>,
    n0: u32,
    one: Zeroizing<Vec<u32>>,
    rr: Zeroizing<Vec<u32>>,
}

/// Scratch of one multiplication: `(a_j, m_j, a_j+1, m_j+1)` for even `j`, the multiplicand
/// interleaved with the modulus in reverse order, `(b_s, n_s, b_s-1, n_s-1)`, and that sequence
/// as vectors starting at even and at odd positions.
pub(crate) struct Scratch {
    am: Vec<v128>,
    reversed: Vec<u32>,
    even: Vec<v128>,
    odd: Vec<v128>,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        self.am.fill(u64x2_splat(0));
        self.reversed.fill(0);
        self.even.fill(u64x2_splat(0));
        self.odd.fill(u64x2_splat(0));
        core::hint::black_box((&self.am, &self.reversed, &self.even, &self.odd));
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
        Some(SimdMont {
            n: to_radix28(&mont.n, len),
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

    /// Big-endian bytes without leading zeros.
    fn bytes(value: &BoxedUint) -> Vec<u8> {
        let b = value.to_be_bytes();
        let zeros = b.iter().take_while(|&&x| x == 0).count();
        b[zeros..].to_vec()
    }

    /// Modulus sizes in bits: small and odd ones, 512…4096 bits, and both sides of every change
    /// of the radix-2^28 limb count from 1 to 128 32-bit limbs, up to the largest modulus the
    /// simd128 context takes (223 limbs, 255 radix-2^28 limbs).
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
    /// `random` random ones, as `n.len() + 1` 32-bit limbs.
    fn values(stream: &mut Stream, n: &[u32], random: usize) -> Vec<Vec<u32>> {
        let wide = n.len() + 1;
        let twice = big(n).concatenating_add(big(n));
        let from = |x: &BoxedUint| {
            let mut out = vec![0u32; wide];
            for (i, &byte) in bytes(x).iter().rev().enumerate() {
                out[i / 4] |= u32::from(byte) << (8 * (i % 4));
            }
            out
        };
        let mut out: Vec<Vec<u32>> = [0u64, 1, 2].iter().map(|&k| from(&BoxedUint::from(k))).collect();
        for k in [1u64, 0] {
            out.push(from(&big(n).wrapping_sub(BoxedUint::from(k))));
        }
        out.push(from(&big(n).concatenating_add(BoxedUint::from(1u64))));
        for k in [2u64, 1] {
            out.push(from(&twice.wrapping_sub(BoxedUint::from(k))));
        }
        let modulus = NonZero::new(twice).expect("n > 0");
        for _ in 0..random {
            out.push(from(&big(&stream.limbs(wide)).rem_vartime(&modulus)));
        }
        out
    }

    /// Checks that `got` (radix 2^28, `len` limbs) is below 2n and is `x·y·2^(−28·len) mod n`.
    fn check_product(got: &[u32], x: &[u32], y: &[u32], n: &[u32], len: usize, label: &str) {
        let got = big(&from_radix28(got, n.len() + 1));
        let modulus = NonZero::new(big(n)).expect("n > 0");
        let quotient = bytes(&got.div_rem(&modulus).0);
        assert!(
            quotient.len() <= 1 && quotient.iter().all(|&b| b <= 1),
            "{label}: not below 2n"
        );
        let mut power = vec![0u32; (28 * len) / 32 + 1];
        power[(28 * len) / 32] = 1 << ((28 * len) % 32);
        let lhs = got.concatenating_mul(&big(&power)).div_rem(&modulus).1;
        let rhs = big(x).concatenating_mul(&big(y)).div_rem(&modulus).1;
        assert_eq!(bytes(&lhs), bytes(&rhs), "{label}: not x·y·R⁻¹ mod n");
    }

    /// Every value times itself and times the next one, modulo `n`.
    fn check_modulus(stream: &mut Stream, n: &[u32], random: usize, label: &str) {
        let mont = Mont::new(n.to_vec()).expect("odd modulus");
        let simd = SimdMont::new(&mont).expect("within MAX_LIMBS");
        let len = simd.width();
        let mut s = simd.scratch();
        let mut product = vec![0u32; len];
        let values = values(stream, n, random);
        for (i, x) in values.iter().enumerate() {
            for y in [x, &values[(i + 1) % values.len()]] {
                simd.mul(&mut product, &to_radix28(x, len), &to_radix28(y, len), &mut s);
                check_product(&product, x, y, n, len, label);
            }
        }
    }

    #[wasm_bindgen_test]
    fn multiplication_matches_big_integers() {
        let mut stream = Stream(0x5157_A4E5_0DD5_1ECE);
        for bits in sizes() {
            let n = stream.modulus(bits, bits.div_ceil(32));
            check_modulus(&mut stream, &n, 4, &alloc::format!("{bits} bits"));
        }
    }

    #[wasm_bindgen_test]
    fn multiplication_with_every_limb_at_its_maximum() {
        let mut stream = Stream(0x0F0F_1234_5678_9ABD);
        for limbs in [1usize, 2, 36, 37, 64, 128, 223] {
            check_modulus(
                &mut stream,
                &vec![u32::MAX; limbs],
                1,
                &alloc::format!("n = 2^{} − 1", 32 * limbs),
            );
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
            let mut entered = vec![0u32; limbs];
            mont.enter(&mut entered, &stream.below_power(bits - 1, limbs));
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
