//! Montgomery multiplication with wasm simd128: 29- or 28-bit limbs ([`WIDTHS`]), operand scanning four rows per
//! pass over the limbs of a and n (row i adds `a·b_i + n·m_i`; even rows go to an even and odd
//! rows to an odd accumulator of u64 lanes, so that every row adds to whole vectors, and the two
//! rows of one accumulator share its loads and stores), carries delayed to one scalar chain, and
//! no final subtraction (R > 4n keeps every value below 2n). The four `m_i` of a pass come from
//! the scalar column sums before its rows are added, plus the products of its earlier rows, two
//! at a time: `m_i + 2^w·m_(i+1) = −t·n⁻¹ mod 2^(2w)` for w-bit limbs and the two columns' value t, one 64-bit
//! product instead of two dependent 32-bit ones (the pass's scalar work is a dependency chain;
//! about 3 % faster per exponentiation than one `m_i` at a time in the fastest rounds, for issue 7).
//!
//! Both operands of every `extmul` are loads inside the loop: LLVM turns an extended multiply by
//! a loop-invariant splat into `i64x2.mul` (the extension is hoisted), which V8 expands into a
//! long scalar-like sequence (checked on the built module by tests/package/wasm-simd.mjs). The
//! splats of `b_i` and `m_i` therefore sit in the accumulator's own cells, at an index opaque to
//! the compiler, so every store to the accumulator may change them and they are reloaded.
//!
//! Measured against the product scanning this replaced (two columns per pass, ≈ 150 wasm
//! instructions of scalar work per pass; the timing probe of bench/rsa-timing.mjs, ms per
//! 1024-bit exponentiation, variants interleaved in one process, fastest of 30 rounds): product
//! scanning 1.58–1.62, four columns per pass 1.88, one row per pass 1.73 (1.66 with the splats in
//! cells rather than behind `black_box`, whose spilled pointer cost a store-to-load round trip per
//! iteration), two rows per pass 1.39–1.49, four rows per pass 1.37. For 2048-bit moduli: 9.0
//! (product scanning), 8.4 (two rows), 8.2 (four rows).
//!
//! Squarings use this multiplication too: a dedicated squaring (each off-diagonal a·a product
//! once, doubled, four limbs per vector) did 10–20 % fewer extmuls but took 1.2–1.8× the time of
//! `mul(a, a)` in V8 for 1024- and 2048-bit moduli, its per-column scalar work and short loops
//! costing more than the products saved (measured for issue 7, branch w/sqr).
//!
//! Also measured for issue 7 (branch w/rsamul, timing probe) and left out: six or eight rows per
//! pass (V8 spills the extra live vectors to the stack: 1.2–1.4× slower); the next pass's
//! factors computed inside the current pass's loop, after the two quads they depend on (4 %
//! slower); the CRT halves' multiplications interleaved in one lockstep exponentiation (no
//! change, +2.5 KB gzip); vector loads for `a` and stores instead of `memory.fill` (no change).
//! The exponentiation's table selection reads the entries as vectors ([`QuadTable`]): about 5 %
//! of an exponentiation's time in a CPU profile, where the limb-by-limb scan had taken 13 %.

use crate::exp::MontMul;
use crate::limbs;
use crate::mont::Mont;
use alloc::vec;
use alloc::vec::Vec;
use core::arch::wasm32::{
    i64x2_add, u32x4, u32x4_extract_lane, u32x4_splat, u64x2_extmul_high_u32x4, u64x2_extmul_low_u32x4,
    u64x2_extract_lane, u64x2_splat, v128, v128_and, v128_or,
};
use core::cell::Cell;
use core::hint::black_box;
use zeroize::Zeroizing;

