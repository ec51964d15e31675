//! Constant-time modular inversion modulo an odd (secret) modulus by Bernstein–Yang "safegcd"
//! (<https://gcd.cr.yp.to/papers.html#safegcd>), in the half-delta variant ("hddivsteps") and with
//! the 30-divstep batches described in libsecp256k1's `doc/safegcd_implementation.md`.
//!
//! Numbers are held as signed 30-bit limbs so that a batch's 2×2 transition matrix (entries up to
//! 2^30) applies with 64-bit products. The number of batches depends only on the limb count (a
//! proven bound on the divsteps any input needs), every divstep is branch-free, and the final
//! normalisation selects with masks: the running time and memory accesses depend on the limb
//! count alone. About 2.3 divsteps per bit: for a 1024-bit prime 80 batches, each a few passes
//! over 36 limbs, against ~1,260 Montgomery multiplications for Fermat's `x^(p−2)`.

use crate::limbs;
use alloc::vec;
use alloc::vec::Vec;
use zeroize::Zeroizing;

/// Divsteps per batch.
const BATCH: usize = 30;
/// The low 30 bits.
const M30: i64 = (1 << 30) - 1;

/// A batch's transition matrix, scaled by 2^30: `(f, g)·2^30 ← (u·f + v·g, q·f + r·g)`.
struct Matrix {
    u: i64,
    v: i64,
    q: i64,
    r: i64,
}

/// `x⁻¹ mod modulus` for an odd `modulus` and `x < modulus` (equal limb counts), as plain limbs;
/// an `x` sharing a factor with the modulus gives a wrong value, which callers detect.
pub(crate) fn invert(modulus: &[u32], x: &[u32]) -> Zeroizing<Vec<u32>> {
    let l = modulus.len();
    let len = (32 * l).div_ceil(30) + 1;
    let m = to_signed30(modulus, len);
    let m_inverse = inverse_mod_2_30(m[0]);
    let mut f = to_signed30(modulus, len);
    let mut g = to_signed30(x, len);
    let mut d = Zeroizing::new(vec![0i32; len]);
    let mut e = Zeroizing::new(vec![0i32; len]);
    e[0] = 1;
    let mut zeta = -1i32;
    for _ in 0..batches(32 * l) {
        let (next, t) = divsteps(zeta, f[0] as u32, g[0] as u32);
        zeta = next;
        update_de(&mut d, &mut e, &t, &m, m_inverse);
        update_fg(&mut f, &mut g, &t);
    }
    normalize(&mut d, f[len - 1], &m);
    from_signed30(&d, &m, l)
}

/// Batches of [`BATCH`] hddivsteps enough for any odd modulus below `2^bits` and any smaller
/// input: the bound ⌊(45907·bits + 30179) / 19929⌋ (github.com/sipa/safegcd-bounds; 591 for 256
/// bits), rounded up to whole batches, plus one batch of margin (further divsteps on g = 0 keep
/// the result).
fn batches(bits: usize) -> usize {
    ((45907 * bits + 30179) / 19929).div_ceil(BATCH) + 1
}

/// `m⁻¹ mod 2^30` for an odd `m` (Newton's iteration doubles the correct bits each round).
fn inverse_mod_2_30(m: i32) -> i64 {
    let m = m as u32;
    let mut inverse = m;
    for _ in 0..4 {
        inverse = inverse.wrapping_mul(2u32.wrapping_sub(m.wrapping_mul(inverse)));
    }
    i64::from(inverse) & M30
}

/// All ones when `value` is below zero, else zero, through an optimisation barrier.
fn sign_mask(value: i32) -> i32 {
    core::hint::black_box(value >> 31)
}

/// 30 branch-free hddivsteps on the low bits of `f` (odd) and `g`, from `zeta = −(δ + ½)`.
fn divsteps(mut zeta: i32, mut f: u32, mut g: u32) -> (i32, Matrix) {
    let (mut u, mut v, mut q, mut r) = (1u32, 0u32, 0u32, 1u32);
    for _ in 0..BATCH {
        let swap = sign_mask(zeta) as u32;
        let odd = core::hint::black_box((g & 1).wrapping_neg());
        g = g.wrapping_add(((f ^ swap).wrapping_sub(swap)) & odd);
        q = q.wrapping_add(((u ^ swap).wrapping_sub(swap)) & odd);
        r = r.wrapping_add(((v ^ swap).wrapping_sub(swap)) & odd);
        let both = swap & odd;
        zeta = (zeta ^ both as i32).wrapping_sub(1);
        f = f.wrapping_add(g & both);
        u = u.wrapping_add(q & both);
        v = v.wrapping_add(r & both);
        g >>= 1;
        u <<= 1;
        v <<= 1;
    }
    let entry = |x: u32| i64::from(x as i32);
    (
        zeta,
        Matrix {
            u: entry(u),
            v: entry(v),
            q: entry(q),
            r: entry(r),
        },
    )
}

