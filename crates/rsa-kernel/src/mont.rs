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
    /// The simd128 context (29- or 28-bit limbs) the exponentiations use, when the modulus is small enough.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    pub(crate) simd: Option<crate::simd::SimdMont>,
}

impl Mont {
    /// A context for the odd modulus `n > 1` held in `n.len()` limbs (the top limb may be zero).
    pub(crate) fn new(n: Vec<u32>) -> Option<Mont> {
        let n = Zeroizing::new(n);
        let n_low = *n.first()?;
        let top = n.iter().rposition(|&l| l != 0)?;
        if n_low & 1 == 0 || (top == 0 && n_low == 1) {
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
        let mut one = Zeroizing::new(vec![0u32; l]);
        let mut scratch = Zeroizing::new(vec![0u32; l]);
        one[top] = 1;
        for _ in 32 * top..32 * l {
            mont.double_mod(&mut one, &mut scratch);
        }
        mont.one = one;
        mont.rr = mont.power_of_two(64 * l);
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

    /// `2^k mod n`, in time that depends on `k` and the limb count only.
    ///
    /// Below `R = 2^(32·limbs)`: doublings of 1. From R up, `2^k mod n` is the Montgomery form
    /// `2^j·R` of `2^j`, `j = k − 32·limbs`: doublings of `R mod n` up to `2^(j >> s)·R`, then one
    /// Montgomery squaring per remaining bit of `j` (each doubles the exponent) followed by a
    /// doubling when the bit is set. A doubling costs a few passes over the limbs and a squaring
    /// about `2·limbs` of them, so `s` leaves fewer than `2·limbs` doublings for the first step.
    pub(crate) fn power_of_two(&self, k: usize) -> Zeroizing<Vec<u32>> {
        let l = self.limbs();
        let mut x = Zeroizing::new(vec![0u32; l]);
        let mut reduced = Zeroizing::new(vec![0u32; l]);
        let (start, j) = match k.checked_sub(32 * l) {
            None => {
                x[0] = 1;
                (0, k)
            }
            Some(j) => {
                x.copy_from_slice(&self.one);
                (1, j)
            }
        };
        let bit_length = |v: usize| (usize::BITS - v.leading_zeros()) as usize;
        let squarings = start * bit_length(j).saturating_sub(bit_length(l));
        for _ in 0..j >> squarings {
            self.double_mod(&mut x, &mut reduced);
        }
        let mut t = Zeroizing::new(vec![0u32; self.scratch_len()]);
        for bit in (0..squarings).rev() {
            self.square_assign(&mut x, &mut t);
            if (j >> bit) & 1 == 1 {
                self.double_mod(&mut x, &mut reduced);
            }
        }
        x
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

#[cfg(test)]
#[allow(clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::Mont;
    use crate::test_stream::Stream;
    use alloc::vec;
    use alloc::vec::Vec;

    /// `2^k mod n` the long way: k doublings, each followed by a subtraction when needed.
    fn power_of_two_by_doubling(n: &[u32], k: usize) -> Vec<u32> {
        let mut x = vec![0u32; n.len()];
        x[0] = 1;
        for _ in 0..k {
            let mut carry = 0;
            for limb in x.iter_mut() {
                let next = *limb >> 31;
                *limb = (*limb << 1) | carry;
                carry = next;
            }
            let at_least_n = carry == 1 || x.iter().rev().cmp(n.iter().rev()) != core::cmp::Ordering::Less;
            if at_least_n {
                let mut borrow = 0u64;
                for (a, &b) in x.iter_mut().zip(n) {
                    let d = u64::from(*a).wrapping_sub(u64::from(b)).wrapping_sub(borrow);
                    *a = d as u32;
                    borrow = d >> 63;
                }
            }
        }
        x
    }

    #[test]
    fn montgomery_constants_match_repeated_doubling() {
        let mut stream = Stream(0x9E37_79B9_7F4A_7C15);
        for bits in [
            3usize, 31, 32, 33, 64, 521, 1023, 1024, 1025, 2047, 2048, 2049, 3071, 3072, 4096,
        ] {
            for _ in 0..3 {
                let limbs = bits.div_ceil(32);
                let n = stream.modulus(bits, limbs);
                let mont = Mont::new(n.clone()).expect("odd modulus");
                assert_eq!(
                    &mont.one[..],
                    &power_of_two_by_doubling(&n, 32 * limbs)[..],
                    "R mod n, {bits} bits"
                );
                assert_eq!(
                    &mont.rr[..],
                    &power_of_two_by_doubling(&n, 64 * limbs)[..],
                    "R² mod n, {bits} bits"
                );
                let simd_len = (32 * limbs + 2).div_ceil(28);
                for k in [
                    0,
                    1,
                    5,
                    32 * limbs - 1,
                    32 * limbs + 1,
                    28 * simd_len,
                    56 * simd_len,
                    96 * limbs + 7,
                ] {
                    assert_eq!(
                        &mont.power_of_two(k)[..],
                        &power_of_two_by_doubling(&n, k)[..],
                        "2^{k} mod n, {bits} bits"
                    );
                }
            }
        }
    }

    #[test]
    fn montgomery_constants_with_a_zero_top_limb() {
        let mut stream = Stream(7);
        for (bits, limbs) in [(1000, 33), (2040, 66), (95, 5)] {
            let n = stream.modulus(bits, limbs);
            let mont = Mont::new(n.clone()).expect("odd modulus");
            assert_eq!(&mont.one[..], &power_of_two_by_doubling(&n, 32 * limbs)[..]);
            assert_eq!(&mont.rr[..], &power_of_two_by_doubling(&n, 64 * limbs)[..]);
        }
    }

    #[test]
    fn rejects_moduli_without_a_montgomery_form() {
        assert!(Mont::new(vec![1, 0]).is_none());
        assert!(Mont::new(vec![0, 0]).is_none());
        assert!(Mont::new(vec![4, 1]).is_none());
        assert!(Mont::new(vec![]).is_none());
        assert!(Mont::new(vec![3, 0]).is_some());
    }
}
