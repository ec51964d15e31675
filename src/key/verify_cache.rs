//! Per-key ECDSA verification tables: built at a key's first verification, then shared by every
//! clone of the key (a key set holds clones), so repeated verifications skip the precomputation.

use pkjwt_ec_kernel::{ecdsa_p256, ecdsa_p384};
use std::sync::{Arc, OnceLock};

/// The lazily built verification table of one EC public key; empty for other keys.
#[derive(Clone, Default)]
pub(crate) struct VerifyCache(Arc<OnceLock<Table>>);

enum Table {
    P256(ecdsa_p256::VerifyingTable),
    P384(ecdsa_p384::VerifyingTable),
}

impl VerifyCache {
    /// The table of `key`, which must be the P-256 key this cache belongs to.
    pub(crate) fn p256(&self, key: &p256::ecdsa::VerifyingKey) -> Option<&ecdsa_p256::VerifyingTable> {
        match self.0.get_or_init(|| Table::P256(ecdsa_p256::VerifyingTable::new(key))) {
            Table::P256(table) => Some(table),
            Table::P384(_) => None,
        }
    }

    /// The table of `key`, which must be the P-384 key this cache belongs to.
    pub(crate) fn p384(&self, key: &p384::ecdsa::VerifyingKey) -> Option<&ecdsa_p384::VerifyingTable> {
        match self.0.get_or_init(|| Table::P384(ecdsa_p384::VerifyingTable::new(key))) {
            Table::P384(table) => Some(table),
            Table::P256(_) => None,
        }
    }
}
