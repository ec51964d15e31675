//! The arithmetic of RSA key import and generation, on the kernel's limbs and Montgomery
//! exponentiation: CRT exponents and coefficient, the private exponent modulo λ(n), and the
//! Miller–Rabin test.
//!
//! Every helper runs in time that depends only on the lengths of its inputs, except where a
//! function says otherwise: division is bit-serial with masked subtraction, the gcd is the binary
//! one with a fixed number of masked steps, inverses modulo the small public exponent use
//! Fermat's little theorem.

use crate::Error;
use crate::exp;
use crate::limbs;
use crate::mont::Mont;
use alloc::vec;
use alloc::vec::Vec;
use zeroize::Zeroizing;

type Limbs = Zeroizing<Vec<u32>>;

fn significant_len(bytes: &[u8]) -> usize {
    bytes.len() - bytes.iter().take_while(|&&b| b == 0).count()
}

fn from_bytes(bytes: &[u8]) -> Limbs {
    let len = limbs::limbs_for_bytes(significant_len(bytes)).max(1);
    let mut out = Zeroizing::new(vec![0u32; len]);
    limbs::read_be(bytes, &mut out);
    out
}

fn to_bytes(value: &[u32]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(vec![0u8; value.len() * 4]);
    limbs::write_be(value, &mut out);
    out
}

fn widened(value: &[u32], len: usize) -> Limbs {
    let mut out = Zeroizing::new(vec![0u32; len.max(value.len())]);
    out[..value.len()].copy_from_slice(value);
    out
}

/// `a = if m { b } else { a }` limb by limb.
fn assign_masked(a: &mut [u32], b: &[u32], m: u32) {
    for (x, &y) in a.iter_mut().zip(b) {
        *x = (y & m) | (*x & !m);
    }
}

/// Swaps `a` and `b` when `m` is all ones.
fn swap_masked(a: &mut [u32], b: &mut [u32], m: u32) {
    for (x, y) in a.iter_mut().zip(b.iter_mut()) {
        let t = (*x ^ *y) & m;
        *x ^= t;
        *y ^= t;
    }
}

/// `a = (a << 1) | bit`, returning the bit shifted out.
fn shl1(a: &mut [u32], bit: u32) -> u32 {
    let mut carry = bit;
    for limb in a.iter_mut() {
        let out = *limb >> 31;
        *limb = (*limb << 1) | carry;
        carry = out;
    }
    carry
}

/// `a >>= 1` when `m` is all ones.
fn shr1_masked(a: &mut [u32], m: u32) {
    let mut carry = 0;
    for limb in a.iter_mut().rev() {
        let shifted = (*limb >> 1) | (carry << 31);
        carry = *limb & 1;
        *limb = (shifted & m) | (*limb & !m);
    }
}

/// `a -= b & m` (equal lengths), returning the borrow.
fn sub_masked(a: &mut [u32], b: &[u32], m: u32) -> u32 {
    let mut borrow = 0u64;
    for (x, &y) in a.iter_mut().zip(b) {
        let d = u64::from(*x).wrapping_sub(u64::from(y & m)).wrapping_sub(borrow);
        *x = d as u32;
        borrow = d >> 63;
    }
    borrow as u32
}

