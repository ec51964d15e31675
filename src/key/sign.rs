//! Signing and verification for every algorithm, dispatched on the key's material.

use super::{Key, Material, PublicRef};
use crate::alg::{Algorithm, Hash};
use crate::error::{Error, Result};
use pkjwt_ec_kernel as ec;
use rsa::sha2::{Sha256, Sha384, Sha512};

impl Key {
    /// Signs `message` with `alg`, returning the JWS signature bytes (R‖S for ECDSA).
    ///
    /// Fails with [`Error::InvalidArgument`] for a public key and [`Error::AlgNotAllowed`] when
    /// `alg` does not fit the key. RSA signing is blinded (rsa 0.10, not affected by Marvin).
    pub fn sign(&self, alg: Algorithm, message: &[u8]) -> Result<Vec<u8>> {
        if !self.fits(alg) {
            return Err(Error::AlgNotAllowed(format!("{alg} does not fit this key")));
        }
        let failed = |e: &dyn std::fmt::Display| Error::CryptoFailure(format!("signing failed: {e}"));
        match &self.material {
            Material::RsaPrivate(k) => {
                let signed = match (alg, alg.hash()) {
                    (Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512, Hash::Sha256) => {
                        k.pss_sign::<Sha256>(message)
                    }
                    (Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512, Hash::Sha384) => {
                        k.pss_sign::<Sha384>(message)
                    }
                    (Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512, Hash::Sha512) => {
                        k.pss_sign::<Sha512>(message)
                    }
                    (_, Hash::Sha256) => k.pkcs1v15_sign::<Sha256>(message),
                    (_, Hash::Sha384) => k.pkcs1v15_sign::<Sha384>(message),
                    (_, Hash::Sha512) => k.pkcs1v15_sign::<Sha512>(message),
                };
                signed.map_err(|e| failed(&e))
            }
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
            PublicRef::Rsa(k) => {
                let is_pss = matches!(alg, Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512);
                match (is_pss, alg.hash()) {
                    (true, Hash::Sha256) => k.pss_verify::<Sha256>(message, signature).is_ok(),
                    (true, Hash::Sha384) => k.pss_verify::<Sha384>(message, signature).is_ok(),
                    (true, Hash::Sha512) => k.pss_verify::<Sha512>(message, signature).is_ok(),
                    (false, Hash::Sha256) => k.pkcs1v15_verify::<Sha256>(message, signature).is_ok(),
                    (false, Hash::Sha384) => k.pkcs1v15_verify::<Sha384>(message, signature).is_ok(),
                    (false, Hash::Sha512) => k.pkcs1v15_verify::<Sha512>(message, signature).is_ok(),
                }
            }
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
