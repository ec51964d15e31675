//! Per-key ECDSA and Ed25519 verification tables: built at a key's first verification, then shared by every
//! clone of the key (a key set holds clones), so repeated verifications skip the precomputation.

use pkjwt_ec_kernel::{ecdsa_p256, ecdsa_p384, ed25519};
use std::sync::{Arc, OnceLock};

/// The lazily built verification table of one EC or Ed25519 public key; empty for RSA keys.
#[derive(Clone, Default)]
pub(crate) struct VerifyCache(Arc<OnceLock<Table>>);

enum Table {
    P256(ecdsa_p256::VerifyingTable),
    P384(ecdsa_p384::VerifyingTable),
    Ed25519(ed25519::VerifyingTable),
}

impl VerifyCache {
    /// The table of `key`, which must be the P-256 key this cache belongs to.
    pub(crate) fn p256(&self, key: &p256::ecdsa::VerifyingKey) -> Option<&ecdsa_p256::VerifyingTable> {
        match self.0.get_or_init(|| Table::P256(ecdsa_p256::VerifyingTable::new(key))) {
            Table::P256(table) => Some(table),
            Table::P384(_) | Table::Ed25519(_) => None,
        }
    }

    /// The table of `key`, which must be the P-384 key this cache belongs to.
    pub(crate) fn p384(&self, key: &p384::ecdsa::VerifyingKey) -> Option<&ecdsa_p384::VerifyingTable> {
        match self.0.get_or_init(|| Table::P384(ecdsa_p384::VerifyingTable::new(key))) {
            Table::P384(table) => Some(table),
            Table::P256(_) | Table::Ed25519(_) => None,
        }
    }

    /// The table of `key`, which must be the Ed25519 key this cache belongs to.
    pub(crate) fn ed25519(&self, key: &ed25519_dalek::VerifyingKey) -> Option<&ed25519::VerifyingTable> {
        match self.0.get_or_init(|| Table::Ed25519(ed25519::VerifyingTable::new(key))) {
            Table::Ed25519(table) => Some(table),
            Table::P256(_) | Table::P384(_) => None,
        }
    }
}