/// `(a / m, a mod m)` for `m ≠ 0` (the caller checks), by restoring division one bit of `a` at a
/// time, each step a shift fused with a trial subtraction on `m.len() + 1` limbs, then a masked
/// copy. When the top limb of `m` is not zero (every caller's prime or prime − 1, whose limbs
/// come from [`from_bytes`]), the top `m.len() − 1` limbs of `a` are below `m` and need no step:
/// they are copied in whole and the steps are `(a.len() − m.len() + 1)·32`, otherwise
/// `a.len()·32`. The count depends on the lengths and on that top limb, never on other values.
fn div_rem(a: &[u32], m: &[u32]) -> (Limbs, Limbs) {
    let l = m.len() + 1;
    let divisor = widened(m, l);
    let mut quotient = Zeroizing::new(vec![0u32; a.len()]);
    let mut r = Zeroizing::new(vec![0u32; l]);
    let mut t = Zeroizing::new(vec![0u32; l]);
    let preloaded = match m.last() {
        Some(&top) if top != 0 => (m.len() - 1).min(a.len()),
        _ => 0,
    };
    r[..preloaded].copy_from_slice(&a[a.len() - preloaded..]);
    for bit in (0..(a.len() - preloaded) * 32).rev() {
        let mut carry = (a[bit / 32] >> (bit % 32)) & 1;
        let mut borrow = 0u64;
        for ((x, y), &d) in r.iter_mut().zip(t.iter_mut()).zip(divisor.iter()) {
            let shifted = (*x << 1) | carry;
            carry = *x >> 31;
            *x = shifted;
            let diff = u64::from(shifted).wrapping_sub(u64::from(d)).wrapping_sub(borrow);
            *y = diff as u32;
            borrow = diff >> 63;
        }
        let fits = 1 ^ borrow as u32;
        assign_masked(&mut r, &t, limbs::mask(fits));
        quotient[bit / 32] |= fits << (bit % 32);
    }
    r.truncate(m.len());
    (quotient, r)
}

/// `a·b`, `a.len() + b.len()` limbs (schoolbook).
fn mul(a: &[u32], b: &[u32]) -> Limbs {
    let mut out = Zeroizing::new(vec![0u32; a.len() + b.len()]);
    limbs::mul_wide(&mut out, a, b);
    out
}

/// `a·k + c`, one limb longer than `a`.
fn mul_add_small(a: &[u32], k: u32, c: u32) -> Limbs {
    let mut out = Zeroizing::new(vec![0u32; a.len() + 1]);
    let mut carry = u64::from(c);
    for (o, &x) in out.iter_mut().zip(a) {
        let s = u64::from(x) * u64::from(k) + carry;
        *o = s as u32;
        carry = s >> 32;
    }
    out[a.len()] = carry as u32;
    out
}

/// `a / k` for an odd `k` that divides `a` exactly (Hensel division: multiplications by
/// `k⁻¹ mod 2³²`, no division instruction).
fn div_exact_small(a: &[u32], k: u32) -> Limbs {
    let mut inv = 1u32;
    for _ in 0..5 {
        inv = inv.wrapping_mul(2u32.wrapping_sub(k.wrapping_mul(inv)));
    }
    let mut out = Zeroizing::new(vec![0u32; a.len()]);
    let mut owed = 0u64;
    for (o, &x) in out.iter_mut().zip(a) {
        let t = u64::from(x).wrapping_sub(owed);
        let low = t as u32;
        let q = low.wrapping_mul(inv);
        *o = q;
        let product = u64::from(q) * u64::from(k);
        owed = ((product - u64::from(low)) >> 32) + (t >> 63);
    }
    out
}

/// `x mod k` for a 64-bit `x` and a nonzero `k`, bit-serial (no division instruction).
fn rem_u64(x: u64, k: u32) -> u32 {
    let k = u64::from(k);
    let mut r = 0u64;
    for bit in (0..64).rev() {
        r = (r << 1) | ((x >> bit) & 1);
        let t = r.wrapping_sub(k);
        let fits = (t >> 63).wrapping_sub(1);
        r = (t & fits) | (r & !fits);
    }
    r as u32
}

/// `x⁻¹ mod k` for a prime `k` (Fermat: `x^(k−2)`), checked: `None` when `x ≡ 0` or `k` is not
/// prime. The exponent is public; the multiplications do not branch on `x`.
fn inverse_mod_prime(x: u32, k: u32) -> Option<u32> {
    let mut acc = 1u32;
    let e = k.checked_sub(2)?;
    for bit in (0..32).rev() {
        acc = rem_u64(u64::from(acc) * u64::from(acc), k);
        if (e >> bit) & 1 == 1 {
            acc = rem_u64(u64::from(acc) * u64::from(x), k);
        }
    }
    (rem_u64(u64::from(acc) * u64::from(x), k) == 1).then_some(acc)
}

