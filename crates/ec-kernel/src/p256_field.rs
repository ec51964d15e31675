//! Arithmetic modulo the P-256 prime p = 2^256 − 2^224 + 2^192 + 2^96 − 1 for the signing path,
//! in constant time: nine 29-bit limbs in u32, Montgomery form with R = 2^261.
//!
//! Why not the p256 crate's field: in wasm its 4 × 64-bit limbs make every 64 × 64 → 128-bit
//! product four `i64.mul` and a carry chain, and its additions run crypto-bigint's generic
//! carry code; they were 70 % of an ES256 signature (issue 7). Here a product of two limbs is one
//! `i64.mul` and a column of the Montgomery product sums at most 18 of them below 2^62 with no
//! carry handling until the column is done. Since p ≡ −1 mod 2^29, −p⁻¹ ≡ 1 and a column's
//! reduction factor is its low 29 bits.
//!
//! Every value is kept below 2p (not canonical) between operations; [`Fe::to_bytes`] returns the
//! canonical value. No branch or memory index depends on a value.

// Every index here is a constant below nine into a nine-limb array (the written-out columns and
// `each_limb!`), or is evaluated at compile time (`radix29`, `TWO_P`): none can fail, and the
// built module has no bounds checks in these functions.
#![allow(clippy::indexing_slicing)]

use elliptic_curve::ff::PrimeField;

/// The p256 crate's field element (its own Montgomery form on 64-bit limbs), for [`Fe::invert`].
type P256Field = <p256::NistP256 as elliptic_curve::hazmat::FieldArithmetic>::FieldElement;

/// Bits per limb.
const BITS: u32 = 29;
/// Limbs per element.
const LIMBS: usize = 9;
/// The low `BITS` bits.
const MASK: u32 = (1 << BITS) - 1;

/// An element of the field in Montgomery form (x·R mod p), below 2p, 29 bits per limb.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fe([u32; LIMBS]);

/// p in 29-bit limbs, least significant first.
const P: [u32; LIMBS] = radix29([0xFFFF_FFFF_FFFF_FFFF, 0x0000_0000_FFFF_FFFF, 0, 0xFFFF_FFFF_0000_0001]);
/// 2p in 29-bit limbs.
const TWO_P: [u32; LIMBS] = {
    let mut out = [0u32; LIMBS];
    let (mut k, mut carry) = (0, 0);
    while k < LIMBS {
        let v = 2 * P[k] + carry;
        out[k] = v & MASK;
        carry = v >> BITS;
        k += 1;
    }
    out
};
/// R² mod p = 2^522 mod p, which takes a value into Montgomery form.
const R_SQUARED: [u32; LIMBS] = [3072, 0, 536_805_376, 534_773_759, 532_676_607, MASK, MASK, MASK - 1, 19];

/// A 256-bit value given as four 64-bit words (least significant first) in 29-bit limbs.
const fn radix29(words: [u64; 4]) -> [u32; LIMBS] {
    let mut out = [0u32; LIMBS];
    let mut k = 0;
    while k < LIMBS {
        let bit = k * BITS as usize;
        let (word, shift) = (bit / 64, bit % 64);
        let mut value = if word < 4 { words[word] >> shift } else { 0 };
        if shift > 64 - BITS as usize && word + 1 < 4 {
            value |= words[word + 1] << (64 - shift);
        }
        out[k] = (value as u32) & MASK;
        k += 1;
    }
    out
}

