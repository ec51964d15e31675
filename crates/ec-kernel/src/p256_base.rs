//! The x-coordinate of k·G on P-256 for a secret k, in constant time: the signing half of ECDSA
//! over [`Fe`], this crate's own field arithmetic.
//!
//! k (reduced mod n) is recoded into 65 signed radix-16 digits in [−8, 8) (the last one 0 or 1),
//! so that k·G = Σ d_i·16^i·G. A table built once per process holds the affine points j·16^i·G
//! for j = 1…8 and every i (65 × 8 points, 37 KiB). Each digit costs one constant-time gather of
//! all eight entries of its window, a conditional negation of y, and one Jacobian mixed addition
//! (7M + 4S, "madd-2007-bl" of the Explicit-Formulas Database); a zero digit's sum is computed
//! and dropped by a mask, and while every digit so far was zero the entry itself is taken. No
//! doublings: 65 additions and one inversion per signature. No branch or memory index depends on k.
//!
//! The mixed addition is wrong for P = ±Q, which never occurs here. Before window i the
//! accumulator is A·G with A = Σ_{j<i} d_j·16^j, |A| < (8/15)·16^i, and the entry is d·16^i·G
//! with 1 ≤ |d| ≤ 8. For i ≤ 63, |A ∓ d·16^i| < (128/15)·16^63 < n, so A ≡ ±d·16^i (mod n) would
//! need |A| = |d|·16^i ≥ 16^i. For i = 64 (d = 1), k = A + 2^256 > (7/15)·2^256, and A ≡ ±2^256
//! would need k ≡ 0 (mod n) or k = 2^257 − 2n < 2^226, neither possible for such a k < n. The other
//! exceptional case, an accumulator that is still the identity (A = 0 only while every digit so
//! far was zero: the signed digits of zero are all zero), is masked.

use crate::p256_field::Fe;
use elliptic_curve::PrimeField;
use elliptic_curve::bigint::U256;
use elliptic_curve::ops::Reduce;
use p256::Scalar;
use std::sync::OnceLock;
use zeroize::Zeroize;

/// Signed radix-16 digits of a 256-bit scalar: 64, and one for the last carry.
const WINDOWS: usize = 65;
/// Table entries per window: the multiples 1…8.
const ENTRIES: usize = 8;

/// The curve's b, big-endian (SEC 2 §2.4.2; FIPS 186-4 §D.1.2.3).
const B: [u8; 32] = hex32("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");
/// The generator's x (SEC 2 §2.4.2).
const GX: [u8; 32] = hex32("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
/// The generator's y (SEC 2 §2.4.2).
const GY: [u8; 32] = hex32("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");

/// 64 hexadecimal digits as 32 bytes, at compile time (where a bad digit or length fails the build).
#[allow(clippy::indexing_slicing)]
const fn hex32(text: &str) -> [u8; 32] {
    let digits = text.as_bytes();
    assert!(digits.len() == 64, "64 hexadecimal digits");
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(digits[2 * i]) << 4) | nibble(digits[2 * i + 1]);
        i += 1;
    }
    out
}

/// The value of one lowercase hexadecimal digit, at compile time (a bad digit fails the build).
#[allow(clippy::panic)]
const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => panic!("not a lowercase hexadecimal digit"),
    }
}

/// An affine point with canonical coordinates; never the identity.
#[derive(Clone, Copy)]
struct Affine {
    x: Fe,
    y: Fe,
}

/// A point in projective coordinates (X : Y : Z), y²z = x³ − 3xz² + bz³, for building the table
/// with the complete formulas; the identity is (0 : 1 : 0).
#[derive(Clone, Copy)]
struct Projective {
    x: Fe,
    y: Fe,
    z: Fe,
}

/// `3x`.
fn triple(x: &Fe) -> Fe {
    x.double().add(x)
}

/// The common tail of the complete addition formula (Algorithm 4): from the products
/// `xx = X1·X2`, `yy = Y1·Y2` and `zz = Z1·Z2` and the cross sums `xy = X1Y2 + X2Y1`,
/// `yz = Y1Z2 + Y2Z1`, `xz = X1Z2 + X2Z1`, the sum's coordinates.
fn complete_sum(b: &Fe, [xx, yy, zz]: [Fe; 3], [xy, yz, xz]: [Fe; 3]) -> Projective {
    let u = triple(&xz.sub(&b.mul(&zz)));
    let (minus, plus) = (yy.sub(&u), yy.add(&u));
    let zz3 = triple(&zz);
    let v = triple(&b.mul(&xz).sub(&zz3.add(&xx)));
    let w = triple(&xx).sub(&zz3);
    Projective {
        x: plus.mul(&xy).sub(&yz.mul(&v)),
        y: plus.mul(&minus).add(&w.mul(&v)),
        z: minus.mul(&yz).add(&xy.mul(&w)),
    }
}

