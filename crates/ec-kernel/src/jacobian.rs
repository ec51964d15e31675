//! Short Weierstrass points with a = −3 in Jacobian coordinates, variable time (public data only).
//!
//! Formulas from the Explicit-Formulas Database: dbl-2001-b, madd-2007-bl, add-2007-bl. The
//! identity is any point with Z = 0; the exceptional cases of addition (equal or opposite inputs)
//! are handled by branching, which is fine because only public points and scalars come here.

use elliptic_curve::ff::Field;
use elliptic_curve::hazmat::FieldArithmetic;
use primeorder::PrimeCurveParams;

/// A base field element of curve `C`.
pub(crate) type Fe<C> = <C as FieldArithmetic>::FieldElement;

/// A finite point in affine coordinates.
pub(crate) struct Affine<C: PrimeCurveParams> {
    pub(crate) x: Fe<C>,
    pub(crate) y: Fe<C>,
}

impl<C: PrimeCurveParams> Clone for Affine<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C: PrimeCurveParams> Copy for Affine<C> {}

impl<C: PrimeCurveParams> Affine<C> {
    /// −P.
    pub(crate) fn negated(&self) -> Self {
        Affine { x: self.x, y: -self.y }
    }
}

/// A point (X : Y : Z) standing for (X/Z², Y/Z³); Z = 0 is the identity.
pub(crate) struct Jacobian<C: PrimeCurveParams> {
    pub(crate) x: Fe<C>,
    pub(crate) y: Fe<C>,
    pub(crate) z: Fe<C>,
}

impl<C: PrimeCurveParams> Clone for Jacobian<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C: PrimeCurveParams> Copy for Jacobian<C> {}

impl<C: PrimeCurveParams> Jacobian<C> {
    /// The point at infinity.
    pub(crate) fn identity() -> Self {
        Jacobian {
            x: Fe::<C>::ONE,
            y: Fe::<C>::ONE,
            z: Fe::<C>::ZERO,
        }
    }

    /// The affine point `p` with Z = 1.
    pub(crate) fn from_affine(p: &Affine<C>) -> Self {
        Jacobian {
            x: p.x,
            y: p.y,
            z: Fe::<C>::ONE,
        }
    }

    /// True for the point at infinity.
    pub(crate) fn is_identity(&self) -> bool {
        bool::from(self.z.is_zero())
    }

    /// 2P (dbl-2001-b, a = −3: 3M + 5S).
    pub(crate) fn double(&self) -> Self {
        if self.is_identity() {
            return *self;
        }
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta = self.x * gamma;
        let t = (self.x - delta) * (self.x + delta);
        let alpha = t.double() + t;
        let beta4 = beta.double().double();
        let x = alpha.square() - beta4.double();
        let z = (self.y + self.z).square() - gamma - delta;
        let y = alpha * (beta4 - x) - gamma.square().double().double().double();
        Jacobian { x, y, z }
    }

    /// P + Q for an affine Q (madd-2007-bl: 7M + 4S).
    pub(crate) fn add_affine(&self, q: &Affine<C>) -> Self {
        if self.is_identity() {
            return Self::from_affine(q);
        }
        let z1z1 = self.z.square();
        let u2 = q.x * z1z1;
        let s2 = q.y * self.z * z1z1;
        let h = u2 - self.x;
        let r = (s2 - self.y).double();
        if bool::from(h.is_zero()) {
            return if bool::from(r.is_zero()) {
                self.double()
            } else {
                Self::identity()
            };
        }
        let hh = h.square();
        let i = hh.double().double();
        let j = h * i;
        let v = self.x * i;
        let x = r.square() - j - v.double();
        let y = r * (v - x) - (self.y * j).double();
        let z = (self.z + h).square() - z1z1 - hh;
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
        let z1z1 = self.z.square();
        let z2z2 = q.z.square();
        let u1 = self.x * z2z2;
        let u2 = q.x * z1z1;
        let s1 = self.y * q.z * z2z2;
        let s2 = q.y * self.z * z1z1;
        let h = u2 - u1;
        let r = (s2 - s1).double();
        if bool::from(h.is_zero()) {
            return if bool::from(r.is_zero()) {
                self.double()
            } else {
                Self::identity()
            };
        }
        let i = h.double().square();
        let j = h * i;
        let v = u1 * i;
        let x = r.square() - j - v.double();
        let y = r * (v - x) - (s1 * j).double();
        let z = ((self.z + q.z).square() - z1z1 - z2z2) * h;
        Jacobian { x, y, z }
    }
}

/// The affine forms of `points` with one field inversion (Montgomery's trick); `None` when one of
/// them is the identity.
pub(crate) fn to_affine_batch<C: PrimeCurveParams>(points: &[Jacobian<C>]) -> Option<Vec<Affine<C>>> {
    let mut prefix = Vec::with_capacity(points.len());
    let mut acc = Fe::<C>::ONE;
    for p in points {
        if p.is_identity() {
            return None;
        }
        prefix.push(acc);
        acc *= p.z;
    }
    let mut inv = Option::<Fe<C>>::from(acc.invert())?;
    let mut out = Vec::with_capacity(points.len());
    for (p, before) in points.iter().zip(prefix).rev() {
        let z_inv = inv * before;
        inv *= p.z;
        let z_inv2 = z_inv.square();
        out.push(Affine {
            x: p.x * z_inv2,
            y: p.y * z_inv2 * z_inv,
        });
    }
    out.reverse();
    Some(out)
}
