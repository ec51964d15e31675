//! The RSA private operation: CRT with constant-time exponentiations mod p and q, Garner
//! recombination, base blinding with a reused pair, and a fault check before release.

use crate::Error;
use crate::exp;
use crate::inverse;
use crate::limbs;
use crate::mont::Mont;
use crate::public::PublicKey;
use alloc::vec;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// An RSA private key in CRT form, ready for the private operation.
pub struct PrivateKey {
    public: PublicKey,
    p: Prime,
    q: Prime,
    qinv: Zeroizing<Vec<u32>>,
}

/// One prime factor with its Montgomery context, its CRT exponent and `R³ mod prime` (to bring
/// double-width values into Montgomery form).
struct Prime {
    mont: Mont,
    exp: Zeroizing<Vec<u32>>,
    r3: Zeroizing<Vec<u32>>,
}

/// A blinding pair `(r^e, r⁻¹) mod n` in Montgomery form. Each private operation uses it and then
/// squares both halves, so consecutive operations use unrelated-looking factors without a fresh
/// inversion (the OpenSSL scheme).
pub struct Blinding {
    blind: Zeroizing<Vec<u32>>,
    unblind: Zeroizing<Vec<u32>>,
}

impl Prime {
    fn new(prime: &[u8], exp: &[u8], limbs: usize) -> Result<Prime, Error> {
        let value = limbs::from_be(prime, limbs).ok_or(Error::InvalidKey)?;
        if limbs::bit_length_vartime(&value) < 2 {
            return Err(Error::InvalidKey);
        }
        let mont = Mont::new(value).ok_or(Error::InvalidKey)?;
        let exp = Zeroizing::new(limbs::from_be(exp, limbs).ok_or(Error::InvalidKey)?);
        if limbs::lt_ct(&exp, &mont.n) == 0 {
            return Err(Error::InvalidKey);
        }
        let mut t = Zeroizing::new(vec![0u32; mont.scratch_len()]);
        let mut r3 = Zeroizing::new(vec![0u32; limbs]);
        mont.mul(&mut r3, &mont.rr, &mont.rr, &mut t);
        Ok(Prime { mont, exp, r3 })
    }

    /// `out = x·R mod prime` for a double-width `x` below `prime·R`.
    fn reduce_wide_to_mont(&self, out: &mut [u32], x: &[u32]) {
        let mut t = Zeroizing::new(vec![0u32; self.mont.scratch_len()]);
        let mut reduced = Zeroizing::new(vec![0u32; self.mont.limbs()]);
        self.mont.redc_wide(&mut reduced, x);
        self.mont.mul(out, &reduced, &self.r3, &mut t);
    }

    /// `x^exp mod prime` (the CRT exponent) in Montgomery form, for `x` given double width.
    fn pow(&self, out: &mut [u32], x: &[u32]) {
        let mut base = Zeroizing::new(vec![0u32; self.mont.limbs()]);
        self.reduce_wide_to_mont(&mut base, x);
        exp::pow_ct(&self.mont, out, &base, &self.exp);
    }

    /// `x⁻¹ mod prime` in Montgomery form, for `x` given double width and prime to this prime:
    /// the inverse of `x·R` is `x⁻¹·R⁻¹`, and its Montgomery product with R³ is `x⁻¹·R`.
    fn invert(&self, out: &mut [u32], x: &[u32]) {
        let mut entered = Zeroizing::new(vec![0u32; self.mont.limbs()]);
        self.reduce_wide_to_mont(&mut entered, x);
        let inverse = inverse::invert(&self.mont.n, &entered);
        let mut t = Zeroizing::new(vec![0u32; self.mont.scratch_len()]);
        self.mont.mul(out, &inverse, &self.r3, &mut t);
    }
}

impl PrivateKey {
    /// A key from its public half, the big-endian primes `p` and `q`, `dp = d mod (p−1)`,
    /// `dq = d mod (q−1)` and `qinv = q⁻¹ mod p`. Checks `n = p·q` and `q·qinv ≡ 1 (mod p)`;
    /// wrong exponents are caught by the fault check of every operation.
    pub fn new(public: PublicKey, p: &[u8], q: &[u8], dp: &[u8], dq: &[u8], qinv: &[u8]) -> Result<PrivateKey, Error> {
        let bytes = |v: &[u8]| v.len() - v.iter().take_while(|&&b| b == 0).count();
        let limbs = limbs::limbs_for_bytes(bytes(p).max(bytes(q)));
        if 2 * limbs < public.mont.limbs() {
            return Err(Error::InvalidKey);
        }
        let p = Prime::new(p, dp, limbs)?;
        let q = Prime::new(q, dq, limbs)?;
        let mut product = vec![0u32; 2 * limbs];
        limbs::mul_wide(&mut product, &p.mont.n, &q.mont.n);
        let ln = public.mont.limbs();
        if product[ln..].iter().any(|&l| l != 0) || product[..ln] != public.mont.n[..] {
            return Err(Error::InvalidKey);
        }
        let qinv = Zeroizing::new(limbs::from_be(qinv, limbs).ok_or(Error::InvalidKey)?);
        let key = PrivateKey { public, p, q, qinv };
        if limbs::lt_ct(&key.qinv, &key.p.mont.n) == 0 || !key.qinv_is_inverse() {
            return Err(Error::InvalidKey);
        }
        Ok(key)
    }

    /// The public half.
    pub fn public(&self) -> &PublicKey {
        &self.public
    }

