//! RSA key generation: two random probable primes (a small-prime sieve, then Miller–Rabin as in
//! FIPS 186-5 B.3.1 on the constant-time kernel), then d = e⁻¹ mod λ(n), the CRT exponents and
//! coefficient computed by the kernel (`pkjwt_rsa_kernel::private_exponent` and friends).
//!
//! Variable time: the sieve and the walk to the next candidate, the rejection of a candidate
//! by Miller–Rabin (a composite's test stops at its first failing base), the draw of random
//! bases, the |p − q| check (a rejected pair is discarded) and the Miller–Rabin squaring count
//! (the number of trailing zero bits of w − 1). Constant time in the values: the modular
//! exponentiations and everything computed from the accepted primes.

use super::rsa_kernel::{PrivateParts, RsaPrivateKey, RsaPublicKey};
use crate::error::{Error, Result};
use crate::random;
use pkjwt_rsa_kernel as kernel;
use zeroize::Zeroizing;

/// The public exponent of every generated key.
const PUBLIC_EXPONENT: u32 = 65537;

/// Candidates with an odd prime factor below this bound are skipped before Miller–Rabin.
const SIEVE_BOUND: usize = 1 << 14;

/// How far the search walks up from one random start before it draws another.
const MAX_WALK: u32 = 1 << 16;

/// Draws of the second prime before key generation gives up (see [`second_prime`]).
const SECOND_PRIME_DRAWS: u32 = 16;

type Prime = Zeroizing<Vec<u8>>;

/// Generates an RSA private key with a `bits`-bit modulus (even, at least 1024) and e = 65537.
pub(crate) fn generate(bits: usize) -> Result<RsaPrivateKey> {
    let half = u32::try_from(bits / 2).map_err(|_| Error::argument("RSA modulus length out of range"))?;
    let small_primes = small_odd_primes();
    let p = random_prime(half, &small_primes)?;
    let q = second_prime(&p, half, || random_prime(half, &small_primes))?;
    let failed = |e: kernel::Error| Error::CryptoFailure(format!("RSA key generation failed: {e}"));
    let d = kernel::private_exponent(&p, &q, PUBLIC_EXPONENT).map_err(failed)?;
    let public = RsaPublicKey::new(&kernel::modulus(&p, &q), &PUBLIC_EXPONENT.to_be_bytes())?;
    RsaPrivateKey::new(
        public,
        &PrivateParts {
            d: &d,
            p: &p,
            q: &q,
            dp: None,
            dq: None,
            qinv: None,
        },
    )
}

/// Draws from `draw` until a prime [`far_apart`] from `p` comes, at most [`SECOND_PRIME_DRAWS`]
/// times: a healthy random source needs one draw (another is needed with probability about
/// 2^-99), a broken one that repeats itself would otherwise loop for ever.
fn second_prime(p: &[u8], half: u32, mut draw: impl FnMut() -> Result<Prime>) -> Result<Prime> {
    for _ in 0..SECOND_PRIME_DRAWS {
        let q = draw()?;
        if far_apart(p, &q, half) {
            return Ok(q);
        }
    }
    Err(Error::CryptoFailure(
        "RSA key generation drew primes too close to each other again and again: the random source is not random"
            .into(),
    ))
}

/// FIPS 186-5 A.1.3: |p − q| > 2^(half − 100), for two `half`-bit primes of equal length.
fn far_apart(p: &[u8], q: &[u8], half: u32) -> bool {
    let (high, low) = if p > q { (p, q) } else { (q, p) };
    let mut difference = Zeroizing::new(vec![0u8; high.len()]);
    let mut borrow = 0u16;
    for ((d, &h), &l) in difference.iter_mut().zip(high).zip(low).rev() {
        let v = u16::from(h).wrapping_sub(u16::from(l)).wrapping_sub(borrow);
        *d = v as u8;
        borrow = (v >> 15) & 1;
    }
    bit_width(&difference) > half - 100
}

/// The number of significant bits of a big-endian integer.
fn bit_width(bytes: &[u8]) -> u32 {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    bytes.get(zeros).map_or(0, |&top| {
        u32::try_from((bytes.len() - zeros) * 8).unwrap_or(u32::MAX) - top.leading_zeros()
    })
}

/// The odd primes below [`SIEVE_BOUND`] (sieve of Eratosthenes).
fn small_odd_primes() -> Vec<u32> {
    let mut composite = vec![false; SIEVE_BOUND];
    let mut primes = Vec::new();
    for n in (3..SIEVE_BOUND).step_by(2) {
        if composite.get(n).copied().unwrap_or(true) {
            continue;
        }
        primes.extend(u32::try_from(n).ok());
        for multiple in (n * n..SIEVE_BOUND).step_by(2 * n) {
            if let Some(slot) = composite.get_mut(multiple) {
                *slot = true;
            }
        }
    }
    primes
}