/// `gcd(a, b)` of two equal-length values, not both zero: the shared power of two is taken out
/// and put back with masked shifts, the odd part by binary steps (`2·bits` of them, enough for
/// any inputs).
fn gcd(a: &[u32], b: &[u32]) -> Limbs {
    let bits = a.len() * 32;
    let mut u = Zeroizing::new(a.to_vec());
    let mut v = Zeroizing::new(b.to_vec());
    let mut twos = 0u32;
    for _ in 0..bits {
        let both_even = limbs::mask((!(u[0] | v[0])) & 1);
        shr1_masked(&mut u, both_even);
        shr1_masked(&mut v, both_even);
        twos += both_even & 1;
    }
    let u_even = limbs::mask(!u[0] & 1);
    swap_masked(&mut u, &mut v, u_even);
    for _ in 0..2 * bits {
        let v_odd = limbs::mask(v[0] & 1);
        let swap = v_odd & limbs::mask(limbs::lt_ct(&v, &u));
        swap_masked(&mut u, &mut v, swap);
        sub_masked(&mut v, &u, v_odd);
        shr1_masked(&mut v, u32::MAX);
    }
    for i in 0..bits as u32 {
        let below = limbs::mask(((u64::from(i).wrapping_sub(u64::from(twos))) >> 63) as u32);
        let mut shifted = u.clone();
        shl1(&mut shifted, 0);
        assign_masked(&mut u, &shifted, below);
    }
    u
}

/// `prime − 1` for an odd prime (clears bit 0).
fn minus_one(prime: &[u32]) -> Limbs {
    let mut out = Zeroizing::new(prime.to_vec());
    out[0] &= !1;
    out
}

fn odd_prime(bytes: &[u8]) -> Result<Limbs, Error> {
    let prime = from_bytes(bytes);
    if prime[0] & 1 == 0 || limbs::bit_length_vartime(&prime) < 2 {
        return Err(Error::InvalidKey);
    }
    Ok(prime)
}

fn is_one(value: &[u32]) -> u32 {
    let mut one = vec![0u32; value.len()];
    one[0] = 1;
    limbs::eq_ct(value, &one)
}

/// `d mod (prime − 1)` (big-endian, as long as `prime`), checked against the public exponent:
/// `InvalidKey` unless `e·(d mod (prime − 1)) ≡ 1 (mod prime − 1)`, the condition for `d` to
/// invert `e` modulo `prime − 1`. Constant time in `d` and `prime`.
pub fn crt_exponent(d: &[u8], prime: &[u8], e: u32) -> Result<Zeroizing<Vec<u8>>, Error> {
    let prime = odd_prime(prime)?;
    let modulus = minus_one(&prime);
    let (_, dp) = div_rem(&from_bytes(d), &modulus);
    let (_, check) = div_rem(&mul_add_small(&dp, e, 0), &modulus);
    if is_one(&check) == 0 {
        return Err(Error::InvalidKey);
    }
    Ok(to_bytes(&dp))
}

/// `q⁻¹ mod p` (big-endian, as long as `p`) for distinct odd primes: `q^(p−2) mod p` by the
/// constant-time exponentiation, checked.
pub fn crt_coefficient(p: &[u8], q: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
    let p = odd_prime(p)?;
    let (_, q_mod_p) = div_rem(&from_bytes(q), &p);
    let mont = Mont::new(p.to_vec()).ok_or(Error::InvalidKey)?;
    let l = mont.limbs();
    let mut two = vec![0u32; l];
    two[0] = 2;
    let mut exponent = Zeroizing::new(vec![0u32; l]);
    limbs::sub_into(&mut exponent, &p, &two);
    let mut base = Zeroizing::new(vec![0u32; l]);
    mont.enter(&mut base, &q_mod_p);
    let mut raised = Zeroizing::new(vec![0u32; l]);
    exp::pow_ct(&mont, &mut raised, &base, &exponent);
    let mut inverse = Zeroizing::new(vec![0u32; l]);
    mont.leave(&mut inverse, &raised);
    let mut t = Zeroizing::new(vec![0u32; mont.scratch_len()]);
    let mut check = Zeroizing::new(vec![0u32; l]);
    mont.mul(&mut check, &base, &raised, &mut t);
    if limbs::eq_ct(&check, &mont.one) == 0 {
        return Err(Error::InvalidKey);
    }
    Ok(to_bytes(&inverse))
}

