//! Signing and verification for every algorithm, dispatched on the key's material.

use super::{Key, Material, PublicRef};
use crate::alg::Algorithm;
use crate::error::{Error, Result};
use pkjwt_ec_kernel as ec;

impl Key {
    /// Signs `message` with `alg`, returning the JWS signature bytes (R‖S for ECDSA).
    ///
    /// Fails with [`Error::InvalidArgument`] for a public key and [`Error::AlgNotAllowed`] when
    /// `alg` does not fit the key. RSA signing runs the constant-time CRT kernel
    /// (`pkjwt-rsa-kernel`) with a blinding pair reused and updated per signature, and checks each
    /// signature before releasing it.
    pub fn sign(&self, alg: Algorithm, message: &[u8]) -> Result<Vec<u8>> {
        if !self.fits(alg) {
            return Err(Error::AlgNotAllowed(format!("{alg} does not fit this key")));
        }
        let failed = |e: &dyn std::fmt::Display| Error::CryptoFailure(format!("signing failed: {e}"));
        match &self.material {
            Material::RsaPrivate(k) => k.sign(alg, message),
            Material::P256Private(k) => Ok(ec::ecdsa_p256::sign(k, message).map_err(|e| failed(&e))?.to_vec()),
            Material::P384Private(k) => Ok(ec::ecdsa_p384::sign(k, message).map_err(|e| failed(&e))?.to_vec()),
            Material::Ed25519Private(k) => Ok(ec::ed25519::sign(k, message).to_vec()),
            _ => Err(Error::argument("a public key cannot sign")),
        }
    }

    /// Verifies a JWS `signature` over `message` with `alg`.
    ///
    /// Every failure, whatever its cause (wrong length, scalar out of range, bad padding, wrong
    /// key), is the same opaque [`Error::SignatureVerificationFailed`]; an `alg` that does not
    /// fit the key is [`Error::AlgNotAllowed`]. ECDSA signatures must be the fixed-length R‖S form
    /// of RFC 7518 §3.4 (DER is refused); Ed25519 uses strict verification (no small-order keys
    /// or non-canonical encodings).
    pub fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> Result<()> {
        if !self.fits(alg) {
            return Err(Error::AlgNotAllowed(format!("{alg} does not fit this key")));
        }
        let ok = match self.public_ref() {
            PublicRef::Rsa(k) => k.verify(alg, message, signature),
            PublicRef::P256(k) => self
                .verify_cache
                .p256(k)
                .is_some_and(|t| ec::ecdsa_p256::verify(t, message, signature)),
            PublicRef::P384(k) => self
                .verify_cache
                .p384(k)
                .is_some_and(|t| ec::ecdsa_p384::verify(t, message, signature)),
            PublicRef::Ed25519(k) => self
                .verify_cache
                .ed25519(&k)
                .is_some_and(|t| ec::ed25519::verify(t, message, signature)),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::SignatureVerificationFailed)
        }
    }
}