/// `p + q` for any two points, doubling and the identity included (Algorithm 4).
fn add(b: &Fe, p: &Projective, q: &Projective) -> Projective {
    let (xx, yy, zz) = (p.x.mul(&q.x), p.y.mul(&q.y), p.z.mul(&q.z));
    let cross = |a1: &Fe, b1: &Fe, a2: &Fe, b2: &Fe, aa: &Fe, bb: &Fe| a1.add(b1).mul(&a2.add(b2)).sub(&aa.add(bb));
    let xy = cross(&p.x, &p.y, &q.x, &q.y, &xx, &yy);
    let yz = cross(&p.y, &p.z, &q.y, &q.z, &yy, &zz);
    let xz = cross(&p.x, &p.z, &q.x, &q.z, &xx, &zz);
    complete_sum(b, [xx, yy, zz], [xy, yz, xz])
}

/// A point in Jacobian coordinates (X : Y : Z), x = X/Z², y = Y/Z³, for the signing loop.
#[derive(Clone, Copy)]
struct Jacobian {
    x: Fe,
    y: Fe,
    z: Fe,
}

impl Jacobian {
    /// `other` when `choice` is 1, `self` when it is 0, without a branch.
    fn select(&self, other: &Jacobian, choice: u32) -> Jacobian {
        Jacobian {
            x: self.x.select(&other.x, choice),
            y: self.y.select(&other.y, choice),
            z: self.z.select(&other.z, choice),
        }
    }
}

/// `p + q` for an affine `q`, with neither the identity and p ≠ ±q (which [`BaseTable::mul`]
/// rules out or masks): "madd-2007-bl", 7 multiplications and 4 squarings.
fn add_mixed(p: &Jacobian, q: &Affine) -> Jacobian {
    let z1z1 = p.z.square();
    let u2 = q.x.mul(&z1z1);
    let s2 = q.y.mul(&p.z.mul(&z1z1));
    let h = u2.sub(&p.x);
    let hh = h.square();
    let i = hh.double().double();
    let j = h.mul(&i);
    let r = s2.sub(&p.y).double();
    let v = p.x.mul(&i);
    let x = r.square().sub(&j).sub(&v.double());
    let y = r.mul(&v.sub(&x)).sub(&p.y.mul(&j).double());
    let z = p.z.add(&h).square().sub(&z1z1).sub(&hh);
    Jacobian { x, y, z }
}

/// The multiples j·16^i·G, window by window.
pub(crate) struct BaseTable {
    entries: Vec<Affine>,
}

static TABLE: OnceLock<Option<BaseTable>> = OnceLock::new();

/// The process's table, built at the first call (about 520 additions and one inversion).
pub(crate) fn table() -> Option<&'static BaseTable> {
    TABLE.get_or_init(BaseTable::new).as_ref()
}

impl BaseTable {
    fn new() -> Option<BaseTable> {
        let b = Fe::from_bytes(&B)?;
        let mut base = Projective {
            x: Fe::from_bytes(&GX)?,
            y: Fe::from_bytes(&GY)?,
            z: Fe::ONE,
        };
        let mut points = Vec::with_capacity(WINDOWS * ENTRIES);
        for _ in 0..WINDOWS {
            let mut multiple = base;
            points.push(multiple);
            for _ in 1..ENTRIES {
                multiple = add(&b, &multiple, &base);
                points.push(multiple);
            }
            base = add(&b, &multiple, &multiple);
        }
        let mut prefix = Vec::with_capacity(points.len());
        let mut running = Fe::ONE;
        for point in &points {
            running = running.mul(&point.z);
            prefix.push(running);
        }
        let mut inverse = running.invert();
        let mut entries = vec![
            Affine {
                x: Fe::ZERO,
                y: Fe::ZERO
            };
            points.len()
        ];
        for (k, point) in points.iter().enumerate().rev() {
            let z_inverse = match k.checked_sub(1).and_then(|j| prefix.get(j)) {
                Some(before) => inverse.mul(before),
                None => inverse,
            };
            inverse = inverse.mul(&point.z);
            if let Some(entry) = entries.get_mut(k) {
                *entry = Affine {
                    x: point.x.mul(&z_inverse).canonical(),
                    y: point.y.mul(&z_inverse).canonical(),
                };
            }
        }
        Some(BaseTable { entries })
    }