/// The limb widths a context may take, in bits, with the most limbs each allows, widest first:
/// the widest that fits is used, so that a modulus takes as few limbs (rows and passes) as it can.
/// A lane of the accumulators takes the products of every other row only (even rows and odd rows
/// have their own accumulators), two per row (a·b and m·n): at most 2·⌈len/2⌉ products below
/// 2^(2·bits), nothing else is ever added to a lane, and 2·⌈len/2⌉·(2^bits − 1)² < 2^64 for
/// 64 limbs of 29 bits and 255 of 28. Carries stay in a scalar below 2^38; a pass's scalar column
/// sums add at most 8 products and values below 2^39 to a lane's low bits: below 2^62.
///
/// 29-bit limbs give the 1024-bit halves of an RSA-2048 key 36 limbs, nine passes of four rows
/// over nine vectors, where 28-bit limbs gave 37: ten vectors per row and a tenth pass of one row,
/// 14 % more products. Measured for issue 7, interleaved in one process, fastest of 40 rounds:
/// 1.21–1.24 → 1.14–1.15 ms per 1024-bit exponentiation (the timing probe), RS256 and PS256
/// signing 1.05–1.12× (two A/Bs of the package); +0.3 KB gzip.
const WIDTHS: [(usize, usize); 2] = [(29, 64), (28, 255)];

/// The lane bound of [`WIDTHS`], checked when the crate compiles (the multiplication tests cannot
/// reach a lane's worst case: it needs every reduction factor at its maximum).
const _: () = {
    let mut k = 0;
    while k < WIDTHS.len() {
        let (bits, most) = WIDTHS[k];
        let limb = (1u128 << bits) - 1;
        let products = 2 * most.div_ceil(2) as u128;
        assert!(
            products * limb * limb <= u64::MAX as u128,
            "a lane of the accumulators could overflow"
        );
        k += 1;
    }
};
/// Rows of the product added in one pass over the limbs of `a` and `n`.
const ROWS: usize = 4;

/// Vectors that are zeroed when dropped.
#[derive(Clone)]
struct Vectors(Vec<v128>);

impl Drop for Vectors {
    fn drop(&mut self) {
        self.0.fill(u64x2_splat(0));
        black_box(&self.0);
    }
}

/// `x` as vectors of four limbs, the last one padded with zeros.
fn quads(out: &mut [v128], x: &[u32]) {
    for (v, c) in out.iter_mut().zip(x.chunks(4)) {
        let limb = |k: usize| c.get(k).copied().unwrap_or(0);
        *v = u32x4(limb(0), limb(1), limb(2), limb(3));
    }
}

/// A Montgomery context for one modulus in limbs of `bits` bits, R = 2^(bits·limbs) > 4n.
#[derive(Clone)]
pub(crate) struct SimdMont {
    /// Bits per limb: 29 or 28 ([`WIDTHS`]).
    bits: usize,
    n: Zeroizing<Vec<u32>>,
    n_quads: Vectors,
    n0: u32,
    /// `−n⁻¹ mod 2^(2·bits)`: the reduction factors of two columns at once.
    n0_pair: u64,
    one: Zeroizing<Vec<u32>>,
    rr: Zeroizing<Vec<u32>>,
}

/// Scratch of one multiplication: the multiplier in vectors of four limbs, and the
/// double-width accumulator split in two: `(t_2v, t_2v+1)` at `v` takes the products of the
/// even rows, `(t_2v−1, t_2v)` at `len + 2 + v` those of the odd rows, so that every row adds to
/// whole vectors; then the splats `(b_i, m_i)` of the pass's rows.
pub(crate) struct Scratch {
    a: Vectors,
    acc: Vectors,
}

/// `a·b_i + n·m_i` for four limbs of `a` (`x`) and of `n` (`y`), as the sums of the first two
/// and of the last two columns; `b_i` and `m_i` are read from their splats here, inside the loop.
#[inline(always)]
fn row_products(x: v128, y: v128, b: &Cell<v128>, m: &Cell<v128>) -> [v128; 2] {
    let (b, m) = (b.get(), m.get());
    [
        i64x2_add(u64x2_extmul_low_u32x4(x, b), u64x2_extmul_low_u32x4(y, m)),
        i64x2_add(u64x2_extmul_high_u32x4(x, b), u64x2_extmul_high_u32x4(y, m)),
    ]
}

