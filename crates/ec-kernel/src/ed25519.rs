//! EdDSA with Ed25519 (RFC 8032, pure).
//!
//! Signing follows RFC 8032 §5.1.6 over curve25519-dalek's scalar and point types, with [r]B from
//! the run-time basepoint table of [`crate::ed25519_base`]; Ed25519 is deterministic, so the
//! signatures are ed25519-dalek's byte for byte (tests/ed25519_matches_dalek.rs). Verification has the verdict of ed25519-dalek's `verify_strict`
//! (canonical S and R, R and A not of small order, [S]B − [k]A == R) but computes [S]B − [k]A
//! as a multi-scalar multiplication over eight bases per point (P, 2^32·P, …, 2^224·P) with
//! width-w NAF tables of odd multiples: one per process for B, one per key for −A, so the
//! doubling chain is 32 long instead of 253. Variable time: public values only.

use crate::ed25519_base::mul_base;
use crate::wnaf::wnaf;
use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::{Scalar, clamp_integer};
use curve25519_dalek::traits::Identity;
use ed25519_dalek::VerifyingKey;
use sha2::{Digest, Sha512};
use std::sync::OnceLock;
use zeroize::Zeroize;

/// Bases per point.
const CHUNKS: usize = 8;
/// Bits of scalar per base.
const CHUNK_BITS: usize = 32;
/// NAF width of B's table: 8 × 32 points (40 KiB), built once per process.
const B_WINDOW: u32 = 7;
/// NAF width of a key's table: 8 × 16 points (20 KiB), built once per key.
const KEY_WINDOW: u32 = 6;

static BASEPOINT_TABLE: OnceLock<Table> = OnceLock::new();

/// An Ed25519 private key: the RFC 8032 seed and its public key A = [s]B.
///
/// pkjwt's own rather than ed25519-dalek's `SigningKey`, whose constructor computes A with
/// curve25519-dalek's `mul_base` and so links its 30 KB static base-point table into the .wasm;
/// here A comes from [`crate::ed25519_base`]'s table, built at run time. The seed is zeroized
/// on drop.
#[derive(Clone)]
pub struct SigningKey {
    seed: [u8; 32],
    public: VerifyingKey,
}

impl SigningKey {
    /// The key of a 32-byte seed (RFC 8032 §5.1.5).
    pub fn from_bytes(seed: &[u8; 32]) -> SigningKey {
        let (mut secret, mut prefix) = expand(seed);
        let public = VerifyingKey::from(mul_base(&secret));
        secret.zeroize();
        prefix.zeroize();
        SigningKey { seed: *seed, public }
    }

    /// The seed.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.seed
    }

    /// The public key.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.public
    }
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        self.seed.zeroize();
    }
}

/// The secret scalar s (the clamped low half of SHA-512(seed), reduced) and the nonce prefix.
fn expand(seed: &[u8; 32]) -> (Scalar, [u8; 32]) {
    let mut expanded: [u8; 64] = Sha512::digest(seed).into();
    let mut clamped = [0u8; 32];
    let mut prefix = [0u8; 32];
    let (low, high) = expanded.split_at(32);
    clamped.copy_from_slice(low);
    prefix.copy_from_slice(high);
    let secret = Scalar::from_bytes_mod_order(clamp_integer(clamped));
    expanded.zeroize();
    clamped.zeroize();
    (secret, prefix)
}

/// Signs `message`, returning the 64-byte signature R‖S.
pub fn sign(key: &SigningKey, message: &[u8]) -> [u8; 64] {
    let (mut secret, mut prefix) = expand(&key.seed);
    let mut nonce = Scalar::from_bytes_mod_order_wide(
        &Sha512::new()
            .chain_update(prefix)
            .chain_update(message)
            .finalize()
            .into(),
    );
    prefix.zeroize();
    let r = mul_base(&nonce).compress();
    let k: [u8; 64] = Sha512::new()
        .chain_update(r.as_bytes())
        .chain_update(key.public.as_bytes())
        .chain_update(message)
        .finalize()
        .into();
    let s = Scalar::from_bytes_mod_order_wide(&k) * secret + nonce;
    secret.zeroize();
    nonce.zeroize();
    let mut signature = [0u8; 64];
    let (r_out, s_out) = signature.split_at_mut(32);
    r_out.copy_from_slice(r.as_bytes());
    s_out.copy_from_slice(s.as_bytes());
    signature
}

#[derive(Clone)]
struct Table {
    window: u32,
    points: Vec<EdwardsPoint>,
}