/// The private exponent `d = e⁻¹ mod λ(n)`, `λ(n) = lcm(p − 1, q − 1)` (FIPS 186-5 A.1.1), for odd
/// primes `p`, `q` and a prime public exponent `e` (65537): `d = (1 + k·λ)/e` with
/// `k = −λ⁻¹ mod e`. Big-endian, as long as `n`; `InvalidKey` when `e` divides `λ`.
pub fn private_exponent(p: &[u8], q: &[u8], e: u32) -> Result<Zeroizing<Vec<u8>>, Error> {
    let (p, q) = (odd_prime(p)?, odd_prime(q)?);
    let l = p.len().max(q.len());
    let (p1, q1) = (widened(&minus_one(&p), l), widened(&minus_one(&q), l));
    let g = gcd(&p1, &q1);
    let (lambda, _) = div_rem(&mul(&p1, &q1), &g);
    let (_, lambda_mod_e) = div_rem(&lambda, &[e]);
    let inverse = inverse_mod_prime(lambda_mod_e[0], e).ok_or(Error::InvalidKey)?;
    let k = e - inverse;
    let numerator = mul_add_small(&lambda, k, 1);
    let d = div_exact_small(&numerator, e);
    Ok(to_bytes(&d[..2 * l]))
}

/// Bases tried by [`recover_primes`]: each finds the factors of a genuine two-prime key with
/// probability at least 1/2, so a genuine key fails with probability at most 2^-40, and a key that
/// only looks consistent (a prime power, say) costs at most this many exponentiations.
const RECOVERY_BASES: u32 = 40;

/// The prime factors `(p, q)`, `p > q`, of a two-prime modulus `n` from its exponents (NIST
/// SP 800-56B Rev. 2 Appendix C.2): with `d·e − 1 = 2^t·r`, a base `g` whose `g^r` reaches a
/// square root of 1 other than ±1 gives `p = gcd(y − 1, n)`. Bases 2, 3, 4, … are tried (each
/// one succeeds with probability at least 1/2); `InvalidKey` when `d` does not fit `e` and `n` —
/// found at the first base, whose `g^(d·e − 1)` is then not 1 — or when `n` is a probable prime.
///
/// Not constant time: the squarings stop when 1 or −1 is reached, which depends on `d` and the
/// factors. The exponentiations themselves are the constant-time ones. Only for keys given
/// without their primes (an RSA JWK with `n`, `e` and `d` alone).
pub fn recover_primes(n: &[u8], e: u32, d: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let n = odd_prime(n)?;
    let l = n.len();
    let product = mul_add_small(&from_bytes(d), e, 0);
    let mut one = vec![0u32; product.len()];
    one[0] = 1;
    let mut k = Zeroizing::new(vec![0u32; product.len()]);
    if limbs::sub_into(&mut k, &product, &one) != 0 {
        return Err(Error::InvalidKey);
    }
    let t = k
        .iter()
        .position(|&limb| limb != 0)
        .map_or(0, |i| i * 32 + k[i].trailing_zeros() as usize);
    if t == 0 {
        return Err(Error::InvalidKey);
    }
    let mut r = Zeroizing::new(vec![0u32; k.len()]);
    for bit in t..k.len() * 32 {
        r[(bit - t) / 32] |= ((k[bit / 32] >> (bit % 32)) & 1) << ((bit - t) % 32);
    }
    let mont = Mont::new(n.to_vec()).ok_or(Error::InvalidKey)?;
    let mut minus_one_m = Zeroizing::new(vec![0u32; l]);
    limbs::sub_into(&mut minus_one_m, &mont.n, &mont.one);
    let mut scratch = Zeroizing::new(vec![0u32; mont.scratch_len()]);
    if is_strong_probable_prime(&to_bytes(&n), &[2]).unwrap_or(false) {
        return Err(Error::InvalidKey);
    }
    for g in 2u32..2 + RECOVERY_BASES {
        let mut base = Zeroizing::new(vec![0u32; l]);
        base[0] = g;
        let mut entered = Zeroizing::new(vec![0u32; l]);
        mont.enter(&mut entered, &base);
        let mut y = Zeroizing::new(vec![0u32; l]);
        exp::pow_ct(&mont, &mut y, &entered, &r);
        if limbs::eq_ct(&y, &mont.one) == 1 || limbs::eq_ct(&y, &minus_one_m) == 1 {
            continue;
        }
        let mut reached_minus_one = false;
        for _ in 0..t {
            let mut x = Zeroizing::new(y.to_vec());
            mont.square_assign(&mut x, &mut scratch);
            if limbs::eq_ct(&x, &minus_one_m) == 1 {
                reached_minus_one = true;
                break;
            }
            if limbs::eq_ct(&x, &mont.one) == 1 {
                let mut plain = Zeroizing::new(vec![0u32; l]);
                mont.leave(&mut plain, &y);
                let mut unit = vec![0u32; l];
                unit[0] = 1;
                let mut y_minus_1 = Zeroizing::new(vec![0u32; l]);
                limbs::sub_into(&mut y_minus_1, &plain, &unit);
                let p = gcd(&y_minus_1, &n);
                let (q, rest) = div_rem(&n, &p);
                if is_one(&p) == 1 || rest.iter().any(|&limb| limb != 0) {
                    return Err(Error::InvalidKey);
                }
                let (p, q) = (to_bytes(&p), to_bytes(&widened(&q, l)));
                let strip = |v: &[u8]| v[v.len() - significant_len(v)..].to_vec();
                let (p, q) = (strip(&p), strip(&q));
                let p_larger = p.len() > q.len() || (p.len() == q.len() && p > q);
                return Ok(if p_larger { (p, q) } else { (q, p) });
            }
            y.copy_from_slice(&x);
        }
        if !reached_minus_one {
            return Err(Error::InvalidKey);
        }
    }
    Err(Error::InvalidKey)
}

