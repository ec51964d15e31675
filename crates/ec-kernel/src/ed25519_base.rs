//! Constant-time multiplication of the Ed25519 base point B by a secret scalar, with a table built
//! at run time once per process.
//!
//! curve25519-dalek only offers a fast fixed-base multiplication with its `precomputed-tables`
//! feature, which links a 30 KB static table (+29.8 KB gzip measured for pkjwt). Without it,
//! `EdwardsPoint::mul_base` is a variable-base multiplication: about 250 doublings and 64 additions.
//! This module computes [r]B as Σ dᵢ·16ⁱ·B over the signed radix-16 digits dᵢ ∈ [−8, 8) of r, from
//! 32 rows of the multiples 1·16²ʲB … 8·16²ʲB (256 points, 40 KiB of heap, about 500 additions to
//! build): 32 additions for the odd digits, four doublings (×16), 32 additions for the even digits.
//!
//! Constant time: the row of each digit is public (its position); the entry is picked by scanning
//! the whole row with `subtle` conditional assignments and the sign applied by a conditional
//! negation, so no branch or memory index depends on the scalar. The point arithmetic is
//! curve25519-dalek's (complete formulas, constant-time field operations). Checked in the release
//! .wasm (names kept, `wasm-dis`): the only `br_if` in `select` and in `ed25519::sign` test loop
//! counters, slice lengths and the table's `OnceLock` state; each entry's match is an `i32.eq`
//! passed through `subtle::black_box` into a masked select.

use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use std::sync::OnceLock;
use subtle::{ConditionallyNegatable, ConditionallySelectable, ConstantTimeEq};

/// Rows of multiples: one per pair of radix-16 digits.
const ROWS: usize = 32;
/// Multiples per row: 1·P … 8·P.
const PER_ROW: usize = 8;

static TABLE: OnceLock<Vec<[EdwardsPoint; PER_ROW]>> = OnceLock::new();

/// [scalar]B, in constant time with respect to `scalar`.
pub(crate) fn mul_base(scalar: &Scalar) -> EdwardsPoint {
    let table = TABLE.get_or_init(build);
    let digits = radix16(&scalar.to_bytes());
    let mut odd = EdwardsPoint::identity();
    let mut even = EdwardsPoint::identity();
    for (row, pair) in table.iter().zip(digits.chunks_exact(2)) {
        if let [low, high] = pair {
            even += select(row, *low);
            odd += select(row, *high);
        }
    }
    for _ in 0..4 {
        odd = odd + odd;
    }
    odd + even
}

fn build() -> Vec<[EdwardsPoint; PER_ROW]> {
    let mut rows = Vec::with_capacity(ROWS);
    let mut base = ED25519_BASEPOINT_POINT;
    for _ in 0..ROWS {
        let mut row = [base; PER_ROW];
        let mut multiple = base;
        for entry in row.iter_mut().skip(1) {
            multiple += base;
            *entry = multiple;
        }
        rows.push(row);
        for _ in 0..8 {
            base = base + base;
        }
    }
    rows
}

/// The 64 signed radix-16 digits of a little-endian scalar below 2²⁵⁵, low digit first: each in
/// [−8, 8) except the last, which absorbs the final carry. Branch-free.
fn radix16(bytes: &[u8; 32]) -> [i8; 64] {
    let mut digits = [0i8; 64];
    for (pair, byte) in digits.chunks_exact_mut(2).zip(bytes) {
        if let [low, high] = pair {
            *low = (byte & 15) as i8;
            *high = (byte >> 4) as i8;
        }
    }
    let mut carry = 0i8;
    for digit in digits.iter_mut() {
        let value = *digit + carry;
        carry = (value + 8) >> 4;
        *digit = value - (carry << 4);
    }
    digits
}

/// digit·P for the row of multiples 1·P … 8·P, digit in [−8, 8], without a secret-dependent branch
/// or index.
fn select(row: &[EdwardsPoint; PER_ROW], digit: i8) -> EdwardsPoint {
    let sign = digit >> 7;
    let magnitude = ((digit ^ sign) - sign) as u8;
    let mut point = EdwardsPoint::identity();
    for (multiple, entry) in (1u8..).zip(row) {
        point.conditional_assign(entry, multiple.ct_eq(&magnitude));
    }
    point.conditional_negate(subtle::Choice::from((sign & 1) as u8));
    point
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(seed: u64) -> Scalar {
        let mut wide = [0u8; 64];
        for (i, chunk) in wide.chunks_exact_mut(8).enumerate() {
            let word = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(i as u32 * 7) ^ (i as u64);
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        Scalar::from_bytes_mod_order_wide(&wide)
    }

    #[test]
    fn digits_recompose_to_the_scalar() {
        for seed in 0..200u64 {
            let s = scalar(seed);
            let digits = radix16(&s.to_bytes());
            assert!(digits.iter().take(63).all(|d| (-8..8).contains(d)));
            let mut sum = Scalar::ZERO;
            let sixteen = Scalar::from(16u8);
            for d in digits.iter().rev() {
                sum = sum * sixteen + Scalar::from(d.unsigned_abs()) * if *d < 0 { -Scalar::ONE } else { Scalar::ONE };
            }
            assert_eq!(sum, s);
        }
    }

    #[test]
    fn matches_dalek_mul_base() {
        let edge = [
            Scalar::ZERO,
            Scalar::ONE,
            -Scalar::ONE,
            Scalar::from(8u8),
            -Scalar::from(8u8),
        ];
        for s in edge.into_iter().chain((0..200u64).map(scalar)) {
            assert_eq!(mul_base(&s).compress(), EdwardsPoint::mul_base(&s).compress());
        }
    }
}