    /// The big-endian x-coordinate of k·G for the big-endian scalar `k` (any 256-bit value,
    /// reduced mod n first; zero or a multiple of the group order gives the identity, whose x
    /// reads as zero).
    pub(crate) fn mul_x(&self, k: &[u8; 32]) -> [u8; 32] {
        let point = self.mul(k);
        point.x.mul(&point.z.invert().square()).to_bytes()
    }

    /// The big-endian affine coordinates (x, y) of k·G for the big-endian scalar `k` (the
    /// identity, for zero or a multiple of the group order, reads as (0, 0)).
    pub(crate) fn mul_affine(&self, k: &[u8; 32]) -> ([u8; 32], [u8; 32]) {
        let point = self.mul(k);
        let z_inverse = point.z.invert();
        let z_inverse2 = z_inverse.square();
        (
            point.x.mul(&z_inverse2).to_bytes(),
            point.y.mul(&z_inverse2.mul(&z_inverse)).to_bytes(),
        )
    }

    /// k·G in Jacobian coordinates (Z = 0 for the identity), in constant time.
    fn mul(&self, k: &[u8; 32]) -> Jacobian {
        let mut reduced: [u8; 32] = <Scalar as Reduce<U256>>::reduce(&U256::from_be_slice(k))
            .to_repr()
            .into();
        let mut digits = recode(&reduced);
        reduced.zeroize();
        let mut acc = Jacobian {
            x: Fe::ONE,
            y: Fe::ONE,
            z: Fe::ZERO,
        };
        let mut acc_is_identity = 1u32;
        for (window, &digit) in self.entries.chunks_exact(ENTRIES).zip(digits.iter()) {
            let negative = u32::from((digit as u8) >> 7);
            let magnitude = ((i32::from(digit) ^ -(negative as i32)) + negative as i32) as u32;
            let mut pick = Affine {
                x: Fe::ZERO,
                y: Fe::ZERO,
            };
            for (j, entry) in (1u32..).zip(window) {
                let hit = is_zero(magnitude ^ j).wrapping_neg();
                pick.x.or_masked(&entry.x, hit);
                pick.y.or_masked(&entry.y, hit);
            }
            pick.y = pick.y.select(&pick.y.negate_canonical(), negative);
            let lifted = Jacobian {
                x: pick.x,
                y: pick.y,
                z: Fe::ONE,
            };
            let sum = add_mixed(&acc, &pick).select(&lifted, acc_is_identity);
            let nonzero = 1 ^ is_zero(magnitude);
            acc = acc.select(&sum, nonzero);
            acc_is_identity &= 1 ^ nonzero;
        }
        digits.zeroize();
        acc
    }
}

/// 1 when `x` is zero, else 0, without a branch.
fn is_zero(x: u32) -> u32 {
    1 ^ ((x | x.wrapping_neg()) >> 31)
}

