//! ECDSA verification with precomputed affine tables and an inversion-free final check.
//!
//! u1·G + u2·Q is computed as a multi-scalar multiplication over `CHUNKS` bases per point
//! (P, 2^L·P, 2^2L·P, …), so the shared doubling chain is only L = ⌈bits / CHUNKS⌉ long; each
//! base has its odd multiples in affine form, added with mixed Jacobian–affine additions after
//! a width-w NAF recoding. Everything here is variable time, which is fine: verification only
//! handles public values (key, message digest, signature). The scalars are the curve crate's; the
//! field is any [`FieldOps`]: p384's for ES384, this crate's own for ES256 (1.14–1.17× over p256's).

use crate::jacobian::{Affine, FieldOps, Jacobian, to_affine_batch};
use crate::wnaf::wnaf;
use elliptic_curve::ff::{Field, PrimeField};
use elliptic_curve::ops::{Invert, Reduce};
use elliptic_curve::{FieldBytes, Scalar};
use primeorder::PrimeCurveParams;

/// Bases per point; the doubling chain is an eighth of the scalar length.
const CHUNKS: usize = 8;

/// Odd multiples 1·B, 3·B, …, (2^(w−1) − 1)·B of the `CHUNKS` bases of one point, in affine form.
#[derive(Clone)]
pub(crate) struct Table<F: FieldOps> {
    window: u32,
    chunk_bits: usize,
    points: Vec<Affine<F>>,
}

impl<F: FieldOps> Table<F> {
    /// The table of the finite point `(x, y)` for NAF width `window` (3..=7); `None` when the
    /// coordinates are not field elements or a multiple is the identity (never for a point of
    /// prime order n on the curve, which every multiple below n·P is not).
    pub(crate) fn new(x: &[u8], y: &[u8], window: u32) -> Option<Self> {
        let (x, y) = (F::from_be_bytes(x)?, F::from_be_bytes(y)?);
        let chunk_bits = (F::BITS as usize).div_ceil(CHUNKS);
        let per_chunk = 1usize << (window - 2);
        let mut base = Jacobian::from_affine(&Affine { x, y });
        let mut multiples = Vec::with_capacity(CHUNKS * per_chunk);
        for chunk in 0..CHUNKS {
            if chunk > 0 {
                for _ in 0..chunk_bits {
                    base = base.double();
                }
            }
            let twice = base.double();
            let mut odd = base;
            multiples.push(odd);
            for _ in 1..per_chunk {
                odd = odd.add(&twice);
                multiples.push(odd);
            }
        }
        Some(Table {
            window,
            chunk_bits,
            points: to_affine_batch(&multiples)?,
        })
    }

    fn lookup(&self, chunk: usize, digit: i8) -> Option<Affine<F>> {
        let per_chunk = 1usize << (self.window - 2);
        let index = chunk * per_chunk + usize::from(digit.unsigned_abs() >> 1);
        let point = self.points.get(index)?;
        Some(if digit < 0 { point.negated() } else { *point })
    }
}

/// True when `(r, s)` is a valid ECDSA signature of the message digest `z` (exactly the length of
/// a field element, as with SHA-256 on P-256 and SHA-384 on P-384) for the key whose table is
/// `q`, `g` being the generator's table. Same verdict as RustCrypto's `verify_prehashed`:
/// r, s in [1, n − 1], and x(u1·G + u2·Q) mod n == r with u1 = z/s, u2 = r/s.
pub(crate) fn verify<C: PrimeCurveParams, F: FieldOps>(
    g: &Table<F>,
    q: &Table<F>,
    z: &FieldBytes<C>,
    r: &FieldBytes<C>,
    s: &FieldBytes<C>,
) -> bool {
    let (Some(r_scalar), Some(s_scalar)) = (
        Option::<Scalar<C>>::from(Scalar::<C>::from_repr(*r)),
        Option::<Scalar<C>>::from(Scalar::<C>::from_repr(*s)),
    ) else {
        return false;
    };
    if bool::from(r_scalar.is_zero()) || bool::from(s_scalar.is_zero()) {
        return false;
    }
    let Some(s_inv) = Option::<Scalar<C>>::from(s_scalar.invert_vartime()) else {
        return false;
    };
    let e = <Scalar<C> as Reduce<FieldBytes<C>>>::reduce(z);
    let u1 = wnaf(&(e * s_inv).to_repr(), g.window);
    let u2 = wnaf(&(r_scalar * s_inv).to_repr(), q.window);
    let sum = multi_mul(&[(g, &u1), (q, &u2)]);
    if sum.is_identity() {
        return false;
    }
    x_matches::<C, F>(&sum, r)
}

fn multi_mul<F: FieldOps>(terms: &[(&Table<F>, &Vec<i8>)]) -> Jacobian<F> {
    let chunk_bits = terms.first().map_or(0, |(t, _)| t.chunk_bits);
    let mut acc = Jacobian::identity();
    for offset in (0..=chunk_bits).rev() {
        acc = acc.double();
        for (table, digits) in terms {
            for chunk in 0..CHUNKS {
                if offset == chunk_bits && chunk + 1 != CHUNKS {
                    continue;
                }
                let digit = digits.get(chunk * chunk_bits + offset).copied().unwrap_or(0);
                if digit != 0 {
                    if let Some(point) = table.lookup(chunk, digit) {
                        acc = acc.add_affine(&point);
                    }
                }
            }
        }
    }
    acc
}

/// x(P) mod n == r, without inverting Z: X == r·Z², or X == (r + n)·Z² when r + n < p.
fn x_matches<C: PrimeCurveParams, F: FieldOps>(p: &Jacobian<F>, r: &FieldBytes<C>) -> bool {
    let Some(r_fe) = F::from_be_bytes(r) else {
        return false;
    };
    let zz = p.z.squared();
    if r_fe.times(&zz).equals(&p.x) {
        return true;
    }
    let n_minus_one = -<Scalar<C> as Field>::ONE;
    let Some(n_fe) = F::from_be_bytes(&n_minus_one.to_repr()).map(|f| f.plus(&F::ONE)) else {
        return false;
    };
    let mut p_minus_n = FieldBytes::<C>::default();
    n_fe.negated().write_be_bytes(&mut p_minus_n);
    r.as_slice() < p_minus_n.as_slice() && r_fe.plus(&n_fe).times(&zz).equals(&p.x)
}
