//! Conversions between big-endian bytes and little-endian 32-bit limbs, and branch-free helpers.

use alloc::vec::Vec;

/// The number of 32-bit limbs that hold `bytes` bytes.
pub(crate) fn limbs_for_bytes(bytes: usize) -> usize {
    bytes.div_ceil(4)
}

/// Reads a big-endian integer into `out` (little-endian limbs); false when it does not fit.
pub(crate) fn read_be(bytes: &[u8], out: &mut [u32]) -> bool {
    out.fill(0);
    for (i, &byte) in bytes.iter().rev().enumerate() {
        match out.get_mut(i / 4) {
            Some(limb) => *limb |= u32::from(byte) << (8 * (i % 4)),
            None if byte == 0 => {}
            None => return false,
        }
    }
    true
}

/// A big-endian integer as `len` little-endian limbs; `None` when it does not fit.
pub(crate) fn from_be(bytes: &[u8], len: usize) -> Option<Vec<u32>> {
    let mut out = alloc::vec![0u32; len];
    read_be(bytes, &mut out).then_some(out)
}

/// Writes `limbs` as a big-endian integer filling all of `out` (high limbs beyond `out` must be zero).
pub(crate) fn write_be(limbs: &[u32], out: &mut [u8]) {
    for (i, byte) in out.iter_mut().rev().enumerate() {
        *byte = limbs.get(i / 4).map_or(0, |limb| (limb >> (8 * (i % 4))) as u8);
    }
}

/// The number of significant bits, variable time (public values only).
pub(crate) fn bit_length_vartime(limbs: &[u32]) -> usize {
    limbs
        .iter()
        .rposition(|&l| l != 0)
        .map_or(0, |top| top * 32 + 32 - limbs[top].leading_zeros() as usize)
}

/// `a < b` for equal-length limb vectors, as 1 or 0, without secret-dependent branches.
pub(crate) fn lt_ct(a: &[u32], b: &[u32]) -> u32 {
    let mut borrow = 0u64;
    for (&x, &y) in a.iter().zip(b) {
        let d = u64::from(x).wrapping_sub(u64::from(y)).wrapping_sub(borrow);
        borrow = d >> 63;
    }
    borrow as u32
}

/// All ones when `bit` is 1, zero when it is 0.
pub(crate) fn mask(bit: u32) -> u32 {
    core::hint::black_box(bit.wrapping_neg())
}

/// `out = a - b` (equal lengths), returning the borrow (1 when a < b).
pub(crate) fn sub_into(out: &mut [u32], a: &[u32], b: &[u32]) -> u32 {
    let mut borrow = 0u64;
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        let d = u64::from(x).wrapping_sub(u64::from(y)).wrapping_sub(borrow);
        *o = d as u32;
        borrow = d >> 63;
    }
    borrow as u32
}

/// `a += b & m` over equal lengths, returning the carry.
pub(crate) fn add_masked(a: &mut [u32], b: &[u32], m: u32) -> u32 {
    let mut carry = 0u64;
    for (x, &y) in a.iter_mut().zip(b) {
        let s = u64::from(*x) + u64::from(y & m) + carry;
        *x = s as u32;
        carry = s >> 32;
    }
    carry as u32
}

/// `out = if m { a } else { b }` limb by limb with a mask.
pub(crate) fn select(out: &mut [u32], a: &[u32], b: &[u32], m: u32) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = (x & m) | (y & !m);
    }
}

/// Equality of two limb vectors as 1 or 0, without early exit.
pub(crate) fn eq_ct(a: &[u32], b: &[u32]) -> u32 {
    let diff = a.iter().zip(b).fold(0u32, |acc, (&x, &y)| acc | (x ^ y));
    1 ^ ((diff | diff.wrapping_neg()) >> 31)
}

/// `out = a·b` (schoolbook), `out.len() = a.len() + b.len()`.
pub(crate) fn mul_wide(out: &mut [u32], a: &[u32], b: &[u32]) {
    out.fill(0);
    for (i, &ai) in a.iter().enumerate() {
        let mut carry = 0u64;
        for (o, &bj) in out[i..].iter_mut().zip(b) {
            let s = u64::from(*o) + u64::from(ai) * u64::from(bj) + carry;
            *o = s as u32;
            carry = s >> 32;
        }
        out[i + b.len()] = carry as u32;
    }
}
