//! Short Weierstrass points with a = −3 in Jacobian coordinates, variable time (public data only).
//!
//! Formulas from the Explicit-Formulas Database: dbl-2001-b, madd-2007-bl, add-2007-bl. The
//! identity is any point with Z = 0; the exceptional cases of addition (equal or opposite inputs)
//! are handled by branching, which is fine because only public points and scalars come here.
//! Generic over the field: the RustCrypto crates' field elements (P-384) or this crate's own
//! P-256 field ([`crate::p256_field::Fe`]).

use elliptic_curve::ff::PrimeField;

/// The field arithmetic the point formulas and the verification's tables need.
pub(crate) trait FieldOps: Copy {
    /// Zero.
    const ZERO: Self;
    /// One.
    const ONE: Self;
    /// Bits of the field's modulus.
    const BITS: u32;
    /// The element of big-endian `bytes` (exactly the field's length), if below the modulus.
    fn from_be_bytes(bytes: &[u8]) -> Option<Self>;
    /// The canonical big-endian bytes, into `out` (exactly the field's length).
    fn write_be_bytes(&self, out: &mut [u8]);
    /// `self + other`.
    fn plus(&self, other: &Self) -> Self;
    /// `self − other`.
    fn minus(&self, other: &Self) -> Self;
    /// `self · other`.
    fn times(&self, other: &Self) -> Self;
    /// `self²`.
    fn squared(&self) -> Self;
    /// `2·self`.
    fn doubled(&self) -> Self;
    /// `−self`.
    fn negated(&self) -> Self;
    /// `self⁻¹`, or `None` for zero.
    fn inverse(&self) -> Option<Self>;
    /// True for zero.
    fn is_zero_vartime(&self) -> bool;
    /// True when both stand for the same element.
    fn equals(&self, other: &Self) -> bool;
}

impl<F: PrimeField> FieldOps for F {
    const ZERO: Self = <F as elliptic_curve::ff::Field>::ZERO;
    const ONE: Self = <F as elliptic_curve::ff::Field>::ONE;
    const BITS: u32 = F::NUM_BITS;

    fn from_be_bytes(bytes: &[u8]) -> Option<Self> {
        let mut repr = F::Repr::default();
        if repr.as_ref().len() != bytes.len() {
            return None;
        }
        repr.as_mut().copy_from_slice(bytes);
        F::from_repr(repr).into_option()
    }
    fn write_be_bytes(&self, out: &mut [u8]) {
        let repr = self.to_repr();
        if out.len() == repr.as_ref().len() {
            out.copy_from_slice(repr.as_ref());
        }
    }
    fn plus(&self, other: &Self) -> Self {
        *self + other
    }
    fn minus(&self, other: &Self) -> Self {
        *self - other
    }
    fn times(&self, other: &Self) -> Self {
        *self * other
    }
    fn squared(&self) -> Self {
        self.square()
    }
    fn doubled(&self) -> Self {
        self.double()
    }
    fn negated(&self) -> Self {
        -*self
    }
    fn inverse(&self) -> Option<Self> {
        self.invert().into_option()
    }
    fn is_zero_vartime(&self) -> bool {
        bool::from(self.is_zero())
    }
    fn equals(&self, other: &Self) -> bool {
        self == other
    }
}

/// A finite point in affine coordinates.
#[derive(Clone, Copy)]
pub(crate) struct Affine<F: FieldOps> {
    pub(crate) x: F,
    pub(crate) y: F,
}

impl<F: FieldOps> Affine<F> {
    /// −P.
    pub(crate) fn negated(&self) -> Self {
        Affine {
            x: self.x,
            y: self.y.negated(),
        }
    }
}

/// A point (X : Y : Z) standing for (X/Z², Y/Z³); Z = 0 is the identity.
#[derive(Clone, Copy)]
pub(crate) struct Jacobian<F: FieldOps> {
    pub(crate) x: F,
    pub(crate) y: F,
    pub(crate) z: F,
}

impl<F: FieldOps> Jacobian<F> {
    /// The point at infinity.
    pub(crate) fn identity() -> Self {
        Jacobian {
            x: F::ONE,
            y: F::ONE,
            z: F::ZERO,
        }
    }

