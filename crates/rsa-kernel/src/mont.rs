//! Montgomery arithmetic modulo an odd modulus on 32-bit limbs (CIOS with 64-bit products).
//!
//! Every routine runs in time that depends only on the limb count, never on the values: carries
//! are propagated arithmetically and the final subtraction is selected with a mask.

use crate::limbs;
use alloc::vec;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// A Montgomery context: the modulus `n` (odd), `-n⁻¹ mod 2³²`, and `R² mod n` with R = 2^(32·limbs).
#[derive(Clone)]
pub(crate) struct Mont {
    pub(crate) n: Zeroizing<Vec<u32>>,
    pub(crate) n0: u32,
    pub(crate) rr: Zeroizing<Vec<u32>>,
    pub(crate) one: Zeroizing<Vec<u32>>,
    /// The simd128 radix-2^28 context the exponentiations use, when the modulus is small enough.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    pub(crate) simd: Option<crate::simd::SimdMont>,
}

impl Mont {
    /// A context for the odd modulus `n` held in `n.len()` limbs (the top limb may be zero).
    pub(crate) fn new(n: Vec<u32>) -> Option<Mont> {
        let n = Zeroizing::new(n);
        let n_low = *n.first()?;
        if n_low & 1 == 0 || n.iter().all(|&l| l == 0) {
            return None;
        }
        let mut inv = 1u32;
        for _ in 0..5 {
            inv = inv.wrapping_mul(2u32.wrapping_sub(n_low.wrapping_mul(inv)));
        }
        let mut mont = Mont {
            n0: inv.wrapping_neg(),
            rr: Zeroizing::new(vec![0; n.len()]),
            one: Zeroizing::new(vec![0; n.len()]),
            n,
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            simd: None,
        };
        let l = mont.limbs();
        let powers = mont.powers_of_two(&[32 * l, 64 * l]);
        let [one, rr] = powers.as_slice() else {
            return None;
        };
        mont.one.copy_from_slice(one);
        mont.rr.copy_from_slice(rr);
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        {
            mont.simd = crate::simd::SimdMont::new(&mont);
        }
        Some(mont)
    }

    /// The number of limbs.
    pub(crate) fn limbs(&self) -> usize {
        self.n.len()
    }

    /// `2^k mod n` for each `k` of `powers` (ascending), constant time.
    pub(crate) fn powers_of_two(&self, powers: &[usize]) -> Vec<Zeroizing<Vec<u32>>> {
        let mut x = Zeroizing::new(vec![0u32; self.limbs()]);
        if let Some(low) = x.first_mut() {
            *low = 1;
        }
        let mut scratch = Zeroizing::new(vec![0u32; self.limbs()]);
        let mut done = 0;
        let mut out = Vec::with_capacity(powers.len());
        for &k in powers {
            for _ in done..k {
                self.double_mod(&mut x, &mut scratch);
            }
            done = k;
            out.push(x.clone());
        }
        out
    }

    /// `x = 2x mod n` for `x < n`, constant time, with `reduced` scratch of the same length.
    fn double_mod(&self, x: &mut [u32], reduced: &mut [u32]) {
        let top = x.last().map_or(0, |&l| l >> 31);
        let mut carry = 0u32;
        for limb in x.iter_mut() {
            let next = *limb >> 31;
            *limb = (*limb << 1) | carry;
            carry = next;
        }
        let borrow = limbs::sub_into(reduced, x, &self.n);
        let keep = limbs::mask(borrow & (top ^ 1));
        for (v, &r) in x.iter_mut().zip(reduced.iter()) {
            *v = (*v & keep) | (r & !keep);
        }
    }

    /// The scratch length the multiplication routines need.
    pub(crate) fn scratch_len(&self) -> usize {
        2 * self.limbs() + 2
    }

    /// `out = a·b·R⁻¹ mod n` for `a, b < n`, with `t` scratch of [`Mont::scratch_len`].
    pub(crate) fn mul(&self, out: &mut [u32], a: &[u32], b: &[u32], t: &mut [u32]) {
        mont_mul(t, out, a, b, &self.n, self.n0);
    }

