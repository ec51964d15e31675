//! ES256: ECDSA over P-256 with SHA-256.

use crate::ecdsa_verify::{Table, verify as verify_with_tables};
use elliptic_curve::FieldBytes;
use elliptic_curve::point::AffineCoordinates;
use p256::NistP256;
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use signature::Signer;
use std::sync::OnceLock;

/// NAF width of the generator's table: 8 × 32 affine points (16 KiB), built once per process.
const G_WINDOW: u32 = 7;
/// NAF width of a key's table: 8 × 16 affine points (8 KiB), built once per key.
const KEY_WINDOW: u32 = 6;

static GENERATOR_TABLE: OnceLock<Table<NistP256>> = OnceLock::new();

/// Signs `message` (hashed with SHA-256 here) with RFC 6979 deterministic nonces, returning R‖S.
pub fn sign(key: &SigningKey, message: &[u8]) -> Result<[u8; 64], signature::Error> {
    let sig: Signature = key.try_sign(message)?;
    Ok(sig.to_bytes().into())
}

/// A verifying key's precomputed multiples, for fast repeated [`verify`] calls.
#[derive(Clone)]
pub struct VerifyingTable(Option<Table<NistP256>>);

impl VerifyingTable {
    /// Precomputes the table of `key` (a few hundred point operations).
    pub fn new(key: &VerifyingKey) -> Self {
        let point = key.as_affine();
        VerifyingTable(Table::new(&point.x(), &point.y(), KEY_WINDOW))
    }
}

/// True when `signature` (fixed-length R‖S) is a valid ES256 signature of `message` by the key of
/// `table`.
pub fn verify(table: &VerifyingTable, message: &[u8], signature: &[u8]) -> bool {
    verify_prehash(table, &Sha256::digest(message), signature)
}

/// True when `signature` (fixed-length R‖S) is a valid ECDSA signature of the 32-byte message
/// digest `digest` by the key of `table`; the same verdict as the RustCrypto crate's
/// `verify_prehash`.
pub fn verify_prehash(table: &VerifyingTable, digest: &[u8], signature: &[u8]) -> bool {
    let (Some(q), Some(g)) = (&table.0, generator_table()) else {
        return false;
    };
    let (Some((r, s)), Ok(z)) = (split(signature), FieldBytes::<NistP256>::try_from(digest)) else {
        return false;
    };
    verify_with_tables(g, q, &z, &r, &s)
}

fn generator_table() -> Option<&'static Table<NistP256>> {
    if let Some(table) = GENERATOR_TABLE.get() {
        return Some(table);
    }
    let g = p256::AffinePoint::GENERATOR;
    let table = Table::new(&g.x(), &g.y(), G_WINDOW)?;
    Some(GENERATOR_TABLE.get_or_init(|| table))
}

fn split(signature: &[u8]) -> Option<(FieldBytes<NistP256>, FieldBytes<NistP256>)> {
    if signature.len() != 64 {
        return None;
    }
    let (r, s) = signature.split_at(32);
    Some((
        FieldBytes::<NistP256>::try_from(r).ok()?,
        FieldBytes::<NistP256>::try_from(s).ok()?,
    ))
}