/// Big-endian `bytes` in 29-bit limbs, without reduction.
fn limbs_of(bytes: &[u8; 32]) -> [u32; LIMBS] {
    let mut words = [0u64; 4];
    for (w, chunk) in words.iter_mut().zip(bytes.rchunks_exact(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        *w = u64::from_be_bytes(word);
    }
    radix29(words)
}

/// Runs the block once for each limb index 0…8, written out: at this crate's opt-level "s" a loop
/// over nine limbs stays a loop, and these carry chains and masks were then a third of an ES256
/// signature.
macro_rules! each_limb {
    ($i:ident => $body:block) => {{
        {
            let $i = 0;
            $body
        }
        {
            let $i = 1;
            $body
        }
        {
            let $i = 2;
            $body
        }
        {
            let $i = 3;
            $body
        }
        {
            let $i = 4;
            $body
        }
        {
            let $i = 5;
            $body
        }
        {
            let $i = 6;
            $body
        }
        {
            let $i = 7;
            $body
        }
        {
            let $i = 8;
            $body
        }
    }};
}

/// All ones when `bit` is 1, zero when it is 0.
fn mask(bit: u32) -> u32 {
    0u32.wrapping_sub(bit)
}

/// `x − modulus` when that is not negative, else `x`, for limbs below 2^29 and `x < 2·modulus`.
fn subtract_if_not_below(x: [u32; LIMBS], modulus: &[u32; LIMBS]) -> [u32; LIMBS] {
    let mut difference = [0u32; LIMBS];
    let mut borrow = 0i64;
    each_limb!(i => {
        let v = i64::from(x[i]) - i64::from(modulus[i]) + borrow;
        difference[i] = (v as u32) & MASK;
        borrow = v >> BITS;
    });
    let keep_x = mask((borrow as u32) & 1);
    let mut out = [0u32; LIMBS];
    each_limb!(i => {
        out[i] = (x[i] & keep_x) | (difference[i] & !keep_x);
    });
    out
}

impl Fe {
    /// Zero.
    pub(crate) const ZERO: Fe = Fe([0; LIMBS]);
    /// One, in Montgomery form: R mod p = 2^261 mod p = 2^229 − 2^197 − 2^101 + 2^5.
    pub(crate) const ONE: Fe = Fe(radix29([
        0x20,
        0xFFFF_FFE0_0000_0000,
        0xFFFF_FFFF_FFFF_FFFF,
        0x1F_FFFF_FFDF,
    ]));

    /// The canonical value of big-endian `bytes` in Montgomery form, or `None` when it is not
    /// below p. Only public values come this way (the curve's constants, points of tables).
    pub(crate) fn from_bytes(bytes: &[u8; 32]) -> Option<Fe> {
        let plain = limbs_of(bytes);
        if subtract_if_not_below(plain, &P) != plain {
            return None;
        }
        Some(Fe(plain).mul(&Fe(R_SQUARED)))
    }

    /// The canonical big-endian bytes of the value.
    pub(crate) fn to_bytes(self) -> [u8; 32] {
        let mut one = [0u32; LIMBS];
        one[0] = 1;
        let plain = subtract_if_not_below(self.mul(&Fe(one)).0, &P);
        let mut words = [0u64; 4];
        for (k, &limb) in plain.iter().enumerate() {
            let bit = k * BITS as usize;
            let (word, shift) = (bit / 64, bit % 64);
            if let Some(w) = words.get_mut(word) {
                *w |= u64::from(limb) << shift;
            }
            if shift > 64 - BITS as usize {
                if let Some(w) = words.get_mut(word + 1) {
                    *w |= u64::from(limb) >> (64 - shift);
                }
            }
        }
        let mut out = [0u8; 32];
        for (chunk, w) in out.rchunks_exact_mut(8).zip(words) {
            chunk.copy_from_slice(&w.to_be_bytes());
        }
        out
    }

    /// `self·other·R⁻¹ mod p`, below 2p: product scanning with the reduction interleaved, column
    /// k summing every `a_i·b_j` and `m_i·p_j` with i + j = k (at most 18 products, below
    /// 18·2^58 + 2^36 < 2^63). Written out column by column: at this crate's opt-level "s" the
    /// loops stayed loops with bounds checks and `p` read from memory, and the multiplication took
    /// 0.29 µs, no faster than p256's; written out, the zero limbs of p and the ones that are
    /// powers of two fold into the code (issue 7).
    #[rustfmt::skip]
    pub(crate) fn mul(&self, other: &Fe) -> Fe {
        let (a, b, p) = (self.0.map(u64::from), other.0.map(u64::from), P.map(u64::from));
        let reduce = |sum: u64| {
            let factor = sum & u64::from(MASK);
            (factor, (sum + factor * p[0]) >> BITS)
        };
        let mut m = [0u64; LIMBS];
        let mut out = [0u32; LIMBS];
        let mut sum = a[0] * b[0];
        (m[0], sum) = reduce(sum);
        sum += a[0] * b[1] + a[1] * b[0] + m[0] * p[1];
        (m[1], sum) = reduce(sum);
        sum += a[0] * b[2] + a[1] * b[1] + a[2] * b[0] + m[0] * p[2] + m[1] * p[1];
        (m[2], sum) = reduce(sum);
        sum += a[0] * b[3] + a[1] * b[2] + a[2] * b[1] + a[3] * b[0] + m[0] * p[3] + m[1] * p[2] + m[2] * p[1];
        (m[3], sum) = reduce(sum);
        sum += a[0] * b[4] + a[1] * b[3] + a[2] * b[2] + a[3] * b[1] + a[4] * b[0] + m[0] * p[4] + m[1] * p[3] + m[2] * p[2] + m[3] * p[1];
        (m[4], sum) = reduce(sum);
        sum += a[0] * b[5] + a[1] * b[4] + a[2] * b[3] + a[3] * b[2] + a[4] * b[1] + a[5] * b[0] + m[0] * p[5] + m[1] * p[4] + m[2] * p[3] + m[3] * p[2] + m[4] * p[1];
        (m[5], sum) = reduce(sum);
        sum += a[0] * b[6] + a[1] * b[5] + a[2] * b[4] + a[3] * b[3] + a[4] * b[2] + a[5] * b[1] + a[6] * b[0] + m[0] * p[6] + m[1] * p[5] + m[2] * p[4] + m[3] * p[3] + m[4] * p[2] + m[5] * p[1];
        (m[6], sum) = reduce(sum);
        sum += a[0] * b[7] + a[1] * b[6] + a[2] * b[5] + a[3] * b[4] + a[4] * b[3] + a[5] * b[2] + a[6] * b[1] + a[7] * b[0] + m[0] * p[7] + m[1] * p[6] + m[2] * p[5] + m[3] * p[4] + m[4] * p[3] + m[5] * p[2] + m[6] * p[1];
        (m[7], sum) = reduce(sum);
        sum += a[0] * b[8] + a[1] * b[7] + a[2] * b[6] + a[3] * b[5] + a[4] * b[4] + a[5] * b[3] + a[6] * b[2] + a[7] * b[1] + a[8] * b[0] + m[0] * p[8] + m[1] * p[7] + m[2] * p[6] + m[3] * p[5] + m[4] * p[4] + m[5] * p[3] + m[6] * p[2] + m[7] * p[1];
        (m[8], sum) = reduce(sum);
        sum += a[1] * b[8] + a[2] * b[7] + a[3] * b[6] + a[4] * b[5] + a[5] * b[4] + a[6] * b[3] + a[7] * b[2] + a[8] * b[1] + m[1] * p[8] + m[2] * p[7] + m[3] * p[6] + m[4] * p[5] + m[5] * p[4] + m[6] * p[3] + m[7] * p[2] + m[8] * p[1];
        (out[0], sum) = ((sum as u32) & MASK, sum >> BITS);
        sum += a[2] * b[8] + a[3] * b[7] + a[4] * b[6] + a[5] * b[5] + a[6] * b[4] + a[7] * b[3] + a[8] * b[2] + m[2] * p[8] + m[3] * p[7] + m[4] * p[6] + m[5] * p[5] + m[6] * p[4] + m[7] * p[3] + m[8] * p[2];
        (out[1], sum) = ((sum as u32) & MASK, sum >> BITS);
        sum += a[3] * b[8] + a[4] * b[7] + a[5] * b[6] + a[6] * b[5] + a[7] * b[4] + a[8] * b[3] + m[3] * p[8] + m[4] * p[7] + m[5] * p[6] + m[6] * p[5] + m[7] * p[4] + m[8] * p[3];
        (out[2], sum) = ((sum as u32) & MASK, sum >> BITS);
        sum += a[4] * b[8] + a[5] * b[7] + a[6] * b[6] + a[7] * b[5] + a[8] * b[4] + m[4] * p[8] + m[5] * p[7] + m[6] * p[6] + m[7] * p[5] + m[8] * p[4];
        (out[3], sum) = ((sum as u32) & MASK, sum >> BITS);
        sum += a[5] * b[8] + a[6] * b[7] + a[7] * b[6] + a[8] * b[5] + m[5] * p[8] + m[6] * p[7] + m[7] * p[6] + m[8] * p[5];
        (out[4], sum) = ((sum as u32) & MASK, sum >> BITS);
        sum += a[6] * b[8] + a[7] * b[7] + a[8] * b[6] + m[6] * p[8] + m[7] * p[7] + m[8] * p[6];
        (out[5], sum) = ((sum as u32) & MASK, sum >> BITS);
        sum += a[7] * b[8] + a[8] * b[7] + m[7] * p[8] + m[8] * p[7];
        (out[6], sum) = ((sum as u32) & MASK, sum >> BITS);
        sum += a[8] * b[8] + m[8] * p[8];
        (out[7], sum) = ((sum as u32) & MASK, sum >> BITS);
        out[8] = sum as u32;
        Fe(out)
    }

    /// `self²·R⁻¹ mod p`. A dedicated squaring, each `a_i·a_j` (i ≠ j) once as `(2·a_i)·a_j` (45
    /// limb products instead of 81), measured no faster in ES256 signing or verification and
    /// cost 0.6 KB gzip (issue 7).
    pub(crate) fn square(&self) -> Fe {
        self.mul(self)
    }

    /// `self + other`, below 2p.
    pub(crate) fn add(&self, other: &Fe) -> Fe {
        let (a, b) = (&self.0, &other.0);
        let mut sum = [0u32; LIMBS];
        let mut carry = 0u32;
        each_limb!(i => {
            let v = a[i] + b[i] + carry;
            sum[i] = v & MASK;
            carry = v >> BITS;
        });
        debug_assert_eq!(carry, 0, "a sum below 4p fits nine limbs");
        Fe(subtract_if_not_below(sum, &TWO_P))
    }

    /// `self − other`, below 2p.
    pub(crate) fn sub(&self, other: &Fe) -> Fe {
        let (a, b) = (&self.0, &other.0);
        let mut difference = [0u32; LIMBS];
        let mut carry = 0i64;
        each_limb!(i => {
            let v = i64::from(a[i]) - i64::from(b[i]) + i64::from(TWO_P[i]) + carry;
            difference[i] = (v as u32) & MASK;
            carry = v >> BITS;
        });
        debug_assert_eq!(carry, 0, "a − b + 2p is positive and below 4p");
        Fe(subtract_if_not_below(difference, &TWO_P))
    }

    /// `self + self`.
    pub(crate) fn double(&self) -> Fe {
        self.add(self)
    }

    /// `p − self` for a canonical `self` (a table entry), which is canonical again when `self ≠ 0`.
    pub(crate) fn negate_canonical(&self) -> Fe {
        let a = &self.0;
        let mut out = [0u32; LIMBS];
        let mut borrow = 0i64;
        each_limb!(i => {
            let v = i64::from(P[i]) - i64::from(a[i]) + borrow;
            out[i] = (v as u32) & MASK;
            borrow = v >> BITS;
        });
        debug_assert_eq!(borrow, 0, "p − a for a canonical a");
        Fe(out)
    }

    /// The canonical representative (below p) of the same value.
    pub(crate) fn canonical(&self) -> Fe {
        Fe(subtract_if_not_below(self.0, &P))
    }

    /// `other` when `choice` is 1, `self` when it is 0, without a branch.
    pub(crate) fn select(&self, other: &Fe, choice: u32) -> Fe {
        let (a, b, take) = (&self.0, &other.0, mask(choice));
        let mut out = [0u32; LIMBS];
        each_limb!(i => {
            out[i] = (a[i] & !take) | (b[i] & take);
        });
        Fe(out)
    }

    /// `self |= other & mask`, limb by limb: gathers one table entry under a mask.
    pub(crate) fn or_masked(&mut self, other: &Fe, mask: u32) {
        let (a, b) = (&mut self.0, &other.0);
        each_limb!(i => {
            a[i] |= b[i] & mask;
        });
    }

    /// `self⁻¹` (zero for zero), in constant time: the p256 crate's field inversion
    /// (crypto-bigint's Bernstein–Yang safegcd, the code p256's scalar inversion runs, so nothing
    /// new is linked) on the canonical value, then back into Montgomery form. The Fermat chain it
    /// replaces (255 squarings, 13 multiplications) was about a tenth of an ES256 signature (issue 7).
    pub(crate) fn invert(&self) -> Fe {
        let inverse = P256Field::from_repr(self.to_bytes().into())
            .and_then(|value| value.invert())
            .unwrap_or(P256Field::ZERO);
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&inverse.to_repr());
        Fe(limbs_of(&bytes)).mul(&Fe(R_SQUARED))
    }
}