/// `(f, g) ← t·(f, g) / 2^30` (exact: the batch made the low 30 bits zero).
fn update_fg(f: &mut [i32], g: &mut [i32], t: &Matrix) {
    let len = f.len();
    let (fi, gi) = (i64::from(f[0]), i64::from(g[0]));
    let mut cf = (t.u * fi + t.v * gi) >> 30;
    let mut cg = (t.q * fi + t.r * gi) >> 30;
    for i in 1..len {
        let (fi, gi) = (i64::from(f[i]), i64::from(g[i]));
        cf += t.u * fi + t.v * gi;
        cg += t.q * fi + t.r * gi;
        f[i - 1] = (cf & M30) as i32;
        g[i - 1] = (cg & M30) as i32;
        cf >>= 30;
        cg >>= 30;
    }
    f[len - 1] = cf as i32;
    g[len - 1] = cg as i32;
}

/// `(d, e) ← (t·(d, e) + m·(md, me)) / 2^30`, with `md, me` chosen so the division is exact and
/// the results stay in (−2m, m) given inputs in that range.
fn update_de(d: &mut [i32], e: &mut [i32], t: &Matrix, m: &[i32], m_inverse: i64) {
    let len = d.len();
    let (sd, se) = (i64::from(sign_mask(d[len - 1])), i64::from(sign_mask(e[len - 1])));
    let mut md = (t.u & sd) + (t.v & se);
    let mut me = (t.q & sd) + (t.r & se);
    let (di, ei) = (i64::from(d[0]), i64::from(e[0]));
    let mut cd = t.u * di + t.v * ei;
    let mut ce = t.q * di + t.r * ei;
    md -= m_inverse.wrapping_mul(cd).wrapping_add(md) & M30;
    me -= m_inverse.wrapping_mul(ce).wrapping_add(me) & M30;
    let m0 = i64::from(m[0]);
    cd = (cd + m0 * md) >> 30;
    ce = (ce + m0 * me) >> 30;
    for i in 1..len {
        let (di, ei, mi) = (i64::from(d[i]), i64::from(e[i]), i64::from(m[i]));
        cd += t.u * di + t.v * ei + mi * md;
        ce += t.q * di + t.r * ei + mi * me;
        d[i - 1] = (cd & M30) as i32;
        e[i - 1] = (ce & M30) as i32;
        cd >>= 30;
        ce >>= 30;
    }
    d[len - 1] = cd as i32;
    e[len - 1] = ce as i32;
}

/// Carries every limb but the top one into [0, 2^30).
fn propagate(x: &mut [i32]) {
    let mut carry = 0i32;
    let top = x.len() - 1;
    for limb in &mut x[..top] {
        let s = *limb + carry;
        *limb = s & M30 as i32;
        carry = s >> 30;
    }
    x[top] += carry;
}

/// `d ← ±d` by the sign of `f_top` (f ends at ±1), then into [0, 2m) by adding m twice when negative.
fn normalize(d: &mut [i32], f_top: i32, m: &[i32]) {
    let negate = sign_mask(f_top);
    for limb in d.iter_mut() {
        *limb = (*limb ^ negate).wrapping_sub(negate);
    }
    propagate(d);
    for _ in 0..2 {
        let negative = sign_mask(d[d.len() - 1]);
        for (limb, &mi) in d.iter_mut().zip(m) {
            *limb += mi & negative;
        }
        propagate(d);
    }
}

/// Non-negative `x` (32-bit limbs) as `len` signed 30-bit limbs.
fn to_signed30(x: &[u32], len: usize) -> Zeroizing<Vec<i32>> {
    let mut out = Zeroizing::new(vec![0i32; len]);
    for (k, limb) in out.iter_mut().enumerate() {
        let (word, shift) = ((30 * k) / 32, (30 * k) % 32);
        let low = x.get(word).map_or(0, |&w| w >> shift);
        let high = if shift > 2 {
            x.get(word + 1).map_or(0, |&w| w << (32 - shift))
        } else {
            0
        };
        *limb = ((low | high) & M30 as u32) as i32;
    }
    out
}