/// `k` (big-endian) as digits d_i in [−8, 8), the last one 0 or 1, with k = Σ d_i·16^i.
fn recode(k: &[u8; 32]) -> [i8; WINDOWS] {
    let mut digits = [0i8; WINDOWS];
    let mut carry = 0u8;
    for (i, digit) in digits.iter_mut().take(WINDOWS - 1).enumerate() {
        let byte = k.get(31 - i / 2).copied().unwrap_or(0);
        let value = ((byte >> (4 * (i % 2))) & 0x0F) + carry;
        carry = (value + 8) >> 4;
        *digit = (value as i8) - ((carry << 4) as i8);
    }
    if let Some(last) = digits.last_mut() {
        *last = carry as i8;
    }
    digits
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::{BaseTable, hex32, recode, table};
    use elliptic_curve::PrimeField;
    use elliptic_curve::point::AffineCoordinates;
    use p256::{ProjectivePoint, Scalar};

    /// Scalars: small ones, ones near the group order, ones with a top nibble of 0xF, and a
    /// deterministic stream of random ones.
    fn scalars(count: usize) -> Vec<Scalar> {
        let mut out: Vec<Scalar> = (1u64..=20).map(Scalar::from).collect();
        out.extend((1u64..=20).map(|k| -Scalar::from(k)));
        out.extend([Scalar::from(8u64), Scalar::from(16u64), Scalar::from(0x8888_8888u64)]);
        let mut state = [7u8; 32];
        while out.len() < count {
            for (i, byte) in state.iter_mut().enumerate() {
                *byte = byte.wrapping_mul(167).wrapping_add(i as u8 ^ 0x5B).rotate_left(3);
            }
            if let Some(s) = Scalar::from_repr(state.into()).into_option() {
                out.push(s);
            }
        }
        out
    }

    #[test]
    fn digits_recompose_the_scalar() {
        for k in scalars(300) {
            let bytes: [u8; 32] = k.to_repr().into();
            let digits = recode(&bytes);
            let mut back = Scalar::ZERO;
            for &d in digits.iter().rev() {
                back *= Scalar::from(16u64);
                let magnitude = Scalar::from(u64::from(d.unsigned_abs()));
                back += if d < 0 { -magnitude } else { magnitude };
            }
            assert_eq!(back, k);
            assert!(digits[..64].iter().all(|&d| (-8..8).contains(&d)));
            assert!((0..=1).contains(&digits[64]));
        }
    }

    /// Asserts that the table's affine k·G is p256's (read back through a SEC 1 public key).
    fn assert_affine_matches_p256(table: &BaseTable, k: Scalar) {
        let expected = (ProjectivePoint::GENERATOR * k).to_affine();
        let (x, y) = table.mul_affine(&k.to_repr().into());
        let sec1 = [[0x04].as_slice(), &x, &y].concat();
        let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).expect("on the curve");
        assert_eq!(*key.as_affine(), expected, "k = {k:?}");
    }

    /// Scalars that stress the cases the mixed addition cannot compute: long runs of zero digits
    /// (the accumulator stays the identity), single non-zero digits at every position, entries
    /// of the largest magnitude, 2^256 mod n and 2^257 mod n, and both sides of where the last
    /// digit becomes 1.
    #[test]
    fn exceptional_shapes_match_p256() {
        let table = table().expect("the table builds");
        let sixteen = Scalar::from(16u64);
        let mut shapes = Vec::new();
        let mut power = Scalar::ONE;
        for _ in 0..64 {
            for d in [1u64, 7, 8, 9, 15] {
                shapes.push(power * Scalar::from(d));
                shapes.push(-(power * Scalar::from(d)));
                shapes.push(power * Scalar::from(d) + Scalar::ONE);
            }
            power *= sixteen;
        }
        let two_256 = power;
        shapes.extend([two_256, two_256.double(), -two_256, -two_256.double()]);
        let half = Scalar::from_repr(hex32("8000000000000000000000000000000000000000000000000000000000000000").into())
            .expect("2^255 < n");
        let boundary =
            Scalar::from_repr(hex32("7888888888888888888888888888888888888888888888888888888888888888").into())
                .expect("below n");
        for k in [half, boundary] {
            for delta in 0u64..4 {
                shapes.push(k + Scalar::from(delta));
                shapes.push(k - Scalar::from(delta + 1));
            }
        }
        for k in shapes {
            assert_affine_matches_p256(table, k);
        }
    }

    #[test]
    fn x_of_k_times_g_matches_p256() {
        let table = table().expect("the table builds");
        for k in scalars(400) {
            let expected = (ProjectivePoint::GENERATOR * k).to_affine().x();
            assert_eq!(
                table.mul_x(&k.to_repr().into()),
                <[u8; 32]>::from(expected),
                "k = {k:?}"
            );
        }
        for k in scalars(60) {
            assert_affine_matches_p256(table, k);
        }
        assert_eq!(table.mul_x(&[0; 32]), [0; 32], "0·G is the identity");
        let n: [u8; 32] = (-Scalar::ONE).to_repr().into();
        let mut order = n;
        order[31] += 1;
        assert_eq!(table.mul_x(&order), [0; 32], "n·G is the identity");
        let all_ones = [0xFF; 32];
        let expected = {
            let wrapped = Scalar::from_repr([0xFF; 32].into()).into_option();
            assert!(wrapped.is_none(), "2^256 − 1 is not below n");
            let reduced = <Scalar as elliptic_curve::ops::Reduce<p256::U256>>::reduce(&p256::U256::MAX);
            (ProjectivePoint::GENERATOR * reduced).to_affine().x()
        };
        assert_eq!(table.mul_x(&all_ones), <[u8; 32]>::from(expected), "2^256 − 1");
    }
}