    fn qinv_is_inverse(&self) -> bool {
        let limbs = self.p.mont.limbs();
        let mut wide = vec![0u32; 2 * limbs];
        wide[..limbs].copy_from_slice(&self.q.mont.n);
        let mut qm = vec![0u32; limbs];
        self.p.reduce_wide_to_mont(&mut qm, &wide);
        let mut t = vec![0u32; self.p.mont.scratch_len()];
        let mut product = vec![0u32; limbs];
        self.p.mont.mul(&mut product, &qm, &self.qinv, &mut t);
        let mut one = vec![0u32; limbs];
        one[0] = 1;
        limbs::eq_ct(&product, &one) == 1
    }

    /// `out = f_p(x) ⊕ f_q(x)` for `x < n` (limbs of n): `f` applied modulo each prime to `x` given
    /// double width, with a result in Montgomery form, and the two results recombined mod n (Garner).
    fn crt(&self, out: &mut [u32], x: &[u32], f: impl Fn(&Prime, &mut [u32], &[u32])) {
        let limbs = self.p.mont.limbs();
        let mut wide = Zeroizing::new(vec![0u32; 2 * limbs]);
        wide[..x.len()].copy_from_slice(x);
        let mut mp = Zeroizing::new(vec![0u32; limbs]);
        let mut mq = Zeroizing::new(vec![0u32; limbs]);
        f(&self.p, &mut mp, &wide);
        f(&self.q, &mut mq, &wide);
        let mut mq_plain = Zeroizing::new(vec![0u32; limbs]);
        self.q.mont.leave(&mut mq_plain, &mq);
        wide.fill(0);
        wide[..limbs].copy_from_slice(&mq_plain);
        let mut mq_in_p = Zeroizing::new(vec![0u32; limbs]);
        self.p.reduce_wide_to_mont(&mut mq_in_p, &wide);
        self.p.mont.sub_assign(&mut mp, &mq_in_p);
        let mut t = Zeroizing::new(vec![0u32; self.p.mont.scratch_len()]);
        let mut h = Zeroizing::new(vec![0u32; limbs]);
        self.p.mont.mul(&mut h, &mp, &self.qinv, &mut t);
        let mut m = Zeroizing::new(vec![0u32; 2 * limbs + 1]);
        limbs::mul_wide(&mut m[..2 * limbs], &self.q.mont.n, &h);
        let mut addend = Zeroizing::new(vec![0u32; 2 * limbs + 1]);
        addend[..limbs].copy_from_slice(&mq_plain);
        limbs::add_masked(&mut m, &addend, u32::MAX);
        let ln = self.public.mont.limbs();
        out[..ln].copy_from_slice(&m[..ln]);
    }

    /// A fresh blinding pair from `random`, at least [`PublicKey::size`] uniformly random bytes.
    pub fn blinding(&self, random: &[u8]) -> Result<Blinding, Error> {
        let mont = &self.public.mont;
        let l = mont.limbs();
        let size = self.public.size();
        let bytes = random.get(..size).ok_or(Error::InvalidInput)?;
        let mut r = Zeroizing::new(vec![0u32; l]);
        limbs::read_be(bytes, &mut r);
        let keep = self.public.bits() - 1;
        for (i, limb) in r.iter_mut().enumerate() {
            let low = i * 32;
            if low >= keep {
                *limb = 0;
            } else if keep - low < 32 {
                *limb &= (1u32 << (keep - low)) - 1;
            }
        }
        let mut r_inv = Zeroizing::new(vec![0u32; l]);
        self.crt(&mut r_inv, &r, Prime::invert);
        let mut rm = Zeroizing::new(vec![0u32; l]);
        mont.enter(&mut rm, &r);
        let mut blind = Zeroizing::new(vec![0u32; l]);
        exp::pow_public(mont, &mut blind, &rm, self.public.e);
        let mut unblind = Zeroizing::new(vec![0u32; l]);
        mont.enter(&mut unblind, &r_inv);
        let mut t = Zeroizing::new(vec![0u32; mont.scratch_len()]);
        let mut check = Zeroizing::new(vec![0u32; l]);
        mont.mul(&mut check, &rm, &r_inv, &mut t);
        let mut one = vec![0u32; l];
        one[0] = 1;
        if limbs::eq_ct(&check, &one) == 0 {
            return Err(Error::Fault);
        }
        Ok(Blinding { blind, unblind })
    }

    /// `out = input^d mod n` for a big-endian `input < n` of [`PublicKey::size`] bytes, blinded
    /// with `blinding` (which is then updated), and checked by `out^e = input` before release.
    pub fn apply(&self, blinding: &mut Blinding, input: &[u8], out: &mut [u8]) -> Result<(), Error> {
        let mont = &self.public.mont;
        let l = mont.limbs();
        let size = self.public.size();
        if input.len() != size || out.len() != size {
            return Err(Error::InvalidInput);
        }
        let c = Zeroizing::new(limbs::from_be(input, l).ok_or(Error::InvalidInput)?);
        if limbs::lt_ct(&c, &mont.n) == 0 {
            return Err(Error::InvalidInput);
        }
        let mut t = Zeroizing::new(vec![0u32; mont.scratch_len()]);
        let mut blinded = Zeroizing::new(vec![0u32; l]);
        mont.mul(&mut blinded, &c, &blinding.blind, &mut t);
        let mut raised = Zeroizing::new(vec![0u32; l]);
        self.crt(&mut raised, &blinded, Prime::pow);
        let mut m = Zeroizing::new(vec![0u32; l]);
        mont.mul(&mut m, &raised, &blinding.unblind, &mut t);
        mont.square_assign(&mut blinding.blind, &mut t);
        mont.square_assign(&mut blinding.unblind, &mut t);
        let mut check = Zeroizing::new(vec![0u32; l]);
        self.public.pow_e(&mut check, &m);
        if limbs::eq_ct(&check, &c) == 0 {
            return Err(Error::Fault);
        }
        limbs::write_be(&m, out);
        Ok(())
    }
}