/// Columns `2v` and `2v + 1` of the accumulator: their parts in the even and in the odd accumulator.
fn columns(even: &[Cell<v128>], odd: &[Cell<v128>], v: usize) -> [(u64, u64); 2] {
    let (low, high) = (even[v].get(), odd[v].get());
    [
        (u64x2_extract_lane::<0>(low), u64x2_extract_lane::<1>(high)),
        (u64x2_extract_lane::<1>(low), u64x2_extract_lane::<0>(odd[v + 1].get())),
    ]
}

/// `−n⁻¹ mod 2^(2·bits)` for odd `n` (Newton's iteration, each step doubling the correct low bits).
fn negated_inverse_pair(n: &[u32], bits: usize) -> u64 {
    let low = n
        .iter()
        .take(2)
        .rev()
        .fold(0u64, |acc, &limb| (acc << 32) | u64::from(limb));
    let inverse = (0..6).fold(1u64, |x, _| x.wrapping_mul(2u64.wrapping_sub(low.wrapping_mul(x))));
    inverse.wrapping_neg() & ((1 << (2 * bits)) - 1)
}

/// `x` (32-bit limbs) as `len` limbs of `bits` bits.
fn to_radix(x: &[u32], len: usize, bits: usize) -> Zeroizing<Vec<u32>> {
    let mut out = Zeroizing::new(vec![0u32; len]);
    for (k, limb) in out.iter_mut().enumerate() {
        let (word, shift) = ((k * bits) / 32, (k * bits) % 32);
        let low = x.get(word).map_or(0, |&w| w >> shift);
        let high = if shift > 32 - bits {
            x.get(word + 1).map_or(0, |&w| w << (32 - shift))
        } else {
            0
        };
        *limb = (low | high) & ((1 << bits) - 1);
    }
    out
}

/// `y` (limbs of `bits` bits) as `len` 32-bit limbs; bits beyond are dropped (they are zero here).
fn from_radix(y: &[u32], len: usize, bits: usize) -> Zeroizing<Vec<u32>> {
    let mut out = Zeroizing::new(vec![0u32; len]);
    for (k, &limb) in y.iter().enumerate() {
        let (word, shift) = ((k * bits) / 32, (k * bits) % 32);
        if let Some(w) = out.get_mut(word) {
            *w |= limb << shift;
        }
        if shift > 32 - bits {
            if let Some(w) = out.get_mut(word + 1) {
                *w |= limb >> (32 - shift);
            }
        }
    }
    out
}

impl SimdMont {
    /// The context for the modulus of `mont` in the widest limbs that fit ([`WIDTHS`]), or
    /// `None` when it has too many limbs for every width. Its `R' = 2^(bits·len)`: `R' mod n` by
    /// doublings, and `R'² mod n` as the scalar Montgomery product of `(R' mod n)²` and `R² mod n`,
    /// which is `R'²·R⁻¹·R²·R⁻¹ = R'²`.
    pub(crate) fn new(mont: &Mont) -> Option<SimdMont> {
        let (bits, len) = WIDTHS
            .iter()
            .map(|&(bits, most)| (bits, (32 * mont.limbs() + 2).div_ceil(bits), most))
            .find(|&(_, len, most)| len <= most)
            .map(|(bits, len, _)| (bits, len))?;
        let one = mont.power_of_two(bits * len);
        let mut t = Zeroizing::new(vec![0u32; mont.scratch_len()]);
        let mut square = Zeroizing::new(vec![0u32; mont.limbs()]);
        mont.mul(&mut square, &one, &one, &mut t);
        let mut rr = Zeroizing::new(vec![0u32; mont.limbs()]);
        mont.mul(&mut rr, &square, &mont.rr, &mut t);
        let n = to_radix(&mont.n, len, bits);
        let mut n_quads = Vectors(vec![u64x2_splat(0); len.div_ceil(4)]);
        quads(&mut n_quads.0, &n);
        Some(SimdMont {
            bits,
            n,
            n_quads,
            n0: mont.n0 & ((1 << bits) - 1),
            n0_pair: negated_inverse_pair(&mont.n, bits),
            one: to_radix(&one, len, bits),
            rr: to_radix(&rr, len, bits),
        })
    }