impl Table {
    fn new(point: &EdwardsPoint, window: u32) -> Self {
        let per_chunk = 1usize << (window - 2);
        let mut base = *point;
        let mut points = Vec::with_capacity(CHUNKS * per_chunk);
        for chunk in 0..CHUNKS {
            if chunk > 0 {
                for _ in 0..CHUNK_BITS {
                    base = base + base;
                }
            }
            let twice = base + base;
            let mut odd = base;
            points.push(odd);
            for _ in 1..per_chunk {
                odd += twice;
                points.push(odd);
            }
        }
        Table { window, points }
    }

    fn lookup(&self, chunk: usize, digit: i8) -> Option<EdwardsPoint> {
        let index = chunk * (1usize << (self.window - 2)) + usize::from(digit.unsigned_abs() >> 1);
        let point = self.points.get(index)?;
        Some(if digit < 0 { -point } else { *point })
    }
}

/// A verifying key's precomputed multiples, for fast repeated [`verify`] calls.
#[derive(Clone)]
pub struct VerifyingTable {
    key: VerifyingKey,
    small_order: bool,
    minus_a: Table,
}

impl VerifyingTable {
    /// Precomputes the table of `key` (about 350 point additions).
    pub fn new(key: &VerifyingKey) -> Self {
        let a = key.to_edwards();
        VerifyingTable {
            key: *key,
            small_order: a.is_small_order(),
            minus_a: Table::new(&-a, KEY_WINDOW),
        }
    }
}

/// True when `signature` is a valid signature of `message` by the key of `table` under strict
/// verification (no small-order key or R, no non-canonical S); the verdict of ed25519-dalek's
/// `verify_strict`.
pub fn verify(table: &VerifyingTable, message: &[u8], signature: &[u8]) -> bool {
    let (Some(r_bytes), Some(s_bytes)) = (
        signature.get(..32).and_then(|r| <[u8; 32]>::try_from(r).ok()),
        signature.get(32..).and_then(|s| <[u8; 32]>::try_from(s).ok()),
    ) else {
        return false;
    };
    let Some(s) = Option::<Scalar>::from(Scalar::from_canonical_bytes(s_bytes)) else {
        return false;
    };
    if !is_canonical_y(&r_bytes) {
        return false;
    }
    let Some(r_point) = CompressedEdwardsY(r_bytes).decompress() else {
        return false;
    };
    if table.small_order || r_point.is_small_order() {
        return false;
    }
    let hash: [u8; 64] = Sha512::new()
        .chain_update(r_bytes)
        .chain_update(table.key.as_bytes())
        .chain_update(message)
        .finalize()
        .into();
    let k = Scalar::from_bytes_mod_order_wide(&hash);
    let b = BASEPOINT_TABLE.get_or_init(|| Table::new(&ED25519_BASEPOINT_POINT, B_WINDOW));
    let sum = multi_mul(&[
        (b, &naf(&s, b.window)),
        (&table.minus_a, &naf(&k, table.minus_a.window)),
    ]);
    sum == r_point
}

/// False for the encodings of y in [p, 2^255) (little-endian, sign bit ignored): dalek's
/// `verify_strict` compares canonical encodings, which such an R never matches, while the
/// projective comparison here would accept it.
fn is_canonical_y(encoded: &[u8; 32]) -> bool {
    let (low, rest) = encoded.split_at(1);
    let (middle, top) = rest.split_at(30);
    !(low.first().is_some_and(|&b| b >= 0xed)
        && middle.iter().all(|&b| b == 0xff)
        && top.first().is_some_and(|&b| b & 0x7f == 0x7f))
}

fn naf(scalar: &Scalar, window: u32) -> Vec<i8> {
    let mut be = scalar.to_bytes();
    be.reverse();
    wnaf(&be, window)
}

fn multi_mul(terms: &[(&Table, &Vec<i8>)]) -> EdwardsPoint {
    let mut acc = EdwardsPoint::identity();
    let mut started = false;
    for offset in (0..=CHUNK_BITS).rev() {
        if started {
            acc = acc + acc;
        }
        for (table, digits) in terms {
            for chunk in 0..CHUNKS {
                if offset == CHUNK_BITS && chunk + 1 != CHUNKS {
                    continue;
                }
                let digit = digits.get(chunk * CHUNK_BITS + offset).copied().unwrap_or(0);
                if digit != 0 {
                    if let Some(point) = table.lookup(chunk, digit) {
                        acc += point;
                        started = true;
                    }
                }
            }
        }
    }
    acc
}