    /// The affine point `p` with Z = 1.
    pub(crate) fn from_affine(p: &Affine<F>) -> Self {
        Jacobian {
            x: p.x,
            y: p.y,
            z: F::ONE,
        }
    }

    /// True for the point at infinity.
    pub(crate) fn is_identity(&self) -> bool {
        self.z.is_zero_vartime()
    }

    /// 2P (dbl-2001-b, a = −3: 3M + 5S).
    pub(crate) fn double(&self) -> Self {
        if self.is_identity() {
            return *self;
        }
        let delta = self.z.squared();
        let gamma = self.y.squared();
        let beta = self.x.times(&gamma);
        let t = self.x.minus(&delta).times(&self.x.plus(&delta));
        let alpha = t.doubled().plus(&t);
        let beta4 = beta.doubled().doubled();
        let x = alpha.squared().minus(&beta4.doubled());
        let z = self.y.plus(&self.z).squared().minus(&gamma).minus(&delta);
        let gamma8 = gamma.squared().doubled().doubled().doubled();
        let y = alpha.times(&beta4.minus(&x)).minus(&gamma8);
        Jacobian { x, y, z }
    }

    /// P + Q for an affine Q (madd-2007-bl: 7M + 4S).
    pub(crate) fn add_affine(&self, q: &Affine<F>) -> Self {
        if self.is_identity() {
            return Self::from_affine(q);
        }
        let z1z1 = self.z.squared();
        let u2 = q.x.times(&z1z1);
        let s2 = q.y.times(&self.z).times(&z1z1);
        let h = u2.minus(&self.x);
        let r = s2.minus(&self.y).doubled();
        if h.is_zero_vartime() {
            return if r.is_zero_vartime() {
                self.double()
            } else {
                Self::identity()
            };
        }
        let hh = h.squared();
        let i = hh.doubled().doubled();
        let j = h.times(&i);
        let v = self.x.times(&i);
        let x = r.squared().minus(&j).minus(&v.doubled());
        let y = r.times(&v.minus(&x)).minus(&self.y.times(&j).doubled());
        let z = self.z.plus(&h).squared().minus(&z1z1).minus(&hh);
        Jacobian { x, y, z }
    }

    /// P + Q (add-2007-bl: 11M + 5S).
    pub(crate) fn add(&self, q: &Self) -> Self {
        if self.is_identity() {
            return *q;
        }
        if q.is_identity() {
            return *self;
        }
        let z1z1 = self.z.squared();
        let z2z2 = q.z.squared();
        let u1 = self.x.times(&z2z2);
        let u2 = q.x.times(&z1z1);
        let s1 = self.y.times(&q.z).times(&z2z2);
        let s2 = q.y.times(&self.z).times(&z1z1);
        let h = u2.minus(&u1);
        let r = s2.minus(&s1).doubled();
        if h.is_zero_vartime() {
            return if r.is_zero_vartime() {
                self.double()
            } else {
                Self::identity()
            };
        }
        let i = h.doubled().squared();
        let j = h.times(&i);
        let v = u1.times(&i);
        let x = r.squared().minus(&j).minus(&v.doubled());
        let y = r.times(&v.minus(&x)).minus(&s1.times(&j).doubled());
        let z = self.z.plus(&q.z).squared().minus(&z1z1).minus(&z2z2).times(&h);
        Jacobian { x, y, z }
    }
}

/// The affine forms of `points` with one field inversion (Montgomery's trick); `None` when one of
/// them is the identity.
pub(crate) fn to_affine_batch<F: FieldOps>(points: &[Jacobian<F>]) -> Option<Vec<Affine<F>>> {
    let mut prefix = Vec::with_capacity(points.len());
    let mut acc = F::ONE;
    for p in points {
        if p.is_identity() {
            return None;
        }
        prefix.push(acc);
        acc = acc.times(&p.z);
    }
    let mut inv = acc.inverse()?;
    let mut out = Vec::with_capacity(points.len());
    for (p, before) in points.iter().zip(prefix).rev() {
        let z_inv = inv.times(&before);
        inv = inv.times(&p.z);
        let z_inv2 = z_inv.squared();
        out.push(Affine {
            x: p.x.times(&z_inv2),
            y: p.y.times(&z_inv2).times(&z_inv),
        });
    }
    out.reverse();
    Some(out)
}