    /// Runs `f` on `base` (a scalar Montgomery form of `mont`) moved into this context, and
    /// moves its result back: `out` is the scalar Montgomery form of `f`'s result.
    pub(crate) fn pow(
        &self,
        mont: &Mont,
        out: &mut [u32],
        base: &[u32],
        f: impl FnOnce(&SimdMont, &mut [u32], &[u32]),
    ) {
        let mut plain = Zeroizing::new(vec![0u32; mont.limbs()]);
        mont.leave(&mut plain, base);
        let mut result = Zeroizing::new(vec![0u32; mont.limbs()]);
        self.pow_plain(mont, &mut result, &plain, f);
        mont.enter(out, &result);
    }

    /// Runs `f` on `x < n` (plain 32-bit limbs) moved into this context; `out` is `f`'s result
    /// as plain 32-bit limbs below n.
    pub(crate) fn pow_plain(
        &self,
        mont: &Mont,
        out: &mut [u32],
        x: &[u32],
        f: impl FnOnce(&SimdMont, &mut [u32], &[u32]),
    ) {
        let (l, len) = (mont.limbs(), self.n.len());
        let mut s = self.scratch();
        let wide = to_radix(x, len, self.bits);
        let mut entered = Zeroizing::new(vec![0u32; len]);
        self.mul(&mut entered, &wide, &self.rr, &mut s);
        let mut raised = Zeroizing::new(vec![0u32; len]);
        f(self, &mut raised, &entered);
        let mut unit = vec![0u32; len];
        unit[0] = 1;
        self.mul(&mut entered, &raised, &unit, &mut s);
        let result = from_radix(&entered, l, self.bits);
        let borrow = limbs::sub_into(&mut out[..l], &result, &mont.n);
        let keep = limbs::mask(borrow);
        let reduced = Zeroizing::new(out[..l].to_vec());
        limbs::select(&mut out[..l], &result, &reduced, keep);
    }
}

/// The table of the simd128 multiplication: its entries in vectors of four limbs, and the
/// masks of one selection.
pub(crate) struct QuadTable {
    entries: Vectors,
    masks: Vectors,
}

impl MontMul for SimdMont {
    type Scratch = Scratch;
    type Table = QuadTable;

    fn table(&self, entries: &[u32]) -> QuadTable {
        let (len, quads) = (self.n.len(), self.n_quads.0.len());
        let count = entries.len() / len;
        let mut table = Vectors(vec![u64x2_splat(0); count * quads]);
        for (out, entry) in table.0.chunks_exact_mut(quads).zip(entries.chunks_exact(len)) {
            self::quads(out, entry);
        }
        QuadTable {
            entries: table,
            masks: Vectors(vec![u64x2_splat(0); count]),
        }
    }

    /// Quad by quad, the masked entries are gathered in a register.
    fn select(&self, out: &mut [u32], table: &mut QuadTable, index: u32) {
        let quads = self.n_quads.0.len();
        for (i, mask) in table.masks.0.iter_mut().enumerate() {
            *mask = u32x4_splat(limbs::mask(((i as u32) ^ index).wrapping_sub(1) >> 31));
        }
        for (k, limbs) in out[..self.n.len()].chunks_mut(4).enumerate() {
            let entries = table.entries.0.iter().skip(k).step_by(quads);
            let quad = entries
                .zip(&table.masks.0)
                .fold(u64x2_splat(0), |acc, (&e, &m)| v128_or(acc, v128_and(e, m)));
            let lanes = [
                u32x4_extract_lane::<0>(quad),
                u32x4_extract_lane::<1>(quad),
                u32x4_extract_lane::<2>(quad),
                u32x4_extract_lane::<3>(quad),
            ];
            for (limb, lane) in limbs.iter_mut().zip(lanes) {
                *limb = lane;
            }
        }
    }

    fn width(&self) -> usize {
        self.n.len()
    }

    fn one(&self) -> &[u32] {
        &self.one
    }

    fn scratch(&self) -> Scratch {
        let len = self.n.len();
        Scratch {
            a: Vectors(vec![u64x2_splat(0); len.div_ceil(4)]),
            acc: Vectors(vec![u64x2_splat(0); 2 * (len + 2) + 2 * ROWS]),
        }
    }

