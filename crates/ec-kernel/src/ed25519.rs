//! EdDSA with Ed25519 (RFC 8032, pure).

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

/// Signs `message`, returning the 64-byte signature R‖S.
pub fn sign(key: &SigningKey, message: &[u8]) -> [u8; 64] {
    key.sign(message).to_bytes()
}

/// True when `signature` is a valid signature of `message` by `key` under strict verification
/// (no small-order key or R, no non-canonical S).
pub fn verify(key: &VerifyingKey, message: &[u8], signature: &[u8]) -> bool {
    Signature::from_slice(signature).is_ok_and(|sig| key.verify_strict(message, &sig).is_ok())
}
