//! Width-w non-adjacent form of public scalars.

/// The width-`w` NAF digits of the big-endian unsigned integer `be`, least significant first:
/// `be.len() * 8 + 1` digits, each zero or odd with |d| < 2^(w−1), at most one non-zero digit in
/// any `w` consecutive ones. Variable time: for public scalars only. `w` must be in 2..=7.
pub(crate) fn wnaf(be: &[u8], w: u32) -> Vec<i8> {
    let mut limbs: Vec<u64> = be
        .rchunks(8)
        .map(|chunk| chunk.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
        .collect();
    limbs.push(0);
    let width = 1i64 << w;
    let mut digits = Vec::with_capacity(be.len() * 8 + 1);
    for _ in 0..=be.len() * 8 {
        let low = limbs.first().copied().unwrap_or(0);
        let mut digit = 0i64;
        if low & 1 == 1 {
            let m = (low & (width as u64 - 1)) as i64;
            digit = if m >= width / 2 { m - width } else { m };
            if digit > 0 {
                sub_small(&mut limbs, digit as u64);
            } else {
                add_small(&mut limbs, digit.unsigned_abs());
            }
        }
        digits.push(digit as i8);
        shift_right_one(&mut limbs);
    }
    digits
}

fn sub_small(limbs: &mut [u64], mut v: u64) {
    for limb in limbs {
        let (d, borrow) = limb.overflowing_sub(v);
        *limb = d;
        if !borrow {
            return;
        }
        v = 1;
    }
}

fn add_small(limbs: &mut [u64], mut v: u64) {
    for limb in limbs {
        let (s, carry) = limb.overflowing_add(v);
        *limb = s;
        if !carry {
            return;
        }
        v = 1;
    }
}

fn shift_right_one(limbs: &mut [u64]) {
    let mut carry = 0u64;
    for limb in limbs.iter_mut().rev() {
        let next = *limb & 1;
        *limb = (*limb >> 1) | (carry << 63);
        carry = next;
    }
}

#[cfg(test)]
mod tests {
    use super::wnaf;

    fn value(digits: &[i8]) -> i128 {
        digits.iter().rev().fold(0i128, |acc, &d| acc * 2 + i128::from(d))
    }

    #[test]
    fn digits_add_up_to_the_scalar_and_are_sparse() {
        for (be, w) in [
            (vec![0u8], 4),
            (vec![0xff; 8], 5),
            (vec![0x80, 0, 0, 0, 0, 0, 0, 1, 0x7f, 0xaa, 0x55, 0x01], 6),
            (vec![0xde, 0xad, 0xbe, 0xef, 0x12, 0x34], 7),
        ] {
            let digits = wnaf(&be, w);
            assert_eq!(digits.len(), be.len() * 8 + 1);
            let expected = be.iter().fold(0i128, |acc, &b| acc * 256 + i128::from(b));
            assert_eq!(value(&digits), expected);
            for window in digits.windows(w as usize) {
                assert!(window.iter().filter(|&&d| d != 0).count() <= 1);
            }
            assert!(
                digits
                    .iter()
                    .all(|&d| d == 0 || (d % 2 != 0 && i32::from(d).abs() < 1 << (w - 1)))
            );
        }
    }
}