/// A random probable prime of exactly `bits` bits whose top two bits are set (so that the
/// product of two has exactly 2·`bits` bits) and which is not 1 modulo [`PUBLIC_EXPONENT`]
/// (so that e is invertible). Walks up from a random odd start, skipping candidates with a
/// small factor.
fn random_prime(bits: u32, small_primes: &[u32]) -> Result<Prime> {
    let mut start = Zeroizing::new(vec![0u8; bits.div_ceil(8) as usize]);
    loop {
        random::fill(&mut start)?;
        shape(&mut start, bits);
        let residues = Zeroizing::new(small_primes.iter().map(|&p| remainder(&start, p)).collect::<Vec<_>>());
        let residue_e = remainder(&start, PUBLIC_EXPONENT);
        for step in (0..MAX_WALK).step_by(2) {
            let has_small_factor = small_primes
                .iter()
                .zip(residues.iter())
                .any(|(&p, &r)| (r + step) % p == 0);
            if has_small_factor || (residue_e + step) % PUBLIC_EXPONENT == 1 {
                continue;
            }
            let Some(candidate) = plus(&start, step).filter(|c| bit_width(c) == bits) else {
                break;
            };
            if is_probable_prime(&candidate, bits)? {
                return Ok(candidate);
            }
        }
    }
}

/// `value + step` (big-endian, same length); `None` when it overflows.
fn plus(value: &[u8], step: u32) -> Option<Prime> {
    let mut out = Zeroizing::new(value.to_vec());
    let mut carry = step;
    for byte in out.iter_mut().rev() {
        let sum = u32::from(*byte) + (carry & 0xff);
        *byte = sum as u8;
        carry = (carry >> 8) + (sum >> 8);
    }
    (carry == 0).then_some(out)
}

/// Clears the bits above `bits` and sets the two top bits and the lowest one.
fn shape(bytes: &mut [u8], bits: u32) {
    let top_bits = (bits - 1) % 8 + 1;
    if let Some(first) = bytes.first_mut() {
        *first &= u8::MAX >> (8 - top_bits);
    }
    for bit in [bits - 1, bits - 2, 0] {
        let index = bytes.len() - 1 - (bit / 8) as usize;
        if let Some(byte) = bytes.get_mut(index) {
            *byte |= 1 << (bit % 8);
        }
    }
}

/// `bytes` (big-endian) modulo `m` (below 2^23).
fn remainder(bytes: &[u8], m: u32) -> u32 {
    bytes.iter().fold(0, |r, &b| ((r << 8) | u32::from(b)) % m)
}

/// Random-base Miller–Rabin rounds for an error probability below 2^-128 on a random
/// `bits`-bit candidate (FIPS 186-5 C.1; the unit tests check these against crypto-primes'
/// `minimum_mr_iterations`).
fn random_base_rounds(bits: u32) -> usize {
    match bits {
        ..1080 => 6,
        1080..1348 => 5,
        1348..1796 => 4,
        1796..2720 => 3,
        _ => 2,
    }
}

