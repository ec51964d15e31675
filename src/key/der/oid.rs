//! Object identifiers: the ones pkjwt reads and writes, as their DER contents octets, the
//! validity check for any other, and its dotted form for error messages.

use super::DerError;
use std::fmt::Write;

/// `rsaEncryption` 1.2.840.113549.1.1.1 (RFC 8017 A.1).
pub(crate) const RSA_ENCRYPTION: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
/// `id-RSASSA-PSS` 1.2.840.113549.1.1.10 (RFC 8017 A.2.3).
pub(crate) const RSASSA_PSS: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A];
/// `id-ecPublicKey` 1.2.840.10045.2.1 (RFC 5480 §2.1.1).
pub(crate) const EC_PUBLIC_KEY: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
/// `secp256r1` (P-256) 1.2.840.10045.3.1.7 (RFC 5480 §2.1.1.1).
pub(crate) const P256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
/// `secp384r1` (P-384) 1.3.132.0.34.
pub(crate) const P384: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x22];
/// `secp521r1` (P-521) 1.3.132.0.35.
pub(crate) const P521: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x23];
/// `secp256k1` 1.3.132.0.10.
pub(crate) const SECP256K1: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x0A];
/// `id-X25519` 1.3.101.110 (RFC 8410 §3).
pub(crate) const X25519: &[u8] = &[0x2B, 0x65, 0x6E];
/// `id-Ed25519` 1.3.101.112 (RFC 8410 §3).
pub(crate) const ED25519: &[u8] = &[0x2B, 0x65, 0x70];
/// `id-Ed448` 1.3.101.113 (RFC 8410 §3).
pub(crate) const ED448: &[u8] = &[0x2B, 0x65, 0x71];

/// The longest identifier accepted, in contents octets (as RustCrypto's `const-oid`).
const MAX_LEN: usize = 39;

/// The arcs after the first two, each base 128 with the high bit on all but its last octet and
/// a value that fits 32 bits.
fn arcs(value: &[u8]) -> impl Iterator<Item = Result<u32, DerError>> + '_ {
    let mut rest = value;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut arc: u32 = 0;
        while let Some((&byte, tail)) = rest.split_first() {
            rest = tail;
            let Some(shifted) = arc.checked_mul(0x80) else {
                rest = &[];
                return Some(Err(DerError::OidInvalid));
            };
            arc = shifted | u32::from(byte & 0x7F);
            if byte & 0x80 == 0 {
                return Some(Ok(arc));
            }
        }
        Some(Err(DerError::OidInvalid))
    })
}

/// Checks an identifier's contents: 1 to 39 octets, a first octet that encodes the arcs 0–2
/// and 0–39, then well-formed arcs.
pub(crate) fn check(value: &[u8]) -> Result<(), DerError> {
    match value.split_first() {
        Some((&first, rest)) if first < 120 && value.len() <= MAX_LEN => arcs(rest).try_for_each(|arc| arc.map(drop)),
        _ => Err(DerError::OidInvalid),
    }
}

/// The dotted form of a valid identifier, such as `1.3.101.112`.
pub(crate) fn dotted(value: &[u8]) -> String {
    let Some((&first, rest)) = value.split_first() else {
        return String::new();
    };
    let mut text = format!("{}.{}", first / 40, first % 40);
    for arc in arcs(rest).flatten() {
        let _ = write!(text, ".{arc}");
    }
    text
}