/// The modulus `p·q` (big-endian, as long as `p` and `q` together).
pub fn modulus(p: &[u8], q: &[u8]) -> Vec<u8> {
    to_bytes(&mul(&from_bytes(p), &from_bytes(q))).to_vec()
}

/// True when the odd `w > 3` is a strong probable prime to `base` (`1 < base < w − 1`), FIPS
/// 186-5 B.3.1: with `w − 1 = 2^s·m`, `base^m ≡ 1` or `base^(2^j·m) ≡ −1` for some `j < s`.
///
/// The exponentiation is constant time; the `s − 1` squarings are all done (no early exit), so
/// the running time reveals `s` only.
pub fn is_strong_probable_prime(w: &[u8], base: &[u8]) -> Result<bool, Error> {
    let w = odd_prime(w)?;
    let l = w.len();
    let base = widened(&from_bytes(base), l);
    if base.len() > l || limbs::lt_ct(&base, &w) == 0 {
        return Err(Error::InvalidInput);
    }
    let w1 = minus_one(&w);
    let s = w1
        .iter()
        .position(|&limb| limb != 0)
        .map_or(0, |i| i * 32 + w1[i].trailing_zeros() as usize);
    let mut m = Zeroizing::new(vec![0u32; l]);
    for bit in s..l * 32 {
        let from = (w1[bit / 32] >> (bit % 32)) & 1;
        m[(bit - s) / 32] |= from << ((bit - s) % 32);
    }
    let mont = Mont::new(w.to_vec()).ok_or(Error::InvalidKey)?;
    let mut minus_one_m = Zeroizing::new(vec![0u32; l]);
    limbs::sub_into(&mut minus_one_m, &mont.n, &mont.one);
    let mut entered = Zeroizing::new(vec![0u32; l]);
    mont.enter(&mut entered, &base);
    let mut x = Zeroizing::new(vec![0u32; l]);
    exp::pow_ct(&mont, &mut x, &entered, &m);
    let mut passes = limbs::eq_ct(&x, &mont.one) | limbs::eq_ct(&x, &minus_one_m);
    let mut t = Zeroizing::new(vec![0u32; mont.scratch_len()]);
    for _ in 1..s {
        mont.square_assign(&mut x, &mut t);
        passes |= limbs::eq_ct(&x, &minus_one_m);
    }
    Ok(passes == 1)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::test_stream::Stream as Rng;
    use crypto_bigint::{BoxedUint, ConcatenatingMul, Gcd, NonZero};

    fn big(value: &[u32]) -> BoxedUint {
        BoxedUint::from_be_slice_vartime(&to_bytes(value))
    }

    fn same(ours: &[u32], theirs: &BoxedUint) {
        let ours = to_bytes(ours);
        let theirs = theirs.to_be_bytes();
        let strip = |b: &[u8]| b[b.len() - significant_len(b)..].to_vec();
        assert_eq!(strip(&ours), strip(&theirs));
    }

    #[test]
    fn division_matches_crypto_bigint() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for (a_len, m_len) in [
            (2, 1),
            (8, 3),
            (64, 32),
            (65, 33),
            (16, 16),
            (1, 1),
            (3, 8),
            (7, 8),
            (9, 8),
        ] {
            for round in 0..40 {
                let a = rng.limbs(a_len);
                let mut m = rng.limbs(m_len);
                m[m_len - 1] >>= rng.next() % 32;
                if round % 4 == 0 {
                    m[m_len - 1] = 0;
                }
                if round % 8 == 1 {
                    m[m_len - 1] = 1;
                }
                m[0] |= 1 << (rng.next() % 32);
                let (q, r) = div_rem(&a, &m);
                let (bq, br) = big(&a).div_rem(&NonZero::new(big(&m)).unwrap());
                same(&q, &bq);
                same(&r, &br);
            }
        }
    }

    #[test]
    fn products_and_exact_division_match_crypto_bigint() {
        let mut rng = Rng(0x0123_4567_89ab_cdef);
        for len in [1, 5, 64] {
            for _ in 0..20 {
                let a = rng.limbs(len);
                let b = rng.limbs(len);
                same(&mul(&a, &b), &big(&a).concatenating_mul(&big(&b)));
                let k = rng.next() | 1;
                let c = rng.next();
                let product = mul_add_small(&a, k, c);
                let expected = big(&a)
                    .concatenating_mul(&BoxedUint::from(u64::from(k)))
                    .concatenating_add(BoxedUint::from(u64::from(c)));
                same(&product, &expected);
                same(&div_exact_small(&mul_add_small(&a, k, 0), k), &big(&a));
            }
        }
    }

    #[test]
    fn gcd_matches_crypto_bigint() {
        let mut rng = Rng(0xdead_beef_cafe_f00d);
        for len in [1, 4, 32] {
            for _ in 0..20 {
                let common = rng.limbs(1);
                let a = mul(&rng.limbs(len), &common);
                let b = mul(&rng.limbs(len), &common);
                let a = widened(&a, len + 1);
                let b = widened(&b, len + 1);
                same(&gcd(&a, &b), &big(&a).gcd(&big(&b)));
            }
        }
        same(&gcd(&[12, 0], &[0, 0]), &BoxedUint::from(12u64));
        same(&gcd(&[0, 1], &[0, 2]), &BoxedUint::from(1u64 << 32));
    }

    #[test]
    fn small_modular_helpers_match_plain_arithmetic() {
        let mut rng = Rng(42);
        for _ in 0..200 {
            let x = (u64::from(rng.next()) << 32) | u64::from(rng.next());
            let k = rng.next().max(1);
            assert_eq!(u64::from(rem_u64(x, k)), x % u64::from(k));
        }
        for x in [1u32, 2, 3, 65535, 65536, 12345] {
            let inv = inverse_mod_prime(x, 65537).unwrap();
            assert_eq!(u64::from(inv) * u64::from(x) % 65537, 1);
        }
        assert_eq!(inverse_mod_prime(0, 65537), None);
        assert_eq!(inverse_mod_prime(3, 65535), None, "65535 is not prime");
    }
}
