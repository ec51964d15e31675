//! ES384: ECDSA over P-384 with SHA-384.

use crate::ecdsa_verify::{Table, verify as verify_with_tables};
use elliptic_curve::FieldBytes;
use elliptic_curve::point::AffineCoordinates;
use p384::NistP384;
use p384::ecdsa::{Signature, VerifyingKey};
use sha2::{Digest, Sha384};
use signature::Signer;
use std::sync::OnceLock;

/// A P-384 private key: the ecdsa crate's (ES384 signing is the crate's own).
pub use p384::ecdsa::SigningKey;

/// p384's base field element, which the verification's point arithmetic runs on.
type Field = <NistP384 as elliptic_curve::hazmat::FieldArithmetic>::FieldElement;

/// NAF width of the generator's table: 8 × 32 affine points (24 KiB), built once per process.
const G_WINDOW: u32 = 7;
/// NAF width of a key's table: 8 × 16 affine points (12 KiB), built once per key.
const KEY_WINDOW: u32 = 6;

static GENERATOR_TABLE: OnceLock<Table<Field>> = OnceLock::new();

/// Signs `message` (hashed with SHA-384 here) with RFC 6979 deterministic nonces, returning R‖S.
pub fn sign(key: &SigningKey, message: &[u8]) -> Result<[u8; 96], signature::Error> {
    let sig: Signature = key.try_sign(message)?;
    Ok(sig.to_bytes().into())
}

/// A verifying key's precomputed multiples, for fast repeated [`verify`] calls.
#[derive(Clone)]
pub struct VerifyingTable(Option<Table<Field>>);

impl VerifyingTable {
    /// Precomputes the table of `key` (a few hundred point operations).
    pub fn new(key: &VerifyingKey) -> Self {
        let point = key.as_affine();
        VerifyingTable(Table::new(&point.x(), &point.y(), KEY_WINDOW))
    }
}

/// True when `signature` (fixed-length R‖S) is a valid ES384 signature of `message` by the key of
/// `table`.
pub fn verify(table: &VerifyingTable, message: &[u8], signature: &[u8]) -> bool {
    verify_prehash(table, &Sha384::digest(message), signature)
}

/// True when `signature` (fixed-length R‖S) is a valid ECDSA signature of the 48-byte message
/// digest `digest` by the key of `table`; the same verdict as the RustCrypto crate's
/// `verify_prehash`.
pub fn verify_prehash(table: &VerifyingTable, digest: &[u8], signature: &[u8]) -> bool {
    let (Some(q), Some(g)) = (&table.0, generator_table()) else {
        return false;
    };
    let (Some((r, s)), Ok(z)) = (split(signature), FieldBytes::<NistP384>::try_from(digest)) else {
        return false;
    };
    verify_with_tables::<NistP384, Field>(g, q, &z, &r, &s)
}

fn generator_table() -> Option<&'static Table<Field>> {
    if let Some(table) = GENERATOR_TABLE.get() {
        return Some(table);
    }
    let g = p384::AffinePoint::GENERATOR;
    let table = Table::new(&g.x(), &g.y(), G_WINDOW)?;
    Some(GENERATOR_TABLE.get_or_init(|| table))
}

fn split(signature: &[u8]) -> Option<(FieldBytes<NistP384>, FieldBytes<NistP384>)> {
    if signature.len() != 96 {
        return None;
    }
    let (r, s) = signature.split_at(48);
    Some((
        FieldBytes::<NistP384>::try_from(r).ok()?,
        FieldBytes::<NistP384>::try_from(s).ok()?,
    ))
}
