//! RSA key generation: two random probable primes (a small-prime sieve, then Miller–Rabin as in
//! FIPS 186-5 B.3.1) turned into a key by rsa's `from_p_q`.
//!
//! This replaces rsa's own generator, whose prime search links 53 KB of precomputed small-prime
//! tables into the `.wasm`; the small primes here are sieved at run time.

use crate::error::{Error, Result};
use crate::random;
use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd};
use zeroize::Zeroizing;

/// The public exponent of every generated key.
const PUBLIC_EXPONENT: u32 = 65537;

/// Candidates with an odd prime factor below this bound are skipped before Miller–Rabin.
const SIEVE_BOUND: usize = 1 << 14;

/// How far the search walks up from one random start before it draws another.
const MAX_WALK: u32 = 1 << 16;

/// Generates an RSA private key with a `bits`-bit modulus (even, at least 1024) and e = 65537.
pub(crate) fn generate(bits: usize) -> Result<rsa::PrivateKey> {
    let half = u32::try_from(bits / 2).map_err(|_| Error::argument("RSA modulus length out of range"))?;
    let small_primes = small_odd_primes();
    let p = random_prime(half, &small_primes)?;
    let q = loop {
        let q = random_prime(half, &small_primes)?;
        if far_apart(&p, &q, half) {
            break q;
        }
    };
    rsa::PrivateKey::from_p_q(p, q, BoxedUint::from(u64::from(PUBLIC_EXPONENT)))
        .map_err(|e| Error::CryptoFailure(format!("RSA key generation failed: {e}")))
}

/// FIPS 186-5 A.1.3: |p − q| > 2^(half − 100).
fn far_apart(p: &BoxedUint, q: &BoxedUint, half: u32) -> bool {
    let difference = if p > q { p.wrapping_sub(q) } else { q.wrapping_sub(p) };
    difference.bit_width() > half - 100
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
fn random_prime(bits: u32, small_primes: &[u32]) -> Result<BoxedUint> {
    let mut start = Zeroizing::new(vec![0u8; bits.div_ceil(8) as usize]);
    loop {
        random::fill(&mut start)?;
        shape(&mut start, bits);
        let residues = Zeroizing::new(small_primes.iter().map(|&p| remainder(&start, p)).collect::<Vec<_>>());
        let residue_e = remainder(&start, PUBLIC_EXPONENT);
        let base = Zeroizing::new(BoxedUint::from_be_slice_truncated(&start, bits));
        for step in (0..MAX_WALK).step_by(2) {
            let has_small_factor = small_primes
                .iter()
                .zip(residues.iter())
                .any(|(&p, &r)| (r + step) % p == 0);
            if has_small_factor || (residue_e + step) % PUBLIC_EXPONENT == 1 {
                continue;
            }
            let candidate = base.wrapping_add(BoxedUint::from(u64::from(step)));
            if candidate.bit_width() != bits {
                break;
            }
            if is_probable_prime(&candidate, bits)? {
                return Ok(candidate);
            }
        }
    }
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
fn is_probable_prime(w: &BoxedUint, bits: u32) -> Result<bool> {
    let Some(odd) = Option::<Odd<BoxedUint>>::from(Odd::new(w.clone())) else {
        return Ok(false);
    };
    let test = MillerRabin::new(odd);
    if !test.passes(BoxedUint::from_be_slice_truncated(&[2], w.bits_precision())) {
        return Ok(false);
    }
    let w_minus_1 = test.w_minus_1();
    let mut bytes = Zeroizing::new(vec![0u8; bits.div_ceil(8) as usize]);
    for _ in 0..random_base_rounds(bits) {
        let base = loop {
            random::fill(&mut bytes)?;
            if let Some(first) = bytes.first_mut() {
                *first &= u8::MAX >> (7 - (bits - 1) % 8);
            }
            let base = BoxedUint::from_be_slice_truncated(&bytes, w.bits_precision());
            if base > BoxedUint::one() && base < w_minus_1 {
                break base;
            }
        };
        if !test.passes(base) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// One Miller–Rabin setup: w − 1 = 2^s · d and the Montgomery form of ±1 modulo w.
struct MillerRabin {
    params: BoxedMontyParams,
    s: u32,
    d: BoxedUint,
    one: BoxedMontyForm,
    minus_one: BoxedMontyForm,
}

impl MillerRabin {
    fn new(w: Odd<BoxedUint>) -> MillerRabin {
        let w_minus_1 = w
            .as_ref()
            .wrapping_sub(BoxedUint::one_with_precision(w.bits_precision()));
        let s = w_minus_1.trailing_zeros();
        let d = w_minus_1.shr(s);
        let params = BoxedMontyParams::new(w);
        let one = BoxedMontyForm::one(&params);
        let minus_one = -&one;
        MillerRabin {
            params,
            s,
            d,
            one,
            minus_one,
        }
    }

    fn w_minus_1(&self) -> BoxedUint {
        self.minus_one.retrieve()
    }

    /// True when w is a strong probable prime to `base` (which must be below w).
    fn passes(&self, base: BoxedUint) -> bool {
        let mut x = BoxedMontyForm::new(base, &self.params).pow(&self.d);
        if x == self.one || x == self.minus_one {
            return true;
        }
        for _ in 1..self.s {
            x = x.square();
            if x == self.minus_one {
                return true;
            }
            if x == self.one {
                return false;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crypto_bigint::ConcatenatingMul;

    fn big(hex: &str) -> BoxedUint {
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        BoxedUint::from_be_slice_vartime(&bytes)
    }

    fn miller_rabin(n: u64) -> MillerRabin {
        MillerRabin::new(Option::from(Odd::new(BoxedUint::from(n))).unwrap())
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
            let test = miller_rabin(n);
            assert!(test.passes(BoxedUint::from(2u64)), "{n}");
            assert!(!test.passes(BoxedUint::from(3u64)), "{n}");
        }
        // 3215031751 = 151·751·28351 is a strong pseudoprime to bases 2, 3, 5 and 7, not 11.
        let test = miller_rabin(3_215_031_751);
        for base in [2u64, 3, 5, 7] {
            assert!(test.passes(BoxedUint::from(base)), "base {base}");
        }
        assert!(!test.passes(BoxedUint::from(11u64)));
    }

    #[test]
    fn known_primes_pass_and_their_products_fail() {
        let p = big(RFC3526_2048);
        assert_eq!(p.bit_width(), 2048);
        assert!(is_probable_prime(&p, 2048).unwrap());
        let q = big("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");
        let mersenne_127 = big("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");
        assert!(is_probable_prime(&mersenne_127, 127).unwrap());
        assert!(!is_probable_prime(&q, 384).unwrap(), "2^384 − 1 is composite");
        let product = p.concatenating_mul(&mersenne_127);
        assert!(!is_probable_prime(&product, product.bit_width()).unwrap());
        assert!(!is_probable_prime(&p.wrapping_add(BoxedUint::from(2u64)), 2048).unwrap());
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
            assert_eq!(p.bit_width(), bits);
            assert!(p.bit(bits - 2).to_bool(), "second-highest bit set");
            assert!(is_probable_prime(&p, bits).unwrap());
            let bytes = p.to_be_bytes();
            assert_ne!(remainder(&bytes, PUBLIC_EXPONENT), 1);
            assert!(small.iter().all(|&s| remainder(&bytes, s) != 0));
        }
    }
}