    fn mul(&self, out: &mut [u32], a: &[u32], b: &[u32], s: &mut Scratch) {
        let len = self.n.len();
        let (a, b, out) = (&a[..len], &b[..len], &mut out[..len]);
        quads(&mut s.a.0, a);
        let a_quads = &s.a.0;
        s.acc.0.fill(u64x2_splat(0));
        let acc = Cell::from_mut(&mut s.acc.0[..]).as_slice_of_cells();
        let (even, odd) = (&acc[..len + 2], &acc[len + 2..2 * (len + 2)]);
        let splat_at = black_box(2 * (len + 2));
        let splats = &acc[splat_at..splat_at + 2 * ROWS];
        let n_quads = &self.n_quads.0[..];
        let quads = n_quads.len();
        let bits = self.bits;
        let mask = (1u64 << bits) - 1;
        let low_a: [u64; ROWS] = core::array::from_fn(|k| u64::from(a.get(k).copied().unwrap_or(0)));
        let low_n: [u64; ROWS] = core::array::from_fn(|k| u64::from(self.n.get(k).copied().unwrap_or(0)));
        let reduce = |(e, o): (u64, u64), carry: u64, products: u64| {
            let mut digit = (e & mask) + (o & mask) + carry + products;
            let m = (digit as u32).wrapping_mul(self.n0) & (mask as u32);
            digit += u64::from(m) * low_n[0];
            (m, (e >> bits) + (o >> bits) + (digit >> bits))
        };
        let reduce_pair = |[(e0, o0), (e1, o1)]: [(u64, u64); 2], carry: u64, [p0, p1]: [u64; 2]| {
            let x0 = (e0 & mask) + (o0 & mask) + carry + p0;
            let h0 = (e0 >> bits) + (o0 >> bits);
            let x1 = (e1 & mask) + (o1 & mask) + p1;
            let low = x0.wrapping_add((h0 + x1) << bits);
            let m = low.wrapping_mul(self.n0_pair);
            let (m0, m1) = (m & mask, (m >> bits) & mask);
            let k1 = h0 + ((x0 + m0 * low_n[0]) >> bits);
            let y1 = x1 + k1 + m0 * low_n[1] + m1 * low_n[0];
            ([m0, m1], (e1 >> bits) + (o1 >> bits) + (y1 >> bits))
        };
        let mut carry = 0u64;
        for (r, block) in b.chunks_exact(ROWS).enumerate() {
            let [c0, c1] = columns(even, odd, 2 * r);
            let [c2, c3] = columns(even, odd, 2 * r + 1);
            let [b0, b1, b2, b3] = [0, 1, 2, 3].map(|k| u64::from(block[k]));
            let [a0, a1, a2, a3] = low_a;
            let ([m0, m1], next) = reduce_pair([c0, c1], carry, [a0 * b0, a1 * b0 + a0 * b1]);
            let products = [
                a2 * b0 + a1 * b1 + a0 * b2 + m0 * low_n[2] + m1 * low_n[1],
                a3 * b0 + a2 * b1 + a1 * b2 + a0 * b3 + m0 * low_n[3] + m1 * low_n[2],
            ];
            let ([m2, m3], next) = reduce_pair([c2, c3], next, products);
            carry = next;
            let ms = [m0, m1, m2, m3].map(|m| m as u32);
            for (cells, (&bi, &mi)) in splats.chunks_exact(2).zip(block.iter().zip(&ms)) {
                cells[0].set(u32x4_splat(bi));
                cells[1].set(u32x4_splat(mi));
            }
            let (mut spill_even, mut spill_odd) = (u64x2_splat(0), u64x2_splat(0));
            for (((te, to), &x), &y) in even[2 * r..2 * r + 2 * quads]
                .chunks_exact(2)
                .zip(odd[2 * r + 1..2 * r + 1 + 2 * quads].chunks_exact(2))
                .zip(a_quads.iter())
                .zip(n_quads)
            {
                let [l0, h0] = row_products(x, y, &splats[0], &splats[1]);
                let [l2, h2] = row_products(x, y, &splats[4], &splats[5]);
                te[0].set(i64x2_add(te[0].get(), i64x2_add(l0, spill_even)));
                te[1].set(i64x2_add(te[1].get(), i64x2_add(h0, l2)));
                spill_even = h2;
                let [l1, h1] = row_products(x, y, &splats[2], &splats[3]);
                let [l3, h3] = row_products(x, y, &splats[6], &splats[7]);
                to[0].set(i64x2_add(to[0].get(), i64x2_add(l1, spill_odd)));
                to[1].set(i64x2_add(to[1].get(), i64x2_add(h1, l3)));
                spill_odd = h3;
            }
            let (te, to) = (&even[2 * r + 2 * quads], &odd[2 * r + 1 + 2 * quads]);
            te.set(i64x2_add(te.get(), spill_even));
            to.set(i64x2_add(to.get(), spill_odd));
        }
        for (i, &bi) in b.iter().enumerate().skip(len - len % ROWS) {
            let (m, next) = reduce(columns(even, odd, i / 2)[i % 2], carry, low_a[0] * u64::from(bi));
            carry = next;
            splats[0].set(u32x4_splat(bi));
            splats[1].set(u32x4_splat(m));
            let (rows, first) = if i.is_multiple_of(2) {
                (even, i / 2)
            } else {
                (odd, i / 2 + 1)
            };
            for ((t, &x), &y) in rows[first..first + 2 * quads]
                .chunks_exact(2)
                .zip(a_quads.iter())
                .zip(n_quads)
            {
                let [low, high] = row_products(x, y, &splats[0], &splats[1]);
                t[0].set(i64x2_add(t[0].get(), low));
                t[1].set(i64x2_add(t[1].get(), high));
            }
        }
        for v in len / 2..len {
            for (c, (e, o)) in (2 * v..).zip(columns(even, odd, v)) {
                if let Some(limb) = c.checked_sub(len).and_then(|k| out.get_mut(k)) {
                    let digit = (e & mask) + (o & mask) + carry;
                    *limb = (digit as u32) & (mask as u32);
                    carry = (e >> bits) + (o >> bits) + (digit >> bits);
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::{SimdMont, WIDTHS, from_radix, negated_inverse_pair, to_radix};
    use crate::exp::{MontMul, pow_window, square_and_multiply};
    use crate::mont::Mont;
    use crate::test_stream::Stream;
    use alloc::vec;
    use alloc::vec::Vec;
    use crypto_bigint::{BoxedUint, ConcatenatingMul, NonZero};
    use wasm_bindgen_test::wasm_bindgen_test;

    /// 32-bit limbs (least significant first) as a crypto-bigint number.
    fn big(value: &[u32]) -> BoxedUint {
        let bytes: Vec<u8> = value.iter().rev().flat_map(|l| l.to_be_bytes()).collect();
        BoxedUint::from_be_slice_vartime(&bytes)
    }

    /// Big-endian bytes without leading zeros.
    fn bytes(value: &BoxedUint) -> Vec<u8> {
        let b = value.to_be_bytes();
        let zeros = b.iter().take_while(|&&x| x == 0).count();
        b[zeros..].to_vec()
    }

    /// Modulus sizes in bits: small and odd ones, 512…4096 bits, and both sides of every change
    /// of the limb count from 1 to 128 32-bit limbs (which includes the change from 29- to 28-bit
    /// limbs after 57), up to the largest modulus the simd128 context takes (223 limbs, 255
    /// limbs of 28 bits).
    fn sizes() -> Vec<usize> {
        let mut bits = vec![
            3, 17, 61, 512, 521, 1023, 1024, 1025, 1536, 2047, 2048, 2049, 3071, 3072, 4095, 4096,
        ];
        for limbs in 1..=128usize {
            bits.extend([32 * limbs - 1, 32 * limbs]);
        }
        bits.extend([32 * 222 - 7, 32 * 223 - 1, 32 * 223]);
        bits
    }

    /// Values of the working domain (below 2n): 0, 1, 2, n − 1, n, n + 1, 2n − 2, 2n − 1 and
    /// `random` random ones, as `n.len() + 1` 32-bit limbs.
    fn values(stream: &mut Stream, n: &[u32], random: usize) -> Vec<Vec<u32>> {
        let wide = n.len() + 1;
        let twice = big(n).concatenating_add(big(n));
        let from = |x: &BoxedUint| {
            let mut out = vec![0u32; wide];
            for (i, &byte) in bytes(x).iter().rev().enumerate() {
                out[i / 4] |= u32::from(byte) << (8 * (i % 4));
            }
            out
        };
        let mut out: Vec<Vec<u32>> = [0u64, 1, 2].iter().map(|&k| from(&BoxedUint::from(k))).collect();
        for k in [1u64, 0] {
            out.push(from(&big(n).wrapping_sub(BoxedUint::from(k))));
        }
        out.push(from(&big(n).concatenating_add(BoxedUint::from(1u64))));
        for k in [2u64, 1] {
            out.push(from(&twice.wrapping_sub(BoxedUint::from(k))));
        }
        let modulus = NonZero::new(twice).expect("n > 0");
        for _ in 0..random {
            out.push(from(&big(&stream.limbs(wide)).rem_vartime(&modulus)));
        }
        out
    }

    /// Checks that `got` (`len` limbs of `bits` bits) is below 2n and is `x·y·2^(−bits·len) mod n`.
    fn check_product(got: &[u32], [x, y, n]: [&[u32]; 3], len: usize, bits: usize, label: &str) {
        let got = big(&from_radix(got, n.len() + 1, bits));
        let modulus = NonZero::new(big(n)).expect("n > 0");
        let quotient = bytes(&got.div_rem(&modulus).0);
        assert!(
            quotient.len() <= 1 && quotient.iter().all(|&b| b <= 1),
            "{label}: not below 2n"
        );
        let mut power = vec![0u32; (bits * len) / 32 + 1];
        power[(bits * len) / 32] = 1 << ((bits * len) % 32);
        let lhs = got.concatenating_mul(&big(&power)).div_rem(&modulus).1;
        let rhs = big(x).concatenating_mul(&big(y)).div_rem(&modulus).1;
        assert_eq!(bytes(&lhs), bytes(&rhs), "{label}: not x·y·R⁻¹ mod n");
    }

    /// Every value times itself and times the next one, modulo `n`.
    fn check_modulus(stream: &mut Stream, n: &[u32], random: usize, label: &str) {
        let mont = Mont::new(n.to_vec()).expect("odd modulus");
        let simd = SimdMont::new(&mont).expect("within the widths");
        let (len, bits) = (simd.width(), simd.bits);
        let mut s = simd.scratch();
        let mut product = vec![0u32; len];
        let values = values(stream, n, random);
        for (i, x) in values.iter().enumerate() {
            for y in [x, &values[(i + 1) % values.len()]] {
                simd.mul(&mut product, &to_radix(x, len, bits), &to_radix(y, len, bits), &mut s);
                check_product(&product, [x, y, n], len, bits, label);
            }
        }
    }

    #[wasm_bindgen_test]
    fn multiplication_matches_big_integers() {
        let mut stream = Stream(0x5157_A4E5_0DD5_1ECE);
        for bits in sizes() {
            let n = stream.modulus(bits, bits.div_ceil(32));
            check_modulus(&mut stream, &n, 4, &alloc::format!("{bits} bits"));
        }
    }

    #[wasm_bindgen_test]
    fn multiplication_with_every_limb_at_its_maximum() {
        let mut stream = Stream(0x0F0F_1234_5678_9ABD);
        for limbs in [1usize, 2, 32, 36, 37, 56, 57, 58, 64, 128, 223] {
            check_modulus(
                &mut stream,
                &vec![u32::MAX; limbs],
                1,
                &alloc::format!("n = 2^{} − 1", 32 * limbs),
            );
        }
        assert!(SimdMont::new(&Mont::new(vec![u32::MAX; 224]).expect("odd modulus")).is_none());
    }

    #[wasm_bindgen_test]
    fn exponentiations_match_the_scalar_ones() {
        let mut stream = Stream(0x2545_F491_4F6C_DD1D);
        for bits in [61usize, 512, 1023, 1024, 1536, 2048, 2049, 3072, 4096] {
            let limbs = bits.div_ceil(32);
            let n = stream.modulus(bits, limbs);
            let mont = Mont::new(n.clone()).expect("odd modulus");
            let simd = mont.simd.clone().expect("within the widths");
            let mut entered = vec![0u32; limbs];
            mont.enter(&mut entered, &stream.below_power(bits - 1, limbs));
            let exp = stream.limbs(limbs);
            let (mut ours, mut scalar) = (vec![0u32; limbs], vec![0u32; limbs]);
            simd.pow(&mont, &mut ours, &entered, |m, o, b| pow_window(m, o, b, &exp));
            pow_window(&mont, &mut scalar, &entered, &exp);
            assert_eq!(ours, scalar, "{bits} bits: fixed window");
            for e in [3u32, 65537, 0xFFFF_FFFF] {
                simd.pow(&mont, &mut ours, &entered, |m, o, b| square_and_multiply(m, o, b, e));
                square_and_multiply(&mont, &mut scalar, &entered, e);
                assert_eq!(ours, scalar, "{bits} bits: e = {e}");
            }
        }
    }

    #[wasm_bindgen_test]
    fn limb_width_is_the_widest_within_its_bound() {
        let width = |limbs: usize| {
            SimdMont::new(&Mont::new(vec![u32::MAX; limbs]).expect("odd modulus")).map(|simd| (simd.bits, simd.width()))
        };
        assert_eq!(width(1), Some((29, 2)));
        assert_eq!(width(32), Some((29, 36)), "the halves of an RSA-2048 key");
        assert_eq!(width(57), Some((29, 63)));
        assert_eq!(width(58), Some((28, 67)));
        assert_eq!(width(64), Some((28, 74)), "an RSA-2048 modulus");
        assert_eq!(width(223), Some((28, 255)));
        assert_eq!(width(224), None);
    }

    #[wasm_bindgen_test]
    fn pair_factor_is_the_negated_inverse_modulo_2_to_twice_the_limb_width() {
        let mut stream = Stream(0x3C6E_F372_FE94_F82B);
        for (bits, limbs) in WIDTHS
            .iter()
            .flat_map(|&(bits, _)| [1usize, 2, 3, 32].map(|l| (bits, l)))
        {
            let twice = (1u64 << (2 * bits)) - 1;
            for n in [stream.modulus(32 * limbs, limbs), vec![u32::MAX; limbs], {
                let mut one = vec![0u32; limbs];
                one[0] = 1;
                one
            }] {
                let low = n.iter().take(2).rev().fold(0u64, |acc, &l| (acc << 32) | u64::from(l));
                let factor = negated_inverse_pair(&n, bits);
                assert_eq!(factor & !twice, 0, "{limbs} limbs: more than {} bits", 2 * bits);
                assert_eq!(
                    low.wrapping_mul(factor) & twice,
                    twice,
                    "{limbs} limbs: n·factor ≢ −1 mod 2^{}",
                    2 * bits
                );
            }
        }
    }

    #[wasm_bindgen_test]
    fn select_returns_each_entry_whole() {
        let mut stream = Stream(0x1B87_3593_9E37_79B9);
        for bits in [61usize, 1023, 1024, 1025, 2048, 4096] {
            let limbs = bits.div_ceil(32);
            let mont = Mont::new(stream.modulus(bits, limbs)).expect("odd modulus");
            let simd = SimdMont::new(&mont).expect("within the widths");
            let len = simd.width();
            let limb_mask = (1 << simd.bits) - 1;
            let entries: Vec<u32> = (0..32 * len).map(|_| stream.next() & limb_mask).collect();
            let mut table = simd.table(&entries);
            let mut out = vec![0u32; len];
            for index in 0..32 {
                simd.select(&mut out, &mut table, index as u32);
                assert_eq!(
                    out,
                    entries[index * len..(index + 1) * len],
                    "{bits} bits, entry {index}"
                );
            }
        }
    }
}