/// For ES256 verification's variable-time point arithmetic ([`crate::jacobian`]), which only
/// sees public values.
impl crate::jacobian::FieldOps for Fe {
    const ZERO: Fe = Fe::ZERO;
    const ONE: Fe = Fe::ONE;
    const BITS: u32 = 256;

    fn from_be_bytes(bytes: &[u8]) -> Option<Fe> {
        Fe::from_bytes(bytes.try_into().ok()?)
    }
    fn write_be_bytes(&self, out: &mut [u8]) {
        if out.len() == 32 {
            out.copy_from_slice(&self.to_bytes());
        }
    }
    fn plus(&self, other: &Fe) -> Fe {
        self.add(other)
    }
    fn minus(&self, other: &Fe) -> Fe {
        self.sub(other)
    }
    fn times(&self, other: &Fe) -> Fe {
        self.mul(other)
    }
    fn squared(&self) -> Fe {
        self.square()
    }
    fn doubled(&self) -> Fe {
        self.double()
    }
    fn negated(&self) -> Fe {
        Fe::ZERO.sub(self)
    }
    fn inverse(&self) -> Option<Fe> {
        (!self.is_zero_vartime()).then(|| self.invert())
    }
    fn is_zero_vartime(&self) -> bool {
        self.canonical().0 == [0; LIMBS]
    }
    fn equals(&self, other: &Fe) -> bool {
        self.canonical().0 == other.canonical().0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::{Fe, MASK, P, R_SQUARED, TWO_P};
    use elliptic_curve::bigint::{NonZero, U256, U512};

    /// The field prime as a big integer.
    fn prime() -> U256 {
        U256::from_be_hex("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF")
    }

    /// A deterministic stream of 256-bit values below p, the edges first.
    fn samples(count: usize) -> Vec<U256> {
        let p = prime();
        let mut values = vec![
            U256::ZERO,
            U256::ONE,
            U256::from_u64(2),
            p.wrapping_sub(&U256::ONE),
            p.wrapping_sub(&U256::from_u64(2)),
            U256::ONE.shl_vartime(255),
            U256::MAX.shr_vartime(1),
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        while values.len() < count {
            let mut words = [0u64; 4];
            for w in &mut words {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *w = state;
            }
            let v = U256::from_words(words);
            if v < p {
                values.push(v);
            }
        }
        values
    }

    fn fe(v: &U256) -> Fe {
        Fe::from_bytes(&v.to_be_bytes().into()).expect("below p")
    }

    fn big(x: &Fe) -> U256 {
        U256::from_be_slice(&x.to_bytes())
    }

    fn mul_mod(a: &U256, b: &U256) -> U256 {
        let wide: U512 = a.concatenating_mul(b);
        let p = NonZero::new(prime().resize::<8>()).expect("p > 0");
        wide.rem_vartime(&p).resize::<4>()
    }

    #[test]
    fn constants_are_p_two_p_and_r_squared() {
        assert!(P.iter().all(|&l| l <= MASK));
        let sum: Vec<u64> = P.iter().map(|&l| 2 * u64::from(l)).collect();
        let mut carry = 0u64;
        for (k, s) in sum.iter().enumerate() {
            let v = s + carry;
            assert_eq!(v as u32 & MASK, TWO_P[k], "limb {k} of 2p");
            carry = v >> 29;
        }
        let one = fe(&U256::ONE);
        assert_eq!(big(&one), U256::ONE);
        assert_eq!(Fe::ONE.0, one.0, "Fe::ONE is R mod p");
        assert_eq!(
            big(&Fe(R_SQUARED).mul(&Fe([1, 0, 0, 0, 0, 0, 0, 0, 0])).mul(&fe(&U256::ONE))),
            U256::ONE
        );
    }

    #[test]
    fn bytes_round_trip_and_refuse_values_not_below_p() {
        for v in samples(200) {
            assert_eq!(big(&fe(&v)), v);
        }
        assert!(Fe::from_bytes(&prime().to_be_bytes().into()).is_none());
        assert!(Fe::from_bytes(&[0xFF; 32]).is_none());
    }

    #[test]
    fn operations_match_big_integer_arithmetic() {
        let p = NonZero::new(prime()).expect("p > 0");
        let values = samples(300);
        for (i, a) in values.iter().enumerate() {
            let b = &values[(i * 7 + 3) % values.len()];
            let (x, y) = (fe(a), fe(b));
            assert_eq!(big(&x.mul(&y)), mul_mod(a, b), "{a} · {b}");
            assert_eq!(big(&x.square()), mul_mod(a, a), "{a}²");
            assert_eq!(big(&x.add(&y)), a.add_mod(b, &p), "{a} + {b}");
            assert_eq!(big(&x.sub(&y)), a.sub_mod(b, &p), "{a} − {b}");
            assert_eq!(big(&x.double()), a.add_mod(a, &p), "2·{a}");
            assert_eq!(big(&x.canonical()), *a);
            if *a != U256::ZERO {
                assert_eq!(big(&x.canonical().negate_canonical()), p.wrapping_sub(a), "−{a}");
                assert_eq!(mul_mod(&big(&x.invert()), a), U256::ONE, "{a}⁻¹");
            }
        }
        assert_eq!(big(&Fe::ZERO.invert()), U256::ZERO);
    }

    #[test]
    fn long_chains_stay_below_two_p_and_correct() {
        let p = NonZero::new(prime()).expect("p > 0");
        let values = samples(64);
        let (mut x, mut expected) = (fe(&values[5]), values[5]);
        for (i, v) in values.iter().cycle().take(5000).enumerate() {
            let y = fe(v);
            (x, expected) = match i % 5 {
                0 => (x.add(&y), expected.add_mod(v, &p)),
                1 => (x.sub(&y), expected.sub_mod(v, &p)),
                2 => (x.mul(&y), mul_mod(&expected, v)),
                3 => (x.square(), mul_mod(&expected, &expected)),
                _ => (
                    x.double().add(&x),
                    expected.add_mod(&expected, &p).add_mod(&expected, &p),
                ),
            };
            let limbs_below = x.0.iter().all(|&l| l <= MASK);
            assert!(limbs_below, "step {i}: a limb over 29 bits");
            assert_eq!(big(&x), expected, "step {i}");
        }
    }

    #[test]
    fn select_and_masked_gather() {
        let values = samples(10);
        let (a, b) = (fe(&values[7]), fe(&values[8]));
        assert_eq!(big(&a.select(&b, 0)), values[7]);
        assert_eq!(big(&a.select(&b, 1)), values[8]);
        let mut gathered = Fe::ZERO;
        gathered.or_masked(&a, 0);
        gathered.or_masked(&b, u32::MAX);
        assert_eq!(big(&gathered), values[8]);
    }
}