/// Miller–Rabin with base 2 (rejects nearly every composite with one exponentiation), then
/// [`random_base_rounds`] rounds with random bases in [2, w − 2] (FIPS 186-5 B.3.1).
fn is_probable_prime(w: &[u8], bits: u32) -> Result<bool> {
    let test = |base: &[u8]| kernel::is_strong_probable_prime(w, base).unwrap_or(false);
    if !test(&[2]) {
        return Ok(false);
    }
    let mut w_minus_1 = Zeroizing::new(w.to_vec());
    if let Some(last) = w_minus_1.last_mut() {
        *last &= !1;
    }
    let mut base = Zeroizing::new(vec![0u8; w.len()]);
    for _ in 0..random_base_rounds(bits) {
        loop {
            random::fill(&mut base)?;
            if let Some(first) = base.first_mut() {
                *first &= u8::MAX >> (7 - (bits - 1) % 8);
            }
            if bit_width(&base) > 1 && base.as_slice() < w_minus_1.as_slice() {
                break;
            }
        }
        if !test(&base) {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crypto_bigint::{BoxedUint, ConcatenatingMul};

    #[test]
    fn a_source_that_repeats_itself_fails_instead_of_looping() {
        let p = bytes("c0000000000000000000000000000000000000000000000000000000000000000000000000000061");
        let mut draws = 0;
        let error = second_prime(&p, 320, || {
            draws += 1;
            Ok(Zeroizing::new(p.clone()))
        })
        .unwrap_err();
        assert_eq!(error.code(), "ERR_CRYPTO_FAILURE");
        assert_eq!(draws, SECOND_PRIME_DRAWS);
        let mut q = p.clone();
        q[0] = 0xe0;
        let mut calls = 0;
        let chosen = second_prime(&p, 320, || {
            calls += 1;
            Ok(Zeroizing::new(if calls < 3 { p.clone() } else { q.clone() }))
        })
        .unwrap();
        assert_eq!((chosen.to_vec(), calls), (q, 3));
    }

    fn bytes(hex: &str) -> Vec<u8> {
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    }

    fn passes(n: u64, base: u64) -> bool {
        kernel::is_strong_probable_prime(&n.to_be_bytes(), &base.to_be_bytes()).unwrap()
    }

    /// The 2048-bit MODP prime of RFC 3526 §3 (2^2048 − 2^1984 − 1 + 2^64 · (⌊2^1918 π⌋ + 124476)).
    const RFC3526_2048: &str = concat!(
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD",
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
        "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
        "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
        "15728E5A8AACAA68FFFFFFFFFFFFFFFF",
    );

    #[test]
    fn round_counts_meet_fips_186_5_for_every_prime_size() {
        let half = |bits: usize| u32::try_from(bits / 2).unwrap();
        for bits in (half(super::super::rsa_policy::MIN_BITS)..=half(super::super::rsa_policy::MAX_BITS)).step_by(4) {
            let required = crypto_primes::hazmat::minimum_mr_iterations(bits, 128).unwrap();
            assert!(
                random_base_rounds(bits) >= required,
                "{bits} bits: {required} rounds needed"
            );
        }
    }

    #[test]
    fn strong_pseudoprimes_to_base_2_pass_base_2_only() {
        // OEIS A001262: the first strong pseudoprimes to base 2 (all composite).
        for n in [2047u64, 3277, 4033, 4681, 8321] {
            assert!(passes(n, 2), "{n}");
            assert!(!passes(n, 3), "{n}");
        }
        // 3215031751 = 151·751·28351 is a strong pseudoprime to bases 2, 3, 5 and 7, not 11.
        for base in [2u64, 3, 5, 7] {
            assert!(passes(3_215_031_751, base), "base {base}");
        }
        assert!(!passes(3_215_031_751, 11));
        // Primes pass every base; w − 1 = 2^s·m with s = 1, 2 and 16 exercises the squarings.
        for (prime, base) in [(1_000_003u64, 5u64), (1_000_033, 7), (65537, 3), (65537, 2)] {
            assert!(passes(prime, base), "{prime}");
        }
    }

    #[test]
    fn known_primes_pass_and_their_products_fail() {
        let p = bytes(RFC3526_2048);
        assert_eq!(bit_width(&p), 2048);
        assert!(is_probable_prime(&p, 2048).unwrap());
        let q =
            bytes("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");
        let mersenne_127 = bytes("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");
        assert!(is_probable_prime(&mersenne_127, 127).unwrap());
        assert!(!is_probable_prime(&q, 384).unwrap(), "2^384 − 1 is composite");
        let product = BoxedUint::from_be_slice_vartime(&p)
            .concatenating_mul(&BoxedUint::from_be_slice_vartime(&mersenne_127))
            .to_be_bytes();
        assert!(!is_probable_prime(&product, bit_width(&product)).unwrap());
        assert!(!is_probable_prime(&plus(&p, 2).unwrap(), 2048).unwrap());
    }

    #[test]
    fn small_primes_are_the_odd_primes_below_the_bound() {
        let primes = small_odd_primes();
        assert_eq!(primes.len(), 1899, "π(2^14) = 1900, less the prime 2");
        assert_eq!(&primes[..6], &[3, 5, 7, 11, 13, 17]);
        assert_eq!(primes.last(), Some(&16381));
    }

    #[test]
    fn primes_have_the_exact_size_and_shape() {
        let small = small_odd_primes();
        for bits in [1024u32, 1028, 1100] {
            let p = random_prime(bits, &small).unwrap();
            assert_eq!(bit_width(&p), bits);
            let second = bits - 2;
            assert_ne!(
                p[p.len() - 1 - (second / 8) as usize] & (1 << (second % 8)),
                0,
                "second-highest bit set"
            );
            assert!(is_probable_prime(&p, bits).unwrap());
            assert_ne!(remainder(&p, PUBLIC_EXPONENT), 1);
            assert!(small.iter().all(|&s| remainder(&p, s) != 0));
        }
    }

    #[test]
    fn byte_helpers_add_subtract_and_measure() {
        assert_eq!(plus(&[0x01, 0xff], 1).unwrap().as_slice(), &[0x02, 0x00]);
        assert_eq!(
            plus(&[0x12, 0x34, 0x56], 0x0102).unwrap().as_slice(),
            &[0x12, 0x35, 0x58]
        );
        assert!(plus(&[0x00, 0x10], 0xfff0).is_none());
        assert!(plus(&[0xff, 0xff], 1).is_none());
        assert_eq!(bit_width(&[0, 0, 1]), 1);
        assert_eq!(bit_width(&[0, 0x80, 0]), 16);
        assert_eq!(bit_width(&[0, 0]), 0);
        let mut p = vec![0xc0u8; 16];
        let q = p.clone();
        assert!(!far_apart(&p, &q, 128), "equal primes");
        p[0] = 0xc1;
        assert!(far_apart(&p, &q, 128), "2^120 apart > 2^28");
        assert!(!far_apart(&q, &plus(&q, 1 << 20).unwrap(), 128));
    }
}