    /// `a = a²·R⁻¹ mod n` in place.
    pub(crate) fn square_assign(&self, a: &mut [u32], t: &mut [u32]) {
        let l = self.limbs();
        let (acc, out) = t.split_at_mut(l + 2);
        mont_mul(acc, out, a, a, &self.n, self.n0);
        a.copy_from_slice(&out[..l]);
    }

    /// `out = a·R mod n` for `a < n`.
    pub(crate) fn enter(&self, out: &mut [u32], a: &[u32]) {
        let mut t = Zeroizing::new(vec![0u32; self.scratch_len()]);
        self.mul(out, a, &self.rr, &mut t);
    }

    /// `out = a·R⁻¹ mod n`.
    pub(crate) fn leave(&self, out: &mut [u32], a: &[u32]) {
        let mut t = Zeroizing::new(vec![0u32; self.scratch_len()]);
        let mut unit = vec![0u32; self.limbs()];
        if let Some(low) = unit.first_mut() {
            *low = 1;
        }
        self.mul(out, a, &unit, &mut t);
    }

    /// `out = x·R⁻¹ mod n` for a double-width `x < n·R` (2·limbs limbs): Montgomery reduction.
    pub(crate) fn redc_wide(&self, out: &mut [u32], x: &[u32]) {
        let l = self.limbs();
        let mut t = Zeroizing::new(vec![0u32; 2 * l + 1]);
        t[..2 * l].copy_from_slice(&x[..2 * l]);
        for i in 0..l {
            let m = u64::from(t[i].wrapping_mul(self.n0));
            let mut carry = 0u64;
            for (tj, &nj) in t[i..i + l].iter_mut().zip(self.n.iter()) {
                let s = u64::from(*tj) + m * u64::from(nj) + carry;
                *tj = s as u32;
                carry = s >> 32;
            }
            for tk in t[i + l..].iter_mut() {
                let s = u64::from(*tk) + carry;
                *tk = s as u32;
                carry = s >> 32;
            }
        }
        let high = t[2 * l];
        let mut reduced = Zeroizing::new(vec![0u32; l]);
        let borrow = limbs::sub_into(&mut reduced, &t[l..2 * l], &self.n);
        let keep = limbs::mask(borrow & (high ^ 1));
        limbs::select(out, &t[l..2 * l], &reduced, keep);
    }

    /// `a = a - b mod n` for `a, b < n`.
    pub(crate) fn sub_assign(&self, a: &mut [u32], b: &[u32]) {
        let copy = Zeroizing::new(a.to_vec());
        let borrow = limbs::sub_into(a, &copy, b);
        limbs::add_masked(a, &self.n, limbs::mask(borrow));
    }
}

/// CIOS Montgomery multiplication: `out = a·b·R⁻¹ mod n`, with `t` scratch of `limbs + 2`.
fn mont_mul(t: &mut [u32], out: &mut [u32], a: &[u32], b: &[u32], n: &[u32], n0: u32) {
    let l = n.len();
    let (a, b, out, t) = (&a[..l], &b[..l], &mut out[..l], &mut t[..l + 2]);
    t.fill(0);
    for &ai in a {
        let ai = u64::from(ai);
        let mut carry = 0u64;
        for (tj, &bj) in t[..l].iter_mut().zip(b) {
            let s = u64::from(*tj) + ai * u64::from(bj) + carry;
            *tj = s as u32;
            carry = s >> 32;
        }
        let s = u64::from(t[l]) + carry;
        t[l] = s as u32;
        t[l + 1] = (s >> 32) as u32;

        let m = u64::from(t[0].wrapping_mul(n0));
        let mut carry = (u64::from(t[0]) + m * u64::from(n[0])) >> 32;
        for j in 1..l {
            let s = u64::from(t[j]) + m * u64::from(n[j]) + carry;
            t[j - 1] = s as u32;
            carry = s >> 32;
        }
        let s = u64::from(t[l]) + carry;
        t[l - 1] = s as u32;
        t[l] = t[l + 1] + (s >> 32) as u32;
    }
    let borrow = limbs::sub_into(out, &t[..l], n);
    let keep = limbs::mask(borrow & (t[l] ^ 1));
    for (o, &x) in out.iter_mut().zip(t.iter()) {
        *o = (x & keep) | (*o & !keep);
    }
}