/// `d` in [0, 2m) (signed 30-bit limbs, carried) as `l` 32-bit limbs reduced below m.
fn from_signed30(d: &[i32], m: &[i32], l: usize) -> Zeroizing<Vec<u32>> {
    let mut wide = Zeroizing::new(vec![0u32; l + 1]);
    let mut modulus = Zeroizing::new(vec![0u32; l + 1]);
    for (out, x) in [(&mut wide, d), (&mut modulus, m)] {
        for (k, &limb) in x.iter().enumerate() {
            let (word, shift) = ((30 * k) / 32, (30 * k) % 32);
            let limb = limb as u32;
            if let Some(w) = out.get_mut(word) {
                *w |= limb << shift;
            }
            if shift > 2 {
                if let Some(w) = out.get_mut(word + 1) {
                    *w |= limb >> (32 - shift);
                }
            }
        }
    }
    let mut reduced = Zeroizing::new(vec![0u32; l + 1]);
    let borrow = limbs::sub_into(&mut reduced, &wide, &modulus);
    let mut out = Zeroizing::new(vec![0u32; l]);
    limbs::select(&mut out, &wide[..l], &reduced[..l], limbs::mask(borrow));
    out
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::invert;
    use crate::mont::Mont;
    use crate::test_stream::Stream;
    use alloc::vec;
    use alloc::vec::Vec;
    use core::cmp::Ordering;

    fn compare(a: &[u32], b: &[u32]) -> Ordering {
        a.iter().rev().cmp(b.iter().rev())
    }

    fn subtract(a: &mut [u32], b: &[u32]) {
        let mut borrow = 0u64;
        for (x, &y) in a.iter_mut().zip(b) {
            let d = u64::from(*x).wrapping_sub(u64::from(y)).wrapping_sub(borrow);
            *x = d as u32;
            borrow = d >> 63;
        }
    }

    /// gcd(odd a, b) by Stein's binary algorithm, variable time.
    fn gcd(mut a: Vec<u32>, mut b: Vec<u32>) -> Vec<u32> {
        while b.iter().any(|&w| w != 0) {
            while b[0] & 1 == 0 {
                for i in 0..b.len() {
                    b[i] = (b[i] >> 1) | b.get(i + 1).map_or(0, |&w| w << 31);
                }
            }
            if compare(&a, &b) == Ordering::Greater {
                core::mem::swap(&mut a, &mut b);
            }
            subtract(&mut b, &a);
        }
        a
    }

    /// `x·y mod m` through the Montgomery context (its R² is tested against repeated doubling).
    fn mul_mod(mont: &Mont, x: &[u32], y: &[u32]) -> Vec<u32> {
        let mut entered = vec![0u32; mont.limbs()];
        mont.enter(&mut entered, x);
        let mut t = vec![0u32; mont.scratch_len()];
        let mut out = vec![0u32; mont.limbs()];
        mont.mul(&mut out, &entered, y, &mut t);
        out
    }

    fn one(limbs: usize) -> Vec<u32> {
        let mut one = vec![0u32; limbs];
        one[0] = 1;
        one
    }

    #[test]
    fn inverts_modulo_random_odd_moduli() {
        let mut stream = Stream(0xD1B5_4A32_D192_ED03);
        let mut inverted = 0;
        for bits in [
            2usize, 5, 31, 32, 33, 61, 255, 256, 521, 1023, 1024, 1025, 1536, 2047, 2048, 2049, 3071,
        ] {
            let limbs = bits.div_ceil(32);
            for _ in 0..6 {
                let mut m = stream.below_power(bits, limbs);
                m[0] |= 1;
                m[(bits - 1) / 32] |= 1 << ((bits - 1) % 32);
                let mont = Mont::new(m.clone()).expect("odd modulus");
                let mut x = stream.below_power(bits, limbs);
                while compare(&x, &m) != Ordering::Less {
                    subtract(&mut x, &m);
                }
                let inverse = invert(&m, &x);
                assert_eq!(compare(&inverse, &m), Ordering::Less, "{bits} bits: not reduced");
                if gcd(m.clone(), x.clone()) == one(limbs) {
                    assert_eq!(mul_mod(&mont, &x, &inverse), one(limbs), "{bits} bits: x·x⁻¹ ≠ 1");
                    inverted += 1;
                }
            }
        }
        assert!(inverted > 60, "only {inverted} invertible cases");
    }

    #[test]
    fn inverts_edge_values() {
        let m = vec![0xFFFF_FFFFu32; 32];
        let mont = Mont::new(m.clone()).expect("odd modulus");
        let mut minus_one = m.clone();
        minus_one[0] -= 1;
        let mut two = vec![0u32; 32];
        two[0] = 2;
        for x in [one(32), minus_one.clone(), two] {
            assert_eq!(mul_mod(&mont, &x, &invert(&m, &x)), one(32));
        }
        assert_eq!(&invert(&m, &minus_one)[..], &minus_one[..]);
        assert_eq!(&invert(&m, &one(32))[..], &one(32)[..]);
    }

    #[test]
    fn inverts_modulo_the_prime_2_521_minus_1() {
        let mut p = vec![0xFFFF_FFFFu32; 17];
        p[16] = 0x1FF;
        let mont = Mont::new(p.clone()).expect("odd modulus");
        let mut stream = Stream(42);
        for _ in 0..20 {
            let mut x = stream.below_power(520, 17);
            x[0] |= 1;
            let inverse = invert(&p, &x);
            assert_eq!(mul_mod(&mont, &x, &inverse), one(17));
        }
    }
}
